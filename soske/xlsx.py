"""Spreadsheet cells that are safe to open: every app's XLSX export writes through here."""

import datetime
import io
import re
import threading
import zipfile
from decimal import Decimal

import xlsxwriter
import xlsxwriter.workbook
from openpyxl.utils import column_index_from_string

# Control characters an XLSX cannot hold: everything below U+0020 except tab, LF and CR.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """What a cell holds: numbers, dates, booleans and None as they are, anything else as
    text that a spreadsheet cannot read as a formula.

    XlsxWriter writes strings as strings, but a person who copies a cell, or a program that
    re-imports a CSV made from the sheet, may still evaluate '=HYPERLINK(...)'; a leading
    single quote keeps such text inert. Control characters other than tab and line breaks are
    dropped (XLSX cannot hold them). sheet_bytes passes every value through here, once: the
    callers no longer do it first (the reviews export cleaned 720,000 characters twice).
    """
    if value.__class__ is not str:  # most cells are text: they skip the type tests
        if value is None or isinstance(value, int | float | Decimal | datetime.date):
            return value
        value = str(value)
    # One regular expression, not a Python loop per character (issue 13).
    value = CONTROL.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# --- a one-sheet workbook, written row by row ---------------------------------------------
#
# openpyxl builds a Cell object and an lxml element for every value, even in write-only mode:
# two fifths of an export's time at 600 rows (issue 13). XlsxWriter keeps the rows in memory
# and writes the XML once; the tests read every export back with openpyxl.

_DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"

# The ZIP members are deflated at level 1, not zlib's default 6: the reviews export (1 MB of
# XML) spent 32 ms of its ~115 ms of CPU compressing at level 6 and spends 8 ms at level 1,
# for 184 kB instead of 129 kB (issue 13; the writer before XlsxWriter used level 1 too).
# XlsxWriter 3.3 has no option for the level (asked in jmcnamara/XlsxWriter#853): in memory
# it makes a zipfile.ZipInfo per member, whose level None means zlib's default. While our
# workbook stores itself, the ZipInfo it makes sets level 1; the lock keeps two threads from
# swapping the name at once, and the name is put back after. tests/soske/test_xlsx_writer.py
# checks the level of every member, and that other workbooks keep the default.
DEFLATE_LEVEL = 1


class _FastDeflate(zipfile.ZipInfo):
    __slots__ = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compresslevel = DEFLATE_LEVEL


_STORING = threading.Lock()


class _Workbook(xlsxwriter.Workbook):
    def _store_workbook(self):
        with _STORING:
            xlsxwriter.workbook.ZipInfo = _FastDeflate
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipInfo = zipfile.ZipInfo


def _runs(sizes: dict) -> list:
    """{column index: width} as [first, last, width] runs of equal widths."""
    runs = []
    for index in sorted(sizes):
        if runs and runs[-1][1] == index - 1 and runs[-1][2] == sizes[index]:
            runs[-1][1] = index
        else:
            runs.append([index, index, sizes[index]])
    return runs


def sheet_bytes(title: str, rows, *, width=None, widths=None, freeze_header=False) -> bytes:
    """One sheet named `title` (at most 31 characters) holding `rows` (lists of values), as
    the bytes of an .xlsx file, every value passed through safe_cell. `width`: every used
    column's width; `widths`: {column letter: width} for some; `freeze_header`: the first row
    stays in view while scrolling."""
    rows = list(rows)
    columns = max((len(row) for row in rows), default=0)
    buffer = io.BytesIO()
    # Text is always text: no formulas, links or numbers guessed from what someone typed.
    book = _Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
            "default_date_format": _DATETIME_FORMAT,
        },
    )
    sheet = book.add_worksheet(title[:31])
    sizes = dict.fromkeys(range(columns), width) if width else {}
    sizes.update({column_index_from_string(k) - 1: w for k, w in (widths or {}).items()})
    for first, last, size in _runs(sizes):
        sheet.set_column(first, last, size)
    if freeze_header:
        sheet.freeze_panes(1, 0)
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, [safe_cell(value) for value in row])
    book.close()
    return buffer.getvalue()
