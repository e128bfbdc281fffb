#!/usr/bin/env python
"""Deadline rush: 500 applicants submit in the last seconds of the call, against gunicorn.

Run by hand, never by the test suite:

    .venv/bin/python bench/deadline_rush.py            # one run, everything cleaned up after
    .venv/bin/python bench/deadline_rush.py --keep     # keep the database and the mail folder

What it does (see bench/README.md for the figures):

1. Drops and recreates its own PostgreSQL database (`soske_bench` on 127.0.0.1:5432, user
   postgres) and migrates it.
2. Bulk-creates one open cohort, 550 applicant users each with a complete draft (the answers
   of tests/factories.fill_complete), a coordinator, and a signed-in session for every one of
   them (written straight into django_session: no password hashing, no login round trips).
3. Starts gunicorn on a free port of 127.0.0.1 against that database: sync workers,
   2 * cores + 1 of them, no access log, Celery eager (REDIS_URL unset) and mail written to a
   temporary folder (EMAIL_FILE_PATH), so each receipt goes through the outbox and the
   mail backend inside the request, as in the eager development setup.
4. Every applicant opens the review page (GET): that gives the csrftoken cookie, the form's
   CSRF token and the submit_token the server minted for that page.
5. Moves the deadline to the real clock + 15 s. 500 applicants POST the submit form spread
   evenly over the last 10 s before the deadline; 100 of them double-click (a second POST with
   the same submit_token 0-30 ms after the first, on its own connection); 50 more submit
   0.5-3 s after the deadline (after deadline + grace with --grace SECONDS, which sets the
   cohort's grace period).
6. Checks the database and the responses: 500 submitted applications, one version each, no 5xx,
   the late ones refused with the deadline message, both clicks of a double click redirected
   to the same receipt, one receipt e-mail per application in the outbox. Prints latencies,
   accepted submits/s, and how many database sessions waited for a row lock during the rush
   (pg_stat_activity sampled every 50 ms).
7. Moves the deadline a day ahead again (so the form renders editable) and times, in
   interleaved rounds of sequential requests, /healthz/, a form step page and the staff list
   with the 550 applications; reports medians and the ratios to /healthz/, plus the number of
   SQL queries each page makes (counted in-process with the Django test client).
8. Stops gunicorn and drops the database (unless --keep).

Only 127.0.0.1 is contacted. Every loop is bounded in count, every wait in time.
"""

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only host this script ever talks to
DB_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Settings the surrounding shell may have set that would change what is measured.
UNSET = (
    "REDIS_URL",
    "EMAIL_URL",
    "EMAIL_HOST",
    "CELERY_EAGER",
    "SOSKE_ENV",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DB_CONN_MAX_AGE",
    "ACCOUNT_RATE_LIMITS_ENABLED",
    "REQUEST_START_HEADER",
)
# One client thread per POST: a slow server must not delay the later clicks.
MAX_THREADS = 2000
REQUEST_TIMEOUT = 60.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--applicants", type=int, default=500, help="on-time submitters")
    parser.add_argument("--double", type=int, default=100, help="of those, double-clickers")
    parser.add_argument("--late", type=int, default=50, help="submitters after the deadline")
    parser.add_argument("--lead", type=float, default=15.0, help="deadline = now + LEAD seconds")
    parser.add_argument("--window", type=float, default=10.0, help="submit in the last N s")
    parser.add_argument(
        "--grace",
        type=float,
        default=0.0,
        help="the cohort's grace period in seconds (late ones fire after deadline + grace)",
    )
    parser.add_argument("--samples", type=int, default=200, help="sequential requests per page")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (gthread when above 1): a request is taken in, and "
        "its arrival stamped, as soon as a thread is free rather than a whole worker",
    )
    parser.add_argument(
        "--proxy-stamp",
        action="store_true",
        help="send X-Request-Start as a front proxy would and let the app judge arrival by it "
        "(REQUEST_START_HEADER); without it the app stamps a request when a worker takes it",
    )
    parser.add_argument(
        "--redis",
        default="",
        metavar="URL",
        help="queue mail in this Redis database (e.g. redis://127.0.0.1:6379/9) instead of "
        "sending it inside the request; the database is flushed before and after",
    )
    parser.add_argument("--db", default="soske_bench", help="database name (dropped first!)")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the mail folder at the end"
    )
    args = parser.parse_args()
    if not DB_NAME_RE.match(args.db) or "bench" not in args.db:
        parser.error("--db must be a plain lower-case name containing 'bench' (it is dropped)")
    if not 0 <= args.double <= args.applicants or args.applicants + args.late > 5000:
        parser.error("--double must be <= --applicants; at most 5000 applicants in all")
    if not 0 < args.window < args.lead or args.lead > 300 or not 0 <= args.grace <= 600:
        parser.error("need 0 < --window < --lead <= 300 and 0 <= --grace <= 600")
    if not 1 <= args.samples <= 5000 or not 1 <= args.workers <= 64 or not 1 <= args.threads <= 32:
        parser.error("--samples in 1..5000, --workers in 1..64, --threads in 1..32")
    return args


