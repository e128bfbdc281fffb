"""The selection: the ranking board, private marks, the release, the record and the export.

At most `max_selected` (6) organisations are marked selected. Marks stay private until a
coordinator releases them in one confirmed action: the selected get the invitation with
the kick-off date and the pre-assignment, the reserve a notice, the others a courteous
decision with the feedback written for them, each in their own language and only once.
"""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from applications import selection
from applications.models import (
    Decision,
    Interview,
    InterviewSlot,
    Mark,
    Review,
    Score,
)
from cohorts.models import OrganisationType, Track
from soske import clock
from soske.activity.models import ActivityEntry
from soske.exports.models import Export
from soske.mail.models import OutgoingEmail
from soske.users.models import Role
from tests.conftest import _person, client_for
from tests.exports import exported
from tests.factories import CohortFactory, UserFactory, close_call
from tests.soske.test_integration_smtp import smtp_server  # noqa: F401 - a fixture

from .test_scoring import (
    assigned,
    bulk_applications,
    messages_of,
    scored,
    staff,
    submitted_application,
)

KICKOFF = date(2032, 1, 20)
DUE = date(2032, 1, 12)
PRE_ASSIGNMENT = "Valitkaa yksi tuleva hankinta ja kuvatkaa sen tavoitteet."
FULL = (
    "6 organisations are already selected, the most this cohort takes. "
    "Mark one of them reserve or not selected first."
)


@pytest.fixture
def cohort(db):
    return CohortFactory(
        name="Soske 2032",
        kickoff_date=KICKOFF,
        pre_assignment_text=PRE_ASSIGNMENT,
        pre_assignment_due=DUE,
    )


@pytest.fixture
def coord(db):
    return staff("claes.coordinator@example.org", Role.COORDINATOR)


@pytest.fixture
def coord_client(coord):
    return client_for(coord)


def mark(application, value, actor, feedback=""):
    return selection.decision_mark(
        application=application, mark=value, feedback=feedback, actor=actor
    )


def decision_mails(**filters):
    return OutgoingEmail.objects.filter(key__startswith="decision:", **filters)


def mails_per_recipient():
    counts = {}
    for to in decision_mails().values_list("to", flat=True):
        counts[to] = counts.get(to, 0) + 1
    return counts


def without_hidden_inputs(page):
    """A page without its one-time tokens (CSRF, submit token)."""
    return re.sub(r"<input[^>]*type=\"hidden\"[^>]*>", "", page.content.decode())


@pytest.fixture
def closed(cohort, three):
    """The call of `cohort` closed after `three` were submitted: decisions may be released."""
    return close_call(cohort)


@pytest.fixture
def three(cohort):
    """A Finnish, a Swedish and an English-speaking applicant's submitted applications; the
    manager of each is johto.<language>@example.org (the decision reaches them too)."""
    applications = {
        language: submitted_application(
            cohort,
            org_name=name,
            owner=_person(f"{language}@example.org", Role.APPLICANT, language),
        )
        for language, name in (("fi", "Ahvenala"), ("sv", "Björkby"), ("en", "Cedarton"))
    }
    for language, application in applications.items():
        application.manager_email = f"johto.{language}@example.org"
        application.save(update_fields=["manager_email"])
    return applications


# --- marks -----------------------------------------------------------------------------------


def test_marks_and_scores_are_invisible_to_the_applicant(cohort, coord, three):
    application = three["fi"]
    applicant = application.created_by
    client = client_for(applicant)
    pages = [
        reverse("applications:mine"),
        reverse("applications:review", args=[application.pk]),
        reverse("applications:receipt", args=[application.pk, 1]),
    ]
    before = [without_hidden_inputs(client.get(url)) for url in pages]

    scored(application, staff("r@example.org"), [5, 4, 3, 2], justification="SALAINEN-PERUSTELU")
    mark(application, Mark.SELECTED, coord, feedback="SALAINEN-PALAUTE")

    after = [without_hidden_inputs(client.get(url)) for url in pages]
    assert after == before
    assert not decision_mails().exists()
    for page in after:
        assert "SALAINEN" not in page


def test_a_mark_is_recorded_and_can_be_changed(cohort, coord, coord_client, three):
    application = three["fi"]
    url = reverse("staff:mark", args=[application.pk])
    prefix = f"a{application.pk}"
    with clock.travel(clock.now()) as moment:
        response = coord_client.post(
            url, {f"{prefix}-mark": Mark.RESERVE, f"{prefix}-feedback": " Hyvä hakemus. "}
        )
    assert response["Location"] == (
        reverse("staff:ranking", args=[cohort.pk]) + f"#row-{application.pk}"
    )
    assert messages_of(coord_client.get(response["Location"])) == ["Ahvenala: Reserve."]
    decision = Decision.objects.get()
    assert (decision.mark, decision.feedback, decision.marked_by, decision.marked_at) == (
        Mark.RESERVE,
        "Hyvä hakemus.",
        coord,
        moment,
    )
    assert decision.released_mark == ""

    response = coord_client.post(url, {f"{prefix}-mark": "accepted"}, follow=True)
    assert messages_of(response) == ["Choose a decision."]
    assert Decision.objects.get().mark == Mark.RESERVE

    response = coord_client.post(url, {f"{prefix}-mark": Mark.NOT_SELECTED}, follow=True)
    assert messages_of(response) == ["Ahvenala: Not selected."]
    assert Decision.objects.get().mark == Mark.NOT_SELECTED
    assert Decision.objects.get().feedback == ""


