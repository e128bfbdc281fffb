"""The structured interview: questions by criterion and what the interview confirms."""

from django.utils.translation import gettext_lazy as _

# Questions keyed by the criterion keys of cohorts.services.DEFAULT_CRITERIA. A cohort
# whose criteria have other keys still gets the checklist and the free notes.
QUESTIONS = {
    "will_to_develop": (
        ("why_now", _("Why does the organisation want to take part now?")),
        ("change", _("What should be different in your procurement after the four months?")),
    ),
    "management_commitment": (
        ("who_commits", _("Who in management owns the work, and how will they follow it?")),
        ("reporting", _("When and to whom will the team present its results?")),
    ),
    "strategic_anchoring": (
        ("strategy", _("Which strategy or policy sets the goal for social sustainability?")),
        ("categories", _("Which procurement categories are significant for the goal?")),
    ),
    "multidisciplinary_team": (
        ("roles", _("Who is in the team, and what does each person bring?")),
        ("time", _("How much time can each of them give during the sprint?")),
    ),
}

CHECKLIST = (
    ("management_confirmed", _("Management commitment confirmed")),
    ("resources_confirmed", _("Resources confirmed")),
    ("team_confirmed", _("Team roles confirmed")),
    ("employment_services", _("Employment services involved (employment track)")),
)
