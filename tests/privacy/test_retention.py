"""After a cohort's retention period the applications that were not selected lose their
personal data; decisions and figures stay; unused accounts holding nothing go."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationMember, Decision, Mark, Status, TeamMember
from soske import clock
from soske.activity.models import ActivityEntry
from soske.mail.models import OutgoingEmail
from soske.privacy.models import RetentionRun
from soske.privacy.services import retention_plan, retention_run, retention_totals
from soske.privacy.tasks import run_retention
from soske.users.models import User
from tests.conftest import client_for

from .world import application_of, decide, mail_to, make_team, past_cohort, person

pytestmark = pytest.mark.django_db

# The 2030 cohort's decisions were released on 1.3.2030 10:00 UTC; 12 months later:
JUST_BEFORE = datetime(2031, 3, 1, 9, 59, tzinfo=UTC)
AFTER = datetime(2031, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(coordinator, storage):
    cohort = past_cohort()
    people = {
        key: person(f"{key}@example.org", key.capitalize(), "Henkilö")
        for key in ("selected", "rejected", "drafter", "lonely", "recent")
    }
    selected = application_of(people["selected"], cohort, org_name="Valittula")
    rejected = application_of(
        people["rejected"], cohort, org_name="Hylkylä", strategy=("s.pdf", b"%PDF-1.4 x")
    )
    draft = application_of(people["drafter"], cohort, org_name="Luonnosla", status=Status.DRAFT)
    decide(selected, Mark.SELECTED, coordinator)
    decide(rejected, Mark.NOT_SELECTED, coordinator)
    make_team(selected, ("Selected Henkilö", "selected@example.org", people["selected"]))
    mail_to("rejected@example.org", "decision:rejected", body="Ei valittu, Rejected Henkilö")
    mail_to("johto@example.org", "commitment:rejected")  # the manager of both … and others
    mail_to("selected@example.org", "decision:selected")
    User.objects.filter(pk=people["recent"].pk).update(last_login=AFTER - timedelta(days=30))
    return cohort, people, selected, rejected, draft


def test_nothing_goes_before_the_period_has_passed(world):
    with clock.travel(JUST_BEFORE):
        items = retention_plan()
    # only the account nobody used (the others hold an application, or were used recently)
    assert [(i.kind, i.counts) for i in items] == [("account", {"accounts": 1})]


def test_the_dry_run_lists_what_would_go_with_exact_counts(world, storage):
    cohort, people, selected, rejected, draft = world
    with clock.travel(AFTER):
        items = retention_plan()
    assert [(i.kind, str(i.label)) for i in items] == [
        ("application", f"Soske 2030: hakemus #{rejected.pk} Hylkylä"),
        ("application", f"Soske 2030: hakemus #{draft.pk} Luonnosla"),
        ("account", f"Käyttämätön tili #{people['lonely'].pk}"),
    ]
    # contact + manager + the two team members; seven free-text answers (no readiness); one file
    assert items[0].counts == {"applications": 1, "people": 4, "texts": 7, "files": 1}
    assert items[1].counts == {"applications": 1, "people": 4, "texts": 7, "files": 0}
    assert retention_totals(items) == {
        "accounts": 1, "applications": 2, "files": 1, "people": 8, "texts": 14}  # fmt: skip
    # a dry run changes nothing
    rejected.refresh_from_db()
    assert rejected.contact_name == "Rejected Henkilö"
    assert storage.exists(rejected.strategy_file.name)
    assert not RetentionRun.objects.exists()


def test_the_run_removes_personal_data_and_keeps_decisions_and_figures(world, storage):
    cohort, people, selected, rejected, draft = world
    file_name = rejected.strategy_file.name
    with clock.travel(AFTER):
        run_retention.delay()

    run = RetentionRun.objects.get()
    assert run.counts == {"accounts": 1, "applications": 2, "files": 1, "people": 8, "texts": 14}
    assert run.started_at == AFTER and run.actor is None
    assert [i["kind"] for i in run.items] == ["application", "application", "account"]

    rejected.refresh_from_db()
    for field in ("contact_name", "contact_email", "contact_phone", "contact_title",
                  "manager_name", "manager_email", "motivation", "pilot_fit", "resources",
                  "strategy_text", "strategy_file_name"):  # fmt: skip
        assert getattr(rejected, field) == "", field
    assert not rejected.strategy_file
    assert not storage.exists(file_name)
    assert rejected.personal_data_removed_at == AFTER
    assert not TeamMember.objects.filter(application=rejected).exists()
    assert not ApplicationMember.objects.filter(application=rejected).exists()
    # kept: the organisation, the status, the decision
    assert (rejected.org_name, rejected.status) == ("Hylkylä", Status.SUBMITTED)
    assert Decision.objects.get(application=rejected).released_mark == Mark.NOT_SELECTED
    assert Application.objects.filter(cohort=cohort).count() == 3
    # the selected organisation is untouched
    selected.refresh_from_db()
    assert selected.contact_name == "Selected Henkilö"
    assert TeamMember.objects.filter(application=selected).count() == 2
    # mail to the people who went is emptied; the manager of the selected one keeps theirs
    scrubbed = OutgoingEmail.objects.get(key="decision:rejected")
    assert (scrubbed.to, scrubbed.body_text) == ("erased@erased.invalid", "")
    assert OutgoingEmail.objects.get(key="commitment:rejected").to == "johto@example.org"
    assert OutgoingEmail.objects.get(key="decision:selected").body_text == "Hei"
    # the unused account is gone; the recently used one stays
    assert not User.objects.filter(pk=people["lonely"].pk).exists()
    assert User.objects.filter(pk=people["recent"].pk).exists()
    # recorded
    removed = ActivityEntry.objects.filter(action="application.personal_data_removed")
    assert sorted(removed.values_list("target_id", flat=True)) == sorted([rejected.pk, draft.pk])
    assert ActivityEntry.objects.get(action="retention.run").after == run.counts


def test_a_second_run_takes_the_accounts_left_with_nothing(world):
    _cohort, people, *_ = world
    with clock.travel(AFTER):
        retention_run(actor=None)
        items = retention_plan()
    # the applicants of the removed applications hold nothing now
    assert [str(i.label) for i in items] == [
        f"Käyttämätön tili #{people['rejected'].pk}",
        f"Käyttämätön tili #{people['drafter'].pk}",
    ]
    with clock.travel(AFTER):
        run = retention_run(actor=None)
    assert run.counts == {"accounts": 2}
    # the history points at them: they stay as pseudonyms, with no name nor address
    rejected = User.objects.get(pk=people["rejected"].pk)
    assert rejected.email.endswith("@erased.invalid")
    assert "Rejected" not in rejected.get_full_name()
    assert not rejected.is_active
    with clock.travel(AFTER):
        assert retention_plan() == []


def test_a_longer_period_keeps_the_data(world):
    cohort, *_ = world
    cohort.retention_months = 24
    cohort.save()
    with clock.travel(AFTER):
        assert [i.kind for i in retention_plan()] == ["account"]


def test_the_coordinator_sees_the_dry_run_and_runs_it(world, coordinator):
    _cohort, _people, _selected, rejected, _draft = world
    coordinator.language = "en"
    coordinator.save()
    client = client_for(coordinator)
    with clock.travel(AFTER):
        page = client.get(reverse("privacy_staff:retention"))
        content = page.content.decode()
        assert f"Soske 2030: application #{rejected.pk} Hylkylä" in content
        assert page.context["totals"] == [
            ("Applications", 2), ("People named", 8), ("Free-text answers", 14), ("Files", 1),
            ("Accounts", 1)]  # fmt: skip

        refused = client.post(reverse("privacy_staff:retention_run"), {})
        assert refused.status_code == 302
        assert not RetentionRun.objects.exists()

        done = client.post(reverse("privacy_staff:retention_run"), {"confirm": "on"}, follow=True)
    run = RetentionRun.objects.get()
    assert run.actor == coordinator
    assert "The retention run removed the data of 3 items." in done.content.decode()


def test_the_beat_schedule_runs_the_job_once_a_day(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "soske.privacy.tasks.run_retention"
    assert entry["schedule"] == 24 * 3600


def _page_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with clock.travel(AFTER), CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("privacy_staff:retention"))
    assert page.status_code == 200
    return len(queries), len(page.context["items"])


def test_the_dry_run_page_asks_as_many_queries_for_one_row_as_for_many(coordinator):
    cohort = past_cohort()
    client = client_for(coordinator)
    first = application_of(person("one@example.org", "One", "A"), cohort, org_name="Yksi")
    decide(first, Mark.NOT_SELECTED, coordinator)
    one = _page_queries(client)
    for n in range(4):
        applicant = person(f"many{n}@example.org", "Many", "B")
        decide(application_of(applicant, cohort, org_name=f"Monta {n}"), Mark.NOT_SELECTED,
               coordinator)  # fmt: skip
        person(f"unused{n}@example.org", "Unused", "C")
    many = _page_queries(client)
    assert (one[1], many[1]) == (1, 9)  # 1 application; 5 applications and 4 accounts
    assert many[0] == one[0]


def test_the_management_command_shows_the_dry_run_and_runs(world):
    import io

    from django.core.management import call_command

    _cohort, _people, _selected, rejected, _draft = world
    out = io.StringIO()
    with clock.travel(AFTER):
        call_command("privacy_retention", stdout=out)
    assert f"Soske 2030: hakemus #{rejected.pk} Hylkylä" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == (
        "Would remove: {'accounts': 1, 'applications': 2, 'files': 1, 'people': 8, "
        "'texts': 14} (dry run)"
    )
    assert not RetentionRun.objects.exists()
    with clock.travel(AFTER):
        call_command("privacy_retention", "--run", stdout=io.StringIO())
    assert RetentionRun.objects.get().counts["applications"] == 2
