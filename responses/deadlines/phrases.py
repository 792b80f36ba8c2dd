"""The time phrases: one regular expression and one handler per kind of phrase (days, months, seasons,
holidays, recesses, years, quarters, financial years, durations, Parliaments, vague and past phrases).

A handler turns a match into a candidate (``Cand``): the span of text, the window it gives (earliest, latest),
a precision, the rule's name, whether it reads as past, and the preposition before it. Which candidate times
the promise is decided in ``resolver.py`` with the tense reading of ``reading.py``. The tables the rules read
(holidays, seasons, recesses, Parliaments, vague phrases ...) are data: ``data/*.tsv``, loaded by ``tables.py``.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .dates import (
    HOLIDAY_BY_NAME,
    RECESS_BY_NAME,
    fy_span,
    fy_start_year,
    holiday_date,
    month_span,
    next_holiday,
    next_recess,
    quarter_span,
    season_around,
    season_span,
    split,
    term_span,
)
from .tables import FISCAL_EVENTS, PARLIAMENTS, PHRASES, RECESSES, SCHOOL_TERMS, SEASONS

# ---------------------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
# Month names only count capitalised, so "we may", "march on" and "the date" are not months.
_MON = (
    r"(?-i:"
    + "|".join(n.capitalize() + "|" + n.upper() for n in sorted(_MONTHS, key=len, reverse=True) if len(n) > 4)
    + r"|May|MAY|June|JUNE|July|JULY|(?:"
    + "|".join(n.capitalize() for n in _MONTHS if len(n) <= 4 and n not in ("may", "june", "july"))
    + r")\b\.?)\b"
)
# Seasons from data/seasons.tsv (no "fall": in British letters it is a verb).
_SEASON = "(?:" + "|".join(sorted(SEASONS, key=len, reverse=True)) + ")"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4, "last": 4,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_DAY_NUMBERS = dict(_ORDINAL_WORDS)
_DAY_NUMBERS.update({f"twenty {w}": 20 + n for w, n in _ORDINAL_WORDS.items() if n < 10})
_DAY_NUMBERS["thirty first"] = 31
_DAY_WORDS = (
    r"(?:twenty[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty[\s-]first|"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + ")"
)
_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
               "eighty": 80, "ninety": 90}  # fmt: skip
_NUMBER = (
    r"(?:\d{1,3}|a\s+couple\s+of|a\s+few|a|an|few|several|couple\s+of|(?:"
    + "|".join(_TENS_WORDS)
    + r")(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|"
    + "|".join(sorted(_UNITS_WORDS, key=len, reverse=True))
    + r"|a\s+hundred|one\s+hundred)"
)

_YEAR = r"(?:19|20)\d\d(?!\d)(?!\s?[/-]\s?\d)(?!%)(?!'?s\b)"
_PREP = (
    r"(?P<prep>(?:on|in|by)\s+or\s+before|no\s+later\s+than|not\s+later\s+than|ahead\s+of|in\s+advance\s+of|prior\s+to|up\s+to|"
    r"up\s+until|in\s+time\s+for|alongside|as\s+part\s+of|this\s+side\s+of|in\s+the\s+run[\s-]up\s+to|in\s+the\s+lead[\s-]up\s+to|as\s+of|as\s+from|with\s+effect\s+from|by|before|in|during|from|until|"
    r"till|through|throughout|over|within|for|on|at|after|around|across|towards?|since|into|starting|"
    r"commencing|beginning|following|beyond|between|to|and|through\s+to|until\s+at\s+least|due)\s+"
)
# Edges of a period: "the end of", "early", "mid-", "the first half of", "Q3 of" ...
_EDGE = (
    r"(?P<pre_edge>(?:the\s+)?(?:very\s+)?(?:end|close|middle|start|beginning)\s+of\s+(?=(?:the\s+)?"
    r"(?:first|second|third|fourth|final|last|latter|1st|2nd|3rd|4th)\s+(?:half|quarter)\b))?(?:(?P<edge>(?:the\s+)?(?:very\s+)?(?:end|close|start|beginning|middle|course|remainder|rest|turn)\s+of"
    r"(?:\s+the)?|(?:early|mid|late|later|earlier)(?:\s*-\s*|\s+)(?:in(?:\s+the)?\s+)?|(?:end|start)\s*-\s*|"
    r"(?:the\s+)?(?:early|earlier|first|latter|later|last|final)\s+(?:part|months)\s+of(?:\s+the)?|"
    r"(?:the\s+)?(?P<half>first|second|latter|last)\s+half\s+of(?:\s+the)?|H(?P<hn>[12])(?:\s+of)?|"
    r"(?:the\s+)?(?P<qord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+quarter\s+of(?:\s+the)?)"
    r"\s*)?"
)

# Phrases whose start-of-period is meant literally ("From April 2021" starts on 1 April).
_START_PREPS = {"from", "as of", "as from", "with effect from", "starting", "commencing", "beginning"}
_OPEN_ENDED_PREPS = {"after", "beyond", "following"}
_BEFORE_PREPS = {"before", "prior to", "ahead of", "in advance of"}
_NEGATABLE_PREPS = {"before", "prior to", "until", "till"}
_RE_NEGATION = re.compile(r"\b(?:not|never|cannot)\b|n't\b", re.I)


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", s.strip().lower()) if s else ""


def _number(word: str) -> int | None:
    w = _norm(word).replace("-", " ")
    if w.isdigit():
        return int(w)
    if w in ("a", "an", "one"):
        return 1
    if w in ("a couple of", "couple of"):
        return 2
    if w in ("a hundred", "one hundred"):
        return 100
    if w in _UNITS_WORDS:
        return _UNITS_WORDS[w]
    parts = w.split()
    if parts and parts[0] in _TENS_WORDS:
        return _TENS_WORDS[parts[0]] + (_UNITS_WORDS.get(parts[1], 0) if len(parts) > 1 else 0)
    return None  # "a few", "several": no honest number


def _apply_edge(m: re.Match, span: tuple[date, date], precision: str, ref: date):
    """Narrow a period by its edge words ("early", "the first half of" ...). Returns (earliest, latest, precision)."""
    edge = _norm(m.group("edge"))
    half, hn, qord = m.group("half"), m.group("hn"), m.group("qord")
    if half or hn:
        n = 1 if (hn == "1" or _norm(half) == "first") else 2
        return (*split(span, n, 2), "half" if precision in ("year", "financial_year") else precision)
    if qord:
        q = _ORDINALS[_norm(qord)]
        return (*split(span, q, 4), "quarter" if precision in ("year", "financial_year") else precision)
    if not edge:
        return (*span, precision)
    word = edge.replace("the ", "").replace("very ", "").split()[0].rstrip("-")
    if edge.endswith(("part of", "part of the", "months of", "months of the")):
        word = "early" if word in ("early", "earlier", "first") else "late"
    # early / mid / late 2024 are four months each: precision season (as the real gold has it)
    third = "season" if precision in ("year", "financial_year") else precision
    if word in ("start", "beginning", "early"):
        return (*split(span, 1, 3), third)
    if word in ("middle", "mid"):
        return (*split(span, 2, 3), third)
    if word == "late":
        return (*split(span, 3, 3), third)
    if word == "later":
        return max(span[0], ref), span[1], precision
    if word == "earlier":
        return span[0], min(span[1], ref), precision  # "earlier this year": past, dropped by caller
    return (*span, precision)  # end of, close of, course of, rest of, turn of


# ---------------------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------------------


class _Cand:
    __slots__ = ("start", "end", "earliest", "latest", "precision", "rule", "kind", "prep")

    def __init__(self, start, end, earliest, latest, precision, rule, kind="future", prep=""):
        self.start, self.end = start, end
        self.earliest, self.latest = earliest, latest
        self.precision, self.rule, self.kind, self.prep = precision, rule, kind, prep


def _period(m, span, precision, rule, ref):
    """A period candidate (month, season, year ...) with its edges applied."""
    prep = _norm(m.group("prep"))
    if prep in _OPEN_ENDED_PREPS:
        if span[1] < ref:
            return _Cand(m.start(), m.end(), None, None, "none", rule, kind="past")
        return _Cand(m.start(), m.end(), None, None, "vague", rule + "_open_ended", prep=prep)
    if prep == "since":
        return _Cand(m.start(), m.end(), None, None, "none", rule, kind="past")
    edge = _norm(m.group("edge"))
    narrowed = m.group("half") or m.group("hn") or m.group("qord")
    if prep in _BEFORE_PREPS and not edge and not narrowed and rule in ("month", "year"):
        # "before April 2025" / "before 2025": the period before it (March 2025 / 2024)
        before = span[0] - timedelta(days=1)
        span = month_span(before.year, before.month) if rule == "month" else (date(before.year, 1, 1), before)
        rule += "_before"
    earliest, latest, precision = _apply_edge(m, span, precision, ref)
    if edge.startswith("earlier"):
        return _Cand(m.start(), m.end(), None, None, "none", rule, kind="past")
    return _Cand(m.start(), m.end(), earliest, latest, precision, rule, prep=prep)


def _has_prep_or_edge(m) -> bool:
    return bool(m.group("prep") or m.group("edge") or m.group("half") or m.group("hn") or m.group("qord"))


# -- explicit days --------------------------------------------------------------------------------------

_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+(?:the\s+)?)?"
_RE_DAY = re.compile(
    rf"\b(?=[\dmtwfsjaond])(?:the\s+)?{_WEEKDAY}(?:"
    rf"(?P<d1>[0-3]?\d)(?:\s?(?:st|nd|rd|th)|h)?(?:\s+of)?\s+(?P<m1>{_MON})"
    rf"(?:,?\s+(?P<y1>(?:19|20)\d\d)(?:\d{{1,2}})?\b)?"
    rf"|(?P<m2>{_MON})\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>(?:19|20)\d\d)(?:\d{{1,2}})?\b)?"
    r"|(?P<d3>[0-3]?\d)(?P<sep>[/.])(?P<m3>[01]?\d)(?P=sep)(?P<y3>(?:19|20)\d\d|\d\d)\b(?![./]\d)"
    r"|(?P<y4>(?:19|20)\d\d)-(?P<m4>[01]\d)-(?P<d4>[0-3]\d)\b)"
    r"(?:\s+(?P<rel>this|next)\s+year\b)?",
    re.I,
)
# the day in words: "by Wednesday the Twenty-Eighth of June 2023" (its own pattern: rare, and costly to try everywhere)
_RE_DAY_WORDS = re.compile(
    rf"\b(?:the\s+)?{_WEEKDAY}(?P<dw>{_DAY_WORDS})(?:\s+of)?\s+(?P<m1>{_MON})"
    rf"(?:,?\s+(?P<y1>(?:19|20)\d\d)(?:\d{{1,2}})?\b)?(?:\s+(?P<rel>this|next)\s+year\b)?",
    re.I,
)
_RE_DOC_BEFORE = re.compile(
    r"(?:\b(?:dated|letter|report|email|e-mail|correspondence|response|statement|judgment|judgement|"
    r"inquest|minutes|note|notice|ref|reference|hearing|circular)\s+(?:of\s+|on\s+)?)$",
    re.I,
)


def _valid_day(year: int, month: int, day: int) -> date | None:
    if day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _next_valid_day(year: int, month: int, day: int) -> date | None:
    """That day in `year`, or the first year after with such a day ("29 February" in 2025 is 2028's)."""
    for y in range(year, year + 8):
        when = _valid_day(y, month, day)
        if when is not None:
            return when
    return None  # "31 April" never comes


def _day_words(m, text, ref):
    """'the Twenty-Eighth of June 2023': the day in words."""
    day = _DAY_NUMBERS[_norm(m.group("dw")).replace("-", " ")]
    return _day_of(m, text, ref, str(day), m.group("m1"), m.group("y1"))


def _day(m, text, ref):
    if m.group("d1"):
        d, mon, y = m.group("d1"), m.group("m1"), m.group("y1")
    elif m.group("m2"):
        d, mon, y = m.group("d2"), m.group("m2"), m.group("y2")
    elif m.group("d3"):
        d, mon, y = m.group("d3"), m.group("m3"), m.group("y3")
    else:
        d, mon, y = m.group("d4"), m.group("m4"), m.group("y4")
    return _day_of(m, text, ref, d, mon, y)


def _day_of(m, text, ref, d, mon, y):
    month = int(mon) if mon.isdigit() else _MONTHS[mon.rstrip(".").lower()]
    day = int(d)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None  # "11/24/25" (a US date in a browser's print header), "page 40/2025"
    if y and len(y) == 2:
        if not m.group("prep"):
            return None  # "1/2/25" on its own is as likely a ratio as a date
        y = str(2000 + int(y))  # "by 31/03/25"
    if not m.group("prep") and _RE_DOC_BEFORE.search(text, max(0, m.start() - 40), m.start()):
        return _Cand(m.start(), m.end(), None, None, "none", "document_date", kind="past")
    if y:
        when = _valid_day(int(y), month, day)
        if when is None:
            return None  # "31 February 2025" is no day
    else:
        year = ref.year + (_norm(m.group("rel")) == "next")
        when = _next_valid_day(year, month, day)
        if when is None:
            return None  # "31 April"
        if when < ref and not m.group("rel"):
            if (
                _norm(m.group("prep")) in ("on", "at", "", "from", "since", "starting", "as of")
                and (ref - when).days <= 183
            ):
                # "my statement on 6 January" in a February letter: a recent day, not next year's
                return _Cand(m.start(), m.end(), None, None, "none", "recent_day", kind="past")
            when = _next_valid_day(ref.year + 1, month, day)
    prep = _norm(m.group("prep"))
    if not prep and when <= ref:
        return _Cand(m.start(), m.end(), None, None, "none", "letter_date", kind="past")
    if prep == "since":
        return _Cand(m.start(), m.end(), None, None, "none", "day", kind="past")
    if prep in _OPEN_ENDED_PREPS:
        return _Cand(m.start(), m.end(), None, None, "vague", "day_open_ended", prep=prep)
    return _Cand(m.start(), m.end(), None, when, "day", "explicit_day", prep=prep)


_RE_WEEKDAY = re.compile(
    r"\b(?:(?P<next>next|this|the\s+coming)\s+)?(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
    r"(?!\s*,?\s*(?:[0-3]?\d\b|the\s+[0-3]?\d))",
    re.I,
)


def _weekday(m, text, ref):
    prep = _norm(m.group("prep"))
    if prep not in ("by", "on", "before", "until", "till", "no later than", "not later than"):
        return None
    wd = _WEEKDAYS.index(m.group("wd").lower())
    ahead = (wd - ref.weekday()) % 7
    if _norm(m.group("next")) == "next" and ahead < 7:
        ahead = ahead or 7
    return _Cand(m.start(), m.end(), None, ref + timedelta(days=ahead), "day", "weekday", prep=prep)


# -- months ---------------------------------------------------------------------------------------------

_RE_MONTH = re.compile(
    rf"\b(?P<mon>{_MON})(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)(?:\d{{1,2}})?\b|\s+(?:of\s+)?(?P<rel>this|next|last)\s+year\b)?"
    r"(?!\s*[0-3]?\d\b)",
    re.I,
)
_RE_PERIOD_LABEL_BEFORE = re.compile(
    r"\b(?:year|years|quarter|period|months|twelve\s+months|12\s+months)\s+(?:ending|ended|to)\s*(?:in\s*)?$",
    re.I,
)
_RE_TITLE_BEFORE = re.compile(r"(?:Theresa|Mrs|Ms|Mr|Miss|Dr|Lady|Lord|Baroness|Dame|Sir)\.?\s+$")


def _month(m, text, ref):
    mon = m.group("mon")
    month = _MONTHS[mon.rstrip(".").lower()]
    mdet = _norm(m.group("mdet"))
    if not (_has_prep_or_edge(m) or m.group("year") or m.group("rel") or mdet):
        return None
    if _RE_PERIOD_LABEL_BEFORE.search(text, max(0, m.start() - 40), m.start()):
        # "data for the year ending March 2026" names a period of data, not a deadline
        return _Cand(m.start(), m.end(), None, None, "none", "period_label", kind="past")
    if mdet == "last":
        return _Cand(m.start(), m.end(), None, None, "none", "month", kind="past")
    if month == 5 and _RE_TITLE_BEFORE.search(text, max(0, m.start("mon") - 12), m.start("mon")):
        return None
    # "to May" / "and March" without a year are too weak to be a month ("wrote to May Smith") except as the
    # second half of a range ("from April to June")
    joiner = _norm(m.group("prep")) in ("to", "and", "due") and not (m.group("year") or m.group("rel"))
    if m.group("year"):
        year = int(m.group("year"))
        if not (_has_prep_or_edge(m) or mdet) and (year, month) <= (ref.year, ref.month):
            # a bare "March 2026" of the letter's own month or before: the document's date on its cover
            return _Cand(m.start(), m.end(), None, None, "none", "document_date", kind="past")
    elif m.group("rel"):
        rel = m.group("rel").lower()
        if rel == "last":
            return _Cand(m.start(), m.end(), None, None, "none", "month", kind="past")
        year = ref.year + (rel == "next")
    elif mdet and mdet != "this":  # "next April": the first April after the letter's month
        year = ref.year if month > ref.month else ref.year + 1
    else:  # next occurrence on or after the letter's month
        year = ref.year if month >= ref.month else ref.year + 1
    c = _period(m, month_span(year, month), "month", "month", ref)
    if joiner and c.kind == "future":
        c.kind = "joiner"
    return c


_RE_MONTH_REL = re.compile(
    r"\b(?=[tnl])(?P<rel>this|next|the\s+current|the\s+following|the\s+coming|the\s+next|the|last|the\s+last)"
    r"\s+(?P<unit>month|week|quarter)\b(?!s)",
    re.I,
)


def _month_rel(m, text, ref):
    rel, unit = _norm(m.group("rel")), m.group("unit").lower()
    if rel in ("last", "the last"):
        return _Cand(m.start(), m.end(), None, None, "none", f"{unit}_relative", kind="past")
    if rel == "the" and not m.group("edge"):
        return None  # "the month" alone times nothing
    if rel in ("the coming", "the next") and not m.group("edge"):
        if unit != "quarter" and _norm(m.group("prep")) in ("in", "over", "within", "during"):
            # "within the next month" is a month from the letter
            return _duration_cand(m, ref, 1, unit, _norm(m.group("prep")))
        rel = "next"
    step = 1 if rel in ("next", "the following", "the coming", "the next") else 0
    if unit == "month":
        first = date(ref.year, ref.month, 1) + relativedelta(months=step)
        return _period(m, month_span(first.year, first.month), "month", "month_relative", ref)
    if unit == "quarter":
        q = (ref.month - 1) // 3 + 1 + step
        year = ref.year + (q - 1) // 4
        q = (q - 1) % 4 + 1
        return _period(m, quarter_span(year, q, False), "quarter", "quarter_relative", ref)
    monday = ref - timedelta(days=ref.weekday()) + timedelta(days=7 * step)
    friday = monday + timedelta(days=4)
    if friday < ref:
        friday = monday + timedelta(days=6)
    return _period(m, (monday, friday), "day", "week_relative", ref)


_RE_DAY_REL = re.compile(
    r"\b(?:(?P<prep>by|before|until|till|later|from|as\s+of|as\s+from|with\s+effect\s+from|starting|"
    r"by\s+the\s+end\s+of)\s+)?(?P<w>today|tomorrow|tonight)\b",
    re.I,
)


def _day_rel(m, text, ref):
    if m.group("w").lower() != "tomorrow" and not m.group("prep"):
        return None  # "the UK today" is the present, not a deadline
    when = ref + timedelta(days=1 if m.group("w").lower() == "tomorrow" else 0)
    return _Cand(m.start(), m.end(), None, when, "day", "day_relative", prep=_norm(m.group("prep")))


# -- seasons, school terms and holidays -------------------------------------------------------------------

_RE_SEASON = re.compile(
    rf"\b(?=[tnlcs12aw])(?:(?P<det>this\s+coming|this|next|the\s+coming|the\s+following|the\s+forthcoming|"
    r"the\s+upcoming|the|last|coming)\s+)?"
    r"(?:(?P<py>(?:19|20)\d\d)(?:\s*[/-]\s*(?P<py2>\d{2}|(?:19|20)\d\d))?\s+)?"
    rf"(?P<s>{_SEASON})(?:\s*(?:/|and|or|-|to)\s*(?P<s2>{_SEASON}))?"
    r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)(?:\s*[/-]\s*(?P<y2>\d{2}|(?:19|20)\d\d))?\b|"
    r"\s+(?:of\s+)?(?P<rel>this|next|last)\s+year\b)?",
    re.I,
)

