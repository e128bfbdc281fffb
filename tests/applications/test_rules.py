"""The applications' permissions, declared once in applications/rules.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from applications.models import Application, ReviewAssignment
from soske import clock
from tests.factories import ApplicationFactory


@pytest.fixture
def application(cohort, applicant):
    return ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)


def _assign(application, reviewer, conflict):
    return ReviewAssignment.objects.create(
        application=application,
        reviewer=reviewer,
        assigned_by=reviewer,
        assigned_at=clock.now(),
        conflict=conflict,
    )


def test_only_the_members_may_view_an_application(
    application, applicant, other_applicant, reviewer, coordinator
):
    assert applicant.has_perm("applications.view_application", application)
    for outsider in (other_applicant, reviewer, coordinator, AnonymousUser()):
        assert not outsider.has_perm("applications.view_application", application)


def test_visible_to_is_the_members_applications(application, applicant, other_applicant):
    theirs = ApplicationFactory(cohort=application.cohort, created_by=other_applicant)
    assert list(Application.objects.visible_to(applicant)) == [application]
    assert list(Application.objects.visible_to(other_applicant)) == [theirs]
    assert list(Application.objects.visible_to(AnonymousUser())) == []


@pytest.mark.parametrize(("conflict", "may_read"), [(None, False), (False, True), (True, False)])
def test_a_reviewer_reads_an_application_once_assigned_without_a_conflict(
    application, reviewer, conflict, may_read
):
    assert not reviewer.has_perm("applications.read_application", application)
    _assign(application, reviewer, conflict)
    assert reviewer.has_perm("applications.read_application", application) is may_read
    readable = Application.objects.readable_by_staff(reviewer)
    assert (application in readable) is may_read


def test_a_coordinator_reads_every_application_but_one_with_a_declared_conflict(
    application, coordinator, applicant
):
    assert coordinator.has_perm("applications.read_application", application)
    assert coordinator.has_perm("applications.mark_application", application)
    _assign(application, coordinator, True)
    assert not coordinator.has_perm("applications.read_application", application)
    assert not coordinator.has_perm("applications.mark_application", application)
    assert list(Application.objects.readable_by_staff(coordinator)) == []
    assert not applicant.has_perm("applications.read_application", application)
    assert list(Application.objects.readable_by_staff(applicant)) == []


@pytest.mark.parametrize(("conflict", "may_score"), [(None, True), (False, True), (True, False)])
def test_an_assigned_reviewer_may_score_unless_conflicted(
    application, reviewer, conflict, may_score
):
    """Until the conflict is declared the reviewer may enter: to declare it."""
    _assign(application, reviewer, conflict)
    assert reviewer.has_perm("applications.score_application", application) is may_score


def test_staff_not_assigned_may_not_score(application, reviewer, coordinator, applicant):
    _assign(application, reviewer, False)
    assert not coordinator.has_perm("applications.score_application", application)
    other = ApplicationFactory(cohort=application.cohort, complete=True)
    assert not reviewer.has_perm("applications.score_application", other)
    assert not applicant.has_perm("applications.score_application", application)


def test_a_coordinator_sees_the_history_unless_conflicted(application, coordinator, reviewer):
    assert coordinator.has_perm("applications.view_history", application)
    assert not reviewer.has_perm("applications.view_history", application)
    _assign(application, coordinator, False)
    assert coordinator.has_perm("applications.view_history", application)
    ReviewAssignment.objects.filter(reviewer=coordinator).update(conflict=True)
    assert not coordinator.has_perm("applications.view_history", application)


def test_an_application_reached_as_a_member_is_not_asked_about_again(
    application, applicant, other_applicant, django_assert_num_queries
):
    """_my_application fetches through reached_by_member: the row is marked with whom it was
    reached by, and the is_member rule trusts that mark for that person alone."""
    reached = Application.objects.reached_by_member(applicant).get(pk=application.pk)
    assert reached.reached_by_member_id == applicant.pk
    with django_assert_num_queries(0):
        assert applicant.has_perm("applications.view_application", reached)
    # Someone else holding the same instance is asked about in the database (and refused).
    with django_assert_num_queries(1):
        assert not other_applicant.has_perm("applications.view_application", reached)
    assert list(Application.objects.reached_by_member(other_applicant)) == []
    assert list(Application.objects.reached_by_member(AnonymousUser())) == []


def test_the_scoring_rule_trusts_a_loaded_assignment_only_for_its_own_reviewer(
    application, reviewer, coordinator
):
    """The scoring page leaves the viewer's assignment on the application (viewer_assignment):
    the rule reads it instead of the database, for that reviewer only; None means none."""
    perm = "applications.score_application"
    mine = _assign(application, reviewer, conflict=False)
    application.viewer_assignment = mine
    assert reviewer.has_perm(perm, application)
    assert not coordinator.has_perm(perm, application)  # not theirs: asked, and not assigned
    mine.conflict = True
    assert not reviewer.has_perm(perm, application)  # as loaded: conflicted
    application.viewer_assignment = None
    mine.conflict = False
    assert not reviewer.has_perm(perm, application)  # loaded as absent
    del application.viewer_assignment
    assert reviewer.has_perm(perm, application)  # from the database
