"""Access-table rows of the programme's team pages (merged into tests/soske/test_access.py).

name -> (HTTP method, kwargs from the world, persona -> outcome); the world's programme
objects are `w.programme.*` (see tests/workshops/world.py)."""

ROWS = {}
