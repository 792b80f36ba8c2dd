import json
import sys

from django.core.management.base import BaseCommand

from responses.deadlines import resolve_line


class Command(BaseCommand):
    help = (
        "Resolve time phrases: reads 'YYYY-MM-DD<TAB>sentence' lines on standard input and writes one JSON "
        "object a line, in the same order (a malformed line gets an object with an 'error' field)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--explain", action="store_true", help="Add the name of the rule that fired.")

    def handle(self, *args, explain=False, **options):
        for line in sys.stdin:
            self.stdout.write(json.dumps(resolve_line(line, explain=explain), ensure_ascii=False))
