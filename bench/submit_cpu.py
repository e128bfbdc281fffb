#!/usr/bin/env python
"""The CPU time of one submit, in-process: N complete drafts submitted through the test client.

Run by hand, never by the test suite:

    .venv/bin/python bench/submit_cpu.py --redis redis://127.0.0.1:6379/9   # as deployed
    .venv/bin/python bench/submit_cpu.py                                    # eager mail
    .venv/bin/python bench/submit_cpu.py --redis redis://127.0.0.1:6379/9 --profile 20

1. Drops and recreates its own PostgreSQL database (`soske_bench_submit`), migrates it and
   prepares N + warm-up applicants with complete drafts (the data of deadline_rush.py).
2. Each applicant POSTs the review page's submit form once (Django's test client, one
   process, DEBUG off): `time.process_time()` around each POST gives its CPU time (this
   process's: PostgreSQL's own work is not in it), `perf_counter` its wall time. The first
   `--warmup` submits are not counted.
3. With `--redis URL` Celery is not eager: the send task is published to that Redis database
   (flushed before and after; no worker runs) and the outbox rows must hold no rendered text.
   Without it the mail is rendered and "sent" (to a folder) inside the request.
4. Prints the median, p10 and p90 of the CPU and wall times, the SQL queries of one submit,
   the outbox rows; `--profile K` also profiles K more submits with cProfile.
5. Drops the database (unless --keep). Exit status 1 when a submit is not redirected to its
   receipt or a row was rendered in the request with a broker.

Only 127.0.0.1 is contacted; every loop is bounded.
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

import deadline_rush as rush  # noqa: E402 - the bench's own helpers, after the path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--submits", type=int, default=60, help="submits measured")
    parser.add_argument("--warmup", type=int, default=5, help="submits not counted first")
    parser.add_argument("--profile", type=int, default=0, help="then profile K more submits")
    parser.add_argument("--redis", help="redis://127.0.0.1:6379/N: a broker, Celery not eager")
    parser.add_argument("--db", default="soske_bench_submit", help="database (dropped first!)")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument(
        "--no-review-get",
        action="store_true",
        help="POST without opening the review page first (nothing found complete before)",
    )
    parser.add_argument("--profile-out", type=Path, help="also dump the profile (pstats) here")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one submit")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if "bench" not in args.db or not rush.DB_NAME_RE.match(args.db):
        parser.error("--db must be a plain name containing 'bench'")
    if not 1 <= args.submits <= 2000 or not 0 <= args.warmup <= 100 or not 0 <= args.profile <= 200:
        parser.error("--submits in 1..2000, --warmup in 0..100, --profile in 0..200")
    # What deadline_rush's helpers read.
    args.proxy_stamp = False
    args.applicants = args.submits + args.warmup + args.profile
    args.late = 0
    return args


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main():
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="soske-bench-submit-"))
    (work / "mail").mkdir()
    rush.configure_environment(args, work / "mail")
    os.environ["DEBUG"] = "false"
    rush.recreate_database(args)
    rush.flush_redis(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from soske.mail.models import OutgoingEmail
    from soske.mail.services import render_in_task

    failures = []
    try:
        call_command("migrate", verbosity=0, interactive=False)
        people, _coordinator, _cohort = rush.prepare(args)
        rush.analyze_database()
        deferred = render_in_task()
        print(f"{len(people)} complete drafts; mail rendered in the task: {deferred}", flush=True)

        # One client for all: a new one would load the middleware again (WhiteNoise scans
        # the static files), which a server does once per process.
        client = Client(HTTP_HOST=rush.HOST)

        def submit(person, queries=None, profiler=None):
            client.cookies.clear()
            client.cookies["sessionid"] = person.session_key
            url = reverse("applications:review", args=[person.application_id])
            data = {"privacy_consent": "on", "submit_token": secrets.token_urlsafe(16)}
            if not args.no_review_get:
                # As a person does: the review page first (not timed), then the click.
                if client.get(url).status_code != 200:
                    failures.append(f"review page of {person.email}")
            count = contextlib.nullcontext()
            if queries is not None:
                count = connection.execute_wrapper(
                    lambda run, sql, *rest: queries.append(sql) or run(sql, *rest)
                )
            cpu, wall = time.process_time(), time.perf_counter()
            with count:
                if profiler is not None:
                    profiler.enable()  # the POST only, not the review page before it
                response = client.post(url, data)
                if profiler is not None:
                    profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if response.status_code != 302 or "/receipt/" not in response.get("Location", ""):
                failures.append(f"submit of {person.email}: {response.status_code}")
            return cpu, wall

        warm, measured = people[: args.warmup], people[args.warmup : args.warmup + args.submits]
        for person in warm:
            submit(person)
        queries = []
        submit(measured[0], queries)
        if args.sql:
            for sql in queries:
                print("  ", sql[:160])
        times = [submit(person) for person in measured[1:]]
        cpu = [c * 1000 for c, _w in times]
        wall = [w * 1000 for _c, w in times]
        rows = OutgoingEmail.objects.all()
        unrendered = rows.filter(body_text="").count()
        figures = {
            "submits": len(times),
            "review_page_first": not args.no_review_get,
            "mail_in_task": deferred,
            "cpu_ms": {
                "median": round(statistics.median(cpu), 1),
                "p10": round(percentile(cpu, 0.1), 1),
                "p90": round(percentile(cpu, 0.9), 1),
            },
            "wall_ms": {
                "median": round(statistics.median(wall), 1),
                "p10": round(percentile(wall, 0.1), 1),
                "p90": round(percentile(wall, 0.9), 1),
            },
            "queries": len(queries),
            "outbox_rows": rows.count(),
            "outbox_rows_not_rendered": unrendered,
            "loadavg": [round(x, 2) for x in os.getloadavg()],
        }
        if deferred and unrendered != figures["outbox_rows"]:
            failures.append(f"{figures['outbox_rows'] - unrendered} rows rendered in the request")
        print(json.dumps(figures, indent=2), flush=True)
        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU, not wall
            rest = people[args.warmup + args.submits :]
            for person in rest:
                submit(person, profiler=profiler)
            if args.profile_out:
                profiler.dump_stats(args.profile_out)
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(
                rf"{ROOT.parent}/(applications|soske|cohorts)", 40
            )
            stats.sort_stats("tottime").print_stats(25)
            print(out.getvalue())
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        connection.close()
        rush.flush_redis(args)
        if not args.keep:
            rush.drop_database(args)
    for failure in failures[:10]:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
