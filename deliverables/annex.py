"""The code-of-conduct annex as a Word document (DOCX), built from a team's annex
worksheet: the procurement it is for, the chosen minimum responsibility obligations and the
contract terms that enforce them (numbered, in the chosen language, as the team chose
them: from the snapshot, never from the coordinator's list as it is now) and the team's
own text."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Cm

from .worksheets import snapshot_text

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def annex_title() -> str:
    return _("Code-of-conduct annex")


def annex_docx(content: dict, *, language: str, organisation_name: str, cohort_name: str) -> bytes:
    content = content or {}
    with translation.override(language):
        title = annex_title()
        document = Document()
        properties = document.core_properties
        properties.title = f"{title} – {organisation_name}"
        properties.language = language
        properties.subject = cohort_name
        document.add_heading(title, level=0)
        document.add_paragraph(f"{organisation_name} · {cohort_name}")
        procurement = (content.get("procurement") or "").strip()
        if procurement:
            document.add_heading(_("Procurement the annex is for"), level=1)
            document.add_paragraph(procurement)
        for key, heading in (
            ("obligations", _("Minimum responsibility obligations")),
            ("terms", _("Contract terms that enforce them")),
        ):
            document.add_heading(heading, level=1)
            items = [snapshot_text(s, language) for s in content.get(key, [])]
            if not items:
                document.add_paragraph(_("None chosen yet."))
            # Numbered in the text itself: Word's list numbering would run on from the
            # obligations into the terms.
            for number, text in enumerate(items, start=1):
                paragraph = document.add_paragraph(f"{number}. {text}")
                paragraph.paragraph_format.left_indent = Cm(0.75)
                paragraph.paragraph_format.first_line_indent = Cm(-0.75)
        own_text = (content.get("own_text") or "").strip()
        if own_text:
            document.add_heading(_("Own text"), level=1)
            for paragraph in own_text.splitlines():
                if paragraph.strip():
                    document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
