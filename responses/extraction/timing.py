"""Which time phrase dates a promise: attaching the resolver's phrases to the clause, the sentence and the section.

The deadline resolver (``responses.deadlines``) reads one piece of text and picks the phrase that times the
promised action in it. What piece of text to give it is decided here, from where the phrase stands:

- after the promise's verb ("we will publish it by March"): it times the promise;
- before it, only where it belongs to the promise's own clause (the resolver's choice over the whole clause is
  kept when it is one of these): an opening adverbial ("By March 2026, we will ..."; "In 2026 TITANIA will
  launch, followed by OBERON in 2027": the opening phrase times the launch, the later one the other mission), a
  phrase just before the subject ("... and, from April 2025, we will increase ..."), a phrase inside the subject
  ("the spring space publication will set out ..."), or an appositive that says when the subject is due ("The
  Academy, to be launched in April 2025, will ...", "A refreshed suite of standards due by April 2025, led by
  ..., will ..."). A phrase in a subordinate clause about another event ("Since the meeting on 23 January, ...",
  "Following the consultation in March, ...") times that event, not the promise;
- an output named by its year after the verb ("will be undertaking the 2026 Space Sector Skills Survey") is
  due in that year, when it is the letter's year or the next and nothing else times the promise;
- a sentence that opens with a time phrase ("In spring 2025, the review will conclude and we will publish a
  statement") times every promise in it that has no time of its own;
- a response section headed or closed by a timescale line ("Timescale: by March 2027", "Target date: spring
  2026", "Delivery date - 2026 to 2027") times the undated promises of that section; a heading that is mostly a
  time ("By March 2026", "Short term: by September 2024", "Phase 2 (2026 to 2028)") times the undated promises
  under it, up to the next heading.

A follow-up sentence dates an undated promise before it: "This will be by the end of 2026." (folded in by
``commitments._times_previous_sentence``, which asks ``clause_time`` for the date); a pro-form ("We expect to do
so by March.", "The aim is to have this in place by the summer.") is folded in by ``follow_up_time``; a sentence
naming the promised thing again ("The strategy will be published by March." after "We will publish a
strategy") dates it and stays a sentence of its own.

Never due before the letter: a phrase resolved to a day before the letter's date is a past event.
Undated letters: relative phrases keep their words but get no date (only absolute dates are kept).
"""

from __future__ import annotations

import bisect
import re
from datetime import date

# Undated letter: resolve against a reference long before any letter, then keep only what does not depend on it.
UNDATED_REFERENCE = date(2000, 1, 1)
UNDATED_PROBE = date(2001, 6, 15)

# A word that says the time before it belongs to a subordinate clause about another event.
_OTHER_EVENT = re.compile(
    r"\b(?:since|following|after|ahead\s+of|when|once|until|while|whilst|as|because|although|if|unless|"
    r"at|during\s+(?:the|its|their)\s+\w+\s+(?:meeting|session|debate|visit))\b[^,;]*$",
    re.IGNORECASE,
)
# What an appositive says to date its subject: "X, due by April 2025, ...", "X, to be launched in ...",
# "X, which will form part of Y from its launch in April 2025, ...", "X (expected in spring 2026) will ...".
_PROSPECTIVE = re.compile(
    r"\b(?:due|to\s+be\s+\w+|will|shall|planned|scheduled|expected|set\s+to|forthcoming|upcoming|"
    r"(?:from|at|on)\s+(?:its|their)\s+(?:launch|opening|introduction|start))\b",
    re.IGNORECASE,
)
# Between a phrase and the promise's verb, nothing that opens another clause: the phrase is in the subject
# or just before it ("..., from April 2025, we will ...").
_CLAUSE_BREAK = re.compile(
    r"[;:()]|,.*,|\b(?:that|which|who|where|and|but|or|so|because|if)\b", re.IGNORECASE
)
_MAX_WORDS_TO_VERB = 8


def _resolved(resolver, text: str, letter_date: date | None):
    deadline = resolver(text, letter_date or UNDATED_REFERENCE)
    if deadline is None or not getattr(deadline, "phrase", None):
        return None
    return deadline


