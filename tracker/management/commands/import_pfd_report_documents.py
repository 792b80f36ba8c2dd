import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses.extraction.errors import LetterError
from tracker.pfd.importer import import_report_document
from tracker.pfd.report_pdf import read_report


class Command(BaseCommand):
    help = (
        "Read PFD report documents (PDF, Word or text) and record them: deceased, date, reference, coroner and area, "
        "addressees, numbered concerns and the response date. A report already in the tracker is completed. "
        "With --dry-run, print what was read (JSON, one object a file) and save nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="Files, or folders searched for .pdf, .docx and .txt files."
        )
        parser.add_argument("--dry-run", action="store_true", help="Print what was read; save nothing.")

    def handle(self, *args, paths, dry_run=False, **options):
        files = []
        for path in map(Path, paths):
            if path.is_dir():
                files.extend(
                    sorted(p for p in path.rglob("*") if p.suffix.lower() in (".pdf", ".docx", ".txt"))
                )
            else:
                files.append(path)
        failed = []
        for path in files:
            try:
                parsed = read_report(path.read_bytes(), path.name)
                if dry_run:
                    self.stdout.write(json.dumps({"file": str(path), **parsed.to_dict()}, default=str))
                    continue
                result = import_report_document(parsed, source_name=path.name)
            except (OSError, LetterError, ValueError) as error:
                failed.append(f"{path}: {error}")
                self.stderr.write(f"{path}: {error}")
                continue
            what = "created" if result.created else "completed"
            self.stdout.write(
                f"{path}: {what} {result.report.title} ({result.addressees_added} addressees, "
                f"{result.concerns_added} concerns added{'; filled ' + ', '.join(result.filled) if result.filled else ''})"
            )
            for warning in parsed.warnings:
                self.stdout.write(f"  check: {warning}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} documents not saved (listed above).")
