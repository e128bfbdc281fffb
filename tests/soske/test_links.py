"""soske.links: a link pattern resolved once gives the same URLs as reverse()."""

from django.urls import reverse

from soske.links import url_maker


def test_the_maker_gives_what_reverse_gives_for_one_and_two_ids():
    one = url_maker("deliverables_staff:remind")
    two = url_maker("deliverables_review:submission", 2)
    for pk in (1, 7, 12345):
        assert one(pk) == reverse("deliverables_staff:remind", args=[pk])
        assert two(pk, pk + 3) == reverse("deliverables_review:submission", args=[pk, pk + 3])
    assert two(4, 9) != two(9, 4)
