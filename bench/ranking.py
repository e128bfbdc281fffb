#!/usr/bin/env python
"""Ranking board against gunicorn, and the review export's background build: 200 scored
applications.

Run by hand, never by the test suite:

    .venv/bin/python bench/ranking.py            # one run, everything cleaned up after
    .venv/bin/python bench/ranking.py --keep     # keep the database and the server log

What it does (see bench/README.md for the figures):

1. Drops and recreates its own PostgreSQL database (`soske_bench_ranking` on 127.0.0.1:5432,
   user postgres) and migrates it.
2. Bulk-creates one cohort past its deadline with the 4 default criteria, 200 submitted
   applications (complete rows: the answers of tests/factories.fill_complete, with varied
   organisation names, both tracks and every organisation type), 3 reviewers and a coordinator;
   each application has 3 assignments (no conflict) and 3 submitted reviews with 4 scores and a
   justification each; 60 applications have a decision (6 selected, 6 reserve, the rest not
   selected) and 40 a booked interview with an outcome. The coordinator gets a signed-in
   session written straight into django_session (no password hashing, no login round trip).
3. Starts gunicorn on a free port of 127.0.0.1 against that database, with the same helper as
   bench/deadline_rush.py: sync workers, 2 * cores + 1 of them, no access log, DEBUG=false,
   development settings otherwise, REDIS_URL unset.
4. Ranking board /staff/cohorts/<pk>/ranking/: N interleaved rounds (default 200, after 10
   warm-up rounds) of sequential GETs of /healthz/ and the board; median, p95, and the ratio
   of the medians. Checks every response is a 200 and that the board lists every application.
5. Review export: built by Celery since issue 13 (soske.exports), so it is timed as the
   worker builds it, in-process (Celery eager): 20 builds (after 2 warm-up builds), each
   asked for with `export_start`; checks the file opens and has one line per review.
6. In-process, with the Django test client against the same database: the board's SQL
   queries (CaptureQueriesContext) and peak Python memory (tracemalloc around one request,
   after a warm-up request); the export's queries (start and build) and its size.
7. Stops gunicorn and drops the database (unless --keep). Exit status 1 when a check fails.

Only 127.0.0.1 is contacted. Every loop is bounded in count, every wait in time.
"""

import argparse
import contextlib
import io
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import timedelta
from pathlib import Path

# The server, HTTP and database helpers of the other benchmark (bench/ is on sys.path when
# this file is run as a script).
from deadline_rush import (
    DB_NAME_RE,
    HOST,
    ROOT,
    UNSET,
    Gunicorn,
    add_owners_and_teams,
    analyze_database,
    business_ids,
    complete_answers,
    drop_database,
    fetch,
    machine_facts,
    ms,
    percentile,
    recreate_database,
    server_facts,
    stop_server_and_close,
)

# An N+1 on 200 rows makes hundreds of queries; the board makes about ten.
MAX_QUERIES = 50
PLACES = (
    "Aaltola",
    "Björkby",
    "Haapajärvi",
    "Kuusamo",
    "Lepävaara",
    "Mäntylä",
    "Paju",
    "Tammisaari",
    "Vaahtera",
    "Ylälä",
)
WORDS = (
    "hankinta kestävyys työllistäminen johto sitoutunut strategia tavoite tiimi osaaminen "
    "kehittäminen pilotti sopimusehto markkinavuoropuhelu vastuullisuus ihmisoikeudet "
    "alihankinta seuranta mittari resurssit aikataulu perusteltu selkeä vahva heikko "
    "kuvattu esimerkki aiempi kokemus yhteistyö työvoimapalvelut"
).split()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--applications", type=int, default=200, help="submitted applications")
    parser.add_argument(
        "--reviewers", type=int, default=3, help="reviewers; each one reviews every application"
    )
    parser.add_argument(
        "--decisions",
        type=int,
        help="applications with a decision (default: 30 %% of them)",
    )
    parser.add_argument(
        "--interviews",
        type=int,
        help="applications with a booked interview (default: 20 %% of them)",
    )
    parser.add_argument(
        "--justification",
        type=int,
        default=300,
        metavar="CHARS",
        help="mean length of a justification (each is 1/3 to 5/3 of it)",
    )
    parser.add_argument("--samples", type=int, default=200, help="ranking requests measured")
    parser.add_argument("--warmup", type=int, default=10, help="ranking requests not measured")
    parser.add_argument("--export-samples", type=int, default=20, help="export builds measured")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--budget",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="stop measuring after this long (the run then fails)",
    )
    parser.add_argument("--db", default="soske_bench_ranking", help="database name (dropped!)")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the server log at the end"
    )
    args = parser.parse_args()
    if not DB_NAME_RE.match(args.db) or "bench" not in args.db:
        parser.error("--db must be a plain lower-case name containing 'bench' (it is dropped)")
    if not 1 <= args.applications <= 5000 or not 1 <= args.reviewers <= 20:
        parser.error("--applications in 1..5000, --reviewers in 1..20")
    n = args.applications
    args.decisions = n * 3 // 10 if args.decisions is None else args.decisions
    args.interviews = n // 5 if args.interviews is None else args.interviews
    if not 0 <= args.decisions <= n or not 0 <= args.interviews <= n:
        parser.error("--decisions and --interviews in 0..--applications")
    if not 3 <= args.justification <= 2400:
        parser.error("--justification in 3..2400")
    if not 1 <= args.samples <= 5000 or not 0 <= args.warmup <= 100:
        parser.error("--samples in 1..5000, --warmup in 0..100")
    if not 1 <= args.export_samples <= 500 or not 1 <= args.workers <= 64:
        parser.error("--export-samples in 1..500, --workers in 1..64")
    if not 10 <= args.budget <= 3600:
        parser.error("--budget in 10..3600 seconds")
    args.threads = 1  # Gunicorn(): sync workers
    return args


