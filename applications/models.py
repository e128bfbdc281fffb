import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Organisation, OrganisationType, Team, TeamRole, Theme, Track
from soske.choices import ChoiceLabels
from soske.files import private_storage, upload_to


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StrategicGoal(models.TextChoices):
    YES = "yes", _("Yes, it is a strategic goal")
    PARTLY = "partly", _("Partly, in some policies or units")
    NO = "no", _("Not yet")


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a person may reach on the applicant pages: the applications they are a member
        of (rules: applications.view_application). Staff read applications through the staff
        pages, which ask for a staff permission instead."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user)

    def reached_by_member(self, user):
        """visible_to(user), each row marked with the user's id (`reached_by_member_id`): it
        came through the membership filter, so the is_member rule (applications.rules) need
        not ask the database again for the same request. Only for fetching rows: the mark is
        a selected column, which a subquery (`pk__in=`) must not carry."""
        if not user.is_authenticated:
            return self.none()
        return self.reached_by_member_id(user.pk)

    def reached_by_member_id(self, user_id):
        """reached_by_member for a signed-in person, by id (a compiled query's marker)."""
        return self.filter(members__user_id=user_id).annotate(
            reached_by_member_id=models.Value(user_id)
        )

    def readable_by_staff(self, user):
        """The applications a staff member may read (rules: applications.read_application):
        a coordinator every one, a reviewer those assigned to them with no conflict declared
        and those whose booked interview they hold; never one they declared a conflict
        with."""
        if not user.is_authenticated or not user.is_soske_staff:
            return self.none()
        conflicted = ReviewAssignment.objects.filter(reviewer=user, conflict=True)
        readable = self.exclude(pk__in=conflicted.values("application_id"))
        if user.is_coordinator:
            return readable
        assigned = ReviewAssignment.objects.filter(reviewer=user, conflict=False)
        interviewing = Interview.objects.filter(
            state=Interview.State.BOOKED, slot__interviewers=user
        )
        return readable.filter(
            models.Q(pk__in=assigned.values("application_id"))
            | models.Q(pk__in=interviewing.values("application_id"))
        )


