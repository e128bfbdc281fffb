"""The activity log: one row per state change of every app, written by services, never edited."""