def configure_environment(args, work: Path) -> dict:
    """The same settings for this process and for gunicorn."""
    for name in (*UNSET, "REQUEST_START_HEADER"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "soske.settings",
            "DATABASE_URL": f"postgres://{args.pg_user}@{HOST}:{args.pg_port}/{args.db}",
            "EMAIL_FILE_PATH": str(work / "mail"),  # nothing is sent; never a real server
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),  # sessions are signed with it
            "SITE_URL": "http://127.0.0.1:8000",
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore:No directory at:UserWarning",  # no collectstatic here
            "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    return dict(os.environ)


# --- data ------------------------------------------------------------------------------------


def text(rng, mean_chars: int) -> str:
    target = rng.randint(max(1, mean_chars // 3), max(1, mean_chars * 5 // 3))
    words, length = [], 0
    while length < target:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return (" ".join(words)[:target].rstrip() + ".").capitalize()


def prepare(args, rng) -> dict:
    """One cohort, scored submitted applications, reviewers, a coordinator and its session."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from applications.models import (
        Application,
        Decision,
        Interview,
        InterviewSlot,
        Mark,
        Review,
        ReviewAssignment,
        Score,
        Status,
    )
    from cohorts.models import Cohort, Criterion, OrganisationType, Theme, Track
    from cohorts.services import DEFAULT_CRITERIA, DEFAULT_THEMES
    from soske.users.mfa import DEMO_TOTP_SECRET, totp_activate
    from soske.users.models import Role, User
    from soske.users.roles import ensure_role_groups

    n = args.applications
    now = timezone.now()
    unusable = make_password(None)  # nobody signs in with a password here
    org_types = list(OrganisationType)
    with transaction.atomic():
        ensure_role_groups()
        groups = {g.name: g for g in Group.objects.all()}
        cohort = Cohort.objects.create(
            name="Soske-akatemia (ranking bench)",
            slug="soske-ranking-bench",
            call_opens_at=now - timedelta(days=60),
            deadline=now - timedelta(days=20),
            interviews_start=(now - timedelta(days=15)).date(),
            interviews_end=(now - timedelta(days=2)).date(),
            selection_date=(now + timedelta(days=5)).date(),
            scoring_started_at=now - timedelta(days=18),
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(cohort=cohort, order=i, **data) for i, data in enumerate(DEFAULT_CRITERIA)
        )
        Theme.objects.bulk_create(
            Theme(cohort=cohort, order=i, name_fi=fi, name_sv=sv, name_en=en)
            for i, (fi, sv, en) in enumerate(DEFAULT_THEMES)
        )

        def user(email, first, last):
            return User(
                email=email, first_name=first, last_name=last, language="fi", password=unusable
            )

        users = User.objects.bulk_create(
            [user(f"hakija{i:04d}@bench.example", "Hakija", f"Numero {i}") for i in range(n)]
            + [
                user(f"arvioija{i}@bench.example", "Arvioija", f"Numero {i}")
                for i in range(args.reviewers)
            ]
            + [user("koordinaattori@bench.example", "Kaija", "Koordinaattori")]
        )
        applicants, reviewers, coordinator = users[:n], users[n:-1], users[-1]
        Through = User.groups.through
        Through.objects.bulk_create(
            [Through(user_id=u.pk, group_id=groups[Role.APPLICANT].pk) for u in applicants]
            + [Through(user_id=u.pk, group_id=groups[Role.REVIEWER].pk) for u in reviewers]
            + [Through(user_id=coordinator.pk, group_id=groups[Role.COORDINATOR].pk)]
        )
        ids = business_ids(n)
        applications = Application.objects.bulk_create(
            [
                # the answers of tests/factories.fill_complete, submitted 20-21 days ago
                Application(
                    cohort=cohort,
                    status=Status.SUBMITTED,
                    created_by=u,
                    created_at=now - timedelta(days=40),
                    updated_at=now - timedelta(days=21, seconds=i),
                    submitted_at=now - timedelta(days=21, seconds=i),
                    version=1,
                    privacy_consent=True,
                    contact_email=u.email,
                    org_name=f"{PLACES[i % len(PLACES)]} {org_types[i % len(org_types)].label} {i}",
                    business_id=ids[i],
                    org_type=org_types[i % len(org_types)],
                    track=Track.EMPLOYMENT if i % 3 else Track.HUMAN_RIGHTS,
                    **complete_answers(i),
                )
                for i, u in enumerate(applicants)
            ]
        )
        add_owners_and_teams(applications, applicants, now)
        scored_at = now - timedelta(days=10)
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                application=a,
                reviewer=r,
                assigned_by=coordinator,
                assigned_at=now - timedelta(days=19),
                conflict=False,
                declared_at=now - timedelta(days=18),
            )
            for a in applications
            for r in reviewers
        )
        reviews = Review.objects.bulk_create(
            Review(
                application=a,
                reviewer=r,
                state=Review.State.SUBMITTED,
                updated_at=scored_at,
                submitted_at=scored_at,
            )
            for a in applications
            for r in reviewers
        )
        # Each application has a level; reviewers scatter around it, so the board has ties,
        # spreads and a real order.
        low, high = cohort.score_min, cohort.score_max
        level = {a.pk: rng.uniform(low, high) for a in applications}
        Score.objects.bulk_create(
            Score(
                review=review,
                criterion=c,
                value=min(high, max(low, round(level[review.application_id] + rng.gauss(0, 1)))),
                justification=text(rng, args.justification),
            )
            for review in reviews
            for c in criteria
        )
        marked = rng.sample(applications, args.decisions)
        marks = [Mark.SELECTED] * 6 + [Mark.RESERVE] * 6
        Decision.objects.bulk_create(
            Decision(
                application=a,
                cohort=cohort,
                mark=marks[i] if i < len(marks) else Mark.NOT_SELECTED,
                feedback=text(rng, 200) if i % 2 else "",
                marked_by=coordinator,
                marked_at=now - timedelta(days=1),
            )
            for i, a in enumerate(marked)
        )
        interviewed = rng.sample(applications, args.interviews)
        slots = InterviewSlot.objects.bulk_create(
            InterviewSlot(
                cohort=cohort,
                starts_at=now - timedelta(days=14, hours=-i),
                location="Kaupungintalo, Helsinki",
                created_at=now - timedelta(days=30),
            )
            for i in range(len(interviewed))
        )
        Interview.objects.bulk_create(
            Interview(
                application=a,
                slot=s,
                booked_by=a.created_by,
                booked_at=now - timedelta(days=16),
                outcome=text(rng, 150),
            )
            for a, s in zip(interviewed, slots, strict=True)
        )
        # Staff need an authenticator app before any staff page opens (issue 12).
        for person in (*reviewers, coordinator):
            totp_activate(user=person, secret=DEMO_TOTP_SECRET)
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(coordinator.pk),
            "_auth_user_backend": "soske.users.backends.AuthenticationBackend",
            "_auth_user_hash": coordinator.get_session_auth_hash(),
        }
        Session.objects.create(
            session_key=key,
            session_data=SessionStore().encode(data),
            expire_date=now + timedelta(days=1),
        )
    return {
        "cohort_id": cohort.pk,
        "coordinator_id": coordinator.pk,
        "cookies": {"sessionid": key},
        "applications": len(applications),
        "reviews": len(reviews),
        "scores": len(reviews) * len(criteria),
        "criteria": len(criteria),
        "decisions": len(marked),
        "interviews": len(interviewed),
    }


# --- measuring -------------------------------------------------------------------------------


class OutOfTime(Exception):
    pass


def rounds(port, pages: dict, *, warmup: int, samples: int, deadline: float) -> dict:
    """Interleaved rounds of sequential GETs; every response must be a 200."""
    times = {name: [] for name in pages}
    bodies = {}
    for i in range(warmup + samples):
        if time.monotonic() > deadline:
            raise OutOfTime(f"time budget spent after {i} of {warmup + samples} rounds")
        for name, (path, cookies) in pages.items():
            result = fetch(port, "GET", path, cookies=cookies, keep_body=i == 0)
            if result.status != 200:
                raise SystemExit(f"{path} answered {result.status} {result.error}".rstrip())
            if i == 0:
                bodies[name] = result.body
            if i >= warmup:
                times[name].append(result.elapsed)
    return {"times": times, "bodies": bodies}


def summary(times: dict, name: str) -> dict:
    values = times[name]
    median = statistics.median(values)
    return {
        "n": len(values),
        "median_ms": ms(median),
        "p95_ms": ms(percentile(values, 95)),
        "min_ms": ms(min(values)),
        "max_ms": ms(max(values)),
        "ratio_to_healthz": round(median / statistics.median(times["healthz"]), 1)
        if "healthz" in times
        else None,
    }


def in_process(path, cookies) -> dict:
    """Queries, peak Python memory and size of one request, with the Django test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get(path)  # warm: templates, translations, imports
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in-process")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # Now: captured_queries reads connection.queries, which the next request empties.
    sql = [q["sql"] for q in queries.captured_queries]
    elapsed = []
    for _i in range(3):
        started = time.perf_counter()
        response = client.get(path)
        elapsed.append(time.perf_counter() - started)
    del response
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = client.get(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "queries": len(sql),
        "sql": sql,
        "untraced_median_of_3_ms": ms(statistics.median(elapsed)),
        "peak_mib": round(peak / 2**20, 1),
        "bytes": len(response.content),
        "content": response.content,
    }


def export_builds(world, samples) -> dict:
    """The reviews export built `samples` times the way the worker builds it (Celery runs
    eagerly in this process): the durations the jobs recorded, the statements of one start
    and build, and the last file."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from soske.exports.models import Export
    from soske.exports.services import export_start

    coordinator = get_user_model().objects.get(pk=world["coordinator_id"])
    params = {"cohort": world["cohort_id"]}

    def build():
        export, _started = export_start(
            user=coordinator, kind="applications.reviews", params=params, title="bench"
        )
        export = Export.objects.get(pk=export.pk)
        if export.state != "done":
            raise SystemExit(f"the reviews export did not build: {export.error}")
        return export

    with translation.override("fi"):
        for _i in range(2):
            build()
        with CaptureQueriesContext(connection) as queries:
            build()
        durations = [build().duration_ms / 1000 for _i in range(samples)]
        last = Export.objects.filter(kind="applications.reviews").first()
    with last.file.open("rb") as handle:
        content = handle.read()
    return {
        "times": {"export": durations},
        "queries": len(queries.captured_queries),
        "bytes": len(content),
        "content": content,
    }


def check_export(content: bytes) -> tuple[int, int]:
    """Lines of the workbook below its header, and the number of header cells."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        sheet = workbook.active
        lines = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    return len(lines) - 1, len(lines[0]) if lines else 0


# --- main ------------------------------------------------------------------------------------


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="soske-bench-ranking-"))
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
        from django.urls import reverse
        from django.utils import timezone

        call_command("migrate", verbosity=0, interactive=False)
        t = time.monotonic()
        world = prepare(args, rng)
        analyze_database()
        print(
            f"prepared {world['applications']} applications, {world['reviews']} reviews, "
            f"{world['scores']} scores, {world['decisions']} decisions, {world['interviews']} "
            f"interviews in {time.monotonic() - t:.1f} s",
            flush=True,
        )
        facts = server_facts(args)
        cookies = world["cookies"]
        ranking_url = reverse("staff:ranking", args=[world["cohort_id"]])

        server = Gunicorn(args, env, work / "gunicorn.log")
        server.wait_ready()
        print(f"gunicorn on {HOST}:{server.port}, {args.workers} sync workers", flush=True)

        failures = []
        figures = {"data": {k: v for k, v in world.items() if k != "cookies"}}
        deadline = time.monotonic() + args.budget
        healthz = ("/healthz/", {})
        try:
            t = time.monotonic()
            board = rounds(
                server.port,
                {"healthz": healthz, "ranking": (ranking_url, cookies)},
                warmup=args.warmup,
                samples=args.samples,
                deadline=deadline,
            )
            print(f"ranking: {args.samples} rounds in {time.monotonic() - t:.1f} s", flush=True)
        except OutOfTime as exc:
            raise SystemExit(str(exc)) from None

        rows_listed = board["bodies"]["ranking"].count('id="row-')
        figures["ranking"] = {
            "healthz": summary(board["times"], "healthz"),
            "ranking": summary(board["times"], "ranking"),
            "bytes": len(board["bodies"]["ranking"].encode()),
            "rows_listed": rows_listed,
        }
        t = time.monotonic()
        export_local = export_builds(world, args.export_samples)
        print(f"export: {args.export_samples} builds in {time.monotonic() - t:.1f} s", flush=True)
        figures["export"] = {"export": summary(export_local.pop("times"), "export")}

        ranking_local = in_process(ranking_url, cookies)
        lines, columns = check_export(export_local.pop("content"))
        ranking_local.pop("content")
        figures["ranking"]["in_process"] = ranking_local
        figures["export"]["in_process"] = export_local
        figures["export"]["lines"] = lines

        tracebacks, endings = server.log_problems()
        figures["server_tracebacks"] = tracebacks
        figures["server_exceptions"] = endings[:10]
        if tracebacks:
            kept = Path(tempfile.gettempdir()) / f"soske-bench-ranking-{int(time.time())}.log"
            shutil.copyfile(server.log_path, kept)
            print(f"  {tracebacks} tracebacks in the gunicorn log, kept as {kept}")

        expect = [
            (
                f"the board lists all {world['applications']} applications",
                rows_listed == world["applications"],
            ),
            (
                f"the export has one line per review ({world['reviews']}) and "
                f"{3 + 2 * world['criteria'] + 3} columns",
                lines == world["reviews"] and columns == 3 + 2 * world["criteria"] + 3,
            ),
            (
                f"the board makes at most {MAX_QUERIES} queries (no N+1)",
                0 < ranking_local["queries"] <= MAX_QUERIES,
            ),
            (
                f"the export's start and build make at most {MAX_QUERIES} queries (no N+1)",
                0 < export_local["queries"] <= MAX_QUERIES,
            ),
            ("no tracebacks in the server log", tracebacks == 0),
        ]
        print("checks:")
        for label, ok in expect:
            print(f"  [{'ok' if ok else 'FAIL'}] {label}")
            if not ok:
                failures.append(label)

        figures["machine"] = machine_facts(server, load_before, facts)
        figures["date"] = timezone.now().isoformat(timespec="seconds")
        figures["duration_s"] = round(time.monotonic() - started, 1)
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
        print(f"FAILED: {'; '.join(failures)}")
        return 1
    print("all checks passed")
    return 0