# --- environment, database ---------------------------------------------------------------


def configure_environment(args, mail_dir: Path) -> dict:
    """The same settings for this process and for gunicorn."""
    for name in UNSET:
        os.environ.pop(name, None)
    if args.proxy_stamp:
        global PROXY_STAMP
        PROXY_STAMP = True
        os.environ["REQUEST_START_HEADER"] = "X-Request-Start"
    if args.redis:
        # As in production: mail is queued for a Celery worker (none runs here) instead of
        # being sent inside the request. The outbox rows are what the checks count.
        os.environ["REDIS_URL"] = args.redis
        os.environ["CELERY_EAGER"] = "false"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "soske.settings",
            "DATABASE_URL": f"postgres://{args.pg_user}@{HOST}:{args.pg_port}/{args.db}",
            "EMAIL_FILE_PATH": str(mail_dir),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),  # sessions are signed with it
            "SITE_URL": "http://127.0.0.1:8000",
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore:No directory at:UserWarning",  # no collectstatic here
            "PRIVATE_MEDIA_ROOT": str(mail_dir.parent / "private-media"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    return dict(os.environ)


def complete_answers(i: int) -> dict:
    """The answers of tests/factories.fill_complete that every bench application shares."""

    return {
        "contact_name": "Testi Yhteyshenkilö",
        "contact_title": "Hankinta-asiantuntija",
        "region": "Uusimaa",
        "took_keino_academy": True,
        "strategic_goal": "yes",
        "strategy_text": "Kaupunkistrategia 2030",
        "motivation": "Haluamme kehittää.",
        "development_goals": "Toimintamalli.",
        "resources": "Kaksi päivää kuukaudessa.",
        "manager_name": "Johtaja Testinen",
        "manager_title": "Hankintajohtaja",
        "manager_email": f"johto{i}@bench.example",
        "pilot_subject": "Siivouspalvelut",
        "pilot_value": Decimal("100000"),
        "pilot_timetable": "Kevät",
        "pilot_fit": "Työvoimavaltainen.",
    }


def add_owners_and_teams(applications, owners, now):
    """Each applicant owns their application; each team has the two required roles."""
    from applications.models import ApplicationMember, TeamMember, TeamRole

    ApplicationMember.objects.bulk_create(
        ApplicationMember(application=a, user=u, role=ApplicationMember.Role.OWNER, added_at=now)
        for a, u in zip(applications, owners, strict=True)
    )
    TeamMember.objects.bulk_create(
        member
        for a in applications
        for member in (
            TeamMember(application=a, name="Toimiala Asiantuntija", role=TeamRole.LINE_OF_BUSINESS),
            TeamMember(application=a, name="Hankinta Asiantuntija", role=TeamRole.PROCUREMENT),
        )
    )


def machine_facts(server, load_before, facts) -> dict:
    """What the figures were measured on, for the JSON and the README."""
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "gunicorn": " ".join(server.command[2:]),
        "tree": _git_describe(),
        "loadavg_1_5_15_before": [round(x, 2) for x in load_before],
        "loadavg_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
        **facts,
    }


def stop_server_and_close(server):
    if server is not None:
        server.stop()
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()


