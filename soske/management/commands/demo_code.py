from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from soske.users.mfa import DEMO_TOTP_SECRET, totp_code, totp_secret_of
from soske.users.models import User


class Command(BaseCommand):
    help = (
        "Print the current authenticator-app code of a demo staff account "
        "(the demo's accounts share a known secret; refused in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_code is for the demo only (SOSKE_ENV=production).")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account {email}.")
        secret = totp_secret_of(user)
        if secret is None:
            raise CommandError(f"{email} has no authenticator app.")
        if secret != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} has an authenticator app of its own, not the demo's.")
        self.stdout.write(totp_code(secret))
