"""Two teams with every worksheet submitted, feedback, and peer comments (one hidden), for
the results book's tests and benchmark."""

from datetime import timedelta

from deliverables import services
from deliverables.models import Kind, Verdict
from soske import clock

CONTENT = {
    "pre_assignment": {"answer": {"text": "Strategiassa sosiaalinen kestävyys mainitaan kerran."}},
    "kickoff": {
        "categories": {"rows": [
            {"category": "Siivouspalvelut", "annual_spend": "420000.00",
             "risk": "Työllistämisen mahdollisuus", "chosen": True},
            {"category": "Elintarvikkeet", "annual_spend": "1250000.00",
             "risk": "Alkuperämaan työolot", "chosen": False},
        ]},
        "impact": {"subject": "Kiinteistöjen siivous", "estimated_value": "800000.00",
                   "timetable": "2026–2027", "target_group": "Pitkäaikaistyöttömät",
                   "expected_impact": "Kuusi henkilöä työllistyy.",
                   "indicators": "Henkilötyökuukaudet",
                   "follow_up": "Toimittaja raportoi neljännesvuosittain."},
    },
    "interim_employment": {"employment": {"suitable_subjects": "Siivous, viheralueiden hoito",
                                          "condition": "person_months",
                                          "condition_detail": "24 henkilötyökuukautta",
                                          "cooperation": "Työllisyyspalvelut ohjaa hakijat."}},
    "interim_human_rights": {
        "risk_matrix": {"rows": [
            {"category": "Työvaatteet", "risk": "forced_labour", "likelihood": 4, "severity": 5,
             "measures": "Auditointi"},
            {"category": "Elintarvikkeet", "risk": "wages", "likelihood": 2, "severity": 3,
             "measures": ""},
        ]},
        "conduct_annex": {"procurement": "Työvaatteet", "obligations": [], "terms": [],
                          "own_text": "Toimittaja nimeää vastuuhenkilön."},
    },
    "development_task": {
        "operating_model": {"goal": "Sosiaalinen kestävyys jokaiseen yli 60 000 euron hankintaan.",
                            "responsibilities": "Hankintapäällikkö vastaa.",
                            "process": "Tarvekartoituksen tarkistuslista.",
                            "follow_up": "Vuosiraportti", "next_steps": "Koulutus"},
        "pilot_plan": {"subject": "Kiinteistöjen siivous", "estimated_value": "800000.00",
                       "procedure": "Avoin menettely", "social_conditions": "Työllistämisehto",
                       "status": "published", "summary": "Tarjouspyyntö julkaistiin maaliskuussa."},
    },
    "management": {"management": {"presented_on": "2026-04-12", "attendees": ["board"],
                                  "attendees_other": "", "decision": "approved",
                                  "comments": "Johtoryhmä hyväksyi mallin."}},
}  # fmt: skip


def complete_work(teams_world, *, coordinator, hidden_comment=True, peers=None):
    """Open every seed assignment, submit every team's complete work, give feedback on the
    development task and leave peer comments: every team on every other, or with `peers`
    on that many teams after it (so each team's chapter is the same size in any cohort).
    Returns the assignments by kind."""
    cohort = teams_world.cohort
    seeded = services.assignments_seed(cohort=cohort, actor=coordinator)
    now = clock.now()
    by_kind = {}
    for assignment in seeded:
        by_kind[assignment.kind] = services.assignment_update(
            assignment=assignment, actor=coordinator, opens_at=now - timedelta(days=30),
            due_at=now + timedelta(days=5), cutoff_at=now + timedelta(days=6),
        )  # fmt: skip
    items = list(cohort.conduct_items.all())
    annex = CONTENT["interim_human_rights"]["conduct_annex"]
    from deliverables.worksheets import conduct_snapshot

    annex["obligations"] = [conduct_snapshot(i) for i in items if i.kind == "obligation"][:2]
    annex["terms"] = [conduct_snapshot(i) for i in items if i.kind == "term"][:2]
    for team, actor in teams_world.members():
        for kind, assignment in by_kind.items():
            if not assignment.concerns(team.track):
                continue
            submission = services.submission_for(assignment=assignment, team=team)
            services.draft_save(submission=submission, actor=actor, content=CONTENT[kind])
            version = services.submission_submit(
                submission=submission, actor=actor, token=f"{kind}-{team.pk}"
            )
            if kind == Kind.DEVELOPMENT_TASK:
                services.feedback_give(
                    version=version, actor=coordinator, verdict=Verdict.ACCEPTED,
                    text=f"Hieno suunnitelma, {team.organisation.name}.",
                )  # fmt: skip
    development = by_kind[Kind.DEVELOPMENT_TASK]
    services.peer_phase_open(assignment=development, actor=coordinator)
    development.refresh_from_db()
    pairs = teams_world.members()
    count = len(pairs)
    reach = count - 1 if peers is None else min(peers, count - 1)
    for index, (team, actor) in enumerate(pairs):
        for step in range(1, reach + 1):
            other = pairs[(index + step) % count][0]
            if other != team:
                services.peer_comment_add(
                    assignment=development, author_team=team, team=other, actor=actor,
                    text=f"{team.organisation.name} kiittää: selkeä pilotti.",
                )  # fmt: skip
    if hidden_comment and len(pairs) > 1:
        comment = services.peer_comment_add(
            assignment=development, author_team=pairs[1][0], team=pairs[0][0],
            actor=pairs[1][1], text="Asiaton kommentti, joka piilotetaan.",
        )  # fmt: skip
        services.peer_comment_hide(comment=comment, actor=coordinator, reason="Asiaton")
    return by_kind