def _owns(clause: str, trigger: int, start: int, end: int) -> bool:
    """Whether the phrase at clause[start:end], before the promise's verb at ``trigger``, times the promise."""
    # A bracketed phrase stands where its brackets stand: "During the second phase (2026 to 2028), we will ..."
    if clause[:start].rstrip().endswith("(") and clause[end:].lstrip().startswith(")"):
        start = clause.rindex("(", 0, start)
        end = clause.index(")", end) + 1
    before = clause[:start]
    if len(before.split()) <= 2:
        return True  # an opening adverbial: "By March 2026, we will ...", "In 2026 TITANIA will launch"
    if _OTHER_EVENT.search(before):
        return False  # "Since the session on 23 January, ... we will": the time of another event
    between = clause[end:trigger]
    if len(between.split()) <= _MAX_WORDS_TO_VERB and not _CLAUSE_BREAK.search(between.lstrip(" ,")):
        return True  # inside the subject, or just before it
    # An appositive that says when its subject is due: from the comma before the phrase to the phrase.
    comma = max(before.rfind(","), before.rfind("("))
    lead = before[comma + 1 :] if comma >= 0 else before
    return bool(_PROSPECTIVE.search(lead)) and len(lead.split()) <= 14


def clause_time(clause: str, trigger: int, letter_date: date | None, resolver):
    """(phrase, due_earliest, due_latest, precision) of the phrase that times the promise at ``trigger``.

    The resolver's choice over the whole clause is kept when it times the promise (after the verb, or before it
    in one of the places ``_owns`` accepts); otherwise the first phrase after the verb. None when nothing times
    it. A date before the letter's is a past event, never a due date.
    """
    if resolver is None:
        return None
    whole = _resolved(resolver, clause, letter_date)
    attempts = []
    if whole is not None and (
        whole.start is None or whole.start >= trigger or _owns(clause, trigger, whole.start, whole.end)
    ):
        attempts.append((whole, clause))
    attempts.append((None, clause[trigger:]))
    for deadline, text in attempts:
        if deadline is None:
            deadline = _resolved(resolver, text, letter_date)
            if deadline is None:
                continue
        if letter_date and deadline.due_latest and deadline.due_latest < letter_date:
            continue
        if letter_date is None and deadline.due_latest:
            # Relative phrases ("later this year") cannot be dated without the letter's date.
            probe = resolver(text, UNDATED_PROBE)
            if probe is None or probe.due_latest != deadline.due_latest:
                return deadline.phrase, None, None, "vague"
        return deadline.phrase, deadline.due_earliest, deadline.due_latest, deadline.precision
    return named_year(clause, trigger, letter_date)


# An output named by its year, as the object of the promise: "will be undertaking the 2026 Space Sector Skills
# Survey", "will run the 2025 Autumn Exercise". Only the letter's year or the next: further ahead, a year names
# a target the promise serves ("the 2030 target"), not when the promised act happens.
_NAMED_BY_YEAR = re.compile(r"\bthe\s+(?P<year>20\d\d)\s+(?P<name>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")


def named_year(clause: str, trigger: int, letter_date: date | None):
    """(phrase, earliest, latest, "year") for an output named by its year after the promise's verb; or None."""
    if letter_date is None:
        return None
    match = _NAMED_BY_YEAR.search(clause, trigger)
    if match is None:
        return None
    year = int(match.group("year"))
    if not letter_date.year <= year <= letter_date.year + 1:
        return None
    phrase = clause[match.start("year") : match.end("name")]
    return phrase, max(letter_date, date(year, 1, 1)), date(year, 12, 31), "year"


def opening_time(sentence: str, letter_date: date | None, resolver):
    """The time phrase a sentence opens with ("In spring 2025, ...", "By the end of 2026 ..."), resolved; or None."""
    if resolver is None:
        return None
    deadline = _resolved(resolver, sentence, letter_date)
    if deadline is None or deadline.start is None or len(sentence[: deadline.start].split()) > 1:
        return None
    if deadline.due_latest is None or (letter_date and deadline.due_latest < letter_date):
        return None
    timing = clause_time(sentence, 0, letter_date, resolver)
    return timing if timing and timing[2] is not None else None


def share_opening_time(sentence: str, commitments, letter_date: date | None, resolver) -> None:
    """Give the undated promises of a sentence that opens with a time phrase that time (in place).

    "In spring 2025, the resilience review will conclude and we will publish a strategic statement": both are
    due in spring 2025. Promises with a time of their own keep it.
    """
    if not any(c.precision == "none" for c in commitments):
        return
    timing = opening_time(sentence, letter_date, resolver)
    if timing is None:
        return
    for commitment in commitments:
        if commitment.precision == "none":
            commitment.time_phrase, commitment.due_earliest, commitment.due_latest, commitment.precision = (
                timing
            )


