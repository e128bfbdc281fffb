"""Need to know on the staff pages: a reviewer reaches an application, its document, its
interview and the notes only when assigned to it without a conflict, or as the
interview's interviewer; a declared conflict hides it from anyone, coordinators included,
and refuses every action on it (another coordinator marks it)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import (
    Application,
    Decision,
    Interview,
    InterviewSlot,
    ReviewAssignment,
    Status,
)
from soske import clock
from soske.users.models import Role
from tests.conftest import _person, client_for
from tests.exports import exported
from tests.factories import ApplicationFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _assign(application, reviewer, conflict):
    return ReviewAssignment.objects.create(
        application=application, reviewer=reviewer, assigned_by=reviewer,
        assigned_at=clock.now(), conflict=conflict, declared_at=clock.now(),
    )  # fmt: skip


class World:
    def __init__(self, cohort, applicant, other_applicant, tmp_path, monkeypatch):
        storage = FileSystemStorage(location=tmp_path / "private")
        monkeypatch.setattr(Application._meta.get_field("strategy_file"), "storage", storage)
        self.cohort = cohort
        self.mine = ApplicationFactory(
            cohort=cohort, created_by=applicant, complete=True, status=Status.SUBMITTED,
            submitted_at=clock.now(),
        )  # fmt: skip
        self.mine.strategy_file.save("strategia.pdf", ContentFile(PDF), save=False)
        self.mine.strategy_file_name = "strategia.pdf"
        self.mine.org_name = "Esteellinen kunta"
        self.mine.save()
        self.other = ApplicationFactory(
            cohort=cohort, created_by=other_applicant, complete=True, status=Status.SUBMITTED,
            submitted_at=clock.now(), org_name="Toinen kaupunki",
        )  # fmt: skip
        self.assigned = _person("assigned@example.org", Role.REVIEWER)
        self.unassigned = _person("unassigned@example.org", Role.REVIEWER)
        self.interviewer = _person("interviewer@example.org", Role.REVIEWER)
        self.conflicted = _person("conflicted@example.org", Role.REVIEWER)
        self.conflicted_coordinator = _person("cc@example.org", Role.COORDINATOR)
        self.coordinator = _person("coordinator@example.org", Role.COORDINATOR)
        _assign(self.mine, self.assigned, False)
        _assign(self.mine, self.conflicted, True)
        _assign(self.mine, self.conflicted_coordinator, True)
        slot = InterviewSlot.objects.create(
            cohort=cohort, starts_at=clock.now() + timedelta(days=3), created_at=clock.now()
        )
        slot.interviewers.add(self.interviewer, self.conflicted)
        self.interview = Interview.objects.create(
            application=self.mine, slot=slot, booked_by=applicant, booked_at=clock.now(),
            notes="Haastattelun muistiinpanot",
        )  # fmt: skip

    def pages(self):
        pk = self.mine.pk
        return [
            reverse("staff:application", args=[pk]),
            reverse("staff:file", args=[pk]),
            reverse("staff:interview", args=[self.interview.pk]),
            reverse("staff:interview_manage", args=[pk]),
        ]


@pytest.fixture
def w(cohort, applicant, other_applicant, tmp_path, monkeypatch):
    return World(cohort, applicant, other_applicant, tmp_path, monkeypatch)


def _listed(client, cohort) -> set:
    response = client.get(reverse("staff:applications"), {"cohort": cohort.pk})
    assert response.status_code == 200
    return {a.pk for a in response.context["applications"]}


def test_an_unassigned_reviewer_reaches_nothing_of_the_application(w):
    client = client_for(w.unassigned)
    for path in w.pages():
        assert client.get(path).status_code == 403, path
    assert _listed(client, w.cohort) == set()
    calendar = client.get(reverse("staff:interviews"), {"cohort": w.cohort.pk, "week": (
        f"{clock.helsinki(w.interview.slot.starts_at).isocalendar().year}-W"
        f"{clock.helsinki(w.interview.slot.starts_at).isocalendar().week:02d}")})  # fmt: skip
    assert w.mine.org_name not in calendar.content.decode()


def test_the_assigned_reviewer_and_the_interviewer_read_it(w):
    for person in (w.assigned, w.interviewer):
        client = client_for(person)
        for path in w.pages():
            assert client.get(path).status_code == 200, (person, path)
        assert _listed(client, w.cohort) == {w.mine.pk}


def test_a_conflicted_interviewer_neither_reads_nor_changes_the_notes_nor_cancels(w):
    client = client_for(w.conflicted)
    for path in w.pages():
        assert client.get(path).status_code == 403, path
    response = client.post(
        reverse("staff:interview", args=[w.interview.pk]), {"notes": "Ylikirjoitettu"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("staff:interview_manage", args=[w.mine.pk]),
        {"action": "cancel", "reason": "Ei sovi"},
    )
    assert response.status_code == 403
    w.interview.refresh_from_db()
    assert (w.interview.notes, w.interview.state) == (
        "Haastattelun muistiinpanot", Interview.State.BOOKED,
    )  # fmt: skip
    assert _listed(client, w.cohort) == set()


def test_a_conflicted_coordinator_cannot_read_or_mark_it_and_another_coordinator_can(w):
    client = client_for(w.conflicted_coordinator)
    for path in w.pages():
        assert client.get(path).status_code == 403, path
    assert _listed(client, w.cohort) == {w.other.pk}
    response = client.post(
        reverse("staff:mark", args=[w.mine.pk]), {f"a{w.mine.pk}-mark": "selected"}, follow=True
    )
    assert not Decision.objects.filter(application=w.mine).exists()
    assert any("esteellinen" in str(m)
               for m in response.context["messages"])  # fmt: skip
    # The board opens one row's decision menu at a time (?decide=<pk>); never the conflicted one.
    board = reverse("staff:ranking", args=[w.cohort.pk])
    ranking = client.get(board, {"decide": w.mine.pk}).content.decode()
    assert f'formaction="{reverse("staff:mark", args=[w.mine.pk])}"' not in ranking
    assert f'href="?decide={w.mine.pk}#' not in ranking
    assert f'href="?decide={w.other.pk}#row-{w.other.pk}"' in ranking
    ranking = client.get(board, {"decide": w.other.pk}).content.decode()
    assert f'formaction="{reverse("staff:mark", args=[w.other.pk])}"' in ranking
    export = exported(client, reverse("staff:export"), {"query": f"cohort={w.cohort.pk}"})
    names = {row[0].value for row in load_workbook(_bytes(export)).active.iter_rows()}
    assert w.mine.org_name not in names and w.other.org_name in names

    other = client_for(w.coordinator)
    other.post(reverse("staff:mark", args=[w.mine.pk]), {f"a{w.mine.pk}-mark": "selected"})
    assert Decision.objects.get(application=w.mine).mark == "selected"


def _bytes(response):
    import io

    return io.BytesIO(response.content)
