"""Spreadsheet cells that are safe to open: every app's XLSX export writes through here."""

import re

# Control characters an XLSX cannot hold: everything below U+0020 except tab, LF and CR.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """Text a spreadsheet would read as a formula gets a leading apostrophe-like quote.

    openpyxl writes strings as strings, but a person who copies a cell, or a
    program that re-imports a CSV made from the sheet, may still evaluate
    '=HYPERLINK(...)'; prefixing a single quote keeps such text inert. Control
    characters other than tab and line breaks are dropped (XLSX cannot hold them).
    """
    if isinstance(value, str):
        # One regular expression, not a Python loop per character: the reviews export passes
        # 2 million characters of justifications through here (issue 13).
        value = CONTROL.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value
