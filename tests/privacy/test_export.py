"""A person downloads their own data: a ZIP of JSON and their files, nobody else's."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from deliverables.models import Assignment, Submission, SubmissionFile, SubmissionVersion
from soske import clock
from soske.privacy.services import privacy_export
from tests.conftest import client_for

from .world import application_of, mail_to, make_team, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cohort, storage):
    alice = person("alice@example.org", "Alice", "Applicant")
    bob = person("bob@example.org", "Bob", "Other")
    mine = application_of(
        alice, cohort, org_name="Ahvenala", strategy=("strategia.pdf", b"%PDF-1.4 alice")
    )
    theirs = application_of(bob, cohort, org_name="Bobila", strategy=("bobin.pdf", b"%PDF-1.4 bob"))
    team = make_team(mine, ("Alice Applicant", "alice@example.org", alice))
    make_team(theirs, ("Bob Other", "bob@example.org", bob))
    now = clock.now()
    assignment = Assignment.objects.create(
        cohort=cohort,
        title_fi="Kehittämistehtävä",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=1),
        cutoff_at=now + timedelta(days=2),
        created_at=now,
        updated_at=now,
    )
    submission = Submission.objects.create(assignment=assignment, team=team, created_at=now)
    upload = SubmissionFile(submission=submission, filename="raportti.pdf", uploaded_by=alice,
                            uploaded_at=now)  # fmt: skip
    upload.file.save("raportti.pdf", ContentFile(b"%PDF-1.4 report"), save=True)
    SubmissionVersion.objects.create(
        submission=submission, number=1, data={"text": "Suunnitelma"}, submitted_by=alice,
        submitted_at=now, token="t1",
    )  # fmt: skip
    mail_to("alice@example.org", "receipt:alice", body="Kiitos hakemuksestasi, Alice")
    mail_to("bob@example.org", "receipt:bob", body="Kiitos hakemuksestasi, Bob")
    return alice, bob, mine, upload


def read(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return archive, {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_holds_the_persons_data_and_files(world):
    alice, _bob, mine, upload = world
    archive, files = read(privacy_export(user=alice))

    assert sorted(files) == [
        "account.json",
        "applications.json",
        f"files/applications/{mine.pk}/strategia.pdf",
        f"files/submissions/{upload.pk}/raportti.pdf",
        "mails.json",
        "submissions.json",
        "teams.json",
    ]
    assert files[f"files/applications/{mine.pk}/strategia.pdf"] == b"%PDF-1.4 alice"
    assert files[f"files/submissions/{upload.pk}/raportti.pdf"] == b"%PDF-1.4 report"
    account = json.loads(files["account.json"])
    assert (account["email"], account["first_name"], account["last_name"]) == (
        "alice@example.org", "Alice", "Applicant")  # fmt: skip
    applications = json.loads(files["applications.json"])
    assert [a["id"] for a in applications] == [mine.pk]
    assert applications[0]["org_name"] == "Ahvenala"
    assert applications[0]["your_role"] == "owner"
    assert applications[0]["contact_phone"] == "040 123 4567"
    assert [m["name"] for m in applications[0]["team"]] == [
        "Toimiala Asiantuntija", "Hankinta Asiantuntija"]  # fmt: skip
    teams = json.loads(files["teams.json"])
    assert [(t["organisation"], t["email"]) for t in teams] == [("Ahvenala", "alice@example.org")]
    submissions = json.loads(files["submissions.json"])
    assert [(v["assignment"], v["number"], v["data"]) for v in submissions["versions"]] == [
        ("Kehittämistehtävä", 1, {"text": "Suunnitelma"})
    ]
    assert [f["filename"] for f in submissions["files"]] == ["raportti.pdf"]
    mails = json.loads(files["mails.json"])
    assert [(m["to"], m["body"]) for m in mails] == [
        ("alice@example.org", "Kiitos hakemuksestasi, Alice")
    ]


def test_another_persons_data_is_absent(world):
    alice, bob, _mine, _upload = world
    _archive, files = read(privacy_export(user=alice))
    everything = b"".join(files.values()).decode()
    for theirs in ("Bobila", "bob@example.org", "Bob Other", "%PDF-1.4 bob", "bobin.pdf"):
        assert theirs not in everything

    _archive, files = read(privacy_export(user=bob))
    everything = b"".join(files.values()).decode()
    for mine in ("Ahvenala", "alice@example.org", "Suunnitelma", "raportti.pdf"):
        assert mine not in everything


def test_the_download_page_gives_the_zip_as_an_attachment(world):
    alice, _bob, mine, _upload = world
    client = client_for(alice)
    page = client.get(reverse("privacy:my_data"))
    assert reverse("privacy:my_data_download") in page.content.decode()

    response = client.get(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = clock.helsinki(clock.now()).date()
    assert response["Content-Disposition"] == (
        f'attachment; filename="soske-my-data-{today:%Y-%m-%d}.zip"'
    )
    _archive, files = read(response.content)
    assert f"files/applications/{mine.pk}/strategia.pdf" in files


def test_a_person_with_nothing_gets_their_account_only(db):
    lonely = person("lonely@example.org", "Lone", "Person")
    _archive, files = read(privacy_export(user=lonely))
    assert sorted(files) == [
        "account.json",
        "applications.json",
        "mails.json",
        "submissions.json",
        "teams.json",
    ]
    assert json.loads(files["applications.json"]) == []
    assert json.loads(files["teams.json"]) == []
    assert json.loads(files["submissions.json"]) == {"versions": [], "files": []}


def test_a_typed_file_name_cannot_leave_its_folder_in_the_zip(world):
    alice, _bob, mine, _upload = world
    mine.strategy_file_name = "../../etc/passwd.pdf"
    mine.save()
    _archive, files = read(privacy_export(user=alice))
    names = [n for n in files if n.startswith("files/applications/")]
    assert len(names) == 1
    assert ".." not in names[0] and names[0].startswith(f"files/applications/{mine.pk}/")


# --- mail the worker has not rendered yet (a broker is configured) --------------------------


@pytest.fixture
def queued_for(settings):
    """`queued_for(address, application, language)`: a commitment request written as with a
    broker: its template and context, no subject nor body until the send task renders it."""
    from soske.mail.services import outbox_enqueue_template

    settings.MAIL_RENDER_IN_TASK = True

    def write(address, application, language="fi"):
        row = outbox_enqueue_template(
            key=f"commitment:{application.pk}:{address}",
            to=address,
            language=language,
            template="commitment_request",
            context={"application": application, "confirm_url": "https://soske.example/c/1/"},
        )
        assert (row.subject, row.body_text) == ("", "")
        return row

    return write


def _mails(user):
    _archive, files = read(privacy_export(user=user))
    return json.loads(files["mails.json"])


@pytest.mark.parametrize(
    "language, subject",
    [
        ("fi", "Vahvista organisaation Ahvenala sitoutuminen Soske-akatemiaan"),
        ("sv", "Bekräfta att Ahvenala förbinder sig till Soske-akademin"),
    ],
)
def test_a_mail_not_rendered_yet_is_exported_as_it_will_be_sent(
    world, queued_for, language, subject
):
    from django.core import mail

    from soske.mail.models import OutgoingEmail
    from soske.mail.services import outbox_send

    alice, _bob, mine, _upload = world
    row = queued_for("ALICE@example.org", mine, language)

    mails = _mails(alice)
    assert [(m["to"], m["subject"], m["status"], m["note"]) for m in mails] == [
        ("alice@example.org", "Viesti receipt:alice", "sent", ""),
        ("ALICE@example.org", subject, "queued", ""),
    ]
    exported = mails[1]["body"]
    assert "Ahvenala" in exported and "https://soske.example/c/1/" in exported
    # Rendered for the export only: nothing stored, nothing sent.
    row.refresh_from_db()
    assert (row.subject, row.body_text, row.status) == ("", "", OutgoingEmail.Status.QUEUED)
    assert mail.outbox == []
    # And it is what the person then receives.
    outbox_send(email_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.subject, row.body_text) == ("sent", subject, exported)
    assert (mail.outbox[0].subject, mail.outbox[0].body) == (subject, exported)


def test_a_mail_whose_object_is_gone_does_not_break_the_export(world, queued_for, cohort):
    from applications.models import Application

    alice, _bob, mine, _upload = world
    gone = application_of(alice, cohort, org_name="Poistola")
    queued_for("alice@example.org", gone)
    queued_for("alice@example.org", mine)
    Application.objects.filter(pk=gone.pk).delete()

    mails = _mails(alice)
    assert [(m["subject"], m["body"], m["status"], m["note"]) for m in mails[:2]] == [
        ("Viesti receipt:alice", "Kiitos hakemuksestasi, Alice", "sent", ""),
        (
            "",
            "",
            "queued",
            "Tätä viestiä ei voitu muodostaa: se, mitä viesti koski, ei ole enää olemassa.",
        ),
    ]
    assert mails[2]["subject"] == "Vahvista organisaation Ahvenala sitoutuminen Soske-akatemiaan"
    assert mails[2]["note"] == ""
    assert len(mails) == 3


def test_the_note_is_in_the_persons_language(world, queued_for, cohort):
    from applications.models import Application

    alice, _bob, _mine, _upload = world
    alice.language = "sv"
    alice.save(update_fields=["language"])
    gone = application_of(alice, cohort, org_name="Poistola")
    queued_for("alice@example.org", gone)
    Application.objects.filter(pk=gone.pk).delete()
    response = client_for(alice).get(reverse("privacy:my_data_download"))
    _archive, files = read(response.content)
    assert [m["note"] for m in json.loads(files["mails.json"])] == [
        "",
        "Meddelandet kunde inte skrivas ut: det som det gällde finns inte längre.",
    ]


def test_an_erased_mail_stays_erased_in_the_export(world, queued_for, coordinator):
    from soske.privacy.services import person_erase

    alice, _bob, mine, _upload = world
    queued_for("alice@example.org", mine)
    pseudonym = person_erase(person=alice, actor=coordinator)
    alice.refresh_from_db()

    mails = _mails(alice)
    address = f"{pseudonym.lower()}@erased.invalid"
    assert [(m["to"], m["subject"], m["body"], m["status"], m["note"]) for m in mails] == [
        (address, "", "", "failed", ""),
        (address, "", "", "failed", ""),
    ]
