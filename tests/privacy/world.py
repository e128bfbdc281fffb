"""The people and data the privacy tests work on."""

from datetime import UTC, date, datetime

from django.core.files.base import ContentFile

from applications.models import ApplicationVersion, Decision, Status
from cohorts.models import Cohort, Organisation, Team, TeamMembership, Track
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.factories import ApplicationFactory, CohortFactory, UserFactory, fill_complete


def past_cohort(**extra) -> Cohort:
    """A cohort of 2030 whose decisions were released on 1.3.2030 at 12:00 Finnish time."""
    return CohortFactory(
        name="Soske 2030",
        call_opens_at=datetime(2030, 1, 1, tzinfo=UTC),
        deadline=datetime(2030, 2, 1, tzinfo=UTC),
        interviews_start=date(2030, 1, 10),
        interviews_end=date(2030, 2, 10),
        selection_date=date(2030, 2, 20),
        decisions_released_at=datetime(2030, 3, 1, 10, 0, tzinfo=UTC),
        **extra,
    )


def application_of(user, cohort, *, org_name, strategy=None, status=Status.SUBMITTED):
    application = ApplicationFactory(cohort=cohort, created_by=user, org_name=org_name)
    fill_complete(application)
    application.status = status
    application.contact_name = user.get_full_name()
    application.contact_phone = "040 123 4567"
    if strategy:
        application.strategy_file.save(strategy[0], ContentFile(strategy[1]), save=False)
        application.strategy_file_name = strategy[0]
    application.save()
    return application


def decide(application, mark, actor):
    moment = clock.now()
    return Decision.objects.create(
        application=application,
        cohort=application.cohort,
        mark=mark,
        feedback="Palaute",
        marked_by=actor,
        marked_at=moment,
        released_mark=mark,
        released_at=moment,
        released_feedback="Palaute",
        release_count=1,
    )


def make_team(application, *members):
    organisation = Organisation.objects.create(
        name=application.org_name, business_id=application.business_id
    )
    team = Team.objects.create(
        cohort=application.cohort,
        organisation=organisation,
        track=Track.EMPLOYMENT,
        created_at=clock.now(),
    )
    application.team_record = team
    application.save(update_fields=["team_record"])
    for i, (name, email, user) in enumerate(members):
        TeamMembership.objects.create(
            team=team,
            name=name,
            email=email,
            user=user,
            role="contact" if i == 0 else "procurement",
            token=f"00000000-0000-0000-0000-{application.pk:06d}{i:06d}",
            invited_at=clock.now(),
            joined_at=clock.now() if user else None,
        )
    return team


def mail_to(address, key, body="Hei"):
    moment = clock.now()
    return OutgoingEmail.objects.create(
        key=key,
        to=address,
        language="fi",
        subject=f"Viesti {key}",
        body_text=body,
        status=OutgoingEmail.Status.SENT,
        created_at=moment,
        updated_at=moment,
        sent_at=moment,
    )


def version_of(application, user):
    from applications.services import application_snapshot

    return ApplicationVersion.objects.create(
        application=application,
        number=1,
        submitted_at=clock.now(),
        submitted_by=user,
        data=application_snapshot(application),
    )


def person(email, first, last, **extra):
    return UserFactory(email=email, first_name=first, last_name=last, **extra)
