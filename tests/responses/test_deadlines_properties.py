"""Property tests for the deadline resolver (hypothesis). Pure Python: no database."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from responses import deadlines
from responses.deadlines import PRECISIONS, resolve

REF_DATES = st.dates(min_value=date(1995, 1, 1), max_value=date(2070, 12, 31))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
SEASONS = ["spring", "summer", "autumn", "winter", "Spring", "Summer", "Autumn", "Winter"]
NUMBERS = ["two", "three", "six", "twelve", "eighteen", "twenty-four", "a", "one", "2", "3", "6", "12", "28"]
UNITS = ["days", "weeks", "months", "years"]

# Words the rules key on, so random sentences exercise them rather than only the gate.
VOCABULARY = st.sampled_from(
    MONTHS + SEASONS + NUMBERS + UNITS + [
        "by", "in", "the", "end", "of", "this", "next", "last", "year", "month", "financial", "Q1", "Q3",
        "2024", "2024/25", "2023-24", "FY", "Easter", "Christmas", "Parliament", "within", "over", "coming",
        "early", "mid-", "late", "first", "half", "quarter", "will", "we", "said", "would", "published",
        "since", "shortly", "due", "course", "15", "31", "/", "-", ",", ".", "Theresa", "May", "may", "ago",
        "anniversary", "on", "from", "to", "between", "and", "week", "today", "tomorrow", "annually",
    ]
)  # fmt: skip
SENTENCES = st.one_of(st.text(max_size=300), st.lists(VOCABULARY, max_size=40).map(" ".join))


def _well_formed(found, text, ref):
    assert found.precision in PRECISIONS
    if found.precision == "none":
        assert (found.phrase, found.due_earliest, found.due_latest) == (None, None, None)
    else:
        assert found.phrase and text[found.start : found.end] == found.phrase
    if found.precision == "vague":
        assert found.due_earliest is None and found.due_latest is None
    if found.due_earliest and found.due_latest:
        assert found.due_earliest <= found.due_latest
    if found.due_latest:
        assert found.due_latest >= ref


@settings(max_examples=400, deadline=None)
@given(text=SENTENCES, ref=REF_DATES)
def test_never_raises_and_results_are_well_formed(text, ref):
    # the rules themselves, not just the safety net in resolve(), must cope with any text
    found = deadlines.resolve(text, ref)
    _well_formed(found, text, ref)
    assert resolve(text, ref) == found


FUTURE_PHRASES = st.one_of(
    st.sampled_from(MONTHS).map(lambda m: f"by {m}"),
    st.sampled_from(MONTHS).map(lambda m: f"by the end of {m}"),
    st.tuples(st.sampled_from(MONTHS), st.integers(1, 4)).map(lambda t: f"in {t[0]} {{y{t[1]}}}"),
    st.sampled_from(SEASONS).map(lambda s: f"in the {s}"),
    st.sampled_from(SEASONS).map(lambda s: f"next {s}"),
    st.sampled_from(SEASONS).map(lambda s: f"by the end of the {s}"),
    st.tuples(st.sampled_from(SEASONS), st.integers(1, 4)).map(lambda t: f"by {t[0]} {{y{t[1]}}}"),
    st.sampled_from(
        [
            "by Easter",
            "before Easter",
            "by Christmas",
            "before Christmas",
            "later this year",
            "this year",
            "next year",
            "by the end of the year",
            "early next year",
            "later this month",
            "next month",
            "this month",
            "this financial year",
            "next financial year",
            "by the end of the financial year",
            "in the coming year",
            "in a year's time",
            "by the end of this quarter",
            "in the next financial year",
        ]
    ),  # fmt: skip
    st.tuples(st.sampled_from(NUMBERS), st.sampled_from(UNITS)).map(lambda t: f"within {t[0]} {t[1]}"),
    st.tuples(st.sampled_from(NUMBERS), st.sampled_from(UNITS)).map(lambda t: f"over the next {t[0]} {t[1]}"),
    st.integers(1, 4).map(lambda k: f"in {{y{k}}}/{{yy{k}}}"),
    st.tuples(st.integers(1, 4), st.integers(1, 4)).map(lambda t: f"in Q{t[0]} {{y{t[1]}}}"),
    st.tuples(
        st.sampled_from(["early", "mid-", "late", "the first half of", "the second half of"]),
        st.integers(1, 4),
    ).map(lambda t: f"in {t[0]} {{y{t[1]}}}"),  # fmt: skip
)
TEMPLATES = st.sampled_from([
    "We will publish the revised guidance {}.",
    "{}, the Department will write to all trusts.",
    "The Government intends to respond to your recommendations {}.",
    "I can confirm that officials expect the review to report {}.",
    "Since 2019 we have invested £5m, and we will set out next steps {}.",
])  # fmt: skip


def _fill(phrase, ref):
    years = {f"y{k}": ref.year + k for k in range(1, 5)}
    years.update({f"yy{k}": f"{(ref.year + k + 1) % 100:02d}" for k in range(1, 5)})
    return phrase.format(**years)


@settings(max_examples=400, deadline=None)
@given(phrase=FUTURE_PHRASES, template=TEMPLATES, ref=REF_DATES)
def test_a_future_phrase_is_found_and_never_due_before_the_letter(phrase, template, ref):
    phrase = _fill(phrase, ref)
    text = template.format(phrase[0].upper() + phrase[1:] if template.startswith("{}") else phrase)
    found = resolve(text, ref)
    _well_formed(found, text, ref)
    assert found.precision not in ("none", "vague")
    assert found.due_latest is not None and found.due_latest >= ref
    assert phrase.lower() in found.phrase.lower() or found.phrase.lower() in phrase.lower()


@settings(max_examples=200, deadline=None)
@given(ref=st.dates(min_value=date(2022, 3, 24), max_value=date(2034, 1, 1)))
def test_end_of_this_parliament_is_never_before_the_letter(ref):
    found = resolve("We will legislate by the end of this Parliament.", ref)
    _well_formed(found, "We will legislate by the end of this Parliament.", ref)
    assert found.precision in ("day", "vague")
