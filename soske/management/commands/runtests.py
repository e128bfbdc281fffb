import argparse
import os
import shutil
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

CHROMIUM = "/usr/bin/chromium"


def pytest_args(argv):
    """Every argument after `runtests` goes to pytest as it is, options included
    (`runtests tests/applications -x`); a first `--` is dropped, as it used to be needed."""
    args = list(argv)
    if "--" in args:
        args.remove("--")
    return args


class Command(BaseCommand):
    help = "Run the whole test suite (pytest); every argument goes to pytest."

    def add_arguments(self, parser):
        parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="pytest's arguments")

    def run_from_argv(self, argv):
        # Django's parser would claim pytest's options (-x, -k, -v, -p …) as its own or
        # refuse them; none of its own options matter here (--settings and --pythonpath
        # are read by manage.py before this), so the whole rest is pytest's.
        options = vars(self.create_parser(argv[0], argv[1]).parse_args([]))
        options["pytest_args"] = pytest_args(argv[2:])
        self.execute(**options)

    def handle(self, *args, **options):
        self._ensure_chromium()
        call_command("compilemessages", verbosity=0, ignore=[".venv"])
        env = {**os.environ, "SOSKE_BOOTSTRAP": "0"}
        code = subprocess.call(  # noqa: S603
            [sys.executable, "-m", "pytest", *options["pytest_args"]], env=env
        )
        if code == 5:
            self.stderr.write("pytest collected no tests: that is a failure here.")
            code = 1
        sys.exit(code)

    def _ensure_chromium(self):
        if os.path.exists(CHROMIUM):
            return
        if shutil.which("apt-get") and os.geteuid() == 0:
            self.stdout.write("Installing Debian's chromium for the browser tests ...")
            subprocess.call(["apt-get", "update", "-qq"])
            subprocess.call(
                ["apt-get", "install", "-y", "-qq", "chromium", "gettext", "fonts-dejavu-core"],
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        if not os.path.exists(CHROMIUM):
            self.stderr.write(
                "Chromium is missing (/usr/bin/chromium): install Debian's 'chromium' package. "
                "The browser tests are skipped locally and fail in CI."
            )
