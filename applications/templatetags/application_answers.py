"""The answers of a submitted version, worded in the language the template renders in."""

import html

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from applications.interview_guide import CHECKLIST
from applications.snapshots import snapshot_for_reader

register = template.Library()

BUSINESS_ID = mark_safe(' class="business-id"')  # business IDs never wrap (soske.css)


@register.simple_tag
def answers_in_plain_text(snapshot):
    """For mail: the snapshot worded in the recipient's language, as plain text."""
    return snapshot_for_reader(snapshot, html=False)


def _escaped(value) -> str:
    """What `conditional_escape` gives, for the tag's inner loop without its wrappers: the
    value's own markup if it is safe, else the value escaped as Django escapes."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


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
                f"<dt>{_escaped(localize(row.get('label')))}</dt>"
                f"<dd{BUSINESS_ID if row.get('field') == 'business_id' else ''}>"
                f"{_escaped(_value(row.get('value')))}</dd>"
                for row in rows
            )
            parts.append("</dl>")
        else:
            parts.append("<p>–</p>")
        parts.append("</section>")
    if foreign:
        parts.append("</div>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - format_html parts


@register.simple_tag
def other_reviews(others):
    """The other reviewers' scores under the scoring form (selection_views.OtherReview): a
    heading per reviewer, their score and justification per criterion. A tag: the page
    shows some ten of them (issue 13). A criterion's name that fell back to another language
    is marked with it."""
    parts = []
    for other in others:
        parts.append(format_html('<h3 class="h6">{}</h3>\n<ul>', other.reviewer))
        for score in other.scores:
            parts.append(
                format_html(
                    "<li>{}: {}{}</li>",
                    score.criterion.name_html,
                    score.value,
                    format_html(" – {}", score.justification) if score.justification else "",
                )
            )
        parts.append("</ul>\n")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - format_html parts


@register.simple_tag
def interview_summary(interview):
    """The interview's checklist (interview_guide.CHECKLIST, each item yes or no) and its
    outcome in brief, beside the scoring form. A tag: every item of the checklist, in its
    order, without a template tag per word (issue 13)."""
    yes, no = _("Yes"), _("No")
    items = format_html_join(
        "\n",
        "<li>{}: {}</li>",
        ((label, yes if interview.checklist.get(key) else no) for key, label in CHECKLIST),
    )
    return format_html(
        '<div class="border rounded p-3 mb-3">\n<h3 class="h5">{}</h3>\n'
        '<ul class="list-unstyled">\n{}\n</ul>\n'
        '<p class="mb-0"><strong>{}:</strong> {}</p>\n</div>',
        _("Interview"),
        items,
        _("Outcome in brief"),
        interview.outcome or "–",
    )
