"""Words in the reader's language: a submitted version's answers and the history.

A version's snapshot is made in the submitter's language. Staff who read another language
get the labels, the section titles and every value the software words (choices, themes,
yes/no, numbers, team roles) in theirs; what the applicant typed stays as typed, marked
with its language. Snapshots stored before they kept their raw values are shown as stored,
marked with the language they were made in.
"""

import re

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import ApplicationVersion, Score, TeamMember
from applications.snapshots import snapshot_for_reader
from cohorts.models import TeamRole, Theme
from soske import clock
from soske.activity.models import ActivityEntry
from soske.mail.models import OutgoingEmail
from soske.users.models import Role
from tests.conftest import client_for
from tests.factories import ApplicationFactory, UserFactory, fill_complete

from .test_scoring import scored, staff

OLD_SNAPSHOT = {
    "sections": [
        {
            "slug": "organisation",
            "title": "Organisaatio",
            "rows": [
                {"label": "Organisaation nimi", "value": "Vanhala"},
                {"label": "Organisaation tyyppi", "value": "Kunta"},
            ],
        }
    ],
    "language": "fi",
}


def in_language(client, language):
    client.cookies["soske_language"] = language
    return client


def answers_html(response) -> str:
    """The answers part of a page (from its first section to the end of the last one)."""
    content = response.content.decode()
    start = content.index('<section class="mb-3"')
    return content[start : content.rindex("</section>") + len("</section>")]


def answer(html, label) -> str:
    """The <dd> that follows the <dt> holding `label` (as it appears in the HTML)."""
    match = re.search(r"<dt>" + re.escape(label) + r"</dt><dd>(.*?)</dd>", html, re.S)
    assert match, f"no answer labelled {label!r}"
    return match.group(1)


@pytest.fixture
def finnish_version(cohort):
    """An application submitted from the Finnish pages, with two themes and a lawyer."""
    owner = UserFactory(language="fi")
    application = ApplicationFactory(cohort=cohort, created_by=owner, org_name="Testilä")
    fill_complete(application)
    application.themes.set(Theme.objects.filter(cohort=cohort).order_by("order")[:2])
    TeamMember.objects.create(
        application=application, name="Lea Lakimies", title="lakimies", role=TeamRole.LAWYER
    )
    with translation.override("fi"):
        v = services.application_submit(
            application=application,
            actor=owner,
            at=clock.now(),
            submit_token="words-1",
            consent=True,
        )
        return v


@pytest.fixture
def swedish_coordinator_client(db):
    return in_language(client_for(staff("sigrid@example.org", Role.COORDINATOR, "sv")), "sv")


def test_the_snapshot_keeps_each_field_and_its_raw_value(finnish_version):
    rows = {row.get("field"): row for s in finnish_version.data["sections"] for row in s["rows"]}
    themes = list(Theme.objects.filter(cohort=finnish_version.application.cohort)[:2])
    assert finnish_version.data["language"] == "fi"
    assert rows["org_type"] == {
        "field": "org_type",
        "kind": "choice",
        "label": "Organisaation tyyppi",
        "raw": "municipality",
        "value": "Kunta",
    }
    assert rows["themes"]["raw"] == [t.pk for t in themes]
    assert rows["took_keino_academy"]["raw"] is True
    assert rows["pilot_value"]["raw"] == "100000.00"
    assert rows["motivation"] == {
        "field": "motivation",
        "kind": "text",
        "label": "Miksi organisaatiosi hakee mukaan?",
        "value": "Haluamme kehittää.",
    }
    team = [r for s in finnish_version.data["sections"] for r in s["rows"] if r["kind"] == "role"]
    assert [(r["raw"], r["label"]) for r in team] == [
        ("line_of_business", "Toimialan substanssiasiantuntija"),
        ("procurement", "Hankinta-asiantuntija"),
        ("lawyer", "Juristi"),
    ]