def recreate_database(args):
    import psycopg

    with psycopg.connect(
        host=HOST, port=args.pg_port, user=args.pg_user, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')


def analyze_database():
    """Give the planner its statistics once the data is in, as autovacuum would within a
    minute or two in production. Without them (autovacuum is off on some machines, and a
    bulk load outruns it anyway) PostgreSQL guesses table sizes and picks plans no deployed
    database would, e.g. a sequential scan of every score for one application's twelve."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def flush_redis(args):
    """Empty the bench's own Redis database (queued mail tasks), never another one."""
    if not args.redis:
        return
    import redis

    client = redis.Redis.from_url(args.redis)
    if client.connection_pool.connection_kwargs.get("host") not in (HOST, "localhost"):
        raise SystemExit("--redis must point at 127.0.0.1")
    client.flushdb()


def drop_database(args):
    import psycopg

    with psycopg.connect(
        host=HOST, port=args.pg_port, user=args.pg_user, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


def server_facts(args) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW max_connections")
        max_connections = cursor.fetchone()[0]
    return {"postgresql": version, "max_connections": max_connections}


# --- data ----------------------------------------------------------------------------------


def business_ids(count: int):
    from cohorts.validators import business_id_check_digit

    found, body = [], 4000000
    while len(found) < count and body < 9999999:
        check = business_id_check_digit(f"{body:07d}")
        if check is not None:
            found.append(f"{body:07d}-{check}")
        body += 1
    return found


@dataclass
class Person:
    index: int
    user_id: int
    email: str
    application_id: int | None
    session_key: str
    cookies: dict = field(default_factory=dict)
    csrf_token: str = ""
    submit_token: str = ""


def prepare(args) -> tuple[list[Person], Person, int]:
    """One open cohort, applicants with complete drafts, a coordinator, their sessions."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from applications.models import Application
    from applications.steps import completeness_errors
    from cohorts.models import Cohort, Criterion, OrganisationType, Theme, Track
    from cohorts.services import DEFAULT_CRITERIA, DEFAULT_THEMES
    from soske.users.models import Role, User
    from soske.users.roles import ensure_role_groups

    total = args.applicants + args.late
    now = timezone.now()
    backend = "soske.users.backends.AuthenticationBackend"
    unusable = make_password(None)  # nobody signs in with a password here
    with transaction.atomic():
        ensure_role_groups()
        from django.contrib.auth.models import Group

        groups = {g.name: g for g in Group.objects.all()}
        cohort = Cohort.objects.create(
            name="Soske-akatemia (bench)",
            slug="soske-bench",
            call_opens_at=now - timedelta(days=30),
            deadline=now + timedelta(days=1),  # moved to now + lead just before the rush
            interviews_start=(now + timedelta(days=2)).date(),
            interviews_end=(now + timedelta(days=20)).date(),
            selection_date=(now + timedelta(days=25)).date(),
        )
        Criterion.objects.bulk_create(
            Criterion(cohort=cohort, order=i, **data) for i, data in enumerate(DEFAULT_CRITERIA)
        )
        Theme.objects.bulk_create(
            Theme(cohort=cohort, order=i, name_fi=fi, name_sv=sv, name_en=en)
            for i, (fi, sv, en) in enumerate(DEFAULT_THEMES)
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"hakija{i:04d}@bench.example",
                    first_name="Hakija",
                    last_name=f"Numero {i}",
                    language="fi",
                    password=unusable,
                )
                for i in range(total)
            ]
            + [
                User(
                    email="koordinaattori@bench.example",
                    first_name="Kaija",
                    last_name="Koordinaattori",
                    language="fi",
                    password=unusable,
                )
            ]
        )
        applicants, coordinator = users[:-1], users[-1]
        # Staff need a second factor before any page opens (StaffAccountMiddleware); the
        # coordinator's session below stands for one that signed in with it.
        from soske.users.mfa import DEMO_TOTP_SECRET, totp_activate

        totp_activate(user=coordinator, secret=DEMO_TOTP_SECRET)
        Through = User.groups.through
        Through.objects.bulk_create(
            [Through(user_id=u.pk, group_id=groups[Role.APPLICANT].pk) for u in applicants]
            + [Through(user_id=coordinator.pk, group_id=groups[Role.COORDINATOR].pk)]
        )
        ids = business_ids(total)
        applications = Application.objects.bulk_create(
            [
                # the answers of tests/factories.fill_complete, one organisation each
                Application(
                    cohort=cohort,
                    created_by=user,
                    created_at=now,
                    updated_at=now,
                    contact_email=user.email,
                    org_name=f"Testilän kaupunki {i}",
                    business_id=ids[i],
                    org_type=OrganisationType.MUNICIPALITY,
                    track=Track.EMPLOYMENT if i % 2 else Track.HUMAN_RIGHTS,
                    **complete_answers(i),
                )
                for i, user in enumerate(applicants)
            ]
        )
        add_owners_and_teams(applications, applicants, now)
        store = SessionStore()
        people, sessions = [], []
        for i, user in enumerate([*applicants, coordinator]):
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            data = {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": backend,
                "_auth_user_hash": user.get_session_auth_hash(),
            }
            sessions.append(
                Session(
                    session_key=key,
                    session_data=store.encode(data),
                    expire_date=now + timedelta(days=1),
                )
            )
            people.append(
                Person(
                    index=i,
                    user_id=user.pk,
                    email=user.email,
                    application_id=applications[i].pk if i < len(applications) else None,
                    session_key=key,
                    cookies={"sessionid": key},
                )
            )
        Session.objects.bulk_create(sessions)
    sample = Application.objects.get(pk=applications[0].pk)
    problems = completeness_errors(sample)
    if problems:
        raise SystemExit(f"the prepared drafts are not complete: {problems}")
    return people[:-1], people[-1], cohort.pk


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Result:
    status: int  # 0: no response (connection error, timeout)
    elapsed: float
    location: str = ""
    body: str = ""
    cookies: dict = field(default_factory=dict)
    error: str = ""
    sent_at: float = 0.0  # wall clock, time.time()
    queries: str = ""  # X-Soske-Queries, when the server counts them (SOSKE_COUNT_QUERIES)


PROXY_STAMP = False  # set from --proxy-stamp


def fetch(port, method, path, *, cookies=None, form=None, keep_body=True) -> Result:
    headers = {"Host": f"{HOST}:{port}", "User-Agent": "soske-bench"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if form is not None:
        data = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://{HOST}:{port}"
    sent_at = time.time()
    if PROXY_STAMP:
        # What a front proxy does as a request comes in (nginx: X-Request-Start t=$msec).
        headers["X-Request-Start"] = f"t={sent_at:.6f}"
    start = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - start
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return Result(
            status=response.status,
            elapsed=elapsed,
            location=response.headers.get("Location", ""),
            body=raw.decode("utf-8", "replace") if keep_body else "",
            cookies={k: m.value for k, m in jar.items()},
            sent_at=sent_at,
            queries=response.headers.get("X-Soske-Queries", ""),
        )
    except (OSError, http.client.HTTPException) as exc:
        return Result(0, time.perf_counter() - start, error=repr(exc), sent_at=sent_at)
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn in its own process group, stopped by its own pid."""

    def __init__(self, args, env, log_path: Path):
        self.port = free_port()
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "soske.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread" if args.threads > 1 else "sync",
            "--threads",
            str(args.threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            "--error-logfile",
            str(log_path),
        ]  # no --access-logfile: gunicorn writes no access log
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            self.command,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds=30.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see the log")
            if fetch(self.port, "GET", "/healthz/").status == 200:
                return
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz/ within 30 s")

    def stop(self):
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self._log.close()

    def log_problems(self) -> tuple[int, list[str]]:
        """How many tracebacks the server logged, and the distinct last lines of them."""
        if not self.log_path.exists():
            return 0, []
        lines = self.log_path.read_text(errors="replace").splitlines()
        count, endings = 0, []
        for i, line in enumerate(lines):
            if line.startswith("Traceback"):
                count += 1
                j = i + 1
                while j < len(lines) and lines[j].startswith((" ", "\t")):
                    j += 1
                ending = lines[j] if j < len(lines) else line
                if ending not in endings:
                    endings.append(ending)
        return count, endings


# --- the rush --------------------------------------------------------------------------------

INPUT_RE = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
RECEIPT_RE = re.compile(r"/applications/(\d+)/receipt/(\d+)/$")


def hidden_value(html: str, name: str) -> str:
    for tag in INPUT_RE.findall(html):
        if f'name="{name}"' in tag:
            match = re.search(r'value="([^"]*)"', tag)
            if match:
                return unescape(match.group(1))
    return ""


def open_review_pages(port, people, threads) -> list[Result]:
    """GET each review page: the csrftoken cookie, the form's token, the minted submit_token."""

    def one(person):
        result = fetch(
            port, "GET", f"/applications/{person.application_id}/review/", cookies=person.cookies
        )
        if result.status == 200:
            person.cookies.update(result.cookies)
            person.csrf_token = hidden_value(result.body, "csrfmiddlewaretoken")
            person.submit_token = hidden_value(result.body, "submit_token")
        result.body = ""
        return result

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, people))


