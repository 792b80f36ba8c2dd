"""Which time phrase dates a promise (responses/extraction/timing.py): one test row a class, in real letters' style.

Pure Python: no database. Each row is a small snippet written in the style of real government responses (the
classes were found on tests/real and /work/shared/real; none is a sentence copied from them).
"""

from datetime import date

import pytest

from responses.extraction import extract


def _letter(body: str, dated: str = "6 March 2024") -> str:
    return (
        f"Department for Transport\nGreat Minster House\n\n{dated}\n\nDear Dr Wood,\n\n{body}\n\n"
        "Yours sincerely,\n\nMark Harper MP\nSecretary of State for Transport\n"
    )


def _dues(body: str, dated: str = "6 March 2024") -> list[tuple[str, date | None]]:
    return [(c.text, c.due_latest) for c in extract(_letter(body, dated)).commitments]


# (body, the due date of its one promise)
ONE_PROMISE = [
    # an opening adverbial times the promise; a later phrase in a trailing participle times another event
    ("In 2025 ATLAS will launch, followed by HERMES and IRIS in 2026.", date(2025, 12, 31)),
    ("In 2025 the ATLAS mission will launch, with HERMES to follow in 2026.", date(2025, 12, 31)),
    # a bracketed range inside a fronted adverbial beats a vague phrase after the verb
    (
        "During the second stage (2025 to 2027), we will develop proposals for reform, including by bringing "
        "forward legislation when parliamentary time allows.",
        date(2027, 12, 31),
    ),
    # a phrase just before the subject, deep in the sentence
    (
        "Ahead of this, officials are reviewing the scheme rules and, from June 2024, we will also increase the "
        "grant for councils applying to the fund.",
        date(2024, 6, 30),
    ),
    # an appositive that says when the subject is due
    (
        "The Road Safety Academy, to be launched in September 2024, will provide a training curriculum.",
        date(2024, 9, 30),
    ),
    (
        "A revised set of crossing standards due by July 2024, led by the Rail Safety Board, will set out the "
        "requirements for every operator.",
        date(2024, 7, 31),
    ),
    (
        "The Exercising Hub, which will form part of the Academy from its launch in October 2024, will ensure "
        "that operators have access to the right exercises.",
        date(2024, 10, 31),
    ),
    # a season inside the subject
    (
        "Consequently, rather than a separate plan, the autumn transport publication will set out our "
        "priorities for level crossings.",
        date(2024, 11, 30),
    ),
    # an output named by its year (the letter's year or the next)
    (
        "The Department will be undertaking the 2025 Level Crossing Safety Survey to find the worst sites.",
        date(2025, 12, 31),
    ),
    # ... but a year further ahead names a target, not when the act happens
    ("The Department will be working towards the 2030 Road Safety Target with every council.", None),
    # the time of another event before the subject is not the promise's
    ("Following the consultation which closes in April 2024, we will publish our response.", None),
    # a past event is not a deadline
    ("At Spring Budget 2024, the Chancellor announced that we will publish a rail freight plan.", None),
    ("In January, the Secretary of State announced that we will consult on the level crossing code.", None),
]


@pytest.mark.parametrize("body, due", ONE_PROMISE)
def test_the_phrase_that_times_the_promise(body, due):
    (promise,) = extract(_letter(body)).commitments
    assert promise.due_latest == due, promise


def test_a_sentence_opening_with_a_time_dates_each_of_its_promises():
    body = "In autumn 2024, the resilience review will conclude and we will publish a strategic statement."
    dues = [due for _, due in _dues(body)]
    assert dues and all(due == date(2024, 11, 30) for due in dues)


def test_a_promise_with_its_own_time_keeps_it_in_a_sentence_that_opens_with_one():
    body = "In autumn 2024, we will consult on the code, and the Rail Safety Board will report by March 2025."
    dues = [due for _, due in _dues(body)]
    assert dues[-1] == date(2025, 3, 31)
    assert dues[0] == date(2024, 11, 30)


def test_a_follow_up_sentence_dates_the_promise_before_it():
    body = "We will publish a level crossing strategy. This will be by the end of 2025."
    assert _dues(body) == [("We will publish a level crossing strategy", date(2025, 12, 31))]


