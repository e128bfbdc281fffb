from datetime import time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from soske.choices import ChoiceLabels
from soske.i18n import CONTENT_LANGUAGES, in_its_language, localized, localized_language
from soske.privacy.registry import DEFAULT_RETENTION_MONTHS

# The words of the default 0–5 score scale, one per point (the programme's wording; a
# cohort edits its own). Another scale gets the words for its ends only.
DEFAULT_SCORE_WORDS = (
    _("no evidence"),
    _("weak"),
    _("passable"),
    _("fair"),
    _("good"),
    _("excellent"),
)


def default_score_word(value: int, low: int, high: int) -> str:
    if (low, high) == (0, 5):
        return str(DEFAULT_SCORE_WORDS[value])
    if value == low:
        return str(DEFAULT_SCORE_WORDS[0])
    if value == high:
        return str(DEFAULT_SCORE_WORDS[-1])
    return ""


def default_score_labels(low: int, high: int) -> dict:
    """{"0": {"fi": "ei näyttöä", "sv": …, "en": …}, …} for the scale low–high."""
    labels = {}
    for value in range(low, high + 1):
        labels[str(value)] = {}
        for language in CONTENT_LANGUAGES:
            with translation.override(language):
                labels[str(value)][language] = default_score_word(value, low, high)
    return labels


class Track(models.TextChoices):
    """The two alternative models of the programme; each organisation picks one."""

    EMPLOYMENT = "employment", _("Employment through procurement")
    HUMAN_RIGHTS = "human_rights", _("Human rights and fundamental labour rights")


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    JOINT_AUTHORITY = "joint_authority", _("Joint municipal authority")
    WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
    STATE_AGENCY = "state_agency", _("State agency")
    PUBLIC_COMPANY = "public_company", _("Municipal or state company")
    OTHER = "other", _("Other")


class TeamRole(models.TextChoices):
    """What a person brings to a team; an application names them, a team keeps them."""

    LINE_OF_BUSINESS = "line_of_business", _("Substance expert from a line of business")
    PROCUREMENT = "procurement", _("Procurement expert")
    SUSTAINABILITY = "sustainability", _("Responsibility or sustainability expert")
    FINANCE = "finance", _("Finance representative")
    LAWYER = "lawyer", _("Lawyer")
    EMPLOYMENT_SERVICES = "employment_services", _("Employment services representative")
    OTHER = "other", _("Other")
    # Not named in an application's team: the manager who confirmed the management
    # commitment joins the team in this role when the decisions are released.
    MANAGEMENT = "management", _("Management")


class CohortQuerySet(models.QuerySet):
    def with_closes_at(self):
        return self.annotate(
            closes_at_db=models.ExpressionWrapper(
                models.F("deadline") + models.F("grace"), output_field=models.DateTimeField()
            )
        )

    def open_at(self, moment):
        return self.with_closes_at().filter(call_opens_at__lte=moment, closes_at_db__gte=moment)


