"""Demo data of the programme: the seed's 2021–2022 cohort as it happened (six selected
organisations, the programme of 20.1., 9.2., 9.3. and 6.4.2022, sparring with notes,
attendance), and the live cohort's programme planned from the seed's pattern."""

from datetime import date, datetime, time, timedelta

from applications import selection
from applications import services as application_services
from applications.models import Application, ApplicationMember, Mark, TeamMember
from cohorts import services as cohort_services
from cohorts.models import TeamMembership, TeamRole, Track
from soske import clock
from workshops import attendance, programme, sparring
from workshops.models import EventKind

# The six organisations of 2021–22 (fictional), with their track.
SEED_TEAMS = (
    ("Järvelän kaupunki", "2938402", "municipality", "Pirkanmaa", Track.EMPLOYMENT),
    ("Kallioniemen kunta", "1847562", "municipality", "Lappi", Track.HUMAN_RIGHTS),
    ("Koskimaan hyvinvointialue", "3204117", "wellbeing_county", "Keski-Suomi", Track.HUMAN_RIGHTS),
    ("Länsilaakson kuntayhtymä", "2675530", "joint_authority", "Satakunta", Track.EMPLOYMENT),
    ("Harjuniemen kaupunki", "0193846", "municipality", "Uusimaa", Track.EMPLOYMENT),
    ("Pohjoisrannan kunta", "2410977", "municipality", "Pohjois-Pohjanmaa", Track.HUMAN_RIGHTS),
)  # fmt: skip

SPARRING_NOTES = {
    Track.EMPLOYMENT: (
        "Pilottihankinnaksi valittiin kiinteistöjen siivouspalvelut. Työllistämisehto "
        "kirjataan sopimusehtoihin: vähintään 12 henkilötyökuukautta sopimuskauden aikana.",
        "Yhteinen tapaaminen työllisyyspalveluiden kanssa ennen markkinavuoropuhelua; "
        "ehtoluonnos seuraavaan työpajaan.",
    ),
    Track.HUMAN_RIGHTS: (
        "Riskianalyysissä korkeimmiksi nousivat työvaatteiden ja suojainten hankintaketjut. "
        "Toimintaohjeliitteen vähimmäisvelvoitteet käytiin läpi.",
        "Markkinavuoropuhelu toimittajien kanssa ja sopimusehtojen seuranta auditoinneilla.",
    ),
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.HELSINKI)