def test_the_seventh_selected_is_refused_with_a_clear_message(cohort, coord, coord_client):
    applications = [submitted_application(cohort, org_name=f"Kunta {i}") for i in range(7)]
    for application in applications[:6]:
        mark(application, Mark.SELECTED, coord)
    seventh = applications[6]
    prefix = f"a{seventh.pk}"

    response = coord_client.post(
        reverse("staff:mark", args=[seventh.pk]), {f"{prefix}-mark": Mark.SELECTED}, follow=True
    )
    assert messages_of(response) == [FULL]
    assert FULL in response.content.decode()
    assert not Decision.objects.filter(application=seventh).exists()
    assert Decision.objects.filter(mark=Mark.SELECTED).count() == 6
    with pytest.raises(selection.SelectionError) as refused, translation.override("en"):
        mark(seventh, Mark.SELECTED, coord)
    assert (refused.value.code, refused.value.message) == ("full", FULL)

    # The seventh can be marked something else; a selected one can change its feedback.
    mark(seventh, Mark.RESERVE, coord)
    mark(applications[0], Mark.SELECTED, coord, feedback="Tervetuloa")
    with pytest.raises(selection.SelectionError):
        mark(seventh, Mark.SELECTED, coord)
    # Once one of the six steps down, the seventh fits.
    mark(applications[5], Mark.RESERVE, coord)
    mark(seventh, Mark.SELECTED, coord)
    assert Decision.objects.filter(mark=Mark.SELECTED).count() == 6


def test_a_cohort_with_fewer_places_counts_its_own(coord):
    small = CohortFactory(max_selected=1)
    other = CohortFactory()
    first, second = (submitted_application(small, org_name=n) for n in ("Eka", "Toka"))
    mark(submitted_application(other, org_name="Muu"), Mark.SELECTED, coord)
    mark(first, Mark.SELECTED, coord)
    with pytest.raises(selection.SelectionError) as refused, translation.override("en"):
        mark(second, Mark.SELECTED, coord)
    assert refused.value.message == (
        "1 organisation is already selected, the most this cohort takes. "
        "Mark it reserve or not selected first."
    )


def test_a_draft_or_withdrawn_application_cannot_be_marked(cohort, coord, coord_client, applicant):
    from tests.factories import ApplicationFactory

    draft = ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)
    response = coord_client.post(
        reverse("staff:mark", args=[draft.pk]), {f"a{draft.pk}-mark": Mark.SELECTED}
    )
    assert response.status_code == 404
    with pytest.raises(selection.SelectionError):
        mark(draft, Mark.SELECTED, coord)
    assert not Decision.objects.exists()


# --- the ranking board ------------------------------------------------------------------------


def _interview(application, outcome):
    slot = InterviewSlot.objects.create(
        cohort=application.cohort, starts_at=clock.now() - timedelta(days=1), created_at=clock.now()
    )
    return Interview.objects.create(
        application=application,
        slot=slot,
        booked_by=application.created_by,
        booked_at=clock.now() - timedelta(days=3),
        outcome=outcome,
    )


