"""The demo on another port: every link it writes (mail, calendar) points to that port."""

import os

from soske.management.commands import demo


def test_the_demo_site_url_follows_the_port_it_serves_on(monkeypatch, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    seen = []

    def fake_call_command(name, *args, **kwargs):
        seen.append((name, settings.SITE_URL))

    monkeypatch.setattr(demo, "call_command", fake_call_command)
    monkeypatch.setenv("SITE_URL", "")  # so that the test's end restores the environment
    monkeypatch.delenv("SITE_URL")
    demo.Command().run_from_argv(["manage.py", "demo", "--port", "8103"])

    assert seen == [
        ("migrate", "http://127.0.0.1:8103"),
        ("compilemessages", "http://127.0.0.1:8103"),
        ("seed_demo", "http://127.0.0.1:8103"),
        ("runserver", "http://127.0.0.1:8103"),
    ]


def test_the_demo_child_process_started_by_the_reloader_gets_the_same_address(
    monkeypatch, settings
):
    """runserver's reloader starts the command again in a child process: the address goes
    with it in the environment."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    monkeypatch.setattr(demo, "call_command", lambda *a, **k: None)
    monkeypatch.setenv("SITE_URL", "")  # so that the test's end restores the environment
    monkeypatch.delenv("SITE_URL")
    demo.Command().run_from_argv(["manage.py", "demo", "--port", "8103", "--no-serve"])
    assert os.environ["SITE_URL"] == "http://127.0.0.1:8103"
    assert settings.SITE_URL == "http://127.0.0.1:8103"
