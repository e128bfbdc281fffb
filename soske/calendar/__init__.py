"""Calendars: one .ics builder and one personal feed that every app contributes to."""
