import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Migrate, load the demo data and serve Soske at http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare only.")

    def handle(self, *args, **options):
        # Every link the demo writes (mail, calendar files) points where it serves. The
        # environment carries the address to the child process runserver's reloader starts.
        site_url = f"http://127.0.0.1:{options['port']}"
        settings.SITE_URL = site_url
        os.environ["SITE_URL"] = site_url
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compilemessages", verbosity=0, ignore=[".venv"])
        # The demo's own mails (receipts, invitations) stay in the outbox table instead of
        # flooding the terminal; mail sent while you use the app is printed as usual.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            call_command("seed_demo")
        if options["no_serve"]:
            return
        self.stdout.write(f"Serving at {site_url}/  (Ctrl+C stops)")
        call_command("runserver", f"127.0.0.1:{options['port']}")
