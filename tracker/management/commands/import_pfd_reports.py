import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker.pfd import rows
from tracker.pfd.importer import import_file


class _Progress:
    """tqdm behind the two calls the importer makes."""

    def __init__(self, label, disable):
        self.bar = tqdm(desc=label, unit=" reports", file=sys.stderr, disable=disable or None, leave=False)

    def total(self, n):
        self.bar.total = n
        self.bar.refresh()

    def advance(self, n):
        self.bar.update(n)

    def close(self):
        self.bar.close()


class Command(BaseCommand):
    help = (
        "Import PFD reports from CSV files: the Preventable Deaths Tracker's scrape (pdt-reports-*.csv) or "
        "status export (pdt-statuses-*.csv), or PFD Toolkit's export. Safe to run again: reports are "
        "identified by their judiciary.uk address and unchanged rows are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="CSV files, imported in the order given.")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="The day a status export describes (default: the date in its file name, else its latest 'Date added').",
        )
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="Only the reports dated in this year (repeat for more): a sample, as `make run` loads.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument("--quiet-rows", action="store_true", help="Count bad rows without listing each.")

    def handle(self, *args, files, as_of=None, years=None, no_progress=False, quiet_rows=False, **options):
        failed = False
        for path in files:
            progress = _Progress(path.rsplit("/", 1)[-1], no_progress)
            try:
                result = import_file(path, as_of=as_of, progress=progress, years=years)
            except rows.MissingColumns as error:
                raise CommandError(f"{path}: {error}") from error
            except (OSError, ValueError) as error:
                raise CommandError(f"{path}: {error}") from error
            finally:
                progress.close()
            self._summary(path, result, quiet_rows)
            failed = failed or bool(result.failed)
        if failed:
            raise CommandError("Some reports could not be saved (listed above).")

    def _summary(self, path, result, quiet_rows):
        write = self.stdout.write
        write(f"{path} ({result.format} format): {result.rows} rows.")
        write(
            f"  Reports: {result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
            f"{len(result.bad_rows)} bad rows skipped."
        )
        for completed in result.completed:
            write(f"  Completed a report already in the tracker: {completed}")
        write(
            f"  Addressees: {result.addressees_added} added, {result.addressees_removed} removed "
            f"({result.addressees_kept} no longer listed but kept for what was recorded on them); "
            f"{result.deadlines_corrected} deadlines corrected."
        )
        if result.names:
            parts = ", ".join(f"{n} {how}" for how, n in sorted(result.names.items()))
            write(
                f"  New spellings of addressees: {parts} (names to review: admin, Addressee names to review)."
            )
        if result.responses_found:
            write(
                f"  Published responses: {result.responses_found} read, {result.responses_recorded} recorded on "
                f"their addressee, {result.responses_unattributed} not attributed (admin: Published responses)."
            )
        if result.concerns_added:
            write(f"  Concerns: {result.concerns_added} added.")
        if result.bad_rows:
            write(f"  Bad rows ({len(result.bad_rows)}):")
            listed = result.bad_rows[:10] if quiet_rows else result.bad_rows
            for bad in listed:
                write(f"    {bad}")
            if len(listed) < len(result.bad_rows):
                write(f"    ... and {len(result.bad_rows) - len(listed)} more")
        for warning in result.warnings:
            write(f"  Warning: {warning}")
        for failure in result.failed:
            self.stderr.write(f"  Not saved: {failure}")
