"""The programme of a cohort: its events, the sparring of each organisation, attendance."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Team, TeamMembership, Track
from soske.choices import ChoiceLabels
from soske.files import private_storage, upload_to
from soske.i18n import localized


class EventKind(models.TextChoices):
    KICKOFF = "kickoff", _("Kick-off")
    WORKSHOP = "workshop", _("Workshop")
    CLOSING = "closing", _("Closing event")
    SPARRING_ROUND = "sparring_round", _("Sparring round")


class Audience(models.TextChoices):
    """The track an event concerns."""

    BOTH = "both", _("Both tracks")
    EMPLOYMENT = Track.EMPLOYMENT.value, Track.EMPLOYMENT.label
    HUMAN_RIGHTS = Track.HUMAN_RIGHTS.value, Track.HUMAN_RIGHTS.label


class EventQuerySet(models.QuerySet):
    def live(self):
        return self.filter(cancelled_at__isnull=True)

    def for_track(self, track: str):
        return self.filter(audience__in=[Audience.BOTH, track])


class Event(ChoiceLabels, models.Model):
    """One date of the programme: a joint event, or the window of a sparring round.

    `uid` and `sequence` make the invitations one calendar entry that changes: the UID
    never changes, the sequence rises with every change people were told of.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    audience = models.CharField(
        _("track"), max_length=20, choices=Audience.choices, default=Audience.BOTH
    )
    title_fi = models.CharField(_("title (Finnish)"), max_length=200)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place (address)"), max_length=300, blank=True)
    meeting_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    change_cutoff = models.DurationField(
        _("sparring can be booked and moved until this long before"),
        default=timedelta(hours=24),
        help_text=_("For a sparring round: teams book and move their own time until then."),
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after"
            )
        ]
        verbose_name = _("programme event")
        verbose_name_plural = _("programme events")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return localized(self, "title")

    @property
    def description(self):
        return localized(self, "description")

    @property
    def is_sparring_round(self) -> bool:
        return self.kind == EventKind.SPARRING_ROUND

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def concerns(self, track: str) -> bool:
        return self.audience in (Audience.BOTH, track)


class Material(models.Model):
    """A file or a link that belongs to an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=upload_to("workshops"), blank=True
    )
    filename = models.CharField(max_length=200, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self):
        return self.title


class SparringSlotQuerySet(models.QuerySet):
    def offered(self):
        return self.filter(removed_at__isnull=True)


class SparringSlot(models.Model):
    """Two hours that a sparrer offers within a round's window, for one organisation."""

    round = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sparring_slots")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=120)
    sparrers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="sparring_slots", verbose_name=_("sparrers")
    )
    location = models.CharField(_("place (address)"), max_length=300, blank=True)
    meeting_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    created_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = SparringSlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"{self.round} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class SparringBooking(ChoiceLabels, models.Model):
    """One team's sparring in one round; moving it keeps the row (and the calendar UID)."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    round = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sparring_bookings")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sparring_bookings")
    slot = models.ForeignKey(SparringSlot, on_delete=models.PROTECT, related_name="bookings")
    state = models.CharField(max_length=10, choices=State.choices, default=State.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField()
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    next_steps = models.TextField(_("agreed next steps"), max_length=10000, blank=True)
    notes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # No two teams in one slot, one booking per team and round: the database
            # decides between two clicks at the same moment.
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(state="booked"),
                name="sparring_one_team_per_slot",
            ),
            models.UniqueConstraint(
                fields=["round", "team"],
                condition=models.Q(state="booked"),
                name="sparring_one_booking_per_team_round",
            ),
        ]

    def __str__(self):
        return f"{self.team} @ {self.slot}"


class Attendance(models.Model):
    """Who of a team attends an event: named in advance by the team, ticked on the day."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(
        TeamMembership, on_delete=models.CASCADE, related_name="attendance"
    )
    planned = models.BooleanField(default=False)
    attended = models.BooleanField(null=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "membership"], name="attendance_unique")
        ]

    def __str__(self):
        return f"{self.membership} @ {self.event}"
