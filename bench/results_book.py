#!/usr/bin/env python
"""The results book: how long the worker takes and how much memory it needs, for 6 teams
with complete worksheets and for 60 generated teams.

Run by hand, never by the test suite:

    .venv/bin/python bench/results_book.py              # 6 and 60 teams, 5 builds each
    .venv/bin/python bench/results_book.py --teams 6 12 24 --rounds 3
    .venv/bin/python bench/results_book.py --keep       # keep the database

What it does:

1. Drops and recreates its own PostgreSQL database (`soske_bench_book` on 127.0.0.1:5432,
   user postgres) and migrates it.
2. For each size: one cohort with the seed's programme and the seed's assignments, N
   teams (both tracks) whose members submitted every assignment with complete worksheets
   (tests/deliverables/book_world.complete_work), feedback on each development task and
   five peer comments received by each team (one hidden), so every chapter is the same size
   in any cohort.
3. Builds the book 1 + R times in one fresh worker process (`--child`), as a Celery worker
   does: the job's own code (deliverables.book_jobs.book_build) against the database. The
   first build is cold (imports, font loading), the R others warm; the child reports each
   build's time and the process's peak resident memory (getrusage ru_maxrss); the PDF's
   pages and size are read back with pypdf.
4. Prints medians, the time per team, and the ratio of the largest size to the smallest
   (linear growth: the time ratio stays near the ratio of the team counts). Exit 1 when a
   build fails.

Only 127.0.0.1 is contacted; every loop is bounded in count.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
PEERS = 5
HOST = "127.0.0.1"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, nargs="+", default=[6, 60])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", default="soske_bench_book")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # a cohort id
    args = parser.parse_args(argv)
    if "bench" not in args.db:
        parser.error("the database name must contain 'bench'")
    args.rounds = max(1, min(args.rounds, 50))
    args.teams = [max(1, min(n, 200)) for n in args.teams]
    return args


def environment(args, work: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "soske.settings",
        "DATABASE_URL": f"postgres://{args.pg_user}@{HOST}:{args.pg_port}/{args.db}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "EMAIL_FILE_PATH": str(work / "mail"),
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }
    for name in ("REDIS_URL", "EMAIL_URL", "EMAIL_HOST", "SOSKE_ENV"):
        env.pop(name, None)
    return env


def child(cohort_id: int, rounds: int) -> None:
    """Builds in one fresh process, like a Celery worker picking up jobs: the first build
    pays for the imports and the font loading (cold), the others are warm."""
    import resource

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from cohorts.models import Cohort
    from deliverables.book_jobs import book_build
    from deliverables.models import ResultsBook
    from soske import clock

    cohort = Cohort.objects.get(pk=cohort_id)
    coordinator = cohort.activity.first().actor
    for index in range(rounds + 1):
        row = ResultsBook.objects.create(
            cohort=cohort, language="fi", created_by=coordinator, created_at=clock.now()
        )
        started = time.monotonic()
        row = book_build(row.pk)
        elapsed = time.monotonic() - started
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"book": row.pk, "cold": index == 0, "state": row.state,
                          "error": row.error, "seconds": elapsed, "job_ms": row.duration_ms,
                          "peak_mib": peak_kib / 1024}), flush=True)  # fmt: skip


def recreate_database(args, *, drop_only=False):
    import psycopg

    with psycopg.connect(
        host=HOST, port=args.pg_port, user=args.pg_user, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{args.db}"')


def prepare(size: int):
    """A cohort with `size` teams that did all their work; returns (cohort, coordinator)."""
    from datetime import timedelta

    from cohorts.models import Organisation, Team, TeamMembership, Track
    from soske import clock
    from soske.users.models import Role
    from soske.users.roles import grant_role
    from tests.deliverables.book_world import complete_work
    from tests.factories import CohortFactory, UserFactory
    from workshops import programme

    coordinator = UserFactory(email=f"coordinator-{size}@bench.example")
    grant_role(coordinator, Role.COORDINATOR)
    cohort = CohortFactory(name=f"Soske-akatemia, {size} tiimiä", slug=f"bench-{size}")
    kickoff = (clock.helsinki(clock.now()) + timedelta(days=30)).date()
    programme.programme_from_pattern(cohort=cohort, kickoff=kickoff, actor=coordinator)
    pairs = []
    for index in range(size):
        track = Track.EMPLOYMENT if index % 2 == 0 else Track.HUMAN_RIGHTS
        team = Team.objects.create(
            cohort=cohort,
            organisation=Organisation.objects.create(
                name=f"Vertailukunta {index + 1:03d}", business_id=f"{1000000 + index}-{size % 10}"
            ),
            track=track,
            created_at=clock.now(),
        )
        people = []
        for number, role in enumerate(("procurement", "line_of_business", "finance", "lawyer")):
            user = UserFactory(email=f"m{size}-{index}-{number}@bench.example")
            people.append(user)
            TeamMembership.objects.create(
                team=team, name=f"Jäsen {number + 1} / {index + 1}", email=user.email, user=user,
                role=role, token=uuid.uuid4(), invited_at=clock.now(), joined_at=clock.now(),
            )  # fmt: skip
        pairs.append((team, people[0]))
    world = SimpleNamespace(cohort=cohort, members=lambda: pairs)
    # Five peer comments received per team whatever the size, as in a six-team cohort: the
    # chapters stay the same size, so the time should grow with the number of teams only.
    complete_work(world, coordinator=coordinator, peers=PEERS)
    return cohort, coordinator


def main():
    args = parse_args()
    if args.child:
        child(args.child, args.rounds)
        return 0
    work = Path(tempfile.mkdtemp(prefix="soske-bench-book-"))
    env = environment(args, work)
    os.environ.update(env)
    for name in ("REDIS_URL", "EMAIL_URL", "EMAIL_HOST", "SOSKE_ENV"):
        os.environ.pop(name, None)
    failures = []
    figures = {"rounds": args.rounds, "sizes": {}}
    try:
        print(f"database {args.db} on {HOST}:{args.pg_port}: recreate and migrate", flush=True)
        recreate_database(args)
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()
        import pypdf
        from django.core.management import call_command

        from deliverables.models import ResultsBook

        call_command("migrate", verbosity=0, interactive=False)
        for size in args.teams:
            started = time.monotonic()
            cohort, coordinator = prepare(size)
            print(f"{size} teams prepared in {time.monotonic() - started:.1f} s", flush=True)
            output = subprocess.run(
                [sys.executable, __file__, "--child", str(cohort.pk), "--rounds",
                 str(args.rounds)],
                env=env, capture_output=True, text=True, timeout=1800, check=False,
            )  # fmt: skip
            if output.returncode != 0:
                failures.append(f"{size} teams: the worker exited {output.returncode}")
                print(output.stderr[-2000:])
                continue
            results = [json.loads(line) for line in output.stdout.splitlines()
                       if line.startswith("{")]  # fmt: skip
            bad = [r for r in results if r["state"] != "done"]
            if bad:
                failures.append(f"{size} teams: {bad[0]['error']}")
                continue
            cold = results[0]
            runs = results[1:]
            row = ResultsBook.objects.get(pk=runs[-1]["book"])
            with row.file.open("rb") as handle:
                pages = len(pypdf.PdfReader(handle).pages)
            runs[-1]["pages"], runs[-1]["bytes"] = pages, row.size
            if not runs:
                continue
            seconds = statistics.median(r["seconds"] for r in runs)
            figures["sizes"][size] = {
                "median_s": round(seconds, 3),
                "min_s": round(min(r["seconds"] for r in runs), 3),
                "max_s": round(max(r["seconds"] for r in runs), 3),
                "cold_s": round(cold["seconds"], 3),
                "per_team_ms": round(seconds / size * 1000, 1),
                "peak_mib": round(max(r["peak_mib"] for r in results), 1),
                "pages": runs[-1]["pages"],
                "bytes": runs[-1]["bytes"],
            }
            print(f"{size:>4} teams: {json.dumps(figures['sizes'][size])}", flush=True)
        sizes = sorted(figures["sizes"])
        if len(sizes) > 1:
            small, large = figures["sizes"][sizes[0]], figures["sizes"][sizes[-1]]
            figures["ratio_time"] = round(large["median_s"] / small["median_s"], 2)
            figures["ratio_teams"] = round(sizes[-1] / sizes[0], 2)
            print(
                f"time x{figures['ratio_time']} for teams x{figures['ratio_teams']} "
                f"(per team {small['per_team_ms']} ms -> {large['per_team_ms']} ms)"
            )
        figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(args, drop_only=True)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
