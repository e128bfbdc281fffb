"""The POSTs of the team's and the staff's work pages, persona by persona, in the access
table's world (the GETs are rows of tests/soske/test_access.py)."""

import pytest
from django.urls import reverse

from tests.access import PERSONAS
from tests.deliverables.access_team import POST_ROWS
from tests.soske.test_access import (  # noqa: F401 - the access table's fixtures
    CLIENT_FIXTURES,
    _fast_password_hashing,
    other_team_member,
    other_team_member_client,
    outcome_of,
    private_storage,
    team_member,
    team_member_client,
    world,
)


@pytest.mark.parametrize("name", sorted(POST_ROWS))
def test_posts_match_the_table(name, world, request):  # noqa: F811
    kwargs, expected = POST_ROWS[name]
    path = reverse(name, kwargs=kwargs(world))
    observed = {}
    for persona in PERSONAS:
        client = request.getfixturevalue(CLIENT_FIXTURES[persona])
        observed[persona] = outcome_of(client.post(path), path)
    assert observed == expected
