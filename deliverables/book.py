"""The closing event's results book and a team's one-page summary, as tagged PDF.

`cohort_book(cohort)` and `team_summary(team)` read everything a book shows in a constant
number of queries; `render_html` turns it into HTML in the chosen language (one team
chapter at a time, so a job can report "team 3 of 6"); `html_to_pdf` makes a PDF/UA-1
document with WeasyPrint whose URL fetcher reaches only the project's own fonts and
static files, never the network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import F, Max, Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from applications.models import Application
from cohorts.models import Team, TeamMembership, TeamRole
from soske import clock
from workshops.attendance import attendance_matrix
from workshops.models import Event

from .models import Assignment, Feedback, PeerComment, Submission, SubmissionVersion

# The order of a team chapter, by worksheet (the list).
CHAPTER_SHEETS = (
    "operating_model",
    "categories",
    "impact",
    "employment",
    "risk_matrix",
    "conduct_annex",
    "pilot_plan",
    "management",
)

FILE_WORDS = {"fi": ("tulokset", "yhteenveto"), "sv": ("resultat", "sammanfattning"),
              "en": ("results", "summary")}  # fmt: skip


@dataclass
class Work:
    assignment: Assignment
    version: SubmissionVersion
    feedback: list[Feedback] = field(default_factory=list)


@dataclass
class Chapter:
    team: Team
    members: list[TeamMembership]
    application: object | None
    works: list[Work]  # latest version of each assignment, in due order
    sheets: dict[str, dict]  # worksheet key -> content of the latest version holding it
    peer_comments: list[PeerComment]

    @property
    def feedback(self):
        return [(work, item) for work in self.works for item in work.feedback]

    @property
    def attachments(self):
        return [(work, f) for work in self.works for f in work.version.files.all()]


@dataclass
class BookData:
    cohort: object
    chapters: list[Chapter]
    events: list[Event]
    attendance: list  # workshops.attendance.MatrixRow
    attendance_events: list[Event]
    source: dict


def _chapters(cohort, teams) -> list[Chapter]:
    team_ids = [t.pk for t in teams]
    members = {}
    for m in TeamMembership.objects.filter(team_id__in=team_ids).order_by("name", "pk"):
        members.setdefault(m.team_id, []).append(m)
    applications = {
        a.team_record_id: a for a in Application.objects.filter(team_record_id__in=team_ids)
    }
    versions = (
        SubmissionVersion.objects.filter(submission__team_id__in=team_ids)
        .filter(submission__latest_version_id=F("pk"))
        .select_related("submission__assignment")
        .prefetch_related(
            "files",
            Prefetch("feedback", queryset=Feedback.objects.order_by("created_at", "pk")),
        )
        .order_by("submission__assignment__due_at", "submission__assignment__position", "pk")
    )
    works = {}
    for version in versions:
        works.setdefault(version.submission.team_id, []).append(
            Work(version.submission.assignment, version, list(version.feedback.all()))
        )
    comments = {}
    for comment in (
        PeerComment.objects.visible()
        .filter(team_id__in=team_ids)
        .select_related("author_team__organisation", "assignment")
        .order_by("created_at", "pk")
    ):
        comments.setdefault(comment.team_id, []).append(comment)
    chapters = []
    for team in teams:
        team_works = works.get(team.pk, [])
        sheets = {}
        for work in team_works:  # later assignments win: the final word on a sheet
            for key in work.assignment.worksheets:
                if key in work.version.data:
                    sheets[key] = work.version.data[key]
        chapters.append(
            Chapter(
                team=team,
                members=members.get(team.pk, []),
                application=applications.get(team.pk),
                works=team_works,
                sheets=sheets,
                peer_comments=comments.get(team.pk, []),
            )
        )
    return chapters


def _source(cohort, teams) -> dict:
    """What the book was built from: counts and the newest change, with a fingerprint."""
    submissions = Submission.objects.filter(team__in=teams)
    versions = SubmissionVersion.objects.filter(submission__team__in=teams)
    newest = versions.aggregate(at=Max("submitted_at"))["at"]
    feedback_newest = Feedback.objects.filter(version__submission__team__in=teams).aggregate(
        at=Max("created_at")
    )["at"]
    source = {
        "teams": len(teams),
        "versions": versions.count(),
        "latest_versions": sorted(
            submissions.exclude(latest_version=None).values_list("latest_version_id", flat=True)
        ),
        "feedback": Feedback.objects.filter(version__submission__team__in=teams).count(),
        "peer_comments": PeerComment.objects.visible().filter(team__in=teams).count(),
        "newest_version_at": clock.helsinki(newest).isoformat() if newest else None,
        "newest_feedback_at": clock.helsinki(feedback_newest).isoformat()
        if feedback_newest
        else None,
    }
    source["fingerprint"] = hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()[
        :16
    ]
    return source


def cohort_book(cohort) -> BookData:
    teams = list(
        Team.objects.filter(cohort=cohort, active=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    attendance_events, attendance = attendance_matrix(cohort)
    return BookData(
        cohort=cohort,
        chapters=_chapters(cohort, teams),
        events=list(Event.objects.live().filter(cohort=cohort).order_by("starts_at", "pk")),
        attendance=attendance,
        attendance_events=attendance_events,
        source=_source(cohort, teams),
    )


def team_summary(team) -> BookData:
    """The same data for one team only: what its members may see (their own work, its
    feedback, the visible comments on it), nothing of other teams, no scores."""
    team = Team.objects.select_related("organisation", "cohort").get(pk=team.pk)
    return BookData(
        cohort=team.cohort,
        chapters=_chapters(team.cohort, [team]),
        events=[],
        attendance=[],
        attendance_events=[],
        source=_source(team.cohort, [team]),
    )


def role_label(role: str) -> str:
    if role == "contact":
        return str(translation.gettext("Contact person"))
    return str(TeamRole(role).label) if role in TeamRole.values else role


# --- HTML ------------------------------------------------------------------------------------


def render_html(data: BookData, *, language: str, template: str, progress=None) -> str:
    """The book's HTML; `progress(done, total)` is called after each team chapter."""
    total = len(data.chapters)
    with translation.override(language):
        chapters_html = []
        for index, chapter in enumerate(data.chapters, start=1):
            chapters_html.append(
                render_to_string(
                    "deliverables/book/chapter.html",
                    {"chapter": chapter, "number": index, "data": data, "summary": False},
                )
            )
            if progress:
                progress(index, total)
        return render_to_string(
            template,
            {
                "data": data,
                "chapters_html": chapters_html,
                "language": language,
                "built_at": clock.now(),
                "fonts": fonts(),
            },
        )


