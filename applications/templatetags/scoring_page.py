"""The scoring page's panels written by tags (issue 13): the interview's checklist and outcome,
and the other reviewers' scores."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from applications.interview_guide import CHECKLIST

register = template.Library()


@register.simple_tag
def other_reviews(others):
    """The other reviewers' scores under the scoring form (scoring.OtherReview): a
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
