#!/usr/bin/env python
"""Every page a user opens, against gunicorn, with its goal: one benchmark of every page.

Run by hand, never by the test suite:

    .venv/bin/python bench/pages.py                # about 3-5 minutes, cleans up after itself
    .venv/bin/python bench/pages.py --samples 50   # quicker, noisier
    .venv/bin/python bench/pages.py --keep --json figures.json

What it does (see bench/README.md for the figures):

1. Drops and recreates its own PostgreSQL database (`soske_bench_pages` on 127.0.0.1:5432,
   user postgres) and migrates it.
2. Data: the demo (soske.demo.load_demo: the 2021-22 cohort with 6 teams, its whole programme,
   sparring, attendance and deliverables; the open cohort with drafts and submitted
   applications), plus the ranking benchmark's cohort (bench/ranking.prepare: 200 submitted
   applications x 3 reviews x 4 criteria with justifications, decisions, interviews). Every
   persona gets a signed-in session written straight into django_session.
3. Starts gunicorn on a free port of 127.0.0.1 against that database (the helper of
   bench/deadline_rush.py: sync workers, no access log, DEBUG=false, REDIS_URL unset) with
   SOSKE_COUNT_QUERIES=1, so each response carries its SQL count in `X-Soske-Queries`.
4. N interleaved rounds (default 100, after 5 warm-up rounds) of sequential GETs: /healthz/,
   then every page once. Per page: p50, p95, the ratio of its p50 to /healthz/'s p50 of the
   same run, the SQL count and the size.
5. Each page with a goal (the ratio to /healthz/, and for some the size or an absolute time)
   is checked; the exit status is 1 when one misses it, when a response isn't a 200 or
   when the server logged a traceback.

The machine this runs on is shared: read the ratios and the medians, not single figures.
Only 127.0.0.1 is contacted. Every loop is bounded in count, every wait in time.
"""

import argparse
import contextlib
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from deadline_rush import (
    DB_NAME_RE,
    HOST,
    ROOT,
    UNSET,
    Gunicorn,
    analyze_database,
    drop_database,
    fetch,
    machine_facts,
    ms,
    percentile,
    recreate_database,
    server_facts,
    stop_server_and_close,
)

# The goals of issue 13, as ratios of medians to /healthz/ in the same run.
FORM = 5  # every form page, the programme pages
STAFF_LIST = 15
RANKING = 50
RANKING_BYTES = 150_000
EXPORT_MS = 100  # the exports still answered in the request
# The applications and reviews exports are built by Celery (soske.exports): their pages are
# the export's status page and the person's list, held to the form-page goal; the builds
# themselves are timed in-process while the data is prepared and reported beside the table.
MAX_QUERIES = 50  # more on one page is an N+1


@dataclass
class Page:
    name: str
    path: str
    who: str  # the persona whose cookies are sent
    ratio: float | None = None  # goal: p50 <= ratio x healthz p50
    max_bytes: int | None = None
    max_ms: float | None = None
    must_contain: str = ""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--samples", type=int, default=100, help="rounds measured")
    parser.add_argument("--warmup", type=int, default=5, help="rounds not measured")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--only", nargs="*", help="measure only the pages with these names")
    parser.add_argument(
        "--budget", type=float, default=900.0, metavar="SECONDS", help="stop measuring after"
    )
    parser.add_argument("--db", default="soske_bench_pages", help="database name (dropped!)")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database and the log")
    args = parser.parse_args()
    if not DB_NAME_RE.match(args.db) or "bench" not in args.db:
        parser.error("--db must be a plain lower-case name containing 'bench' (it is dropped)")
    if not 1 <= args.samples <= 2000 or not 0 <= args.warmup <= 100:
        parser.error("--samples in 1..2000, --warmup in 0..100")
    if not 1 <= args.workers <= 64 or not 10 <= args.budget <= 3600:
        parser.error("--workers in 1..64, --budget in 10..3600")
    # What bench/ranking.prepare reads: the cohort, 200 x 3 x 4.
    args.applications, args.reviewers, args.justification = 200, 3, 300
    args.decisions, args.interviews = 60, 40
    args.threads = 1
    return args


