"""Demo data of the deliverables: the 2021–22 cohort's assignments on the seed's dates
with all six teams' work as it was handed in (complete worksheets, feedback, one kick-off
work sent back for changes and accepted as a second version, the management presentations
in April, and the peer comments of the closing event, one of them hidden by a coordinator),
and the live cohort's seed set, not yet open.

Every step runs through the services inside `clock.travel(...)`, so versions, feedback and
comments carry the seed's dates and are on time. The organisations are fictional."""

from datetime import date, datetime, time

from deliverables import services
from deliverables.models import ConductItemKind, Kind, Verdict
from deliverables.worksheets import conduct_snapshot
from soske import clock


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.HELSINKI)


def _row(category, spend, risk, chosen):
    return {"category": category, "annual_spend": spend, "risk": risk, "chosen": chosen}


def _risk(category, risk, likelihood, severity, measures):
    return {"category": category, "risk": risk, "likelihood": likelihood, "severity": severity,
            "measures": measures}  # fmt: skip


# The work of each team, by organisation (see soske/demo/programme.py SEED_TEAMS).
WORK = {
    "Järvelän kaupunki": {
        "answer": "Hankintastrategiassa (2019) sosiaalinen kestävyys mainitaan yleisellä "
        "tasolla: 'hankinnoilla edistetään työllisyyttä'. Mittareita tai vastuuhenkilöä ei ole "
        "nimetty. Kaupunkistrategian tavoite nuorisotyöttömyyden puolittamisesta on hyvä "
        "kiinnekohta.",
        "categories": [
            _row(
                "Kiinteistöjen siivouspalvelut",
                "1850000.00",
                "Työllistämisen mahdollisuus: paljon työvoimaa, matala kynnys.",
                True,
            ),
            _row(
                "Viheralueiden hoito",
                "640000.00",
                "Kausityö sopii oppisopimuksille ja työkokeiluille.",
                True,
            ),
            _row(
                "Ruokapalvelut ja elintarvikkeet",
                "2300000.00",
                "Alkuperämaiden työolot; keittiöissä työllistämismahdollisuus.",
                False,
            ),
            _row(
                "Rakennusurakat",
                "9800000.00",
                "Harmaa talous ja alihankintaketjut; työllistämisehto isoissa urakoissa.",
                False,
            ),
            _row("ICT-laitteet", "720000.00", "Valmistusmaiden työolot.", False),
        ],
        "impact": {
            "subject": "Kiinteistöjen siivouspalvelut 2023–2026",
            "estimated_value": "7400000.00",
            "timetable": "Markkinavuoropuhelu 4/2022, tarjouspyyntö 9/2022, sopimus 1/2023.",
            "target_group": "Pitkäaikaistyöttömät ja alle 30-vuotiaat työttömät nuoret.",
            "expected_impact": "Noin 8 henkilöä työllistyy vuosittain siivousalalle; osa "
            "jatkaa toimittajan palveluksessa sopimuskauden jälkeen.",
            "indicators": "Työllistettyjen määrä ja henkilötyökuukaudet, työsuhteen jatkuminen "
            "6 kk jälkeen, suoritetut ammattitutkinnot.",
            "follow_up": "Toimittaja raportoi puolivuosittain; työllisyyspalvelut vahvistaa "
            "työllistettyjen taustan.",
        },
        "employment": {
            "suitable_subjects": "Siivouspalvelut, viheralueiden hoito ja kunnossapito, "
            "ateriakuljetukset.",
            "condition": "person_months",
            "condition_detail": "Vähintään 24 henkilötyökuukautta vuodessa työllisyyspalveluiden "
            "osoittamille henkilöille.",
            "cooperation": "Järvelän työllisyyspalvelut ohjaa hakijat ja tukee rekrytoinnissa; "
            "yhteyshenkilö nimetään sopimukseen.",
        },
        "pilot": (
            "Kiinteistöjen siivouspalvelut",
            "7400000.00",
            "tendering",
            "Avoin menettely, tarjouspyyntö syyskuussa 2022.",
            "Työllistämisehto 24 henkilötyökuukautta vuodessa; toteutuma raportoidaan "
            "puolivuosittain ja tarkistetaan työllisyyspalveluiden kanssa.",
        ),
        "model": (
            "Kaupunkistrategian tavoite: nuorisotyöttömyys puoleen vuoteen 2025 mennessä.",
            "Hankintapäällikkö omistaa mallin; toimialojen hankinta-asiantuntijat tunnistavat "
            "kohteet; työllisyyspalvelut vastaa ohjauksesta.",
            "Jokaisen yli 200 000 euron palveluhankinnan tarvekartoituksessa arvioidaan "
            "työllistämisehdon soveltuvuus tarkistuslistalla.",
        ),
        "management": (
            "2022-04-04",
            ["chief_executive", "management_team"],
            "approved",
            "Johtoryhmä hyväksyi toimintamallin ja pyysi raportin syksyllä.",
        ),
    },
    "Kallioniemen kunta": {
        "answer": "Kunnan hankintaohjeessa ei mainita ihmisoikeuksia. Valtuustokauden "
        "strategiassa on tavoite 'vastuullinen ja reilu kunta', jota hankinnat voivat tukea.",
        "categories": [
            _row(
                "Työvaatteet ja suojaimet",
                "180000.00",
                "Tekstiiliteollisuuden pakkotyö- ja palkkariskit.",
                True,
            ),
            _row(
                "Elintarvikkeet",
                "950000.00",
                "Hedelmät, vihannekset ja kahvi: kausityöntekijöiden olot.",
                True,
            ),
            _row("Koulukuljetukset", "1200000.00", "Kuljettajien työajat.", False),
            _row("ICT-laitteet", "260000.00", "Mineraalien alkuperä, kokoonpanon työolot.", False),
        ],
        "impact": {
            "subject": "Työvaatteiden ja henkilösuojainten puitesopimus",
            "estimated_value": "720000.00",
            "timetable": "Tarjouspyyntö 5/2022, sopimus 9/2022, kausi 4 vuotta.",
            "target_group": "Toimitusketjun työntekijät valmistusmaissa.",
            "expected_impact": "Pakkotyön ja kohtuuttomien työaikojen riski pienenee, kun "
            "toimittaja sitoutuu auditointeihin ja korjaaviin toimiin.",
            "indicators": "Auditoitujen tehtaiden osuus, avoimet korjaavat toimet, "
            "toimitusketjun läpinäkyvyys (tehdaslistan julkaisu).",
            "follow_up": "Vuosikatsaus toimittajan kanssa; kolmannen osapuolen auditointi "
            "kerran sopimuskaudessa.",
        },
        "risk_matrix": [
            _risk(
                "Työvaatteet ja suojaimet",
                "forced_labour",
                4,
                5,
                "Tehdaslista, kolmannen osapuolen auditointi, korjaava suunnitelma.",
            ),
            _risk(
                "Työvaatteet ja suojaimet",
                "working_hours",
                4,
                3,
                "Työaikakirjanpidon tarkastus auditoinnissa.",
            ),
            _risk("Elintarvikkeet", "wages", 3, 3, "Sertifioidut tuotteet hedelmissä ja kahvissa."),
            _risk("ICT-laitteet", "child_labour", 2, 5, "Mineraalien alkuperäselvitys."),
        ],
        "conduct_procurement": "Työvaatteiden ja henkilösuojainten puitesopimus",
        "pilot": (
            "Työvaatteet ja henkilösuojaimet",
            "720000.00",
            "market_dialogue",
            "Markkinavuoropuhelu 4/2022, avoin menettely 5/2022.",
            "Toimintaohjeliite sopimuksen osaksi; auditointioikeus ja korjaava "
            "toimenpidesuunnitelma 60 päivän määräajalla.",
        ),
        "model": (
            "Strategian tavoite 'vastuullinen ja reilu kunta'.",
            "Hankintasihteeri koordinoi; riskiarvio tehdään toimialan kanssa; talousjohtaja "
            "hyväksyy poikkeamat.",
            "Riskiryhmien hankinnoissa käytetään aina toimintaohjeliitettä ja riskimatriisia.",
        ),
        "management": (
            "2022-04-05",
            ["chief_executive", "finance_director", "board"],
            "approved_with_changes",
            "Kunnanhallitus hyväksyi mallin; seurantaraportti valtuustolle vuosittain.",
        ),
    },
    "Koskimaan hyvinvointialue": {
        "answer": "Hyvinvointialueen hankintastrategia on valmisteilla. Sairaanhoitopiirin "
        "vanhassa strategiassa oli vastuullisuusliite, jossa mainittiin ILO:n sopimukset.",
        "categories": [
            _row(
                "Hoitotarvikkeet ja käsineet",
                "4200000.00",
                "Käsinetehtaiden pakkotyö ja rekrytointimaksut.",
                True,
            ),
            _row(
                "Potilasvaatteet ja liinavaatteet",
                "1600000.00",
                "Puuvillan alkuperä ja ompelimoiden työolot.",
                True,
            ),
            _row("Laboratoriopalvelut", "6100000.00", "Vähäinen riski.", False),
            _row("Siivous- ja laitoshuolto", "3900000.00", "Alihankinnan työehdot.", False),
        ],
        "impact": {
            "subject": "Kertakäyttökäsineiden hankinta",
            "estimated_value": "3000000.00",
            "timetable": "Yhteishankinta naapurialueiden kanssa 2022–2023.",
            "target_group": "Käsinetehtaiden siirtotyöläiset Kaakkois-Aasiassa.",
            "expected_impact": "Rekrytointimaksut palautetaan ja passien pidättäminen loppuu "
            "toimittajan tehtailla.",
            "indicators": "Palautettujen rekrytointimaksujen summa, auditointien havainnot, "
            "korjattujen puutteiden osuus.",
            "follow_up": "Auditointiraportit puolivuosittain; hankintapalvelut kokoaa.",
        },
        "risk_matrix": [
            _risk(
                "Hoitotarvikkeet ja käsineet",
                "forced_labour",
                5,
                5,
                "Rekrytointimaksujen palautus, auditointi, korjaava suunnitelma.",
            ),
            _risk(
                "Hoitotarvikkeet ja käsineet",
                "health_safety",
                3,
                4,
                "Työturvallisuus auditoinnin osana.",
            ),
            _risk(
                "Potilasvaatteet ja liinavaatteet",
                "child_labour",
                2,
                5,
                "Puuvillan alkuperäselvitys.",
            ),
            _risk("Siivous- ja laitoshuolto", "wages", 2, 3, "Tilaajavastuulain selvitykset."),
        ],
        "conduct_procurement": "Kertakäyttökäsineet",
        "pilot": (
            "Kertakäyttökäsineet",
            "3000000.00",
            "tendering",
            "Yhteishankinta, kilpailutus syksyllä 2022.",
            "Rekrytointimaksujen kielto ja palautus, auditointi ja sopimussakko.",
        ),
        "model": (
            "Aluevaltuuston tavoite: eettisesti kestävät hankinnat koko toimitusketjussa.",
            "Hankintajohtaja omistaa mallin; vastuullisuusasiantuntija tekee riskiarviot.",
            "Korkean riskin tuoteryhmissä vastuullisuusehdot kuuluvat jokaiseen "
            "tarjouspyyntöön; seuranta sopimushallinnassa.",
        ),
        "management": (
            "2022-04-01",
            ["procurement_director", "management_team"],
            "approved",
            "Aluehallitus merkitsi tiedoksi ja hyväksyi pilotin etenemisen.",
        ),
    },
    "Länsilaakson kuntayhtymä": {
        "answer": "Kuntayhtymän hankintaohjeessa on maininta sosiaalisista näkökohdista. "
        "Jäsenkuntien työllisyystavoitteet antavat pohjan työllistämisehdoille.",
        "categories": [
            _row("Ateriapalvelut", "2800000.00", "Keittiöt sopivat oppisopimuskoulutukseen.", True),
            _row("Kiinteistöhuolto", "1400000.00", "Työkokeilut ja palkkatuki.", True),
            _row("Kuljetuspalvelut", "3100000.00", "Kuljettajapula; koulutus.", False),
            _row("Tietojärjestelmät", "900000.00", "Saavutettavuus.", False),
        ],
        "impact": {
            "subject": "Ateriapalveluiden raaka-aineet ja keittiöpalvelut",
            "estimated_value": "5200000.00",
            "timetable": "Kilpailutus 2022, sopimus 2023–2027.",
            "target_group": "Osatyökykyiset ja maahan muuttaneet työnhakijat.",
            "expected_impact": "Neljä oppisopimusta vuosittain; ammattitutkintoja suoritetaan.",
            "indicators": "Oppisopimusten määrä, suoritetut tutkinnot, keskeytykset.",
            "follow_up": "Vuosiraportti ja työllisyyspalveluiden seurantapalaveri.",
        },
        "employment": {
            "suitable_subjects": "Ateriapalvelut, kiinteistöhuolto ja pesulapalvelut.",
            "condition": "apprenticeships",
            "condition_detail": "Vähintään neljä oppisopimusta sopimuskauden aikana.",
            "cooperation": "Satakunnan TE-toimisto ja kuntien työllisyyspalvelut ohjaavat "
            "hakijat; ammattiopisto vastaa koulutuksesta.",
        },
        "pilot": (
            "Ateriapalvelut",
            "5200000.00",
            "planning",
            "Neuvottelumenettely, tarjouspyyntö syksyllä 2022.",
            "Neljä oppisopimusta; toimittaja raportoi vuosittain.",
        ),
        "model": (
            "Jäsenkuntien työllisyystavoitteet ja kuntayhtymän strategia 2025.",
            "Hankintapalvelut vastaa; jäsenkuntien työllisyyskoordinaattorit osallistuvat.",
            "Palveluhankinnoissa aina arvio työllistämisehdon soveltuvuudesta.",
        ),
        "management": (
            "2022-04-04",
            ["chief_executive", "director"],
            "approved",
            "Yhtymähallitus hyväksyi pilotin ja toimintamallin.",
        ),
    },
    "Harjuniemen kaupunki": {
        "answer": "Harjuniemen hankintastrategia 2020–2025 edellyttää sosiaalisen vastuun "
        "huomioimista 'soveltuvissa hankinnoissa'. Toteutumaa ei ole seurattu.",
        "categories": [
            _row(
                "Rakennusurakat",
                "14500000.00",
                "Työllistämisehto ja harmaan talouden torjunta.",
                True,
            ),
            _row(
                "Kotihoidon tukipalvelut", "2100000.00", "Työllistäminen ja saavutettavuus.", False
            ),
            _row("Katujen kunnossapito", "3300000.00", "Kausityöt, nuoret.", True),
            _row("Toimistotarvikkeet", "240000.00", "Vähäinen merkitys.", False),
        ],
        "impact": {
            "subject": "Koulukeskuksen rakennusurakka",
            "estimated_value": "22000000.00",
            "timetable": "Urakan kilpailutus 10/2022, rakentaminen 2023–2025.",
            "target_group": "Nuoret, pitkäaikaistyöttömät ja ammattiin opiskelevat.",
            "expected_impact": "Noin 30 henkilötyövuotta työllistämistä ja työssäoppimispaikkoja.",
            "indicators": "Henkilötyökuukaudet, työssäoppijoiden määrä, alihankkijoiden "
            "tilaajavastuuselvitykset.",
            "follow_up": "Työmaakokouksissa kuukausittain, vuosiraportti kaupunginhallitukselle.",
        },
        "employment": {
            "suitable_subjects": "Rakennusurakat, katujen kunnossapito, ulkoalueiden hoito.",
            "condition": "person_months",
            "condition_detail": "Työllistämisehto 2 % urakan työmäärästä, vähintään 60 "
            "henkilötyökuukautta.",
            "cooperation": "Työllisyyspalvelut tarjoaa rekrytointitukea; "
            "ammattioppilaitos tarjoaa työssäoppijoita.",
        },
        "pilot": (
            "Koulukeskuksen rakennusurakka",
            "22000000.00",
            "tendering",
            "Kokonaisurakka, tarjouspyyntö lokakuussa 2022.",
            "Työllistämisehto 60 henkilötyökuukautta; sanktio puuttuvilta kuukausilta.",
        ),
        "model": (
            "Hankintastrategian tavoite sosiaalisesta vastuusta.",
            "Tilakeskus ja hankintapalvelut; työllisyyspalvelut kumppanina.",
            "Yli miljoonan euron urakoissa työllistämisehto on oletus.",
        ),
        "management": (
            "2022-04-04",
            ["chief_executive", "director", "procurement_director"],
            "further_preparation",
            "Kaupunginhallitus pyysi laskelman ehdon vaikutuksesta tarjoushintoihin.",
        ),
    },
    "Pohjoisrannan kunta": {
        "answer": "Pohjoisrannan kuntastrategiassa on tavoite reilun kaupan kunnasta. "
        "Hankintoihin tavoite ei ole vielä juurtunut.",
        "categories": [
            _row(
                "Elintarvikkeet ja kahvi",
                "780000.00",
                "Kahvin ja banaanin tuotannon palkat ja lapsityö.",
                True,
            ),
            _row("Työvaatteet", "90000.00", "Tekstiilien toimitusketjut.", True),
            _row("Rakennusurakat", "4200000.00", "Ulkomaisen työvoiman työehdot.", False),
            _row("Kalusteet", "150000.00", "Puun alkuperä ja tehtaiden työolot.", False),
        ],
        "impact": {
            "subject": "Elintarvikkeiden tukkuhankinta",
            "estimated_value": "3100000.00",
            "timetable": "Sopimus 2023–2026, kilpailutus syksyllä 2022.",
            "target_group": "Plantaasien ja viljelmien työntekijät.",
            "expected_impact": "Reilun kaupan ja vastaavien tuotteiden osuus kasvaa; "
            "riskituotteissa toimitusketju tunnetaan.",
            "indicators": "Sertifioitujen tuotteiden osuus euroista, raportoidut riskit.",
            "follow_up": "Vuosiraportti tukkurilta ja keskustelu hankintatiimissä.",
        },
        "risk_matrix": [
            _risk("Elintarvikkeet ja kahvi", "child_labour", 3, 5, "Sertifiointi, alkuperä."),
            _risk("Elintarvikkeet ja kahvi", "wages", 4, 3, "Reilun kaupan tuotteet."),
            _risk(
                "Rakennusurakat",
                "wages",
                3,
                4,
                "Tilaajavastuulain selvitykset ja työmaatarkastukset.",
            ),
            _risk("Työvaatteet", "discrimination", 2, 2, "Toimittajan toimintaohje."),
        ],
        "conduct_procurement": "Elintarvikkeiden tukkuhankinta",
        "pilot": (
            "Elintarvikkeiden tukkuhankinta",
            "3100000.00",
            "published",
            "Avoin menettely, tarjouspyyntö julkaistu maaliskuussa 2022.",
            "Riskituotteissa sertifiointi tai vastaava selvitys; vuosiraportointi.",
        ),
        "model": (
            "Kuntastrategian tavoite reilun kaupan kunnasta.",
            "Talousjohtaja omistaa mallin; hankinta-asiantuntija ja ruokapalvelupäällikkö "
            "toteuttavat.",
            "Riskiryhmissä riskimatriisi ennen tarjouspyyntöä; toimintaohjeliite aina.",
        ),
        "management": (
            "2022-04-01",
            ["chief_executive", "finance_director"],
            "approved",
            "Johtoryhmä hyväksyi; raportointi kerran vuodessa.",
        ),
    },
}