def summary_html(data: BookData, *, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "deliverables/book/summary.html",
            {"data": data, "chapter": data.chapters[0], "language": language,
             "built_at": clock.now(), "summary": True, "fonts": fonts()},
        )  # fmt: skip


# --- PDF ---------------------------------------------------------------------------------------


def _font_dir() -> Path:
    import font_source_sans_pro

    return Path(font_source_sans_pro.__file__).parent / "files"


def fonts() -> dict[str, str]:
    folder = _font_dir()
    return {
        "regular": (folder / "SourceSansPro-Regular.ttf").as_uri(),
        "bold": (folder / "SourceSansPro-Bold.ttf").as_uri(),
        "italic": (folder / "SourceSansPro-It.ttf").as_uri(),
    }


def _allowed_roots() -> list[Path]:
    roots = [_font_dir().resolve()]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        folder = entry[1] if isinstance(entry, (tuple, list)) else entry
        roots.append(Path(folder).resolve())
    return roots


class FetchRefused(ValueError):
    pass


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class RestrictedFetcher(URLFetcher):
        """Only files under the project's static folders and the font package: no network,
        no other file. A refused fetch leaves the resource out of the book."""

        def __init__(self):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            check_fetch(url)
            return super().fetch(url, headers)

    return RestrictedFetcher


def check_fetch(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise FetchRefused(f"refused to fetch {url}")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in _allowed_roots()):
        raise FetchRefused(f"refused to fetch {url}")


def restricted_fetcher():
    return _fetcher_class()()


def stylesheet_path() -> str:
    found = finders.find("css/book.css")
    return Path(found).resolve().as_uri()


def html_to_pdf(html: str) -> bytes:
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every page at INFO: the job's progress is on its row instead.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    return HTML(
        string=html, base_url=stylesheet_path(), url_fetcher=restricted_fetcher()
    ).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)


def book_filename(cohort, *, language: str, team=None, day=None) -> str:
    day = day or clock.helsinki(clock.now()).date()
    book_word, summary_word = FILE_WORDS.get(language, FILE_WORDS["en"])
    if team is None:
        return f"Soske-{slugify(cohort.slug or cohort.name)}-{book_word}-{day.isoformat()}.pdf"
    name = slugify(team.organisation.name)[:60] or "team"
    return f"Soske-{name}-{summary_word}-{day.isoformat()}.pdf"
