"""A coordinator erases a person on request: the name goes everywhere, decisions and the
history stay with a pseudonym."""

import pytest
from django.urls import reverse

from applications.models import Application, Decision, Mark, TeamMember
from cohorts.models import TeamMembership
from soske.activity.models import ActivityEntry
from soske.activity.services import activity_record
from soske.mail.models import OutgoingEmail
from soske.privacy.services import PrivacyError, person_erase
from soske.users.models import User
from tests.conftest import client_for

from .world import application_of, decide, mail_to, make_team, person, version_of

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Alice Applicant", "alice@example.org"


@pytest.fixture
def world(cohort, coordinator, storage):
    alice = person(EMAIL, "Alice", "Applicant")
    bob = person("bob@example.org", "Bob", "Other")
    mine = application_of(alice, cohort, org_name="Ahvenala")
    TeamMember.objects.create(application=mine, name=NAME, email=EMAIL, role="procurement")
    version_of(mine, alice)
    theirs = application_of(bob, cohort, org_name="Bobila")
    decide(mine, Mark.SELECTED, coordinator)
    make_team(mine, (NAME, EMAIL, alice), ("Bob Other", "bob@example.org", bob))
    mail_to(EMAIL, "decision:alice", body=f"Hei {NAME}, onneksi olkoon")
    mail_to("bob@example.org", "decision:bob")
    activity_record(actor=alice, action="application.submitted", target=mine, subject=EMAIL,
                    after={"contact_name": NAME})  # fmt: skip
    return alice, bob, mine, theirs


def everything_about(name, email):
    """Each row anywhere that still says `name` or `email`."""
    found = []
    for text in (name, email):
        found += list(User.objects.filter(email__iexact=text))
        found += list(User.objects.filter(first_name__icontains=text.split()[0],
                                          last_name__icontains=text.split()[-1]))  # fmt: skip
        for field in ("contact_name", "contact_email", "manager_email"):
            found += list(Application.objects.filter(**{f"{field}__iexact": text}))
        found += list(TeamMember.objects.filter(name__icontains=text))
        found += list(TeamMember.objects.filter(email__iexact=text))
        found += list(TeamMembership.objects.filter(name__icontains=text))
        found += list(TeamMembership.objects.filter(email__iexact=text))
        found += list(OutgoingEmail.objects.filter(to__iexact=text))
        found += list(OutgoingEmail.objects.filter(body_text__icontains=text))
        found += [e for e in ActivityEntry.objects.all() if text.lower() in repr(
            (e.subject, e.before, e.after, e.context)).lower()]  # fmt: skip
        found += [v for v in Application.objects.get(org_name="Ahvenala").versions.all()
                  if text in repr(v.data)]  # fmt: skip
    return found


def test_erasure_removes_the_name_everywhere_and_keeps_the_decision(world, coordinator):
    alice, bob, mine, theirs = world
    assert len(everything_about(NAME, EMAIL)) > 0

    pseudonym = person_erase(person=alice, actor=coordinator)

    assert everything_about(NAME, EMAIL) == []
    alice.refresh_from_db()
    assert (alice.first_name, alice.last_name) == (pseudonym, "")
    assert alice.email == f"{pseudonym.lower()}@erased.invalid"
    assert not alice.is_active and not alice.has_usable_password()
    # what must be kept stays, naming the pseudonym
    assert Decision.objects.get(application=mine).released_mark == Mark.SELECTED
    assert Application.objects.get(pk=mine.pk).contact_name == pseudonym
    assert TeamMembership.objects.get(team=mine.team_record, user=alice).name == pseudonym
    submitted = ActivityEntry.objects.get(action="application.submitted")
    assert (submitted.actor, submitted.subject) == (alice, alice.email)
    assert submitted.after == {"contact_name": pseudonym}
    mail = OutgoingEmail.objects.get(key="decision:alice")
    assert (mail.to, mail.subject, mail.body_text) == (alice.email, "", "")
    erased = ActivityEntry.objects.get(action="person.erased")
    assert (erased.actor, erased.subject) == (coordinator, pseudonym)
    # another person is untouched
    bob.refresh_from_db()
    assert (bob.email, bob.get_full_name()) == ("bob@example.org", "Bob Other")
    assert OutgoingEmail.objects.get(key="decision:bob").body_text == "Hei"
    assert TeamMembership.objects.get(user=bob).name == "Bob Other"


