"""soske.links: a link pattern resolved once gives the same URLs as reverse()."""

import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from soske.links import fixed_url, url_maker


def test_the_maker_gives_what_reverse_gives_for_one_and_two_ids():
    one = url_maker("deliverables_staff:remind")
    two = url_maker("deliverables_review:submission", 2)
    for pk in (1, 7, 12345):
        assert one(pk) == reverse("deliverables_staff:remind", args=[pk])
        assert two(pk, pk + 3) == reverse("deliverables_review:submission", args=[pk, pk + 3])
    assert two(4, 9) != two(9, 4)


LAYOUT_URLS = re.findall(r"fixed_url '([\w:]+)'", Path("templates/base.html").read_text())


def test_the_layouts_fixed_links_are_what_reverse_gives():
    assert len(LAYOUT_URLS) >= 8
    for name in LAYOUT_URLS + ["staff:applications", "outbox:list", "account_signup"]:
        assert fixed_url(name) == reverse(name)
        assert fixed_url(name) == reverse(name)  # remembered, still the same


def test_a_fixed_link_follows_the_script_prefix_and_the_url_configuration():
    plain = fixed_url("privacy")
    set_script_prefix("/soske/")
    try:
        assert fixed_url("privacy") == "/soske" + plain == reverse("privacy")
    finally:
        clear_script_prefix()
    assert fixed_url("privacy") == plain
    with override_settings(ROOT_URLCONF="tests.soske.urls_boom"):
        assert fixed_url("boom") == reverse("boom") == "/boom/"
    # Forgotten with the configuration that had it.
    with pytest.raises(NoReverseMatch):
        fixed_url("boom")
    assert fixed_url("privacy") == plain
