"""The coordinators' deliverables pages: the overview of assignments and the matrix of
teams × assignments, the seed's set, assignment new/edit/delete, reopening for one team,
reminders, the XLSX of the matrix, the annex builder's list and the peer phase."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cohorts.models import Track
from deliverables import services
from deliverables.models import Assignment, ConductItem, Kind, Reopening
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.conftest import client_for
from tests.deliverables.conftest import member, new_team
from tests.factories import CohortFactory
from tests.queries import page_tables
from workshops.models import Event


@pytest.fixture
def coordinator(coordinator):
    coordinator.language = "en"  # the pages and messages read in English
    coordinator.save(update_fields=["language"])
    return coordinator


@pytest.fixture
def client(coordinator):
    return client_for(coordinator)


def url(name, *args):
    return reverse(f"deliverables_staff:{name}", args=args)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def seeded(teams):
    return {
        a.kind: a for a in services.assignments_seed(cohort=teams.cohort, actor=teams.coordinator)
    }


def local(moment):
    return clock.helsinki(moment).strftime("%Y-%m-%dT%H:%M")


def assignment_data(cohort, **overrides):
    now = clock.helsinki(clock.now()).replace(second=0, microsecond=0)
    data = {
        "kind": Kind.OTHER,
        "audience": "employment",
        "title_fi": "Markkinavuoropuhelu",
        "title_sv": "Marknadsdialog",
        "title_en": "Market dialogue",
        "instructions_fi": "Kuvatkaa markkinavuoropuhelunne.",
        "instructions_sv": "",
        "instructions_en": "",
        "worksheets": ["answer"],
        "accepts_files": "on",
        "opens_at": local(now + timedelta(days=1)),
        "due_at": local(now + timedelta(days=10)),
        "cutoff_at": local(now + timedelta(days=12)),
        "event": "",
        "position": "3",
    }
    data.update(overrides)
    return data


# --- the overview ----------------------------------------------------------------------


def test_an_empty_cohort_offers_the_seeds_set(client, teams):
    response = client.get(url("overview", teams.cohort.pk))
    assert response.status_code == 200
    assert response.context["assignments"] == []
    body = response.content.decode()
    assert "No assignments yet" in body
    assert f'href="{url("seed", teams.cohort.pk)}">Give the standard set' in body


def test_the_seed_page_shows_what_will_be_created_and_the_post_creates_it(client, teams):
    response = client.get(url("seed", teams.cohort.pk))
    assert response.context["to_create"] == 6
    assert "Add 6 assignments" in response.content.decode()
    response = client.post(url("seed", teams.cohort.pk), follow=True)
    assert response.redirect_chain == [(url("overview", teams.cohort.pk), 302)]
    assert texts(response) == ["6 assignments were added. Check their dates and texts."]
    assert sorted(teams.cohort.assignments.values_list("kind", flat=True)) == sorted(
        [k for k in Kind.values if k != Kind.OTHER]
    )
    assert teams.cohort.conduct_items.count() == len(services.SEED_CONDUCT_ITEMS)


def test_repeating_the_seed_adds_only_the_missing_kinds_and_says_so(client, teams):
    seeded(teams)[Kind.MANAGEMENT].delete()
    response = client.get(url("seed", teams.cohort.pk))
    assert response.context["to_create"] == 1
    assert "The cohort has it already: left as it is" in response.content.decode()
    overview = client.get(url("overview", teams.cohort.pk)).content.decode()
    assert "Add what is missing of the standard set" in overview
    response = client.post(url("seed", teams.cohort.pk), follow=True)
    assert texts(response) == ["1 assignment was added. Check its dates and texts."]
    assert "Add what is missing of the standard set" not in response.content.decode()
    response = client.post(url("seed", teams.cohort.pk), follow=True)
    assert texts(response) == [
        "The cohort already has every assignment of the set: nothing was added."
    ]
    assert teams.cohort.assignments.count() == 6


def test_the_matrix_shows_each_team_per_assignment_with_links_to_its_work(client, teams):
    by_kind = seeded(teams)
    interim = by_kind[Kind.INTERIM_HUMAN_RIGHTS]
    pre = by_kind[Kind.PRE_ASSIGNMENT]
    services.assignment_update(
        assignment=pre, actor=teams.coordinator, opens_at=clock.now() - timedelta(days=1)
    )
    submission = services.submission_for(assignment=pre, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user, content={"answer": {"text": "x"}})
    response = client.get(url("overview", teams.cohort.pk))
    rows = response.context["rows"]
    # Sorted by organisation: "Oikeudet kaupunki" before "Työllistäjä kunta".
    assert [row.team for row in rows] == [teams.other_team, teams.team]
    cells = {c.assignment.kind: c.status for c in rows[1].cells}
    assert cells[Kind.PRE_ASSIGNMENT] == "draft"
    assert cells[Kind.INTERIM_HUMAN_RIGHTS] == "not_for_track"
    assert cells[Kind.INTERIM_EMPLOYMENT] == "not_started"
    body = response.content.decode()
    review = reverse("deliverables_review:submission", args=[teams.team.pk, pre.pk])
    assert f'<a href="{review}">' in body
    # The employment team has no link to the human-rights interim assignment.
    assert reverse("deliverables_review:submission", args=[teams.team.pk, interim.pk]) not in body
    counts = {i["assignment"].kind: i["counts"] for i in response.context["assignments"]}
    assert {c["status"]: c["n"] for c in counts[Kind.PRE_ASSIGNMENT]}["draft"] == 1


def test_the_matrix_filters_by_track_and_sorts_by_organisation(client, teams):
    seeded(teams)
    response = client.get(url("overview", teams.cohort.pk), {"track": Track.EMPLOYMENT})
    assert [row.team for row in response.context["rows"]] == [teams.team]
    kinds = [a.kind for a in response.context["matrix_assignments"]]
    assert Kind.INTERIM_HUMAN_RIGHTS not in kinds and Kind.INTERIM_EMPLOYMENT in kinds
    response = client.get(url("overview", teams.cohort.pk), {"sort": "-organisation"})
    assert [row.team for row in response.context["rows"]] == [teams.team, teams.other_team]
    assert 'aria-sort="descending"' in response.content.decode()
    # An unknown track shows both.
    response = client.get(url("overview", teams.cohort.pk), {"track": "nonsense"})
    assert len(response.context["rows"]) == 2


def test_a_reopened_cell_says_until_when(client, teams):
    pre = seeded(teams)[Kind.PRE_ASSIGNMENT]
    until = clock.now() + timedelta(days=40)
    services.reopen_for_team(assignment=pre, team=teams.team, until=until, actor=teams.coordinator)
    body = client.get(url("overview", teams.cohort.pk)).content.decode()
    local_until = clock.helsinki(until)
    assert f"reopened until {local_until.day} {local_until:%b %Y, %H:%M}" in body


def test_a_reviewer_reads_the_overview_without_the_coordinators_actions(reviewer_client, teams):
    pre = seeded(teams)[Kind.PRE_ASSIGNMENT]
    response = reviewer_client.get(url("overview", teams.cohort.pk))
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert url("remind", pre.pk) not in response.content.decode()
    assert reviewer_client.post(url("seed", teams.cohort.pk)).status_code == 403
    assert reviewer_client.post(url("remind", pre.pk)).status_code == 403


def _overview_queries(client, cohort):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("overview", cohort.pk))
    assert response.status_code == 200
    # The page's own reads, each once (the kinds for "what is missing of the standard set"
    # come from the assignments already read).
    assert page_tables(queries) == [
        '"cohorts_cohort"',
        '"deliverables_assignment"',
        '"cohorts_team"',
        '"deliverables_submission"',
        '"deliverables_reopening"',
    ]
    return len(queries)


def test_the_overview_query_count_does_not_grow_with_teams(client, coordinator):
    cohort = CohortFactory()
    services.assignment_create(
        cohort=cohort, actor=coordinator, title_fi="Tehtävä", worksheets=["answer"],
        opens_at=clock.now() - timedelta(hours=1),
        due_at=clock.now() + timedelta(days=3), cutoff_at=clock.now() + timedelta(days=4),
    )  # fmt: skip
    first = new_team(cohort, "Kunta 0", Track.EMPLOYMENT, "1000000-0")
    assignment = cohort.assignments.get()
    services.reopen_for_team(
        assignment=assignment, team=first, until=clock.now() + timedelta(days=9),
        actor=coordinator,
    )  # fmt: skip
    one = _overview_queries(client, cohort)
    for n in range(1, 8):
        team = new_team(cohort, f"Kunta {n}", Track.HUMAN_RIGHTS, f"100000{n}-0")
        submission = services.submission_for(assignment=assignment, team=team)
        services.draft_save(
            submission=submission, actor=coordinator, content={"answer": {"text": f"{n}"}}
        )
        if n % 2:
            services.submission_submit(submission=submission, actor=coordinator, token=f"t{n}")
        services.reopen_for_team(
            assignment=assignment, team=team, until=clock.now() + timedelta(days=9),
            actor=coordinator,
        )  # fmt: skip
    assert cohort.teams.count() == 8
    assert _overview_queries(client, cohort) == one


# --- assignments -----------------------------------------------------------------------


def test_a_new_assignment_is_saved_in_finnish_time(client, teams):
    event = teams.events[0]
    data = assignment_data(teams.cohort, event=str(event.pk), worksheets=["categories", "impact"])
    response = client.post(url("assignment_new", teams.cohort.pk), data, follow=True)
    assert response.redirect_chain == [(url("overview", teams.cohort.pk), 302)]
    assert texts(response) == ["The assignment was added."]
    assignment = Assignment.objects.get(title_fi="Markkinavuoropuhelu")
    assert assignment.cohort == teams.cohort
    assert assignment.worksheets == ["categories", "impact"]
    assert assignment.event == event
    assert assignment.audience == "employment"
    assert local(assignment.due_at) == data["due_at"]


def test_a_bad_assignment_is_refused_with_the_typed_text_kept(client, teams):
    data = assignment_data(
        teams.cohort, title_fi="Säilyvä otsikko", due_at=assignment_data(None)["opens_at"]
    )
    response = client.post(url("assignment_new", teams.cohort.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors["due_at"] == ["The due date must be after the opening."]
    body = response.content.decode()
    assert 'value="Säilyvä otsikko"' in body
    assert 'id="error-summary"' in body
    assert not Assignment.objects.filter(title_fi="Säilyvä otsikko").exists()


def test_the_event_choices_are_the_cohorts_live_events(client, teams, coordinator):
    other = CohortFactory()
    foreign = Event.objects.create(
        cohort=other, kind="workshop", title_fi="Vieras", starts_at=clock.now(),
        ends_at=clock.now() + timedelta(hours=2), created_at=clock.now(), updated_at=clock.now(),
    )  # fmt: skip
    cancelled = teams.events[1]
    cancelled.cancelled_at = clock.now()
    cancelled.save(update_fields=["cancelled_at"])
    response = client.get(url("assignment_new", teams.cohort.pk))
    choices = set(response.context["form"].fields["event"].queryset)
    assert choices == {e for e in teams.events if e.pk != cancelled.pk}
    data = assignment_data(teams.cohort, event=str(foreign.pk))
    response = client.post(url("assignment_new", teams.cohort.pk), data)
    assert "event" in response.context["form"].errors


def test_editing_keeps_what_was_typed_when_the_service_refuses(client, teams):
    world_assignment = services.assignment_create(
        cohort=teams.cohort, actor=teams.coordinator, title_fi="Vanha", worksheets=["answer"],
        opens_at=clock.now() - timedelta(days=1), due_at=clock.now() + timedelta(days=5),
        cutoff_at=clock.now() + timedelta(days=6),
    )  # fmt: skip
    submission = services.submission_for(assignment=world_assignment, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user, content={"answer": {"text": "a"}})
    services.submission_submit(submission=submission, actor=teams.user, token="t1")
    data = assignment_data(
        teams.cohort,
        title_fi="Uusi otsikko",
        worksheets=["categories"],
        audience="both",
        opens_at=local(world_assignment.opens_at),
        due_at=local(world_assignment.due_at),
        cutoff_at=local(world_assignment.cutoff_at),
    )
    response = client.post(url("assignment", world_assignment.pk), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Teams have submitted this assignment; its worksheets can no longer change."
    ]
    assert 'value="Uusi otsikko"' in response.content.decode()
    world_assignment.refresh_from_db()
    assert world_assignment.title_fi == "Vanha"
    # Without the worksheet change it saves.
    data["worksheets"] = ["answer"]
    response = client.post(url("assignment", world_assignment.pk), data, follow=True)
    assert texts(response) == ["The assignment was saved."]
    world_assignment.refresh_from_db()
    assert world_assignment.title_fi == "Uusi otsikko"


def test_delete_asks_first_and_removes_an_untouched_assignment(client, teams):
    pre = seeded(teams)[Kind.PRE_ASSIGNMENT]
    response = client.get(url("assignment_delete", pre.pk))
    assert "Removing it cannot be undone." in response.content.decode()
    assert Assignment.objects.filter(pk=pre.pk).exists()
    response = client.post(url("assignment_delete", pre.pk), follow=True)
    assert response.redirect_chain == [(url("overview", teams.cohort.pk), 302)]
    assert texts(response) == [f"The assignment “{pre.title}” was removed."]
    assert not Assignment.objects.filter(pk=pre.pk).exists()


def test_delete_is_refused_when_a_team_has_worked_on_it(client, teams):
    pre = seeded(teams)[Kind.PRE_ASSIGNMENT]
    services.assignment_update(
        assignment=pre, actor=teams.coordinator, opens_at=clock.now() - timedelta(days=1)
    )
    submission = services.submission_for(assignment=pre, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user, content={"answer": {"text": "x"}})
    response = client.get(url("assignment_delete", pre.pk))
    assert "Työllistäjä kunta" in response.content.decode()
    assert response.context["worked_on"] == ["Työllistäjä kunta"]
    response = client.post(url("assignment_delete", pre.pk), follow=True)
    assert response.redirect_chain == [(url("assignment", pre.pk), 302)]
    assert texts(response) == [
        "Teams have already worked on this assignment; it cannot be removed."
    ]
    assert Assignment.objects.filter(pk=pre.pk).exists()


# --- reopening -------------------------------------------------------------------------


def test_reopening_for_a_team_and_withdrawing_it(client, teams):
    interim = seeded(teams)[Kind.INTERIM_EMPLOYMENT]
    response = client.get(url("reopen", interim.pk))
    # Only the teams the assignment concerns are offered.
    assert list(response.context["form"].fields["team"].queryset) == [teams.team]
    week_after = clock.helsinki(interim.cutoff_at).date() + timedelta(days=7)
    assert f'value="{week_after:%Y-%m-%d}T16:00"' in response.content.decode()
    until = clock.helsinki(clock.now() + timedelta(days=60)).replace(second=0, microsecond=0)
    response = client.post(
        url("reopen", interim.pk),
        {"team": teams.team.pk, "until": local(until)},
        follow=True,
    )
    assert response.redirect_chain == [(url("reopen", interim.pk), 302)]
    reopening = Reopening.objects.get(assignment=interim, team=teams.team)
    assert reopening.until == until
    assert reopening.granted_by == teams.coordinator
    assert texts(response) == [
        f"Työllistäjä kunta can submit until {until.day} {until:%b %Y, %H:%M}."
    ]
    response = client.post(url("reopening_withdraw", reopening.pk), follow=True)
    assert texts(response) == ["The reopening for Työllistäjä kunta was withdrawn."]
    assert not Reopening.objects.filter(pk=reopening.pk).exists()


def test_reopening_into_the_past_or_for_another_track_is_refused(client, teams):
    interim = seeded(teams)[Kind.INTERIM_EMPLOYMENT]
    past = local(clock.now() - timedelta(days=1))
    response = client.post(url("reopen", interim.pk), {"team": teams.team.pk, "until": past})
    assert response.context["form"].non_field_errors() == ["Choose a moment in the future."]
    assert f'value="{past}"' in response.content.decode()
    response = client.post(
        url("reopen", interim.pk),
        {"team": teams.other_team.pk, "until": local(clock.now() + timedelta(days=3))},
    )
    assert "team" in response.context["form"].errors
    assert not Reopening.objects.exists()


# --- reminders -------------------------------------------------------------------------


def test_remind_lists_the_teams_and_mails_their_members_once_a_day(client, teams):
    interim = seeded(teams)[Kind.INTERIM_EMPLOYMENT]
    response = client.get(url("remind", interim.pk))
    assert response.context["teams"] == [teams.team]
    body = response.content.decode()
    assert "Remind 1 team" in body
    assert "until then the teams cannot work on it" in body  # it opens at the kick-off
    response = client.post(url("remind", interim.pk), follow=True)
    assert response.redirect_chain == [(url("overview", teams.cohort.pk), 302)]
    assert texts(response) == ["A reminder was sent to 2 people."]
    mails = OutgoingEmail.objects.filter(key__startswith=f"assignment-reminder:{interim.pk}:")
    assert sorted(mails.values_list("to", flat=True)) == sorted(
        [teams.tiina.email, teams.eero.email]
    )
    response = client.post(url("remind", interim.pk), follow=True)
    assert texts(response) == [
        "Nobody was reminded: every team has submitted or was already reminded today."
    ]
    assert mails.count() == 2


# --- the XLSX --------------------------------------------------------------------------


def test_the_xlsx_holds_the_matrix_in_the_users_language_with_safe_cells(client, teams):
    by_kind = seeded(teams)
    teams.other_team.organisation.name = "=HYPERLINK(1)"
    teams.other_team.organisation.save()
    response = client.get(url("overview_xlsx", teams.cohort.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="deliverables-{teams.cohort.slug}.xlsx"'
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    order = list(teams.cohort.assignments.order_by("due_at", "position", "id"))
    first_due = clock.helsinki(order[0].due_at)
    due = f"{first_due.day} {first_due:%b %Y}"
    assert rows[0][:3] == ["Organisation", "Track", f"{order[0].title} ({due})"]
    by_org = {row[0]: row for row in rows[1:]}
    assert set(by_org) == {"'=HYPERLINK(1)", "Työllistäjä kunta"}
    column = 2 + order.index(by_kind[Kind.INTERIM_HUMAN_RIGHTS])
    assert by_org["Työllistäjä kunta"][column] == "Not for this track"
    assert by_org["'=HYPERLINK(1)"][column] == "Not started"
    assert by_org["Työllistäjä kunta"][1] == "Employment through procurement"


def test_the_xlsx_speaks_finnish_to_a_finnish_coordinator(teams):
    seeded(teams)
    teams.coordinator.language = "fi"
    teams.coordinator.save(update_fields=["language"])
    response = client_for(teams.coordinator).get(
        url("overview_xlsx", teams.cohort.pk), {"track": Track.EMPLOYMENT}
    )
    assert response["Content-Disposition"].endswith(f'-{teams.cohort.slug}-employment.xlsx"')
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == "Tehtävät"
    assert sheet["A1"].value == "Organisaatio"
    assert sheet.max_row == 2  # the employment team only
    assert sheet["C2"].value == "Ei aloitettu"


# --- the annex builder's list ----------------------------------------------------------


def test_the_empty_annex_list_offers_the_default_list(client, teams):
    response = client.get(url("conduct_items", teams.cohort.pk))
    assert response.context["empty"] is True
    assert url("conduct_seed", teams.cohort.pk) in response.content.decode()
    response = client.post(url("conduct_seed", teams.cohort.pk), follow=True)
    assert texts(response) == ["The default list was given: 9 items."]
    assert ConductItem.objects.filter(cohort=teams.cohort).count() == 9
    response = client.post(url("conduct_seed", teams.cohort.pk), follow=True)
    assert texts(response) == ["The cohort already has a list: nothing was added."]


def test_adding_editing_archiving_and_restoring_an_item(client, teams):
    data = {"kind": "term", "text_fi": "Toimittaja raportoi vuosittain.", "text_sv": "",
            "text_en": "The supplier reports yearly.", "position": "5"}  # fmt: skip
    response = client.post(url("conduct_items", teams.cohort.pk), data, follow=True)
    assert texts(response) == ["The item was added to the list."]
    item = ConductItem.objects.get(cohort=teams.cohort)
    assert (item.kind, item.text_en, item.position) == ("term", "The supplier reports yearly.", 5)
    response = client.post(
        url("conduct_item", item.pk), {**data, "text_sv": "Leverantören rapporterar årligen."},
        follow=True,
    )  # fmt: skip
    assert texts(response) == ["The item was saved."]
    item.refresh_from_db()
    assert item.text_sv == "Leverantören rapporterar årligen."
    response = client.post(url("conduct_item_archive", item.pk), {"archived": "1"}, follow=True)
    item.refresh_from_db()
    assert item.archived_at is not None
    assert response.context["archived"] == [item]
    assert "Restore" in response.content.decode()
    client.post(url("conduct_item_archive", item.pk), {"archived": "0"})
    item.refresh_from_db()
    assert item.archived_at is None


def test_an_item_without_finnish_text_is_refused_and_the_rest_kept(client, teams):
    data = {"kind": "obligation", "text_fi": "", "text_sv": "", "text_en": "Kept text",
            "position": "0"}  # fmt: skip
    response = client.post(url("conduct_items", teams.cohort.pk), data)
    assert response.status_code == 200
    assert "text_fi" in response.context["form"].errors
    assert "Kept text</textarea>" in response.content.decode()
    assert not ConductItem.objects.exists()


# --- the peer phase --------------------------------------------------------------------


def test_opening_the_peer_phase_asks_first_then_tells_the_teams(client, teams):
    development = seeded(teams)[Kind.DEVELOPMENT_TASK]
    response = client.get(url("peer_open", development.pk))
    body = response.content.decode()
    assert "sees the latest submitted version of the other teams' work" in body
    development.refresh_from_db()
    assert development.peer_opened_at is None
    response = client.post(url("peer_open", development.pk), follow=True)
    assert response.redirect_chain == [(url("overview", teams.cohort.pk), 302)]
    development.refresh_from_db()
    assert development.peer_opened_by == teams.coordinator
    mails = OutgoingEmail.objects.filter(key__startswith=f"peer-phase:{development.pk}:")
    assert sorted(mails.values_list("to", flat=True)) == sorted(
        [teams.tiina.email, teams.eero.email, teams.olli.email]
    )
    comments = reverse("peers_staff:comments", args=[development.pk])
    assert f'href="{comments}"' in response.content.decode()


def test_closing_the_peer_phase_is_the_undo(client, teams):
    development = seeded(teams)[Kind.DEVELOPMENT_TASK]
    services.peer_phase_open(assignment=development, actor=teams.coordinator)
    assert client.get(url("peer_close", development.pk)).status_code == 405
    response = client.post(url("peer_close", development.pk), follow=True)
    assert response.redirect_chain == [(url("overview", teams.cohort.pk), 302)]
    development.refresh_from_db()
    assert development.peer_opened_at is None
    assert url("peer_open", development.pk) in response.content.decode()


def test_the_matrix_lists_the_active_teams_only(client, teams):
    seeded(teams)
    third = new_team(teams.cohort, "Aalto kunta", Track.EMPLOYMENT, "3333333-3")
    member(third, "Aino")
    teams.other_team.active = False
    teams.other_team.save(update_fields=["active"])
    response = client.get(url("overview", teams.cohort.pk))
    assert [row.team for row in response.context["rows"]] == [third, teams.team]


def test_the_overview_speaks_finnish_to_a_finnish_coordinator(teams):
    seeded(teams)
    teams.coordinator.language = "fi"
    teams.coordinator.save(update_fields=["language"])
    body = client_for(teams.coordinator).get(url("overview", teams.cohort.pk)).content.decode()
    assert f"Tehtävät: {teams.cohort.name}" in body
    assert "Tiimien tilanne" in body
    assert "Avaa vertaisvaihe" in body


COORDINATOR_POSTS = [
    ("seed", lambda t, a, i: [t.cohort.pk]),
    ("assignment_new", lambda t, a, i: [t.cohort.pk]),
    ("assignment", lambda t, a, i: [a.pk]),
    ("assignment_delete", lambda t, a, i: [a.pk]),
    ("reopen", lambda t, a, i: [a.pk]),
    ("remind", lambda t, a, i: [a.pk]),
    ("peer_open", lambda t, a, i: [a.pk]),
    ("peer_close", lambda t, a, i: [a.pk]),
    ("conduct_items", lambda t, a, i: [t.cohort.pk]),
    ("conduct_seed", lambda t, a, i: [t.cohort.pk]),
    ("conduct_item", lambda t, a, i: [i.pk]),
    ("conduct_item_archive", lambda t, a, i: [i.pk]),
]


@pytest.mark.parametrize("name,args", COORDINATOR_POSTS, ids=[n for n, _ in COORDINATOR_POSTS])
def test_a_reviewer_or_a_team_member_cannot_change_anything(name, args, teams, reviewer_client):
    pre = seeded(teams)[Kind.PRE_ASSIGNMENT]
    item = ConductItem.objects.filter(cohort=teams.cohort).first()
    path = url(name, *args(teams, pre, item))
    data = {**assignment_data(teams.cohort), "team": teams.team.pk, "until": "2040-01-01T09:00"}
    for client in (reviewer_client, teams.client):
        assert client.post(path, data).status_code == 403
    assert teams.cohort.assignments.count() == 6
    assert not Reopening.objects.exists()
    assert not OutgoingEmail.objects.filter(key__startswith="assignment-reminder:").exists()
    pre.refresh_from_db()
    assert pre.peer_opened_at is None
    item.refresh_from_db()
    assert item.archived_at is None
