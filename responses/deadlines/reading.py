"""Reading the sentence: is the clause around a time phrase about the future (a promise) or the past?"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .phrases import _Cand

# ---------------------------------------------------------------------------------------------------------
# Reading the sentence: which phrase times the promise
# ---------------------------------------------------------------------------------------------------------

_RE_BOUNDARY = re.compile(
    r"[.;:!?()\[\],\"]|\s-\s|\b(?:and|but|which|while|whilst|whereas|although|though|because|however|"
    r"where|so\s+that|who|whom)\b",
    re.I,
)
_RE_FUTURE = re.compile(
    r"\b(?:will|shall|won't|going\s+to|intend\w*|plan(?:s|ned|ning)?\s+(?:to|for|on)|planned|planning|"
    r"aim(?:s|ed|ing)?\s+(?:to|for|is|at)|expect(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|due|schedul\w*|"
    r"commit(?:s|ted|ting|ments?)?|pledg\w*|promis\w*|undertak(?:e|es|ing)|propos\w*|hope[sd]?|hoping|seek\w*|"
    r"would\s+like|wants?\s+to|"
    r"set\s+to|on\s+track|looking\s+to|to\s+be|should|must|needs?\s+to|forthcoming|upcoming|is\s+to|are\s+to|"
    r"programm(?:ed|ing)(?=\s*$)|earmark\w*|delay\w*|postpon\w*|defer\w*|extend\w*|push\w*\s+back|moved?\s+to|resched\w*|ready|timetabl\w*|"
    r"target\w*|deadline|in\s+order\s+to|ensure|by\s+when|intention|ambition|"
    r"(?:ask(?:s|ed|ing)?|agreed|decided|invit(?:ed|ing)|tasked|request(?:s|ed|ing)|instruct(?:ed|ing)|commissioned|encouraged|expect)\s+"
    r"(?:[\w'-]+\s+){0,5}?to\s+(?!date\b)[a-z]{3,})\b|'ll\b",
    re.I,
)
_PAST_WORDS = (
    r"was|were|had|did|has\s+been|have\s+been|said|stated|told|announced|published|launched|introduced|began|"
    r"begun|started|completed|received|wrote|written|held|met|took\s+place|came\s+into\s+(?:force|effect)|"
    r"(?:I|we|he|she|they)\s+set\s+out|"
    r"set\s+up|established|issued|laid|passed|made|sent|agreed|confirmed|reported|noted|ended|closed|"
    r"concluded|highlighted|identified|updated|provided|delivered|commissioned|funded|allocated|invested|"
    r"appointed|ran|gave|given|saw|seen|brought|spent|led|became|found|won|paid|built|sought|chose|"
    r"undertook|enacted|implemented|consulted|ran|hosted|attended|visited|wrote|responded|replied|"
    r"came|went|took|taken|done|shown|known|grown|drawn|chosen|spoken|broken|begun"
)
_RE_PAST_LEFT = re.compile(
    rf"\b(?:{_PAST_WORDS}|since|followed)\b|\b\w{{3,}}(?<!e)ed\s*$|"
    rf"\b(?:have|has|had)\s+(?:\w+ly\s+|also\s+|already\s+|now\s+)?(?:been|{_PAST_WORDS}|\w{{3,}}(?<!e)ed)\b",
    re.I,
)
# a past verb after its subject anywhere earlier in the sentence ("This followed a meeting ... in September")
_RE_PAST_CLAUSE = re.compile(
    r"\b(?:we|i|they|he|she|it|this|that|which|who|officials|ministers|government|department|the\s+\w+)\s+"
    rf"(?:\w+ly\s+)?(?:(?:have|has|had)\s+(?:\w+ly\s+)?)?(?:{_PAST_WORDS}|followed|\w{{3,}}(?<!e)ed)\b",
    re.I,
)
# a reported promise: "we said we would publish in March", "was due to", "had planned to"
_RE_REPORTED = re.compile(
    r"\b(?:said|stated|promised|undertook|indicated|told\s+\w+|announced|confirmed|explained|noted|"
    r"committed|pledged|suggested|expected|hoped|intended|planned)\b[^.;]*\bwould\b",
    re.I,
)
# what the report asked for, quoted back: "The Committee recommended that the Department should publish by ..."
_RE_RECOMMENDED = re.compile(
    r"\b(?:recommended|recommends|called\s+for|calls\s+for|urged|urges|asked\s+that|requested\s+that)"
    r"\b[^.;]*\b(?:should|must|ought\s+to|be\s+required\s+to)\b",
    re.I,
)
# an old timetable: "was due to be published in March", "had planned to", "would have been"
_RE_OLD_TIMETABLE = re.compile(
    r"\b(?:was|were|had\s+been|remained)\s+(?:originally\s+|initially\s+|previously\s+)?(?:due|expected|scheduled|"
    r"planned|intended|supposed|meant|set|going)\b|\bhad\s+(?:originally\s+|initially\s+)?(?:planned|intended|"
    r"hoped|expected|aimed|committed|promised)\b|\bwould\s+have\b|"
    # simple past of a promise ("we committed to publishing in the summer"): an old promise reported, where
    # "we have committed to" is one that stands
    r"\b(?:we|I|they|the\s+Government|the\s+Department|Ministers)\s+(?:previously\s+|originally\s+)?"
    r"(?:committed|promised|pledged|undertook)\s+to\b",
    re.I,
)
# Words that end a subject: a modal, an auxiliary, a relative or "to" (so "the Government will launch the updated
# code" never reads "updated" as the verb of a subject "the Government will launch the").
_NOT_IN_SUBJECT = (
    r"(?:will|shall|would|should|could|can|may|might|must|is|are|am|was|were|be|been|has|have|had|do|does|did|to|"
    r"that|which|who|and|or|but)\b"
)
# The subject before a past verb after the phrase: a pronoun, a noun phrase or a capitalised name. Matched
# case-sensitively for names, and never a subordinator: in "in the coming year, whether bereaved parents
# should ..." the "-ed" word is an adjective inside a future question, not a past clause.
_RE_PAST_RIGHT = re.compile(
    rf"^[\s,]*(?!(?:whether|if|how|what|when|where|why|who|which|that)\b)"
    rf"(?:(?:we|i|they|it|he|she|you|this|these|the\s+\w+(?:\s+\w+)?|our\s+\w+|(?-i:[A-Z]\w+)|"
    # a longer named subject: "the Secretary of State", "the Chief Medical Officer for England"
    rf"the\s+(?:(?!{_NOT_IN_SUBJECT})[\w'-]+\s+){{2,4}}?(?!{_NOT_IN_SUBJECT})[\w'-]+)\s+)"
    rf"(?:also\s+|then\s+|first\s+|\w+ly\s+)?(?:(?:have|has|had)\s+(?:already\s+|now\s+|also\s+|\w+ly\s+)?)?"
    rf"(?:been|{_PAST_WORDS}|\w{{3,}}(?<!e)ed)\b|^[\s,]*(?:{_PAST_WORDS})\b",
    re.I,
)


# a participle used as an adjective ("the updated guidance", "a revised version") is no past event
_RE_ADJECTIVAL_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|this|that|these|those|its|their|our|his|her|your|any|each|every|newly|recently|further|"
    r"more|fully|well|all|new)\s+|-)$",
    re.I,
)
_RE_PAST_AUXILIARY = re.compile(
    r"\b(?:was|were|had|did|has|have)\b", re.I
)  # a cheap test before the full one
_RE_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|am|be|being)\s+(?:\w+ly\s+)?$", re.I)
# finite past and perfect forms: they override a future marker before them in the same clause ("patients who
# had been triaged to be seen ... were not uncommon throughout the winter"; "will review it once the system
# has been rolled out in 2025")
_RE_FINITE_PAST = re.compile(
    r"\b(?:was|were|had|did|(?<!\bto\s)(?<!\bwill\s)(?<!\bshall\s)(?<!\bwould\s)(?<!\bshould\s)(?<!\bmust\s)"
    r"(?<!\bmay\s)(?<!\bmight\s)(?<!\bcould\s)(?:has|have)\s+(?:\w+ly\s+)?(?:been|\w+ed))\b",
    re.I,
)  # "to have implemented the changes by April 2025" is a future perfect


def _last_past(left: str) -> int:
    """Where the last past-tense marker of the clause starts, or -1 (adjectival participles and present or
    future passives skipped: "the updated guidance", "the plan is reviewed in or before 2027", "to be published")."""
    last = -1
    first = _RE_PAST_LEFT.search(left)
    if first is None:
        return -1
    for m in _RE_PAST_LEFT.finditer(left, first.start()):
        if _RE_ADJECTIVAL_BEFORE.search(left, 0, m.start()) or _RE_PASSIVE_BEFORE.search(left, 0, m.start()):
            continue
        last = m.start()
    return last


_RE_ABSOLUTE_WITH = re.compile(
    r"\s*with\s+(?:the|its|their|our|a|an|each|every|all)\s+(?:[\w'-]+\s+){0,4}?(?:\w+(?:ed|en)|laid|made|set|put)\b"
    r"(?![^,]*\b(?:was|were|has|have|had)\b)",
    re.I,
)


def _left_window(text: str, start: int, bounds: list[int]) -> str:
    """The clause before `start`: back to the last boundary (comma, "and", "which" ...), at most 160 chars.

    A clause that only continues a verb phrase after "and"/"or" ("will be completed and published shortly",
    "we will review ... and publish our findings by autumn 2026") takes its tense from the clause before, so
    the window then reaches back over the conjunction.
    """
    i = bisect_right(bounds, start)
    cut = bounds[i - 1] if i else 0
    left = text[max(cut, start - 160) : start]
    for _ in range(2):
        if not (i >= 1 and text.endswith(("and", " or", "AND", " OR"), max(0, cut - 3), cut)):
            break
        if cut >= 4 and (text[cut - 4].isalnum() or text[cut - 4] == "_"):
            break  # "brand", "Strand": not the conjunction
        if _RE_FUTURE.search(left) or _last_past(left) >= 0 and not _RE_BARE_PARTICIPLE.match(left):
            break  # the clause has a tense of its own
        if not _RE_CONTINUES_VERB.match(left):
            break  # a new subject ("and the department will ..."): its own clause
        i -= 1
        cut = bounds[i - 1] if i else 0
        left = text[max(cut, start - 160) : start]
    return left


# what follows "and" when it continues the verb phrase: a verb or participle, maybe after an adverb
_RE_CONTINUES_VERB = re.compile(
    r"^\s*(?:then\s+|also\s+|\w+ly\s+)?(?!the\b|a\b|an\b|we\b|it\b|they\b|this\b)(?-i:[a-z]+)\b", re.I
)
_RE_BARE_PARTICIPLE = re.compile(r"^\s*(?:\w+ly\s+)?\w{3,}(?:ed|en)\s*$", re.I)


def _right_window(text: str, end: int) -> str:
    segment = text[end : end + 160]
    stop = re.search(r"[.;!?](?=\s|$)|;", segment)  # a sentence's end, not the dot of a web address
    return segment[: stop.start()] if stop else segment


def _reading(text: str, c: _Cand, bounds: list[int]) -> tuple[str, float]:
    """Return ("past"|"future", score) for a candidate from the tense of the clause around it."""
    left = _left_window(text, c.start, bounds)
    fut_left = _RE_FUTURE.search(left)
    if _RE_OLD_TIMETABLE.search(left):
        return "past", 0
    if (
        "would" in left
        and _RE_REPORTED.search(text, max(0, c.start - 160), c.start)
        and not _RE_FUTURE.search(left.split("would")[-1] if "would" in left else left)
    ):
        # "we said we would publish in March": the old promise is reported, not made
        if re.search(r"\bwould\b|\b(?:was|were|had)\b", left, re.I):
            return "past", 0
    if _RE_RECOMMENDED.search(left) and not re.search(r"\b(?:will|shall)\b|'ll\b", left, re.I):
        return "past", 0  # the report's request, not the Government's promise
    # "..., with the first statement laid before Parliament by July 2026": a participle after "with" and
    # its noun describes the promised state, not a past event; the main clause's tense decides.
    if fut_left:
        if (
            _RE_PAST_AUXILIARY.search(left, fut_left.end())
            and _RE_FINITE_PAST.search(left, fut_left.end())
            and not _RE_ABSOLUTE_WITH.match(left)
        ):
            last_future = max(m.end() for m in _RE_FUTURE.finditer(left, fut_left.start()))
            if _RE_FINITE_PAST.search(left, last_future):
                return "past", 0
        return "future", 3
    if _last_past(left) >= 0 and not _RE_ABSOLUTE_WITH.match(left):
        return "past", 0
    if not left.strip() or re.fullmatch(r"\s*(?:then|also|so|thereafter|and)?\s*", left, re.I):
        right = _right_window(text, c.end)
        fut = _RE_FUTURE.search(right)
        past = _RE_PAST_RIGHT.search(right)
        if past and (not fut or past.start() < fut.start()):
            return "past", 0
        if fut:
            return "future", 2
    if _RE_FUTURE.search(text, 0, c.start):
        return "future", 1
    right = _right_window(text, c.end)
    fut, past = _RE_FUTURE.search(right), _RE_PAST_RIGHT.search(right)
    if fut and not (past and past.start() < fut.start()) and not _RE_PAST_CLAUSE.search(text, 0, c.start):
        # inside the subject, before its verb: "Our mission to halve violence in a decade will require ..."
        return "future", 1
    if _RE_PAST_CLAUSE.search(text, 0, c.start) and not _RE_FUTURE.search(_right_window(text, c.end)):
        return "past", 0
    return "future", 0.5