# A response's timescale given as a label: "Timescale: by March 2027", "Target date - spring 2026", "Delivery
# date: 2026 to 2027", also inside a heading ("Recommendation 3 (Timescale: Q2 2026)").
_TIMESCALE_LABEL = re.compile(
    r"\b(?:time\s*scales?|timings?|timelines?|timeframes?|timetable|(?:target|delivery|due|completion|"
    r"implementation|expected|estimated|planned)(?:\s+(?:implementation|completion|delivery|publication))?"
    r"(?:\s+dates?)?|deadline|by\s+when)\s*(?::|\s[-\u2013]\s)\s*"
    r"(?P<when>[^\n;|)]{2,60})",
    re.IGNORECASE,
)
_LABEL_NOT_A_TIME = re.compile(
    r"^(?:ongoing|tbc|tba|tbd|to\s+be\s+(?:confirmed|agreed|determined)|n/?a|complete[d]?|done|delivered|"
    r"implemented|in\s+place|achieved)\b",
    re.IGNORECASE,
)


def _label_time(line: str, letter_date: date | None, resolver):
    match = _TIMESCALE_LABEL.search(line)
    if match is None or resolver is None or letter_date is None:
        return None
    when = match.group("when").strip(" .,")
    if _LABEL_NOT_A_TIME.match(when) or len(when.split()) > 8:
        return None
    prefixed = (
        when
        if re.match(r"(?i)(?:by|in|during|before|within|over|from|end|the\s+end)\b", when)
        else f"by {when}"
    )
    deadline = resolver(prefixed, letter_date)
    if deadline is None or not deadline.phrase or deadline.due_latest is None:
        return None
    if len(deadline.phrase) < 0.6 * len(prefixed) or deadline.due_latest < letter_date:
        return None  # the label's text is not (only) a time
    return when, deadline.due_earliest, deadline.due_latest, deadline.precision


_HEADING_WORD = re.compile(r"[A-Za-z0-9]+")


def _heading_time(para, letter_date: date | None, resolver):
    """The time a heading states when it is mostly a time: "By March 2026", "Short term: by summer 2025"."""
    if resolver is None or letter_date is None or not para.is_heading:
        return None
    text = para.text.strip().strip("*_").strip()
    prefixed = (
        text if re.match(r"(?i)(?:by|in|during|before|within|over|from|until)\b", text) else f"by {text}"
    )
    deadline = resolver(prefixed, letter_date)
    if (
        deadline is None
        or not deadline.phrase
        or deadline.due_latest is None
        or deadline.due_latest < letter_date
    ):
        return None
    if len(_HEADING_WORD.findall(deadline.phrase)) < 0.5 * len(_HEADING_WORD.findall(prefixed)):
        return None  # a heading about something, with a date in it ("The 2026 Skills Survey")
    return deadline.phrase, deadline.due_earliest, deadline.due_latest, deadline.precision


def date_by_timescale_labels(
    layout, commitments, concern_by_paragraph, letter_date: date | None, resolver
) -> None:
    """Give the undated promises of a response section the time its timescale label or its heading states (in place).

    A section is the run of paragraphs answering the same numbered recommendation or concern; where nothing is
    numbered, the paragraphs between the headings around the label (a label right under a heading times the
    section that follows it).
    """
    labels, headings = [], []
    for index in range(layout.body_start, layout.body_end):
        para = layout.paragraphs[index]
        for line in para.text.split("\n"):
            timing = _label_time(line, letter_date, resolver)
            if timing is not None:
                labels.append((index, timing))
                break
        else:
            timing = _heading_time(para, letter_date, resolver)
            if timing is not None:
                headings.append((index, timing))
    if not labels and not headings:
        return
    starts = [p.start for p in layout.paragraphs]
    by_paragraph: dict[int, list] = {}
    for commitment in commitments:
        if commitment.precision == "none":
            index = max(0, bisect.bisect_right(starts, commitment.start) - 1)
            by_paragraph.setdefault(index, []).append(commitment)
    sections = [
        (_section_of(layout, index, concern_by_paragraph, by_paragraph), timing) for index, timing in labels
    ]
    for index, timing in headings:  # a heading that is a time ("By March 2026", "Phase 2 (2026 to 2028)")
        following = index + 1
        while following < layout.body_end and not layout.paragraphs[following].is_heading:
            following += 1
        sections.append((range(index + 1, following), timing))
    for section, timing in sections:
        for paragraph in section:
            for commitment in by_paragraph.get(paragraph, []):
                if commitment.precision == "none":
                    (
                        commitment.time_phrase,
                        commitment.due_earliest,
                        commitment.due_latest,
                        commitment.precision,
                    ) = timing


