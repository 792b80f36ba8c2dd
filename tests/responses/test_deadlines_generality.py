"""Resolver rules added after blind letters: past-tense guards that misfired, school terms."""

from datetime import date

import pytest

from responses.deadlines import resolve


@pytest.mark.parametrize(
    "ref, text, phrase, latest",
    [
        # an "-ed" adjective inside a "whether" question after the phrase is not a past clause
        (
            date(2025, 12, 5),
            "We will also review, in the coming year, whether bereaved parents should have a direct right of "
            "access to their child's data.",
            "in the coming year",
            date(2026, 12, 5),
        ),
        (
            date(2025, 12, 5),
            "We will consider, over the next six months, whether affected families need further support.",
            "over the next six months",
            date(2026, 6, 5),
        ),
        # "with the first statement laid ... by July 2026" describes the promised state
        (
            date(2025, 6, 16),
            "We will publish an annual resilience statement, with the first statement laid before Parliament "
            "by July 2026.",
            "by July 2026",
            date(2026, 7, 31),
        ),
        # school terms in England
        (
            date(2026, 1, 27),
            "We will write to every head teacher before the end of the summer term.",
            "before the end of the summer term",
            date(2026, 7, 31),
        ),
        (
            date(2025, 10, 5),
            "The guidance will be issued in the autumn term.",
            "in the autumn term",
            date(2025, 12, 31),
        ),
        (
            date(2025, 10, 5),
            "We will publish it by the end of the spring term 2026.",
            "by the end of the spring term 2026",
            date(2026, 4, 30),
        ),
        (
            date(2025, 9, 1),
            "We will write to schools in the summer term.",
            "in the summer term",
            date(2026, 7, 31),
        ),
    ],
)
def test_resolved(ref, text, phrase, latest):
    found = resolve(text, ref)
    assert (found.phrase, found.due_latest) == (phrase, latest)


@pytest.mark.parametrize(
    "ref, text",
    [
        # the guards still hold for real past clauses after the phrase
        (date(2025, 3, 1), "In April, Officials published the revised guidance."),
        (date(2025, 12, 5), "The statement was published, with the first copy laid in March 2025."),
        (date(2025, 6, 1), "In our letter of January we said we would publish the plan in the summer term."),
    ],
)
def test_past_readings_are_still_undated(ref, text):
    assert resolve(text, ref).due_latest is None


@pytest.mark.parametrize(
    "ref, text, phrase, latest",
    [
        (
            date(2026, 3, 10),
            "I will write to the Committee each year on progress, with the first update in March 2027.",
            "in March 2027",
            date(2027, 3, 31),
        ),
        (
            date(2025, 12, 1),
            "We will report quarterly from April 2026.",
            "from April 2026",
            date(2026, 4, 30),
        ),
        (date(2025, 12, 1), "We will publish the data annually.", "annually", None),
    ],
)
def test_a_schedule_loses_to_the_date_of_its_first_occurrence(ref, text, phrase, latest):
    found = resolve(text, ref)
    assert (found.phrase, found.due_latest) == (phrase, latest)


@pytest.mark.parametrize(
    "text, phrase, latest",
    [
        (
            "The Office will publish statistics on deaths within 28 days of release from prison from summer 2025.",
            "from summer 2025",
            date(2025, 8, 31),
        ),
        (
            "We will fund health checks within 12 weeks of birth from April 2026.",
            "from April 2026",
            date(2026, 4, 30),
        ),
    ],
)
def test_real_date_beats_a_duration_anchored_on_an_event(text, phrase, latest):
    deadline = resolve(text, date(2025, 3, 3))
    assert (deadline.phrase, deadline.due_latest) == (phrase, latest)
