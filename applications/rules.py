"""Who may reach an application: its members on the applicant pages, staff on the staff
pages, the assigned reviewers to score it."""

import rules

from soske.rules import is_coordinator, is_staff_member

from .models import ReviewAssignment


@rules.predicate
def is_member(user, application) -> bool:
    """One of the people of the application's organisation (Application.objects.visible_to)."""
    if not user.is_authenticated or application is None:
        return False
    return application.members.filter(user=user).exists()


# Which staff members may read an application's answers and its document: today every one
# of them. (The need-to-know rule for reviewers not assigned to it belongs here.)
may_read_as_staff = is_staff_member


@rules.predicate
def is_assigned_without_conflict(user, application) -> bool:
    """Assigned to review the application and not conflicted. Until the conflict of interest
    is declared the reviewer may enter too: to declare it."""
    if not user.is_authenticated or application is None:
        return False
    return (
        ReviewAssignment.objects.filter(application=application, reviewer=user)
        .exclude(conflict=True)
        .exists()
    )


@rules.predicate
def has_declared_conflict(user, application) -> bool:
    if not user.is_authenticated or application is None:
        return False
    return ReviewAssignment.objects.filter(
        application=application, reviewer=user, conflict=True
    ).exists()


rules.add_perm("applications.view_application", is_member)
rules.add_perm("applications.read_application", may_read_as_staff)
rules.add_perm("applications.score_application", is_staff_member & is_assigned_without_conflict)
rules.add_perm("applications.view_history", is_coordinator & ~has_declared_conflict)