def seed_programme(*, cohort, coordinator, reviewer, person, fill):
    """The 2021–22 cohort from application to closing event; once (skipped if it has teams).

    `person(email, first, last)` makes a demo account; `fill(application, index, name,
    body, org_type, region, track)` completes an application's answers."""
    if cohort.teams.exists():
        return
    with clock.travel(_at(date(2021, 11, 24), 10)):
        applications = []
        for index, (name, body, org_type, region, track) in enumerate(SEED_TEAMS):
            owner = person(
                "tiimi@soske.example" if index == 0 else f"tiimi{index + 1}@soske.example",
                ("Tiina", "Teemu", "Satu", "Olli", "Leena", "Mikko")[index],
                "Tiimiläinen" if index == 0 else name.split()[0].rstrip("n"),
            )
            now = clock.now()
            application = Application.objects.create(
                cohort=cohort,
                created_by=owner,
                created_at=now,
                updated_at=now,
                contact_email=owner.email,
            )
            ApplicationMember.objects.create(
                application=application, user=owner, role=ApplicationMember.Role.OWNER, added_at=now
            )
            fill(application, index, name, body, org_type, region, track)
            if track == Track.EMPLOYMENT:
                TeamMember.objects.create(
                    application=application,
                    name=f"Työllisyyspalvelut {name.split()[0]}",
                    email=f"tyollisyys@org{index + 1}.example",
                    role=TeamRole.EMPLOYMENT_SERVICES,
                )
            application_services.application_submit(
                application=application,
                actor=owner,
                at=now,
                submit_token=f"demo-seed-{index}",
                consent=True,
            )
            applications.append((application, owner))
    with clock.travel(_at(date(2021, 12, 17), 14)):
        for application, _owner in applications:
            selection.decision_mark(
                application=application, mark=Mark.SELECTED, feedback="", actor=coordinator
            )
        selection.release(cohort=cohort, actor=coordinator)
    cohort.refresh_from_db()
    with clock.travel(_at(date(2021, 12, 20), 9)):
        for _application, owner in applications:
            membership = TeamMembership.objects.get(team__cohort=cohort, email=owner.email)
            cohort_services.team_join(token=membership.token, user=owner)
    with clock.travel(_at(date(2021, 12, 21), 10)):
        events = programme.programme_from_pattern(
            cohort=cohort, kickoff=date(2022, 1, 20), actor=coordinator
        )
        for event in events:
            if event.kind == EventKind.KICKOFF:
                programme.event_update(
                    event=event,
                    actor=coordinator,
                    location="Motiva Oy, Urho Kekkosen katu 4–6 A, Helsinki",
                    meeting_url="https://meet.soske.example/aloitus",
                    description_fi="Tervetuloa, sosiaalisen vastuun teemat ja kaksi polkua, "
                    "merkittävät hankintaryhmät, vaikuttavuuden ennakkoarviointi.",
                )
            elif not event.is_sparring_round:
                programme.event_update(
                    event=event,
                    actor=coordinator,
                    meeting_url=f"https://meet.soske.example/{event.pk}",
                )
        for event in cohort.events.exclude(kind=EventKind.SPARRING_ROUND):
            programme.event_invite(event=event, actor=coordinator)
    rounds = list(cohort.events.filter(kind=EventKind.SPARRING_ROUND).order_by("starts_at"))
    teams = list(cohort.teams.select_related("organisation").order_by("organisation__name"))
    for round_ in rounds:
        first_day = clock.helsinki(round_.starts_at).date() + timedelta(days=4)
        with clock.travel(round_.starts_at - timedelta(days=10)):
            starts = []
            day = first_day
            while len(starts) < len(teams) + 2:
                if day.weekday() < 5:
                    starts += [_at(day, 9), _at(day, 13)]
                day += timedelta(days=1)
            slots = sparring.slots_create(
                round=round_,
                starts=starts,
                sparrers=[reviewer, coordinator],
                location="",
                meeting_url="https://meet.soske.example/sparraus",
                actor=coordinator,
            )
            for team, slot in zip(teams, slots, strict=False):
                contact = team.memberships.filter(user__isnull=False).first()
                sparring.sparring_book(team=team, slot=slot, actor=contact.user, at=clock.now())
        with clock.travel(round_.ends_at):
            for booking in round_.sparring_bookings.select_related("team"):
                notes, next_steps = SPARRING_NOTES[booking.team.track]
                sparring.sparring_save_notes(
                    booking=booking, notes=notes, next_steps=next_steps, actor=reviewer
                )
    joint = list(cohort.events.exclude(kind=EventKind.SPARRING_ROUND).order_by("starts_at"))
    for event in joint:
        with clock.travel(event.starts_at - timedelta(days=3)):
            for team in teams:
                if not event.concerns(team.track):
                    continue
                members = list(team.memberships.all())
                joined = next(m for m in members if m.user_id is not None)
                attendance.attendance_plan(
                    team=team,
                    event=event,
                    membership_ids=[m.pk for m in members],
                    actor=joined.user,
                )
        with clock.travel(event.ends_at):
            came = {}
            for index, team in enumerate(teams):
                for number, member in enumerate(team.memberships.all()):
                    came[member.pk] = not (index == 2 and number == 1)  # one missed it
            attendance.attendance_mark(event=event, attended=came, actor=coordinator)


def live_programme(*, cohort, coordinator):
    """The live cohort's programme planned from the seed's pattern at its kick-off day."""
    if cohort.events.exists() or cohort.kickoff_date is None:
        return
    programme.programme_from_pattern(cohort=cohort, kickoff=cohort.kickoff_date, actor=coordinator)


def demo_logins():
    return [("tiimi@soske.example", "team member (2021–2022)")]
