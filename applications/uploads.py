"""Which documents we accept, judged by their content, not by their name."""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ODF_TEXT = b"application/vnd.oasis.opendocument.text"
# What the first bytes and, for zip-based formats, the archive members must be.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ALLOWED_EXTENSIONS = ("pdf", "docx", "odt", "xlsx")


def sniff_document_type(head: bytes, fileobj) -> str | None:
    """Return 'pdf', 'docx', 'xlsx' or 'odt' from the content, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
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


def validate_document(upload) -> str:
    """Check size and type of an uploaded policy document; return its kind."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest allowed is %(max)s.")
            % {
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(8)
    data = upload.file if hasattr(upload, "file") else io.BytesIO(upload.read())
    kind = sniff_document_type(head, data)
    upload.seek(0)
    # The name must agree with the content: the stored file keeps the name's extension
    # and downloads carry the name, so "report.html" holding a PDF/HTML polyglot, or
    # "setup.exe", must not get through just because the content starts like a PDF.
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if kind is None or extension not in ALLOWED_EXTENSIONS or extension != kind:
        raise ValidationError(
            _(
                "This file is not a PDF, Word (DOCX), OpenDocument text (ODT) or Excel (XLSX) "
                "document. Save it in one of these formats and try again."
            ),
            code="file_type",
        )
    return kind