# School terms in England (data/school_terms.tsv): "before the end of the summer term" is July, not August.
_RE_TERM_AFTER = re.compile(r"\s+(?:school\s+)?term\b(?:\s+(?:of\s+)?(?P<ty>(?:19|20)\d\d)\b)?", re.I)


def _school_term(m, term, season, year_text, ref):
    year_text = year_text or term.group("ty")
    if year_text:
        year = int(year_text)
    else:
        year = ref.year if ref <= term_span(season, ref.year)[1] else ref.year + 1
    c = _period(m, term_span(season, year), "season", "school_term", ref)
    c.end = term.end()
    return c


def _season(m, text, ref):
    s = m.group("s").lower()
    det = _norm(m.group("det"))
    if not (_has_prep_or_edge(m) or det or m.group("year") or m.group("rel")):
        return None
    if det == "last" or _norm(m.group("rel")) == "last":
        return _Cand(m.start(), m.end(), None, None, "none", "season", kind="past")
    year_text, y2_text = m.group("year") or m.group("py"), m.group("y2") or m.group("py2")
    term = _RE_TERM_AFTER.match(text, m.end())
    if term and not m.group("s2") and s in SCHOOL_TERMS:
        return _school_term(m, term, s, year_text, ref)
    if year_text:
        year = int(year_text)
        if y2_text and int(y2_text) % 100 != (year + 1) % 100:
            return None
        span = season_span(s, year)
    elif m.group("rel"):
        year = ref.year + (m.group("rel").lower() == "next")
        span = season_span(s, year)
    else:
        span = season_around(
            s, ref, not_started=det in ("next", "the following")
        )  # "the forthcoming": not ended
    if m.group("s2"):  # "spring/summer 2024": from the first to the end of the second
        s2 = m.group("s2").lower()
        y2 = span[0].year + (1 if SEASONS[s2][0] < SEASONS[s][0] else 0)
        span = (span[0], season_span(s2, y2)[1])
    earliest, latest, precision = _apply_edge(m, span, "season", ref)
    if m.group("edge") and _norm(m.group("edge")).split()[-1].rstrip("-") in ("early", "mid", "late"):
        precision = "month"
    c = _period(m, span, "season", "season", ref)
    if c.kind == "future" and c.precision != "vague":
        c.earliest, c.latest, c.precision = earliest, latest, precision
    return c