def test_a_swedish_coordinator_reads_a_finnish_snapshot_in_swedish(
    finnish_version, swedish_coordinator_client
):
    page = swedish_coordinator_client.get(
        reverse("staff:application", args=[finnish_version.application_id])
    )
    html = answers_html(page)
    assert '<div lang="fi">' not in html  # no longer all in Finnish
    assert '<h3 class="h5" id="section-organisation">Organisation</h3>' in html
    assert '<h3 class="h5" id="section-track">Spår och teman</h3>' in html
    assert answer(html, "Organisationstyp") == "Kommun"
    assert answer(html, "Spår") == "Sysselsättning genom upphandling"
    assert answer(html, "Övriga teman") == (
        "Tillgänglighet, Etiska produktionskedjor och rättvis handel"
    )
    assert answer(html, "Vi deltog i KEINO-akademin") == "Ja"
    assert answer(html, "Vi deltog i TOIMI-projektet") == "Nej"
    assert answer(html, "Är social hållbarhet ett strategiskt mål för er organisation?") == (
        "Ja, det är ett strategiskt mål"
    )
    assert answer(html, "Uppskattat värde (euro, moms 0 %)") == "100\xa0000"
    assert answer(html, "Jurist") == '<span lang="fi">Lea Lakimies, lakimies</span>'
    # What the applicant typed stays as typed, marked as Finnish.
    assert answer(html, "Varför ansöker er organisation?") == (
        '<span lang="fi">Haluamme kehittää.</span>'
    )
    # Addresses and numbers are in no language: not marked.
    assert answer(html, "Ledningsrepresentantens e-post") == "johto@example.org"
    for finnish in ("Organisaation tyyppi", "Kunta", "Kyllä", "Juristi<", "Malli ja teemat"):
        assert finnish not in html


def test_an_english_reader_gets_english_words_and_numbers(finnish_version):
    with translation.override("en"):
        snapshot = snapshot_for_reader(finnish_version.data, html=False)
    rows = {row["label"]: row["value"] for s in snapshot["sections"] for row in s["rows"]}
    assert rows["Organisation type"] == "Municipality"
    assert rows["Estimated value (EUR, VAT 0 %)"] == "100,000"
    assert rows["Other themes"] == "Accessibility, Ethical production chains and fair trade"
    assert rows["Lawyer"] == "Lea Lakimies, lakimies"
    assert [s["title"] for s in snapshot["sections"]][:2] == ["Organisation", "Contact person"]


def test_the_finnish_reader_sees_the_snapshot_unmarked(finnish_version, coordinator_client):
    page = coordinator_client.get(
        reverse("staff:application", args=[finnish_version.application_id])
    )
    html = answers_html(page)
    assert 'lang="' not in html
    assert answer(html, "Organisaation tyyppi") == "Kunta"
    assert answer(html, "Miksi organisaatiosi hakee mukaan?") == "Haluamme kehittää."


def test_what_can_no_longer_be_worded_again_is_shown_as_stored_and_marked(finnish_version):
    data = finnish_version.data
    rows = {row.get("field"): row for s in data["sections"] for row in s["rows"]}
    rows["org_type"]["raw"] = "guild"  # a choice since removed
    Theme.objects.filter(pk=rows["themes"]["raw"][0]).delete()
    with translation.override("sv"):
        snapshot = snapshot_for_reader(data)
    shown = {str(r["label"]): str(r["value"]) for s in snapshot["sections"] for r in s["rows"]}
    assert shown["Organisationstyp"] == '<span lang="fi">Kunta</span>'
    assert shown["Övriga teman"] == (
        '<span lang="fi">Esteettömyys ja saavutettavuus, '
        "Eettiset tuotantoketjut ja reilu kauppa</span>"
    )


def test_an_old_snapshot_without_raw_values_is_shown_as_stored_marked_finnish(
    finnish_version, swedish_coordinator_client
):
    ApplicationVersion.objects.filter(pk=finnish_version.pk).update(data=OLD_SNAPSHOT)
    assert snapshot_for_reader(OLD_SNAPSHOT) is OLD_SNAPSHOT
    page = swedish_coordinator_client.get(
        reverse("staff:application", args=[finnish_version.application_id])
    )
    content = page.content.decode()
    assert re.search(
        r'<div lang="fi">\s*<section class="mb-3" aria-labelledby="section-organisation">\s*'
        r'<h3 class="h5" id="section-organisation">Organisaatio</h3>',
        content,
    )
    assert "<dt>Organisaation tyyppi</dt><dd>Kunta</dd>" in content