@pytest.mark.parametrize(
    "label, due",
    [
        ("Timescale: by March 2025", date(2025, 3, 31)),
        ("Target date: spring 2025", date(2025, 5, 31)),
        ("Delivery date - 2025 to 2026", date(2026, 3, 31)),
        ("Timescale: Q3 2024", date(2024, 9, 30)),
        ("Target implementation date: December 2024", date(2024, 12, 31)),
        ("Expected completion - end of 2024", date(2024, 12, 31)),
    ],
)
def test_a_timescale_label_dates_the_undated_promises_of_its_response(label, due):
    body = (
        "Recommendation 1\n\nThe Department should publish guidance for operators.\n\n"
        "Government response\n\nThe Government accepts this recommendation. We will publish guidance for "
        f"operators.\n\n{label}\n\n"
        "Recommendation 2\n\nThe Department should review the signage standard.\n\n"
        "Government response\n\nWe will review the signage standard."
    )
    assert _dues(body) == [
        ("We will publish guidance for operators", due),
        ("We will review the signage standard", None),
    ]


def test_a_timescale_label_under_the_recommendation_dates_the_response_after_it():
    body = (
        "Recommendation 4: The Department should publish a freight strategy.\n\nTimescale: by the end of 2024\n\n"
        "Government response\n\nWe will publish a freight strategy, and we will consult on it by June 2024.\n\n"
        "Recommendation 5: The Department should review the fund.\n\nGovernment response\n\n"
        "We will review the fund."
    )
    assert [due for _, due in _dues(body)] == [date(2024, 12, 31), date(2024, 6, 30), None]


@pytest.mark.parametrize("label", ["Timescale: Ongoing", "Timescale: Complete", "Timing: TBC"])
def test_a_timescale_label_that_is_not_a_time_dates_nothing(label):
    body = f"Recommendation 1\n\nGovernment response\n\nWe will publish guidance for operators.\n\n{label}"
    assert [due for _, due in _dues(body)] == [None]


def test_a_relative_phrase_in_a_month_dated_document_takes_the_month_reading():
    # dated only "January 2026": "later this year" is the end of 2026 whatever the day
    body = "The Department will publish the revised code later this year."
    assert [due for _, due in _dues(body, dated="January 2026")] == [date(2026, 12, 31)]


def test_a_heading_that_is_a_time_dates_the_undated_promises_under_it():
    body = (
        "Short term: by September 2024\n\nWe will publish guidance for operators. Network Rail will survey every "
        "crossing by June 2024.\n\nLonger term\n\nWe will review the signage standard."
    )
    assert [due for _, due in _dues(body)] == [date(2024, 9, 30), date(2024, 6, 30), None]


def test_a_heading_with_a_year_in_its_name_dates_nothing():
    body = "The 2024 Level Crossing Review\n\nWe will publish guidance for operators."
    assert [due for _, due in _dues(body)] == [None]


def test_before_the_end_of_the_month_is_this_month():
    body = "We will write to every operator before the end of the month."
    assert [due for _, due in _dues(body)] == [date(2024, 3, 31)]


@pytest.mark.parametrize(
    "follow_up, due",
    [
        ("We expect to do so by the end of 2024.", date(2024, 12, 31)),
        ("The aim is to have this in place by the summer.", date(2024, 8, 31)),
        ("We anticipate that this will be in place by April.", date(2024, 4, 30)),
    ],
)
def test_a_pro_form_follow_up_dates_the_promise_and_is_not_one_of_its_own(follow_up, due):
    body = f"We will publish a level crossing safety strategy. {follow_up}"
    assert _dues(body) == [("We will publish a level crossing safety strategy", due)]


def test_a_follow_up_naming_the_promised_thing_again_dates_it():
    body = (
        "We will publish a level crossing safety strategy. The strategy will be published by the end of 2024."
    )
    assert [due for _, due in _dues(body)] == [date(2024, 12, 31), date(2024, 12, 31)]


@pytest.mark.parametrize(
    "follow_up",
    [
        "The consultation will close by the end of 2024.",  # another thing
        "We expect to complete this work by the end of 2024.",  # an act of its own, with its own date
    ],
)
def test_a_sentence_about_something_else_does_not_date_the_promise_before_it(follow_up):
    body = f"I have asked officials to draft a level crossing safety strategy. {follow_up}"
    dues = [due for _, due in _dues(body)]
    assert dues[0] is None and dues[1:] == [date(2024, 12, 31)]