# What each team wrote on the others' development tasks at the closing event.
PEER_TEXTS = (
    "Selkeä toimintamalli: vastuut on kuvattu niin, että malli toimii myös henkilövaihdosten "
    "jälkeen. Miten varmistatte toimialojen sitoutumisen?",
    "Pilottihankinta on hyvin valittu ja sen mittarit ovat konkreettisia. Kiinnostaisi kuulla "
    "markkinavuoropuhelun tuloksista.",
    "Hyvä, että seurantaan on nimetty vastuuhenkilö. Voisiko raportoinnin liittää "
    "sopimushallinnan järjestelmään?",
    "Riskiarvio on perusteellinen. Meillä sama tuoteryhmä, voisimme vaihtaa kokemuksia "
    "auditoinneista.",
    "Toimintamallin tarkistuslista kannattaa jakaa muillekin; se on käytännöllinen.",
)
HIDDEN_TEXT = (
    "Tämä on täysin hyödytön suunnitelma, ja teidän hankintapäällikkönne ei selvästikään "
    "ymmärrä asiasta mitään."
)
HIDDEN_REASON = "Asiaton ja henkilöön menevä kommentti; ei palautetta työstä."


def _content(key, work, cohort):
    if key == "answer":
        return {"text": work["answer"]}
    if key == "categories":
        return {"rows": work["categories"]}
    if key == "impact":
        return dict(work["impact"])
    if key == "employment":
        return dict(work["employment"])
    if key == "risk_matrix":
        return {"rows": work["risk_matrix"]}
    if key == "conduct_annex":
        items = list(cohort.conduct_items.filter(archived_at__isnull=True))
        obligations = [i for i in items if i.kind == ConductItemKind.OBLIGATION]
        terms = [i for i in items if i.kind == ConductItemKind.TERM]
        return {
            "procurement": work["conduct_procurement"],
            "obligations": [conduct_snapshot(i) for i in obligations[:4]],
            "terms": [conduct_snapshot(i) for i in terms],
            "own_text": "Toimittaja nimeää vastuullisuusyhteyshenkilön ja toimittaa "
            "tehdaslistan tilaajalle ennen ensimmäistä toimitusta.",
        }
    if key == "operating_model":
        goal, responsibilities, process = work["model"]
        return {
            "goal": goal,
            "responsibilities": responsibilities,
            "process": process,
            "follow_up": "Vuosiraportti johdolle; mittarit kootaan sopimushallinnasta.",
            "next_steps": "Malli otetaan käyttöön syksyllä 2022 ja arvioidaan vuoden kuluttua.",
        }
    if key == "pilot_plan":
        subject, value, status, procedure, conditions = work["pilot"]
        return {
            "subject": subject,
            "estimated_value": value,
            "procedure": procedure,
            "social_conditions": conditions,
            "status": status,
            "summary": f"Pilotti: {subject.lower()}. Kokemukset viedään toimintamalliin.",
        }
    if key == "management":
        presented_on, attendees, decision, comments = work["management"]
        return {
            "presented_on": presented_on,
            "attendees": attendees,
            "attendees_other": "",
            "decision": decision,
            "comments": comments,
        }
    raise KeyError(key)


