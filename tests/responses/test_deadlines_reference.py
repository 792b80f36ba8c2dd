"""The reference date's precision, past phrases said as such, and errors that surface (issues 10 and 11).

Pure Python: no database.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from responses.deadlines import Deadline, phrases, resolve, resolve_line, resolver


def _window(found):
    return found.phrase, found.due_earliest, found.due_latest, found.precision


# (reference, its precision, sentence, phrase, due_earliest, due_latest, precision)
REFERENCE_PRECISION = [
    # relative phrases are counted from the first day of the month or year the letter gives (the date it is
    # recorded as; the real gold annotations count from it), at a precision no finer than the reference's
    ("2026-01-01", "month", "We will report within three months.", "within three months", "2026-01-01",
     "2026-04-01", "month"),
    ("2026-01-17", "month", "We will report within three months.", "within three months", "2026-01-01",
     "2026-04-01", "month"),
    ("2026-01-01", "month", "Officials will reply within 28 days.", "within 28 days", "2026-01-01",
     "2026-01-29", "month"),
    ("2011-01-01", "year", "We will evaluate the pilot within six months.", "within six months", "2011-01-01",
     "2011-07-01", "year"),
    # as in the real gold: Grenfell (February 2025), Space Economy (January 2026)
    ("2025-02-01", "month", "There are multiple reviews which will conclude in the next year.", "in the next year",
     "2025-02-01", "2026-02-01", "year"),
    ("2026-01-01", "month", "We plan to invest £155 million over the next four years.", "over the next four years",
     "2026-01-01", "2030-01-01", "year"),
    ("2026-01-01", "month", "We will publish the plan next month.", "next month", "2026-02-01", "2026-02-28",
     "month"),
    ("2026-01-01", "month", "A consultation will follow later this year.", "later this year", "2026-01-01",
     "2026-12-31", "year"),
    # phrases that name their own date do not depend on the day of the month
    ("2026-01-01", "month", "We will publish the strategy by 31 March 2026.", "by 31 March 2026", None,
     "2026-03-31", "day"),
    ("2026-01-01", "month", "The scheme will close on 15 January 2026.", "on 15 January 2026", None,
     "2026-01-15", "day"),
    ("2026-03-01", "month", "The website will be updated in 2026.", "in 2026", "2026-03-01", "2026-12-31",
     "year"),
    ("2026-01-01", "month", "The spending review will report by spring 2026.", "by spring 2026", "2026-03-01",
     "2026-05-31", "season"),
    # "the end of the month / year" is the current one's, also for a letter dated only by its month
    ("2026-01-01", "month", "We will respond by the end of the month.", "by the end of the month", "2026-01-01",
     "2026-01-31", "month"),
    ("2025-12-15", "day", "We will respond before the end of the month.", "before the end of the month",
     "2025-12-15", "2025-12-31", "month"),
    ("2024-12-20", "day", "We will publish the strategy by the end of the year.", "by the end of the year",
     "2024-12-20", "2024-12-31", "year"),
    ("2026-01-01", "month", "We will publish the strategy before the end of the year.", "before the end of the year",
     "2026-01-01", "2026-12-31", "year"),
    # a day-precision reference is what it always was
    ("2026-01-17", "day", "We will report within three months.", "within three months", "2026-01-17",
     "2026-04-17", "month"),
]  # fmt: skip


@pytest.mark.parametrize("ref, ref_precision, text, phrase, earliest, latest, precision", REFERENCE_PRECISION)
def test_reference_precision(ref, ref_precision, text, phrase, earliest, latest, precision):
    found = resolve(text, date.fromisoformat(ref), reference_precision=ref_precision)
    expected = (
        phrase,
        date.fromisoformat(earliest) if earliest else None,
        date.fromisoformat(latest),
        precision,
    )
    assert _window(found) == expected


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    text=st.sampled_from(
        [
            "We will report within three months.",
            "We will publish within 28 days.",
            "An update will follow within six weeks.",
            "We will respond by the end of the year.",
            "The review will conclude next month.",
            "We will publish in the spring.",
            "The regulations will be laid by Easter.",
            "We will consult later this year.",
        ]
    ),
)
def test_a_month_reference_is_read_from_its_first_day_at_no_finer_precision(day, text):
    first = resolve(text, day.replace(day=1))
    by_month = resolve(text, day, reference_precision="month")
    assert by_month.phrase == first.phrase
    assert by_month.due_latest == first.due_latest
    assert resolver._COARSENESS[by_month.precision] >= min(
        resolver._COARSENESS[first.precision], resolver._COARSENESS["month"]
    )
    if by_month.due_earliest and by_month.due_latest:
        assert by_month.due_earliest <= by_month.due_latest


def test_unknown_reference_precision_is_an_error():
    with pytest.raises(ValueError, match="reference_precision"):
        resolve("We will act by May.", date(2024, 1, 1), reference_precision="week")


# -- past events are said to be past, not dated ------------------------------------------------------------

PAST = [
    ("2024-06-10", "In March 2023 we published the strategy.", "In March 2023"),
    ("2024-06-10", "At Spring Budget 2024, the Chancellor announced a review of the scheme.", "At Spring Budget 2024"),
    ("2025-01-16", "In the autumn 2024 budget, the government announced £460 million of investment.",
     "In the autumn 2024 budget"),
    ("2024-12-17", "Payments began in October 2022.", "in October 2022"),
    ("2022-12-02", "In May, we welcomed the publication of the Independent Review.", "In May"),
]  # fmt: skip


@pytest.mark.parametrize("ref, text, past_phrase", PAST)
def test_past_events_are_no_deadline_and_are_named(ref, text, past_phrase):
    found = resolve(text, date.fromisoformat(ref))
    assert _window(found) == (None, None, None, "none")
    assert found.past_phrase is not None
    got, expected = found.past_phrase.lower(), past_phrase.lower()
    assert got in expected or expected in got


def test_a_promise_has_no_past_phrase():
    assert resolve("We will publish the strategy by March 2025.", date(2024, 6, 10)).past_phrase is None


# -- errors surface -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, ref", [(None, date(2024, 1, 1)), (b"by May", date(2024, 1, 1)),
                                       ("by May", "2024-01-01"), ("by May", None)])  # fmt: skip
def test_malformed_input_is_a_clear_error(text, ref):
    with pytest.raises(TypeError, match="must be a"):
        resolve(text, ref)


def test_a_bug_in_a_rule_fails_loudly(monkeypatch):
    """The resolver no longer answers "undated" when one of its own rules breaks."""

    def broken_season_rule(m, text, ref):
        raise ZeroDivisionError("a bug in the season rule")

    patterns = tuple(
        (regex, prefix, broken_season_rule if handler is phrases._season else handler, keys)
        for regex, prefix, handler, keys in resolver._PATTERNS
    )
    monkeypatch.setattr(resolver, "_PATTERNS", patterns)
    with pytest.raises(ZeroDivisionError, match="season rule"):
        resolve("We will publish the guidance in the summer.", date(2024, 1, 10))
    with pytest.raises(ZeroDivisionError):
        resolve_line("2024-01-10\tWe will publish the guidance in the summer.")
    # the other rules still work: the failure is the broken rule's, not a blanket one
    assert resolve("We will publish the guidance by March 2024.", date(2024, 1, 10)).due_latest == date(
        2024, 3, 31
    )


def test_impossible_dates_are_not_dates_and_do_not_raise():
    ref = date(2025, 11, 5)
    for text in ("printed 11/24/25, 8:19 PM", "We will act by 31 April."):
        assert resolve(text, ref).precision == "none"
    # no such day: the month it names is what is left
    found = resolve("We will act by 31 February 2026.", ref)
    assert (found.due_latest, found.precision) == (date(2026, 2, 28), "month")
    # 29 February without a year is the next one there is
    assert resolve("We will act by 29 February.", ref).due_latest == date(2028, 2, 29)


# -- the command's lines -------------------------------------------------------------------------------------


def test_resolve_line_takes_a_month_or_a_year_as_reference():
    month = resolve_line("2026-01\tWe will report within three months.")
    assert (month["ref_date"], month["due_latest"], month["precision"]) == ("2026-01", "2026-04-01", "month")
    year = resolve_line("2011\tWe will report within three months.")
    assert (year["ref_date"], year["due_latest"], year["precision"]) == ("2011", "2011-04-01", "year")
    assert "error" in resolve_line("2026-13\tWe will report within three months.")
    assert "error" in resolve_line("26-01-01\tWe will report within three months.")


def test_resolve_line_names_a_past_phrase():
    record = resolve_line("2024-06-10\tIn March 2023 we published the strategy.")
    assert record["precision"] == "none" and record["past_phrase"] == "In March 2023"
    assert "past_phrase" not in resolve_line("2024-06-10\tWe will publish by May 2025.")


# -- moving the letter's date moves relative deadlines with it -------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    ref=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    shift=st.integers(min_value=1, max_value=400),
    n=st.integers(min_value=1, max_value=52),
    unit=st.sampled_from(["days", "weeks"]),
)
def test_shifting_the_letter_date_shifts_a_duration_by_as_much(ref, shift, n, unit):
    text = f"We will write to you again within {n} {unit}."
    before, after = resolve(text, ref), resolve(text, ref + timedelta(days=shift))
    assert after.due_latest - before.due_latest == timedelta(days=shift)
    assert after.due_earliest - before.due_earliest == timedelta(days=shift)


@settings(max_examples=150, deadline=None)
@given(
    ref=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    shift=st.integers(min_value=0, max_value=300),
)
def test_shifting_the_letter_date_does_not_move_a_named_day(ref, shift):
    due = ref + timedelta(days=400)
    text = f"We will publish the report by {due.day} {due:%B %Y}."
    found, moved = resolve(text, ref), resolve(text, ref + timedelta(days=shift))
    assert found.due_latest == moved.due_latest == due
    assert isinstance(found, Deadline)
