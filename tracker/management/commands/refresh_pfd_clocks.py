from django.core.management.base import BaseCommand, CommandError

from tracker.models import Report


class Command(BaseCommand):
    help = (
        "Recount every PFD report's stored clock (addressees, responses, responses not attributed, latest "
        "deadline still waiting) from its addressees and published responses. Only needed after writes that "
        "bypass the models (raw SQL, loaddata). With --check, say which reports had drifted and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report drift; change nothing.")

    def handle(self, *args, check=False, **options):
        reports = Report.objects.filter(kind=Report.Kind.PFD)
        if check:
            drifted = reports.pfd_clocks_drifted()
            if drifted:
                raise CommandError(
                    f"{len(drifted)} reports' PFD clocks had drifted (first ids: {drifted[:10]})."
                )
            self.stdout.write("Every PFD report's clock is right.")
            return
        self.stdout.write(f"{reports.refresh_pfd_clocks()} PFD reports recounted.")
