from django.core.management.base import BaseCommand

from responses import report_due_dates


class Command(BaseCommand):
    help = (
        "Recompute each report's earliest open due date (the reports list's 'has overdue' filter) where it "
        "differs from its letters' commitments. Needed only after writes that bypass the models, such as a "
        "raw SQL UPDATE or loaddata; a weekly task runs it too. Safe to run at any time."
    )

    def handle(self, *args, **options):
        corrected = report_due_dates.refresh_stale()
        self.stdout.write(f"Corrected the earliest open due date of {corrected} reports.")
