"""`manage.py runtests` hands every argument to pytest, options included."""

import sys

import pytest

from soske.management.commands import runtests


@pytest.fixture
def pytest_call(monkeypatch):
    """Run the command up to the point where it starts pytest; record pytest's argv."""
    calls = []
    monkeypatch.setattr(runtests.Command, "_ensure_chromium", lambda self: None)
    monkeypatch.setattr(runtests, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(runtests.subprocess, "call", lambda argv, env: calls.append(argv) or 0)

    def run(*args):
        with pytest.raises(SystemExit) as exited:
            runtests.Command().run_from_argv(["manage.py", "runtests", *args])
        assert exited.value.code == 0
        (argv,) = calls
        assert argv[:3] == [sys.executable, "-m", "pytest"]
        return argv[3:]

    return run


def test_the_readme_example_passes_its_option_to_pytest(pytest_call):
    assert pytest_call("tests/applications", "-x") == ["tests/applications", "-x"]


def test_options_before_paths_and_options_with_values_pass_through(pytest_call):
    assert pytest_call("-q", "-x", "-p", "no:randomly", "-k", "outbox", "tests/soske") == [
        "-q",
        "-x",
        "-p",
        "no:randomly",
        "-k",
        "outbox",
        "tests/soske",
    ]


def test_pytest_options_that_django_also_knows_go_to_pytest(pytest_call):
    assert pytest_call("-v", "--traceback") == ["-v", "--traceback"]


def test_the_old_separator_is_still_understood(pytest_call):
    assert pytest_call("--", "-q", "-x") == ["-q", "-x"]


def test_no_arguments_run_the_whole_suite(pytest_call):
    assert pytest_call() == []
