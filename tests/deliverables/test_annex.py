"""The code-of-conduct annex as a Word document: the team's choices, numbered, in the
language asked for, from the snapshot the team saved (never the list as it is now)."""

import io
from datetime import timedelta

from django.urls import reverse
from docx import Document

from cohorts.models import Track
from deliverables import services
from deliverables.annex import DOCX_TYPE, annex_docx
from deliverables.models import Kind
from deliverables.worksheets import conduct_snapshot
from soske import clock

OBLIGATION = {"id": 1, "fi": "Ei lapsityötä.", "sv": "Inget barnarbete.", "en": "No child labour."}
SECOND = {"id": 2, "fi": "Palkka maksetaan ajallaan.", "sv": "", "en": "Wages are paid."}
TERM = {"id": 3, "fi": "Tilaaja saa auditoida.", "sv": "Beställaren får granska.", "en": "Audit."}
CONTENT = {
    "procurement": "Työvaatteet 2027",
    "obligations": [OBLIGATION, SECOND],
    "terms": [TERM],
    "own_text": "Toimittaja raportoi vuosittain.\nJa korjaa puutteet.",
}


def texts(body: bytes) -> tuple[list[str], object]:
    document = Document(io.BytesIO(body))
    return [p.text for p in document.paragraphs if p.text], document.core_properties


def test_the_annex_in_finnish():
    lines, properties = texts(
        annex_docx(
            CONTENT, language="fi", organisation_name="Oikeudet kaupunki", cohort_name="Soske 2031"
        )  # fmt: skip
    )
    assert lines == [
        "Toimintaohjeliite",
        "Oikeudet kaupunki · Soske 2031",
        "Hankinta, jota liite koskee",
        "Työvaatteet 2027",
        "Vastuullisuuden vähimmäisvelvoitteet",
        "1. Ei lapsityötä.",
        "2. Palkka maksetaan ajallaan.",
        "Niitä toteuttavat sopimusehdot",
        "1. Tilaaja saa auditoida.",
        "Oma teksti",
        "Toimittaja raportoi vuosittain.",
        "Ja korjaa puutteet.",
    ]
    assert properties.title == "Toimintaohjeliite – Oikeudet kaupunki"
    assert properties.language == "fi"


def test_the_annex_in_swedish_falls_back_to_finnish_where_a_text_has_no_translation():
    lines, properties = texts(
        annex_docx(
            CONTENT, language="sv", organisation_name="Oikeudet kaupunki", cohort_name="Soske 2031"
        )  # fmt: skip
    )
    assert lines[0] == "Bilaga med uppförandekod"
    assert "Minimikrav på ansvarsfullhet" in lines
    assert "1. Inget barnarbete." in lines
    assert "2. Palkka maksetaan ajallaan." in lines  # no Swedish text: the Finnish one
    assert "1. Beställaren får granska." in lines
    assert properties.language == "sv"


def test_an_empty_annex_says_nothing_was_chosen():
    lines, _properties = texts(
        annex_docx({}, language="en", organisation_name="Org", cohort_name="C")
    )
    assert lines == [
        "Code-of-conduct annex",
        "Org · C",
        "Minimum responsibility obligations",
        "None chosen yet.",
        "Contract terms that enforce them",
        "None chosen yet.",
    ]


def test_the_team_downloads_the_working_copy_and_a_version_in_the_language_it_picks(teams):
    services.conduct_items_seed(cohort=teams.cohort, actor=teams.coordinator)
    now = clock.now()
    assignment = services.assignment_create(
        cohort=teams.cohort, actor=teams.coordinator, kind=Kind.OTHER, title_fi="Liite",
        audience=Track.HUMAN_RIGHTS, worksheets=["conduct_annex"],
        opens_at=now - timedelta(days=1), due_at=now + timedelta(days=2),
        cutoff_at=now + timedelta(days=2),
    )  # fmt: skip
    items = teams.cohort.conduct_items.order_by("position")
    obligation = items.filter(kind="obligation")[0]
    term = items.filter(kind="term")[0]
    submission = services.submission_for(assignment=assignment, team=teams.other_team)
    submission = services.draft_save(submission=submission, actor=teams.other_user, content={
        "conduct_annex": {"procurement": "Tekstiilit", "obligations": [conduct_snapshot(
            obligation)], "terms": [conduct_snapshot(term)], "own_text": ""}})  # fmt: skip
    services.submission_submit(submission=submission, actor=teams.other_user, token="a1")
    old_swedish = obligation.text_sv
    # the coordinator rewords the item afterwards: the team's annex keeps its text
    services.conduct_item_save(cohort=teams.cohort, actor=teams.coordinator, item=obligation,
                               text_sv="Ny formulering.")  # fmt: skip
    args = [teams.other_team.pk, assignment.pk]
    response = teams.other_client.get(reverse("deliverables:annex", args=args) + "?lang=sv")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert "attachment" in response["Content-Disposition"]
    lines, properties = texts(response.content)
    assert f"1. {old_swedish}" in lines and "1. Ny formulering." not in lines
    assert lines[0] == "Bilaga med uppförandekod" and properties.language == "sv"
    assert "Tekstiilit" in lines
    version = teams.other_client.get(
        reverse("deliverables:version_annex", args=[*args, 1])  # the page's language: fi
    )
    lines, properties = texts(version.content)
    assert lines[0] == "Toimintaohjeliite" and properties.language == "fi"
    assert f"1. {obligation.text_fi}" in lines and f"1. {term.text_fi}" in lines
