"""Production settings are safe, and every page runs under a strict Content Security Policy."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
SETUP = "import django; django.setup(); print('started')"
CHOSEN_HERE = {"SECRET_KEY", "SOSKE_ENV", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}


def _env(**extra):
    env = {key: value for key, value in os.environ.items() if key not in CHOSEN_HERE}
    env["DJANGO_SETTINGS_MODULE"] = "soske.settings"
    env["SOSKE_BOOTSTRAP"] = "0"  # manage.py must not (re)install the virtualenv mid-test
    env.update(extra)
    return env


def _run(args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _run(["-c", SETUP], SOSKE_ENV="production")
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert "SOSKE_ENV=production needs SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "key",
    ["dev-only-insecure-key-change-me", "short-but-set", ""],
    ids=["default", "short", "empty"],
)
def test_production_refuses_a_default_or_weak_secret_key(key):
    result = _run(["-c", SETUP], SOSKE_ENV="production", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SOSKE_ENV=production needs SECRET_KEY" in result.stderr


def test_production_starts_with_a_random_secret_key():
    result = _run(
        ["-c", SETUP + "; from django.conf import settings; print(settings.DEBUG)"],
        SOSKE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="soske.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["started", "False"]


def test_development_starts_with_the_default_key():
    result = _run(["-c", SETUP])
    assert result.returncode == 0, result.stderr


def test_check_deploy_reports_no_warnings_in_production():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SOSKE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="soske.example,www.soske.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


# --- Content Security Policy -----------------------------------------------------


def _directives(header):
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize(
    "url_name", ["cohorts:home", "account_login", "privacy", "accessibility", "account_signup"]
)
def test_public_pages_have_a_strict_csp(anonymous, cohort, url_name):
    response = anonymous.get(reverse(url_name))
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    directives = _directives(header)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_signed_in_pages_have_a_strict_csp(coordinator_client, applicant_client, draft):
    for client, url in (
        (coordinator_client, reverse("staff:applications")),
        (coordinator_client, reverse("cohorts:list")),
        (applicant_client, reverse("applications:mine")),
        (applicant_client, reverse("applications:review", args=[draft.pk])),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = _directives(response["Content-Security-Policy"])
        assert directives["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


# --- Templates hold no inline script -----------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
EVENT_ATTRIBUTE = re.compile(r"""[\s"'/]on[a-z]+\s*=""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
DATA_BLOCK = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)


def _template_files():
    roots = [BASE_DIR / "templates"]
    roots += [path for path in BASE_DIR.glob("*/templates") if ".venv" not in path.parts]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg", ".js"}:
                yield path


def test_there_are_templates_to_scan():
    names = {path.relative_to(BASE_DIR).as_posix() for path in _template_files()}
    assert "templates/base.html" in names
    assert len(names) > 20


def test_no_template_has_an_inline_script():
    found = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for match in SCRIPT.finditer(text):
            attributes, content = match.groups()
            if content.strip() and not DATA_BLOCK.search(attributes):
                found.append(f"{path.relative_to(BASE_DIR)}: {match.group(0)[:80]!r}")
    assert found == []


def test_no_template_has_an_event_handler_attribute_or_javascript_url():
    found = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for tag in TAG.finditer(text):
            # Template tags inside an HTML tag are not attributes.
            html = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", tag.group(0), flags=re.DOTALL)
            if EVENT_ATTRIBUTE.search(html) or JAVASCRIPT_URL.search(html):
                found.append(f"{path.relative_to(BASE_DIR)}: {tag.group(0)[:100]!r}")
    assert found == []


def test_the_scanner_finds_what_it_looks_for():
    """The two scans above would catch the things they forbid."""
    bad = '<button onclick="go()">x</button><script>alert(1)</script><a href="javascript:x">'
    assert any(SCRIPT.finditer(bad))
    assert any(EVENT_ATTRIBUTE.search(t.group(0)) for t in TAG.finditer(bad))
    assert any(JAVASCRIPT_URL.search(t.group(0)) for t in TAG.finditer(bad))
    good = '<script src="/static/js/soske.js" defer></script><a data-online="1" href="/">'
    assert not [m for m in SCRIPT.finditer(good) if m.group(2).strip()]
    assert not any(EVENT_ATTRIBUTE.search(t.group(0)) for t in TAG.finditer(good))


# --- yes/no settings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("1", True), ("true", True), (" Yes ", True), ("ON", True)]
    + [("0", False), ("false", False), ("no", False), ("Off", False), ("", False)],
)
def test_env_bool_reads_the_yes_and_no_words(monkeypatch, value, expected):
    from soske.settings import env_bool

    monkeypatch.setenv("SOSKE_TEST_FLAG", value)
    assert env_bool("SOSKE_TEST_FLAG", default=not expected) is expected


def test_env_bool_without_the_variable_is_the_default(monkeypatch):
    from soske.settings import env_bool

    monkeypatch.delenv("SOSKE_TEST_FLAG", raising=False)
    assert env_bool("SOSKE_TEST_FLAG", default=True) is True
    assert env_bool("SOSKE_TEST_FLAG", default=False) is False


@pytest.mark.parametrize("typo", ["ture", "yes please", "flase", "2"])
def test_env_bool_refuses_a_value_that_is_neither_yes_nor_no(monkeypatch, typo):
    from django.core.exceptions import ImproperlyConfigured

    from soske.settings import env_bool

    monkeypatch.setenv("SOSKE_TEST_FLAG", typo)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("SOSKE_TEST_FLAG")
    assert str(refused.value) == (
        f"SOSKE_TEST_FLAG={typo!r} is not a yes/no value: "
        "use one of 1, true, yes, on or 0, false, no, off."
    )


def test_a_typo_in_a_yes_no_setting_stops_the_start():
    result = _run(["-c", SETUP], SECURE_SSL_REDIRECT="ture", DEBUG="ture")
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured: DEBUG='ture' is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    ("flag", "options"),
    [
        (None, "{'server_side_binding': True, 'prepare_threshold': 5}"),
        ("0", "{}"),
    ],
    ids=["default", "behind-a-pooler"],
)
def test_postgresql_connections_prepare_their_repeated_queries_unless_told_not_to(flag, options):
    extra = {"DATABASE_URL": "postgres://soske@db.invalid:5432/soske"}
    if flag is not None:
        extra["DB_PREPARED_STATEMENTS"] = flag
    script = SETUP + "; from django.conf import settings; print(settings.DATABASES['default'])"
    result = _run(["-c", script], **extra)
    assert result.returncode == 0, result.stderr
    assert f"'OPTIONS': {options}" in result.stdout


@pytest.mark.django_db
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="prepared statements are PostgreSQL's",
)
def test_a_query_run_again_and_again_is_planned_once():
    from django.db import connection

    from soske.users.models import User

    for _ in range(6):
        list(User.objects.filter(email="someone@example.org"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "users_user"' in sql and "$1" in sql for sql in prepared), prepared
