"""The government's position on each recommendation or matter of concern it answers, where it states one.

A response says where it stands in the first sentences of its answer: "The Government accepts this
recommendation", "accepts in principle", "does not accept", "will consider", "notes", or a label ("Recommendation
accepted"). The wordings are rows of ``data/positions.tsv`` (an editor can add one with its example); this module
only finds the answer's first sentences and asks the table. A recommendation whose answer states nothing keeps
no position: the editor sets it, nothing is guessed from the promises that follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .layout import Layout, sentence_spans
from .tables import read_table

# How far into an answer its stance is looked for: responses state it first, or after a sentence or two of
# context ("The Inquiry found ... . The government accepts this recommendation.").
FIRST_SENTENCES = 4

# The recommendation's own words, quoted before the answer: "The UK government should ...", "- test the ...".
_RECOMMENDATION_SPEAK = re.compile(r"\b(?:should|must|ought\s+to)\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:-|\(?[a-z0-9]{1,2}[.)])\s")

POSITIONS = (
    "accepted",
    "partially_accepted",
    "accepted_in_principle",
    "under_consideration",
    "not_accepted",
    "noted",
)


@dataclass(frozen=True)
class PositionCue:
    position: str
    pattern: re.Pattern
    example: str
    where: str


@cache
def position_cues() -> tuple[PositionCue, ...]:
    cues = []
    for row in read_table("positions.tsv"):
        if row["position"] not in POSITIONS:
            raise ValueError(f"{row['_where']}: unknown position {row['position']!r}")
        pattern = re.compile(row["pattern"].replace(r"\s+", r"\s+"), re.IGNORECASE)
        cues.append(PositionCue(row["position"], pattern, row["example"], row["_where"]))
    return tuple(cues)


def position_of(sentence: str) -> str | None:
    """The position a sentence states, by the first row of the table that matches it."""
    text = re.sub(r"\s+", " ", sentence.strip())
    for cue in position_cues():
        if cue.pattern.search(text):
            return cue.position
    return None


def stated_positions(layout: Layout, concern_by_paragraph: dict[int, list[int]], quoted: set[int]) -> dict:
    """Concern number -> the position its answer states (the first of its first sentences that states one).

    The answer to recommendation N is the run of paragraphs the reader placed under N alone (a paragraph
    answering several at once says nothing about one of them), less the paragraphs quoting the
    recommendation itself. A contents page names the recommendation earlier; each run is read, first first.
    """
    found: dict[int, str] = {}
    read: dict[int, int] = {}  # sentences of the current run read so far, per number
    previous: list[int] = []
    for index in range(layout.body_start, layout.body_end):
        numbers = concern_by_paragraph.get(index, [])
        if numbers != previous:
            read = {}
            previous = numbers
        if len(numbers) != 1 or index in quoted or numbers[0] in found:
            continue
        number = numbers[0]
        para = layout.paragraphs[index]
        for start, end in sentence_spans(layout.text, para.start, para.end):
            if read.get(number, 0) >= FIRST_SENTENCES:
                break
            sentence = layout.text[start:end]
            position = position_of(sentence)
            if position is not None:
                found[number] = position
                break
            if not _RECOMMENDATION_SPEAK.search(sentence) and not _LIST_ITEM.match(sentence):
                read[number] = read.get(number, 0) + 1  # the recommendation's own words do not count
    return found
