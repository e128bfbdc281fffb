"""soske.xlsx.sheet_bytes: a sheet written by XlsxWriter reads back as it was given.

XlsxWriter stores a column's width with the padding Excel adds to a width in characters,
so a width of 24 characters reads back as 24.71."""

import io
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
import xlsxwriter.workbook
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from soske.xlsx import sheet_bytes


def test_every_kind_of_value_reads_back_the_same():
    moment = datetime(2026, 12, 2, 9, 30, 15)
    rows = [
        ["Name & <tag>", "Määrä"],
        ["'=1+1", 3],
        [None, Decimal("71.25")],
        [True, 2.5],
        [moment, "a\x01b\tc"],
    ]
    content = sheet_bytes("Hakemukset & arviot, a title longer than 31", rows, width=24)
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.title == "Hakemukset & arviot, a title lo"
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Name & <tag>", "Määrä"),
        ("'=1+1", 3),
        (None, 71.25),
        (True, 2.5),
        (moment, "ab\tc"),
    ]
    widths = sheet.column_dimensions["A"]
    assert (widths.min, widths.max, int(widths.width)) == (1, 2, 24)
    assert sheet.freeze_panes is None


def test_the_header_can_stay_in_view():
    book = load_workbook(io.BytesIO(sheet_bytes("S", [["a"], ["b"]], freeze_header=True)))
    assert book.active.freeze_panes == "A2"


def test_one_column_can_be_wider_than_the_others():
    content = sheet_bytes("S", [["a", "b", "c"]], width=12, widths={"B": 36})
    dimensions = load_workbook(io.BytesIO(content)).active.column_dimensions
    assert (dimensions["B"].min, dimensions["B"].max, int(dimensions["B"].width)) == (2, 2, 36)
    assert (dimensions["A"].min, dimensions["A"].max, int(dimensions["A"].width)) == (1, 1, 12)
    assert (dimensions["C"].min, dimensions["C"].max, int(dimensions["C"].width)) == (3, 3, 12)


class Shown:
    def __str__(self):
        return "=SUM(A1:A9)"


def test_text_a_spreadsheet_would_evaluate_is_inert_whoever_wrote_the_rows():
    """sheet_bytes makes every value safe itself: the callers pass plain values (issue 13)."""
    rows = [
        ["=1+1", "+A1", "-2", "@SUM(A1)", "\uff1dA1", "\tx", "\n=1"],
        [Shown(), gettext_lazy("Organisation"), "a\x00b\x1f=c", "", "ok - fine", -2, None],
    ]
    with translation.override("en"):
        sheet = load_workbook(io.BytesIO(sheet_bytes("S", rows))).active
    assert [(c.value, c.data_type) for c in sheet[1]] == [
        ("'=1+1", "s"),
        ("'+A1", "s"),
        ("'-2", "s"),
        ("'@SUM(A1)", "s"),
        ("'\uff1dA1", "s"),
        ("'\tx", "s"),
        ("'\n=1", "s"),
    ]
    assert [(c.value, c.data_type) for c in sheet[2]] == [
        ("'=SUM(A1:A9)", "s"),
        ("Organisation", "s"),
        ("ab=c", "s"),
        (None, "n"),
        ("ok - fine", "s"),
        (-2, "n"),
        (None, "n"),
    ]


def test_long_text_dates_and_repeated_values_read_back_as_given():
    text = "Ääkköset & <merkit> ja rivinvaihto\nsekä _x0041_ " * 8  # 400 characters
    day, moment = date(2026, 12, 2), datetime(2026, 12, 2, 23, 59, 59)
    rows = [[text, "  padded  ", day, moment]] * 3
    sheet = load_workbook(io.BytesIO(sheet_bytes("S", rows))).active
    assert (
        list(sheet.iter_rows(values_only=True))
        == [(text, "  padded  ", datetime(2026, 12, 2), moment)] * 3
    )
    assert {(c.is_date, c.number_format) for c in (sheet["C1"], sheet["D3"])} == {
        (True, "yyyy-mm-dd h:mm:ss")
    }


def _deflated(data, level):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return len(compressor.compress(data) + compressor.flush())


def test_the_members_are_deflated_at_level_one_and_other_workbooks_are_left_alone():
    """Level 1, not zlib's default 6: a quarter of the time for the reviews export (issue 13).
    XlsxWriter has no option for it; if an upgrade bypasses the way sheet_bytes sets it, this
    fails rather than the exports silently slowing down."""
    rows = [[f"Perustelu {i}: " + "hankinta ja työllistäminen " * (i % 7 + 3)] for i in range(400)]
    with zipfile.ZipFile(io.BytesIO(sheet_bytes("S", rows))) as archive:
        members = {info.filename: info for info in archive.infolist()}
        strings = archive.read("xl/sharedStrings.xml")
        for name, info in members.items():
            assert info.compress_type == zipfile.ZIP_DEFLATED, name
            assert info.compress_size == _deflated(archive.read(name), 1), name
    assert _deflated(strings, 1) != _deflated(strings, 6)  # the two levels tell apart here

    assert xlsxwriter.workbook.ZipInfo is zipfile.ZipInfo
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write_column(0, 0, [row[0] for row in rows])
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
        assert info.compress_size == _deflated(archive.read(info.filename), 6)
