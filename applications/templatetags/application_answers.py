"""The answers of a submitted version, worded in the language the template renders in."""

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from applications.snapshots import snapshot_for_reader

register = template.Library()

BUSINESS_ID = mark_safe(' class="business-id"')  # business IDs never wrap (soske.css)


@register.simple_tag
def answers_in_plain_text(snapshot):
    """For mail: the snapshot worded in the recipient's language, as plain text."""
    return snapshot_for_reader(snapshot, html=False)


def _value(value):
    """`{{ value|default:"–" }}`: the dash for an empty answer, else the value localized."""
    if not value:
        return "–"
    return localize(template_localtime(value))


@register.simple_tag
def answers(snapshot, *, application=None, edit_links=False):
    """The answers as sections of <dl>, with a link to each step when `edit_links`.

    A tag, not an include: the review, scoring, interview, receipt and staff pages show some
    thirty answers, and the template language spent about 170 calls on each (issue 13).
    Values are written as `{{ value|default:"–" }}` would: localized, escaped unless safe.
    What was typed in another language than the page's is marked with that language."""
    page_language = get_language()
    language = snapshot.get("language") or ""
    foreign = bool(language) and language != page_language
    edit = _("Edit") if edit_links else ""
    parts = [format_html('<div lang="{}">', language)] if foreign else []
    for section in snapshot.get("sections", ()):
        slug, title = section["slug"], section["title"]
        link = ""
        if edit_links:
            link = format_html(
                ' <a class="fs-6 fw-normal" href="{}">{}<span class="visually-hidden">: {}'
                "</span></a>",
                reverse("applications:step", args=[application.pk, slug]),
                edit,
                title,
            )
        parts.append(
            format_html(
                '<section class="mb-3" aria-labelledby="section-{}">'
                '<h3 class="h5" id="section-{}">{}{}</h3>',
                slug,
                slug,
                title,
                link,
            )
        )
        rows = section.get("rows")
        if rows:
            parts.append('<dl class="answers">')
            parts.extend(
                f"<dt>{conditional_escape(localize(row.get('label')))}</dt>"
                f"<dd{BUSINESS_ID if row.get('field') == 'business_id' else ''}>"
                f"{conditional_escape(_value(row.get('value')))}</dd>"
                for row in rows
            )
            parts.append("</dl>")
        else:
            parts.append("<p>–</p>")
        parts.append("</section>")
    if foreign:
        parts.append("</div>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - format_html parts
