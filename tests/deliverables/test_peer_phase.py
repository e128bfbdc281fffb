"""The peer phase: a team reads the other teams' latest version of the assignment and
comments on each (at least one per other team is asked for), and sees the comments on its
own work; coordinators hide an inappropriate comment with a reason and show it again, and
the history says who did. Staff read the moderation page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Track
from deliverables import services
from deliverables.models import Audience, Kind, PeerComment
from soske import clock
from soske.activity.models import ActivityEntry
from tests.deliverables.conftest import member, new_team
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def plan(subject):
    return {
        "operating_model": {
            "goal": f"Sosiaalinen kestävyys osaksi hankintoja ({subject}).",
            "responsibilities": "Hankintapäällikkö vastaa.",
            "process": "Tarkistuslista tarvekartoitukseen.",
        },
        "pilot_plan": {
            "subject": subject,
            "social_conditions": "Työllistämisehto, 12 henkilötyökuukautta.",
            "status": "tendering",
        },
    }


def development(teams, audience=Audience.BOTH, opened=True):
    now = clock.now()
    assignment = services.assignment_create(
        cohort=teams.cohort,
        actor=teams.coordinator,
        kind=Kind.DEVELOPMENT_TASK,
        audience=audience,
        title_fi="Kehittämistehtävä",
        title_en="Development task",
        worksheets=["operating_model", "pilot_plan"],
        opens_at=now - timedelta(days=10),
        due_at=now + timedelta(days=5),
        cutoff_at=now + timedelta(days=7),
    )
    if opened:
        services.peer_phase_open(assignment=assignment, actor=teams.coordinator)
        assignment.refresh_from_db()
    return assignment


def submit(assignment, team, user, content, token, upload=None):
    submission = services.submission_for(assignment=assignment, team=team)
    if upload is not None:
        services.file_add(submission=submission, actor=user, upload=upload)
    submission = services.draft_save(submission=submission, actor=user, content=content)
    return services.submission_submit(submission=submission, actor=user, token=token)


def english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def page(teams, assignment, team=None):
    return reverse("peers:assignment", args=[(team or teams.team).pk, assignment.pk])


def add_team(teams, name, business_id, track=Track.EMPLOYMENT):
    team = new_team(teams.cohort, name, track, business_id)
    user = UserFactory(language="en")
    member(team, user.first_name, user=user)
    return team, user


@pytest.fixture
def peers(teams):
    english(teams.user, teams.other_user, teams.coordinator)
    return teams


# --- Who reaches the page ----------------------------------------------------------------


def test_the_page_is_404_until_the_coordinator_opens_the_peer_phase_and_after_closing(peers):
    assignment = development(peers, opened=False)
    assert peers.client.get(page(peers, assignment)).status_code == 404
    services.peer_phase_open(assignment=assignment, actor=peers.coordinator)
    assert peers.client.get(page(peers, assignment)).status_code == 200
    services.peer_phase_close(assignment=assignment, actor=peers.coordinator)
    assert peers.client.get(page(peers, assignment)).status_code == 404


def test_a_team_of_the_other_track_does_not_take_part_and_another_teams_page_is_404(peers):
    assignment = development(peers, audience=Audience.EMPLOYMENT)
    # the human-rights team: not in this phase, on its own page
    assert peers.other_client.get(page(peers, assignment, peers.other_team)).status_code == 404
    # and never on another team's page, even in a phase it takes part in
    both = development(peers)
    assert peers.other_client.get(page(peers, both, peers.team)).status_code == 404
    assert peers.other_client.get(page(peers, both, peers.other_team)).status_code == 200


def test_staff_do_not_reach_the_teams_peer_page(peers, coordinator_client, reviewer_client):
    assignment = development(peers)
    assert coordinator_client.get(page(peers, assignment)).status_code == 404
    assert reviewer_client.get(page(peers, assignment)).status_code == 404


# --- What the page shows -----------------------------------------------------------------


def test_the_page_shows_each_other_teams_latest_version_and_who_has_not_submitted(peers):
    assignment = development(peers)
    third, _user = add_team(peers, "Kolmas kunta", "3333333-3")
    submit(assignment, peers.other_team, peers.other_user, plan("Ruokapalvelut"), "o-1")
    submit(assignment, peers.other_team, peers.other_user, plan("Työvaatteet"), "o-2")
    submit(assignment, peers.team, peers.user, plan("Oma siivous"), "t-1")
    response = peers.client.get(page(peers, assignment))
    assert response.status_code == 200
    entries = {e["team"].pk: e for e in response.context["entries"]}
    assert set(entries) == {peers.other_team.pk, third.pk}  # never the team's own work
    assert entries[peers.other_team.pk]["version"].number == 2
    assert entries[third.pk]["version"] is None
    body = response.content.decode()
    assert "Työvaatteet" in body and "Ruokapalvelut" not in body
    assert "Oma siivous" not in body
    assert "Version 2, submitted" in body
    assert "Not submitted." in body


def test_a_comment_is_saved_and_the_progress_says_which_teams_are_left(peers):
    assignment = development(peers)
    third, _user = add_team(peers, "Kolmas kunta", "3333333-3")
    response = peers.client.get(page(peers, assignment))
    assert "You have commented on 0 of 2 teams." in response.content.decode()
    response = peers.client.post(
        page(peers, assignment), {"team": third.pk, "text": "  Selkeä pilotti.  "}
    )
    assert response.status_code == 302
    assert response["Location"] == page(peers, assignment) + f"#team-{third.pk}"
    comment = PeerComment.objects.get()
    assert (comment.team, comment.author_team, comment.author, comment.text) == (
        third, peers.team, peers.user, "Selkeä pilotti."
    )  # fmt: skip
    response = peers.client.get(page(peers, assignment))
    body = response.content.decode()
    assert "Your comment on Kolmas kunta was saved." in body
    assert "You have commented on 1 of 2 teams." in body
    assert [t.pk for t in response.context["left"]] == [peers.other_team.pk]
    assert "Selkeä pilotti." in body
    peers.client.post(page(peers, assignment), {"team": peers.other_team.pk, "text": "Hyvä."})
    body = peers.client.get(page(peers, assignment)).content.decode()
    assert "You have commented on 2 of 2 teams." in body
    assert "You have commented on every other team. Thank you!" in body


def test_an_empty_or_too_long_comment_is_refused_and_the_typed_text_is_kept(peers):
    assignment = development(peers)
    response = peers.client.post(
        page(peers, assignment), {"team": peers.other_team.pk, "text": " "}
    )
    assert response.status_code == 200
    assert "Write the comment." in response.content.decode()
    long_text = ("Pitkä kommentti. " * 300).strip()  # 5099 characters
    response = peers.client.post(
        page(peers, assignment), {"team": peers.other_team.pk, "text": long_text}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A comment can be at most 5000 characters (it has 5099)." in body
    assert long_text in body  # in the textarea, as typed
    assert 'aria-invalid="true"' in body and "Please check the following:" in body
    assert not PeerComment.objects.exists()


def test_a_comment_on_the_own_team_or_a_team_outside_the_phase_is_refused(peers):
    assignment = development(peers, audience=Audience.EMPLOYMENT)
    second, _user = add_team(peers, "Kolmas kunta", "3333333-3")
    for target in (peers.team, peers.other_team):  # its own, the other track's
        response = peers.client.post(page(peers, assignment), {"team": target.pk, "text": "x"})
        assert response.status_code == 302
        assert response["Location"] == page(peers, assignment)
    body = peers.client.get(page(peers, assignment)).content.decode()
    assert "Choose the team whose work you comment on." in body
    assert not PeerComment.objects.exists()


def test_the_team_sees_the_visible_comments_on_its_work_never_hidden_ones_nor_who_hid(peers):
    assignment = development(peers)
    kind = services.peer_comment_add(
        assignment=assignment, author_team=peers.other_team, team=peers.team,
        actor=peers.other_user, text="Vastuut on kuvattu hyvin.",
    )  # fmt: skip
    rude = services.peer_comment_add(
        assignment=assignment, author_team=peers.other_team, team=peers.team,
        actor=peers.other_user, text="Tämä on huono ja tyhmä.",
    )  # fmt: skip
    services.peer_comment_hide(comment=rude, actor=peers.coordinator, reason="Asiaton sävy")
    response = peers.client.get(page(peers, assignment))
    assert [c.pk for c in response.context["received"]] == [kind.pk]
    body = response.content.decode()
    assert "Vastuut on kuvattu hyvin." in body
    assert "Tämä on huono ja tyhmä." not in body
    assert "Asiaton sävy" not in body
    assert peers.coordinator.get_full_name() not in body
    # the author team does not see its hidden comment either, and it does not count
    response = peers.other_client.get(page(peers, assignment, peers.other_team))
    body = response.content.decode()
    assert "Tämä on huono ja tyhmä." not in body
    assert "You have commented on 1 of 1 team." in body


def test_the_page_asks_a_constant_number_of_queries_however_many_teams(peers):
    assignment = development(peers)
    submit(assignment, peers.other_team, peers.other_user, plan("Siivous"), "o-1",
           upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"))  # fmt: skip
    services.peer_comment_add(assignment=assignment, author_team=peers.team,
                              team=peers.other_team, actor=peers.user, text="Hyvä")  # fmt: skip

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert peers.client.get(page(peers, assignment)).status_code == 200
        return len(queries)

    one = count()
    for index in range(4):
        team, user = add_team(peers, f"Kunta {index}", f"444444{index}-{index}")
        submit(assignment, team, user, plan(f"Pilotti {index}"), f"n-{index}",
               upload=SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf"))  # fmt: skip
        services.peer_comment_add(assignment=assignment, author_team=team, team=peers.team,
                                  actor=user, text="Kiinnostava")  # fmt: skip
        services.peer_comment_add(assignment=assignment, author_team=peers.team, team=team,
                                  actor=peers.user, text="Selkeä")  # fmt: skip
    assert count() == one


# --- The other teams' files --------------------------------------------------------------


def test_a_file_of_another_teams_latest_version_downloads_under_the_same_rule(peers):
    assignment = development(peers)
    upload = SimpleUploadedFile("pilotti.pdf", PDF, content_type="application/pdf")
    submit(assignment, peers.other_team, peers.other_user, plan("Siivous"), "o-1", upload=upload)
    stored = peers.other_team.submissions.get().files.get()
    url = reverse("peers:file", args=[peers.team.pk, assignment.pk, stored.pk])
    body = peers.client.get(page(peers, assignment)).content.decode()
    assert f'href="{url}"' in body
    response = peers.client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pilotti.pdf"'
    assert b"".join(response.streaming_content) == PDF
    # the team's own files are not served here; the other team's page is theirs
    own = reverse("peers:file", args=[peers.other_team.pk, assignment.pk, stored.pk])
    assert peers.other_client.get(own).status_code == 404
    # a file taken off before a newer version is no longer the team's latest work
    submission = peers.other_team.submissions.get()
    services.file_remove(file=stored, actor=peers.other_user)
    services.draft_save(submission=submission, actor=peers.other_user, content=plan("Uusi"))
    services.submission_submit(submission=submission, actor=peers.other_user, token="o-2")
    assert peers.client.get(url).status_code == 404
    services.peer_phase_close(assignment=assignment, actor=peers.coordinator)
    assert peers.client.get(url).status_code == 404


# --- Moderation ---------------------------------------------------------------------------


def comments_url(assignment, query=""):
    return reverse("peers_staff:comments", args=[assignment.pk]) + query


def hide_url(comment):
    return reverse("peers_staff:hide", args=[comment.assignment_id, comment.pk])


def show_url(comment):
    return reverse("peers_staff:show", args=[comment.assignment_id, comment.pk])


@pytest.fixture
def moderated(peers, coordinator, reviewer):
    english(coordinator, reviewer)
    assignment = development(peers)
    first = services.peer_comment_add(
        assignment=assignment, author_team=peers.other_team, team=peers.team,
        actor=peers.other_user, text="Selkeä toimintamalli.",
    )  # fmt: skip
    second = services.peer_comment_add(
        assignment=assignment, author_team=peers.team, team=peers.other_team,
        actor=peers.user, text="Tämä on huono ja tyhmä.",
    )  # fmt: skip
    return assignment, first, second


def test_every_comment_is_listed_by_the_team_commented_on_with_its_author(
    moderated, peers, coordinator_client
):
    assignment, first, second = moderated
    response = coordinator_client.get(comments_url(assignment))
    assert response.status_code == 200
    groups = [(g["team"].pk, [c.pk for c in g["comments"]]) for g in response.context["groups"]]
    # peer_teams order: by organisation name (Oikeudet kaupunki, Työllistäjä kunta)
    assert groups == [(peers.other_team.pk, [second.pk]), (peers.team.pk, [first.pk])]
    body = response.content.decode()
    assert f"by Työllistäjä kunta ({peers.user.get_full_name()})" in body
    assert "2 comments: 2 visible, 0 hidden." in body
    assert hide_url(second) in body


def test_a_reviewer_reads_the_comments_but_cannot_hide_or_show(moderated, peers, reviewer_client):
    assignment, first, second = moderated
    response = reviewer_client.get(comments_url(assignment))
    assert response.status_code == 200
    assert hide_url(second) not in response.content.decode()
    assert reviewer_client.get(hide_url(second)).status_code == 403
    assert reviewer_client.post(hide_url(second), {"reason": "Asiaton"}).status_code == 403
    second.refresh_from_db()
    assert second.hidden_at is None
    services.peer_comment_hide(comment=second, actor=peers.coordinator, reason="Asiaton")
    assert reviewer_client.post(show_url(second)).status_code == 403
    second.refresh_from_db()
    assert second.is_hidden


def test_hiding_asks_for_confirmation_and_a_reason_then_the_history_says_who_did(
    moderated, peers, coordinator, coordinator_client
):
    assignment, first, second = moderated
    response = coordinator_client.get(hide_url(second))
    assert response.status_code == 200
    assert "Tämä on huono ja tyhmä." in response.content.decode()
    second.refresh_from_db()
    assert second.hidden_at is None  # the GET only asks
    response = coordinator_client.post(hide_url(second), {"reason": "  "})
    assert response.status_code == 200
    assert "Give the reason for hiding the comment." in response.content.decode()
    response = coordinator_client.post(hide_url(second), {"reason": "x" * 301})
    body = response.content.decode()
    assert "The reason can be at most 300 characters (it has 301)." in body
    assert 'value="' + "x" * 301 + '"' in body  # kept as typed
    second.refresh_from_db()
    assert second.hidden_at is None
    at = clock.now()
    with clock.travel(at):
        response = coordinator_client.post(hide_url(second), {"reason": "Asiaton sävy"})
    assert response.status_code == 302
    assert response["Location"] == comments_url(assignment) + f"#comment-{second.pk}"
    second.refresh_from_db()
    assert (second.hidden_at, second.hidden_by, second.hidden_reason) == (
        at, coordinator, "Asiaton sävy"
    )  # fmt: skip
    entry = ActivityEntry.objects.get(action="peer_comment.hidden", target_id=second.pk)
    assert entry.actor == coordinator
    assert entry.after == {"hidden": True, "reason": "Asiaton sävy"}
    body = coordinator_client.get(comments_url(assignment)).content.decode()
    assert "The comment was hidden: the teams no longer see it." in body
    assert f"Hidden by {coordinator.get_full_name()} on" in body
    assert "Reason: Asiaton sävy" in body
    assert "2 comments: 1 visible, 1 hidden." in body
    assert show_url(second) in body


def test_show_again_is_the_undo_and_is_logged_too(
    moderated, peers, coordinator, coordinator_client
):
    assignment, first, second = moderated
    services.peer_comment_hide(comment=second, actor=coordinator, reason="Asiaton")
    assert coordinator_client.get(show_url(second)).status_code == 405
    response = coordinator_client.post(show_url(second), {"show": "hidden"})
    assert response.status_code == 302
    assert response["Location"] == comments_url(assignment, "?show=hidden") + (
        f"#comment-{second.pk}"
    )
    second.refresh_from_db()
    assert (second.hidden_at, second.hidden_by, second.hidden_reason) == (None, None, "")
    entry = ActivityEntry.objects.get(action="peer_comment.shown", target_id=second.pk)
    assert entry.actor == coordinator
    body = coordinator_client.get(comments_url(assignment)).content.decode()
    assert "The comment is visible to the teams again." in body
    assert "hidden by" in body and "shown again by" in body  # the comment's history
    # the team sees it again
    peers_body = peers.other_client.get(page(peers, assignment, peers.other_team))
    assert "Tämä on huono ja tyhmä." in peers_body.content.decode()


def test_the_filter_shows_all_visible_or_hidden_comments(
    moderated, coordinator, coordinator_client
):
    assignment, first, second = moderated
    services.peer_comment_hide(comment=second, actor=coordinator, reason="Asiaton")

    def listed(query):
        response = coordinator_client.get(comments_url(assignment, query))
        assert response.status_code == 200
        return sorted(c.pk for g in response.context["groups"] for c in g["comments"])

    assert listed("") == sorted([first.pk, second.pk])
    assert listed("?show=all") == sorted([first.pk, second.pk])
    assert listed("?show=visible") == [first.pk]
    assert listed("?show=hidden") == [second.pk]
    assert listed("?show=nonsense") == sorted([first.pk, second.pk])


def test_a_comment_of_another_assignment_is_404(moderated, peers, coordinator_client):
    assignment, first, second = moderated
    other = development(peers)
    url = reverse("peers_staff:hide", args=[other.pk, second.pk])
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, {"reason": "x"}).status_code == 404
    assert coordinator_client.get(comments_url(other)).context["counts"]["all"] == 0


def test_the_moderation_page_asks_a_constant_number_of_queries(
    moderated, peers, coordinator, coordinator_client
):
    assignment, first, second = moderated
    services.peer_comment_hide(comment=second, actor=coordinator, reason="Asiaton")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(comments_url(assignment)).status_code == 200
        return len(queries)

    one = count()
    for index in range(4):
        team, user = add_team(peers, f"Kunta {index}", f"444444{index}-{index}")
        comment = services.peer_comment_add(assignment=assignment, author_team=team,
                                            team=peers.team, actor=user, text="Hyvä")  # fmt: skip
        services.peer_comment_hide(comment=comment, actor=coordinator, reason="Toisto")
        services.peer_comment_add(assignment=assignment, author_team=peers.team, team=team,
                                  actor=peers.user, text="Selkeä")  # fmt: skip
    assert count() == one
