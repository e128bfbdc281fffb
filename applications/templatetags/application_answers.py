"""The answers of a submitted version, worded in the language the template renders in."""

from django import template

from applications.snapshots import snapshot_for_reader

register = template.Library()


@register.simple_tag
def answers_in_plain_text(snapshot):
    """For mail: the snapshot worded in the recipient's language, as plain text."""
    return snapshot_for_reader(snapshot, html=False)
