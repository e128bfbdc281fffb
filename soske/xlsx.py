"""Spreadsheet cells that are safe to open: every app's XLSX export writes through here."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import to_excel

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


# --- a one-sheet workbook without openpyxl's cell objects ------------------------------------
#
# openpyxl builds a Cell object and an lxml element for every value, even in write-only mode:
# two fifths of an export's time at 600 rows (issue 13). A sheet of plain values needs none of
# that: this writes the same SpreadsheetML (inline strings, numbers, dates with one number
# format) straight into the zip. The tests read every export back with openpyxl.

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'  # noqa: E501
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'  # noqa: E501
    "</Types>"
)
_ROOT_RELS = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'  # noqa: E501
    "</Relationships>"
)
# Style 0: general; style 1: a date and time (yyyy-mm-dd h:mm:ss, as openpyxl writes them).
_STYLES = (
    _XML + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _escape(text: str) -> str:
    return CONTROL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(value) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, str):
        return f'<c t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, datetime.datetime | datetime.date):
        return f'<c s="1"><v>{to_excel(value)}</v></c>'
    return _cell(str(value))


def sheet_bytes(title: str, rows, *, width=None, widths=None, freeze_header=False) -> bytes:
    """One sheet named `title` (at most 31 characters) holding `rows` (lists of values), as
    the bytes of an .xlsx file. `width`: every used column's width; `widths`: {column letter:
    width} for some; `freeze_header`: the first row stays in view while scrolling."""
    body = []
    columns = 0
    for row in rows:
        columns = max(columns, len(row))
        body.append("<row>" + "".join(map(_cell, row)) + "</row>")
    sheet = [_XML, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">']
    if freeze_header:
        sheet.append(
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        )
    # One <col> per run of equal widths: Excel refuses overlapping ranges.
    sizes = dict.fromkeys(range(1, columns + 1), width) if width else {}
    sizes.update({column_index_from_string(k): w for k, w in (widths or {}).items()})
    runs = []
    for index in sorted(sizes):
        if runs and runs[-1][1] == index - 1 and runs[-1][2] == sizes[index]:
            runs[-1][1] = index
        else:
            runs.append([index, index, sizes[index]])
    if runs:
        sheet.append(
            "<cols>"
            + "".join(
                f'<col min="{low}" max="{high}" width="{w}" customWidth="1"/>'
                for low, high, w in runs
            )
            + "</cols>"
        )
    sheet += ["<sheetData>", *body, "</sheetData></worksheet>"]
    name = _escape(title[:31]).replace('"', "&quot;")
    workbook = (
        _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
    return buffer.getvalue()