def report(f):
    print()
    print(
        f"{'page':<10} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'min ms':>8} {'max ms':>8} "
        f"{'x healthz':>10} {'queries':>8} {'peak MiB':>9} {'bytes':>9}"
    )
    for section, name in (("ranking", "healthz"), ("ranking", "ranking")):
        s = f[section][name]
        local = f[section].get("in_process", {}) if name != "healthz" else {}
        size = f["ranking"]["bytes"] if name == "ranking" else local.get("bytes", 2)
        print(
            f"{name:<10} {s['n']:>4} {s['median_ms']:>10} {s['p95_ms']:>8} {s['min_ms']:>8} "
            f"{s['max_ms']:>8} {s['ratio_to_healthz']:>10} {local.get('queries', 0):>8} "
            f"{local.get('peak_mib', '-'):>9} {size:>9}"
        )
    e = f["export"]
    print(
        f"in-process (median of 3, no tracemalloc): ranking "
        f"{f['ranking']['in_process']['untraced_median_of_3_ms']} ms; the reviews export built "
        f"as the worker builds it: median {e['export']['median_ms']} ms of {e['export']['n']} "
        f"(p95 {e['export']['p95_ms']}), {e['in_process']['queries']} queries, "
        f"{e['in_process']['bytes']} bytes"
    )
    m = f["machine"]
    print(f"load average before/after: {m['loadavg_1_5_15_before']} / {m['loadavg_1_5_15_after']}")


if __name__ == "__main__":
    sys.exit(main())
