# Finland Swedish, as Svenska språkbyrån i Finland recommends for texts in Finland:
# 10.12.2021, kl. 16.00. (Sweden's 2021-12-10 is not what Swedish speakers here read.)
DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "G.i"
DATETIME_FORMAT = r"j.n.Y \k\l. G.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l. G.i"
MONTH_DAY_FORMAT = "j.n."