class Application(ChoiceLabels, models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    changed_since_submission = models.BooleanField(default=False)
    last_submit_token = models.CharField(max_length=64, blank=True)

    # Organisation
    org_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    org_type = models.CharField(
        _("organisation type"), max_length=30, choices=OrganisationType.choices, blank=True
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)

    # Contact person
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_title = models.CharField(_("title"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)

    # Eligibility
    took_keino_academy = models.BooleanField(_("We took part in the KEINO academy"), default=False)
    took_toimi_project = models.BooleanField(_("We took part in the TOIMI project"), default=False)
    readiness = models.TextField(_("Other readiness and interest"), max_length=4000, blank=True)

    # Track and themes
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("other themes"))

    # Strategic anchoring
    strategic_goal = models.CharField(
        _("Is social sustainability a strategic goal of your organisation?"),
        max_length=10,
        choices=StrategicGoal.choices,
        blank=True,
    )
    strategy_text = models.TextField(
        _("Which policy or strategy states it?"), max_length=4000, blank=True
    )
    strategy_url = models.URLField(_("Link to the policy or strategy"), max_length=500, blank=True)
    strategy_file = models.FileField(
        _("The policy or strategy as a document"),
        storage=private_storage,
        upload_to=upload_to("applications"),
        blank=True,
        max_length=200,
    )
    strategy_file_name = models.CharField(max_length=200, blank=True)

    # Motivation
    motivation = models.TextField(
        _("Why does your organisation apply?"), max_length=4000, blank=True
    )
    development_goals = models.TextField(
        _("What do you want to develop during the academy?"), max_length=4000, blank=True
    )

    # Management commitment
    manager_name = models.CharField(_("manager's name"), max_length=200, blank=True)
    manager_title = models.CharField(_("manager's role"), max_length=200, blank=True)
    manager_email = models.EmailField(_("manager's e-mail"), blank=True)
    commitment_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commitment_requested_at = models.DateTimeField(null=True, blank=True)
    commitment_confirmed_at = models.DateTimeField(null=True, blank=True)
    commitment_confirmed_email = models.EmailField(blank=True)

    # Pilot procurement candidate
    pilot_subject = models.CharField(_("subject of the procurement"), max_length=300, blank=True)
    pilot_value = models.DecimalField(
        _("estimated value (EUR, VAT 0 %)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    pilot_timetable = models.CharField(_("timetable"), max_length=300, blank=True)
    pilot_fit = models.TextField(
        _("Why does it fit the chosen track?"), max_length=4000, blank=True
    )

    # Resources
    resources = models.TextField(
        _("Resources the team can commit over the four months"), max_length=4000, blank=True
    )

    # Consent
    privacy_consent = models.BooleanField(_("privacy consent"), default=False)
    # Set when the retention job removed its personal data (not selected, period passed).
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The programme's team this application became once selected (cohorts knows no applications).
    team_record = models.OneToOneField(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="application",
    )
    # Its history: the activity entries it scopes go with it, never on their own.
    activity = GenericRelation(
        "activity.ActivityEntry", content_type_field="scope_type", object_id_field="scope_id"
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "business_id"],
                condition=~models.Q(business_id=""),
                name="application_business_id_unique_per_cohort",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.org_name or f"#{self.pk}"

    @property
    def is_submitted(self):
        return self.status == Status.SUBMITTED


class ApplicationMember(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Contact person")
        EDITOR = "editor", _("Colleague")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="member_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.application}"


class ApplicationInvite(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField(_("colleague's e-mail"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.application}"


class TeamMember(ChoiceLabels, models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role in the team"), max_length=30, choices=TeamRole.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class ApplicationVersion(models.Model):
    """What was submitted, exactly as it was: staff read these, applicants get the receipt."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submit_token = models.CharField(max_length=64, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_unique"),
        ]

    def __str__(self):
        return f"{self.application} v{self.number}"


# --- Interviews ------------------------------------------------------------------


class OfferedSlotManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class InterviewSlot(models.Model):
    """A time staff offer for one interview."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="interview_slots")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=60, validators=[MinValueValidator(15)]
    )
    location = models.CharField(_("place"), max_length=300, blank=True)
    meeting_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interview_slots", verbose_name=_("interviewers")
    )
    created_at = models.DateTimeField()
    # Set when staff remove a slot whose cancelled interviews keep their history.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Removed slots are out of every list and lookup; an interview still reaches its own.
    all_objects = models.Manager()
    objects = OfferedSlotManager()

    class Meta:
        default_manager_name = "objects"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["cohort", "starts_at"])]
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")

    def __str__(self):
        return f"{self.cohort} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)


class AttendeeRole(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    PROCUREMENT = "procurement", _("Procurement")
    LINE_OF_BUSINESS = "line_of_business", _("Line of business")
    EMPLOYMENT_SERVICES = "employment_services", _("Employment services")
    OTHER = "other", _("Other")


class Interview(ChoiceLabels, models.Model):
    """An application's booking of a slot; one row keeps its UID across moves."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    slot = models.ForeignKey(InterviewSlot, on_delete=models.PROTECT, related_name="interviews")
    state = models.CharField(max_length=10, choices=State.choices, default=State.BOOKED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    attendee_roles = models.JSONField(_("who will attend"), default=list, blank=True)
    attendee_names = models.TextField(_("names of the attendees"), max_length=2000, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("reason"), max_length=2000, blank=True)

    # Filled in by staff during the interview; never shown to applicants.
    checklist = models.JSONField(default=dict, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    notes = models.TextField(_("notes"), max_length=20000, blank=True)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # Two applicants can never hold the same slot, whatever the timing of their clicks.
            models.UniqueConstraint(
                fields=["slot"], condition=models.Q(state="booked"), name="one_booking_per_slot"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="booked"),
                name="one_active_interview_per_application",
            ),
        ]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self):
        return f"{self.application} @ {self.slot}"


# --- Scoring and selection ----------------------------------------------------------


class ReviewAssignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField()
    # None: not declared yet. The reviewer sees nothing of the application until declared.
    conflict = models.BooleanField(null=True)
    conflict_explanation = models.TextField(_("explanation"), max_length=2000, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_unique")
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.application}"


class Review(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique")
        ]

    def __str__(self):
        return f"{self.reviewer} on {self.application}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("cohorts.Criterion", on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    justification = models.TextField(_("justification"), max_length=4000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique")]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class Mark(models.TextChoices):
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve")
    NOT_SELECTED = "not_selected", _("Not selected")


class Decision(ChoiceLabels, models.Model):
    """The coordinators' private mark; what applicants were told is `released_mark`."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="decisions")
    mark = models.CharField(max_length=15, choices=Mark.choices)
    feedback = models.TextField(_("feedback to the applicant"), max_length=4000, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField()
    released_mark = models.CharField(max_length=15, choices=Mark.choices, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # The feedback as it was told: later edits stay private until the next release.
    released_feedback = models.TextField(blank=True)
    release_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["cohort", "mark"])]

    def __str__(self):
        return f"{self.application}: {self.mark}"