class Cohort(models.Model):
    """One round of the academy, with its own dates and rules."""

    # `name` is the Finnish name (the language every cohort has); Swedish and English are
    # optional and fall back to it. Kept as `name` so that queries, forms and ordering
    # stay as they were; pages and mail show `localized_name` / `name_html`.
    name = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    call_opens_at = models.DateTimeField(_("call opens"))
    deadline = models.DateTimeField(_("application deadline"))
    grace = models.DurationField(
        _("grace period"),
        default=timedelta(0),
        help_text=_("Applications are still accepted for this long after the deadline."),
    )
    interviews_start = models.DateField(_("interviews start"))
    interviews_end = models.DateField(_("interviews end"))
    selection_date = models.DateField(_("selections made by"))
    kickoff_date = models.DateField(_("kick-off"), null=True, blank=True)
    closing_date = models.DateField(_("closing event"), null=True, blank=True)
    max_selected = models.PositiveSmallIntegerField(
        _("maximum organisations selected"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    score_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    score_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # The words of each point of the scale in fi/sv/en: {"0": {"fi": "ei näyttöä", …}, …}.
    # Empty (or a point missing): the defaults. Frozen with the scale.
    score_labels = models.JSONField(_("score scale labels"), default=dict, blank=True)
    interview_change_cutoff = models.DurationField(
        _("interviews can be changed until this long before"),
        default=timedelta(hours=24),
    )
    scoring_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    pre_assignment_text = models.TextField(
        _("pre-assignment"),
        blank=True,
        help_text=_("Sent to the selected organisations with the invitation to the academy."),
    )
    pre_assignment_due = models.DateField(_("pre-assignment due"), null=True, blank=True)
    decisions_released_at = models.DateTimeField(null=True, blank=True, editable=False)
    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months)"),
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "The personal data of the applications that were not selected are removed this "
            "many months after the decisions."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Its history: the activity entries it scopes go with it, never on their own.
    activity = GenericRelation(
        "activity.ActivityEntry", content_type_field="scope_type", object_id_field="scope_id"
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-call_opens_at"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("call_opens_at")),
                name="cohort_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(score_max__gt=models.F("score_min")),
                name="cohort_score_scale_ordered",
            ),
        ]

    def __str__(self):
        return self.localized_name

    @property
    def name_fi(self):
        return self.name

    @property
    def localized_name(self) -> str:
        """The name in the active language, else in Finnish (`name`)."""
        return localized(self, "name")

    @property
    def name_html(self):
        """The name, marked with its language when it fell back to another one."""
        return in_its_language(self.localized_name, localized_language(self, "name"))

    def clean(self):
        errors = {}
        if self.call_opens_at and self.deadline and self.deadline <= self.call_opens_at:
            errors["deadline"] = _("The deadline must be after the call opens.")
        if (
            self.interviews_start
            and self.interviews_end
            and (self.interviews_end < self.interviews_start)
        ):
            errors["interviews_end"] = _("The interviews cannot end before they start.")
        if (
            self.score_min is not None
            and self.score_max is not None
            and self.score_max <= self.score_min
        ):
            errors["score_max"] = _("The highest score must be greater than the lowest.")
        if errors:
            raise ValidationError(errors)

    @property
    def closes_at(self):
        """The last moment an application is accepted: deadline plus grace."""
        return self.deadline + self.grace

    def phase_at(self, moment) -> str:
        if moment < self.call_opens_at:
            return "upcoming"
        if moment <= self.closes_at:
            return "open"
        return "closed"

    def is_open_at(self, moment) -> bool:
        return self.phase_at(moment) == "open"

    @property
    def retention_starts_at(self):
        """When the retention period starts: the release of the decisions, else the end of
        the day the selections are made by (Europe/Helsinki)."""
        if self.decisions_released_at is not None:
            return self.decisions_released_at
        from soske.clock import helsinki_datetime

        return helsinki_datetime(self.selection_date + timedelta(days=1), time(0, 0))

    @property
    def scoring_started(self) -> bool:
        return self.scoring_started_at is not None

    def score_word(self, value: int, language: str | None = None) -> str:
        """The cohort's word for one point of its scale, in `language` (else the page's),
        falling back to Finnish, then to the default words."""
        language = (language or translation.get_language() or "fi")[:2]
        stored = (self.score_labels or {}).get(str(value)) or {}
        for code in (language, "fi"):
            if (stored.get(code) or "").strip():
                return stored[code].strip()
        with translation.override(language):
            return default_score_word(value, self.score_min, self.score_max)

    def score_label(self, value: int) -> str:
        """'0 – ei näyttöä': the point and its word (just the number when it has none)."""
        word = self.score_word(value)
        return f"{value} – {word}" if word else str(value)

    @property
    def score_scale(self) -> list[tuple[int, str]]:
        """Every point of the scale with its label, lowest first."""
        return [(v, self.score_label(v)) for v in range(self.score_min, self.score_max + 1)]


class Theme(models.Model):
    """Another theme an organisation may name besides its track."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    @property
    def name_html(self):
        """The name, marked with its language when it fell back to another one."""
        return in_its_language(self.name, localized_language(self, "name"))


class Criterion(models.Model):
    """A selection criterion with its weight, in the cohort's order of emphasis."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("identifier"),
        max_length=40,
        help_text=_("Letters, digits and underscores; links the criterion to the interview guide."),
    )
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "key"], name="criterion_key_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
        ]
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    @property
    def name_html(self):
        """The name, marked with its language when it fell back to another one."""
        return in_its_language(self.name, localized_language(self, "name"))

    @property
    def description(self):
        return localized(self, "description")


class Organisation(ChoiceLabels, models.Model):
    """A public contracting entity, identified by its Finnish business ID."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=9, unique=True)
    org_type = models.CharField(
        _("type"), max_length=30, choices=OrganisationType.choices, blank=True
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.business_id})"


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The active teams the person joined (rules: cohorts.view_team).

        Each team carries `member_checked_for`, the id of the person whose membership this
        query checked: `is_team_member` then knows the answer without asking again."""
        if not user.is_authenticated:
            return self.none()
        return self.visible_to_id(user.pk)

    def visible_to_id(self, user_id):
        """visible_to for a signed-in person, by id (a compiled query's marker)."""
        return self.filter(memberships__user_id=user_id, active=True).annotate(
            member_checked_for=models.Value(user_id, output_field=models.IntegerField())
        )


class Team(ChoiceLabels, models.Model):
    """A selected organisation taking part in a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="teams")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organisation"], name="team_unique")
        ]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return f"{self.organisation.name} ({self.cohort})"


class TeamMembership(models.Model):
    """A person of a selected organisation; invited by e-mail, joined once signed in.

    One membership per person (unique team and e-mail). A person with two roles keeps the
    first of: the contact person ("contact"), the management (TeamRole.MANAGEMENT), the
    role they are named with in the application's team. The contact wins because the team's
    mail and its pages are theirs to answer for; the management is the next most telling.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=30, blank=True)
    user = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_memberships",
    )
    token = models.UUIDField(unique=True)
    invited_at = models.DateTimeField()
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "email"], name="team_member_email_unique")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"
