"""Errors surface (issue 11 item 4): a bug in the extractor or the resolver raises; bad letters give warnings."""

import pytest

from responses import extraction
from responses.extraction import commitments, extract, fields

LETTER = (
    "Home Office\n\n4 March 2024\n\nDear Ms Example,\n\nThank you for your letter. We will publish the review "
    "by the summer.\n\nYours sincerely,\n\nA Person\n"
)


class Bug(Exception):
    pass


def _raise(*args, **kwargs):
    raise Bug("a bug in a rule")


def test_a_bug_in_a_field_rule_fails_loudly(monkeypatch):
    monkeypatch.setattr(fields, "concerns", _raise)
    with pytest.raises(Bug):
        extract(LETTER)


def test_a_bug_in_the_deadline_resolver_is_not_read_as_undated(monkeypatch):
    monkeypatch.setattr(commitments, "resolve", _raise)
    with pytest.raises(Bug):
        extract(LETTER)


def test_a_bug_in_the_commitment_rules_fails_loudly(monkeypatch):
    monkeypatch.setattr(commitments, "clause_commits", _raise)
    with pytest.raises(Bug):
        extract(LETTER)


def test_the_same_letter_without_the_bug_is_read():
    result = extract(LETTER)
    assert [c.text for c in result.commitments] == ["We will publish the review by the summer"]
    assert result.commitments[0].due_latest is not None


@pytest.mark.parametrize("text", ["", "   \n\n", None, "\x00\x01"])
def test_a_letter_with_no_text_is_a_warning(text):
    result = extract(text)
    assert result.commitments == []
    assert result.warnings == ["the letter contains no text"]


def test_a_very_long_letter_is_read_in_part_with_a_warning():
    text = LETTER + "More words here. " * (extraction.MAX_ANALYSED_CHARS // 10)
    result = extract(text)
    assert any("very long" in warning for warning in result.warnings)
    assert result.commitments


def test_something_that_is_not_text_is_a_programming_error():
    with pytest.raises(TypeError, match="str"):
        extract(b"We will publish the review.")
