"""A cohort with an employment-track team (Tiina joined, Eero invited) and a human-rights
team (Olli joined), its programme from the seed's pattern with the kick-off in 30 days,
and private storage in a temporary folder."""

from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage

from cohorts.models import TeamRole, Track
from deliverables.models import Feedback, ResultsBook, SubmissionFile
from soske import clock
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.workshops.test_team_pages import member, new_team
from workshops import programme


class Teams:
    def __init__(self, cohort, coordinator):
        self.cohort = cohort
        self.coordinator = coordinator
        cohort.decisions_released_at = clock.now()
        cohort.save(update_fields=["decisions_released_at"])
        self.team = new_team(cohort, "Työllistäjä kunta", Track.EMPLOYMENT, "1111111-1")
        self.other_team = new_team(cohort, "Oikeudet kaupunki", Track.HUMAN_RIGHTS, "2222222-2")
        self.user = UserFactory(email="tiina@example.org", first_name="Tiina")
        self.other_user = UserFactory(email="olli@example.org", first_name="Olli")
        self.tiina = member(self.team, "Tiina", role=TeamRole.PROCUREMENT, user=self.user)
        self.eero = member(self.team, "Eero", role=TeamRole.EMPLOYMENT_SERVICES)
        self.olli = member(self.other_team, "Olli", user=self.other_user)
        self.kickoff_day = (clock.helsinki(clock.now()) + timedelta(days=30)).date()
        self.events = programme.programme_from_pattern(
            cohort=cohort, kickoff=self.kickoff_day, actor=coordinator
        )
        self.client = client_for(self.user)
        self.other_client = client_for(self.other_user)

    def members(self):
        """(team, a joined member who acts for it) of every team."""
        return [(self.team, self.user), (self.other_team, self.other_user)]


@pytest.fixture
def storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(SubmissionFile._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(Feedback._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(ResultsBook._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def teams(cohort, coordinator, storage):
    return Teams(cohort, coordinator)