def test_the_board_ranks_by_weighted_total_with_breakdown_and_mix(cohort, coord, coord_client):
    reviewers = [staff(f"r{i}@example.org") for i in range(2)]
    low = submitted_application(
        cohort, org_name="Alhola", track=Track.HUMAN_RIGHTS, org_type=OrganisationType.STATE_AGENCY
    )
    high = submitted_application(cohort, org_name="Ylälä")
    unscored = submitted_application(cohort, org_name="Aapola")
    scored(high, reviewers[0], [5, 5, 5, 5])  # 100
    scored(high, reviewers[1], [5, 4, 3, 2])  # 80
    scored(low, reviewers[0], [2, 2, 2, 2])  # 40
    scored(low, reviewers[1], [3, 3, 3, 3], submit=False)  # a draft: not counted
    _interview(high, "Vakuuttava haastattelu")
    mark(high, Mark.SELECTED, coord)
    mark(low, Mark.SELECTED, coord)
    mark(unscored, Mark.NOT_SELECTED, coord)

    response = coord_client.get(reverse("staff:ranking", args=[cohort.pk]))
    rows = response.context["rows"]
    assert [r["application"] for r in rows] == [high, low, unscored]
    assert [(r["mean"], r["spread"], r["reviews"]) for r in rows] == [
        (Decimal("90.0"), Decimal("20.0"), 2),
        (Decimal("40.0"), Decimal("0.0"), 1),
        (None, Decimal("0.0"), 0),
    ]
    assert [value for _c, value, _fraction in rows[0]["bars"]] == [100, 90, 80, 70]
    assert [value for _c, value, _fraction in rows[2]["bars"]] == [None] * 4
    # The meters hold the same values in 0–1, written short (no max="100" on 800 of them).
    assert [f for _c, _v, f in rows[0]["bars"]] == ["1", ".90", ".80", ".70"]
    assert [f for _c, _v, f in rows[2]["bars"]] == ["0"] * 4
    page = response.content.decode()
    assert '<meter value=".90"></meter> 90<' in page and 'max="100"' not in page
    assert rows[0]["interview"].outcome == "Vakuuttava haastattelu"
    assert rows[1]["interview"] is None
    assert response.context["selected_count"] == 2
    assert response.context["mix_track"] == [
        ("Employment through procurement", 1),
        ("Human rights and fundamental labour rights", 1),
    ]
    assert response.context["mix_type"] == [("Municipality", 1), ("State agency", 1)]

    content = response.content.decode()
    assert "Marked selected: 2 of at most 6" in content
    assert "Vakuuttava haastattelu" in content
    assert "Human rights and fundamental labour rights · State agency" in content
    assert "spread 20.0" in content
    assert content.index("Ylälä") < content.index("Alhola") < content.index("Aapola")


def test_the_board_ranks_by_the_exact_mean_not_the_rounded_one(coord):
    """71.333… and 71.25 both show as 71.3, but the higher one ranks first."""
    cohort = CohortFactory(score_min=0, score_max=10)  # a review's total is 4a + 3b + 2c + d
    reviewers = [staff(f"r{i}@example.org") for i in range(4)]
    lower = submitted_application(cohort, org_name="Aaltola")
    higher = submitted_application(cohort, org_name="Bertila")
    for reviewer, scores in zip(reviewers, [[10, 10, 0, 1]] * 3 + [[10, 10, 1, 0]]):
        scored(lower, reviewer, scores)  # 71, 71, 71, 72: 71.25
    for reviewer, scores in zip(reviewers, [[10, 10, 0, 1]] * 2 + [[10, 10, 1, 0]]):
        scored(higher, reviewer, scores)  # 71, 71, 72: 71.333…
    rows = client_for(coord).get(reverse("staff:ranking", args=[cohort.pk])).context["rows"]
    assert [(r["application"], r["mean"]) for r in rows] == [
        (higher, Decimal("71.3")),
        (lower, Decimal("71.3")),
    ]


def _bulk_scored_world(cohort, owner, reviewers, count, start, coordinator):
    applications = bulk_applications(cohort, owner, count, start=start)
    criteria = list(cohort.criteria.all())
    reviews = Review.objects.bulk_create(
        [
            Review(
                application=a,
                reviewer=r,
                state=Review.State.SUBMITTED if (a.pk + i) % 4 else Review.State.DRAFT,
                updated_at=clock.now(),
                submitted_at=clock.now(),
            )
            for a in applications
            for i, r in enumerate(reviewers)
        ]
    )
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=c, value=(review.pk + j) % 6, justification="x")
            for review in reviews
            for j, c in enumerate(criteria)
        ]
    )
    Decision.objects.bulk_create(
        [
            Decision(
                application=a,
                cohort=cohort,
                mark=[Mark.RESERVE, Mark.NOT_SELECTED, Mark.SELECTED][a.pk % 3],
                marked_by=coordinator,
                marked_at=clock.now(),
            )
            for a in applications[::2]
        ]
    )
    for a in applications[::5]:
        _interview(a, f"Tulos {a.pk}")
    return applications


def test_ranking_queries_do_not_grow_with_applications(cohort, applicant, coord, coord_client):
    reviewers = [staff(f"arvioija{i}@example.org") for i in range(3)]
    url = reverse("staff:ranking", args=[cohort.pk])
    _bulk_scored_world(cohort, applicant, reviewers, 10, 0, coord)
    coord_client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = coord_client.get(url)
    assert len(response.context["rows"]) == 10

    _bulk_scored_world(cohort, applicant, reviewers, 190, 10, coord)
    with CaptureQueriesContext(connection) as many:
        response = coord_client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 200
    assert response.content.decode().count('id="row-') == 200
    assert sum(r["interview"] is not None for r in rows) == 2 + 38
    means = [r["mean"] for r in rows if r["mean"] is not None]
    assert means == sorted(means, reverse=True)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- the release -----------------------------------------------------------------------------


