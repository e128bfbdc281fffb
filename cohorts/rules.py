"""Who may do what with cohorts and teams, and the freeze of the scoring rules."""

import rules

from soske.rules import is_coordinator


@rules.predicate
def is_team_member(user, team) -> bool:
    """A person who joined the team (of a selected organisation) while the team is active."""
    if not user.is_authenticated or team is None or not team.active:
        return False
    if getattr(team, "member_checked_for", None) == user.pk:
        return True  # loaded through Team.objects.visible_to(user): the membership is known
    return team.memberships.filter(user=user).exists()


@rules.predicate
def scoring_has_started(_user, cohort) -> bool:
    """The freeze: with the cohort's first submitted review its criteria, their weights and
    the score scale can no longer change. The services, forms, views and the admin all ask
    here (through `frozen` where no user is at hand)."""
    return cohort is not None and cohort.pk is not None and cohort.scoring_started


def frozen(cohort) -> bool:
    return scoring_has_started(None, cohort)


# What the freeze holds still: these fields of the cohort and of each criterion; no
# criterion is added or deleted either.
FROZEN_COHORT_FIELDS = frozenset({"score_min", "score_max"})
FROZEN_CRITERION_FIELDS = frozenset({"weight"})


rules.add_perm("cohorts.edit_cohort", is_coordinator)
rules.add_perm("cohorts.view_team", is_team_member)