def _submit(assignment, team, actor, content, token):
    submission = services.submission_for(assignment=assignment, team=team)
    submission = services.draft_save(submission=submission, actor=actor, content=content)
    return services.submission_submit(submission=submission, actor=actor, token=token)


# When each assignment was handed in (days before it was due) and when staff answered.
HANDED_IN = {
    Kind.PRE_ASSIGNMENT: (date(2022, 1, 17), date(2022, 1, 19)),
    Kind.KICKOFF: (date(2022, 2, 1), date(2022, 2, 3)),
    Kind.INTERIM_EMPLOYMENT: (date(2022, 2, 7), date(2022, 2, 10)),
    Kind.INTERIM_HUMAN_RIGHTS: (date(2022, 3, 7), date(2022, 3, 10)),
    Kind.DEVELOPMENT_TASK: (date(2022, 3, 25), date(2022, 3, 29)),
    Kind.MANAGEMENT: (date(2022, 4, 5), None),
}
FEEDBACK = {
    Kind.KICKOFF: "Hyvä ja realistinen kartoitus. Vaikuttavuuden mittarit ovat konkreettisia.",
    Kind.INTERIM_EMPLOYMENT: "Ehto on hyvin perusteltu; sopikaa raportoinnista "
    "työllisyyspalveluiden kanssa jo ennen tarjouspyyntöä.",
    Kind.INTERIM_HUMAN_RIGHTS: "Riskimatriisi on selkeä ja toimintaohjeliite kattava.",
    Kind.DEVELOPMENT_TASK: "Valmis esiteltäväksi päätöstilaisuudessa. Hyvää työtä!",
}
SENT_BACK = "Koskimaan hyvinvointialue"  # its kick-off work needs changes, then a version 2


