"""Which phrase times the promise, and the answer: ``resolve`` and ``resolve_line``."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .phrases import (
    _NEGATABLE_PREPS,
    _PATTERNS,
    _RE_NEGATION,
    _START_PREPS,
    _Cand,
    _Joined,
    _merge_anniversaries,
)
from .reading import _RE_BOUNDARY, _left_window, _reading

PRECISIONS = ("day", "month", "season", "quarter", "half", "year", "financial_year", "vague", "none")


@dataclass(frozen=True)
class Deadline:
    phrase: str | None  # verbatim substring of the input text, or None
    due_earliest: date | None
    due_latest: date | None
    precision: str  # one of PRECISIONS
    rule: str | None = None  # name of the rule that fired (for --explain)
    start: int | None = None  # character offsets of phrase in text
    end: int | None = None
    # With no deadline: the time phrase that was found but read as a past event ("At Spring Budget 2024, the
    # Chancellor announced"), so an editor can be told why the sentence is undated. Never a due date.
    past_phrase: str | None = None


NO_DEADLINE = Deadline(None, None, None, "none")

# How much of the letter's date the document gives: "17 December 2024", "January 2026", "2011".
REFERENCE_PRECISIONS = ("day", "month", "year")
# From finer to coarser, for the precision of a phrase resolved against a month or a year.
_COARSENESS = {"day": 0, "month": 1, "season": 2, "quarter": 2, "half": 3, "year": 4, "financial_year": 4}


def _key_index(patterns):
    """Map every key word to the patterns it opens, so one pass over the sentence picks the rules to run.

    The ten digits are one test (a regular expression), so a sentence pays for fewer substring tests.
    """
    by_key: dict[str, set[int]] = {}
    for i, (*_, ks) in enumerate(patterns):
        for k in ks:
            by_key.setdefault("0" if k.isdigit() and len(k) == 1 else k, set()).add(i)
    digits = tuple(sorted(by_key.pop("0", ())))
    return tuple(sorted(by_key)), {k: tuple(sorted(v)) for k, v in by_key.items()}, digits


_KEYS, _KEY_PATTERNS, _DIGIT_PATTERNS = _key_index(_PATTERNS)
# Keys are substrings. Those without a space are looked up word by word, and what a word opens is remembered
# (a letter's vocabulary repeats), so a sentence costs a dictionary look-up a word rather than a substring test a key.
_WORD_KEYS = tuple(k for k in _KEYS if not any(ch.isspace() for ch in k))
_SPACED_KEYS = tuple(k for k in _KEYS if k not in _WORD_KEYS)
_WORD_PATTERNS: dict[str, tuple[int, ...]] = {}


def _patterns_of(word: str) -> tuple[int, ...]:
    opened = {i for key in _WORD_KEYS if key in word for i in _KEY_PATTERNS[key]}
    if any(ch.isdigit() for ch in word):
        opened.update(_DIGIT_PATTERNS)
    return tuple(sorted(opened))


# "support for this beyond March 2026", "funding for 2025 to 2026": the extent of something, not when it is due;
# "for" times a promise only after a word of scheduling ("planned for 2025", "due for publication in ...").
_NOT_TIMING_PREPS = {"beyond", "for"}
_RE_SCHEDULED_FOR = re.compile(
    r"\b(?:plan\w*|schedul\w*|programm\w*|due|set|timetabl\w*|expect\w*|earmark\w*|pencil\w*(?:\s+in)?|aim\w*|"
    r"target\w*|slated|ready|booked|intend\w*|propos\w*|place|date|deadline|time)\s+(?:[\w'-]+\s+){0,3}$",
    re.I,
)


def _timed_for(text: str, c: _Cand) -> bool:
    if c.prep != "for":
        return False
    return bool(_RE_SCHEDULED_FOR.search(text, max(0, c.start - 40), c.start))


def _candidates(text: str, ref: date) -> list[_Cand]:
    found: list[_Cand] = []
    low = text.lower()
    active = set()
    cache = _WORD_PATTERNS
    for word in set(low.split()):
        opened = cache.get(word)
        if opened is None:
            opened = _patterns_of(word)
            if len(cache) < 200_000:
                cache[word] = opened
        active.update(opened)
    for key in _SPACED_KEYS:
        if key in low:
            active.update(_KEY_PATTERNS[key])
    for i in sorted(active):
        regex, prefix, handler, _keys = _PATTERNS[i]
        for m in regex.finditer(text):
            if prefix is not None:
                m = _Joined(prefix.search(text, max(0, m.start() - 48), m.start()), m, text)
            c = handler(m, text, ref)
            if c is not None and c.prep in _NOT_TIMING_PREPS and not _timed_for(text, c):
                c = None
            if c is not None:
                # trim the trailing space some patterns keep
                while c.end > c.start and text[c.end - 1].isspace():
                    c.end -= 1
                found.append(c)
    # keep the longest non-overlapping candidates, leftmost first
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Cand] = []
    for c in found:
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept


_RE_RANGE_JOIN = re.compile(r"\s*(?:-|to|and|until|till|through(?:\s+to)?)?\s*", re.I)
_SPAN_PREPS = {"over", "across", "during", "in", "throughout", "through"}
_RANGE_SECOND_PREPS = {"", "to", "and", "until", "till", "through", "through to"}


def _range_start(first: _Cand, second: _Cand) -> date:
    """Where a two-part phrase starts; "March or April 2025" gives March the year of April."""
    start = first.earliest or first.latest
    second_start = second.earliest or second.latest
    if first.rule == second.rule == "month" and (second_start - start).days > 330:
        start = date(second_start.year, start.month, 1)
        if start > second_start:
            start = date(second_start.year - 1, start.month, 1)
    return start


def _merge_ranges(text: str, cands: list[_Cand]) -> list[_Cand]:
    """'from April to June 2025' / 'between March and May 2024': one candidate spanning both."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "future"
            and c.kind in ("future", "joiner")
            and (
                prev.prep in ("from", "between")
                or (prev.prep in _SPAN_PREPS and c.prep == "and")
                or (not prev.prep and c.prep in ("to", "until", "till"))
            )
            and prev.latest is not None
            and c.latest is not None
            and c.prep in _RANGE_SECOND_PREPS
            and c.start - prev.end <= 12
            and _RE_RANGE_JOIN.fullmatch(text[prev.end : c.start])
        ):
            earliest = _range_start(prev, c)
            out[-1] = _Cand(prev.start, c.end, earliest, c.latest, c.precision, "range", prep=prev.prep)
            continue
        if (
            prev is not None
            and prev.kind == "future"
            and c.kind in ("future", "joiner")
            and prev.latest is not None
            and c.latest is not None
            and re.fullmatch(
                r"\s*,?\s*or(?:\s+(?:possibly|perhaps|at\s+the\s+latest))?\s*", text[prev.end : c.start]
            )
        ):
            # "by the end of this year or early next year": due by the later of the two
            later = c if c.latest >= prev.latest else prev
            earliest = _range_start(prev, c) if prev.earliest else None
            out[-1] = _Cand(
                prev.start, c.end, earliest, later.latest, later.precision, "either", prep=prev.prep
            )
            continue
        out.append(c)
    return out


