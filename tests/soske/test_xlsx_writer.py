"""soske.xlsx.sheet_bytes: a sheet written by XlsxWriter reads back as it was given.

XlsxWriter stores a column's width with the padding Excel adds to a width in characters,
so a width of 24 characters reads back as 24.71."""

import io
from datetime import datetime
from decimal import Decimal

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
