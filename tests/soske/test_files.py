"""The kernel's private files: generated names, uploads judged by content, safe downloads."""

import io
import re
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from soske.files import (
    DOCUMENTS,
    IMAGES,
    PrivateFileField,
    UploadValidator,
    private_file_response,
    private_storage,
    safe_filename,
    upload_to,
    validate_upload,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HTML = b"<html><script>alert(1)</script></html>"


def zipped(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DOCX = zipped(**{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = zipped(**{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = zipped(mimetype="application/vnd.oasis.opendocument.text", **{"content.xml": "<x/>"})


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- names -----------------------------------------------------------------------------


def test_the_stored_name_is_generated_in_the_apps_folder_keeping_only_the_extension():
    name = upload_to("workshops/slides")(None, "../../etc/Passwd Secret.PDF")
    assert re.fullmatch(r"workshops/slides/[0-9a-f]{32}\.pdf", name), name
    assert upload_to("deliverables")(None, "no extension").endswith(".bin")
    assert re.fullmatch(r"x/[0-9a-f]{32}\.rm", upload_to("x")(None, "evil.$(rm)"))


def test_upload_to_is_serialisable_for_migrations():
    path, args, kwargs = upload_to("deliverables").deconstruct()
    assert (path, args, kwargs) == ("soske.files.upload_to", ("deliverables",), {})
    assert upload_to("a") == upload_to("a") and upload_to("a") != upload_to("b")


def test_the_private_storage_is_the_configured_one(settings):
    assert private_storage().location == str(settings.STORAGES["private"]["OPTIONS"]["location"])


# --- accepting an upload ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF, "pdf"),
        ("a.DOCX", DOCX, "docx"),
        ("a.xlsx", XLSX, "xlsx"),
        ("a.odt", ODT, "odt"),
        ("a.png", PNG, "png"),
        ("a.jpg", JPEG, "jpeg"),
        ("a.jpeg", JPEG, "jpeg"),
    ],
)
def test_every_offered_kind_is_recognised_by_its_content(name, content, kind):
    assert validate_upload(upload(name, content), kinds=DOCUMENTS + IMAGES) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kuva.png", HTML),  # a web page named as an image
        ("kuva.png", PDF),  # content and name disagree
        ("kuva.jpg", PNG),
        ("kuva.html", PNG),  # the name is not an accepted kind
        ("kuva", PNG),
    ],
)
def test_a_disguised_image_is_refused_with_the_localized_message(name, content):
    with translation.override("fi"), pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content), kinds=IMAGES)
    assert caught.value.code == "file_type"
    assert caught.value.messages == [
        "Tiedosto ei ole hyväksyttyä tyyppiä (PNG-kuva, JPEG-kuva). "
        "Tallenna se johonkin näistä muodoista ja yritä uudelleen."
    ]


def test_a_document_where_an_image_is_wanted_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("a.pdf", PDF), kinds=IMAGES)
    assert caught.value.messages == [
        "This file is not of an accepted type (PNG image, JPEG image). "
        "Save it as one and try again."
    ]


def test_documents_keep_the_message_applicants_know(settings):
    with translation.override("sv"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("a.pdf", HTML), kinds=DOCUMENTS)
    with translation.override("sv"):
        expected = _(
            "This file is not a PDF, Word (DOCX), OpenDocument text (ODT) or Excel (XLSX) "
            "document. Save it in one of these formats and try again."
        )
    assert expected.startswith("Filen")  # translated, not the English msgid
    assert caught.value.messages == [expected]


def test_an_oversize_upload_is_refused_with_the_localized_message(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with translation.override("fi"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("a.pdf", PDF + b"%" * 2000))
    assert caught.value.code == "file_too_large"
    assert caught.value.messages == [
        "Tiedosto on liian suuri (2,0\xa0KB). Suurin sallittu koko on 1,0\xa0KB."
    ]


def test_the_limit_can_be_set_per_field_and_the_exact_limit_passes():
    content = PNG + b"\x00" * (100 - len(PNG))
    assert validate_upload(upload("a.png", content), kinds=IMAGES, max_bytes=100) == "png"
    with pytest.raises(ValidationError):
        validate_upload(upload("a.png", content + b"\x00"), kinds=IMAGES, max_bytes=100)


class SlideForm(forms.Form):
    slides = PrivateFileField(kinds=("pdf", "png"), max_bytes=10_000)


def test_a_form_field_of_any_app_refuses_with_a_field_error_and_accepts_by_content():
    with translation.override("en"):
        form = SlideForm(files={"slides": upload("slides.png", HTML)})
        assert not form.is_valid()
        assert form.errors["slides"] == [
            "This file is not of an accepted type (PDF, PNG image). Save it as one and try again."
        ]
    form = SlideForm(files={"slides": upload("slides.pdf", PDF)})
    assert form.is_valid(), form.errors
    assert 'accept=".pdf,.png"' in str(form["slides"])


def test_the_validator_leaves_an_already_stored_file_alone():
    stored = ContentFile(HTML, name="applications/abc.pdf")  # no content_type: not an upload
    UploadValidator(IMAGES)(stored)  # no error
    with pytest.raises(ValidationError):
        UploadValidator(IMAGES)(upload("a.png", HTML))


# --- handing a file back ---------------------------------------------------------------


class Holder:
    """A model-like owner of a FieldFile on a temporary private storage."""


@pytest.fixture
def stored(tmp_path):
    from django.db.models.fields.files import FieldFile, FileField

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("workshops/0123456789abcdef0123456789abcdef.pdf", ContentFile(PDF))
    field = FileField(storage=storage)
    field.name = "file"
    return FieldFile(Holder(), field, name)


def test_the_download_is_an_attachment_with_its_type_nosniff_and_a_safe_name(stored):
    response = private_file_response(stored, filename="../../Työpaja 1.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Ty%C3%B6paja%201.pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_download_without_a_name_gets_a_neutral_one(stored):
    response = private_file_response(stored, filename="")
    assert response["Content-Disposition"] == 'attachment; filename="document"'
    # The file only: response.close() would also signal request_finished (database).
    response.file_to_stream.close()


def test_a_missing_file_is_404(stored):
    stored.storage.delete(stored.name)
    with pytest.raises(Http404):
        private_file_response(stored, filename="a.pdf")


def test_no_file_is_404():
    from django.db.models.fields.files import FieldFile, FileField

    field = FileField()
    field.name = "file"
    with pytest.raises(Http404):
        private_file_response(FieldFile(Holder(), field, ""), filename="a.pdf")


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("Strategia 2030.docx", "Strategia 2030.docx"),
        ("C:\\Users\\x\\raportti.pdf", "raportti.pdf"),
        ("/etc/passwd", "passwd"),
        ("a\r\nSet-Cookie: x.pdf", "aSet-Cookie: x.pdf"),
        ("..", "document"),
        ("", "document"),
    ],
)
def test_safe_filename(given, safe):
    assert safe_filename(given) == safe
