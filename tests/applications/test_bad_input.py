"""Bad input on the application form: a clear message next to the field, nothing wrongly
stored, never a 500 (the test client re-raises any exception a view lets through).

Also: the documents we accept, judged by content; where they are stored; who may
download them. And a property-based fuzz of every step with hypothesis.
"""

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from applications import services
from applications.models import Application, Status, StrategicGoal, TeamMember, TeamRole
from cohorts.models import Organisation, OrganisationType, Track
from cohorts.validators import WEIGHTS, validate_business_id
from soske import clock
from tests.factories import ApplicationFactory, CohortFactory

FORMAT = "Enter the business ID in the form 1234567-8."
CHECKSUM = "This business ID is not valid: its check digit does not match."
NOT_A_DOCUMENT = (
    "This file is not a PDF, Word (DOCX), OpenDocument text (ODT) or Excel (XLSX) document. "
    "Save it in one of these formats and try again."
)
NUL = "Null characters are not allowed."
NOT_SAVED = "The page was not saved. Fix the errors marked below."
CANONICAL_BUSINESS_ID = re.compile(r"[0-9]{7}-[0-9]")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(_fast_password_hashing, applicant, reviewer):
    for user in (applicant, reviewer):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    """The configured private storage, moved to a temporary folder for the test."""
    field = Application._meta.get_field("strategy_file")
    assert Path(field.storage.location) == Path(
        django_settings.STORAGES["private"]["OPTIONS"]["location"]
    )
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(field, "storage", storage)
    return storage


def stored_files(storage):
    root = Path(storage.location)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- business IDs --------------------------------------------------------------------------


def check_digit_remainder(body):
    return sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11


# 1000008: weighted sum % 11 == 1, so no check digit fits this body at all.
REMAINDER_ONE_BODY = "1000008"


def test_the_remainder_one_body_really_has_remainder_one():
    assert check_digit_remainder(REMAINDER_ONE_BODY) == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0112038-8", CHECKSUM),  # wrong check digit (right one is 9)
        ("0245437-3", CHECKSUM),
        *[(f"{REMAINDER_ONE_BODY}-{d}", CHECKSUM) for d in range(10)],
        ("0112038", FORMAT),  # no check digit
        ("01120389", FORMAT),  # no hyphen
        ("0112038-", FORMAT),
        ("12345-6", FORMAT),  # too short
        ("ABCDEFG-1", FORMAT),
        ("01-2038-9", FORMAT),
        ("0112038_9", FORMAT),
        ("FI0112038", FORMAT),  # a VAT number is not a business ID
        # Digits of other scripts: Python's \d would take them, a business ID must not.
        ("\u0660\u0661\u0661\u0662\u0660\u0663\u0668-\u0669", FORMAT),  # Arabic-Indic
        ("\uff10\uff11\uff11\uff12\uff10\uff13\uff18-\uff19", FORMAT),  # fullwidth
    ],
)
def test_invalid_business_id_is_refused_with_a_clear_message(
    typed, message, applicant_client, draft
):
    response = applicant_client.post(
        step_url(draft, "organisation"),
        {"org_name": "Tarkistuskunta", "business_id": typed, "action": "stay"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["business_id"] == [message]
    assert messages_of(response) == [NOT_SAVED]
    # What was typed is kept on the page, nothing is stored.
    assert response.context["form"]["business_id"].value() == typed
    assert response.context["form"]["org_name"].value() == "Tarkistuskunta"
    draft.refresh_from_db()
    assert (draft.business_id, draft.org_name) == ("", "")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0112038-9", "0112038-9"),
        (" 0112038-9 ", "0112038-9"),
        ("112038-9", "0112038-9"),  # the old six-digit form
        ("0112038\u20109", "0112038-9"),  # a typographic hyphen from a word processor
        ("0245437-2", "0245437-2"),
    ],
)
def test_valid_business_id_is_stored_in_the_canonical_form(typed, stored, applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "organisation"), {"business_id": typed, "action": "stay"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.business_id == stored


def test_validator_refuses_non_ascii_digits():
    with pytest.raises(ValidationError) as caught:
        validate_business_id("\u0660\u0661\u0661\u0662\u0660\u0663\u0668-\u0669")
    assert caught.value.code == "business_id_format"


# --- NUL bytes, over-long text, fields the form does not have ---------------------------

TEXT_FIELDS = [
    ("organisation", "org_name"),
    ("organisation", "region"),
    ("organisation", "website"),
    ("contact", "contact_name"),
    ("contact", "contact_title"),
    ("contact", "contact_email"),
    ("contact", "contact_phone"),
    ("eligibility", "readiness"),
    ("strategy", "strategy_text"),
    ("strategy", "strategy_url"),
    ("motivation", "motivation"),
    ("motivation", "development_goals"),
    ("motivation", "resources"),
    ("management", "manager_name"),
    ("management", "manager_title"),
    ("management", "manager_email"),
    ("pilot", "pilot_subject"),
    ("pilot", "pilot_timetable"),
    ("pilot", "pilot_fit"),
]


@pytest.mark.parametrize(("step", "field"), TEXT_FIELDS)
def test_nul_byte_in_a_text_field_is_refused(step, field, applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, step), {field: "Kunta\x00Kaupunki", "action": "stay"}
    )
    assert response.status_code == 200
    assert NUL in response.context["form"].errors[field]
    before = Application.objects.get(pk=draft.pk)
    assert getattr(before, field) == getattr(draft, field)


