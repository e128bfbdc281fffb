from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from applications.models import Application, ApplicationMember, TeamMember, TeamRole
from cohorts.models import Cohort, Criterion, OrganisationType, Theme, Track
from cohorts.services import DEFAULT_CRITERIA, DEFAULT_THEMES
from soske import clock
from soske.users.mfa import totp_activate, totp_code
from soske.users.models import User

# Every staff account of the tests has an authenticator app with this secret (base32), so
# the tests can compute its code: `current_code()`.
TOTP_SECRET = "KRSXG5CTN5ZWWZJAMFRXG33VNZ2CAMJS"


def give_totp(user, secret=TOTP_SECRET):
    """An activated authenticator app (allauth.mfa TOTP), as staff must have."""
    totp_activate(user=user, secret=secret)
    return user


def current_code(secret=TOTP_SECRET) -> str:
    return totp_code(secret)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Henkilö{n}")
    language = "fi"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """Admin-site users get an authenticator app (MFA is required of them);
        `totp=True/False` decides for anyone."""
        wanted = (obj.is_staff or obj.is_superuser) if extracted is None else extracted
        if create and wanted:
            give_totp(obj)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Soske-akatemia {2030 + n}")
    slug = factory.Sequence(lambda n: f"soske-{2030 + n}")
    call_opens_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=10))
    deadline = factory.LazyFunction(lambda: clock.now() + timedelta(days=20))
    interviews_start = factory.LazyFunction(lambda: (clock.now() - timedelta(days=5)).date())
    interviews_end = factory.LazyFunction(lambda: (clock.now() + timedelta(days=25)).date())
    selection_date = factory.LazyFunction(lambda: (clock.now() + timedelta(days=30)).date())

    @factory.post_generation
    def defaults(obj, create, extracted, **kwargs):
        if not create:
            return
        for order, data in enumerate(DEFAULT_CRITERIA):
            Criterion.objects.create(cohort=obj, order=order, **data)
        for order, (fi, sv, en) in enumerate(DEFAULT_THEMES):
            Theme.objects.create(cohort=obj, order=order, name_fi=fi, name_sv=sv, name_en=en)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with one owner; `complete=True` fills every required answer."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(clock.now)
    updated_at = factory.LazyFunction(clock.now)
    contact_email = factory.LazyAttribute(lambda o: o.created_by.email)

    @factory.post_generation
    def owner(obj, create, extracted, **kwargs):
        if create:
            ApplicationMember.objects.create(
                application=obj,
                user=obj.created_by,
                role=ApplicationMember.Role.OWNER,
                added_at=clock.now(),
            )

    @factory.post_generation
    def complete(obj, create, extracted, **kwargs):
        if create and extracted:
            fill_complete(obj)


_business_ids = iter(range(10**6))


def next_business_id() -> str:
    from cohorts.validators import business_id_check_digit

    while True:
        body = f"{3000000 + next(_business_ids):07d}"
        check = business_id_check_digit(body)
        if check is not None:
            return f"{body}-{check}"


def fill_complete(application, *, track=Track.EMPLOYMENT):
    application.org_name = application.org_name or "Testilän kaupunki"
    application.business_id = application.business_id or next_business_id()
    application.org_type = OrganisationType.MUNICIPALITY
    application.region = "Uusimaa"
    application.contact_name = "Testi Yhteyshenkilö"
    application.contact_title = "Hankinta-asiantuntija"
    application.took_keino_academy = True
    application.track = track
    application.strategic_goal = "yes"
    application.strategy_text = "Kaupunkistrategia 2030"
    application.motivation = "Haluamme kehittää."
    application.development_goals = "Toimintamalli."
    application.resources = "Kaksi päivää kuukaudessa."
    application.manager_name = "Johtaja Testinen"
    application.manager_title = "Hankintajohtaja"
    application.manager_email = "johto@example.org"
    application.pilot_subject = "Siivouspalvelut"
    application.pilot_value = Decimal("100000")
    application.pilot_timetable = "Kevät"
    application.pilot_fit = "Työvoimavaltainen."
    application.save()
    TeamMember.objects.create(
        application=application, name="Toimiala Asiantuntija", role=TeamRole.LINE_OF_BUSINESS
    )
    TeamMember.objects.create(
        application=application, name="Hankinta Asiantuntija", role=TeamRole.PROCUREMENT
    )
    return application


class InterviewSlotFactory(factory.django.DjangoModelFactory):
    """A free slot; pass `interviewers=[user, …]` to staff it."""

    class Meta:
        model = "applications.InterviewSlot"
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    starts_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=7))
    duration_minutes = 60
    location = "Kaupungintalo, Helsinki"
    created_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def interviewers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.interviewers.set(extracted)


def close_call(cohort, *, ago=timedelta(minutes=1)):
    """End the call of `cohort` (deadline plus grace) `ago` before now, in the row and object.

    Decisions are released only once the call has closed; tests that submit first and
    release afterwards close the call in between, as the calendar would.
    """
    closes = clock.now() - ago
    cohort.call_opens_at = min(cohort.call_opens_at, closes - cohort.grace - timedelta(days=1))
    cohort.deadline = closes - cohort.grace
    Cohort.objects.filter(pk=cohort.pk).update(
        call_opens_at=cohort.call_opens_at, deadline=cohort.deadline
    )
    return cohort