def _section_of(layout, index: int, concern_by_paragraph, by_paragraph) -> range:
    numbers = concern_by_paragraph.get(index) or []
    low, high = layout.body_start, layout.body_end
    if numbers:
        first = last = index
        while first - 1 >= low and (concern_by_paragraph.get(first - 1) or []) == numbers:
            first -= 1
        while last + 1 < high and (concern_by_paragraph.get(last + 1) or []) == numbers:
            last += 1
        return range(first, last + 1)

    def heading(i: int) -> bool:
        para = layout.paragraphs[i]
        return para.is_heading and _TIMESCALE_LABEL.search(para.text) is None

    first = index
    while first - 1 >= low and not heading(first - 1):
        first -= 1
    last = index
    while last + 1 < high and not heading(last + 1):
        last += 1
    if not any(by_paragraph.get(i) for i in range(first, last + 1)) and last + 1 < high:
        last += 1  # the label stands under the recommendation's heading: it times the response after it
        while last + 1 < high and not heading(last + 1):
            last += 1
    return range(first, last + 1)


# A follow-up sentence that only restates the promise before it with a pro-form and says when: "We expect to do
# so by March.", "The aim is to have it in place by the summer.", "We anticipate that this will be in place by
# April." It dates the promise and is not one of its own. ("We expect to complete this work by 2025" names an act
# of its own, a promise with its own date: it is left alone.)
_PRO_FORM_FOLLOW_UP = re.compile(
    r"^(?:(?:we|I|the\s+(?:government|department))\s+(?:would\s+|now\s+|currently\s+)?"
    r"(?:expects?|aims?|intends?|plans?|hopes?|anticipates?|proposes?|would\s+expect|will\s+seek|are\s+aiming|"
    r"are\s+planning)\s+to|(?:the|our|my)\s+(?:aim|intention|expectation|plan|ambition|target|hope)\s+is\s+to)\s+"
    r"(?:do\s+(?:so|this|that|it)|achieve\s+(?:this|it|that)|"
    r"have\s+(?:this|it|that|these|them)\s+(?:in\s+place|completed|done|published|ready|available))\b"
    r"|^(?:we|I)\s+(?:expect|anticipate)\s+(?:that\s+)?(?:this|it|these|they)\s+will\s+be\b",
    re.IGNORECASE,
)
# "The strategy will be published by the end of 2024." after "We will publish a ... strategy": the same thing,
# named again, delivered by a date. It dates the promise; it stays a commitment of its own (it may be quoted so).
_NAMED_AGAIN = re.compile(
    r"^(?:the|this|that|these|our|its|their)\s+(?:[\w'-]+\s+){0,3}?(?P<head>[a-z][\w'-]*?)s?\s+"
    r"(?:will|is\s+(?:expected|due|scheduled|planned)\s+to|are\s+(?:expected|due|scheduled|planned)\s+to)\s+"
    r"(?:now\s+|then\s+)?(?:be\s+)?(?:published|completed?|launched|laid|introduced|issued|finalised|in\s+place|"
    r"available|implemented|rolled\s+out|operational|concluded?|ready|open|live|start|begin|report)\b",
    re.IGNORECASE,
)
_FOLLOW_UP_WORDS = 25


def follow_up_time(sentence: str, previous, letter_date: date | None, resolver) -> bool:
    """Date an undated promise from the sentence after it (in place); True when that sentence is only its time.

    A pro-form follow-up ("We expect to do so by March.") is folded into the promise; a follow-up naming the
    promised thing again ("The strategy will be published by March." after "We will publish a strategy") dates
    it and is still read as a sentence of its own.
    """
    if previous.precision != "none" or resolver is None:
        return False
    stripped = sentence.strip()
    if len(stripped.split()) > _FOLLOW_UP_WORDS:
        return False
    pro_form = _PRO_FORM_FOLLOW_UP.match(stripped)
    named = None if pro_form else _NAMED_AGAIN.match(stripped)
    if named is not None:
        head = named.group("head").lower()
        if len(head) < 4 or not re.search(rf"\b{re.escape(head)}", previous.text, re.IGNORECASE):
            return False
    elif pro_form is None:
        return False
    timing = clause_time(stripped, 0, letter_date, resolver)
    if not timing or timing[2] is None:
        return False
    previous.time_phrase, previous.due_earliest, previous.due_latest, previous.precision = timing
    return pro_form is not None
