#!/usr/bin/env python
"""In-process CPU time of the pages of bench/pages.py, and a cProfile of one of them.

Run by hand, never by the test suite:

    .venv/bin/python bench/profile_pages.py --prepare            # recreate soske_bench_profile
    .venv/bin/python bench/profile_pages.py                      # CPU ms medians of every page
    .venv/bin/python bench/profile_pages.py --only "step team" --profile 30
    .venv/bin/python bench/profile_pages.py --only "scoring page" --sql   # its SQL statements

Same data as bench/pages.py (its `prepare`), DEBUG off, the cached template loader (Django's
default without DEBUG), the Django test client against PostgreSQL on 127.0.0.1; the time is
`time.process_time()` around one `client.get`, median of `--samples` after one warm-up.
The database is kept between runs (its name must contain `bench`; `--prepare` drops it).
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages as bench_pages  # noqa: E402
from deadline_rush import (  # noqa: E402
    DB_NAME_RE,
    HOST,
    ROOT,
    UNSET,
    analyze_database,
    recreate_database,
)


def parse_args(argv=None, description=None):
    parser = argparse.ArgumentParser(description=description or __doc__.split("\n", 1)[0])
    parser.add_argument("--db", default="soske_bench_profile", help="database name")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--prepare", action="store_true", help="recreate the database first")
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--only", nargs="*", help="only the pages with these names")
    parser.add_argument("--profile", type=int, help="print this many cProfile lines per page")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--json", type=Path, help="also write the medians to this file")
    parser.add_argument("--sql", action="store_true", help="print each page's SQL statements")
    args = parser.parse_args(argv)
    if not DB_NAME_RE.match(args.db) or "bench" not in args.db:
        parser.error("--db must be a plain lower-case name containing 'bench'")
    args.applications, args.reviewers, args.justification = 200, 3, 300
    args.decisions, args.interviews = 60, 40
    args.seed, args.only_pages = 2026, args.only
    return args


def load(args):
    """Django set up against the profile database (prepared first with --prepare or when it
    was never made): [(name, path, who)] with /healthz/ first, and each persona's cookies."""
    for name in (*UNSET, "REQUEST_START_HEADER"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "soske.settings",
            "DATABASE_URL": f"postgres://{args.pg_user}@{HOST}:{args.pg_port}/{args.db}",
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SOSKE_PROFILE_SECRET", "profile-" + "x" * 50),
            "SITE_URL": "http://127.0.0.1:8000",
            "LOG_LEVEL": "WARNING",
            "SOSKE_BOOTSTRAP": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    state = Path(tempfile.gettempdir()) / f"{args.db}.json"  # the pages and sessions
    if args.prepare:
        recreate_database(args)
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()

    if args.prepare or not state.exists():
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        args.only = None
        pages, cookies, _ = bench_pages.prepare(args, random.Random(args.seed))
        analyze_database()
        state.write_text(
            json.dumps({"pages": [[p.name, p.path, p.who] for p in pages], "cookies": cookies})
        )
    saved = json.loads(state.read_text())
    pages = [("healthz", "/healthz/", "anonymous"), *map(tuple, saved["pages"])]
    if args.only_pages:
        pages = [p for p in pages if p[0] in args.only_pages]
    return pages, saved["cookies"]


def main():
    args = parse_args()
    pages, cookies = load(args)
    from django.test import Client

    results = {}
    for name, path, who in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies.load(cookies[who])
        response = client.get(path)
        if response.status_code != 200:
            print(f"{name} {path}: {response.status_code}")
            continue
        times = []
        for _ in range(args.samples):
            t = time.process_time()
            client.get(path)
            times.append(time.process_time() - t)
        results[name] = round(statistics.median(times) * 1000, 1)
        print(f"{name:<28} {results[name]:>7.1f} ms CPU  {len(response.content) / 1000:.1f} kB")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.profile)
        if args.sql:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            for number, query in enumerate(queries.captured_queries, 1):
                print(f"  {number:>2}. {query['sql'][:400]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
