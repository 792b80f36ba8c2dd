import datetime

from django.core.management.base import BaseCommand

from tracker.overdue import sweep


class Command(BaseCommand):
    help = "Flag overdue commitments and missing responses (and unflag what is no longer late). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Sweep as if today (London) were this date, YYYY-MM-DD. Default: today.",
        )

    def handle(self, *args, today=None, **options):
        self.stdout.write(str(sweep(today)))