# Prepositions that join a phrase to its sentence rather than time it: left out of the phrase.
_RE_WEAK_PREP = re.compile(
    r"(?:and|to|due|for|between)\s+(?=(?:later|earlier|early|mid|late|the|this|next)\b)", re.I
)


def _finish(text: str, norm: str, c: _Cand, ref: date) -> Deadline:
    earliest, latest = c.earliest, c.latest
    weak = _RE_WEAK_PREP.match(norm, c.start, c.end)
    if weak:
        c.start = weak.end()
    if earliest is not None and latest is not None:
        if earliest < ref and c.prep not in _START_PREPS:
            earliest = ref
        earliest = min(earliest, latest)
    return Deadline(text[c.start : c.end], earliest, latest, c.precision, c.rule, c.start, c.end)


def resolve(text: str, reference_date: date, *, reference_precision: str = "day") -> Deadline:
    """The phrase in `text` that times a promised future action, resolved against the letter's date.

    `reference_precision` says how much of the date the letter gives: "day", or only the "month" ("January
    2026": pass any day of it) or the "year". Relative phrases are then counted from the first day of that
    month or year (the date the letter is recorded as): "within three months" of January 2026 is due by 1 April
    2026, with precision month (the window's end depends on a day the letter does not give); phrases that name
    their own date are unaffected.

    Raises TypeError for a text that is not a str or a reference that is not a date, ValueError for an unknown
    reference precision. Any other exception is a bug in the resolver, and is left to surface.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if isinstance(reference_date, datetime):
        reference_date = reference_date.date()
    if not isinstance(reference_date, date):
        raise TypeError(f"reference_date must be a date, not {type(reference_date).__name__}")
    if reference_precision not in REFERENCE_PRECISIONS:
        raise ValueError(
            f"reference_precision must be one of {REFERENCE_PRECISIONS}, not {reference_precision!r}"
        )
    if reference_precision == "day":
        return _resolve(text, reference_date)
    if reference_precision == "month":
        first = reference_date.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    else:
        first, last = date(reference_date.year, 1, 1), date(reference_date.year, 12, 31)
    return _combine(_resolve(text, first), _resolve(text, last), reference_precision)


def _combine(early: Deadline, late: Deadline, reference_precision: str) -> Deadline:
    """One answer from the readings at the first and the last day the letter's date allows.

    The answer is the early reading's (what is still ahead on the first day may have passed by the last; the
    first day is the date the letter is recorded as, and the real gold annotations count from it: "in the next
    year" of February 2025 is 1 February 2026); where the two readings disagree the due window depends on the
    unknown day, so the precision is no finer than the reference's.
    """
    if (
        early.due_latest is None
        or late.due_latest is None
        or (early.start, early.end) != (late.start, late.end)
    ):
        return early if early.phrase is not None else late
    if early.due_latest == late.due_latest:
        return early  # only the start of the window moved with the day: the due date does not depend on it
    precision = early.precision
    if _COARSENESS.get(precision, 0) < _COARSENESS[reference_precision]:
        precision = reference_precision
    earliest = early.due_earliest if late.due_earliest is not None else None
    return replace(early, due_earliest=earliest, precision=precision)


_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
    }  # fmt: skip
)


_NAMED_DATE_RULES = {"explicit_day", "month", "month_before"}
_DEADLINE_PREPS = {
    "by",
    "before",
    "no later than",
    "not later than",
    "on or before",
    "in or before",
    "by or before",
}


def _resolve(text: str, ref: date) -> Deadline:
    if not text:
        return NO_DEADLINE
    norm = text.translate(_TRANSLATE)  # one character for one, so offsets still index `text`
    cands = _merge_anniversaries(norm, _merge_ranges(norm, _candidates(norm, ref)))
    best, best_score, bounds, past = None, float("-inf"), None, None
    named_date = deadline_prep = None  # computed when a duration or a start needs them
    for c in cands:
        if c.kind != "future":
            if c.kind == "past" and past is None:
                past = c
            continue
        if c.precision != "vague":
            if c.latest is None or c.latest < ref:
                past = past or c
                continue  # a period that has ended is history, not a deadline
        if bounds is None:
            bounds = [b.end() for b in _RE_BOUNDARY.finditer(norm)]
        reading, score = _reading(norm, c, bounds)
        if reading == "past":
            past = past or c
            continue
        if (c.rule in ("repeating", "duration_anchored") or c.precision == "vague") and score < 1:
            continue  # a schedule or an anchored duration in a sentence that promises nothing: a description
        if c.rule in ("repeating", "duration_anchored"):
            # "each year, with the first update in March 2027": the first date is what can be checked, so
            # a schedule loses to any date read as future, wherever that date stands in the sentence. So
            # does a duration anchored on an event, which often describes the thing promised rather than
            # timing it ("statistics on deaths within 28 days of release ... from summer 2025").
            score -= 3.5
        if c.rule == "duration" and (
            named_date := named_date
            if named_date is not None
            else any(o.kind == "future" and o.rule in _NAMED_DATE_RULES for o in cands)
        ):
            # "within 56 days of the date of this report, namely by 15 March 2024"; "building up capacity over
            # the following six months until ... by 31 March 2025": the named date is the one to keep
            score -= 1.5
        if c.prep in _START_PREPS and (
            deadline_prep := deadline_prep
            if deadline_prep is not None
            else any(o.kind == "future" and o.prep in _DEADLINE_PREPS for o in cands)
        ):
            # "review the regime from October 2025 and publish our findings by autumn 2026": the deadline
            score -= 1.5
        if score > best_score:
            best, best_score = c, score
    if best is None:
        if past is not None:
            return Deadline(None, None, None, "none", past_phrase=text[past.start : past.end])
        return NO_DEADLINE
    if best.prep in _NEGATABLE_PREPS and _RE_NEGATION.search(_left_window(norm, best.start, bounds)):
        # "will not be launched before April 2025": a start, with no end promised
        best = _Cand(best.start, best.end, None, None, "vague", best.rule + "_not_before", prep=best.prep)
    return _finish(text, norm, best, ref)


_RE_REFERENCE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")


def resolve_line(line: str, explain: bool = False) -> dict:
    """One ``YYYY-MM-DD<TAB>text`` line to the JSON-ready record printed by ``manage.py resolve_deadlines``.

    The reference may also be ``YYYY-MM`` (a letter dated only by its month) or ``YYYY`` (only its year).
    A malformed line gives a record with an "error" field instead of raising, so a batch never stops
    half-way; anything else that goes wrong is a bug in the resolver and is not hidden.
    """
    raw = line.rstrip("\r\n")
    ref_text, tab, text = raw.partition("\t")
    if not tab:
        return {"input": raw, "error": "expected YYYY-MM-DD<TAB>text"}
    m = _RE_REFERENCE.match(ref_text.strip())
    try:
        if m is None:
            raise ValueError
        ref = date(int(m["y"]), int(m["m"] or 1), int(m["d"] or 1))
    except ValueError:
        return {"input": raw, "error": f"not a YYYY-MM-DD, YYYY-MM or YYYY date: {ref_text.strip()!r}"}
    precision = "day" if m["d"] else "month" if m["m"] else "year"
    found = resolve(text, ref, reference_precision=precision)
    record = {
        "ref_date": ref_text.strip() if precision != "day" else ref.isoformat(),
        "text": text,
        "phrase": found.phrase,
        "due_earliest": found.due_earliest.isoformat() if found.due_earliest else None,
        "due_latest": found.due_latest.isoformat() if found.due_latest else None,
        "precision": found.precision,
    }
    if found.past_phrase is not None:
        record["past_phrase"] = found.past_phrase
    if explain:
        record["rule"] = found.rule
    return record
