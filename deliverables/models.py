"""What the teams hand in between the workshops, and what they get back.

An assignment belongs to a cohort and a track. Each active team of that track has at most
one shared submission per assignment: a working copy (`draft`) that every member edits,
and the versions it was submitted as, never changed afterwards. Staff give feedback on a
version; when the peer phase of an assignment opens, the teams read each other's latest
version and comment on it.

The content of the track's worksheets lives in JSON (`Submission.draft`,
`SubmissionVersion.data`) in the shapes `deliverables.worksheets` defines, because the
results book reads it; files live in private storage.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Team
from soske.choices import ChoiceLabels
from soske.files import private_storage, upload_to
from soske.i18n import localized
from soske.jobs import ACTIVE_JOB_STATES, JobState
from workshops.models import Audience  # the same three choices as the programme's events


class Kind(models.TextChoices):
    """The seed's assignments; `other` is any further one a coordinator adds."""

    PRE_ASSIGNMENT = "pre_assignment", _("Pre-assignment")
    KICKOFF = "kickoff", _("Kick-off work")
    INTERIM_EMPLOYMENT = "interim_employment", _("Interim assignment (employment track)")
    INTERIM_HUMAN_RIGHTS = "interim_human_rights", _("Interim assignment (human-rights track)")
    DEVELOPMENT_TASK = "development_task", _("Development task")
    MANAGEMENT = "management", _("Management presentation")
    OTHER = "other", _("Other assignment")


class AssignmentQuerySet(models.QuerySet):
    def for_track(self, track: str):
        return self.filter(audience__in=[Audience.BOTH, track])


class Assignment(ChoiceLabels, models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    audience = models.CharField(
        _("track"), max_length=20, choices=Audience.choices, default=Audience.BOTH
    )
    title_fi = models.CharField(_("title (Finnish)"), max_length=200)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    instructions_fi = models.TextField(_("instructions (Finnish)"), blank=True)
    instructions_sv = models.TextField(_("instructions (Swedish)"), blank=True)
    instructions_en = models.TextField(_("instructions (English)"), blank=True)
    # Keys of deliverables.worksheets.WORKSHEETS, in the order the team fills them in.
    worksheets = models.JSONField(_("worksheets"), default=list, blank=True)
    accepts_files = models.BooleanField(_("teams may attach files"), default=True)
    opens_at = models.DateTimeField(_("opens"))
    due_at = models.DateTimeField(_("due"))
    cutoff_at = models.DateTimeField(
        _("cut-off"),
        help_text=_(
            "Submissions after the due date are accepted and marked late until the cut-off; "
            "after it, only a team you reopen the assignment for can submit."
        ),
    )
    event = models.ForeignKey(
        "workshops.Event",
        verbose_name=_("related programme event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The peer phase: the teams read each other's latest version and comment on it.
    peer_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    peer_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("opens_at")),
                name="assignment_due_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(cutoff_at__gte=models.F("due_at")),
                name="assignment_cutoff_not_before_due",
            ),
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return localized(self, "title")

    @property
    def instructions(self):
        return localized(self, "instructions")

    def concerns(self, track: str) -> bool:
        return self.audience in (Audience.BOTH, track)

    @property
    def peer_phase_open(self) -> bool:
        return self.peer_opened_at is not None

    def clean(self):
        from .worksheets import WORKSHEETS

        errors = {}
        unknown = [key for key in self.worksheets or [] if key not in WORKSHEETS]
        if unknown:
            errors["worksheets"] = _("Unknown worksheet: %(keys)s") % {"keys": ", ".join(unknown)}
        if self.opens_at and self.due_at and self.due_at <= self.opens_at:
            errors["due_at"] = _("The due date must be after the opening.")
        if self.due_at and self.cutoff_at and self.cutoff_at < self.due_at:
            errors["cutoff_at"] = _("The cut-off cannot be before the due date.")
        if self.event_id and self.cohort_id and self.event.cohort_id != self.cohort_id:
            errors["event"] = _("The event belongs to another cohort.")
        if errors:
            raise ValidationError(errors)


class Reopening(models.Model):
    """A coordinator lets one team submit after the cut-off, until `until`."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reopenings")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="reopenings")
    until = models.DateTimeField(_("open for this team until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "team"], name="reopening_unique")
        ]

    def __str__(self):
        return f"{self.assignment} – {self.team_id} ({self.until:%Y-%m-%d})"


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_CHANGES = "needs_changes", _("Needs changes")
    ACCEPTED = "accepted", _("Accepted")


class Submission(ChoiceLabels, models.Model):
    """The team's one shared piece of work for an assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="submissions")
    state = models.CharField(
        max_length=20, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    # The working copy: {"text": "...", "<worksheet key>": {...}, ...}
    draft = models.JSONField(default=dict, blank=True)
    # Rises with every save; a save based on an older revision is refused, never lost.
    revision = models.PositiveIntegerField(default=0)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    latest_version = models.ForeignKey(
        "SubmissionVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "team"], name="submission_unique")
        ]

    def __str__(self):
        return f"{self.assignment} – {self.team.organisation.name}"

    @property
    def has_unsubmitted_changes(self) -> bool:
        if self.draft_saved_at is None:
            return False
        if self.latest_version is None:
            return True
        return self.draft_saved_at > self.latest_version.submitted_at


class SubmissionFile(models.Model):
    """A file of the working copy; a version keeps the files it was submitted with, and a
    file removed from the working copy stays readable in those versions."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_storage, upload_to=upload_to("deliverables"))
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.filename


class SubmissionVersion(models.Model):
    """What the team submitted, once; never changed."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    data = models.JSONField(default=dict)
    files = models.ManyToManyField(SubmissionFile, blank=True, related_name="versions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    late = models.BooleanField(default=False)
    # One click, one version: the form's token makes a double submit harmless.
    token = models.CharField(max_length=64)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submission_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["submission", "token"], name="submission_version_token_unique"
            ),
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"


class Verdict(models.TextChoices):
    NEEDS_CHANGES = SubmissionState.NEEDS_CHANGES.value, SubmissionState.NEEDS_CHANGES.label
    ACCEPTED = SubmissionState.ACCEPTED.value, SubmissionState.ACCEPTED.label


class Feedback(ChoiceLabels, models.Model):
    """Staff's word on one version: text, an optional file and a verdict."""

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("feedback"))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    file = models.FileField(
        storage=private_storage, upload_to=upload_to("deliverables-feedback"), blank=True
    )
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.version}: {self.get_verdict_display()}"


class PeerCommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True)


class PeerComment(models.Model):
    """One team's comment on another team's work in the peer phase."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="peer_comments"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="peer_comments_received")
    author_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="peer_comments_given"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField()
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = PeerCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(team=models.F("author_team")),
                name="peer_comment_not_on_own_team",
            )
        ]

    def __str__(self):
        return f"{self.author_team_id} → {self.team_id}: {self.text[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ConductItemKind(models.TextChoices):
    OBLIGATION = "obligation", _("Minimum responsibility obligation")
    TERM = "term", _("Contract term that enforces them")


class ConductItem(ChoiceLabels, models.Model):
    """One line the code-of-conduct annex builder offers; the coordinator keeps the list."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="conduct_items")
    kind = models.CharField(_("kind"), max_length=20, choices=ConductItemKind.choices)
    text_fi = models.TextField(_("text (Finnish)"))
    text_sv = models.TextField(_("text (Swedish)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("code-of-conduct item")
        verbose_name_plural = _("code-of-conduct items")

    def __str__(self):
        return self.text

    @property
    def text(self):
        return localized(self, "text")


# The states of a job a person follows on a page, shared with the spreadsheet exports.
BookState = JobState
ACTIVE_BOOK_STATES = ACTIVE_JOB_STATES


class ResultsBook(ChoiceLabels, models.Model):
    """One built PDF, kept as a version: the cohort's results book (team empty) or one
    team's one-page summary. Built by a Celery job that reports its progress here."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="results_books")
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="summaries"
    )
    language = models.CharField(_("language"), max_length=2)
    state = models.CharField(max_length=10, choices=BookState.choices, default=BookState.QUEUED)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to=upload_to("books"), blank=True)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    # From which data: the counts and the newest change the book was built from.
    source = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One job at a time per cohort book and per team summary: a second start while
            # one is queued or running finds the first.
            models.UniqueConstraint(
                fields=["cohort"],
                condition=models.Q(team__isnull=True, state__in=ACTIVE_BOOK_STATES),
                name="results_book_one_active_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(team__isnull=False, state__in=ACTIVE_BOOK_STATES),
                name="results_book_one_active_per_team",
            ),
        ]

    def __str__(self):
        return self.filename or f"{self.cohort} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_BOOK_STATES


# --- Follow-up of the pilot procurements ------------------------------------------------


class FollowUpRound(models.IntegerChoices):
    """Months after the closing event."""

    SIX = 6, _("6 months")
    TWELVE = 12, _("12 months")


class FollowUpAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    IN_PROGRESS = "in_progress", _("Not yet, in progress")
    NO = "no", _("No")


class FollowUp(ChoiceLabels, models.Model):
    """One questionnaire of one team and round: sent once to the team's contact, answered
    through a signed link or by a signed-in member, editable until the round closes."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="followups")
    round = models.PositiveSmallIntegerField(_("follow-up round"), choices=FollowUpRound.choices)
    email = models.EmailField(_("sent to"))
    language = models.CharField(max_length=8)
    sent_at = models.DateTimeField(_("sent"))
    closes_on = models.DateField(_("answers can be changed until"))
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published = models.CharField(
        _("Has the pilot procurement been published?"),
        max_length=20,
        choices=FollowUpAnswer.choices,
        blank=True,
    )
    contract_signed = models.CharField(
        _("Has the contract been signed?"),
        max_length=20,
        choices=FollowUpAnswer.choices,
        blank=True,
    )
    social_conditions = models.TextField(
        _("Which social conditions were used?"),
        blank=True,
        help_text=_("For example employment conditions, a code of conduct, contract terms."),
    )
    results = models.TextField(
        _("Employment or human-rights results so far"),
        blank=True,
        help_text=_("For example people employed, audits made, risks found and handled."),
    )
    model_in_use = models.CharField(
        _("Is the operating model in use?"),
        max_length=20,
        choices=FollowUpAnswer.choices,
        blank=True,
    )

    class Meta:
        ordering = ["-sent_at", "team__organisation__name", "round"]
        constraints = [
            models.UniqueConstraint(fields=["team", "round"], name="followup_team_round_unique")
        ]
        verbose_name = _("follow-up questionnaire")
        verbose_name_plural = _("follow-up questionnaires")

    def __str__(self):
        return f"{self.team.organisation.name}: {self.get_round_display()}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