def test_erasing_twice_or_oneself_is_refused(world, coordinator):
    alice, *_ = world
    with pytest.raises(PrivacyError):
        person_erase(person=coordinator, actor=coordinator)
    person_erase(person=alice, actor=coordinator)
    with pytest.raises(PrivacyError):
        person_erase(person=alice, actor=coordinator)


def test_the_coordinator_finds_the_person_and_confirms(world, coordinator):
    alice, *_ = world
    coordinator.language = "en"
    coordinator.save()
    client = client_for(coordinator)
    found = client.get(reverse("privacy_staff:erase_search"), {"email": "ALICE@example.org"})
    assert found.status_code == 302
    assert found["Location"] == reverse("privacy_staff:erase", args=[alice.pk])

    missing = client.get(reverse("privacy_staff:erase_search"), {"email": "nobody@example.org"})
    assert "Nobody has an account with this address." in missing.content.decode()

    page = client.get(reverse("privacy_staff:erase", args=[alice.pk]))
    assert EMAIL in page.content.decode()
    assert page.context["preview"]["mails"] == 1

    unconfirmed = client.post(reverse("privacy_staff:erase", args=[alice.pk]), {})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm." in unconfirmed.content.decode()
    assert User.objects.get(pk=alice.pk).email == EMAIL

    done = client.post(reverse("privacy_staff:erase", args=[alice.pk]), {"confirm": "on"})
    assert done.status_code == 302
    assert User.objects.get(pk=alice.pk).email.endswith("@erased.invalid")


def test_erasing_oneself_on_the_page_is_a_message_not_an_error(world, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("privacy_staff:erase", args=[coordinator.pk]), {"confirm": "on"})
    assert response.status_code == 400
    assert User.objects.get(pk=coordinator.pk).email == "cecilia.coordinator@example.org"


def test_the_names_the_apps_know_go_from_the_history_too(world, coordinator):
    """The account has no name, the team knows her as 'Maija Mallikas': that goes too."""
    alice, _bob, mine, _theirs = world
    User.objects.filter(pk=alice.pk).update(first_name="", last_name="")
    TeamMembership.objects.filter(user=alice).update(name="Maija Mallikas")
    activity_record(actor=coordinator, action="team.member_added", target=mine,
                    subject="Maija Mallikas", after={"name": "Maija Mallikas"})  # fmt: skip
    alice.refresh_from_db()

    pseudonym = person_erase(person=alice, actor=coordinator)

    entry = ActivityEntry.objects.get(action="team.member_added")
    assert (entry.subject, entry.after) == (pseudonym, {"name": pseudonym})
    assert not TeamMembership.objects.filter(name="Maija Mallikas").exists()


def test_the_teams_work_stays_with_the_pseudonym_where_it_named_her(world, coordinator):
    from datetime import timedelta

    from deliverables.models import Assignment, Submission, SubmissionVersion
    from soske import clock

    alice, _bob, mine, _theirs = world
    now = clock.now()
    assignment = Assignment.objects.create(
        cohort=mine.cohort, title_fi="Kehittämistehtävä", opens_at=now,
        due_at=now + timedelta(days=1), cutoff_at=now + timedelta(days=2), created_at=now,
        updated_at=now,
    )  # fmt: skip
    text = {"text": f"Vastuuhenkilö {NAME} ({EMAIL}); hankinta jatkuu."}
    submission = Submission.objects.create(
        assignment=assignment, team=mine.team_record, draft=text, created_at=now
    )
    version = SubmissionVersion.objects.create(
        submission=submission, number=1, data=text, submitted_by=alice, submitted_at=now,
        token="t",
    )  # fmt: skip

    pseudonym = person_erase(person=alice, actor=coordinator)

    expected = {"text": f"Vastuuhenkilö {pseudonym} ({pseudonym.lower()}@erased.invalid); "
                "hankinta jatkuu."}  # fmt: skip
    submission.refresh_from_db()
    version.refresh_from_db()
    assert submission.draft == expected
    assert (version.data, version.submitted_by_id) == (expected, alice.pk)
