"""Who may reach an application: its members on the applicant pages, staff on the staff
pages, the assigned reviewers to score it."""

import rules

from soske.rules import is_coordinator, is_staff_member

from .models import Interview, ReviewAssignment


@rules.predicate
def is_member(user, application) -> bool:
    """One of the people of the application's organisation (Application.objects.visible_to)."""
    if not user.is_authenticated or application is None:
        return False
    if getattr(application, "reached_by_member_id", None) == user.pk:
        return True  # fetched through Application.objects.reached_by_member(user)
    return application.members.filter(user=user).exists()


@rules.predicate
def is_assigned_without_conflict(user, application) -> bool:
    """Assigned to review the application and not conflicted. Until the conflict of interest
    is declared the reviewer may enter too: to declare it."""
    if not user.is_authenticated or application is None:
        return False
    # The scoring page reads the viewer's assignment itself and leaves it on the application
    # (`viewer_assignment`, None when there is none): the same question, not asked twice.
    loaded = getattr(application, "viewer_assignment", False)
    if loaded is None:
        return False
    if loaded is not False and loaded.reviewer_id == user.pk:
        return loaded.conflict is not True
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


@rules.predicate
def has_declared_no_conflict(user, application) -> bool:
    if not user.is_authenticated or application is None:
        return False
    return ReviewAssignment.objects.filter(
        application=application, reviewer=user, conflict=False
    ).exists()


@rules.predicate
def is_interviewer(user, application) -> bool:
    """One of the interviewers of the application's booked interview."""
    if not user.is_authenticated or application is None:
        return False
    return Interview.objects.filter(
        application=application, state=Interview.State.BOOKED, slot__interviewers=user
    ).exists()


# Need to know: a coordinator reads every application, a reviewer the ones assigned to
# them (once they declared no conflict) and the ones whose interview they hold; a declared
# conflict of interest hides the application from anyone, coordinators included.
# Application.objects.readable_by_staff(user) is the same rule for lists and exports.
may_read_as_staff = (
    is_staff_member
    & ~has_declared_conflict
    & (is_coordinator | has_declared_no_conflict | is_interviewer)
)

rules.add_perm("applications.view_application", is_member)
rules.add_perm("applications.read_application", may_read_as_staff)
rules.add_perm("applications.score_application", is_staff_member & is_assigned_without_conflict)
rules.add_perm("applications.view_history", is_coordinator & ~has_declared_conflict)
# Marking a decision: a coordinator without a conflict (another coordinator marks it).
rules.add_perm("applications.mark_application", is_coordinator & ~has_declared_conflict)
