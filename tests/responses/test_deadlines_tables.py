"""The resolver's tables (responses/deadlines/data/*.tsv): each kind of row and what it resolves to.

A new holiday, recess or vague phrase is one row in its table and one row here. Pure Python: no database.
"""

import re
from datetime import date

import pytest

from responses.deadlines import resolve, tables
from responses.deadlines.tables import PHRASES, RECESSES, TableError


def _d(value):
    return date.fromisoformat(value) if value else None


def _check(ref, text, phrase, earliest, latest, precision):
    found = resolve(text, date.fromisoformat(ref))
    assert (found.phrase, found.due_earliest, found.due_latest, found.precision) == (
        phrase,
        _d(earliest),
        _d(latest),
        precision,
    )


# -- holidays.tsv ---------------------------------------------------------------------------------------------

HOLIDAYS = [
    ("2025-03-01", "We will publish the plan by Easter.", "by Easter", None, "2025-04-20", "day"),
    ("2025-03-01", "The guidance will be issued before Good Friday.", "before Good Friday", None, "2025-04-18", "day"),
    ("2025-03-01", "The scheme will open on Easter Monday.", "on Easter Monday", None, "2025-04-21", "day"),
    # Whit Sunday: seven weeks after Easter Sunday (20 April 2025)
    ("2025-03-01", "We will respond by Whitsun.", "by Whitsun", None, "2025-06-08", "day"),
    ("2025-07-01", "We will respond by Whitsun.", "by Whitsun", None, "2026-05-24", "day"),
    ("2024-01-10", "The review will report by Pentecost 2024.", "by Pentecost 2024", None, "2024-05-19", "day"),
    ("2024-06-10", "I will write to you again before Christmas.", "before Christmas", None, "2024-12-25", "day"),
    ("2024-12-27", "I will write to you again before Christmas.", "before Christmas", None, "2025-12-25", "day"),
    ("2024-06-10", "The funds will reach the councils by Boxing Day.", "by Boxing Day", None, "2024-12-26", "day"),
    ("2024-06-10", "We will publish the data by the New Year.", "by the New Year", None, "2024-12-31", "day"),
    ("2024-06-10", "We will publish the data in the New Year.", "in the New Year", "2025-01-01", "2025-01-31",
     "month"),
    ("2025-01-03", "We will publish the data in the New Year.", "in the New Year", "2025-01-03", "2025-01-31",
     "month"),
    ("2024-06-10", "Nothing will change until after Christmas.", "after Christmas", None, None, "vague"),
]  # fmt: skip


@pytest.mark.parametrize("ref, text, phrase, earliest, latest, precision", HOLIDAYS)
def test_holidays(ref, text, phrase, earliest, latest, precision):
    _check(ref, text, phrase, earliest, latest, precision)


# -- recess_names.tsv and commons_recesses.tsv -----------------------------------------------------------------

RECESSES_CASES = [
    # by / before a recess: the day the House rises (its last sitting day)
    ("2025-03-01", "We will publish the plan by the summer recess.", "by the summer recess", None, "2025-07-22",
     "day"),
    ("2024-06-10", "The Minister will make a statement before the Christmas recess.", "before the Christmas recess",
     None, "2024-12-19", "day"),
    ("2025-06-01", "We will lay the regulations by conference recess.", "by conference recess", None, "2025-09-16",
     "day"),
    ("2026-01-10", "A draft Bill will be published before the Whitsun recess.", "before the Whitsun recess", None,
     "2026-05-21", "day"),
    ("2024-01-10", "We will write again before the February recess.", "before the February recess", None,
     "2024-02-08", "day"),
    ("2022-09-01", "The Secretary of State will update the House before the November recess.",
     "before the November recess", None, "2022-11-09", "day"),
    ("2023-02-01", "We will respond ahead of the Easter recess.", "ahead of the Easter recess", None, "2023-03-30",
     "day"),
    ("2023-03-14", "I will write to you before the House rises for the summer.",
     "before the House rises for the summer", None, "2023-07-20", "day"),
    ("2023-03-14", "We will publish the response by the summer recess 2024.", "by the summer recess 2024", None,
     "2024-07-30", "day"),
    # during a recess: the recess itself
    ("2023-06-01", "The consultation will run over the summer recess.", "over the summer recess", "2023-07-21",
     "2023-09-03", "day"),
    # a session the table does not hold: the month the Commons conventionally rises in, precision month
    ("2026-03-01", "We will publish the plan before the summer recess.", "before the summer recess", "2026-07-01",
     "2026-07-31", "month"),
    ("2015-01-10", "We will publish the plan before the summer recess.", "before the summer recess", "2015-07-01",
     "2015-07-31", "month"),
    ("2019-08-01", "We will report before the conference recess.", "before the conference recess", "2019-09-01",
     "2019-09-30", "month"),  # the House was prorogued instead in 2019
    # "the summer" alone is the season, not the recess
    ("2025-03-01", "We will publish the plan by the summer.", "by the summer", "2025-06-01", "2025-08-31",
     "season"),
]  # fmt: skip


