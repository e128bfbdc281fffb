"""Prepare the local virtualenv before Django is imported (standard library only).

`python3 manage.py ...` run outside a virtualenv creates `.venv`, installs the
project with its test extras into it whenever `pyproject.toml` changed, and
re-executes the same command with the virtualenv's Python. Inside a virtualenv,
or with SOSKE_BOOTSTRAP=0 (the Docker image installs into the system Python),
it does nothing.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".soske-installed"
# XStatic-Bootstrap (Bootstrap's own files, from PyPI) ships only an sdist whose
# setup.py imports pkg_resources, which setuptools 81 removed.
BUILD_CONSTRAINTS = "setuptools<81\n"


def _in_virtualenv() -> bool:
    return sys.prefix != sys.base_prefix


def _requirements_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_virtualenv() -> None:
    if os.environ.get("SOSKE_BOOTSTRAP", "1") == "0":
        return
    python = VENV / "bin" / "python"
    if _in_virtualenv():
        if Path(sys.prefix).resolve() == VENV.resolve():
            _install_if_stale(python)
        return
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before any check
        sys.exit("Soske needs Python 3.11 or newer.")
    if not python.exists():
        print("Creating the virtualenv in .venv ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    _install_if_stale(python)
    os.execv(str(python), [str(python), *sys.argv])  # noqa: S606 - re-run in .venv


def _install_if_stale(python: Path) -> None:
    digest = _requirements_digest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    print("Installing Soske and its dependencies into .venv ...", flush=True)
    subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    constraints = VENV / "build-constraints.txt"
    constraints.write_text(BUILD_CONSTRAINTS)
    subprocess.check_call(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--build-constraint",
            str(constraints),
            "-e",
            f"{ROOT}[test]",
        ]
    )
    STAMP.write_text(digest)
