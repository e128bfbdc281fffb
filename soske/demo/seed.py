"""Demo data: the seed's 2021–2022 cohort and a live cohort whose call is open today."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction

from applications import interviews, scoring
from applications import services as application_services
from applications.models import Application, ApplicationMember, Status, TeamMember
from cohorts.models import Cohort, Criterion, OrganisationType, TeamRole, Theme, Track
from cohorts.services import DEFAULT_CRITERIA, DEFAULT_THEMES
from cohorts.validators import business_id_check_digit
from soske import clock
from soske.calendar.series import slot_series
from soske.users.mfa import DEMO_TOTP_SECRET, has_second_factor, totp_activate
from soske.users.models import STAFF_ROLES, Role, User
from soske.users.roles import grant_role

from . import deliverables, followup, programme

DEMO_PASSWORD = "soske-demo-2026"


def at_helsinki(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=clock.HELSINKI)


def business_id(body: str) -> str:
    check = business_id_check_digit(body)
    assert check is not None, body
    return f"{body}-{check}"


# name, body of the business ID (7 digits, check digit computed), type, region, track
ORGANISATIONS = (
    ("Järvelän kaupunki", "2938402", OrganisationType.MUNICIPALITY, "Pirkanmaa", Track.EMPLOYMENT),
    ("Kallioniemen kunta", "1847562", OrganisationType.MUNICIPALITY, "Lappi", Track.HUMAN_RIGHTS),
    (
        "Koskimaan hyvinvointialue",
        "3204117",
        OrganisationType.WELLBEING_COUNTY,
        "Keski-Suomi",
        Track.HUMAN_RIGHTS,
    ),
    (
        "Länsilaakson kuntayhtymä",
        "2675530",
        OrganisationType.JOINT_AUTHORITY,
        "Satakunta",
        Track.EMPLOYMENT,
    ),
    ("Harjuniemen kaupunki", "0193846", OrganisationType.MUNICIPALITY, "Uusimaa", Track.EMPLOYMENT),
    (
        "Pohjoisrannan kunta",
        "2410977",
        OrganisationType.MUNICIPALITY,
        "Pohjois-Pohjanmaa",
        Track.HUMAN_RIGHTS,
    ),
    (
        "Meriharjun hyvinvointialue",
        "3311208",
        OrganisationType.WELLBEING_COUNTY,
        "Varsinais-Suomi",
        Track.EMPLOYMENT,
    ),
    (
        "Valtion hankintakeskusvirasto",
        "0827364",
        OrganisationType.STATE_AGENCY,
        "Uusimaa",
        Track.HUMAN_RIGHTS,
    ),
    (
        "Ruskalan Kiinteistöt Oy",
        "2559140",
        OrganisationType.PUBLIC_COMPANY,
        "Kanta-Häme",
        Track.EMPLOYMENT,
    ),
    (
        "Ilvesjoen kaupunki",
        "1502738",
        OrganisationType.MUNICIPALITY,
        "Etelä-Pohjanmaa",
        Track.HUMAN_RIGHTS,
    ),
    (
        "Saarijärven seudun jätehuolto Oy",
        "2764415",
        OrganisationType.PUBLIC_COMPANY,
        "Keski-Suomi",
        Track.HUMAN_RIGHTS,
    ),
    (
        "Kaakon koulutuskuntayhtymä",
        "0981234",
        OrganisationType.JOINT_AUTHORITY,
        "Kymenlaakso",
        Track.EMPLOYMENT,
    ),
)
FIRST_NAMES = (
    "Aino",
    "Eero",
    "Helmi",
    "Juho",
    "Kaisa",
    "Lauri",
    "Maria",
    "Niko",
    "Outi",
    "Pekka",
    "Riikka",
    "Sami",
)
LAST_NAMES = (
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Salminen",
)


def _valid_bodies():
    for _name, body, *_rest in ORGANISATIONS:
        if business_id_check_digit(body) is None:
            raise ValueError(f"{body} has no valid check digit")


def _user(email, *, role, first="", last="", language="fi"):
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    grant_role(user, role)
    if role in STAFF_ROLES and not has_second_factor(user):
        # Staff need an authenticator app; the demo's share one known secret, so that
        # `manage.py demo_code <email>` can print the code an app would show.
        totp_activate(user=user, secret=DEMO_TOTP_SECRET)
    return user


def _cohort(
    *, slug, name, name_sv="", name_en="", opens, deadline, interviews, selection, kickoff, closing
):
    cohort, created = Cohort.objects.get_or_create(
        slug=slug,
        defaults=dict(
            name=name,
            name_sv=name_sv,
            name_en=name_en,
            call_opens_at=opens,
            deadline=deadline,
            interviews_start=interviews[0],
            interviews_end=interviews[1],
            selection_date=selection,
            kickoff_date=kickoff,
            closing_date=closing,
            max_selected=6,
        ),
    )
    if created:
        for order, data in enumerate(DEFAULT_CRITERIA):
            Criterion.objects.create(cohort=cohort, order=order, **data)
        for order, (fi, sv, en) in enumerate(DEFAULT_THEMES):
            Theme.objects.create(cohort=cohort, order=order, name_fi=fi, name_sv=sv, name_en=en)
    return cohort, created


def _fill(application, index, name, body, org_type, region, track):
    first, last = FIRST_NAMES[index], LAST_NAMES[index]
    domain = f"org{index + 1}.example"
    application.org_name = name
    application.business_id = business_id(body)
    application.org_type = org_type
    application.region = region
    application.website = f"https://www.{domain}/"
    application.contact_name = f"{first} {last}"
    application.contact_title = "Hankinta-asiantuntija"
    application.took_keino_academy = index % 2 == 0
    application.took_toimi_project = index % 3 == 0
    application.readiness = (
        "Olemme laatineet hankintastrategian, jossa sosiaalinen kestävyys on mukana."
    )
    application.track = track
    application.strategic_goal = "yes" if index % 3 else "partly"
    application.strategy_text = "Kaupunkistrategia 2030, luku Vastuulliset hankinnat"
    application.motivation = "Haluamme tehdä sosiaalisesta kestävyydestä osan jokaista hankintaa."
    application.development_goals = "Toimintamalli merkittäville hankintaryhmille ja yksi pilotti."
    application.resources = "Tiimi käyttää noin kaksi päivää kuukaudessa neljän kuukauden ajan."
    application.manager_name = f"Johtaja {LAST_NAMES[(index + 3) % 12]}"
    application.manager_title = "Hankintajohtaja"
    application.manager_email = f"johto@{domain}"
    application.pilot_subject = (
        "Siivouspalvelut" if track == Track.EMPLOYMENT else "Työvaatteet ja suojaimet"
    )
    application.pilot_value = Decimal(150000 + index * 25000)
    application.pilot_timetable = "Kilpailutus keväällä"
    application.pilot_fit = (
        "Hankinnassa on paljon työvoimavaltaisia tehtäviä ja toimitusketjuriskejä."
    )
    application.save()
    TeamMember.objects.bulk_create(
        [
            TeamMember(
                application=application,
                name=f"{FIRST_NAMES[(index + 1) % 12]} {last}",
                email=f"toimiala@{domain}",
                role=TeamRole.LINE_OF_BUSINESS,
            ),
            TeamMember(
                application=application,
                name=f"{first} {last}",
                email=f"hankinnat@{domain}",
                role=TeamRole.PROCUREMENT,
            ),
        ]
    )


@transaction.atomic
def load_demo(*, today: date | None = None) -> dict:
    _valid_bodies()
    today = today or clock.helsinki(clock.now()).date()
    coordinator = _user(
        "koordinaattori@soske.example", role=Role.COORDINATOR, first="Kaija", last="Koordinaattori"
    )
    reviewer = _user("arvioija@soske.example", role=Role.REVIEWER, first="Arto", last="Arvioija")
    _user(
        "granskare@soske.example",
        role=Role.REVIEWER,
        first="Greta",
        last="Granskare",
        language="sv",
    )

    seed, _ = _cohort(
        slug="soske-2021-2022",
        name="Soske-akatemia 2021–2022",
        # No Swedish name: Swedish pages show the Finnish one, marked with its language.
        name_en="Soske academy 2021–2022",
        opens=at_helsinki(date(2021, 11, 10), 9),
        deadline=at_helsinki(date(2021, 12, 10), 23, 59, 59),
        interviews=(date(2021, 11, 16), date(2021, 12, 17)),
        selection=date(2021, 12, 20),
        kickoff=date(2022, 1, 20),
        closing=date(2022, 4, 6),
    )
    live, live_created = _cohort(
        slug=f"soske-{today.year}",
        name=f"Soske-akatemia {today.year}–{today.year + 1}",
        name_sv=f"Soske-akademin {today.year}–{today.year + 1}",
        name_en=f"Soske academy {today.year}–{today.year + 1}",
        opens=at_helsinki(today - timedelta(days=14), 9),
        deadline=at_helsinki(today + timedelta(days=16), 16),
        interviews=(today - timedelta(days=8), today + timedelta(days=23)),
        selection=today + timedelta(days=26),
        kickoff=today + timedelta(days=57),
        closing=today + timedelta(days=133),
    )
    applicant = _user("hakija@soske.example", role=Role.APPLICANT, first="Hanna", last="Hakija")
    programme.seed_programme(
        cohort=seed,
        coordinator=coordinator,
        reviewer=reviewer,
        person=lambda email, first, last: _user(email, role=Role.APPLICANT, first=first, last=last),
        fill=_fill,
    )
    deliverables.seed_deliverables(cohort=seed, coordinator=coordinator, reviewer=reviewer)
    followup.seed_followups(cohort=seed)
    if live_created:
        now = clock.now()
        for index, (name, body, org_type, region, track) in enumerate(ORGANISATIONS):
            owner = (
                applicant
                if index == 0
                else _user(
                    f"yhteys{index + 1}@soske.example",
                    role=Role.APPLICANT,
                    first=FIRST_NAMES[index],
                    last=LAST_NAMES[index],
                )
            )
            application = Application.objects.create(
                cohort=live,
                created_by=owner,
                created_at=now,
                updated_at=now,
                contact_email=owner.email,
            )
            ApplicationMember.objects.create(
                application=application, user=owner, role=ApplicationMember.Role.OWNER, added_at=now
            )
            if index in (0, 4, 8, 11):
                application.org_name = name  # a draft begun on the first page only
                application.business_id = business_id(body)
                application.org_type = org_type
                application.save()
                continue
            _fill(application, index, name, body, org_type, region, track)
            if index == 10:
                continue  # a complete draft, not yet submitted
            application_services.application_submit(
                application=application,
                actor=owner,
                at=now,
                submit_token=f"demo-{index}",
                consent=True,
            )
        _demo_interviews_and_reviews(live, today, [coordinator, reviewer])
    programme.live_programme(cohort=live, coordinator=coordinator)
    deliverables.live_deliverables(cohort=live, coordinator=coordinator)
    return {
        "cohorts": [seed, live],
        "logins": [
            ("koordinaattori@soske.example", "coordinator"),
            ("arvioija@soske.example", "reviewer"),
            ("granskare@soske.example", "reviewer (svenska)"),
            ("hakija@soske.example", "applicant"),
            *programme.demo_logins(),
        ],
        "password": DEMO_PASSWORD,
        "coordinator": coordinator,
        "reviewer": reviewer,
    }


def _demo_interviews_and_reviews(cohort, today, staff):
    """Free and booked interview slots over the next two weeks, and reviewers at work."""
    first = max(today + timedelta(days=2), cohort.interviews_start)
    starts = slot_series(
        first_day=first,
        last_day=first + timedelta(days=13),
        weekdays=[0, 1, 2, 3, 4],
        day_start=time(9),
        day_end=time(15),
        duration_minutes=60,
        gap_minutes=15,
    )
    slots = interviews.slots_create(
        cohort=cohort,
        starts=starts,
        duration_minutes=60,
        location="Motiva, Helsinki",
        meeting_url="",
        interviewers=staff[:1],
        actor=staff[0],
    )
    submitted = list(
        Application.objects.filter(cohort=cohort, status=Status.SUBMITTED).order_by("pk")
    )
    for application, slot in zip(submitted[:4], slots[::3], strict=False):
        interviews.interview_book(
            application=application,
            slot=slot,
            actor=application.created_by,
            at=clock.now(),
            attendee_roles=["management", "procurement"],
        )
    scoring.spread_evenly(cohort=cohort, reviewers=staff, per_application=2, actor=staff[0])
    criteria = list(cohort.criteria.all())
    for offset, application in enumerate(submitted[:3]):
        for reviewer in staff:
            assignment = application.assignments.get(reviewer=reviewer)
            scoring.declare_conflict(
                assignment=assignment, conflict=False, explanation="", actor=reviewer
            )
            scoring.review_save(
                application=application,
                reviewer=reviewer,
                values={c.pk: (offset + i + reviewer.pk) % 6 for i, c in enumerate(criteria)},
                justifications={c.pk: "Haastattelun ja hakemuksen perusteella." for c in criteria},
                submit=True,
            )