@pytest.mark.parametrize("ref, text, phrase, earliest, latest, precision", RECESSES_CASES)
def test_recesses(ref, text, phrase, earliest, latest, precision):
    _check(ref, text, phrase, earliest, latest, precision)


def test_the_recess_table_is_in_order_and_each_recess_starts_after_the_last_ended():
    for before, after in zip(RECESSES, RECESSES[1:], strict=False):
        assert before.rises < before.returns <= after.rises, (before, after)
    assert RECESSES[0].rises.year == 2017 and RECESSES[-1].rises >= date(2026, 5, 1)


# -- fiscal_events.tsv ------------------------------------------------------------------------------------------

FISCAL = [
    ("2024-03-15", "A full response will be published alongside the Spending Review.", "alongside the Spending Review",
     None, None, "vague"),
    ("2024-03-21", "We will consider capital requirements at the next comprehensive spending review.",
     "at the next comprehensive spending review", None, None, "vague"),
    ("2024-01-10", "We will set out the funding at Spring Budget 2024.", "at Spring Budget 2024", "2024-03-01",
     "2024-05-31", "season"),
    ("2024-06-10", "The rates will be confirmed at the Autumn Statement.", "at the Autumn Statement", "2024-09-01",
     "2024-11-30", "season"),
    ("2024-06-10", "At Spring Budget 2024, the Chancellor announced a review.", None, None, None, "none"),
    ("2025-01-16", "In the autumn 2024 budget, the government announced £460 million.", None, None, None, "none"),
    ("2024-06-10", "I will make a statement to the House.", None, None, None, "none"),
    ("2024-06-10", "The Bill will be announced in the next King's Speech.", "in the next King's Speech", None, None,
     "vague"),
]  # fmt: skip


@pytest.mark.parametrize("ref, text, phrase, earliest, latest, precision", FISCAL)
def test_fiscal_events(ref, text, phrase, earliest, latest, precision):
    _check(ref, text, phrase, earliest, latest, precision)


# -- phrases.tsv: every row's example matches the row and reads as its kind --------------------------------------


@pytest.mark.parametrize("row", PHRASES, ids=[p.example for p in PHRASES])
def test_each_phrase_row_matches_its_example_and_reads_as_its_kind(row):
    assert re.search(rf"\b(?:{row.pattern})\b", row.example, re.I), "the example does not match its own row"
    assert any(key in row.example.lower() for key in row.keys), "none of the row's keys is in its example"
    if row.kind == "past":
        found = resolve(f"The programme has grown {row.example}.", date(2024, 6, 10))
        assert (found.phrase, found.precision) == (None, "none")
    else:
        found = resolve(f"We will publish the report {row.example}.", date(2024, 6, 10))
        assert found.precision == "vague"
        assert found.phrase.lower() in row.example.lower() or row.example.lower() in found.phrase.lower()


# -- a malformed table fails at load, naming the file and the line ------------------------------------------------


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("holidays.tsv", "holiday\tnames\tdate\tby\tin\tnote\nWhitsun\tWhitsun\teaster+x\tday\tday\t\n",
         "holidays.tsv:2"),
        ("commons_recesses.tsv", "recess\trises\treturns\tnote\nSummer\t2025-07-22\t2025-06-01\t\n",
         "returns before it rises"),
        ("commons_recesses.tsv", "recess\trises\treturns\tnote\nSummer\t22/07/2025\t2025-09-01\t\n",
         "not a YYYY-MM-DD date"),
        ("phrases.tsv", "kind\tkeys\tpattern\texample\nvague\tsoon\tsoon(\tsoon\n", "phrases.tsv:2"),
        ("phrases.tsv", "kind\tkeys\tpattern\texample\nsometimes\tsoon\tsoon\tsoon\n", "kind must be"),
    ],
)  # fmt: skip
def test_a_malformed_table_is_an_error_naming_the_line(tmp_path, monkeypatch, name, content, message):
    (tmp_path / name).write_text(content)
    monkeypatch.setattr(tables, "DATA", tmp_path)
    loaders = {
        "holidays.tsv": tables._holidays,
        "commons_recesses.tsv": lambda: tables._recesses({"Summer"}),
        "phrases.tsv": tables._phrases,
    }
    with pytest.raises(TableError, match=re.escape(message)):
        loaders[name]()
