#!/usr/bin/env python3
"""Django's command-line utility for Soske.

Run with any Python 3.11+: outside a virtualenv it first prepares `.venv`
(see soske/bootstrap.py), so a newcomer needs nothing but this file.
"""

import importlib.util
import os
import sys
from pathlib import Path


def _ensure_virtualenv():
    # Loaded by path: importing the soske package would import Celery first.
    path = Path(__file__).resolve().parent / "soske" / "bootstrap.py"
    spec = importlib.util.spec_from_file_location("soske_bootstrap", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ensure_virtualenv()


def main():
    _ensure_virtualenv()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soske.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
