"""The government's position on each recommendation it answers (responses/extraction/positions.py and its
table data/positions.tsv): every row's example is its test, and real-style responses read as they state."""

import pytest

from responses.extraction import extract
from responses.extraction.positions import POSITIONS, position_cues, position_of

CUES = position_cues()


@pytest.mark.parametrize("cue", CUES, ids=[cue.where for cue in CUES])
def test_each_row_of_the_table_reads_its_example_as_its_position(cue):
    assert cue.position in POSITIONS
    assert position_of(cue.example) == cue.position


@pytest.mark.parametrize(
    "sentence",
    [
        "The Inquiry found that the guidance was out of date.",
        "We will publish revised guidance by March 2026.",
        "The UK government should accept responsibility for the register.",
        "This is in addition to the model which retains an essential role.",
    ],
)
def test_a_sentence_stating_no_stance_has_no_position(sentence):
    assert position_of(sentence) is None


def _positions(text):
    return {c["number"]: c.get("position") for c in extract(text).to_schema()["concerns"]}


COMMAND_PAPER = """Government Response to the Example Inquiry Report

Presented to Parliament by the Minister for the Cabinet Office by Command of His Majesty
17 December 2024

The government welcomes the Inquiry's report and thanks everyone who gave evidence to it. This document sets
out the government's response to each of its five recommendations in turn.

Recommendation 1: The government should establish a national register of experts.
The government accepts this recommendation. We will publish the register by June 2025.

Recommendation 2: The government should legislate for a statutory duty of candour.
The government accepts this recommendation in principle. We will consult on the design of the duty in 2025.

Recommendation 3: The Department should fund a new helpline for families.
The government does not accept this recommendation. Existing helplines already serve families well.

Recommendation 4: The Department should review its guidance on records.
The government will consider this recommendation as part of the wider review and respond in due course.

Recommendation 5: The Department should publish its data each quarter.
Officials publish data every year and the figures are available online for anyone who wants to use them.
"""


def test_a_command_paper_states_a_position_on_each_recommendation_it_answers():
    assert _positions(COMMAND_PAPER) == {
        1: "accepted",
        2: "accepted_in_principle",
        3: "not_accepted",
        4: "under_consideration",
        5: None,  # no stance stated: nothing is guessed from what follows
    }


def test_a_label_above_the_answer_is_the_position():
    text = (
        "Government response to the Example Inquiry report\n\nUpdated 5 November 2025\n\n"
        "The government is grateful to the Inquiry and sets out below its response to the recommendations.\n\n"
        "Recommendation 1\nThe department shall provide written responses to the recommendations by 10 October.\n"
        "Recommendation accepted\nThe department provided its written response on 9 October 2025 and will "
        "publish the others alongside it.\n\n"
        "Recommendation 2\nThe department should pay every claimant within one month of the offer being made.\n"
        "Recommendation rejected\nPayment within one month is not possible for the most complex claims, "
        "which need an independent review first.\n"
    )
    assert _positions(text) == {1: "accepted", 2: "not_accepted"}


def test_the_recommendations_own_words_do_not_use_up_the_sentences_read():
    quoted = " ".join(f"The government should take step {n} of the plan." for n in range(1, 7))
    text = (
        "Response to the Example Inquiry\n\nPublished 21 March 2024\n\n"
        "The government is grateful to the Inquiry and sets out below its response to the recommendation.\n\n"
        f"Recommendation 1: Preparedness\n{quoted}\n\n"
        "The government agrees with the Inquiry's recommendation and will take these steps in 2025.\n"
    )
    assert _positions(text) == {1: "accepted"}


def test_each_commitment_names_the_recommendations_whose_answer_it_sits_in():
    commitments = extract(COMMAND_PAPER).to_schema()["commitments"]
    by_text = {c["text"]: c["concerns"] for c in commitments}
    assert by_text["We will publish the register by June 2025"] == [1]
    assert by_text["We will consult on the design of the duty in 2025"] == [2]