def _alternation(names) -> str:
    """Whole-word alternatives, longest first, a space matching any run of spaces."""
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))


# Holidays (data/holidays.tsv): a row there is all a new holiday needs.
_RE_HOLIDAY = re.compile(
    rf"\b(?=[t{''.join(sorted({n[0].lower() for n in HOLIDAY_BY_NAME}))}])(?:the\s+)?(?P<h>{_alternation(HOLIDAY_BY_NAME)})(?:\s+(?P<year>(?:19|20)\d\d)\b)?"
    r"(?:\s+(?:school\s+|bank\s+)?(?:holidays?|break|period|weekend|day))?(?!\s+(?:parliamentary\s+)?recess)\b",
    re.I,
)
_BY_PREPS = {"by", "before", "ahead of", "in advance of", "prior to", "until", "till", "no later than",
             "not later than", "in time for", "up to", "up until"}  # fmt: skip


def _holiday(m, text, ref):
    prep = _norm(m.group("prep"))
    if m.group("edge") and not prep:
        prep = "in"  # "early in the New Year"
    if not prep or prep in ("to", "and", "due"):
        return None
    holiday = HOLIDAY_BY_NAME[_norm(m.group("h"))]
    rule = holiday.name.lower().replace(" ", "_").replace("'", "")
    if prep == "since":
        return _Cand(m.start(), m.end(), None, None, "none", rule, kind="past")
    if prep in _OPEN_ENDED_PREPS:
        return _Cand(m.start(), m.end(), None, None, "vague", "holiday_open_ended", prep=prep)
    if m.group("year"):
        day = holiday_date(holiday, int(m.group("year")))
    elif holiday.by_eve and prep in _BY_PREPS:
        # "by the New Year": by the day before the next one
        day = next_holiday(holiday, ref + timedelta(days=1))
    elif holiday.in_month:
        # "in the New Year" from a letter of its first week still means this one
        day = (
            holiday_date(holiday, ref.year)
            if (ref - holiday_date(holiday, ref.year)).days in range(7)
            else None
        )
        day = day or next_holiday(holiday, ref)
    else:
        day = next_holiday(holiday, ref)
    if holiday.by_eve and prep in _BY_PREPS:
        return _Cand(m.start(), m.end(), None, day - timedelta(days=1), "day", rule, prep=prep)
    if holiday.in_month:
        return _Cand(m.start(), m.end(), *month_span(day.year, day.month), "month", rule, prep=prep)
    return _Cand(m.start(), m.end(), None, day, "day", rule, prep=prep)