def configure_environment(args, work: Path) -> dict:
    for name in (*UNSET, "REQUEST_START_HEADER"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "soske.settings",
            "DATABASE_URL": f"postgres://{args.pg_user}@{HOST}:{args.pg_port}/{args.db}",
            "EMAIL_FILE_PATH": str(work / "mail"),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SITE_URL": "http://127.0.0.1:8000",
            "LOG_LEVEL": "WARNING",
            "SOSKE_BOOTSTRAP": "0",
            "SOSKE_COUNT_QUERIES": "1",
            "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
            "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    return dict(os.environ)


def session_for(user) -> dict:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    data = {
        "_auth_user_id": str(user.pk),
        "_auth_user_backend": "soske.users.backends.AuthenticationBackend",
        "_auth_user_hash": user.get_session_auth_hash(),
    }
    Session.objects.create(
        session_key=key,
        session_data=SessionStore().encode(data),
        expire_date=timezone.now() + timedelta(days=1),
    )
    return {"sessionid": key}


def prepare(args, rng) -> tuple[list[Page], dict, dict]:
    """The data, the sessions and the pages to time."""
    import ranking
    from django.urls import reverse

    from applications.models import Application, Review, Status
    from deliverables.models import Assignment
    from soske.demo.seed import load_demo
    from workshops.models import Event, EventKind

    demo = load_demo()
    seed, live = demo["cohorts"]
    world = ranking.prepare(args, rng)
    bench_cohort = world["cohort_id"]

    draft = Application.objects.get(cohort=live, created_by__email="yhteys11@soske.example")
    team = seed.teams.select_related("organisation").order_by("pk").first()
    member = team.memberships.filter(user__isnull=False).order_by("pk").first().user
    rounds = Event.objects.filter(cohort=seed, kind=EventKind.SPARRING_ROUND)
    sparring = rounds.order_by("pk").first()
    assignment = Assignment.objects.filter(cohort=seed).order_by("pk").first()
    reviewed = (
        Review.objects.filter(application__cohort_id=bench_cohort)
        .select_related("reviewer")
        .order_by("pk")
        .first()
    )
    one_application = Application.objects.filter(
        cohort_id=bench_cohort, status=Status.SUBMITTED
    ).order_by("pk")[0]
    cookies = {
        "anonymous": {},
        "applicant": session_for(draft.created_by),
        "reviewer": session_for(reviewed.reviewer),
        "coordinator": world["cookies"],
        "member": session_for(member),
    }

    exports = build_exports(world["coordinator_id"], bench_cohort)

    from applications.steps import STEPS

    pages = [
        Page("call page", reverse("cohorts:home"), "anonymous"),
        Page("my applications", reverse("applications:mine"), "applicant"),
        *[
            Page(
                f"step {step.slug}",
                reverse("applications:step", args=[draft.pk, step.slug]),
                "applicant",
                ratio=FORM,
            )
            for step in STEPS
        ],
        Page("review page", reverse("applications:review", args=[draft.pk]), "applicant", FORM),
        Page("my reviews (200)", reverse("staff:my_reviews"), "reviewer"),
        Page(
            "scoring page",
            reverse("staff:score", args=[reviewed.application_id]),
            "reviewer",
            ratio=FORM,
        ),
        Page(
            "staff list (100 of 200)",
            reverse("staff:applications") + f"?cohort={bench_cohort}",
            "coordinator",
            ratio=STAFF_LIST,
        ),
        Page(
            "staff application",
            reverse("staff:application", args=[one_application.pk]),
            "coordinator",
        ),
        Page(
            "ranking board 200x3x4",
            reverse("staff:ranking", args=[bench_cohort]),
            "coordinator",
            ratio=RANKING,
            max_bytes=RANKING_BYTES,
        ),
        Page(
            "export page (reviews)",
            reverse("exports:detail", args=[exports["reviews"]]),
            "coordinator",
            ratio=FORM,
        ),
        Page(
            "export status (reviews)",
            reverse("exports:status", args=[exports["reviews"]]),
            "coordinator",
            ratio=FORM,
        ),
        Page("your exports", reverse("exports:mine"), "coordinator", ratio=FORM),
        Page(
            "programme calendar",
            reverse("programme_staff:cohort", args=[seed.pk]),
            "coordinator",
            ratio=FORM,
        ),
        Page(
            "sparring round",
            reverse("sparring_staff:round", args=[sparring.pk]),
            "coordinator",
            ratio=FORM,
        ),
        Page(
            "attendance matrix",
            reverse("sparring_staff:cohort_attendance", args=[seed.pk]),
            "coordinator",
            ratio=FORM,
        ),
        Page(
            "submissions overview",
            reverse("deliverables_staff:overview", args=[seed.pk]),
            "coordinator",
            ratio=FORM,
        ),
        # The staff exports that grow with the programme (issue 13), written by sheet_bytes.
        Page(
            "attendance xlsx",
            reverse("sparring_staff:cohort_attendance_xlsx", args=[seed.pk]),
            "coordinator",
            max_ms=EXPORT_MS,
        ),
        Page(
            "deliverables overview xlsx",
            reverse("deliverables_staff:overview_xlsx", args=[seed.pk]),
            "coordinator",
            max_ms=EXPORT_MS,
        ),
        Page(
            "follow-up xlsx",
            reverse("followup_staff:xlsx"),
            "coordinator",
            max_ms=EXPORT_MS,
        ),
        Page("team home", reverse("team:detail", args=[team.pk]), "member"),
        Page("team calendar", reverse("programme:calendar", args=[team.pk]), "member", FORM),
        Page(
            "team sparring",
            reverse("programme:sparring", args=[team.pk, sparring.pk]),
            "member",
            ratio=FORM,
        ),
        Page("team work", reverse("deliverables:assignments", args=[team.pk]), "member"),
        Page(
            "team submission",
            reverse("deliverables:submission", args=[team.pk, assignment.pk]),
            "member",
            ratio=FORM,
        ),
    ]
    give_staff_a_second_factor()
    if args.only:
        pages = [p for p in pages if p.name in args.only]
    facts = {k: v for k, v in world.items() if k != "cookies"}
    facts["teams"] = seed.teams.count()
    facts["export_builds_ms"] = exports["duration_ms"]
    return pages, cookies, facts


def build_exports(coordinator_id, cohort_id) -> dict:
    """The coordinator's two background exports of the 200 x 3 x 4 cohort, built here the way
    the worker builds them (Celery runs eagerly in this process), each timed five times:
    {"applications": pk, "reviews": pk, "duration_ms": {kind: [ms, ...]}}."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from soske.exports.services import export_start

    coordinator = get_user_model().objects.get(pk=coordinator_id)
    kinds = {
        "applications": ("applications.applications", {"query": f"cohort={cohort_id}"}),
        "reviews": ("applications.reviews", {"cohort": cohort_id}),
    }
    found = {"duration_ms": {}}
    with translation.override("fi"):
        for name, (kind, params) in kinds.items():
            for _ in range(5):
                export, _started = export_start(
                    user=coordinator, kind=kind, params=params, title=name
                )
                export.refresh_from_db()
                if export.state != "done":
                    raise SystemExit(f"the {name} export did not build: {export.error}")
                found["duration_ms"].setdefault(name, []).append(export.duration_ms)
            found[name] = export.pk
    return found


def give_staff_a_second_factor():
    """Staff pages need an authenticator app (soske.users.middleware.StaffAccountMiddleware):
    without one every staff page redirects to its set-up page."""
    from django.contrib.auth import get_user_model

    from soske.users.mfa import (
        DEMO_TOTP_SECRET,
        has_second_factor,
        needs_second_factor,
        totp_activate,
    )

    for user in get_user_model().objects.all():
        if needs_second_factor(user) and not has_second_factor(user):
            totp_activate(user=user, secret=DEMO_TOTP_SECRET)


class OutOfTime(Exception):
    pass


def measure(port, pages, cookies, *, warmup, samples, deadline) -> dict:
    healthz = Page("healthz", "/healthz/", "anonymous")
    everything = [healthz, *pages]
    times = {p.name: [] for p in everything}
    first = {}
    for i in range(warmup + samples):
        if time.monotonic() > deadline:
            raise OutOfTime(f"time budget spent after {i} of {warmup + samples} rounds")
        for page in everything:
            result = fetch(port, "GET", page.path, cookies=cookies[page.who], keep_body=i == 0)
            if result.status != 200:
                raise SystemExit(f"{page.name} {page.path} answered {result.status} {result.error}")
            if i == 0:
                first[page.name] = result
            if i >= warmup:
                times[page.name].append(result.elapsed)
    return {"times": times, "first": first}


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="soske-bench-pages-"))
    (work / "mail").mkdir()
    env = configure_environment(args, work)
    server = None
    failures = ["did not finish"]
    started = time.monotonic()
    load_before = os.getloadavg()
    try:
        print(f"database {args.db} on {HOST}:{args.pg_port}: recreate and migrate", flush=True)
        recreate_database(args)
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0, interactive=False)
        t = time.monotonic()
        pages, cookies, data = prepare(args, rng)
        analyze_database()
        print(f"prepared the demo and the 200 x 3 x 4 cohort in {time.monotonic() - t:.1f} s")
        facts = server_facts(args)
        server = Gunicorn(args, env, work / "gunicorn.log")
        server.wait_ready()
        print(f"gunicorn on {HOST}:{server.port}, {args.workers} sync workers", flush=True)
        t = time.monotonic()
        try:
            run = measure(
                server.port,
                pages,
                cookies,
                warmup=args.warmup,
                samples=args.samples,
                deadline=time.monotonic() + args.budget,
            )
        except OutOfTime as exc:
            raise SystemExit(str(exc)) from None
        print(f"{args.samples} rounds of {len(pages) + 1} pages in {time.monotonic() - t:.1f} s")
        base = statistics.median(run["times"]["healthz"])
        rows, failures = [], []
        for page in [Page("healthz", "/healthz/", "anonymous"), *pages]:
            values = run["times"][page.name]
            first = run["first"][page.name]
            p50 = statistics.median(values)
            size = len(first.body.encode()) if first.body else 0
            queries = first.queries or "?"
            row = {
                "page": page.name,
                "path": page.path,
                "who": page.who,
                "p50_ms": ms(p50),
                "p95_ms": ms(percentile(values, 95)),
                "ratio": round(p50 / base, 1),
                "queries": queries,
                "bytes": size,
                "goal": goal_text(page),
                "ok": True,
            }
            missed = []
            if page.ratio is not None and p50 > page.ratio * base:
                missed.append(f"{row['ratio']}x > {page.ratio}x")
            if page.max_bytes is not None and size > page.max_bytes:
                missed.append(f"{size} B > {page.max_bytes} B")
            if page.max_ms is not None and p50 * 1000 > page.max_ms:
                missed.append(f"{row['p50_ms']} ms > {page.max_ms} ms")
            if queries != "?" and int(queries) > MAX_QUERIES:
                missed.append(f"{queries} queries > {MAX_QUERIES}")
            if missed:
                row["ok"] = False
                failures.append(f"{page.name}: {', '.join(missed)}")
            rows.append(row)
        tracebacks, endings = server.log_problems()
        if tracebacks:
            failures.append(f"{tracebacks} tracebacks in the server log: {endings[:3]}")
            kept = Path(tempfile.gettempdir()) / f"soske-bench-pages-{int(time.time())}.log"
            shutil.copyfile(server.log_path, kept)
            print(f"server log kept as {kept}")
        figures = {
            "data": data,
            "pages": rows,
            "machine": machine_facts(server, load_before, facts),
            "date": timezone.now().isoformat(timespec="seconds"),
            "samples": args.samples,
            "duration_s": round(time.monotonic() - started, 1),
        }
        report(figures)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    finally:
        stop_server_and_close(server)
        if args.keep:
            print(f"kept: database {args.db}, gunicorn log in {work}")
        else:
            with contextlib.suppress(Exception):
                drop_database(args)
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("FAILED:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("every page meets its goal")
    return 0


def goal_text(page: Page) -> str:
    parts = []
    if page.ratio is not None:
        parts.append(f"<= {page.ratio}x")
    if page.max_bytes is not None:
        parts.append(f"<= {page.max_bytes // 1000} kB")
    if page.max_ms is not None:
        parts.append(f"<= {page.max_ms:g} ms")
    return ", ".join(parts) or "-"


def report(f):
    print()
    print(
        f"| {'page':<26} | {'p50 ms':>7} | {'p95 ms':>7} | {'x healthz':>9} | {'SQL':>4} "
        f"| {'kB':>6} | {'goal':<20} | ok |"
    )
    widths = (26, 7, 7, 9, 4, 6, 20, 2)
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for r in f["pages"]:
        print(
            f"| {r['page']:<26} | {r['p50_ms']:>7} | {r['p95_ms']:>7} | {r['ratio']:>9} "
            f"| {r['queries']:>4} | {r['bytes'] / 1000:>6.1f} | {r['goal']:<20} "
            f"| {'ok' if r['ok'] else 'NO':<2} |"
        )
    builds = f["data"].get("export_builds_ms", {})
    for name, values in builds.items():
        print(
            f"built by Celery, in-process: {name} export, median {statistics.median(values)} ms "
            f"of {len(values)} builds"
        )
    m = f["machine"]
    print(f"load average before/after: {m['loadavg_1_5_15_before']} / {m['loadavg_1_5_15_after']}")


if __name__ == "__main__":
    sys.exit(main())
