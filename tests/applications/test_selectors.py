"""The ranking is a selector: the board, the reviews export and the results book read it.

`ranking_rows` gives the criteria and one row per submitted application, best mean first;
a viewer sees no scores of an application they declared a conflict of interest with.
"""

from decimal import Decimal

from applications import selectors
from tests.applications.test_scoring import assigned, scored, staff, submitted_application
from tests.factories import ApplicationFactory


def test_the_ranking_rows_rank_the_submitted_and_hide_a_conflicted_viewers_scores(cohort):
    lower = submitted_application(cohort, org_name="Alala")
    higher = submitted_application(cohort, org_name="Ylälä")
    ApplicationFactory(cohort=cohort, org_name="Luonnosla")  # a draft is not ranked
    colleague = staff("kollega@example.org")
    scored(lower, colleague, [1, 1, 1, 1])
    scored(higher, colleague, [5, 4, 3, 2])
    viewer = staff("eero.reviewer@example.org")
    assigned(higher, viewer, conflict=True)

    criteria, rows = selectors.ranking_rows(cohort=cohort)
    assert [c.key for c in criteria] == [c.key for c in cohort.criteria.all()]
    assert [(r["application"], r["mean"], r["conflicted"]) for r in rows] == [
        (higher, Decimal("80.0"), False),
        (lower, Decimal("20.0"), False),
    ]

    assert selectors.conflicted_application_ids(cohort=cohort, user=viewer) == {higher.pk}
    _criteria, rows = selectors.ranking_rows(cohort=cohort, viewer=viewer)
    assert [(r["application"], r["mean"], r["conflicted"], r["reviews"]) for r in rows] == [
        (lower, Decimal("20.0"), False, 1),
        (higher, None, True, 0),
    ]