# -- Parliament's recesses (data/recess_names.tsv, data/commons_recesses.tsv) ------------------------------

_RE_RECESS = re.compile(
    r"\b(?:the\s+)?(?:(?P<rises>(?:House|Parliament|Commons|Lords|House\s+of\s+Commons)\s+rises\s+(?:for|over)\s+"
    r"(?:the\s+)?))?(?:(?P<y0>(?:19|20)\d\d)\s+)?"
    rf"(?P<r>{_alternation(RECESS_BY_NAME)})(?P<recess>(?:\s+(?:parliamentary\s+|Commons\s+)?recess)\b)?"
    r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b)?",
    re.I,
)


def _recess(m, text, ref):
    if not (m.group("recess") or m.group("rises")):
        return None  # "the summer" is a season; only "the summer recess" or "the House rises for the summer"
    prep = _norm(m.group("prep"))
    if m.group("rises") and not prep:
        prep = "by"  # "when the House rises for summer"
    if not prep or prep in ("to", "and", "due"):
        return None
    if prep == "since":
        return _Cand(m.start(), m.end(), None, None, "none", "recess", kind="past")
    if prep in _OPEN_ENDED_PREPS:
        return _Cand(m.start(), m.end(), None, None, "vague", "recess_open_ended", prep=prep)
    recess = RECESS_BY_NAME[_norm(m.group("r"))]
    year = m.group("year") or m.group("y0")
    rises, returns, known = next_recess(recess, ref, int(year) if year else None)
    edge = _norm(m.group("edge"))
    if not known:
        # a session the table does not hold: the month the House conventionally rises in
        return _Cand(m.start(), m.end(), rises, returns, "month", "recess_conventional", prep=prep)
    if prep in _SPAN_OF_RECESS or edge.startswith(("the end", "end", "the close", "close")):
        # "during the summer recess", "by the end of the summer recess": the recess itself
        return _Cand(m.start(), m.end(), rises + timedelta(days=1), returns - timedelta(days=1), "day", "recess",
                     prep=prep)  # fmt: skip
    # "by / before the summer recess": by the day the House rises
    return _Cand(m.start(), m.end(), None, rises, "day", "recess", prep=prep)


