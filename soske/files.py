"""Private files: one storage, one way to accept an upload, one way to hand it back.

Uploads are stored under generated names in the private storage (outside any public
URL), judged by their content and not by their name, and served only through a view
that has already checked who may read the file, with `private_file_response`.

An app declares a file field with `storage=private_storage, upload_to=upload_to("app")`
and validates the form field with `UploadValidator(DOCUMENTS)` (or `IMAGES`, or any
tuple of kinds), or uses `PrivateFileField(kinds=...)` in a plain form.
"""

import io
import mimetypes
import re
import unicodedata
import uuid
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def private_storage():
    """The storage of every private upload (STORAGES["private"])."""
    return storages["private"]


@deconstructible
class upload_to:  # noqa: N801 - used like a function in field declarations
    """A generated name under `folder`: nothing the user typed reaches the file system.

    The name keeps only the (already validated) extension of the upload.
    """

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename):
        suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        suffix = re.sub(r"[^a-z0-9]", "", suffix)[:5] or "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{suffix}"

    def __eq__(self, other):
        return isinstance(other, upload_to) and other.folder == self.folder


# --- Kinds, judged by content ---------------------------------------------------------

ODF_TEXT = b"application/vnd.oasis.opendocument.text"
# For zip-based formats: the archive member that makes the kind.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

# kind: (extensions the name may have, content type served, what the user is told)
KINDS = {
    "pdf": (("pdf",), "application/pdf", gettext_lazy("PDF")),
    "docx": (
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Word (DOCX)"),
    ),
    "xlsx": (
        ("xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Excel (XLSX)"),
    ),
    "odt": (
        ("odt",),
        "application/vnd.oasis.opendocument.text",
        gettext_lazy("OpenDocument text (ODT)"),
    ),
    "png": (("png",), "image/png", gettext_lazy("PNG image")),
    "jpeg": (("jpg", "jpeg"), "image/jpeg", gettext_lazy("JPEG image")),
}
DOCUMENTS = ("pdf", "docx", "odt", "xlsx")
IMAGES = ("png", "jpeg")


def sniff_kind(head: bytes, fileobj) -> str | None:
    """The kind ('pdf', 'docx', 'xlsx', 'odt', 'png', 'jpeg') from the content, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODF_TEXT:
                return "odt"
            if "[Content_Types].xml" in names:
                for kind, part in OOXML_MAIN_PART.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    finally:
        fileobj.seek(0)
    return None


def _kind_error(kinds) -> str:
    if tuple(kinds) == DOCUMENTS:
        return _(
            "This file is not a PDF, Word (DOCX), OpenDocument text (ODT) or Excel (XLSX) "
            "document. Save it in one of these formats and try again."
        )
    return _("This file is not of an accepted type (%(kinds)s). Save it as one and try again.") % {
        "kinds": ", ".join(str(KINDS[kind][2]) for kind in kinds)
    }


def validate_upload(upload, *, kinds=DOCUMENTS, max_bytes=None) -> str:
    """Check the size and the type of an upload; return its kind or raise ValidationError.

    The name must agree with the content: the stored file keeps the name's extension and
    downloads carry the name, so "report.html" holding a PDF/HTML polyglot, or "setup.exe",
    does not get through just because the content starts like a PDF.
    """
    max_bytes = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest allowed is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(8)
    data = upload.file if hasattr(upload, "file") else io.BytesIO(upload.read())
    kind = sniff_kind(head, data)
    upload.seek(0)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if kind not in kinds or extension not in KINDS[kind][0]:
        raise ValidationError(_kind_error(kinds), code="file_type")
    return kind


def is_new_upload(value) -> bool:
    """True for a file just uploaded, False for the stored file a form shows again."""
    return bool(value) and hasattr(value, "content_type")


@deconstructible
class UploadValidator:
    """A field validator: `validators=[UploadValidator(IMAGES)]`. Stored files pass."""

    def __init__(self, kinds=DOCUMENTS, max_bytes=None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, value):
        if is_new_upload(value):
            validate_upload(value, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and other.kinds == self.kinds
            and other.max_bytes == self.max_bytes
        )


def accept_attribute(kinds) -> str:
    """The `accept` attribute of a file input for these kinds: ".pdf,.docx"."""
    return ",".join(f".{ext}" for kind in kinds for ext in KINDS[kind][0])


class PrivateFileField(forms.FileField):
    """A form field that accepts only the given kinds, judged by content, up to a size."""

    def __init__(self, *, kinds=DOCUMENTS, max_bytes=None, **kwargs):
        self.kinds = tuple(kinds)
        kwargs.setdefault("validators", []).append(UploadValidator(self.kinds, max_bytes))
        kwargs.setdefault("widget", forms.ClearableFileInput)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute(self.kinds))


# --- Downloads ---------------------------------------------------------------------------


def safe_filename(name: str, *, default: str = "document") -> str:
    """The name a download carries: no path, no control characters, not empty."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    return name[-200:] or default


def content_type_of(stored_name: str) -> str:
    """The content type of a stored file by its generated name's (validated) extension."""
    extension = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else ""
    for extensions, content_type, _label in KINDS.values():
        if extension in extensions:
            return content_type
    return mimetypes.types_map.get(f".{extension}", "application/octet-stream")


def private_file_response(fieldfile, *, filename: str = "") -> FileResponse:
    """Hand back a file the caller has already authorised the user to read.

    An attachment (never shown inline), with the content type of its kind, `nosniff`, and
    a safe filename; 404 when there is no file or it is missing from storage.
    """
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(filename),
        content_type=content_type_of(fieldfile.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
