"""Copy a cohort: the next one from the last one, dates moved to the new kick-off."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from cohorts.copying import shift
from cohorts.models import Cohort
from cohorts.services import CohortError, cohort_copy, cohort_copy_preview
from deliverables import services as deliverables
from deliverables.models import Assignment, ConductItem
from soske import clock
from soske.activity.models import ActivityEntry
from tests.factories import ApplicationFactory, CohortFactory
from workshops import programme
from workshops.models import Event, EventKind, Material

H = clock.HELSINKI


def test_a_moment_keeps_its_helsinki_wall_clock_time_across_summer_time():
    winter = datetime(2032, 3, 10, 10, 0, tzinfo=H)  # UTC+2
    moved = shift(winter, 21)  # 31.3.2032: summer time began on 28.3. (UTC+3)
    assert clock.helsinki(moved).replace(tzinfo=None) == datetime(2032, 3, 31, 10, 0)
    assert moved.utcoffset().total_seconds() == 3 * 3600
    assert (moved.astimezone(UTC) - winter.astimezone(UTC)).total_seconds() == 21 * 24 * 3600 - 3600
    assert shift(date(2032, 3, 10), 21) == date(2032, 3, 31)
    assert shift(None, 5) is None


@pytest.fixture
def source(db, coordinator):
    cohort = CohortFactory(
        name="Soske 2032",
        slug="soske-2032",
        call_opens_at=datetime(2031, 11, 10, 9, 0, tzinfo=H),
        deadline=datetime(2031, 12, 10, 16, 0, tzinfo=H),
        interviews_start=date(2031, 11, 16),
        interviews_end=date(2031, 12, 17),
        selection_date=date(2031, 12, 20),
        kickoff_date=date(2032, 1, 22),
        closing_date=date(2032, 4, 7),
        max_selected=5,
        retention_months=18,
        score_max=4,
        score_labels={"4": {"fi": "erinomainen", "sv": "utmärkt", "en": "excellent"}},
        pre_assignment_text="Tutustukaa materiaaliin.",
        pre_assignment_due=date(2032, 1, 15),
        decisions_released_at=datetime(2031, 12, 21, 12, 0, tzinfo=H),
        scoring_started_at=datetime(2031, 12, 18, 12, 0, tzinfo=H),
    )
    criterion = cohort.criteria.first()
    criterion.weight = Decimal("7.50")
    criterion.save()
    programme.programme_from_pattern(cohort=cohort, kickoff=cohort.kickoff_date, actor=coordinator)
    kickoff = cohort.events.get(kind=EventKind.KICKOFF)
    Material.objects.create(event=kickoff, title="Opas", url="https://example.org/opas",
                            added_by=coordinator, added_at=clock.now())  # fmt: skip
    deliverables.assignments_seed(cohort=cohort, actor=coordinator)
    ApplicationFactory(cohort=cohort)
    return cohort


def _copy(source, coordinator, kick_off=date(2033, 1, 20), **kw):
    return cohort_copy(source=source, kick_off=kick_off, actor=coordinator,
                       name="Soske 2033", slug="soske-2033", **kw)  # fmt: skip


def test_the_copy_takes_the_rules_texts_criteria_and_themes_but_no_people(source, coordinator):
    copy = _copy(source, coordinator)
    assert (copy.max_selected, copy.score_min, copy.score_max) == (5, 0, 4)
    assert copy.score_labels == source.score_labels
    assert copy.pre_assignment_text == "Tutustukaa materiaaliin."
    assert copy.retention_months == 18
    assert copy.scoring_started_at is None and copy.decisions_released_at is None
    assert [(c.key, c.weight, c.name_sv) for c in copy.criteria.all()] == [
        (c.key, c.weight, c.name_sv) for c in source.criteria.all()
    ]
    assert copy.criteria.first().weight == Decimal("7.50")
    assert [t.name_fi for t in copy.themes.all()] == [t.name_fi for t in source.themes.all()]
    assert Application.objects.filter(cohort=copy).count() == 0
    assert copy.teams.count() == 0


def test_every_date_moves_by_the_same_days_at_the_same_wall_clock_time(source, coordinator):
    copy = _copy(source, coordinator)  # 22.1.2032 -> 20.1.2033: 364 days
    assert copy.kickoff_date == date(2033, 1, 20)
    assert clock.helsinki(copy.call_opens_at).replace(tzinfo=None) == datetime(2032, 11, 8, 9, 0)
    assert clock.helsinki(copy.deadline).replace(tzinfo=None) == datetime(2032, 12, 8, 16, 0)
    assert copy.interviews_start == date(2032, 11, 14)
    assert copy.closing_date == date(2033, 4, 6)
    assert copy.pre_assignment_due == date(2033, 1, 13)
    old = list(source.events.order_by("starts_at").values_list("kind", "starts_at", "ends_at"))
    new = list(copy.events.order_by("starts_at").values_list("kind", "starts_at", "ends_at"))
    assert len(new) == len(old) == 6
    for (kind, starts, ends), (new_kind, new_starts, new_ends) in zip(old, new, strict=True):
        assert new_kind == kind
        assert clock.helsinki(new_starts).time() == clock.helsinki(starts).time()
        assert clock.helsinki(new_ends).time() == clock.helsinki(ends).time()
        assert (clock.helsinki(new_starts).date() - clock.helsinki(starts).date()).days == 364


def test_an_event_moved_across_the_start_of_summer_time_stays_at_ten(source, coordinator):
    """The kick-off moves 22.1.2032 -> 4.3.2032 (42 days); the workshop of 10.3. at 13.00
    (winter time) lands on 21.4. at 13.00 (summer time): the UTC moment is an hour earlier
    than a plain 42 × 24 hours."""
    workshop = source.events.get(kind=EventKind.WORKSHOP, starts_at__month=3)
    copy = _copy(source, coordinator, kick_off=date(2032, 3, 4),
                 call_opens_at=datetime(2031, 12, 1, 9, 0, tzinfo=H),
                 deadline=datetime(2032, 1, 10, 16, 0, tzinfo=H))  # fmt: skip
    moved = copy.events.get(kind=EventKind.WORKSHOP, starts_at__month=4)
    assert clock.helsinki(workshop.starts_at).utcoffset().total_seconds() == 2 * 3600
    assert clock.helsinki(moved.starts_at).utcoffset().total_seconds() == 3 * 3600
    assert clock.helsinki(moved.starts_at).time() == clock.helsinki(workshop.starts_at).time()
    assert (
        moved.starts_at.astimezone(UTC) - workshop.starts_at.astimezone(UTC)
    ).total_seconds() == 42 * 86400 - 3600


def test_the_programme_and_assignments_are_new_editable_rows(source, coordinator):
    copy = _copy(source, coordinator)
    events = list(copy.events.all())
    assert all(e.invited_at is None and e.sequence == 0 for e in events)
    assert not set(e.uid for e in events) & set(source.events.values_list("uid", flat=True))
    kickoff = copy.events.get(kind=EventKind.KICKOFF)
    assert list(kickoff.materials.values_list("title", "url")) == [
        ("Opas", "https://example.org/opas")
    ]
    old = {a.kind: a for a in source.assignments.all()}
    new = {a.kind: a for a in copy.assignments.all()}
    assert new.keys() == old.keys() and len(new) == 6
    for kind, assignment in new.items():
        assert assignment.title_fi == old[kind].title_fi
        assert assignment.worksheets == old[kind].worksheets
        assert clock.helsinki(assignment.due_at).time() == clock.helsinki(old[kind].due_at).time()
        if old[kind].event_id:
            assert assignment.event.cohort_id == copy.pk
            assert assignment.event.kind == old[kind].event.kind
    assert ConductItem.objects.filter(cohort=copy).count() == ConductItem.objects.filter(
        cohort=source, archived_at__isnull=True).count() > 0  # fmt: skip


def test_the_copy_is_logged(source, coordinator):
    copy = _copy(source, coordinator)
    entry = ActivityEntry.objects.get(action="cohort.copied")
    assert entry.after["source"] == source.pk
    assert entry.after["days"] == 364
    assert entry.after["copied"] == {"criteria": 4, "themes": 4, "events": 6, "assignments": 6}
    assert (entry.target_id, entry.scope_id, entry.actor) == (copy.pk, copy.pk, coordinator)


def test_a_source_without_kick_off_is_refused(db, coordinator):
    source = CohortFactory(kickoff_date=None)
    with pytest.raises(CohortError):
        cohort_copy_preview(source=source, kick_off=date(2033, 1, 20))
    assert Cohort.objects.count() == 1


def test_the_page_previews_then_creates(source, coordinator_client):
    url = reverse("cohorts:copy", args=[source.pk])
    data = {"name": "Soske 2033", "name_sv": "Soske 2033 (sv)", "slug": "soske-2033",
            "kickoff_date": "2033-01-20"}  # fmt: skip
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert not Cohort.objects.filter(slug="soske-2033").exists()
    page = response.content.decode()
    assert "22.1.2032 klo 9.00 → <strong>20.1.2033 klo 9.00</strong>" in page
    response = coordinator_client.post(url, {**data, "confirm": "1"})
    copy = Cohort.objects.get(slug="soske-2033")
    assert response["Location"] == reverse("cohorts:edit", args=[copy.pk])
    assert (copy.name, copy.name_sv, copy.name_en) == ("Soske 2033", "Soske 2033 (sv)", "")


def test_a_taken_slug_is_a_field_error_and_the_input_is_kept(source, coordinator_client):
    url = reverse("cohorts:copy", args=[source.pk])
    data = {"name": "Soske 2033", "slug": "soske-2032", "kickoff_date": "2033-01-20",
            "confirm": "1"}  # fmt: skip
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Toisella toteutuskerralla on jo tämä lyhyt nimi."
    ]
    assert response.context["form"]["name"].value() == "Soske 2033"
    assert Cohort.objects.count() == 1
    assert Event.objects.count() == 6 and Assignment.objects.count() == 6


def test_the_copys_events_and_assignments_open_in_their_edit_pages(source, coordinator_client):
    copy = _copy(source, _coordinator(coordinator_client))
    kickoff = copy.events.get(kind=EventKind.KICKOFF)
    page = coordinator_client.get(reverse("programme_staff:event", args=[kickoff.pk]))
    assert page.status_code == 200
    assert page.context["form"].instance == kickoff
    assignment = copy.assignments.first()
    page = coordinator_client.get(reverse("deliverables_staff:assignment", args=[assignment.pk]))
    assert page.status_code == 200
    assert page.context["form"].instance == assignment
    page = coordinator_client.get(reverse("cohorts:edit", args=[copy.pk]))
    assert page.context["form"].instance == copy


def _coordinator(client):
    from soske.users.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


def test_the_preview_shows_the_call_dates_given_and_bad_ones_are_refused(
    source, coordinator_client
):
    url = reverse("cohorts:copy", args=[source.pk])
    data = {"name": "Soske 2033", "slug": "soske-2033", "kickoff_date": "2033-01-20",
            "call_opens_at": "2032-10-01T09:00", "deadline": "2032-11-30T16:00"}  # fmt: skip
    page = coordinator_client.post(url, data).content.decode()
    assert "10.11.2031 klo 9.00 → <strong>1.10.2032 klo 9.00</strong>" in page
    assert "10.12.2031 klo 16.00 → <strong>30.11.2032 klo 16.00</strong>" in page
    response = coordinator_client.post(
        url, {**data, "deadline": "2032-09-01T16:00", "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Hakuajan on päätyttävä myöhemmin kuin se alkaa."
    ]
    assert not Cohort.objects.filter(slug="soske-2033").exists()


def test_the_page_of_a_source_without_kick_off_refuses_with_a_message(db, coordinator_client):
    source = CohortFactory(kickoff_date=None)
    url = reverse("cohorts:copy", args=[source.pk])
    response = coordinator_client.post(
        url, {"name": "X", "slug": "x-2033", "kickoff_date": "2033-01-20", "confirm": "1"}
    )
    assert response.status_code == 200
    assert len(response.context["form"].non_field_errors()) == 1
    assert response.context["sections"] is None
    assert Cohort.objects.count() == 1


def test_the_apps_register_their_copiers_in_order():
    from cohorts.copying import registered

    assert [c.key for c in registered()] == ["events", "assignments"]