@dataclass
class Shot:
    kind: str  # "ontime", "second" (the second click of a double click), "late"
    person: Person
    offset: float  # planned send time, seconds relative to the deadline
    result: Result | None = None


def plan(args, people, rng) -> list[Shot]:
    ontime, late = people[: args.applicants], people[args.applicants :]
    order = list(ontime)
    rng.shuffle(order)
    slots = [
        -args.window + (args.window - 0.5) * (i + 0.5) / len(order) for i in range(len(order))
    ]  # evenly over [-window, -0.5 s)
    shots = [Shot("ontime", p, t) for p, t in zip(order, slots, strict=True)]
    for shot in rng.sample(shots[:], args.double):
        shots.append(Shot("second", shot.person, shot.offset + rng.uniform(0.0, 0.030)))
    for i, person in enumerate(late):
        offset = args.grace + 0.5 + 2.5 * (i + 0.5) / max(1, len(late))
        shots.append(Shot("late", person, offset))
    shots.sort(key=lambda s: s.offset)
    return shots


def rush(port, shots, deadline_ts: float, budget: float):
    """Fire every shot at its planned moment; bounded by `budget` seconds in all."""

    def fire(shot: Shot):
        delay = deadline_ts + shot.offset - time.time()
        if delay > 0:
            time.sleep(delay)
        person = shot.person
        shot.result = fetch(
            port,
            "POST",
            f"/applications/{person.application_id}/review/",
            cookies=person.cookies,
            form={
                "csrfmiddlewaretoken": person.csrf_token,
                "submit_token": person.submit_token,
                "privacy_consent": "on",
            },
        )

    pool = ThreadPoolExecutor(max_workers=min(MAX_THREADS, len(shots)))
    futures = [pool.submit(fire, shot) for shot in shots]
    done, pending = wait(futures, timeout=budget)
    for future in pending:
        future.cancel()
    pool.shutdown(wait=False, cancel_futures=True)
    return len(pending)


