"""The calendar the interview tests live in, shared by test_interview*.py.

The call of 2026 closes on 30 September; interviews run 19–30 October, across the
night of 25 October when Finland leaves summer time (EEST, UTC+3) for winter time
(EET, UTC+2). The tests stand on Monday 12 October at 10:00, a week before.
"""

from datetime import UTC, date, datetime

from applications import services
from applications.models import Application, Status
from soske import clock
from tests.factories import ApplicationFactory, CohortFactory, InterviewSlotFactory

HELSINKI = clock.HELSINKI


def hki(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def utc(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


SUBMIT_AT = hki(2026, 9, 15, 12)
NOW = hki(2026, 10, 12, 10)
WINDOW = (date(2026, 10, 19), date(2026, 10, 30))


def interview_cohort(**kwargs):
    return CohortFactory(
        call_opens_at=hki(2026, 8, 3, 9),
        deadline=hki(2026, 9, 30, 16),
        interviews_start=WINDOW[0],
        interviews_end=WINDOW[1],
        selection_date=date(2026, 11, 13),
        **kwargs,
    )


def submitted_application(cohort, user, *, org_name="Testilän kaupunki", via_service=True):
    """A complete application of `user`'s organisation, submitted before the deadline."""
    application = ApplicationFactory(
        cohort=cohort, created_by=user, org_name=org_name, complete=True
    )
    if via_service:
        with clock.travel(SUBMIT_AT):
            services.application_submit(
                application=application,
                actor=user,
                at=SUBMIT_AT,
                submit_token=f"tok-{application.pk}",
                consent=True,
            )
    else:
        Application.objects.filter(pk=application.pk).update(
            status=Status.SUBMITTED, submitted_at=SUBMIT_AT, version=1
        )
    application.refresh_from_db()
    return application


def slot_at(cohort, starts_at, *interviewers, **kwargs):
    return InterviewSlotFactory(
        cohort=cohort, starts_at=starts_at, interviewers=list(interviewers), **kwargs
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]