def test_release_needs_every_application_marked(cohort, coord, coord_client, three, closed):
    mark(three["fi"], Mark.SELECTED, coord)
    url = reverse("staff:release", args=[cohort.pk])
    page = coord_client.get(url)
    assert [a.org_name for a in page.context["unmarked"]] == ["Björkby", "Cedarton"]
    assert "Release and send" not in page.content.decode()

    response = coord_client.post(url, {"confirm": "yes"})
    assert response.status_code == 200
    assert messages_of(response) == [
        "Mark every submitted application first. Unmarked: Björkby, Cedarton."
    ]
    assert not decision_mails().exists()
    assert Decision.objects.get().released_mark == ""


def test_release_is_one_confirmed_action(cohort, coord, coord_client, three, closed):
    for application in three.values():
        mark(application, Mark.RESERVE, coord)
    url = reverse("staff:release", args=[cohort.pk])
    response = coord_client.post(url, {})
    assert response.status_code == 200
    assert not decision_mails().exists()
    assert 'data-confirm="Send these decisions now? This cannot be undone."' in (
        response.content.decode()
    )

    response = coord_client.post(url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:ranking", args=[cohort.pk])
    assert messages_of(response) == ["3 decisions were sent."]
    assert mails_per_recipient() == {
        "fi@example.org": 1,
        "sv@example.org": 1,
        "en@example.org": 1,
        "johto.fi@example.org": 1,
        "johto.sv@example.org": 1,
        "johto.en@example.org": 1,
    }


def test_coordinators_preview_every_message_in_the_recipients_language(
    cohort, coord, coord_client, three
):
    mark(three["fi"], Mark.SELECTED, coord)
    mark(three["sv"], Mark.NOT_SELECTED, coord, feedback="Stärk ledningens engagemang.")
    mark(three["en"], Mark.RESERVE, coord)
    page = coord_client.get(reverse("staff:release", args=[cohort.pk]))
    previews = {p["to"]: p for p in page.context["previews"]}
    assert {to: (p["language"], p["decision"].mark) for to, p in previews.items()} == {
        "fi@example.org": ("fi", Mark.SELECTED),
        "sv@example.org": ("sv", Mark.NOT_SELECTED),
        "en@example.org": ("en", Mark.RESERVE),
    }
    assert previews["fi@example.org"]["subject"] == "Tervetuloa Soske-akatemiaan: Soske 2032"
    assert previews["sv@example.org"]["subject"] == (
        "Soske-akademin: beslut om din ansökan (Soske 2032)"
    )
    assert previews["en@example.org"]["subject"] == (
        "Soske academy: your application is on the reserve list (Soske 2032)"
    )
    content = page.content.decode()
    for preview in previews.values():
        assert preview["subject"] in content
        for line in preview["body"].splitlines():
            if line.strip():
                assert line.replace("'", "&#x27;") in content or line in content
    assert "Releasing sends 3 messages." in content
    assert not decision_mails().exists()  # a preview sends nothing


def test_decision_mails_say_what_each_applicant_needs(cohort, coord, three, closed):
    mark(three["fi"], Mark.SELECTED, coord, feedback="Tervetuloa mukaan!")
    mark(three["sv"], Mark.NOT_SELECTED, coord, feedback="Stärk ledningens engagemang.")
    mark(three["en"], Mark.RESERVE, coord)
    assert selection.release(cohort=cohort, actor=coord) == 3

    selected = decision_mails().get(to="fi@example.org")
    assert (selected.language, selected.subject) == (
        "fi",
        "Tervetuloa Soske-akatemiaan: Soske 2032",
    )
    assert "Onnittelut: Ahvenala on valittu mukaan ohjelmaan Soske 2032." in selected.body_text
    assert "20.1.2032" in selected.body_text  # the kick-off
    assert PRE_ASSIGNMENT in selected.body_text
    assert "12.1.2032" in selected.body_text  # the pre-assignment's due date
    assert "Tervetuloa mukaan!" in selected.body_text
    assert "http://" in selected.body_text and "/team/" in selected.body_text

    declined = decision_mails().get(to="sv@example.org")
    assert (declined.language, declined.subject) == (
        "sv",
        "Soske-akademin: beslut om din ansökan (Soske 2032)",
    )
    assert "Tack för ansökan från Björkby." in declined.body_text
    assert "Återkoppling från urvalet:\nStärk ledningens engagemang." in declined.body_text
    assert PRE_ASSIGNMENT not in declined.body_text

    reserve = decision_mails().get(to="en@example.org")
    assert reserve.language == "en"
    assert "Cedarton is on the reserve list of Soske 2032" in reserve.body_text
    assert PRE_ASSIGNMENT not in reserve.body_text


def test_a_decision_without_feedback_has_no_feedback_heading(cohort, coord, three, closed):
    for application in three.values():
        mark(application, Mark.NOT_SELECTED, coord)
    selection.release(cohort=cohort, actor=coord)
    declined = decision_mails().get(to="en@example.org")
    assert "this time your organisation was not selected" in declined.body_text
    assert "Feedback" not in declined.body_text


def test_releasing_twice_sends_nothing_twice(
    cohort, coord, coord_client, three, closed, mailoutbox, django_capture_on_commit_callbacks
):
    mark(three["fi"], Mark.SELECTED, coord)
    mark(three["sv"], Mark.RESERVE, coord)
    mark(three["en"], Mark.NOT_SELECTED, coord)
    url = reverse("staff:release", args=[cohort.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coord_client.post(url, {"confirm": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        response = coord_client.post(url, {"confirm": "yes"}, follow=True)
    assert messages_of(response)[-1] == "0 decisions were sent."
    assert selection.release(cohort=cohort, actor=coord) == 0

    expected = {"fi@example.org": 1, "sv@example.org": 1, "en@example.org": 1}
    expected |= {f"johto.{language}@example.org": 1 for language in ("fi", "sv", "en")}
    assert mails_per_recipient() == expected
    subjects = set(decision_mails().values_list("subject", flat=True))
    delivered = [m.to[0] for m in mailoutbox if m.subject in subjects]
    assert sorted(delivered) == sorted(expected)
    assert "Nothing to send" in coord_client.get(url).content.decode()
    for decision in Decision.objects.all():
        assert decision.released_mark == decision.mark
        assert decision.release_count == 1


def test_a_later_change_sends_that_one_applicants_message_only(
    cohort, coord, coord_client, three, closed, mailoutbox, django_capture_on_commit_callbacks
):
    mark(three["fi"], Mark.SELECTED, coord)
    mark(three["sv"], Mark.RESERVE, coord)
    mark(three["en"], Mark.NOT_SELECTED, coord)
    with django_capture_on_commit_callbacks(execute=True):
        selection.release(cohort=cohort, actor=coord)
    first_round = len(mailoutbox)

    # A change back and forth before the release tells nobody anything.
    mark(three["en"], Mark.RESERVE, coord)
    mark(three["en"], Mark.NOT_SELECTED, coord)
    assert selection.pending_messages(cohort) == []

    # The reserve moves up: only that applicant hears of it.
    mark(three["sv"], Mark.SELECTED, coord, feedback="En plats blev ledig.")
    page = coord_client.get(reverse("staff:release", args=[cohort.pk]))
    assert [p["to"] for p in page.context["previews"]] == ["sv@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        assert selection.release(cohort=cohort, actor=coord) == 1

    assert mails_per_recipient() == {
        "fi@example.org": 1,
        "sv@example.org": 2,
        "en@example.org": 1,
        "johto.fi@example.org": 1,
        "johto.sv@example.org": 2,
        "johto.en@example.org": 1,
    }
    new = [m for m in mailoutbox[first_round:] if m.to == ["sv@example.org"]]
    (message,) = [m for m in new if m.subject.startswith("Välkommen")]
    assert "Grattis: Björkby har valts ut att delta i Soske 2032." in message.body
    assert "En plats blev ledig." in message.body
    assert {m.to[0] for m in mailoutbox[first_round:]} == {
        "sv@example.org",
        "johto.sv@example.org",
    }
    decision = Decision.objects.get(application=three["sv"])
    assert (decision.released_mark, decision.release_count) == (Mark.SELECTED, 2)


@pytest.mark.integration
def test_decision_mails_reach_the_smtp_server_in_each_language(
    smtp_server,  # noqa: F811 - the fixture imported above
    cohort,
    coord,
    three,
    closed,
    django_capture_on_commit_callbacks,
):
    mark(three["fi"], Mark.SELECTED, coord)
    mark(three["sv"], Mark.NOT_SELECTED, coord, feedback="Stärk ledningens engagemang.")
    mark(three["en"], Mark.RESERVE, coord)
    with django_capture_on_commit_callbacks(execute=True):
        selection.release(cohort=cohort, actor=coord)

    for row in decision_mails():
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutgoingEmail.Status.SENT, 1)

    (selected,) = smtp_server.to("fi@example.org", "Tervetuloa Soske-akatemiaan: Soske 2032")
    assert selected["Content-Language"] == "fi"
    body = selected.get_body(preferencelist=("plain",)).get_content()
    assert "Onnittelut: Ahvenala on valittu mukaan ohjelmaan Soske 2032." in body
    assert "Teidät kutsutaan yhteiseen aloitustilaisuuteen 20.1.2032." in body
    assert "Ennakkotehtävä (palautettava viimeistään 12.1.2032):" in body
    assert PRE_ASSIGNMENT in body

    (declined,) = smtp_server.to(
        "sv@example.org", "Soske-akademin: beslut om din ansökan (Soske 2032)"
    )
    assert declined["Content-Language"] == "sv"
    body = declined.get_body(preferencelist=("plain",)).get_content()
    assert "Återkoppling från urvalet:" in body
    assert "Stärk ledningens engagemang." in body
    assert "Congratulations" not in body and "Onnittelut" not in body

    (reserve,) = smtp_server.to(
        "en@example.org", "Soske academy: your application is on the reserve list (Soske 2032)"
    )
    assert reserve["Content-Language"] == "en"
    assert "reserve list" in reserve.get_body(preferencelist=("plain",)).get_content()


# --- the record ------------------------------------------------------------------------------


def test_every_change_is_on_the_record_and_the_history_lists_it(
    cohort, coord, coord_client, three, closed
):
    application = three["fi"]
    rita = staff("rita@example.org")
    olli = staff("olli@example.org")
    assigned(application, rita, by=coord)
    assigned(application, olli, conflict=True, explanation="Entinen esihenkilö", by=coord)
    scored(application, rita, [3, 3, 3, 3], justification="Alku")
    scored(application, rita, [4, 3, 3, 3], justification="Alku")
    mark(application, Mark.SELECTED, coord, feedback="Tervetuloa")
    mark(application, Mark.RESERVE, coord)
    for other in (three["sv"], three["en"]):
        mark(other, Mark.NOT_SELECTED, coord)
    selection.release(cohort=cohort, actor=coord)

    entries = ActivityEntry.objects.for_scope(application)
    by_action = {}
    for entry in entries:
        by_action.setdefault(entry.action, []).append(entry)
    assert sorted(by_action) == [
        "application.submitted",
        "decision.marked",
        "decision.released",
        "review.assigned",
        "review.conflict_declared",
        "review.scored",
        "review.submitted",
    ]
    conflict = [e for e in by_action["review.conflict_declared"] if e.actor == olli]
    assert conflict[0].after == {"conflict": True, "explanation": "Entinen esihenkilö"}
    change = [e for e in by_action["review.scored"] if e.before is not None]
    assert [(e.actor, e.before["score"], e.after["score"]) for e in change] == [(rita, 3, 4)]
    marks = sorted(by_action["decision.marked"], key=lambda e: e.pk)
    assert [(e.actor, e.before, e.after) for e in marks] == [
        (coord, None, {"mark": "selected", "feedback": "Tervetuloa"}),
        (
            coord,
            {"mark": "selected", "feedback": "Tervetuloa"},
            {"mark": "reserve", "feedback": ""},
        ),
    ]
    (release,) = by_action["decision.released"]
    assert (release.actor, release.before, release.after) == (
        coord,
        {"mark": None},
        {"mark": "reserve"},
    )
    assert all(e.at is not None and e.context["cohort"] == cohort.pk for e in entries)

    page = coord_client.get(reverse("staff:history", args=[application.pk]))
    assert list(page.context["entries"]) == list(entries)
    assert [e.pk for e in page.context["entries"]] == sorted(
        (e.pk for e in entries), reverse=True
    )  # newest first
    content = page.content.decode()
    for text in ("rita@example.org", "olli@example.org", coord.email, "Entinen esihenkilö"):
        assert text in content
    for entry in page.context["entries"]:
        assert f"<td>{getattr(entry, 'label', entry.action)}" in content
    # Only this application's record.
    assert not ActivityEntry.objects.for_scope(three["sv"]).filter(action="review.scored").exists()
    assert all(e.scope == application for e in page.context["entries"])


def test_nobody_can_edit_or_delete_the_record(cohort, coord, coord_client, three):
    application = three["fi"]
    scored(application, staff("rita@example.org"), [3, 3, 3, 3])
    mark(application, Mark.SELECTED, coord)
    snapshot = list(ActivityEntry.objects.values())
    url = reverse("staff:history", args=[application.pk])
    entry = ActivityEntry.objects.for_scope(application).first()

    for method in ("post", "put", "patch", "delete"):
        response = getattr(coord_client, method)(
            url, {"id": entry.pk, "action": "delete", "after": "{}"}
        )
        assert response.status_code in (200, 403, 405)
    assert list(ActivityEntry.objects.values()) == snapshot

    # No page of the project is about one entry: the history is read per application.
    from tests.soske.test_access import project_patterns

    routes = [route for route, name in project_patterns() if "history" in route or "audit" in route]
    assert routes == ["staff/applications/<int:pk>/history/"]

    # The Django admin only shows it, even to a superuser.
    model_admin = admin.site._registry[ActivityEntry]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    for other in admin.site._registry.values():
        assert all(inline.model is not ActivityEntry for inline in other.inlines)


def test_only_coordinators_read_the_history(cohort, coord, three, reviewer_client):
    url = reverse("staff:history", args=[three["fi"].pk])
    assert reviewer_client.get(url).status_code == 403
    assert client_for(three["fi"].created_by).get(url).status_code == 403


# --- who may open what ---------------------------------------------------------------------------


def test_applicants_get_403_or_404_on_every_scoring_and_selection_page(cohort, coord, three):
    application = three["fi"]
    applicant = application.created_by
    scored(application, staff("rita@example.org"), [3, 3, 3, 3])
    assigned(application, applicant, by=coord)  # even if someone assigned them by mistake
    mark(three["sv"], Mark.SELECTED, coord)
    pages = [
        reverse("staff:my_reviews"),
        reverse("staff:score", args=[application.pk]),
        reverse("staff:assignments", args=[cohort.pk]),
        reverse("staff:ranking", args=[cohort.pk]),
        reverse("staff:release", args=[cohort.pk]),
        reverse("staff:reviews_export", args=[cohort.pk]),
        reverse("staff:mark", args=[application.pk]),
        reverse("staff:history", args=[application.pk]),
    ]
    snapshot = (
        list(Decision.objects.values()),
        list(Score.objects.values()),
        list(ActivityEntry.objects.values()),
    )
    client = client_for(applicant)
    for url in pages:
        assert client.get(url).status_code in (403, 404), url
        response = client.post(
            url,
            {
                f"a{application.pk}-mark": Mark.SELECTED,
                "confirm": "yes",
                "action": "submit",
                "conflict": "no",
            },
        )
        assert response.status_code in (403, 404), url
    assert snapshot == (
        list(Decision.objects.values()),
        list(Score.objects.values()),
        list(ActivityEntry.objects.values()),
    )
    assert not decision_mails().exists()


# --- the export --------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_export_has_one_row_per_review_and_is_safe_in_a_spreadsheet(cohort, coord, three):
    rita, olli = staff("rita@example.org"), staff("olli@example.org")
    scored(
        three["fi"],
        rita,
        [5, 4, 3, 2],
        justification={
            "will_to_develop": '=HYPERLINK("http://evil.example/","Klikkaa")',
            "management_commitment": "+SUM(1,2)",
            "strategic_anchoring": "@SUM(A1:A2)",
            "multidisciplinary_team": "-1+1",
        },
    )
    scored(three["fi"], olli, [5, 5, 5, 5], justification="Erinomainen")
    scored(three["sv"], rita, [1, None, None, None], submit=False, justification="Kesken")
    mark(three["fi"], Mark.SELECTED, coord)
    mark(three["sv"], Mark.NOT_SELECTED, coord)

    response = exported(client_for(coord), reverse("staff:reviews_export", args=[cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{cohort.slug}-reviews-'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == (
        "Organisation",
        "Reviewer",
        "State",
        "Will to develop (4.00)",
        "Justification: Will to develop",
        "Management commitment (3.00)",
        "Justification: Management commitment",
        "Strategic anchoring (2.00)",
        "Justification: Strategic anchoring",
        "Multidisciplinary team (1.00)",
        "Justification: Multidisciplinary team",
        "Weighted total (0–100)",
        "Mean of the application",
        "Decision",
    )
    assert len(rows) == 3  # one per review, drafts included
    assert rows[0] == (
        "Ahvenala",
        "olli@example.org",
        "Submitted",
        5,
        "Erinomainen",
        5,
        "Erinomainen",
        5,
        "Erinomainen",
        5,
        "Erinomainen",
        100,
        90,
        "Selected",
    )
    assert rows[1] == (
        "Ahvenala",
        "rita@example.org",
        "Submitted",
        5,
        '\'=HYPERLINK("http://evil.example/","Klikkaa")',
        4,
        "'+SUM(1,2)",
        3,
        "'@SUM(A1:A2)",
        2,
        "'-1+1",
        80,
        90,
        "Selected",
    )
    assert rows[2] == (
        "Björkby",
        "rita@example.org",
        "Draft",
        1,
        "Kesken",
        None,
        "Kesken",
        None,
        "Kesken",
        None,
        "Kesken",
        None,
        None,
        "Not selected",
    )


def test_the_export_is_for_coordinators_only(cohort, three, reviewer_client):
    url = reverse("staff:reviews_export", args=[cohort.pk])
    for client in (reviewer_client, client_for(three["fi"].created_by), client_for(UserFactory())):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert not Export.objects.exists()


def test_a_coordinator_with_a_conflict_sees_no_scores_of_that_application(
    coordinator, coordinator_client, reviewer, db
):
    from django.urls import reverse as _reverse

    from applications import scoring, services
    from applications.models import ReviewAssignment
    from soske import clock
    from tests.factories import ApplicationFactory, CohortFactory

    cohort = CohortFactory()
    application = ApplicationFactory(cohort=cohort, complete=True)
    services.application_submit(
        application=application,
        actor=application.created_by,
        at=clock.now(),
        submit_token="c",
        consent=True,
    )
    scoring.assign(application=application, reviewers=[reviewer, coordinator], actor=coordinator)
    scoring.declare_conflict(
        assignment=ReviewAssignment.objects.get(application=application, reviewer=coordinator),
        conflict=True,
        explanation="Entinen työnantaja",
        actor=coordinator,
    )
    scoring.declare_conflict(
        assignment=ReviewAssignment.objects.get(application=application, reviewer=reviewer),
        conflict=False,
        explanation="",
        actor=reviewer,
    )
    criteria = list(cohort.criteria.all())
    scoring.review_save(
        application=application,
        reviewer=reviewer,
        values={c.pk: 5 for c in criteria},
        justifications={c.pk: "x" for c in criteria},
        submit=True,
    )
    board = coordinator_client.get(_reverse("staff:ranking", args=[cohort.pk]))
    row = board.context["rows"][0]
    assert row["conflicted"] is True
    assert row["mean"] is None
    assert row["reviews"] == 0
    history = coordinator_client.get(_reverse("staff:history", args=[application.pk]))
    assert history.status_code == 403
    export = exported(coordinator_client, _reverse("staff:reviews_export", args=[cohort.pk]))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.max_row == 1  # the header only


def test_a_withdrawn_application_gives_its_place_back(coordinator, db):
    from applications import selection, services
    from applications.models import Decision
    from soske import clock
    from tests.factories import ApplicationFactory, CohortFactory

    cohort = CohortFactory(max_selected=1)
    first = ApplicationFactory(cohort=cohort, complete=True)
    second = ApplicationFactory(cohort=cohort, complete=True)
    for i, application in enumerate((first, second)):
        services.application_submit(
            application=application,
            actor=application.created_by,
            at=clock.now(),
            submit_token=f"w{i}",
            consent=True,
        )
    selection.decision_mark(application=first, mark="selected", feedback="", actor=coordinator)
    services.application_withdraw(application=first, actor=first.created_by, at=clock.now())
    assert not Decision.objects.filter(application=first).exists()
    assert (
        ActivityEntry.objects.for_scope(first)
        .filter(action="decision.marked", after__isnull=True)
        .exists()
    )
    decision = selection.decision_mark(
        application=second, mark="selected", feedback="", actor=coordinator
    )
    assert decision.mark == "selected"


def test_a_criterion_named_like_a_formula_is_text_in_the_exports_header(cohort, coord, three):
    criterion = cohort.criteria.first()
    criterion.name_fi = criterion.name_en = criterion.name_sv = "=1+2"
    criterion.save()
    response = exported(client_for(coord), reverse("staff:reviews_export", args=[cohort.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell for cell in next(sheet.iter_rows(max_row=1))]
    assert all(cell.data_type != "f" for cell in header)
    assert header[3].value.startswith("'=1+2")


def test_the_export_makes_as_many_queries_for_one_review_as_for_many(cohort, coord, three):
    from django.db import connection

    url = reverse("staff:reviews_export", args=[cohort.pk])
    rita, olli = staff("rita@example.org"), staff("olli@example.org")
    scored(three["fi"], rita, [5, 4, 3, 2], justification="Hyvä")
    client = client_for(coord)
    with CaptureQueriesContext(connection) as one:
        assert exported(client, url).status_code == 200
    scored(three["fi"], olli, [5, 5, 5, 5], justification="Erinomainen")
    scored(three["sv"], rita, [1, 2, 3, 4], justification="Bra")
    scored(three["en"], olli, [2, 2, 2, None], submit=False, justification="Draft")
    mark(three["fi"], Mark.SELECTED, coord)
    with CaptureQueriesContext(connection) as many:
        response = exported(client, url)
    assert len(load_workbook(io.BytesIO(response.content)).active["A"]) == 5  # header + 4
    assert len(many) == len(one)


def test_the_exports_mean_is_the_boards_over_submitted_reviews_only(cohort, coord, three):
    """The export adds up the totals its own lines show (issue 13), not the board's rows: the
    two must still agree, and a draft's total is shown on its line but never counted."""
    rita, olli, sam = (staff(f"{n}@example.org") for n in ("rita", "olli", "sam"))
    scored(three["fi"], rita, [5, 4, 3, 2], justification="Hyvä")  # 80
    scored(three["fi"], olli, [1, 1, 1, 1], submit=False, justification="Kesken")  # 20
    scored(three["sv"], rita, [5, 5, 5, 4], justification="Bra")  # 98
    scored(three["sv"], olli, [5, 5, 5, 5], justification="Utmärkt")  # 100
    scored(three["sv"], sam, [5, 4, 3, 2], justification="Bra")  # 80

    client = client_for(coord)
    response = exported(client, reverse("staff:reviews_export", args=[cohort.pk]))
    _header, *rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    assert [(r[0], r[1], r[2], r[11], r[12]) for r in rows] == [
        ("Ahvenala", "olli@example.org", "Draft", 20, 80),
        ("Ahvenala", "rita@example.org", "Submitted", 80, 80),
        ("Björkby", "olli@example.org", "Submitted", 100, 92.7),
        ("Björkby", "rita@example.org", "Submitted", 98, 92.7),
        ("Björkby", "sam@example.org", "Submitted", 80, 92.7),
    ]
    board = client.get(reverse("staff:ranking", args=[cohort.pk])).context["rows"]
    means = {row["application"].org_name: row["mean"] for row in board}
    assert means == {"Ahvenala": Decimal("80.0"), "Björkby": Decimal("92.7"), "Cedarton": None}
