"""axe-core (WCAG 2.1 A and AA) finds nothing on any page of the scoring and selection,
in fi, sv and en.

The reviewer's declaration of conflicts of interest, the scoring page (a draft, refused,
submitted with the other reviewers' scores) and the list of their reviews; the
coordinator's assignments, ranking board, release preview and history; the selected
organisation's team page and its invitation. And the weighted total on the scoring page
follows the reviewer's choices with the server's own formula (static/js/scoring.js).
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from applications import interviews, scoring, selection
from applications.models import Decision, Mark, Review, ReviewAssignment
from cohorts.models import Team, TeamMembership
from soske import clock
from soske.users.models import Role
from tests.factories import CohortFactory, close_call

from .conftest import LANGUAGES, sign_in, t
from .test_accessibility import assert_lang, person, submit_form_of, submitted_application

pytestmark = pytest.mark.browser

JUSTIFICATION = "Perustelu: hakemus kuvaa tavoitteet selvästi."


def scores_of(cohort, *values):
    return {c.pk: v for c, v in zip(cohort.criteria.all(), values, strict=True)}


def review(application, reviewer, *values, submit=True, text=JUSTIFICATION):
    """Assign `reviewer`, declare no conflict and save their scores (submitted or a draft)."""
    cohort = application.cohort
    assignment = ReviewAssignment.objects.filter(application=application, reviewer=reviewer)
    if not assignment.exists():
        scoring.assign(application=application, reviewers=[reviewer], actor=reviewer)
    scoring.declare_conflict(
        assignment=assignment.get(), conflict=False, explanation="", actor=reviewer
    )
    return scoring.review_save(
        application=application,
        reviewer=reviewer,
        values=scores_of(cohort, *values),
        justifications={c.pk: text for c in cohort.criteria.all()},
        submit=submit,
    )


class World:
    """One call in the middle of its selection.

    Rita the reviewer has four applications: `undeclared` (no declaration yet), `draft`
    (scores saved, not submitted), `scored` (submitted, as have two colleagues) and
    `conflicted` (a declared conflict of interest). Cecilia the coordinator has marked
    three of them; `conflicted` is still unmarked. `scored` has had its interview.
    """

    def __init__(self, language):
        self.language = language
        self.coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
        self.reviewer = person("rita@example.org", language, Role.REVIEWER)
        self.colleague = person("reino@example.org", language, Role.REVIEWER)
        self.third = person("riikka@example.org", language, Role.REVIEWER)
        # The decisions go out in the applicant's language, not the coordinator's.
        self.applicant_language = "sv" if language != "sv" else "fi"
        self.applicant = person("alice@example.org", self.applicant_language, Role.APPLICANT)
        self.cohort = CohortFactory(name="Soske-akatemia 2031", max_selected=2)
        cohort = self.cohort
        self.undeclared = submitted_application(cohort, self.applicant, "Aaltola kaupunki")
        self.draft = submitted_application(cohort, self.applicant, "Bertby kommun")
        self.scored = submitted_application(cohort, self.applicant, "Ceelän kunta")
        self.conflicted = submitted_application(cohort, self.applicant, "Dooria kuntayhtymä")

        scoring.assign(
            application=self.undeclared,
            reviewers=[self.reviewer, self.colleague],
            actor=self.coordinator,
        )
        review(self.undeclared, self.colleague, 4, 3, 5, 2)
        review(self.draft, self.reviewer, 3, None, 4, None, submit=False, text="")
        review(self.draft, self.colleague, 2, 2, 3, 1)
        review(self.scored, self.reviewer, 5, 4, 4, 3)
        review(self.scored, self.colleague, 3, 4, 2, 5)
        review(self.scored, self.third, 4, 4, 3, 3, text="")
        scoring.assign(
            application=self.conflicted, reviewers=[self.reviewer], actor=self.coordinator
        )
        scoring.declare_conflict(
            assignment=ReviewAssignment.objects.get(
                application=self.conflicted, reviewer=self.reviewer
            ),
            conflict=True,
            explanation="Entinen työnantajani.",
            actor=self.reviewer,
        )

        starts = clock.now().replace(second=0, microsecond=0) + timedelta(days=2)
        (slot,) = interviews.slots_create(
            cohort=cohort,
            starts=[starts],
            duration_minutes=60,
            location="Kaupungintalo, Helsinki",
            meeting_url="",
            interviewers=[self.coordinator],
            actor=self.coordinator,
        )
        interview = interviews.interview_book(
            application=self.scored, slot=slot, actor=self.coordinator, at=clock.now(), staff=True
        )
        interview.outcome = "Sitoutunut johto, selkeä pilotti."
        interview.checklist = {"management_confirmed": True, "resources_confirmed": True}
        interview.save(update_fields=["outcome", "checklist"])

        for application, mark, feedback in (
            (self.scored, Mark.SELECTED, ""),
            (self.undeclared, Mark.RESERVE, "Hyvä hakemus; varasijalla."),
            (self.draft, Mark.NOT_SELECTED, "Kiitos hakemuksesta."),
        ):
            selection.decision_mark(
                application=application, mark=mark, feedback=feedback, actor=self.coordinator
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_reviewer_pages(page, context, live_server, axe, language):
    world = World(language)
    sign_in(context, live_server, world.reviewer)

    page.goto("/staff/reviews/")
    assert_lang(page, language)
    rows = page.locator("main table tbody tr")
    assert rows.count() == 4
    assert page.locator(f"main a[href='/staff/reviews/{world.conflicted.pk}/']").count() == 0
    axe.check(page, "my reviews")

    # The declaration comes before the application.
    page.goto(f"/staff/reviews/{world.undeclared.pk}/")
    assert page.locator("main input[type=radio][name=conflict]").count() == 2
    assert page.locator("#score-form").count() == 0
    axe.check(page, "conflict of interest")
    page.locator("#id_conflict_1").check()  # yes, without an explanation
    submit_form_of(page)
    assert page.locator("#error-summary a[href='#id_explanation']").count() == 1
    assert page.locator("#id_explanation").get_attribute("aria-invalid") == "true"
    axe.check(page, "conflict of interest without an explanation")

    page.locator("#id_conflict_0").check()  # no conflict
    submit_form_of(page)
    expect(page.locator("#score-form")).to_be_visible()
    axe.check(page, "scoring, nothing scored yet")
    # Submitting needs a score on every criterion.
    criteria = list(world.cohort.criteria.all())
    page.locator(f"#id_score_{criteria[0].pk}").select_option("3")
    submit_form_of(page, "submit")
    expect(page.locator("#error-summary")).to_be_visible()
    assert not Review.objects.filter(
        application=world.undeclared, reviewer=world.reviewer, state=Review.State.SUBMITTED
    ).exists()
    axe.check(page, "scoring, submitted with a score missing")
    for criterion, value in zip(criteria, ("3", "4", "2", "5"), strict=True):
        page.locator(f"#id_score_{criterion.pk}").select_option(value)
        page.locator(f"#id_justification_{criterion.pk}").fill(JUSTIFICATION)
    submit_form_of(page, "submit")
    expect(page.locator("main .alert-success[role=status]")).to_be_visible()
    # Once submitted, the colleague's scores are there.
    expect(page.get_by_text(str(world.colleague), exact=True)).to_be_visible()
    axe.check(page, "scoring, submitted, with the other reviewers' scores")

    page.goto(f"/staff/reviews/{world.draft.pk}/")
    assert page.locator(f"#id_score_{criteria[0].pk}").input_value() == "3"
    axe.check(page, "scoring, a saved draft")
    submit_form_of(page, "draft")
    expect(page.locator("main .alert-success[role=status]")).to_be_visible()
    axe.check(page, "scoring, the draft saved again")

    page.goto(f"/staff/reviews/{world.scored.pk}/")
    assert page.locator("main h3").filter(has_text=str(world.third)).count() == 1
    axe.check(page, "scoring, submitted earlier, with an interview")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinator_pages(page, context, live_server, axe, language):
    world = World(language)
    cohort = world.cohort
    sign_in(context, live_server, world.coordinator)

    page.goto(f"/staff/cohorts/{cohort.pk}/assignments/")
    assert_lang(page, language)
    # Each row's button says which application it adds a reviewer to.
    add = page.get_by_role("button", name=f"{t('Add', language)} {world.draft.org_name}")
    expect(add).to_have_count(1)
    axe.check(page, "assignments")
    page.locator("#id_per_application").fill("2")
    submit_form_of(page, containing="input[name=action][value=spread]")  # nobody chosen
    assert page.locator("#error-summary a[href='#id_reviewers_0']").count() == 1
    axe.check(page, "assignments, spread without reviewers")
    # More reviews wanted than reviewers chosen: a message, not a field error.
    page.locator("#id_reviewers_0").check()
    page.locator("#id_per_application").fill("3")
    submit_form_of(page, containing="input[name=action][value=spread]")
    expect(page.locator("main .alert-danger[role=alert]").first).to_be_visible()
    axe.check(page, "assignments, spread refused")

    page.goto(f"/staff/cohorts/{cohort.pk}/ranking/")
    rows = page.locator("main tbody tr[id^=row-]")
    assert rows.count() == 4
    # Best first: the mean of the submitted reviews orders the board.
    assert rows.first.get_attribute("id") == f"row-{world.scored.pk}"
    assert page.locator("main meter").count() == 4 * cohort.criteria.count()
    assert page.locator("main select").count() == 0  # no row's menu is open yet
    axe.check(page, "ranking board")

    def open_row(pk):
        """The row's link opens its decision menu in place, the row scrolled to."""
        page.locator(f"#row-{pk} a[href^='?decide=']").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"#row-{pk}")
        expect(page.locator("main select")).to_have_count(1)
        expect(page.locator(f"#row-{pk} select[name$=mark]")).to_be_visible()

    # Marking one more selected than the cohort takes is refused with a message.
    open_row(world.conflicted.pk)
    axe.check(page, "ranking board, one row open")
    row = page.locator(f"#row-{world.conflicted.pk}")
    row.locator("select[name$=mark]").select_option(Mark.SELECTED.value)
    row.locator("button[formaction$='/decision/']").click()
    page.wait_for_load_state()
    expect(page.locator("main .alert-success[role=status]")).to_be_visible()
    open_row(world.undeclared.pk)
    page.locator(f"#row-{world.undeclared.pk} select[name$=mark]").select_option(
        Mark.SELECTED.value
    )
    page.locator(f"#row-{world.undeclared.pk} button[formaction$='/decision/']").click()
    page.wait_for_load_state()
    assert page.locator("main .alert-danger[role=alert]").count() == 1
    axe.check(page, "ranking board, too many selected")

    # Each row says where the management commitment stands; a request is sent again.
    assert page.locator("main [data-commitment=requested]").count() >= 1
    open_row(world.scored.pk)
    page.locator(f"#row-{world.scored.pk} button[formaction$='/commitment/resend/']").click()
    page.wait_for_load_state()
    expect(page.locator("main .alert-success[role=status]")).to_be_visible()
    axe.check(page, "ranking board, confirmation request sent again")

    # While the call runs the preview can be read but not sent, and says when it can.
    page.goto(f"/staff/cohorts/{cohort.pk}/release/")
    expect(page.locator("main .alert-info[role=status]")).to_be_visible()
    assert page.locator("main form[method=post]:not(nav form)").count() == 0
    axe.check(page, "release preview, call still open")

    close_call(cohort)
    Decision.objects.filter(application=world.conflicted).delete()
    page.goto(f"/staff/cohorts/{cohort.pk}/release/")
    # the selected without a confirmed commitment are named
    expect(page.locator("main .alert-warning[role=status]").last).to_be_visible()
    assert page.locator("main section").count() == 3
    assert page.get_by_text(world.conflicted.org_name, exact=True).count() == 1
    assert page.locator("main form[method=post]:not(nav form)").count() == 0
    assert page.locator(f"main section [lang={world.applicant_language}] pre").count() == 3
    axe.check(page, "release preview, one application unmarked")

    selection.decision_mark(
        application=world.conflicted,
        mark=Mark.NOT_SELECTED,
        feedback="",
        actor=world.coordinator,
    )
    page.goto(f"/staff/cohorts/{cohort.pk}/release/")
    assert page.locator("main section").count() == 4
    assert page.locator("main form[method=post]:not(nav form)").count() == 1
    axe.check(page, "release preview, ready to send")

    page.goto(f"/staff/applications/{world.scored.pk}/history/")
    assert page.locator("main table tbody tr").count() > 5
    axe.check(page, "history")

    selection.release(cohort=cohort, actor=world.coordinator)
    page.goto(f"/staff/cohorts/{cohort.pk}/release/")
    assert page.locator("main section").count() == 0
    axe.check(page, "release preview, nothing to send")
    page.goto(f"/staff/cohorts/{cohort.pk}/ranking/")
    axe.check(page, "ranking board, decisions released")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_team_pages(page, context, live_server, axe, language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    applicant = person("alice@example.org", language, Role.APPLICANT)
    stranger = person("sam@example.org", language, Role.APPLICANT)
    cohort = CohortFactory(
        name="Soske-akatemia 2031",
        kickoff_date=(clock.now() + timedelta(days=40)).date(),
        pre_assignment_text="Kartoittakaa yksi hankinta.\nTuokaa se aloitustilaisuuteen.",
        pre_assignment_due=(clock.now() + timedelta(days=39)).date(),
    )
    application = submitted_application(cohort, applicant, "Valittula kaupunki")
    selection.decision_mark(
        application=application, mark=Mark.SELECTED, feedback="", actor=coordinator
    )
    close_call(cohort)
    selection.release(cohort=cohort, actor=coordinator)
    team = Team.objects.get(application=application)
    membership = TeamMembership.objects.get(team=team, email=applicant.email)

    # Someone else signed in: the invitation is not theirs.
    sign_in(context, live_server, stranger)
    page.goto(f"/team/join/{membership.token}/")
    assert_lang(page, language)
    axe.check(page, "team invitation")
    submit_form_of(page)
    expect(page.locator("main .alert-danger[role=alert]")).to_be_visible()
    axe.check(page, "team invitation, for another address")

    sign_in(context, live_server, applicant)
    page.goto(f"/team/join/{membership.token}/")
    submit_form_of(page)
    page.wait_for_url(re.compile(rf"/team/{team.pk}/$"))
    expect(page.locator("main .alert-success[role=status]")).to_be_visible()
    axe.check(page, "team page, just joined")
    page.goto("/team/")
    page.wait_for_url(re.compile(rf"/team/{team.pk}/$"))
    assert page.locator("main li").count() >= 1
    axe.check(page, "team page")
    axe.assert_clean()


def test_the_weighted_total_follows_the_scores(page, context, live_server):
    """scoring.js shows what the server will compute: 100 × Σ w·(s−min)/(max−min) / Σ w."""
    reviewer = person("rita@example.org", "fi", Role.REVIEWER)
    applicant = person("alice@example.org", "fi", Role.APPLICANT)
    # A scale of 1–4 with the weights 4, 3, 2, 1: totals such as 33.3 and 66.7.
    cohort = CohortFactory(score_min=1, score_max=4)
    application = submitted_application(cohort, applicant)
    scoring.assign(application=application, reviewers=[reviewer], actor=reviewer)
    scoring.declare_conflict(
        assignment=ReviewAssignment.objects.get(application=application, reviewer=reviewer),
        conflict=False,
        explanation="",
        actor=reviewer,
    )
    criteria = list(cohort.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    sign_in(context, live_server, reviewer)
    page.goto(f"/staff/reviews/{application.pk}/")
    output = page.locator("output#weighted-total")
    expect(output).to_have_text("–")

    def expected(values):
        total = scoring.weighted_total(values, weights, cohort.score_min, cohort.score_max)
        # Finnish writes a decimal comma, like the server-rendered figures.
        return "–" if total is None else str(scoring.as_decimal(total)).replace(".", ",")

    chosen = {}
    # With the keyboard: focus a score and type its digit, the way a person picks from a
    # closed <select>; the total stays "–" until every criterion has a score.
    for criterion, value in zip(criteria, (3, 1, 4, 2), strict=True):
        select = page.locator(f"#id_score_{criterion.pk}")
        select.focus()
        page.keyboard.type(str(value))
        expect(select).to_have_value(str(value))
        chosen[criterion.pk] = value
        expect(output).to_have_text(expected(chosen))
    assert output.text_content() != "–"
    # Changing any score changes the total; so does taking one away.
    for criterion, value in (
        (criteria[0], 4),
        (criteria[3], 1),
        (criteria[1], 2),
        (criteria[2], 1),
        (criteria[0], 1),
        (criteria[1], 4),
    ):
        page.locator(f"#id_score_{criterion.pk}").select_option(str(value))
        chosen[criterion.pk] = value
        expect(output).to_have_text(expected(chosen))
    page.locator(f"#id_score_{criteria[2].pk}").select_option("")
    del chosen[criteria[2].pk]
    expect(output).to_have_text("–")

    # The server computes the same total once the review is in.
    page.locator(f"#id_score_{criteria[2].pk}").select_option("3")
    chosen[criteria[2].pk] = 3
    shown = output.text_content()
    assert shown == expected(chosen)
    submit_form_of(page, "submit")
    review = Review.objects.get(application=application, reviewer=reviewer)
    assert review.state == Review.State.SUBMITTED
    stored = {s.criterion_id: s.value for s in review.scores.all()}
    assert stored == chosen
    total = scoring.weighted_total(stored, weights, cohort.score_min, cohort.score_max)
    assert str(scoring.as_decimal(total)).replace(".", ",") == shown
    # Back on the page, the saved scores give the same total at once.
    expect(output).to_have_text(shown)
    assert t("Weighted total") in page.locator("#weighted-total").locator("xpath=..").inner_text()


def test_the_shown_total_rounds_like_the_server_with_fractional_weights(page, context, live_server):
    """0.25/0.75/1/2 on 0–5 with 0,1,1,2 is 28.75 exactly: half up gives 28.8, as stored."""
    from decimal import Decimal

    reviewer = person("rita@example.org", "en", Role.REVIEWER)
    applicant = person("alice@example.org", "fi", Role.APPLICANT)
    cohort = CohortFactory(score_min=0, score_max=5)
    criteria = list(cohort.criteria.all())
    for criterion, weight in zip(criteria, ("0.25", "0.75", "1", "2"), strict=True):
        criterion.weight = Decimal(weight)
        criterion.save()
    application = submitted_application(cohort, applicant)
    scoring.assign(application=application, reviewers=[reviewer], actor=reviewer)
    scoring.declare_conflict(
        assignment=ReviewAssignment.objects.get(application=application, reviewer=reviewer),
        conflict=False,
        explanation="",
        actor=reviewer,
    )
    sign_in(context, live_server, reviewer)
    page.goto(f"/staff/reviews/{application.pk}/")
    for criterion, value in zip(criteria, (0, 1, 1, 2), strict=True):
        page.locator(f"#id_score_{criterion.pk}").select_option(str(value))
    values = dict(zip([c.pk for c in criteria], (0, 1, 1, 2), strict=True))
    total = scoring.weighted_total(values, {c.pk: c.weight for c in criteria}, 0, 5)
    assert str(scoring.as_decimal(total)) == "28.8"
    expect(page.locator("output#weighted-total")).to_have_text("28.8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_applicant_pages_after_the_release(page, context, live_server, axe, language):
    """The applicant's list, preview, receipt and withdraw page once the decision is out."""
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    applicant = person("alice@example.org", language, Role.APPLICANT)
    cohort = CohortFactory(name="Soske-akatemia 2031")
    application = submitted_application(cohort, applicant, "Varalan kunta")
    selection.decision_mark(
        application=application,
        mark=Mark.RESERVE,
        feedback="Vahvistakaa johdon sitoutuminen.",
        actor=coordinator,
    )
    sign_in(context, live_server, applicant)
    page.goto(f"/applications/{application.pk}/review/")
    assert page.locator("#commitment-title").count() == 1
    axe.check(page, "preview, commitment not confirmed")
    submit_form_of(page, containing="button.btn-outline-primary")
    expect(page.locator("main .alert-success[role=status]")).to_be_visible()
    axe.check(page, "preview, confirmation request sent again")

    close_call(cohort)
    selection.release(cohort=cohort, actor=coordinator)
    page.goto("/applications/")
    assert_lang(page, language)
    assert page.locator("main td", has_text=t("Reserve", language)).count() == 1
    axe.check(page, "my applications, decision released")
    page.goto(f"/applications/{application.pk}/review/")
    expect(page.locator("#decision-title")).to_be_visible()
    assert page.locator("input[name=privacy_consent]").count() == 0
    axe.check(page, "preview, decision released")
    page.goto(f"/applications/{application.pk}/receipt/1/")
    expect(page.locator("#decision-title")).to_be_visible()
    axe.check(page, "receipt, decision released")
    page.goto(f"/applications/{application.pk}/withdraw/")
    assert page.locator("main form[method=post]").count() == 0
    axe.check(page, "withdraw, ask staff")
    axe.assert_clean()
