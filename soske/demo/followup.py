"""Demo data of the pilot procurements' follow-up: the 2021–22 cohort's 6-month
questionnaires, sent by the beat the day after they were due (6 months after the closing
event of 6.4.2022), and the answers of three of its six teams. Once per cohort."""

from datetime import datetime, time, timedelta

from cohorts.models import Team
from deliverables import followup
from deliverables.models import FollowUp
from soske import clock

ANSWERS = {
    "Järvelän kaupunki": {
        "published": "yes",
        "contract_signed": "yes",
        "social_conditions": "Työllistämisehto: vähintään 12 henkilötyökuukautta "
        "sopimuskauden aikana, kohderyhmänä pitkäaikaistyöttömät ja nuoret.",
        "results": "Kaksi henkilöä työllistyi siivoukseen; yksi jatkaa oppisopimuksella.",
        "model_in_use": "yes",
    },
    "Kallioniemen kunta": {
        "published": "in_progress",
        "contract_signed": "no",
        "social_conditions": "Toimintaohjeliite ja auditointioikeus työvaatteiden hankintaan.",
        "results": "Riskianalyysi tehty kolmesta hankintaryhmästä; kilpailutus alkaa marraskuussa.",
        "model_in_use": "in_progress",
    },
    "Länsilaakson kuntayhtymä": {
        "published": "yes",
        "contract_signed": "in_progress",
        "social_conditions": "Työllistämisehto viheralueiden hoidon urakassa.",
        "results": "",
        "model_in_use": "in_progress",
    },
}


def seed_followups(*, cohort) -> int:
    if FollowUp.objects.filter(team__cohort=cohort).exists() or cohort.closing_date is None:
        return 0
    due = followup.add_months(cohort.closing_date, 6) + timedelta(days=1)
    sent_at = datetime.combine(due, time(9), tzinfo=clock.HELSINKI)
    with clock.travel(sent_at):
        for team in Team.objects.filter(cohort=cohort, active=True).select_related("cohort"):
            followup.followup_send(team=team, round_=6, closing=cohort.closing_date, at=sent_at)
    answered = 0
    for row in FollowUp.objects.filter(team__cohort=cohort).select_related("team__organisation"):
        answers = ANSWERS.get(row.team.organisation.name)
        if answers is None:
            continue
        at = row.sent_at + timedelta(days=5 + answered * 3, hours=3)
        with clock.travel(at):
            followup.followup_answer(followup=row, answers=answers, at=at)
        answered += 1
    return answered