def seed_deliverables(*, cohort, coordinator, reviewer):
    """The 2021–22 cohort's deliverables as they happened; once (skipped if it has any)."""
    if cohort.assignments.exists() or not cohort.teams.exists():
        return
    with clock.travel(_at(date(2021, 12, 21), 11)):
        assignments = {
            a.kind: a for a in services.assignments_seed(cohort=cohort, actor=coordinator)
        }
    teams = list(cohort.teams.select_related("organisation").order_by("organisation__name"))
    actors = {
        team.pk: team.memberships.filter(user__isnull=False).order_by("pk").first().user
        for team in teams
    }
    for kind, (handed_in, answered) in HANDED_IN.items():
        assignment = assignments[kind]
        for offset, team in enumerate(teams):
            if not assignment.concerns(team.track):
                continue
            work = WORK[team.organisation.name]
            content = {key: _content(key, work, cohort) for key in assignment.worksheets}
            if kind == Kind.KICKOFF and team.organisation.name == SENT_BACK:
                # The first version lacks the spend of the care supplies and the follow-up.
                first = {
                    "categories": {"rows": content["categories"]["rows"][1:]},
                    "impact": {**content["impact"], "follow_up": ""},
                }
                with clock.travel(_at(handed_in, 9 + offset)):
                    version = _submit(assignment, team, actors[team.pk], first, "demo-1")
                with clock.travel(_at(answered, 10)):
                    services.feedback_give(
                        version=version,
                        actor=reviewer,
                        verdict=Verdict.NEEDS_CHANGES,
                        text="Hoitotarvikkeet ja käsineet puuttuvat hankintaryhmistä, vaikka ne "
                        "ovat suurin riskiryhmänne. Täydentäkää myös, miten mittareita "
                        "seurataan.",
                    )
                with clock.travel(_at(date(2022, 2, 7), 11)):
                    version = _submit(assignment, team, actors[team.pk], content, "demo-2")
                with clock.travel(_at(date(2022, 2, 8), 9)):
                    services.feedback_give(
                        version=version,
                        actor=reviewer,
                        verdict=Verdict.ACCEPTED,
                        text="Kiitos täydennyksestä, nyt kartoitus on kattava.",
                    )
                continue
            with clock.travel(_at(handed_in, 9 + offset)):
                version = _submit(assignment, team, actors[team.pk], content, "demo-1")
            if kind in FEEDBACK:
                with clock.travel(_at(answered, 10 + offset % 4)):
                    services.feedback_give(
                        version=version,
                        actor=reviewer if offset % 2 else coordinator,
                        verdict=Verdict.ACCEPTED,
                        text=FEEDBACK[kind],
                    )
    development = assignments[Kind.DEVELOPMENT_TASK]
    with clock.travel(_at(date(2022, 3, 31), 9)):
        services.peer_phase_open(assignment=development, actor=coordinator)
    development.refresh_from_db()
    hidden = None
    for index, author_team in enumerate(teams):
        for step, team in enumerate(t for t in teams if t.pk != author_team.pk):
            with clock.travel(_at(date(2022, 4, 1 + step % 4), 9 + index, 5 * step)):
                services.peer_comment_add(
                    assignment=development,
                    author_team=author_team,
                    team=team,
                    actor=actors[author_team.pk],
                    text=PEER_TEXTS[(index + step) % len(PEER_TEXTS)],
                )
            if index == 4 and step == 0:
                with clock.travel(_at(date(2022, 4, 4), 16)):
                    hidden = services.peer_comment_add(
                        assignment=development,
                        author_team=author_team,
                        team=team,
                        actor=actors[author_team.pk],
                        text=HIDDEN_TEXT,
                    )
    if hidden is not None:
        with clock.travel(_at(date(2022, 4, 5), 8, 30)):
            services.peer_comment_hide(comment=hidden, actor=coordinator, reason=HIDDEN_REASON)


def live_deliverables(*, cohort, coordinator):
    """The live cohort gets the seed's set, fitted to its programme; none open yet."""
    if cohort.assignments.exists() or cohort.kickoff_date is None:
        return
    services.assignments_seed(cohort=cohort, actor=coordinator)
