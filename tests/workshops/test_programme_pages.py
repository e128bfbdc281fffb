"""The coordinators' programme pages: the cohort's programme, the seed's pattern, event
create/edit/cancel/invite and materials."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Track
from soske import clock
from soske.activity.models import ActivityEntry
from soske.mail.models import OutgoingEmail
from tests.factories import UserFactory
from tests.queries import page_tables
from tests.workshops.test_programme import at, event, make_team
from workshops import programme
from workshops.models import Event, EventKind, Material

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def team(cohort):
    return make_team(
        cohort,
        "Espoon kaupunki",
        Track.EMPLOYMENT,
        [
            ("Liisa", "liisa@example.org", None),
            ("Sven", "sven@example.org", UserFactory(email="sven@example.org", language="sv")),
        ],
    )


def release(cohort):
    cohort.decisions_released_at = clock.now()
    cohort.pre_assignment_text = "Tutustu hankintastrategiaanne."
    cohort.pre_assignment_due = date(2030, 1, 15)
    cohort.save()


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name, *args):
    return reverse(f"programme_staff:{name}", args=args)


# --- the programme page and the pattern --------------------------------------------------


def test_a_cohort_without_a_programme_offers_the_seeds_pattern(coordinator_client, cohort):
    response = coordinator_client.get(url("cohort", cohort.pk))
    assert response.status_code == 200
    assert response.context["events"] == []
    assert response.context["pattern_form"] is not None
    assert "Aloita akatemian vakio-ohjelmasta" in response.content.decode()


def test_the_pattern_creates_the_programme_and_a_second_press_is_refused(
    coordinator_client, cohort
):
    response = coordinator_client.post(
        url("pattern", cohort.pk), {"kickoff": "2022-01-20"}, follow=True
    )
    assert response.redirect_chain == [(url("cohort", cohort.pk), 302)]
    assert texts(response) == ["Ohjelma luotiin, 6 tilaisuutta. Tarkista ja muokkaa päivät."]
    starts = list(Event.objects.filter(cohort=cohort).values_list("starts_at", flat=True))
    assert starts == [
        at(2022, 1, 20, 9),
        at(2022, 2, 9, 9),
        at(2022, 2, 10),
        at(2022, 3, 9, 13),
        at(2022, 3, 10),
        at(2022, 4, 6, 9),
    ]
    again = coordinator_client.post(url("pattern", cohort.pk), {"kickoff": "2022-02-01"})
    assert again.status_code == 302
    assert texts(again) == ["Tällä toteutuskerralla on jo ohjelma. Muokkaa sen tilaisuuksia."]
    assert Event.objects.filter(cohort=cohort).count() == 6
    page = coordinator_client.get(url("cohort", cohort.pk))
    assert page.context["pattern_form"] is None


def test_the_pattern_without_a_date_shows_the_error(coordinator_client, cohort):
    response = coordinator_client.post(url("pattern", cohort.pk), {"kickoff": ""})
    assert response.status_code == 200
    assert response.context["pattern_form"].errors == {"kickoff": ["Tämä kenttä vaaditaan."]}
    assert Event.objects.count() == 0


def test_the_programme_lists_the_events_in_time_order_with_their_state(
    coordinator_client, cohort, coordinator, team
):
    release(cohort)
    later = event(
        cohort,
        coordinator,
        title_fi="Myöhempi",
        starts_at=at(2030, 3, 13, 13),
        ends_at=at(2030, 3, 13, 16),
        location="",
        meeting_url="https://meet.example.org/x",
    )
    earlier = event(cohort, coordinator, title_fi="Aiempi")
    cancelled = event(
        cohort,
        coordinator,
        title_fi="Peruttava",
        starts_at=at(2030, 2, 20, 9),
        ends_at=at(2030, 2, 20, 12),
    )
    programme.event_invite(event=earlier, actor=coordinator)
    programme.event_cancel(event=cancelled, actor=coordinator)
    response = coordinator_client.get(url("cohort", cohort.pk))
    assert [e.pk for e in response.context["events"]] == [earlier.pk, cancelled.pk, later.pk]
    html = response.content.decode()
    assert "ke 13.2.2030 klo 9.00–12.00" in html
    assert "ke 13.3.2030 klo 13.00–16.00" in html
    assert "https://meet.example.org/x" in html
    assert "Ei kutsuttu" in html
    assert f"Kutsuttu {clock.helsinki(clock.now()):%-d.%-m.%Y}" in html
    assert "Peruttu</span>" in html
    assert url("event_cancel", cancelled.pk) not in html
    assert url("event_cancel", earlier.pk) in html
    assert url("event_invite", later.pk) in html


def test_a_sparring_round_has_no_invitation_action(coordinator_client, cohort, coordinator):
    round_ = event(
        cohort,
        coordinator,
        kind=EventKind.SPARRING_ROUND,
        starts_at=at(2030, 2, 14),
        ends_at=at(2030, 3, 13),
    )
    html = coordinator_client.get(url("cohort", cohort.pk)).content.decode()
    assert "to 14.2.2030–ti 12.3.2030" in html
    assert url("event_invite", round_.pk) not in html


def test_the_programme_page_queries_do_not_grow_with_the_events(
    coordinator_client, cohort, coordinator
):
    event(cohort, coordinator)
    coordinator_client.get(url("cohort", cohort.pk))
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(url("cohort", cohort.pk))
    for day in range(14, 24):
        made = event(
            cohort, coordinator, starts_at=at(2030, 2, day, 9), ends_at=at(2030, 2, day, 12)
        )
        programme.material_add(
            event=made, actor=coordinator, title="Dia", url="https://example.org"
        )
    event(
        cohort,
        coordinator,
        kind=EventKind.SPARRING_ROUND,
        starts_at=at(2030, 3, 1),
        ends_at=at(2030, 3, 20),
    )
    with CaptureQueriesContext(connection) as many:
        response = coordinator_client.get(url("cohort", cohort.pk))
    assert len(response.context["events"]) == 12
    assert len(many) == len(one)
    # The cohort and its events, nothing else: the materials are not on this page.
    assert page_tables(many) == ['"cohorts_cohort"', '"workshops_event"']


def test_the_cohort_list_links_the_programme(coordinator_client, cohort):
    html = coordinator_client.get(reverse("cohorts:list")).content.decode()
    assert f'href="{url("cohort", cohort.pk)}"' in html


# --- create and edit ---------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "kind": EventKind.WORKSHOP,
        "audience": "both",
        "title_fi": "Työpaja 1",
        "title_sv": "Workshop 1 sv",
        "title_en": "Workshop 1",
        "description_fi": "",
        "description_sv": "",
        "description_en": "",
        "day": "2030-02-13",
        "start": "09:00",
        "end": "12:00",
        "last_day": "",
        "cutoff_hours": "24",
        "location": "Motiva",
        "meeting_url": "",
    }
    data.update(overrides)
    return data


def test_a_coordinator_adds_an_event_in_helsinki_time(coordinator_client, cohort):
    response = coordinator_client.post(url("event_new", cohort.pk), form_data())
    made = Event.objects.get()
    assert response["Location"] == url("event", made.pk)
    assert (made.starts_at, made.ends_at) == (at(2030, 2, 13, 9), at(2030, 2, 13, 12))
    assert made.title_fi == "Työpaja 1"
    assert ActivityEntry.objects.filter(action="event.created").count() == 1


def test_a_sparring_round_is_given_by_its_days_and_cutoff(coordinator_client, cohort):
    coordinator_client.post(
        url("event_new", cohort.pk),
        form_data(
            kind=EventKind.SPARRING_ROUND,
            day="2030-02-14",
            last_day="2030-03-12",
            start="",
            end="",
            cutoff_hours="48",
        ),
    )
    made = Event.objects.get()
    assert (made.starts_at, made.ends_at) == (at(2030, 2, 14), at(2030, 3, 13))
    assert made.change_cutoff.total_seconds() == 48 * 3600


def test_an_event_ending_before_it_starts_is_shown_as_an_error(coordinator_client, cohort):
    response = coordinator_client.post(url("event_new", cohort.pk), form_data(end="08:00"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end": ["Tilaisuuden on päätyttävä sen alkamisen jälkeen."]
    }
    assert 'value="Työpaja 1"' in response.content.decode()
    assert Event.objects.count() == 0


def test_a_joint_event_needs_its_times(coordinator_client, cohort):
    response = coordinator_client.post(url("event_new", cohort.pk), form_data(start="", end=""))
    assert response.context["form"].errors == {
        "start": ["Tämä kenttä vaaditaan."],
        "end": ["Tämä kenttä vaaditaan."],
    }
    assert Event.objects.count() == 0


def test_editing_an_invited_event_sends_the_updated_invitation(
    coordinator_client, cohort, coordinator, team
):
    release(cohort)
    workshop = event(cohort, coordinator, title_fi="Työpaja 1", location="Motiva")
    programme.event_invite(event=workshop, actor=coordinator)
    response = coordinator_client.post(
        url("event", workshop.pk), form_data(start="13:00", end="16:00")
    )
    assert response["Location"] == url("event", workshop.pk)
    assert texts(response) == ["Tallennettu. Kutsutuille lähetettiin päivitetty kutsu."]
    workshop.refresh_from_db()
    assert workshop.sequence == 1
    assert workshop.starts_at == at(2030, 2, 13, 13)
    assert sorted(
        OutgoingEmail.objects.filter(key__startswith="event_updated:").values_list("to", flat=True)
    ) == ["liisa@example.org", "sven@example.org"]


def test_editing_an_uninvited_event_only_saves(coordinator_client, cohort, coordinator, team):
    workshop = event(cohort, coordinator, title_fi="Työpaja 1", location="Motiva")
    response = coordinator_client.post(url("event", workshop.pk), form_data(location="Etänä"))
    assert texts(response) == ["Tallennettu."]
    assert OutgoingEmail.objects.count() == 0


def test_the_kind_of_an_event_cannot_be_changed(coordinator_client, cohort, coordinator):
    workshop = event(cohort, coordinator, title_fi="Työpaja 1", location="Motiva")
    coordinator_client.post(url("event", workshop.pk), form_data(kind=EventKind.KICKOFF))
    workshop.refresh_from_db()
    assert workshop.kind == EventKind.WORKSHOP


# --- cancel and invite ---------------------------------------------------------------------


def test_the_cancel_page_says_who_is_told_and_the_post_cancels(
    coordinator_client, cohort, coordinator, team
):
    release(cohort)
    workshop = event(cohort, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    page = coordinator_client.get(url("event_cancel", workshop.pk))
    assert page.context["recipients"] == 2
    assert "2 kutsutulle lähetetään peruutus" in page.content.decode()
    response = coordinator_client.post(url("event_cancel", workshop.pk))
    assert response["Location"] == url("cohort", cohort.pk)
    assert texts(response) == ["Tilaisuus peruttiin. Kutsutuille lähetettiin peruutus."]
    workshop.refresh_from_db()
    assert workshop.is_cancelled
    assert OutgoingEmail.objects.filter(key__startswith="event_cancelled:").count() == 2


def test_the_invite_page_before_the_release_refuses_clearly(
    coordinator_client, cohort, coordinator, team
):
    workshop = event(cohort, coordinator)
    page = coordinator_client.get(url("event_invite", workshop.pk))
    assert page.context["problem"] == "Kutsut voi lähettää, kun päätökset on julkaistu."
    assert "<form" not in page.content.decode().split("<main")[-1]
    response = coordinator_client.post(url("event_invite", workshop.pk))
    assert texts(response) == ["Kutsut voi lähettää, kun päätökset on julkaistu."]
    assert OutgoingEmail.objects.count() == 0


def test_the_kickoff_invite_page_shows_the_pre_assignment_and_sends_through_the_task(
    coordinator_client, cohort, coordinator, team, django_capture_on_commit_callbacks
):
    release(cohort)
    kickoff = event(cohort, coordinator, kind=EventKind.KICKOFF, title_fi="Aloitustilaisuus")
    page = coordinator_client.get(url("event_invite", kickoff.pk))
    html = page.content.decode()
    assert page.context["recipients"] == 2
    assert "Kutsu lähtee 2 henkilölle" in html
    assert "Palautettava 15.1.2030." in html
    assert "Tutustu hankintastrategiaanne." in html
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post(url("event_invite", kickoff.pk))
    assert len(callbacks) >= 1
    assert response["Location"] == url("cohort", cohort.pk)
    sent = OutgoingEmail.objects.filter(key__startswith="kickoff_invitation:")
    assert sorted(sent.values_list("to", "language")) == [
        ("liisa@example.org", "fi"),
        ("sven@example.org", "sv"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("event_invite", kickoff.pk))
    assert sent.count() == 2


# --- materials -------------------------------------------------------------------------------


def test_a_material_file_is_added_downloaded_and_removed(
    coordinator_client, reviewer_client, cohort, coordinator, django_capture_on_commit_callbacks
):
    workshop = event(cohort, coordinator)
    upload = SimpleUploadedFile("ohjelma.pdf", PDF, "application/pdf")
    response = coordinator_client.post(
        url("material_new", workshop.pk), {"title": "Ohjelma", "url": "", "file": upload}
    )
    assert response["Location"] == url("event", workshop.pk)
    material = Material.objects.get()
    assert (material.title, material.filename, material.url) == ("Ohjelma", "ohjelma.pdf", "")
    edit = coordinator_client.get(url("event", workshop.pk)).content.decode()
    assert f'href="{url("material", material.pk)}"' in edit
    download = reviewer_client.get(url("material", material.pk))
    assert download["Content-Disposition"] == 'attachment; filename="ohjelma.pdf"'
    assert b"".join(download.streaming_content) == PDF
    confirm = coordinator_client.get(url("material_remove", material.pk))
    assert "Poista materiaali: Ohjelma" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        removed = coordinator_client.post(url("material_remove", material.pk))
    assert removed["Location"] == url("event", workshop.pk)
    assert Material.objects.count() == 0
    assert list(
        ActivityEntry.objects.filter(action__startswith="material.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["material.added", "material.removed"]


def test_a_material_link_is_added(coordinator_client, cohort, coordinator):
    workshop = event(cohort, coordinator)
    coordinator_client.post(
        url("material_new", workshop.pk), {"title": "Diat", "url": "https://example.org/diat"}
    )
    assert list(Material.objects.values_list("title", "url")) == [
        ("Diat", "https://example.org/diat")
    ]


def test_a_material_without_link_or_file_shows_the_error(coordinator_client, cohort, coordinator):
    workshop = event(cohort, coordinator)
    response = coordinator_client.post(url("material_new", workshop.pk), {"title": "Tyhjä"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Anna linkki tai valitse tiedosto."]
    assert Material.objects.count() == 0


def test_the_invite_request_only_queues_the_task(
    coordinator_client, cohort, coordinator, team, django_capture_on_commit_callbacks
):
    release(cohort)
    kickoff = event(cohort, coordinator, kind=EventKind.KICKOFF)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = coordinator_client.post(url("event_invite", kickoff.pk))
    assert texts(response) == ["Kutsua lähetetään. Kukin saa sen kerran, omalla kielellään."]
    assert OutgoingEmail.objects.count() == 0
    kickoff.refresh_from_db()
    assert kickoff.invited_at is None
    for callback in callbacks:
        callback()
    assert OutgoingEmail.objects.count() == 2
