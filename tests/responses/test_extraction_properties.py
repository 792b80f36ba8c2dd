"""Properties that hold for any input: extract() never raises and its offsets always point at its text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responses.extraction import extract

WORDS = [
    "We", "will", "shall", "publish", "the", "Department", "Home Office", "DHSC", "by", "March", "2025", "in",
    "the autumn", "Dear", "Sir", ",", ".", ":", ";", "\n", "\n\n", "- ", "1.", "(3)", "Concern", "Recommendation",
    "Matter of concern", "five", "Yours sincerely", "have committed to", "is due to be published", "shortly",
    "which", "and", "it", "this", "not", "?", "\u2019", "\u201c", "\f", "Page 2 of 3", "-\n", "death of", "Jane Smith",
    "12 March 2024", "Regulation 28", "I have asked", "to review",
]  # fmt: skip

letters = st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(letters, st.text(max_size=400)))
def test_extract_never_raises_and_offsets_match(text):
    result = extract(text)
    schema = result.to_schema()
    assert set(schema) == {
        "source",
        "letter_date",
        "departments",
        "signatories",
        "addressee",
        "reports",
        "concerns",
        "commitments",
        "letter_date_precision",
    }
    for commitment in result.commitments:
        assert result.text[commitment.start : commitment.end] == commitment.text
        assert commitment.precision in {
            "day",
            "month",
            "season",
            "quarter",
            "half",
            "year",
            "financial_year",
            "vague",
            "none",
        }
        if commitment.due_earliest and commitment.due_latest:
            assert commitment.due_earliest <= commitment.due_latest