_SPAN_OF_RECESS = {"during", "in", "over", "throughout", "across", "through"}

# "before the House rises", "by the time Parliament rises" (no recess named): the next time the House rises, from
# the table of announced recess dates; beyond the table the letter does not say when that is (vague).
_RE_HOUSE_RISES = re.compile(
    r"\b(?P<prep>before|by\s+the\s+time|by|until|ahead\s+of|prior\s+to)\s+(?:the\s+)?(?:House(?:\s+of\s+Commons)?|"
    r"Parliament|Commons)\s+rises\b(?!\s+(?:for|over)\b)",
    re.I,
)


_RECESS_RISES = [recess.rises for recess in RECESSES]


def _house_rises(m, text, ref):
    following = bisect_left(_RECESS_RISES, ref)
    if following < len(RECESSES):
        return _Cand(m.start(), m.end(), None, RECESSES[following].rises, "day", "recess_next", prep="by")
    return _Cand(m.start(), m.end(), None, None, "vague", "recess_next")


# -- fiscal and parliamentary events (data/fiscal_events.tsv) ---------------------------------------------

_RE_FISCAL = re.compile(
    r"\b(?:the\s+)?(?:(?P<det>next|forthcoming|upcoming|coming|this|last|previous|recent)\s+)?"
    rf"(?:(?P<y0>(?:19|20)\d\d)\s+)?(?:(?P<s>{_SEASON})\s+(?:(?P<y1>(?:19|20)\d\d)\s+)?)?"
    r"(?P<ev>" + "|".join(f"(?P<ev{i}>{e.pattern})" for i, e in enumerate(FISCAL_EVENTS)) + r")"
    r"(?:\s+(?P<y2>(?:19|20)\d\d)\b)?(?!\s+period)\b",
    re.I,
)


def _fiscal_event(m, text, ref):
    event = next(e for i, e in enumerate(FISCAL_EVENTS) if m.group(f"ev{i}"))
    season = _norm(m.group("s")) or None
    if event.needs_season and not season:
        return None  # "my statement" times nothing
    prep, det = _norm(m.group("prep")), _norm(m.group("det"))
    year = m.group("y0") or m.group("y1") or m.group("y2")
    if not (prep or season or year or det) or prep in ("and", "to", "due"):
        return None
    if not (season or year or det) and not m.group("ev")[0].isupper():
        return None  # "within the budget available": a sum of money, not the Budget
    if det in ("last", "previous", "recent") or prep == "since":
        return _Cand(m.start(), m.end(), None, None, "none", "fiscal_event", kind="past")
    if season:
        span = season_span(season, int(year)) if year else season_around(season, ref, det == "next")
        return _Cand(m.start(), m.end(), *span, "season", "fiscal_event", prep=prep)
    if year:
        return _Cand(m.start(), m.end(), date(int(year), 1, 1), date(int(year), 12, 31), "year", "fiscal_event",
                     prep=prep)  # fmt: skip
    # "at the next Spending Review": the Government sets its date, the letter does not give it
    return _Cand(m.start(), m.end(), None, None, "vague", "fiscal_event", prep=prep)


# -- years ----------------------------------------------------------------------------------------------

_RE_YEAR = re.compile(
    rf"\b(?=[12tc])(?:(?:the\s+)?calendar\s+year\s+)?(?P<year>{_YEAR})\b",
    re.I,
)


def _year(m, text, ref):
    if not _has_prep_or_edge(m):
        return None
    prep = _norm(m.group("prep"))
    y = int(m.group("year"))
    c = _period(m, (date(y, 1, 1), date(y, 12, 31)), "year", "year", ref)
    if prep in ("to", "and", "due") and not m.group("edge") and c.kind == "future":
        c.kind = "joiner"  # only the second half of a range: "over 2024 and 2025"
    return c


_RE_YEAR_REL = re.compile(
    r"\b(?=[tnlcy])(?:(?P<rel>this|next|the\s+current|the\s+next|the\s+coming|the\s+following|the|last|"
    r"the\s+last|the\s+past|the\s+previous)\s+)?(?:calendar\s+)?year\b(?!s|'s)(?:[\s-]+end\b)?"
    r"(?P<ahead>\s+ahead\b)?",
    re.I,
)


def _year_rel(m, text, ref):
    rel = _norm(m.group("rel"))
    prep = _norm(m.group("prep"))
    if rel in ("last", "the last", "the past", "the previous"):
        return _Cand(m.start(), m.end(), None, None, "none", "year_relative", kind="past")
    if not rel and not m.group("edge"):
        return None  # "year" alone; "by end of year" has an edge
    if m.group("ahead"):
        return _duration_cand(m, ref, 1, "year", prep)  # "in the year ahead"
    if (
        rel in ("the next", "the coming")
        and not m.group("edge")
        and prep in ("in", "over", "within", "during")
    ):
        return _duration_cand(m, ref, 1, "year", prep)  # "in the coming year" is a year from the letter
    if rel == "the" and not (m.group("edge") or m.group("half") or m.group("qord") or m.group("hn")):
        if prep not in ("within", "during", "by", "before") and not m.group(0).lower().endswith("end"):
            return None  # "in the year" times nothing
    y = ref.year + (1 if rel in ("next", "the next", "the following") else 0)
    if rel == "the coming":
        y = ref.year + 1
    return _period(m, (date(y, 1, 1), date(y, 12, 31)), "year", "year_relative", ref)


_RE_YEAR_END = re.compile(r"\b(?:the\s+)?(?P<fin>financial\s+|fiscal\s+)?year[\s-]end\b", re.I)


def _year_end(m, text, ref):
    if not m.group("prep"):
        return None
    if m.group("fin"):
        return _Cand(m.start(), m.end(), ref, fy_span(fy_start_year(ref))[1], "financial_year", "fy_end")
    return _Cand(m.start(), m.end(), ref, date(ref.year, 12, 31), "year", "year_end")


_RE_DECADE_END = re.compile(r"\bthe\s+(?:end|close)\s+of\s+(?:the|this)\s+decade\b", re.I)


def _decade_end(m, text, ref):
    y = ref.year // 10 * 10 + 9
    return _Cand(m.start(), m.end(), ref, date(y, 12, 31), "year", "decade_end")


# -- quarters and financial years ------------------------------------------------------------------------

