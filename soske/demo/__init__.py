"""Demo data for the one-command demo: the wiring, so it may know every app."""