class LockSampler(threading.Thread):
    """Every 50 ms during the rush: how many of the server's database sessions run a query,
    and how many of those wait for a row lock held by another transaction."""

    def __init__(self, args, *, max_seconds: float):
        super().__init__(daemon=True)
        self.args = args
        self.max_samples = int(max_seconds / 0.05)
        self.samples: list[tuple[int, int]] = []
        self._stop_event = threading.Event()

    def run(self):
        import psycopg

        query = (
            "SELECT count(*) FILTER (WHERE state = 'active'),"
            " count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')"
            " FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        )
        with psycopg.connect(
            host=HOST,
            port=self.args.pg_port,
            user=self.args.pg_user,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            while len(self.samples) < self.max_samples and not self._stop_event.is_set():
                self.samples.append(conn.execute(query, (self.args.db,)).fetchone())
                self._stop_event.wait(0.05)

    def stop(self):
        self._stop_event.set()
        self.join(timeout=5)

    def summary(self) -> dict:
        busy = [(a, w) for a, w in self.samples if a]  # samples with any query running
        if not busy:
            return {"samples": len(self.samples)}
        return {
            "samples": len(self.samples),
            "busy_samples": len(busy),
            "mean_active": round(statistics.mean(a for a, _w in busy), 2),
            "mean_waiting_for_lock": round(statistics.mean(w for _a, w in busy), 2),
            "share_of_active_waiting_for_lock": round(
                sum(w for _a, w in busy) / sum(a for a, _w in busy), 2
            ),
        }


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def ms(seconds):
    return round(seconds * 1000, 1)


# --- checks ----------------------------------------------------------------------------------


def deadline_message() -> tuple[str, str]:
    """The refusal text as the server renders it, in the applicants' language (fi)."""
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.translation import gettext

    with translation.override("fi"):
        text = gettext(
            "The application period has ended. The application can no longer be changed."
        )
    return text, str(escape(text))


def verify(args, shots, cohort_id, deadline, mail_dir: Path) -> tuple[dict, list[str]]:
    from django.db.models import Count

    from applications.models import Application, ApplicationVersion, Status
    from soske.mail.models import OutgoingEmail

    deadline_ts = deadline.timestamp()
    results = [s.result for s in shots if s.result is not None]
    unanswered = [s for s in shots if s.result is None or s.result.status == 0]
    server_errors = [s for s in shots if s.result and s.result.status >= 500]
    by_kind = {k: [s for s in shots if s.kind == k] for k in ("ontime", "second", "late")}
    _text, html_text = deadline_message()

    def receipt_of(shot):
        r = shot.result
        match = RECEIPT_RE.search(r.location) if r and r.status == 302 else None
        return match and (int(match.group(1)), int(match.group(2)))

    def refused(shot):
        r = shot.result
        return bool(r and r.status == 200 and html_text in r.body)

    ontime_ok = [s for s in by_kind["ontime"] if receipt_of(s) == (s.person.application_id, 1)]
    ontime_refused = [s for s in by_kind["ontime"] if refused(s)]
    late_refused = [s for s in by_kind["late"] if refused(s)]
    first_click = {s.person.index: s for s in by_kind["ontime"]}
    doubles = {"same_receipt": 0, "both_refused": 0, "mixed": 0, "other": 0}
    for second in by_kind["second"]:
        first = first_click[second.person.index]
        if receipt_of(second) and receipt_of(second) == receipt_of(first):
            doubles["same_receipt"] += 1
        elif refused(first) and refused(second):
            doubles["both_refused"] += 1
        elif (receipt_of(first) and refused(second)) or (refused(first) and receipt_of(second)):
            doubles["mixed"] += 1  # one click got the receipt, the other the refusal
        else:
            doubles["other"] += 1

    apps = Application.objects.filter(cohort_id=cohort_id).annotate(n=Count("versions"))
    submitted = apps.filter(status=Status.SUBMITTED).count()
    multi = apps.filter(n__gt=1).count()
    submitted_wrong = apps.filter(status=Status.SUBMITTED).exclude(n=1).count()
    late_ids = [s.person.application_id for s in by_kind["late"]]
    late_submitted = Application.objects.filter(pk__in=late_ids, status=Status.SUBMITTED).count()
    versions = ApplicationVersion.objects.filter(application__cohort_id=cohort_id)
    version_rows = list(versions.values_list("pk", "application_id", "submitted_at"))
    version_app = {pk: app for pk, app, _at in version_rows}
    receipts = OutgoingEmail.objects.filter(key__startswith="application-receipt:")
    per_app = _count(
        version_app.get(int(k.split(":")[1])) for k in receipts.values_list("key", flat=True)
    )
    one_receipt = sum(1 for app, n in per_app.items() if app is not None and n == 1)
    receipt_statuses = dict(
        receipts.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    commitment_requests = OutgoingEmail.objects.filter(
        key__startswith="commitment-request:"
    ).count()
    separator = "-" * 79
    mails_written = sum(
        path.read_text(errors="replace").count("\n" + separator + "\n")
        for path in mail_dir.glob("*.log")
    )

    # From the click to the version's submitted_at (the arrival stamp, or the commit moment
    # in trees that store clock.now()): how long the request queued before a worker took it.
    sent = {s.person.application_id: s.result.sent_at for s in by_kind["ontime"] if s.result}
    lag = [at.timestamp() - sent[app] for _pk, app, at in version_rows if app in sent]
    stamps = sorted(at.timestamp() for _pk, _app, at in version_rows)
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else None
    submit_latency = [
        s.result.elapsed
        for s in by_kind["ontime"] + by_kind["second"]
        if s.result and s.result.status
    ]
    late_latency = [s.result.elapsed for s in by_kind["late"] if s.result and s.result.status]
    send_skew = [s.result.sent_at - (deadline_ts + s.offset) for s in shots if s.result]
    refused_sent = sorted(s.result.sent_at - deadline_ts for s in ontime_refused)

    figures = {
        "requests": len(shots),
        "unanswered": len(unanswered),
        "server_errors_5xx": len(server_errors),
        "statuses": {str(k): v for k, v in sorted(_count(r.status for r in results).items())},
        "submitted_applications": submitted,
        "accepted_first_clicks": len(ontime_ok),
        "ontime_refused_with_deadline_message": len(ontime_refused),
        "ontime_refused_sent_s_before_deadline": (
            {"earliest": round(refused_sent[0], 2), "latest": round(refused_sent[-1], 2)}
            if refused_sent
            else {}
        ),
        "applications_with_more_than_one_version": multi,
        "submitted_without_exactly_one_version": submitted_wrong,
        "versions": len(version_rows),
        "late_refused_with_message": len(late_refused),
        "late_submitted": late_submitted,
        "double_clicks": doubles,
        "receipt_emails": receipts.count(),
        "applications_with_one_receipt": one_receipt,
        "receipt_statuses": receipt_statuses,
        "commitment_request_emails": commitment_requests,
        "mails_written_by_backend": mails_written,
        "accepted_submits_per_s": None if rate is None else round(rate, 1),
        "submit_latency_ms": _latency(submit_latency),
        "late_latency_ms": _latency(late_latency),
        "click_to_stored_ms": _latency(lag),
        "last_accepted_vs_deadline_s": round(stamps[-1] - deadline_ts, 3) if stamps else None,
        "client_send_skew_max_ms": ms(max(send_skew)) if send_skew else None,
    }

    expect = [
        ("no unanswered requests", not unanswered),
        ("0 server errors (5xx)", not server_errors),
        (f"exactly {args.applicants} submitted applications", submitted == args.applicants),
        ("no application with more than one version", multi == 0),
        ("each submitted application has exactly one version", submitted_wrong == 0),
        (
            f"{args.late} late ones refused with the deadline message",
            len(late_refused) == args.late and late_submitted == 0,
        ),
        (
            f"{args.double} double clicks land on the same receipt",
            doubles["same_receipt"] == args.double,
        ),
        (
            f"{args.applicants} receipt e-mails, one per application",
            receipts.count() == args.applicants and one_receipt == args.applicants,
        ),
    ]
    failures = []
    for label, ok in expect:
        print(f"  [{'ok' if ok else 'FAIL'}] {label}")
        if not ok:
            failures.append(label)
    if ontime_refused:
        print(
            f"  note: {len(ontime_refused)} clicks sent {-refused_sent[-1]:.2f}-"
            f"{-refused_sent[0]:.2f} s before the deadline were refused: the server "
            "stamps arrival when a worker picks the request up, after it queued"
        )
    if doubles["mixed"] or doubles["other"]:
        print(f"  note: double clicks {doubles}")
    for s in (unanswered + server_errors)[:5]:
        print(
            f"    e.g. {s.kind} #{s.person.index}: {s.result and s.result.status} "
            f"{s.result and s.result.error}"
        )
    return figures, failures


def _count(items):
    counts = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def _latency(values):
    if not values:
        return {}
    return {
        "n": len(values),
        "p50": ms(percentile(values, 50)),
        "p95": ms(percentile(values, 95)),
        "p99": ms(percentile(values, 99)),
        "max": ms(max(values)),
    }


# --- page timings ----------------------------------------------------------------------------


def page_timings(args, port, people, coordinator) -> dict:
    """Interleaved rounds of sequential requests: /healthz/, a step page, the staff list."""
    steppers = people[:50]
    pages = {
        "healthz": lambda i: ("/healthz/", {}),
        "step": lambda i: (
            f"/applications/{steppers[i % len(steppers)].application_id}/step/organisation/",
            steppers[i % len(steppers)].cookies,
        ),
        "staff_list": lambda i: ("/staff/applications/", coordinator.cookies),
    }
    times = {name: [] for name in pages}
    sizes = {}
    for i in range(10 + args.samples):  # 10 warm-up rounds, not counted
        for name, target in pages.items():
            path, cookies = target(i)
            result = fetch(port, "GET", path, cookies=cookies)
            if result.status != 200:
                raise SystemExit(f"{path} answered {result.status} {result.error}")
            sizes[name] = len(result.body.encode())
            if i >= 10:
                times[name].append(result.elapsed)
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        name: {
            "median_ms": ms(medians[name]),
            "p90_ms": ms(percentile(times[name], 90)),
            "ratio_to_healthz": round(medians[name] / medians["healthz"], 1),
            "bytes": sizes[name],
            "queries": query_count(target(0)),
        }
        for name, target in pages.items()
    }


def query_count(target) -> int:
    """SQL queries of one request, counted in-process with the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path, cookies = target
    client = Client(HTTP_HOST=HOST)
    for name, value in cookies.items():
        client.cookies[name] = value
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        return -1
    return len(queries)


# --- main ------------------------------------------------------------------------------------


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="soske-bench-"))
    mail_dir = work / "mail"
    mail_dir.mkdir()
    env = configure_environment(args, mail_dir)
    server = None
    failures = ["did not finish"]
    started = time.monotonic()
    load_before = os.getloadavg()
    try:
        print(f"database {args.db} on {HOST}:{args.pg_port}: recreate and migrate", flush=True)
        recreate_database(args)
        flush_redis(args)
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from cohorts.models import Cohort

        call_command("migrate", verbosity=0, interactive=False)
        t = time.monotonic()
        people, coordinator, cohort_id = prepare(args)
        analyze_database()
        print(
            f"prepared {len(people)} complete drafts and sessions in {time.monotonic() - t:.1f} s",
            flush=True,
        )
        facts = server_facts(args)

        server = Gunicorn(args, env, work / "gunicorn.log")
        server.wait_ready()
        print(
            f"gunicorn on {HOST}:{server.port}, {args.workers} workers × {args.threads} threads",
            flush=True,
        )

        t = time.monotonic()
        pages = open_review_pages(server.port, people, threads=2 * args.workers)
        bad = [r for r in pages if r.status != 200]
        missing = [
            p for p in people if not (p.csrf_token and p.submit_token and "csrftoken" in p.cookies)
        ]
        if bad or missing:
            raise SystemExit(
                f"review pages: {len(bad)} not 200, {len(missing)} without tokens ({bad[:1]})"
            )
        print(
            f"opened {len(pages)} review pages in {time.monotonic() - t:.1f} s "
            f"(median {ms(statistics.median(r.elapsed for r in pages))} ms)",
            flush=True,
        )

        shots = plan(args, people, rng)
        deadline = timezone.now() + timedelta(seconds=args.lead)
        Cohort.objects.filter(pk=cohort_id).update(
            deadline=deadline, grace=timedelta(seconds=args.grace)
        )
        deadline_ts = deadline.timestamp()
        print(
            f"deadline set to {deadline.isoformat(timespec='milliseconds')} "
            f"(now + {args.lead:.0f} s, grace {args.grace:.0f} s); {len(shots)} POSTs from "
            f"deadline - {args.window:.0f} s",
            flush=True,
        )
        budget = args.lead + args.grace + 3.0 + 2 * REQUEST_TIMEOUT
        sampler = LockSampler(args, max_seconds=budget)
        sampler.start()
        try:
            pending = rush(server.port, shots, deadline_ts, budget)
        finally:
            sampler.stop()
        if pending:
            print(f"  {pending} POSTs still pending after {budget:.0f} s; abandoned")
        print(f"rush over {time.time() - deadline_ts:+.1f} s after the deadline", flush=True)

        print("checks:")
        figures, failures = verify(args, shots, cohort_id, deadline, mail_dir)
        figures["db_backends_during_rush"] = sampler.summary()

        Cohort.objects.filter(pk=cohort_id).update(deadline=timezone.now() + timedelta(days=1))
        t = time.monotonic()
        figures["pages"] = page_timings(args, server.port, people, coordinator)
        print(f"page timings: {args.samples} rounds in {time.monotonic() - t:.1f} s")
        tracebacks, endings = server.log_problems()
        figures["server_tracebacks"] = tracebacks
        figures["server_exceptions"] = endings[:10]
        if tracebacks:
            kept = Path(tempfile.gettempdir()) / f"soske-bench-gunicorn-{int(time.time())}.log"
            shutil.copyfile(server.log_path, kept)
            print(f"  {tracebacks} tracebacks in the gunicorn log, kept as {kept}:")
            for line in endings[:10]:
                print(f"    {line}")
        figures["machine"] = machine_facts(server, load_before, facts)
        figures["date"] = timezone.now().isoformat(timespec="seconds")
        figures["duration_s"] = round(time.monotonic() - started, 1)
        report(figures)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    finally:
        stop_server_and_close(server)
        if args.keep:
            print(f"kept: database {args.db}, mail and gunicorn log in {work}")
        else:
            with contextlib.suppress(Exception):
                drop_database(args)
            shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(Exception):
            flush_redis(args)
    if failures:
        print(f"FAILED: {'; '.join(failures)}")
        return 1
    print("all checks passed")
    return 0


def _git_describe() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return out.stdout.strip() or "?"


def report(f):
    def row(label, value):
        print(f"{label:<28} {value}")

    def pct(d):
        return f"p50 {d.get('p50')}  p95 {d.get('p95')}  p99 {d.get('p99')}  max {d.get('max')}"

    print()
    row("submitted applications", f["submitted_applications"])
    row(
        "versions",
        f"{f['versions']} ({f['applications_with_more_than_one_version']} "
        "applications with more than one)",
    )
    row("server errors (5xx)", f"{f['server_errors_5xx']}  statuses {f['statuses']}")
    row(
        "late ones refused",
        f"{f['late_refused_with_message']} with the deadline message, "
        f"{f['late_submitted']} submitted",
    )
    row(
        "on-time clicks refused",
        f"{f['ontime_refused_with_deadline_message']} "
        f"{f['ontime_refused_sent_s_before_deadline'] or ''}",
    )
    row("double clicks", f["double_clicks"])
    row(
        "receipt e-mails",
        f"{f['receipt_emails']} {f['receipt_statuses']}; "
        f"{f['applications_with_one_receipt']} applications with exactly one",
    )
    row(
        "other mail",
        f"{f['commitment_request_emails']} commitment requests; "
        f"{f['mails_written_by_backend']} messages written by the mail backend",
    )
    row(
        "submit latency (ms)",
        f"{pct(f['submit_latency_ms'])}  (n={f['submit_latency_ms'].get('n')})",
    )
    row("late refusal latency (ms)", pct(f["late_latency_ms"]))
    row("click -> submitted_at (ms)", pct(f["click_to_stored_ms"]))
    row(
        "accepted submits/s",
        f"{f['accepted_submits_per_s']}; last accepted "
        f"{f['last_accepted_vs_deadline_s']} s after the deadline",
    )
    row("client send skew max (ms)", f["client_send_skew_max_ms"])
    row("db sessions during the rush", f["db_backends_during_rush"])
    m = f["machine"]
    row("load average before/after", f"{m['loadavg_1_5_15_before']} / {m['loadavg_1_5_15_after']}")
    print()
    print(
        f"{'page':<12} {'median ms':>10} {'p90 ms':>8} {'x healthz':>10} {'bytes':>8} "
        f"{'queries':>8}"
    )
    for name, p in f["pages"].items():
        print(
            f"{name:<12} {p['median_ms']:>10} {p['p90_ms']:>8} {p['ratio_to_healthz']:>10} "
            f"{p['bytes']:>8} {p['queries']:>8}"
        )


if __name__ == "__main__":
    sys.exit(main())