_RE_QUARTER = re.compile(
    r"\b(?=[tfq])(?:the\s+)?(?P<fin>financial\s+|fiscal\s+)?(?:Q|quarter\s+)(?P<q>[1-4])\b"
    r"(?:\s*(?:of\s+)?(?:(?:the\s+)?(?P<fyword>financial|fiscal)\s+year(?:\s+(?P<fyy>(?:19|20)\d\d\s*[/-]\s*\d{2,4}))?"
    r"|(?:the\s+)?(?P<fyy2>(?:19|20)\d\d\s*[/-]\s*\d{2,4})\s+(?P<fyword2>financial|fiscal)\s+year"
    r"|(?P<fyp>FY\s?)?(?P<y>(?:19|20)\d\d|\d\d)(?:\s*[/-]\s*(?P<y2>\d{2}|(?:19|20)\d\d))?(?![\d/])"
    r"|(?P<rel>this|next)\s+year))?",
    re.I,
)
_RE_REFERENCE_BEFORE = re.compile(
    r"(?:question|paragraph|para|section|annex|appendix|table|figure|item|recommendation|page|p\.|see|"
    r"in\s+response\s+to|set\s+out|described|referred\s+to|mentioned|outlined|detailed|listed|shown|"
    r"stated|noted|answered|raised)\s*(?:(?:in|at|of|to|under)\s*)?$",
    re.I,
)


def _quarter(m, text, ref):
    prep = _norm(m.group("prep"))
    q = int(m.group("q"))
    has_year = m.group("y") or m.group("fyy") or m.group("fyy2") or m.group("rel")
    if _RE_REFERENCE_BEFORE.search(text, max(0, m.start() - 30), m.start("q") - 1):
        return None
    if not has_year and (not prep or prep in ("to", "and", "see")):
        return None  # a bare "Q3" is a question number, not a quarter
    if not has_year and re.match(r"\s+of\s+the\s+(?!financial|fiscal|year)", text[m.end() :]):
        return None  # "in Q3 of the survey"
    financial = bool(
        m.group("fin")
        or m.group("fyword")
        or m.group("fyp")
        or m.group("y2")
        or m.group("fyy")
        or m.group("fyy2")
    )
    if m.group("fyy") or m.group("fyy2") or m.group("y2"):
        raw = m.group("fyy") or m.group("fyy2") or f"{m.group('y')}/{m.group('y2')}"
        parts = re.split(r"\s*[/-]\s*", raw)
        start = _full_year(parts[0])
        if start is None or not _consecutive(start, parts[1]):
            return None
    elif m.group("y"):
        y = _full_year(m.group("y"))
        if y is None:
            return None
        # "Q1 FY25": the financial year ending in 2025
        start = y - 1 if m.group("fyp") else y
    elif m.group("rel"):
        start = ref.year + (m.group("rel").lower() == "next")
    else:
        start = fy_start_year(ref) if financial else ref.year
        if quarter_span(start, q, financial)[1] < ref:
            start += 1
    span = quarter_span(start, q, financial)
    return _Cand(
        m.start(), m.end(), *span, "quarter", "financial_quarter" if financial else "quarter", prep=prep
    )


def _full_year(s: str) -> int | None:
    if len(s) == 4:
        return int(s)
    if len(s) == 2:
        return 2000 + int(s)
    return None


def _consecutive(start: int, second: str) -> bool:
    return (int(second) == start + 1) if len(second) == 4 else (int(second) == (start + 1) % 100)


_RE_FY = re.compile(
    r"\b(?=[\dtf])(?:the\s+)?(?:(?P<fword1>financial|fiscal)\s+year\s+|FY\s?)?"
    r"(?P<fy1>(?:19|20)\d\d|(?<=FY)\d\d|(?<=FY\s)\d\d)(?:\s*[/-]\s*|\s+to\s+(?=(?:19|20)\d\d))(?P<fy2>\d{2}|(?:19|20)\d\d)(?![\d/%]|\.\d)"
    r"(?:\s+(?P<fword2>financial|fiscal|academic|school)\s+year)?",
    re.I,
)


def _fy(m, text, ref):
    start = _full_year(m.group("fy1"))
    if start is None or not _consecutive(start, m.group("fy2")):
        return None
    whole = m.group(0)
    explicit = m.group("fword1") or m.group("fword2") or "FY" in whole.upper().split(start.__str__()[:2])[0]
    if " to " in whole.lower() and not (m.group("fword1") or m.group("fword2")):
        # "in 2025 to 2026" is how GOV.UK writes a financial year; "from 2024 to 2025", "(2024 to 2025)" and a
        # bare "2024 to 2025" are years
        if _norm(m.group("prep")) not in _FY_TO_PREPS or m.group("edge"):
            return None
    if not (_has_prep_or_edge(m) or explicit):
        return None
    if _norm(m.group("fword2")) in ("academic", "school"):
        return _period(m, (date(start, 9, 1), date(start + 1, 8, 31)), "year", "academic_year", ref)
    return _period(m, fy_span(start), "financial_year", "financial_year", ref)


_FY_TO_PREPS = {"in", "during", "over", "throughout", "across", "within", "by", "until", "for"}

# Ranges of years: "(2026 to 2028)", "in 2025 to 2027", "between now and 2026", "over 2024-2028".
_RE_YEAR_RANGE = re.compile(
    r"\b(?=[12])(?:(?P<y1>(?:19|20)\d\d)\s*(?:to|until|-)|(?P<y1b>(?:19|20)\d\d)\s+and)\s*(?P<y2>(?:19|20)\d\d)(?![\d/%])",
    re.I,
)
_RE_NOW_RANGE = re.compile(r"\b(?P<now>now|today)\s+and\s+(?P<y2>(?:19|20)\d\d)(?![\d/%])", re.I)
_RANGE_PREPS = {"in", "during", "over", "throughout", "across", "between", "from", "within", "through"}


def _now_range(m, text, ref):
    """'between now and 2026'."""
    if _norm(m.group("prep")) != "between":
        return None
    return _Cand(
        m.start(), m.end(), ref, date(int(m.group("y2")), 12, 31), "year", "year_range", prep="between"
    )


def _year_range(m, text, ref):
    prep = _norm(m.group("prep"))
    y2 = int(m.group("y2"))
    y1 = int(m.group("y1") or m.group("y1b"))
    if m.group("y1b") and prep != "between":
        return (
            None  # "2024 and 2025" joins two years only after "between" (the range rule takes "over X and Y")
        )
    if y2 <= y1 or y2 - y1 > 30:
        return None
    in_brackets = text[max(0, m.start() - 2) : m.start()].strip().endswith("(") and text[
        m.end() : m.end() + 2
    ].lstrip().startswith(")")
    if y2 == y1 + 1 and not in_brackets and prep not in ("from", "between"):
        return None  # consecutive years: a financial year (the financial-year rule), or nothing
    if not (prep in _RANGE_PREPS or in_brackets):
        return None
    return _period(m, (date(y1, 1, 1), date(y2, 12, 31)), "year", "year_range", ref)


_RE_FY_REL = re.compile(
    r"\b(?=[tnlcp])(?P<rel>this|next|the\s+current|the\s+present|the\s+next|the\s+coming|the\s+following|"
    r"the\s+new|the|last|the\s+last|the\s+previous|current)\s+(?P<kind>financial|fiscal|academic|school)\s+year\b"
    r"(?:[\s-]+end\b)?",
    re.I,
)


