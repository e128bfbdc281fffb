# Finnish as the Institute for the Languages of Finland (Kotus) writes it: 10.12.2021,
# klo 16.00 (the hour without a leading zero, a full stop before the minutes).
# Django's own fi formats give the rest (input formats, number separators).
DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "G.i"
DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
MONTH_DAY_FORMAT = "j.n."
