"""`manage.py resolve_deadlines`: TSV lines in, one JSON object a line out, in order. No database."""

import io
import json
from unittest import mock

from django.core.management import call_command


def _run(stdin_text, *args):
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(stdin_text)):
        call_command("resolve_deadlines", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_line_gets_one_object_in_the_same_order():
    rows = _run(
        "2025-02-20\tI will provide an update by Easter.\n"
        "2021-04-09\tWe will respond by Autumn 2021.\n"
        "2024-01-10\tWe will continue to work with partners.\n"
    )
    assert rows == [
        {"ref_date": "2025-02-20", "text": "I will provide an update by Easter.", "phrase": "by Easter",
         "due_earliest": None, "due_latest": "2025-04-20", "precision": "day"},
        {"ref_date": "2021-04-09", "text": "We will respond by Autumn 2021.", "phrase": "by Autumn 2021",
         "due_earliest": "2021-09-01", "due_latest": "2021-11-30", "precision": "season"},
        {"ref_date": "2024-01-10", "text": "We will continue to work with partners.", "phrase": None,
         "due_earliest": None, "due_latest": None, "precision": "none"},
    ]  # fmt: skip


def test_malformed_lines_get_an_error_object_and_the_rest_still_resolve():
    rows = _run("no tab here\n2024-02-30\tWe will act by May.\n\n2024-01-10\tWe will act shortly.\n")
    assert [("error" in row) for row in rows] == [True, True, True, False]
    assert rows[3]["precision"] == "vague" and rows[3]["phrase"] == "shortly"


def test_explain_adds_the_rule_that_fired():
    rows = _run("2024-01-10\tFunding will follow in 2024/25.\n", "--explain")
    assert rows[0]["rule"] == "financial_year"
    assert rows[0]["due_latest"] == "2025-03-31"


def test_without_explain_there_is_no_rule_field():
    rows = _run("2024-01-10\tFunding will follow in 2024/25.\n")
    assert "rule" not in rows[0]