def _fy_rel(m, text, ref):
    rel = _norm(m.group("rel"))
    if rel in ("last", "the last", "the previous"):
        return _Cand(m.start(), m.end(), None, None, "none", "financial_year_relative", kind="past")
    step = 1 if rel in ("next", "the next", "the coming", "the following") else 0
    if rel == "the new":
        # "in time for the new financial year" is due when this one ends; "in the new ..." means the next one
        step = 0 if _norm(m.group("prep")) in _BEFORE_PREPS | {"by", "in time for", "until", "till"} else 1
    if m.group("kind").lower() in ("academic", "school"):
        sy = (ref.year if ref.month >= 9 else ref.year - 1) + step
        return _period(m, (date(sy, 9, 1), date(sy + 1, 8, 31)), "year", "academic_year_relative", ref)
    sy = fy_start_year(ref) + step
    return _period(m, fy_span(sy), "financial_year", "financial_year_relative", ref)


# -- durations ------------------------------------------------------------------------------------------

_RE_DURATION = re.compile(
    r"\b(?=[nwiodfab])(?P<prep>no\s+later\s+than|not\s+later\s+than|within|in|over|during|for|after|inside|in\s+around|"
    r"in\s+about|by)\s+(?:the\s+|a\s+(?=period\b))?(?:period\s+of\s+)?"
    r"(?:(?P<dir>next|coming|following|forthcoming|last|past|previous|first|initial)\s+)?"
    r"(?:(?:usual|normal|customary|statutory|required|standard|agreed|allotted)\s+)?"
    rf"(?P<n>{_NUMBER})(?:\s*(?:-|to|or)\s*(?P<n2>{_NUMBER}))?(?:\s+|-)(?P<unit>(?:working|business|calendar)\s+days?|days?|weeks?|fortnights?|months?|years?|decades?)"
    r"(?:'s|')?(?:\s+period)?(?P<time>\s+time)?(?P<ago>\s+ago)?"
    r"(?P<anchor>\s+(?:of|from|after|following)\s+(?P<anchor_obj>[\w\s'-]{0,40}))?",
    re.I,
)
_RE_ANCHOR_OK = re.compile(
    r"^(?:the\s+date\s+of\s+)?(?:this|my|our|the\s+date\s+of\s+this|today|now|receipt\s+of\s+(?:this|your)|"
    r"the\s+date\s+of\s+this)\b",
    re.I,
)


def _duration_cand(m, ref, n, unit, prep, working=False):
    unit = unit.lower().rstrip("s")
    if unit == "fortnight":
        n, unit = 2 * n, "week"
    if working:
        when, left = ref, n
        while left > 0:
            when += timedelta(days=1)
            if when.weekday() < 5:
                left -= 1
    elif unit == "day":
        when = ref + timedelta(days=n)
    elif unit == "week":
        when = ref + timedelta(weeks=n)
    elif unit == "month":
        when = ref + relativedelta(months=n)
    else:
        when = ref + relativedelta(years=n)
    precision = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
    return _Cand(m.start(), m.end(), ref, when, precision, "duration", prep=prep)


# Longer than these is a mission, not a deadline anyone will check; decades are always vague.
_DURATION_LIMITS = {"day": 400, "week": 104, "fortnight": 52, "month": 120, "year": 30}


def _duration(m, text, ref):
    prep = _norm(m.group("prep"))
    direction = _norm(m.group("dir"))
    unit = m.group("unit").lower()
    end = m.end() if not m.group("anchor") else m.start("anchor")
    if direction in ("last", "past", "previous") or m.group("ago"):
        return _Cand(m.start(), m.end(), None, None, "none", "duration", kind="past")
    if prep == "by" and not m.group("time"):
        return None  # "by two years" is an amount, not a time
    if prep == "for" or (prep == "during" and not direction):
        return (
            None  # "for six months", "for the next 5-10 years": how long something lasts, not when it is due
        )
    if direction in ("first", "initial"):
        return None  # "timelines for the first 12 months of the committee": a period of something else
    n = _number(m.group("n2") or m.group("n"))  # "within six to eight weeks": the later end
    if m.group("anchor"):
        obj = m.group("anchor_obj") or ""
        if not _RE_ANCHOR_OK.match(obj):
            c = _Cand(m.start(), end, None, None, "vague", "duration_anchored", prep=prep)
            return c
    limit = _DURATION_LIMITS.get(unit.split()[-1].rstrip("s"), 0)
    if n is None or not 0 < n <= limit:
        return _Cand(m.start(), end, None, None, "vague", "duration_vague", prep=prep)
    c = _duration_cand(m, ref, n, unit.split()[-1], prep, working=unit.startswith(("working", "business")))
    c.end = end
    if prep in _OPEN_ENDED_PREPS:
        c.earliest = c.latest
    return c


_RE_FROM_NOW = re.compile(
    rf"\b(?P<n>{_NUMBER})\s+(?P<unit>days?|weeks?|fortnights?|months?|years?)(?:'s|')?\s+"
    r"(?:(?P<now>from\s+(?:now|today|the\s+date\s+of\s+(?:this|my|our)\s+letter|this\s+letter)|hence)|"
    r"(?:after|following)\s+\w+|from\s+(?:the|its|their|his|her|commencement|publication|implementation|launch|"
    r"receipt|Royal\s+Assent)\b)",
    re.I,
)


def _from_now(m, text, ref):
    """'12 months from now' is a duration without a preposition."""
    n = _number(m.group("n"))
    unit = m.group("unit").lower()
    if not m.group("now") and "hence" not in m.group(0).lower():
        # "12 months after the strategy is published": anchored on an event with no date
        return _Cand(
            m.start(), m.start("unit") + len(m.group("unit")), None, None, "vague", "duration_anchored"
        )
    if n is None or not 0 < n <= _DURATION_LIMITS.get(unit.rstrip("s"), 0):
        return _Cand(m.start(), m.end(), None, None, "vague", "duration_vague")
    return _duration_cand(m, ref, n, unit, "in")


# -- Parliament -----------------------------------------------------------------------------------------

_RE_PARLIAMENT = re.compile(
    r"\b(?:the\s+(?:end|course|lifetime|remainder|rest|life)\s+of\s+)?"
    r"(?:(?:this|the\s+current|the\s+present)\s+Parliament\b|the\s+Parliament\b(?=\s*[,.;]|\s*$)|"
    r"the\s+(?:next|coming)\s+(?:general\s+)?election\b|this\s+parliamentary\s+term\b)",
    re.I,
)


