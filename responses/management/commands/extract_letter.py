"""Print what the extractor finds in letter files; no database reads or writes."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from responses.extraction import LetterError, extract_file


class Command(BaseCommand):
    help = (
        "Extract dates, departments, reports, concerns and commitments from letter files (.txt, .pdf, .docx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options):
        failures = 0
        for path in options["files"]:
            try:
                result = extract_file(path)
            except LetterError as exc:
                failures += 1
                self.stderr.write(f"{path}: {exc.message} [{exc.code}]")
                continue
            for warning in result.warnings:
                self.stderr.write(f"{path}: warning: {warning}")
            if options["format"] == "json":
                self.stdout.write(json.dumps(result.to_schema(), ensure_ascii=False))
            else:
                self.stdout.write(format_text(result))
        sys.stdout.flush()
        if failures:
            raise CommandError(f"{failures} of {len(options['files'])} file(s) could not be read")


def format_text(result) -> str:
    lines = [f"== {result.source}"]
    lines.append(f"Date:         {result.letter_date.isoformat() if result.letter_date else '(not found)'}")
    lines.append(f"Departments:  {', '.join(result.departments) or '(none)'}")
    for person in result.signatories:
        lines.append(
            f"Signed by:    {person.get('name') or '(no name)'} - {person.get('role') or '(no role)'}"
        )
    if result.addressee:
        lines.append(
            f"To:           {result.addressee.get('name')} - {result.addressee.get('role') or ''}".rstrip(
                " -"
            )
        )
    for report in result.reports:
        extra = f", deceased {report['deceased']}" if report.get("deceased") else ""
        dated = f", dated {report['report_date']}" if report.get("report_date") else ""
        lines.append(f"Answers:      [{report['type']}] {report.get('title') or ''}{extra}{dated}")
    for concern in result.concerns:
        number = concern.get("number")
        label = (
            f"{concern.get('kind', 'concern').capitalize()} {number}" if number is not None else "Unnumbered"
        )
        lines.append(f"{label + ':':<14}{(concern.get('text') or '')[:100]}")
    lines.append(f"Commitments:  {len(result.commitments)}")
    for number, item in enumerate(result.commitments, 1):
        due = item.due_latest.isoformat() if item.due_latest else item.precision
        timing = f" [{item.time_phrase} -> {due}]" if item.time_phrase else ""
        lines.append(f"  {number:>2}. ({item.department or '?'}) {item.text}{timing}")
    return "\n".join(lines) + "\n"
