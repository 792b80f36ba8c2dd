"""Promise cues and non-promise patterns kept as data (responses/extraction/cues.py, data/promise_cues.tsv):
every row's example is its test, and each row is what decides its example."""

import dataclasses
from unittest import mock

import pytest

from responses.extraction import cues as cue_module
from responses.extraction import extract
from responses.extraction.commitments import clause_commits
from responses.extraction.tables import TableError

CUES = cue_module.cues()


@pytest.mark.parametrize("cue", CUES, ids=[cue.where for cue in CUES])
def test_each_row_reads_its_example_as_it_says(cue):
    found = clause_commits(cue.example)
    assert (found is not None) == (cue.kind == "promise"), cue.where


@pytest.mark.parametrize("cue", CUES, ids=[cue.where for cue in CUES])
def test_each_row_is_what_decides_its_example(cue):
    # Without the row, its example reads the other way: the row is not a duplicate of a rule in code.
    others = tuple(c for c in CUES if c is not cue)
    with mock.patch.object(cue_module, "cues", return_value=others):
        found = clause_commits(cue.example)
    assert (found is not None) != (cue.kind == "promise"), cue.where


def test_a_promise_row_for_our_subject_does_not_take_another_bodys_work():
    assert clause_commits("The Department is committed to refreshing the register of experts.") is not None
    assert clause_commits("The council is committed to refreshing its register of local suppliers.") is None


def test_developing_options_is_exploration_not_an_output():
    assert clause_commits("We are currently developing options for supporting local areas.") is None
    assert clause_commits("We are currently developing a new national strategy for carers.") is not None


def test_a_bad_row_is_an_error_naming_its_line(tmp_path, monkeypatch):
    bad = "kind\tsubject\tpattern\texample\nmaybe\tours\t\\bwill\\b\tWe will.\n"
    (tmp_path / "promise_cues.tsv").write_text(bad, encoding="utf-8")
    monkeypatch.setattr("responses.extraction.tables.DATA", tmp_path)
    cue_module.cues.cache_clear()
    from responses.extraction.tables import read_table

    read_table.cache_clear()
    try:
        with pytest.raises(TableError, match="promise_cues.tsv:2"):
            cue_module.cues()
    finally:
        cue_module.cues.cache_clear()
        read_table.cache_clear()


def test_commitments_are_found_when_no_department_is_recognised_and_the_owner_is_left_empty():
    text = (
        "14 March 2025\n\nDear Chair,\n\nThank you for your letter about the inspection of care homes and for the "
        "Committee's report.\n\nWe will publish revised inspection guidance by September 2025, and we are "
        "committed to reviewing the fee structure with providers.\n\nThe Care Quality Commission carried out "
        "forty inspections last year.\n\nYours sincerely,\n\nA. Official\n"
    )
    result = extract(text).to_schema()
    assert result["departments"] == []
    texts = {c["text"]: c["department"] for c in result["commitments"]}
    assert any("publish revised inspection guidance" in t for t in texts)
    assert any("committed to reviewing the fee structure" in t for t in texts)
    assert set(texts.values()) == {None}


def test_cue_dataclass_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CUES[0].kind = "promise"


def test_a_non_promise_pattern_later_in_the_clause_does_not_undo_the_promise():
    clause = (
        "The College of Policing will introduce a new accredited commander course in mid-2025, which they will be "
        "able to take from June."
    )
    assert clause_commits(clause) is not None
    assert clause_commits("They will be able to take the course from June.") is None
