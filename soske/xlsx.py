"""Spreadsheet cells that are safe to open: every app's XLSX export writes through here."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """Text a spreadsheet would read as a formula gets a leading apostrophe-like quote.

    openpyxl writes strings as strings, but a person who copies a cell, or a
    program that re-imports a CSV made from the sheet, may still evaluate
    '=HYPERLINK(...)'; prefixing a single quote keeps such text inert. Control
    characters other than tab and line breaks are dropped (XLSX cannot hold them).
    """
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value
