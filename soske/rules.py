"""The kernel's predicates: the staff roles (Django groups). The apps build their permissions
from these in their own rules.py; every rules.py is found by rules' autodiscovery."""

import rules

from soske.users.models import Role


@rules.predicate
def is_reviewer(user) -> bool:
    return user.is_authenticated and user.has_role(Role.REVIEWER)


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


is_staff_member = is_reviewer | is_coordinator

# The staff pages (every staff member) and the coordinators' pages.
rules.add_perm("soske.view_staff_pages", is_staff_member)
rules.add_perm("soske.coordinate", is_coordinator)