@pytest.mark.parametrize(
    ("step", "field", "limit"),
    [
        ("organisation", "org_name", 200),
        ("organisation", "region", 100),
        ("contact", "contact_name", 200),
        # contact_phone: 41 characters are never a phone number either; both errors show
        # (test_saved_although_invalid.py has the phone rule).
        ("eligibility", "readiness", 4000),
        ("strategy", "strategy_text", 4000),
        ("motivation", "motivation", 4000),
        ("motivation", "development_goals", 4000),
        ("motivation", "resources", 4000),
        ("management", "manager_title", 200),
        ("pilot", "pilot_subject", 300),
        ("pilot", "pilot_timetable", 300),
        ("pilot", "pilot_fit", 4000),
    ],
)
def test_text_over_the_limit_is_refused_and_kept_on_the_page(
    step, field, limit, applicant_client, draft
):
    typed = "ä" * (limit + 1)
    response = applicant_client.post(step_url(draft, step), {field: typed, "action": "stay"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [
        f"Ensure this value has at most {limit} characters (it has {limit + 1})."
    ]
    assert form[field].value() == typed
    draft.refresh_from_db()
    assert getattr(draft, field) == ""


def test_text_at_the_limit_is_stored(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "motivation"), {"motivation": "ö" * 4000, "action": "stay"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.motivation == "ö" * 4000


FORGED_FIELDS = {
    "status": "submitted",
    "version": "7",
    "organisation": "1",
    "created_by": "1",
    "submitted_at": "2020-01-01T00:00",
    "privacy_consent": "on",
    "commitment_confirmed_at": "2020-01-01T00:00",
    "commitment_confirmed_email": "evil@example.org",
    "commitment_token": "00000000-0000-0000-0000-000000000000",
    "last_submit_token": "forged",
    "changed_since_submission": "on",
    "strategy_file_name": "evil.exe",
    "strategy_file": "../../settings.py",
}


@pytest.mark.parametrize(
    "step",
    [
        "organisation",
        "contact",
        "eligibility",
        "track",
        "strategy",
        "motivation",
        "management",
        "pilot",
        "team",
    ],
)
def test_extra_fields_cannot_set_status_cohort_version_or_organisation(
    step, applicant, applicant_client, draft
):
    other_cohort = CohortFactory()
    organisation = Organisation.objects.create(name="Vieras", business_id="0245437-2")
    data = {
        **FORGED_FIELDS,
        "cohort": str(other_cohort.pk),
        "organisation": str(organisation.pk),
        # a field of another step
        "business_id": "0112038-9" if step != "organisation" else "",
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
        "action": "stay",
    }
    token = draft.commitment_token
    response = applicant_client.post(step_url(draft, step), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.cohort_id != other_cohort.pk
    assert draft.version == 0
    assert draft.organisation_id is None
    assert draft.created_by_id == applicant.pk
    assert draft.submitted_at is None
    assert draft.privacy_consent is False
    assert draft.commitment_confirmed_at is None
    assert draft.commitment_confirmed_email == ""
    assert draft.commitment_token == token
    assert draft.last_submit_token == ""
    assert draft.changed_since_submission is False
    assert draft.strategy_file_name == ""
    assert not draft.strategy_file
    assert draft.business_id == ""


def test_a_theme_of_another_cohort_cannot_be_chosen(applicant_client, draft):
    foreign = CohortFactory().themes.first()
    response = applicant_client.post(
        step_url(draft, "track"),
        {"track": Track.EMPLOYMENT, "themes": [str(foreign.pk)], "action": "stay"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["themes"] == [
        f"Select a valid choice. {foreign.pk} is not one of the available choices."
    ]
    assert draft.themes.count() == 0


@pytest.mark.parametrize(
    "value", ["99999999999999999999999", "9223372036854775808", "-9223372036854775809"]
)
def test_a_theme_id_too_large_for_any_column_is_refused_not_a_500(value, applicant_client, draft):
    """Found by the fuzz below: SQLite raised OverflowError in the `__in` lookup."""
    response = applicant_client.post(
        step_url(draft, "track"),
        {"track": Track.EMPLOYMENT, "themes": [value], "action": "stay"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["themes"] == [
        f"Select a valid choice. {value} is not one of the available choices."
    ]
    draft.refresh_from_db()
    assert draft.track == ""


def test_a_team_member_of_another_application_cannot_be_edited(
    applicant_client, draft, other_applicant
):
    others = ApplicationFactory(cohort=draft.cohort, created_by=other_applicant)
    theirs = TeamMember.objects.create(
        application=others, name="Toisen Jäsen", role=TeamRole.PROCUREMENT
    )
    response = applicant_client.post(
        step_url(draft, "team"),
        {
            "team-TOTAL_FORMS": "1",
            "team-INITIAL_FORMS": "1",
            "team-0-id": str(theirs.pk),
            "team-0-name": "Kaapattu",
            "team-0-role": TeamRole.LAWYER,
            "team-0-DELETE": "",
            "action": "stay",
        },
    )
    # Django's model formset ignores a row whose id is outside its own queryset.
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.application_id, theirs.name, theirs.role) == (
        others.pk,
        "Toisen Jäsen",
        TeamRole.PROCUREMENT,
    )
    assert draft.team.count() == 0


def test_a_broken_team_management_form_is_a_field_error_not_a_500(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "team"), {"team-TOTAL_FORMS": "\x00", "action": "stay"}
    )
    assert response.status_code == 200
    assert list(response.context["form"].non_form_errors()) == [
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "team-TOTAL_FORMS, team-INITIAL_FORMS. You may need to file a bug report if the "
        "issue persists."
    ]
    assert draft.team.count() == 0


def test_an_out_of_range_id_in_the_address_is_404(applicant_client):
    assert applicant_client.get("/applications/99999999999999999999999/review/").status_code == 404


# --- documents -----------------------------------------------------------------------------


def minimal_pdf() -> bytes:
    """A tiny, valid one-page PDF written by hand, with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def minimal_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Strategia</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def minimal_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Strategia"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def minimal_odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype member comes first and uncompressed, as ODF requires.
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<office:document-content"
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            "<office:body><office:text><text:p>Strategia</text:p></office:text></office:body>"
            "</office:document-content>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def plain_zip(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"


def upload_to_strategy(client, application, name, content, content_type="application/pdf"):
    return client.post(
        step_url(application, "strategy"),
        {
            "strategic_goal": StrategicGoal.YES,
            "strategy_file": SimpleUploadedFile(name, content, content_type=content_type),
            "action": "stay",
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("strategia.pdf", PNG),
        ("strategia.pdf", HTML),
        ("strategia.pdf", plain_zip(readme__txt="hei")),
        ("strategia.pdf", EXE),  # an .exe renamed
        ("strategia.docx", plain_zip(readme__txt="not a document")),  # a zip, not DOCX
        ("strategia.docx", plain_zip(**{"[Content_Types].xml": "<Types/>"})),  # no main part
        ("strategia.odt", plain_zip(mimetype="application/zip")),  # wrong ODF mimetype
        ("strategia.xlsx", b"PK\x03\x04 truncated, not a zip"),
        ("strategia.pdf", b"%PDF"),  # shorter than the signature
        ("strategia.exe", minimal_pdf()),  # PDF content, dangerous name
        ("strategia.html", minimal_pdf() + HTML),  # a PDF/HTML polyglot named .html
        ("strategia", minimal_pdf()),  # no extension
        ("strategia.docx", minimal_pdf()),  # name and content disagree
        ("strategia.pdf", minimal_odt()),
    ],
)
def test_forged_document_is_refused(name, content, applicant_client, draft, private_storage):
    response = upload_to_strategy(applicant_client, draft, name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["strategy_file"] == [NOT_A_DOCUMENT]
    assert messages_of(response) == [NOT_SAVED]
    draft.refresh_from_db()
    assert not draft.strategy_file
    assert draft.strategy_file_name == ""
    assert draft.strategic_goal == ""
    assert stored_files(private_storage) == []


def test_empty_file_is_refused(applicant_client, draft, private_storage):
    response = upload_to_strategy(applicant_client, draft, "strategia.pdf", b"")
    assert response.context["form"].errors["strategy_file"] == ["The submitted file is empty."]
    assert stored_files(private_storage) == []


def test_file_over_10_mb_is_refused(applicant_client, draft, private_storage):
    content = minimal_pdf() + b"\n%" + b"x" * (10 * 1024 * 1024)
    assert len(content) > django_settings.UPLOAD_MAX_BYTES
    response = upload_to_strategy(applicant_client, draft, "iso.pdf", content)
    assert response.status_code == 200
    assert response.context["form"].errors["strategy_file"] == [
        "The file is too large (10.0\xa0MB). The largest allowed is 10.0\xa0MB."
    ]
    draft.refresh_from_db()
    assert not draft.strategy_file
    assert stored_files(private_storage) == []


def test_file_of_exactly_10_mb_is_accepted(applicant_client, draft, private_storage):
    pdf = minimal_pdf()
    content = pdf + b"%" * (10 * 1024 * 1024 - len(pdf))
    assert len(content) == django_settings.UPLOAD_MAX_BYTES
    response = upload_to_strategy(applicant_client, draft, "raja.pdf", content)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.strategy_file.size == django_settings.UPLOAD_MAX_BYTES


DOCUMENTS = {
    "pdf": ("Strategia 2030.pdf", minimal_pdf),
    "docx": ("Kestävyysohjelma.docx", minimal_docx),
    "odt": ("linjaus.ODT", minimal_odt),
    "xlsx": ("hankintaohjelma.xlsx", minimal_xlsx),
}


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_valid_document_is_stored_under_a_generated_name_in_private_storage(
    kind, applicant_client, draft, private_storage
):
    name, build = DOCUMENTS[kind]
    content = build()
    response = upload_to_strategy(applicant_client, draft, name, content)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.strategy_file_name == name
    stored = draft.strategy_file.name
    assert re.fullmatch(rf"applications/[0-9a-f]{{32}}\.{kind}", stored), stored
    assert name.rsplit(".", 1)[0] not in stored
    assert stored_files(private_storage) == [stored]
    assert (Path(private_storage.location) / stored).read_bytes() == content


def test_path_in_the_uploaded_name_never_reaches_the_file_system(
    applicant_client, draft, private_storage
):
    response = upload_to_strategy(
        applicant_client, draft, "../../../soske/settings.pdf", minimal_pdf()
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.strategy_file_name == "settings.pdf"
    assert re.fullmatch(r"applications/[0-9a-f]{32}\.pdf", draft.strategy_file.name)


def reloaded(application):
    """A fresh instance: its file field uses the storage the test put in place."""
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def stored_document(draft, private_storage):
    content = minimal_docx()
    application = reloaded(draft)
    application.strategy_file.save("whatever.docx", ContentFile(content), save=False)
    application.strategy_file_name = "Kestävyysohjelma 2030.docx"
    application.save()
    assert stored_files(private_storage) == [application.strategy_file.name]
    return application, content


def assert_is_safe_download(response, content):
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Kest%C3%A4vyysohjelma%202030.docx"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert b"".join(response.streaming_content) == content


def test_owner_downloads_the_document_as_an_attachment(stored_document, applicant_client):
    application, content = stored_document
    response = applicant_client.get(reverse("applications:file", args=[application.pk]))
    assert_is_safe_download(response, content)


def test_staff_download_the_document_as_an_attachment(stored_document, coordinator_client):
    application, content = stored_document
    response = coordinator_client.get(reverse("staff:file", args=[application.pk]))
    assert_is_safe_download(response, content)


def test_another_applicant_cannot_download_the_document(stored_document, other_client):
    application, _content = stored_document
    assert other_client.get(reverse("applications:file", args=[application.pk])).status_code == 404
    assert other_client.get(reverse("staff:file", args=[application.pk])).status_code == 403


def test_a_document_missing_from_storage_is_404_not_500(stored_document, applicant_client):
    application, _content = stored_document
    application.strategy_file.storage.delete(application.strategy_file.name)
    assert (
        applicant_client.get(reverse("applications:file", args=[application.pk])).status_code == 404
    )


def test_ascii_document_name_is_quoted_in_the_header(draft, applicant_client, private_storage):
    application = reloaded(draft)
    application.strategy_file.save("x.pdf", ContentFile(minimal_pdf()), save=False)
    application.strategy_file_name = 'say "hi".pdf'
    application.save()
    response = applicant_client.get(reverse("applications:file", args=[draft.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="say \\"hi\\".pdf"'


# --- staff pages with odd query strings ------------------------------------------------------


def test_staff_detail_with_an_odd_version_number_shows_the_latest_version(
    coordinator_client, complete_draft, applicant
):
    services.application_submit(
        application=complete_draft,
        actor=applicant,
        at=clock.now(),
        submit_token="a",
        consent=True,
    )
    for odd in ("²", "١", "-1", "99", "1e3", "\x00"):
        response = coordinator_client.get(
            reverse("staff:application", args=[complete_draft.pk]), {"version": odd}
        )
        assert response.status_code == 200, odd
        assert response.context["selected"].number == 1


def test_staff_list_with_odd_filters_is_not_a_500(reviewer_client, complete_draft):
    response = reviewer_client.get(
        reverse("staff:applications"),
        {"cohort": "99999999999999999999", "q": "\x00" + "x" * 500, "status": "bogus"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"cohort", "q", "status"}


# --- property-based fuzzing of every step ----------------------------------------------------

FUZZ = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the shared tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.sampled_from("\x00\r\n\t \u200b\u202e'\"<>&%=+-@"), max_size=20),
    st.builds(lambda ch, n: ch * n, st.characters(codec="utf-8"), st.integers(0, 20000)),
    st.sampled_from(
        [
            "",
            "0112038-9",
            "112038-9",
            "0112038-8",
            "\u0660\u0661\u0661\u0662\u0660\u0663\u0668-\u0669",
            "https://example.org/strategia",
            "javascript:alert(1)",
            "a@example.org",
            '=HYPERLINK("http://evil")',
            "-1",
            "1e309",
            "NaN",
            "99999999999999999999999",
            "on",
            *Track.values,
            *StrategicGoal.values,
            *OrganisationType.values,
            *TeamRole.values,
        ]
    ),
)
field_values = st.one_of(nasty_text, st.lists(nasty_text, max_size=3))
extra_keys = st.dictionaries(st.text(min_size=1, max_size=30), field_values, max_size=5)

STEP_FIELDS = {
    "organisation": ["org_name", "business_id", "org_type", "region", "website"],
    "contact": ["contact_name", "contact_title", "contact_email", "contact_phone"],
    "eligibility": ["took_keino_academy", "took_toimi_project", "readiness"],
    "track": ["track", "themes"],
    "strategy": ["strategic_goal", "strategy_text", "strategy_url", "strategy_file-clear"],
    "motivation": ["motivation", "development_goals", "resources"],
    "management": ["manager_name", "manager_title", "manager_email"],
    "pilot": ["pilot_subject", "pilot_value", "pilot_timetable", "pilot_fit"],
}


def team_data(draw):
    rows = draw(st.integers(0, 4))
    data = {
        # mostly a management form that matches the rows, sometimes a tampered one
        "team-TOTAL_FORMS": draw(
            st.one_of(
                st.just(str(rows)), st.just(str(rows)), st.integers(-3, 1100).map(str), nasty_text
            )
        ),
        "team-INITIAL_FORMS": draw(
            st.one_of(st.just("0"), st.just("0"), st.integers(-3, 5).map(str), nasty_text)
        ),
    }
    if draw(st.booleans()):
        data["team-MIN_NUM_FORMS"] = draw(nasty_text)
        data["team-MAX_NUM_FORMS"] = draw(nasty_text)
    for i in range(rows):
        data[f"team-{i}-name"] = draw(st.one_of(st.text(min_size=1, max_size=30), nasty_text))
        data[f"team-{i}-role"] = draw(st.one_of(st.sampled_from(TeamRole.values), nasty_text))
        for field in ("title", "email", "id", "DELETE"):
            if draw(st.booleans()):
                data[f"team-{i}-{field}"] = draw(nasty_text)
    return data


TEXT_LIKE = (
    "org_name",
    "business_id",
    "org_type",
    "region",
    "website",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "readiness",
    "track",
    "strategic_goal",
    "strategy_text",
    "strategy_url",
    "motivation",
    "development_goals",
    "manager_name",
    "manager_title",
    "manager_email",
    "pilot_subject",
    "pilot_timetable",
    "pilot_fit",
    "resources",
    "strategy_file_name",
    "last_submit_token",
)


def assert_only_valid_data(application_pk, cohort_pk):
    application = Application.objects.get(pk=application_pk)
    assert application.status == Status.DRAFT
    assert application.version == 0
    assert application.cohort_id == cohort_pk
    assert application.organisation_id is None
    assert application.business_id == "" or (
        CANONICAL_BUSINESS_ID.fullmatch(application.business_id)
        and validate_business_id(application.business_id) is None
    )
    for name in TEXT_LIKE:
        assert "\x00" not in getattr(application, name), name
    assert application.pilot_value is None or (
        application.pilot_value.is_finite() and application.pilot_value >= Decimal(0)
    )
    application.full_clean()  # lengths, choices, e-mail and URL formats, constraints
    assert {t.cohort_id for t in application.themes.all()} <= {cohort_pk}
    team = list(application.team.all())
    assert len(team) <= 20
    for member in team:
        member.full_clean()
        assert "\x00" not in member.name + member.title + member.email


def post_urlencoded(client, url, data):
    """Form-encoded like a browser: any key, any value, NUL bytes included."""
    return client.post(
        url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
    )


@pytest.mark.parametrize("step", sorted(STEP_FIELDS))
@FUZZ
@given(data=st.data())
def test_fuzzing_a_step_never_breaks_and_stores_only_valid_data(
    step, data, applicant_client, draft
):
    theme_ids = [str(pk) for pk in draft.cohort.themes.values_list("pk", flat=True)]
    posted = {}
    for field in STEP_FIELDS[step]:
        if data.draw(st.booleans()):
            posted[field] = data.draw(
                st.one_of(field_values, st.lists(st.sampled_from(theme_ids), max_size=3))
                if field == "themes"
                else field_values
            )
    posted.update(data.draw(extra_keys))
    posted["action"] = data.draw(st.sampled_from(["stay", "next", "previous", "review", "??"]))
    response = post_urlencoded(applicant_client, step_url(draft, step), posted)
    assert response.status_code in (200, 302)
    event(f"status {response.status_code}")
    assert_only_valid_data(draft.pk, draft.cohort_id)


@FUZZ
@given(data=st.data())
def test_fuzzing_the_team_step_never_breaks_and_stores_only_valid_data(
    data, applicant_client, draft
):
    posted = team_data(data.draw)
    posted.update(data.draw(extra_keys))
    posted["action"] = "stay"
    response = post_urlencoded(applicant_client, step_url(draft, "team"), posted)
    assert response.status_code in (200, 302)
    event(f"status {response.status_code}")
    assert_only_valid_data(draft.pk, draft.cohort_id)


@FUZZ
@given(data=st.data())
def test_fuzzing_submit_and_invite_never_breaks(data, applicant_client, draft):
    submit = {
        "privacy_consent": data.draw(field_values),
        "submit_token": data.draw(field_values),
        **data.draw(extra_keys),
    }
    response = post_urlencoded(
        applicant_client, reverse("applications:review", args=[draft.pk]), submit
    )
    assert response.status_code == 200  # incomplete: never submitted
    invite = {"email": data.draw(field_values), **data.draw(extra_keys)}
    response = post_urlencoded(
        applicant_client, reverse("applications:invite", args=[draft.pk]), invite
    )
    assert response.status_code in (200, 302)
    assert_only_valid_data(draft.pk, draft.cohort_id)
    for invitation in draft.invites.all():
        invitation.full_clean()


def test_a_replaced_document_leaves_no_file_behind(
    applicant_client, draft, private_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload_to_strategy(applicant_client, draft, "eka.pdf", minimal_pdf())
    first = stored_files(private_storage)
    assert len(first) == 1
    with django_capture_on_commit_callbacks(execute=True):
        upload_to_strategy(applicant_client, draft, "toka.pdf", minimal_pdf())
    second = stored_files(private_storage)
    assert len(second) == 1
    assert second != first
    draft.refresh_from_db()
    assert draft.strategy_file_name == "toka.pdf"
