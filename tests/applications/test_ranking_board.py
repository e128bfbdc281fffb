"""The ranking board as issue 13 made it: the same sums from plain score tuples, one decision
menu open at a time, and every row's facts still on the page."""

import re
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.urls import reverse

from applications import scoring, selection
from applications.models import Application, Mark, Review
from soske.users.models import Role
from tests.conftest import client_for
from tests.factories import CohortFactory

from .test_scoring import scored, set_weights, staff, submitted_application


@pytest.fixture
def cohort(db):
    return CohortFactory(name="Soske 2032")


@pytest.fixture
def coord(db):
    return staff("claes.coordinator@example.org", Role.COORDINATOR)


def _by_application_result(cohort):
    """The reference: application_result over prefetched Review and Score objects."""
    criteria = list(cohort.criteria.all())
    applications = Application.objects.filter(cohort=cohort).prefetch_related(
        Prefetch("reviews", queryset=Review.objects.prefetch_related("scores"))
    )
    return {a.pk: scoring.application_result(a, criteria, cohort) for a in applications}


def test_the_board_sums_the_same_as_application_result(cohort):
    set_weights(cohort, ["4.5", "3", "2.25", "1"])  # Decimal weights: scaled to integers
    reviewers = [staff(f"r{i}@example.org") for i in range(3)]
    a = submitted_application(cohort, org_name="Aaltola")
    b = submitted_application(cohort, org_name="Bertila")
    c = submitted_application(cohort, org_name="Cedarby")  # not scored
    scored(a, reviewers[0], [5, 4, 3, 2])
    scored(a, reviewers[1], [1, 0, 5, 3])
    scored(a, reviewers[2], [2, 2, 2, 2], submit=False)  # a draft: not counted
    scored(b, reviewers[0], [3, 3, 4, 0])

    reference = _by_application_result(cohort)
    criteria = list(cohort.criteria.all())
    from applications.selectors import ranking_rows

    _criteria, rows = ranking_rows(cohort=cohort)
    fast = {r["application"].pk: r for r in rows}
    for application in (a, b, c):
        want = reference[application.pk]
        row = fast[application.pk]
        assert row["exact_mean"] == want.mean
        assert row["reviews"] == len(want.totals)
        assert row["spread"] == scoring.as_decimal(want.spread)
        assert [value for _c, value, _fraction in row["bars"]] == [
            scoring.as_decimal(want.criterion_mean(k.pk), "1") for k in criteria
        ]
    # and the figures themselves: 100 × (4.5·5 + 3·4 + 2.25·3 + 1·2) / (5 × 10.75) = 80.47 and
    # 100 × (4.5·1 + 0 + 2.25·5 + 1·3) / 53.75 = 34.88, mean 57.67
    assert fast[a.pk]["mean"] == Decimal("57.7")
    assert fast[b.pk]["reviews"] == 1 and fast[c.pk]["mean"] is None


def test_integer_weights_keep_the_proportions():
    assert scoring.integer_weights({1: Decimal("4.5"), 2: Decimal("3"), 3: Decimal("0.25")}) == {
        1: 18,
        2: 12,
        3: 1,
    }
    values = {1: 5, 2: 2, 3: 0}
    weights = {1: Decimal("4.5"), 2: Decimal("3"), 3: Decimal("0.25")}
    # the old sum, term by term in Fractions
    from fractions import Fraction

    exact = sum(Fraction(weights[k]) * Fraction(values[k]) / 5 for k in weights)
    assert scoring.weighted_total(values, weights, 0, 5) == 100 * exact / sum(
        Fraction(w) for w in weights.values()
    )


def test_the_board_opens_one_decision_menu_at_a_time(cohort, coord):
    reviewer = staff("r@example.org")
    first = submitted_application(cohort, org_name="Aaltola")
    second = submitted_application(cohort, org_name="Bertila")
    scored(first, reviewer, [5, 5, 5, 5])
    scored(second, reviewer, [1, 1, 1, 1])
    selection.decision_mark(
        application=second, mark=Mark.RESERVE, feedback="Vahva hakemus.", actor=coord
    )
    client = client_for(coord)
    board = reverse("staff:ranking", args=[cohort.pk])

    closed = client.get(board).content.decode()
    assert "<select" not in closed and "<textarea" not in closed
    assert closed.count(' formaction="') == 0
    # every row says its decision and links to its own menu
    assert f'href="?decide={first.pk}#row-{first.pk}"' in closed
    assert f'href="?decide={second.pk}#row-{second.pk}"' in closed
    assert "Not marked yet" in closed and ">Reserve<a " in closed

    opened = client.get(board, {"decide": second.pk}).content.decode()
    assert opened.count("<select") == 1 and opened.count("<textarea") == 1
    assert f'name="a{second.pk}-mark"' in opened
    assert '<option value="reserve" selected>' in opened
    assert ">Vahva hakemus.</textarea>" in opened
    assert f'formaction="{reverse("staff:mark", args=[second.pk])}"' in opened
    assert f'<tr id="row-{second.pk}" class="table-active">' in opened
    # one CSRF token for the whole board, open row or not
    for page in (closed, opened):
        form = page[page.index('<form method="post" id="board">') :]
        form = form[: form.index("</form>")]
        assert form.count('name="csrfmiddlewaretoken"') == 1

    for junk in ("x", "-1", "99999999"):
        page = client.get(board, {"decide": junk})
        assert page.status_code == 200
        assert "<select" not in page.content.decode()


def test_saving_from_the_shared_form_reads_only_its_own_row(cohort, coord):
    """The board's one form posts every open field; the mark view takes its row's."""
    first = submitted_application(cohort, org_name="Aaltola")
    second = submitted_application(cohort, org_name="Bertila")
    client = client_for(coord)
    response = client.post(
        reverse("staff:mark", args=[first.pk]),
        {
            f"a{first.pk}-mark": Mark.NOT_SELECTED,
            f"a{first.pk}-feedback": "Kiitos.",
            f"a{second.pk}-mark": Mark.SELECTED,
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#row-{first.pk}")
    first.refresh_from_db()
    assert (first.decision.mark, first.decision.feedback) == (Mark.NOT_SELECTED, "Kiitos.")
    assert not hasattr(Application.objects.get(pk=second.pk), "decision")


def test_the_pending_count_is_what_the_release_counts(cohort, coord):
    applications = [submitted_application(cohort, org_name=f"Org {i}") for i in range(3)]
    for application, value in zip(applications, (Mark.SELECTED, Mark.RESERVE), strict=False):
        selection.decision_mark(application=application, mark=value, feedback="", actor=coord)
    page = client_for(coord).get(reverse("staff:ranking", args=[cohort.pk]))
    assert page.context["pending"] == len(selection.pending_messages(cohort)) == 2
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "2 decisions not yet released." in text


@pytest.mark.parametrize(
    ("value", "fraction"),
    [(None, "0"), (Decimal("0"), "0"), (Decimal("5"), ".05"), (Decimal("83"), ".83"),
     (Decimal("99"), ".99"), (Decimal("100"), "1")],
)  # fmt: skip
def test_a_bar_is_its_meters_value_in_0_to_1(value, fraction):
    from applications.selectors import _bar

    assert _bar("criterion", value) == ("criterion", value, fraction)
