"""Who may do what with assignments, submissions, feedback and peer comments."""

import rules

from cohorts.rules import is_team_member
from soske.rules import is_coordinator, is_staff_member


@rules.predicate
def takes_part_in_peer_phase(user, assignment) -> bool:
    """A member of an active team of the assignment's cohort and track, while the
    assignment's peer phase is open."""
    if assignment is None or not assignment.peer_phase_open or not user.is_authenticated:
        return False
    memberships = user.team_memberships.filter(
        team__cohort_id=assignment.cohort_id, team__active=True
    )
    if assignment.audience != "both":
        memberships = memberships.filter(team__track=assignment.audience)
    return memberships.exists()


# A team's own work: its members (the object is the team).
rules.add_perm("deliverables.work_on_team", is_team_member)
# Staff read every team's work and give feedback; coordinators run the assignments.
rules.add_perm("deliverables.view_work", is_staff_member)
rules.add_perm("deliverables.give_feedback", is_staff_member)
rules.add_perm("deliverables.manage_assignments", is_coordinator)
rules.add_perm("deliverables.moderate_comments", is_coordinator)
# The peer phase (the object is the assignment).
rules.add_perm("deliverables.view_peer_work", takes_part_in_peer_phase)
# The follow-up of the pilot procurements: the table, reminders and the export.
rules.add_perm("deliverables.manage_followups", is_coordinator)
