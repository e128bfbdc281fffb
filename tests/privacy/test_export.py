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