def test_the_receipt_page_and_mail_are_in_the_applicants_language(cohort):
    owner = UserFactory(language="sv")
    application = ApplicationFactory(cohort=cohort, created_by=owner, org_name="Testby")
    fill_complete(application)
    with translation.override("fi"):  # submitted from a Finnish page
        version = services.application_submit(
            application=application,
            actor=owner,
            at=clock.now(),
            submit_token="words-sv",
            consent=True,
        )
    mail = OutgoingEmail.objects.get(key=f"application-receipt:{version.pk}:{owner.email}")
    assert "Organisationstyp: Kommun" in mail.body_text
    assert "== Spår och teman ==" in mail.body_text
    assert "Varför ansöker er organisation?: Haluamme kehittää." in mail.body_text
    assert "Organisaation tyyppi" not in mail.body_text

    client = in_language(client_for(owner), "sv")
    page = client.get(reverse("applications:receipt", args=[application.pk, version.number]))
    html = answers_html(page)
    assert answer(html, "Organisationstyp") == "Kommun"


# --- the history -----------------------------------------------------------------------------


@pytest.fixture
def scored_by_a_finn(finnish_version):
    application = finnish_version.application
    finn = staff("kalle@example.org", language="fi")
    with translation.override("fi"):
        scored(application, finn, [3, 4, 2, 5])
    return application


def history_subjects(client, application) -> list[str]:
    content = client.get(reverse("staff:history", args=[application.pk])).content.decode()
    return re.findall(r"<td>(?:Poäng|Score|Pisteet): (.*?)</td>", content)


def test_the_history_names_criteria_in_the_readers_language(
    scored_by_a_finn, swedish_coordinator_client
):
    entries = ActivityEntry.objects.filter(action="review.scored")
    assert sorted(entries.values_list("subject", flat=True)) == sorted(
        ["Kehittämishalukkuus", "Johdon sitoutuminen", "Strateginen kiinnittyminen",
         "Monialainen tiimi"]
    )  # fmt: skip
    assert sorted(history_subjects(swedish_coordinator_client, scored_by_a_finn)) == sorted(
        ["Vilja att utveckla", "Ledningens engagemang", "Strategisk förankring",
         "Tvärsektoriellt team"]
    )  # fmt: skip


def test_older_entries_are_traced_through_their_score_and_fallbacks_are_marked(
    scored_by_a_finn, swedish_coordinator_client
):
    # As entries were written before they kept the criterion's id (the log refuses updates;
    # the plain queryset stands in for the data as it was).
    models.QuerySet(ActivityEntry).filter(action="review.scored").update(
        context={"cohort": scored_by_a_finn.cohort_id}
    )
    first = Score.objects.filter(review__application=scored_by_a_finn).order_by("criterion__order")
    criterion = first[0].criterion
    criterion.name_sv = ""
    criterion.save()
    subjects = history_subjects(swedish_coordinator_client, scored_by_a_finn)
    assert '<span lang="fi">Kehittämishalukkuus</span>' in subjects
    assert "Ledningens engagemang" in subjects
    assert len(subjects) == 4


def test_the_history_words_its_criteria_in_the_same_queries_for_one_or_many_scores(
    scored_by_a_finn, swedish_coordinator_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("staff:history", args=[scored_by_a_finn.pk])
    with CaptureQueriesContext(connection) as one:
        swedish_coordinator_client.get(url)
    for n in range(3):
        with translation.override("sv"):
            scored(scored_by_a_finn, staff(f"r{n}@example.org", language="sv"), [1, 2, 3, 4])
    with CaptureQueriesContext(connection) as many:
        subjects = history_subjects(swedish_coordinator_client, scored_by_a_finn)
    assert len(subjects) == 16
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_business_id_in_the_answers_keeps_its_hyphen_on_one_line(
    finnish_version, coordinator_client
):
    business_id = finnish_version.application.business_id
    assert business_id
    page = coordinator_client.get(
        reverse("staff:application", args=[finnish_version.application_id])
    )
    assert f'<dd class="business-id">{business_id}</dd>' in answers_html(page)
