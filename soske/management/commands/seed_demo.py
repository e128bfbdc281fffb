from django.core.management.base import BaseCommand

from soske.demo.seed import load_demo
from soske.users.mfa import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Load the demo cohorts, organisations, applications and staff users (idempotent)."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password: {result['password']}):")
        for email, role in result["logins"]:
            self.stdout.write(f"  {email:32} {role}")
        self.stdout.write(
            "Staff sign in with a code of an authenticator app too: "
            "`python3 manage.py demo_code <e-mail>` prints the current one "
            f"(or add the secret {DEMO_TOTP_SECRET} to an authenticator app)."
        )