def _parliament(m, text, ref):
    prep = _norm(m.group("prep"))
    if prep not in ("by", "before", "within", "during", "in", "over", "until", "till", "throughout",
                    "ahead of", "prior to", "no later than", "across"):  # fmt: skip
        return None
    for first, dissolved, resolvable_from in reversed(PARLIAMENTS):
        if first <= ref:
            if dissolved and ref >= dissolved:
                break  # between Parliaments
            if resolvable_from is None or ref < resolvable_from:
                break
            last_day = date(first.year + 5, first.month, first.day) - timedelta(days=1)
            if last_day < ref:
                break  # a Parliament not yet in the table
            return _Cand(m.start(), m.end(), ref, last_day, "day", "parliament", prep=prep)
    return _Cand(m.start(), m.end(), None, None, "vague", "parliament_unknown", prep=prep)


# -- vague, repeating and past-by-form phrases (data/phrases.tsv) ------------------------------------------


def _vague(m, text, ref):
    return _Cand(m.start(), m.end(), None, None, "vague", "vague")


def _repeating(m, text, ref):
    # a schedule, not a date a tracker can check
    return _Cand(m.start(), m.end(), None, None, "vague", "repeating")


def _past_form(m, text, ref):
    return _Cand(m.start(), m.end(), None, None, "none", "past_form", kind="past")


_PHRASE_HANDLERS = {"vague": _vague, "repeating": _repeating, "past": _past_form}
_TABLE_PHRASES = tuple(
    (re.compile(rf"\b(?:{p.pattern})\b", re.I), None, _PHRASE_HANDLERS[p.kind], p.keys) for p in PHRASES
)


_RE_ANNIVERSARY = re.compile(rf"\b{_PREP}the\s+(?:\w+\s+)?anniversary\s+of\b", re.I)


def _merge_anniversaries(text: str, cands: list[_Cand]) -> list[_Cand]:
    """'by the 35th anniversary of the disaster on 15 April 2025': the whole span, timed by the date."""
    if "anniversar" not in text.lower():
        return cands
    for m in _RE_ANNIVERSARY.finditer(text):
        for c in cands:
            if c.start < m.end() or c.start - m.end() > 120 or c.kind != "future" or c.latest is None:
                continue
            if re.search(r"[.;:()]", text[m.end() : c.start]):
                break
            merged = _Cand(
                m.start(),
                c.end,
                c.earliest,
                c.latest,
                c.precision,
                "anniversary",
                prep=_norm(m.group("prep")),
            )
            cands = [x for x in cands if x.end <= m.start() or x.start >= c.end]
            cands.insert(0, merged)
            cands.sort(key=lambda x: x.start)
            break
    return cands


# The words before a phrase's core ("by the end of" March): matched backwards from the core, because a
# leading optional preposition would make every regex try every alternative at every word of the sentence.
_RE_PREFIX_PREP = re.compile(rf"(?<![\w-])(?=[a-z]){_PREP}\Z", re.I)
_RE_PREFIX_EDGE = re.compile(rf"(?<![\w-])(?=[a-z])(?:{_PREP})?{_EDGE}\Z", re.I)
# months also take a determiner: "by next April"
_RE_PREFIX_MONTH = re.compile(
    rf"(?<![\w-])(?=[a-z])(?:{_PREP})?{_EDGE}(?:(?P<mdet>next|this|last|the\s+coming|the\s+following|coming)\s+)?\Z",
    re.I,
)
_PREFIX_GROUPS = frozenset(_RE_PREFIX_MONTH.groupindex)


class _Joined:
    """A prefix match and a core match read as one match (the interface the handlers use)."""

    __slots__ = ("pre", "core", "string")

    def __init__(self, pre, core, string):
        self.pre, self.core, self.string = pre, core, string

    def group(self, name=0):
        if name == 0:
            return self.string[self.start() : self.end()]
        if name in _PREFIX_GROUPS:
            return self.pre.group(name) if self.pre is not None and name in self.pre.re.groupindex else None
        return self.core.group(name)

    def start(self, name=None):
        if name is not None:
            return (self.pre if name in _PREFIX_GROUPS else self.core).start(name)
        return (
            self.pre.start()
            if self.pre is not None and self.pre.end() > self.pre.start()
            else self.core.start()
        )

    def end(self, name=None):
        return self.core.end(name) if name is not None else self.core.end()


_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_UNIT_KEYS = ("day", "week", "fortnight", "month", "year", "decade")
_DIGITS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
_PATTERNS = _TABLE_PHRASES + (
    # (regex, prefix read backwards from the match or None, handler, words one of which must be present)
    (_RE_PARLIAMENT, _RE_PREFIX_PREP, _parliament, ("parliament", "election")),
    (_RE_DAY, _RE_PREFIX_PREP, _day, _DIGITS),
    (_RE_DAY_WORDS, _RE_PREFIX_PREP, _day_words, tuple(_ORDINAL_WORDS)),
    (_RE_WEEKDAY, _RE_PREFIX_PREP, _weekday, ("day",)),
    (_RE_DAY_REL, None, _day_rel, ("today", "tomorrow", "tonight")),
    (_RE_QUARTER, _RE_PREFIX_EDGE, _quarter, ("q1", "q2", "q3", "q4", "quarter")),
    (_RE_FY, _RE_PREFIX_EDGE, _fy, _DIGITS),
    (_RE_FY_REL, _RE_PREFIX_EDGE, _fy_rel, ("financial", "fiscal", "academic", "school")),
    (_RE_MONTH, _RE_PREFIX_MONTH, _month, _MONTH_KEYS),
    (_RE_MONTH_REL, _RE_PREFIX_EDGE, _month_rel, ("month", "week", "quarter")),
    (_RE_SEASON, _RE_PREFIX_EDGE, _season, ("spring", "summer", "autumn", "winter")),
    (_RE_HOLIDAY, _RE_PREFIX_EDGE, _holiday, tuple(sorted({" ".join(n.lower().split()) for n in HOLIDAY_BY_NAME}))),
    (_RE_RECESS, _RE_PREFIX_EDGE, _recess, ("recess", "rises")),
    (_RE_HOUSE_RISES, None, _house_rises, ("rises",)),
    (_RE_FISCAL, _RE_PREFIX_PREP, _fiscal_event, ("budget", "statement", "spending", "fiscal", "speech")),
    (_RE_YEAR, _RE_PREFIX_EDGE, _year, _DIGITS),
    (_RE_YEAR_RANGE, _RE_PREFIX_EDGE, _year_range, _DIGITS),
    (_RE_NOW_RANGE, _RE_PREFIX_PREP, _now_range, ("now and", "today and")),
    (_RE_YEAR_REL, _RE_PREFIX_EDGE, _year_rel, ("year",)),
    (_RE_YEAR_END, _RE_PREFIX_PREP, _year_end, ("year end", "year-end")),
    (_RE_DECADE_END, _RE_PREFIX_PREP, _decade_end, ("decade",)),
    (_RE_DURATION, None, _duration, _UNIT_KEYS),
    (_RE_FROM_NOW, None, _from_now, ("from now", "from today", "hence", "this letter", "after", "following", "from")),
)  # fmt: skip
