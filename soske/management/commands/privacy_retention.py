from django.core.management.base import BaseCommand

from soske.privacy import services


class Command(BaseCommand):
    help = (
        "Show what the retention periods let go now (a dry run); with --run, remove it "
        "and record the run, as the nightly job does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true", help="Remove the data (no dry run).")

    def handle(self, *args, **options):
        if options["run"]:
            run = services.retention_run(actor=None)
            for item in run.items:
                self.stdout.write(f"{item['label']}: {item['counts']}")
            self.stdout.write(self.style.SUCCESS(f"Removed: {run.counts}"))
            return
        items = services.retention_plan()
        for item in items:
            self.stdout.write(f"{item.label}: {item.counts}")
        self.stdout.write(f"Would remove: {services.retention_totals(items)} (dry run)")
