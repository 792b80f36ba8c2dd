"""Deadline resolver: turn the time phrase in a government promise into a due window.

``resolve(text, reference_date)`` reads one sentence (the promise) and the letter's date and returns a
``Deadline``: the verbatim phrase that times the promised action, ``due_earliest``, ``due_latest`` (what the
overdue job uses) and a precision from ``PRECISIONS``. It never raises; a sentence with no time phrase gives
precision ``none`` and a promise timed only by "shortly", "in due course" and the like gives ``vague``.

What comes from libraries and what is written here, and why
-----------------------------------------------------------
python-dateutil does the calendar arithmetic: ``dateutil.easter.easter`` (Western Easter Sunday) and
``relativedelta`` (month/year durations that clamp 31 January + 1 month to 28/29 February). General date
parsers (``dateutil.parser``, dateparser) are not used: they read "Summer 2023" as today's date in 2023 or
give up, know nothing of UK financial years, Parliaments or seasons, and cannot tell which of two dates in
a sentence times the promise. So the phrase grammar, the conventions below and the past/future reading of
the sentence are written here, as precompiled regular expressions (10,000 sentences take about 1.1 s of
CPU, see benchmarks/bench_deadlines.py).

Conventions (``ref`` is the letter's date; "period start" is clamped to ``ref`` when the period has
already begun, except after "from"/"as of"/"starting", where the start is the point of the phrase)
-----------------------------------------------------------------------------------------------------
- Explicit day: "by 31 March 2024", "on 1 December 2023", "31/03/2024", "2024-03-31", "by 31/03/25" (a
  two-digit year only after a preposition: "1/2/25" alone may be a ratio) -> that day, precision day,
  due_earliest None. A day without a year is its next occurrence on or after ``ref``,
  except that "on 6 January" up to six months before the letter is a recent past day (statements and
  meetings are reported that way; nobody dates next year's meeting without its year). A bare date on or
  before the letter's date (the letterhead, "the guidance of 2 May 2023") is never a deadline.
  "by the 35th anniversary of the Hillsborough stadium disaster on 15 April 2025" -> the whole span is the
  phrase, due 15 April 2025. Weekdays ("by Friday") are the next such day on or after ``ref``.
- Month: "by March 2024", "By July this year", "From April 2021", "by the end of March" -> the month
  (earliest = its first day, latest = its last day), precision month. A month without a year is its next
  occurrence on or after the letter's month; "next April" is the first April after the letter's month.
  "early/mid/late March" -> days 1-10 / 11-20 / 21-end. "before April 2025" and "before 2025" mean the
  period before (March 2025, 2024): a reader takes "before 2025" to exclude 2025. Seasons and holidays
  keep their own end after "before" ("before the summer" ends 31 August, "before Easter" is Easter
  Sunday, as the gold annotations have it).
- Seasons (meteorological): spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb; "winter
  2023/24" and "winter 2023" both mean Dec 2023 - Feb 2024 (ends 29 Feb 2024). "the spring", "this
  autumn", "over the summer" without a year: the first such season that has not ended at ``ref``;
  "next summer": the first that has not started. "the end of the summer" ends 31 August; "early/mid/late
  summer" is the season's first/second/third month. "Spring Statement"/"Autumn Budget" follow their
  season. "before the summer recess" is read as July (the Commons rises in the second half of July).
  School terms (England): "the autumn term" ends 31 December, "the spring term" 30 April (it ends at
  Easter, which moves), "the summer term" 31 July; of the year given, else the first not yet ended.
- Easter and Christmas: Easter Sunday (computed) or 25 December of the year given, else the first one on
  or after ``ref`` (a letter of 27 December saying "by Christmas" means next Christmas); precision day,
  earliest None. "in the New Year" -> January of the next year; "by the New Year" -> 31 December.
- Years: "in 2024", "during 2025", "by 2025", "by the end of 2024", "this year", "later this year",
  "before the end of the year" -> 31 December; "next year" -> 31 December of the next year; "early / mid /
  late 2024" (also "the early / latter part of 2024") -> Jan-Apr / May-Aug / Sep-Dec; "later in 2024" ->
  the rest of 2024; "the first / second half of 2024", "H1 2024" -> Jan-Jun /
  Jul-Dec (precision half); "by the end of the decade" -> 31 December of the decade's ninth year;
  "by the mid-2020s" is vague.
  "by year end" is the calendar year (say "financial year end" for the other).
- Quarters: "Q1 2024", "the first quarter of 2024" -> calendar quarters. Financial when the text says so:
  "financial Q1", "Q1 of the financial year", "Q3 2024/25", "Q1 FY2024/25" (Q1 = April-June). "Q3" with
  no year needs a preposition ("by Q3") and is the quarter of this year, or next year's once ended.
  "this quarter", "next quarter", "the end of the quarter" are calendar quarters.
- UK financial years (1 April - 31 March): "2024/25", "2024-25", "2024/2025", "FY2024/25", "FY24/25",
  "financial year 2024 to 2025", "this financial year", "the next financial year", "by the end of the
  financial year" -> 31 March that ends that year. "2024-25" must be consecutive years (so "1/2", ratios
  and page ranges are not read as years). Academic years ("the 2024/25 academic year", "this academic
  year") run 1 September - 31 August, precision year.
- Durations from the letter's date: "within 12 months", "within six months", "in the next three months",
  "over the next two years", "within 28 days", "in a year's time", "in the coming year", "in the year
  ahead", "12 months from now", "within 10 working days" -> ``ref`` + the duration (working days skip
  weekends; "within six to eight weeks" takes the longer); earliest ``ref``; precision day for
  days/weeks, month for months, year for years. A duration anchored on another event ("within 28 days of
  receiving the report") is vague: the letter does not say when that event happens. "a few"/"several"
  units and "within weeks" are vague; "for six months" says how long, not when, and is no deadline. Decades ("in a decade", "over the next decade") are missions, not checkable
  deadlines: vague.
- "this month", "later this month", "the end of the month", "next month" -> that month's last day;
  "this week"/"by the end of the week" -> Friday of the current week; "next week" -> Monday-Friday of the
  next week; "today", "tomorrow" -> that day.
- "by the end of this Parliament": a Parliament dissolves at the start of the fifth anniversary of its
  first meeting (Dissolution and Calling of Parliament Act 2022, s.4), so the Parliament that first met on
  9 July 2024 ends by 8 July 2029 (precision day, earliest ``ref``). The table of first meetings is
  ``PARLIAMENTS`` below. Earlier Parliaments (up to the one elected in 2019, all elected under the
  Fixed-term Parliaments Act 2011), letters written between a dissolution and the next first meeting and
  dates beyond the table are vague. "before the next general
  election" is read as the end of this Parliament.
- Vague (phrase, no dates): "shortly", "soon", "in due course", "in the coming weeks/months", "over the
  coming months", "in the near future", "as soon as possible", "at the earliest opportunity", "when
  parliamentary time allows", "in the short/medium/long term", "at the next Spending Review", "as a
  matter of urgency", "on a date to be confirmed", "in the next Parliament", "after the general
  election", "before the end of this session", a negated limit ("will not be launched before April
  2025", "not until the autumn": a start with no promised end), repeating
  schedules ("annually", "every year", "quarterly": not a date a tracker can check), "after Easter"/"after
  the summer" (no end), and any date anchored on an unknown event.
- Ranges: "from April to June 2025", "between March and May 2024", "over 2024 and 2025", "April 2024 to
  March 2025" -> earliest from the first, latest from the second (a month without a year takes the
  second's year). Alternatives: "by the end of this year or early next year", "by March or April 2025"
  -> due by the later of the two.

Which phrase wins
-----------------
Past references are dropped: phrases that are past by form ("since 2019", "last year", "earlier this
year", "two years ago", "over the past year"), periods that ended before ``ref`` ("In 2022 we
introduced"), dates of documents ("your letter of 3 March", "report dated ..."), labels of data periods
("the year ending March 2026"), and phrases whose clause is in the past tense ("published in April", "was
launched in March", "In April we published ...", "This followed a meeting ... in September") or reports an
old promise ("we said we would publish in March", "was due to ...", "had planned ...", "we committed to
publishing in the summer" - where "we have committed to" is a promise that stands). Of
the rest, the phrase in a clause with a future marker (will, shall, plan, expect, due, committed to, to be
...) before it wins; next a fronted phrase whose clause continues with one ("By July this year we
anticipate ..."); then any phrase after a future marker; ties go to the first phrase, and repeating
schedules ("annually") lose to real dates. A future phrase never resolves to a due date before ``ref``.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

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


NO_DEADLINE = Deadline(None, None, None, "none")

# First meetings of UK Parliaments, with the date each was actually dissolved (None while sitting) and the
# letter date from which "the end of this Parliament" is resolved. Only Parliaments elected under the
# Dissolution and Calling of Parliament Act 2022 get a date; for the earlier ones (elected under the
# Fixed-term Parliaments Act 2011, which set polling days rather than a dissolution on the fifth
# anniversary) the phrase stays vague.
PARLIAMENTS = (
    # (first meeting, dissolved, resolvable from)
    (date(2010, 5, 18), date(2015, 3, 30), None),
    (date(2015, 5, 18), date(2017, 5, 3), None),
    (date(2017, 6, 13), date(2019, 11, 6), None),
    (date(2019, 12, 17), date(2024, 5, 30), None),
    (date(2024, 7, 9), None, date(2024, 7, 9)),
)

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
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}  # not "fall": in British letters a verb
_SEASON = r"(?:spring|summer|autumn|winter)"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4, "last": 4,
}  # fmt: skip
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
    r"(?P<prep>no\s+later\s+than|not\s+later\s+than|ahead\s+of|in\s+advance\s+of|prior\s+to|up\s+to|"
    r"up\s+until|in\s+time\s+for|this\s+side\s+of|in\s+the\s+run[\s-]up\s+to|in\s+the\s+lead[\s-]up\s+to|as\s+of|as\s+from|with\s+effect\s+from|by|before|in|during|from|until|"
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


# ---------------------------------------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------------------------------------


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), _month_end(y, m)


def _season_span(season: str, year: int) -> tuple[date, date]:
    first = _SEASONS[season]
    start = date(year, first, 1)
    last = start + relativedelta(months=2)
    return start, _month_end(last.year, last.month)


def _season_around(season: str, ref: date, not_started: bool) -> tuple[date, date]:
    for y in range(ref.year - 1, ref.year + 2):
        s, e = _season_span(season, y)
        if (s > ref) if not_started else (e >= ref):
            return s, e
    return _season_span(season, ref.year + 1)


def _fy_start_year(ref: date) -> int:
    return ref.year if ref.month >= 4 else ref.year - 1


def _fy_span(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def _quarter_span(year: int, q: int, financial: bool) -> tuple[date, date]:
    if financial:  # Q1 of 2024/25 is April-June 2024
        first = date(year, 4, 1) + relativedelta(months=3 * (q - 1))
    else:
        first = date(year, 3 * q - 2, 1)
    last = first + relativedelta(months=2)
    return first, _month_end(last.year, last.month)


def _split(span: tuple[date, date], part: int, parts: int) -> tuple[date, date]:
    """The part-th of `parts` equal pieces of a span (by months, or by days for a single month)."""
    s, e = span
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if months >= parts:
        step = months // parts
        a = s + relativedelta(months=step * (part - 1))
        b = a + relativedelta(months=step - 1)
        return a, (e if part == parts else _month_end(b.year, b.month))
    # a single month: early 1-10, mid 11-20, late 21-end
    days = (e - s).days + 1
    step = 10 if parts == 3 else days // parts
    a = s + timedelta(days=step * (part - 1))
    return a, (e if part == parts else a + timedelta(days=step - 1))


def _apply_edge(m: re.Match, span: tuple[date, date], precision: str, ref: date):
    """Narrow a period by its edge words ("early", "the first half of" ...). Returns (earliest, latest, precision)."""
    edge = _norm(m.group("edge"))
    half, hn, qord = m.group("half"), m.group("hn"), m.group("qord")
    if half or hn:
        n = 1 if (hn == "1" or _norm(half) == "first") else 2
        return (*_split(span, n, 2), "half" if precision in ("year", "financial_year") else precision)
    if qord:
        q = _ORDINALS[_norm(qord)]
        return (*_split(span, q, 4), "quarter" if precision in ("year", "financial_year") else precision)
    if not edge:
        return (*span, precision)
    word = edge.replace("the ", "").replace("very ", "").split()[0].rstrip("-")
    if edge.endswith(("part of", "part of the", "months of", "months of the")):
        word = "early" if word in ("early", "earlier", "first") else "late"
    if word in ("start", "beginning", "early"):
        return (*_split(span, 1, 3), precision)
    if word in ("middle", "mid"):
        return (*_split(span, 2, 3), precision)
    if word == "late":
        return (*_split(span, 3, 3), precision)
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
        return _Cand(m.start(), m.end(), None, None, "vague", rule + "_open_ended", prep=prep)
    if prep == "since":
        return _Cand(m.start(), m.end(), None, None, "none", rule, kind="past")
    edge = _norm(m.group("edge"))
    narrowed = m.group("half") or m.group("hn") or m.group("qord")
    if prep in _BEFORE_PREPS and not edge and not narrowed and rule in ("month", "year"):
        # "before April 2025" / "before 2025": the period before it (March 2025 / 2024)
        before = span[0] - timedelta(days=1)
        span = (
            _month_span(before.year, before.month) if rule == "month" else (date(before.year, 1, 1), before)
        )
        rule += "_before"
    earliest, latest, precision = _apply_edge(m, span, precision, ref)
    if edge.startswith("earlier"):
        return _Cand(m.start(), m.end(), None, None, "none", rule, kind="past")
    return _Cand(m.start(), m.end(), earliest, latest, precision, rule, prep=prep)


def _has_prep_or_edge(m) -> bool:
    return bool(m.group("prep") or m.group("edge") or m.group("half") or m.group("hn") or m.group("qord"))


# -- explicit days --------------------------------------------------------------------------------------

_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_RE_DAY = re.compile(
    rf"\b(?=[\dmtwfsjaond])(?:the\s+)?{_WEEKDAY}(?:"
    rf"(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>{_MON})(?:,?\s+(?P<y1>(?:19|20)\d\d)\b)?"
    rf"|(?P<m2>{_MON})\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>(?:19|20)\d\d)\b)?"
    r"|(?P<d3>[0-3]?\d)(?P<sep>[/.])(?P<m3>[01]?\d)(?P=sep)(?P<y3>(?:19|20)\d\d|(?<=/)\d\d)\b"
    r"|(?P<y4>(?:19|20)\d\d)-(?P<m4>[01]\d)-(?P<d4>[0-3]\d)\b)"
    r"(?:\s+(?P<rel>this|next)\s+year\b)?",
    re.I,
)
_RE_DOC_BEFORE = re.compile(
    r"(?:\b(?:dated|letter|report|email|e-mail|correspondence|response|statement|judgment|judgement|"
    r"inquest|minutes|note|notice|ref|reference|hearing|circular)\s+(?:of\s+|on\s+)?)$",
    re.I,
)


def _day(m, text, ref):
    if m.group("d1"):
        d, mon, y = m.group("d1"), m.group("m1"), m.group("y1")
    elif m.group("m2"):
        d, mon, y = m.group("d2"), m.group("m2"), m.group("y2")
    elif m.group("d3"):
        d, mon, y = m.group("d3"), m.group("m3"), m.group("y3")
    else:
        d, mon, y = m.group("d4"), m.group("m4"), m.group("y4")
    month = int(mon) if mon.isdigit() else _MONTHS[mon.rstrip(".").lower()]
    day = int(d)
    if y and len(y) == 2:
        if not m.group("prep"):
            return None  # "1/2/25" on its own is as likely a ratio as a date
        y = str(2000 + int(y))  # "by 31/03/25"
    if not m.group("prep") and _RE_DOC_BEFORE.search(text, max(0, m.start() - 40), m.start()):
        return _Cand(m.start(), m.end(), None, None, "none", "document_date", kind="past")
    if y:
        when = date(int(y), month, day)
    elif m.group("rel"):
        when = date(ref.year + (m.group("rel").lower() == "next"), month, day)
    else:
        when = date(ref.year, month, day)
        if when < ref:
            if _norm(m.group("prep")) in ("on", "at", "") and (ref - when).days <= 183:
                # "my statement on 6 January" in a February letter: a recent day, not next year's
                return _Cand(m.start(), m.end(), None, None, "none", "recent_day", kind="past")
            when = date(ref.year + 1, month, day)
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
    rf"\b(?P<mon>{_MON})(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b|\s+(?:of\s+)?(?P<rel>this|next|last)\s+year\b)?"
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
    elif m.group("rel"):
        rel = m.group("rel").lower()
        if rel == "last":
            return _Cand(m.start(), m.end(), None, None, "none", "month", kind="past")
        year = ref.year + (rel == "next")
    elif mdet and mdet != "this":  # "next April": the first April after the letter's month
        year = ref.year if month > ref.month else ref.year + 1
    else:  # next occurrence on or after the letter's month
        year = ref.year if month >= ref.month else ref.year + 1
    c = _period(m, _month_span(year, month), "month", "month", ref)
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
        return _period(m, _month_span(first.year, first.month), "month", "month_relative", ref)
    if unit == "quarter":
        q = (ref.month - 1) // 3 + 1 + step
        year = ref.year + (q - 1) // 4
        q = (q - 1) % 4 + 1
        return _period(m, _quarter_span(year, q, False), "quarter", "quarter_relative", ref)
    monday = ref - timedelta(days=ref.weekday()) + timedelta(days=7 * step)
    friday = monday + timedelta(days=4)
    if friday < ref:
        friday = monday + timedelta(days=6)
    return _period(m, (monday, friday), "day", "week_relative", ref)


_RE_DAY_REL = re.compile(
    r"\b(?:(?P<prep>by|before|until|till|later|from|by\s+the\s+end\s+of)\s+)?(?P<w>today|tomorrow|tonight)\b",
    re.I,
)


def _day_rel(m, text, ref):
    if m.group("w").lower() != "tomorrow" and not m.group("prep"):
        return None  # "the UK today" is the present, not a deadline
    when = ref + timedelta(days=1 if m.group("w").lower() == "tomorrow" else 0)
    return _Cand(m.start(), m.end(), None, when, "day", "day_relative", prep=_norm(m.group("prep")))


# -- seasons and holidays -------------------------------------------------------------------------------

_RE_SEASON = re.compile(
    rf"\b(?=[tnlcs12aw])(?:(?P<det>this\s+coming|this|next|the\s+coming|the\s+following|the|last|coming)\s+)?"
    r"(?:(?P<py>(?:19|20)\d\d)(?:\s*[/-]\s*(?P<py2>\d{2}|(?:19|20)\d\d))?\s+)?"
    rf"(?P<s>{_SEASON})(?:\s*(?:/|and|or|-|to)\s*(?P<s2>{_SEASON}))?"
    r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)(?:\s*[/-]\s*(?P<y2>\d{2}|(?:19|20)\d\d))?\b|"
    r"\s+(?:of\s+)?(?P<rel>this|next|last)\s+year\b)?"
    r"(?P<recess>\s+(?:parliamentary\s+)?recess)?(?:\s+(?-i:Budget|Statement|Spending\s+Review|Fiscal\s+Event))?",
    re.I,
)


_RE_RISES = re.compile(
    r"\b(?:before|by|ahead\s+of|prior\s+to|until|when)\s+(?:the\s+)?(?:House|Parliament|Commons|Lords)\s+rises\s+(?:for|over)\s+(?:the\s+)?$",
    re.I,
)


# School terms in England: autumn September-December, spring January-Easter (read as to the end of April,
# since Easter moves), summer April/May-July. "before the end of the summer term" is July, not August.
_RE_TERM_AFTER = re.compile(r"\s+(?:school\s+)?term\b(?:\s+(?:of\s+)?(?P<ty>(?:19|20)\d\d)\b)?", re.I)
_TERM_MONTHS = {"autumn": (9, 12), "spring": (1, 4), "summer": (4, 7)}


def _school_term(m, term, season, year_text, ref):
    first, last = _TERM_MONTHS[season]
    year_text = year_text or term.group("ty")
    if year_text:
        year = int(year_text)
    else:
        year = ref.year if ref <= _month_end(ref.year, last) else ref.year + 1
    span = (date(year, first, 1), _month_end(year, last))
    c = _period(m, span, "season", "school_term", ref)
    c.end = term.end()
    return c


def _season(m, text, ref):
    s = m.group("s").lower()
    rises = _RE_RISES.search(text, max(0, m.start() - 50), m.start("s"))
    if s == "summer" and _norm(m.group("prep")) == "for" and rises:
        # "before the House rises for summer": the summer recess, so July
        year = ref.year if ref <= date(ref.year, 7, 31) else ref.year + 1
        return _Cand(rises.start(), m.end(), *_month_span(year, 7), "month", "summer_recess")
    det = _norm(m.group("det"))
    if not (_has_prep_or_edge(m) or det or m.group("year") or m.group("rel")):
        return None
    if det == "last" or _norm(m.group("rel")) == "last":
        return _Cand(m.start(), m.end(), None, None, "none", "season", kind="past")
    if m.group("recess") and s == "summer":
        # the Commons rises for the summer in the second half of July
        year = (
            int(m.group("year"))
            if m.group("year")
            else (ref.year if ref <= date(ref.year, 7, 31) else ref.year + 1)
        )
        return _period(m, _month_span(year, 7), "month", "summer_recess", ref)
    year_text, y2_text = m.group("year") or m.group("py"), m.group("y2") or m.group("py2")
    term = _RE_TERM_AFTER.match(text, m.end())
    if term and not m.group("s2") and not m.group("recess"):
        return _school_term(m, term, s, year_text, ref)
    if year_text:
        year = int(year_text)
        if y2_text and int(y2_text) % 100 != (year + 1) % 100:
            return None
        span = _season_span(s, year)
    elif m.group("rel"):
        year = ref.year + (m.group("rel").lower() == "next")
        span = _season_span(s, year)
    else:
        span = _season_around(s, ref, not_started=det in ("next", "the following"))
    if m.group("s2"):  # "spring/summer 2024": from the first to the end of the second
        s2 = m.group("s2").lower()
        y2 = span[0].year + (1 if _SEASONS[s2] < _SEASONS[s] else 0)
        span = (span[0], _season_span(s2, y2)[1])
    earliest, latest, precision = _apply_edge(m, span, "season", ref)
    if m.group("edge") and _norm(m.group("edge")).split()[-1].rstrip("-") in ("early", "mid", "late"):
        precision = "month"
    c = _period(m, span, "season", "season", ref)
    if c.kind == "future" and c.precision != "vague":
        c.earliest, c.latest, c.precision = earliest, latest, precision
    return c


_RE_HOLIDAY = re.compile(
    r"\b(?:the\s+)?(?P<h>Easter|Christmas|Xmas|New\s+Year)(?:\s+(?P<year>(?:19|20)\d\d)\b)?"
    r"(?:\s+(?:parliamentary\s+|school\s+)?(?:recess|holidays?|break|period|day))?",
    re.I,
)


def _holiday(m, text, ref):
    prep = _norm(m.group("prep"))
    if m.group("edge") and not prep:
        prep = "in"  # "early in the New Year"
    if not prep or prep in ("to", "and", "due"):
        return None
    h = m.group("h").lower()
    year = int(m.group("year")) if m.group("year") else None
    if prep == "since":
        return _Cand(m.start(), m.end(), None, None, "none", h, kind="past")
    if prep in _OPEN_ENDED_PREPS:
        return _Cand(m.start(), m.end(), None, None, "vague", "holiday_open_ended", prep=prep)
    if h == "easter":
        y = year or (ref.year if easter(ref.year) >= ref else ref.year + 1)
        return _Cand(m.start(), m.end(), None, easter(y), "day", "easter", prep=prep)
    if h in ("christmas", "xmas"):
        y = year or (ref.year if date(ref.year, 12, 25) >= ref else ref.year + 1)
        return _Cand(m.start(), m.end(), None, date(y, 12, 25), "day", "christmas", prep=prep)
    # New Year
    if prep in ("by", "before", "ahead of", "in advance of", "prior to", "until"):
        y = (year - 1) if year else ref.year
        return _Cand(m.start(), m.end(), None, date(y, 12, 31), "day", "new_year", prep=prep)
    y = year or (ref.year if ref.month == 1 and ref.day <= 7 else ref.year + 1)
    return _Cand(m.start(), m.end(), *_month_span(y, 1), "month", "new_year", prep=prep)


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
        return _Cand(m.start(), m.end(), ref, _fy_span(_fy_start_year(ref))[1], "financial_year", "fy_end")
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
        start = _fy_start_year(ref) if financial else ref.year
        if _quarter_span(start, q, financial)[1] < ref:
            start += 1
    span = _quarter_span(start, q, financial)
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
        return None  # "2024 to 2025" is only a financial year when it says so
    if not (_has_prep_or_edge(m) or explicit):
        return None
    if _norm(m.group("fword2")) in ("academic", "school"):
        return _period(m, (date(start, 9, 1), date(start + 1, 8, 31)), "year", "academic_year", ref)
    return _period(m, _fy_span(start), "financial_year", "financial_year", ref)


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
    sy = _fy_start_year(ref) + step
    return _period(m, _fy_span(sy), "financial_year", "financial_year_relative", ref)


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
    if prep in ("for", "during") and not direction:
        return None  # "for six months" is how long something lasts, not when it is due
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
    if prep not in ("by", "before", "within", "during", "in", "over", "for", "until", "till", "throughout",
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


# -- vague and past-by-form phrases ---------------------------------------------------------------------

# Vague phrases, split by the words that gate them so a sentence only pays for the ones it could hold.
_RE_VAGUE_SOON = re.compile(
    r"\b(?=[vasiwoub])(?:very\s+|as\s+)?(?:shortly|soon(?!\s+as)|imminently|in\s+due\s+course|in\s+good\s+time|in\s+due\s+time|"
    r"as\s+soon\s+as\s+(?:possible|practicable|is\s+practicable|we\s+can|practically\s+possible|"
    r"parliamentary\s+time\s+allows)|"
    r"at\s+(?:the|a)\s+(?:first|next|earliest|appropriate|suitable)\s+(?:available\s+|possible\s+|suitable\s+|"
    r"appropriate\s+)?(?:point|time|opportunity)|"
    r"(?:when|as\s+soon\s+as|once)\s+(?:parliamentary\s+)?time\s+(?:allows|permits)|"
    r"as\s+a\s+matter\s+of\s+(?:urgency|priority)|urgently|without\s+delay|before\s+long|"
    r"at\s+a\s+(?:later|future)\s+(?:date|stage|point)|"
    r"(?:on|from|at|by)\s+a\s+date\s+(?:to\s+be|yet\s+to\s+be)\s+(?:confirmed|announced|determined|agreed|set))\b",
    re.I,
)
_RE_VAGUE_COMING = re.compile(
    r"\b(?=[wiodb])(?:within\s+(?:a\s+matter\s+of\s+)?(?:days|weeks|months)|"
    r"(?:in|over|during|within)\s+the\s+(?:coming|next|following|forthcoming)\s+(?:few\s+)?"
    r"(?:days|weeks|months|years|period)|(?:in|over)\s+the\s+(?:weeks|months|years)\s+ahead|"
    r"(?:in|over)\s+the\s+(?:very\s+)?(?:near|not\s+too\s+distant|foreseeable|near-term|immediate)\s+future|"
    r"(?:by|in|during|before|within|over)\s+the\s+(?:early|mid|late|end\s+of\s+the)?[\s-]*(?:19|20)\d0s|"
    r"(?:in|during|by)\s+the\s+(?:next|following)\s+Parliament|"
    r"(?:in|over)\s+the\s+(?:short|medium|long|longer|near)[\s-]+term|"
    r"(?:with)?in\s+a\s+decade|(?:in|over|during|within)\s+the\s+(?:next|coming)\s+decade)\b",
    re.I,
)
_RE_VAGUE_EVENT = re.compile(
    r"\b(?:(?:after|following)\s+the\s+(?:next\s+)?general\s+election|"
    r"(?:at|in|by|before|through|alongside|following|after|as\s+part\s+of)\s+the\s+(?:next\s+|forthcoming\s+|"
    r"upcoming\s+|coming\s+)?(?:Spending\s+Review|Budget|fiscal\s+event|spending\s+round)|"
    r"(?:by|before|during|in|within)\s+(?:the\s+end\s+of\s+)?(?:this|the\s+current|the\s+next)\s+"
    r"(?:parliamentary\s+)?session|(?:during|in|by)\s+the\s+(?:first|second|third|fourth|fifth|next|current)\s+"
    r"session\s+of\s+(?:this\s+|the\s+)?Parliament|(?:in|at|through)\s+the\s+(?:next\s+)?(?:King's|Queen's)\s+Speech|"
    r"(?:within|during|over|in|by\s+the\s+end\s+of)\s+the\s+(?:current\s+|next\s+)?"
    r"(?:Spending\s+Review|SR)\s+period)\b",
    re.I,
)
_RE_REPEATING = re.compile(
    r"\b(?=[abqyaesto136])(?:annually|bi-?annually|quarterly|yearly|biennially|at\s+regular\s+intervals|"
    r"(?:at\s+)?(?:three|six|twelve|3|6|12)[\s-]monthly(?:\s+intervals)?|(?:every|each)\s+(?:year|month|quarter|"
    r"(?:two|three|four|five|six|\d+)\s+(?:years|months|weeks))|on\s+an?\s+(?:annual|quarterly|yearly|"
    r"monthly|regular|rolling)\s+basis)\b",
    re.I,
)


def _vague(m, text, ref):
    return _Cand(m.start(), m.end(), None, None, "vague", "vague")


def _repeating(m, text, ref):
    # a schedule, not a date a tracker can check
    return _Cand(m.start(), m.end(), None, None, "vague", "repeating")


_RE_PAST_FORM = re.compile(
    r"\b(?=[epsidoltury])(?:(?:earlier|previously|so\s+far)\s+(?:this|in\s+the)\s+(?:year|month|week|spring|summer|autumn|winter)|"
    r"(?:in|during|over|since)\s+(?:the\s+)?(?:last|past|previous)\s+(?:\w+\s+)?(?:year|month|week|decade|days|weeks|months|years)s?|"
    r"last\s+(?:year|month|week|spring|summer|autumn|winter|quarter)|to\s+date|so\s+far|"
    rf"until\s+(?:now|recently)|previously|recently|in\s+the\s+past|yesterday|since\s+(?:then|{_YEAR}))\b",
    re.I,
)


def _past_form(m, text, ref):
    return _Cand(m.start(), m.end(), None, None, "none", "past_form", kind="past")


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
_PATTERNS = (
    # (regex, prefix read backwards from the match or None, handler, words one of which must be present)
    (_RE_PAST_FORM, None, _past_form, ("earlier", "previous", "so far", "last", "past", "to date", "until", "recent",
                                       "yesterday", "since")),
    (_RE_VAGUE_SOON, None, _vague, ("soon", "shortly", "imminent", "course", "good time", "due time", "possible",
                                    "practicable", "opportunit", "allow", "permit", "urgen", "delay", "priority",
                                    "before long", "later", "future", "date to be", "appropriate", "suitable",
                                    "earliest")),
    (_RE_VAGUE_COMING, None, _vague, ("coming", "next", "following", "forthcoming", "ahead", "future", "term",
                                      "within", "decade", "0s")),
    (_RE_VAGUE_EVENT, None, _vague, ("spending", "budget", "fiscal", "session", "election", "speech")),
    (_RE_REPEATING, None, _repeating, ("annual", "quarterly", "yearly", "biennial", "interval", "monthly", "every",
                                       "each", "basis")),
    (_RE_PARLIAMENT, _RE_PREFIX_PREP, _parliament, ("parliament", "election")),
    (_RE_DAY, _RE_PREFIX_PREP, _day, _DIGITS),
    (_RE_WEEKDAY, _RE_PREFIX_PREP, _weekday, ("day",)),
    (_RE_DAY_REL, None, _day_rel, ("today", "tomorrow", "tonight")),
    (_RE_QUARTER, _RE_PREFIX_EDGE, _quarter, ("q1", "q2", "q3", "q4", "quarter")),
    (_RE_FY, _RE_PREFIX_EDGE, _fy, _DIGITS),
    (_RE_FY_REL, _RE_PREFIX_EDGE, _fy_rel, ("financial", "fiscal", "academic", "school")),
    (_RE_MONTH, _RE_PREFIX_MONTH, _month, _MONTH_KEYS),
    (_RE_MONTH_REL, _RE_PREFIX_EDGE, _month_rel, ("month", "week", "quarter")),
    (_RE_SEASON, _RE_PREFIX_EDGE, _season, ("spring", "summer", "autumn", "winter")),
    (_RE_HOLIDAY, _RE_PREFIX_EDGE, _holiday, ("easter", "christmas", "xmas", "new year")),
    (_RE_YEAR, _RE_PREFIX_EDGE, _year, _DIGITS),
    (_RE_YEAR_REL, _RE_PREFIX_EDGE, _year_rel, ("year",)),
    (_RE_YEAR_END, _RE_PREFIX_PREP, _year_end, ("year end", "year-end")),
    (_RE_DECADE_END, _RE_PREFIX_PREP, _decade_end, ("decade",)),
    (_RE_DURATION, None, _duration, _UNIT_KEYS),
    (_RE_FROM_NOW, None, _from_now, ("from now", "from today", "hence", "this letter", "after", "following", "from")),
)  # fmt: skip


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
    r"aim(?:s|ed|ing)?\s+(?:to|for|is|at)|expect\w*|anticipat\w*|due|schedul\w*|"
    r"commit\w*|pledg\w*|promis\w*|undertak\w*|propos\w*|hope[sd]?|hoping|seek\w*|would\s+like|wants?\s+to|"
    r"set\s+to|on\s+track|looking\s+to|to\s+be|should|must|needs?\s+to|forthcoming|upcoming|is\s+to|are\s+to|"
    r"delay\w*|postpon\w*|defer\w*|extend\w*|push\w*\s+back|moved?\s+to|resched\w*|ready|timetabl\w*|"
    r"target\w*|deadline|in\s+order\s+to|ensure|by\s+when|intention|ambition|"
    r"(?:asked|agreed|decided|invited|tasked|requested|instructed|commissioned|encouraged|expect)\s+"
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
    r"came|went|took"
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
    r"\b(?:recommended|recommends|recommendation|called\s+for|calls\s+for|urged|urges|asked\s+that|requested\s+that)"
    r"\b[^.;]*\b(?:should|must|ought\s+to|be\s+required\s+to)\b",
    re.I,
)
# an old timetable: "was due to be published in March", "had planned to", "would have been"
_RE_OLD_TIMETABLE = re.compile(
    r"\b(?:was|were|had\s+been)\s+(?:originally\s+|initially\s+|previously\s+)?(?:due|expected|scheduled|"
    r"planned|intended|supposed|meant|set|going)\b|\bhad\s+(?:originally\s+|initially\s+)?(?:planned|intended|"
    r"hoped|expected|aimed|committed|promised)\b|\bwould\s+have\b|"
    # simple past of a promise ("we committed to publishing in the summer"): an old promise reported, where
    # "we have committed to" is one that stands
    r"\b(?:we|I|they|the\s+Government|the\s+Department|Ministers)\s+(?:previously\s+|originally\s+)?"
    r"(?:committed|promised|pledged|undertook)\s+to\b",
    re.I,
)
# The subject before a past verb after the phrase: a pronoun, a noun phrase or a capitalised name. Matched
# case-sensitively for names, and never a subordinator: in "in the coming year, whether bereaved parents
# should ..." the "-ed" word is an adjective inside a future question, not a past clause.
_RE_PAST_RIGHT = re.compile(
    rf"^[\s,]*(?!(?:whether|if|how|what|when|where|why|who|which|that)\b)"
    rf"(?:(?:we|i|they|it|he|she|you|this|these|the\s+\w+(?:\s+\w+)?|our\s+\w+|(?-i:[A-Z]\w+))\s+)"
    rf"(?:also\s+|then\s+|first\s+|\w+ly\s+)?(?:(?:have|has|had)\s+(?:already\s+|now\s+|also\s+|\w+ly\s+)?)?"
    rf"(?:been|{_PAST_WORDS}|\w{{3,}}(?<!e)ed)\b|^[\s,]*(?:{_PAST_WORDS})\b",
    re.I,
)


_RE_ABSOLUTE_WITH = re.compile(
    r"\s*with\s+(?:the|its|their|our|a|an|each|every|all)\s+(?:[\w'-]+\s+){0,4}?(?:\w+(?:ed|en)|laid|made|set|put)\b"
    r"(?![^,]*\b(?:was|were|has|have|had)\b)",
    re.I,
)


def _left_window(text: str, start: int, bounds: list[int]) -> str:
    """The clause before `start`: back to the last boundary (comma, "and", "which" ...), at most 160 chars."""
    i = bisect_right(bounds, start)
    cut = bounds[i - 1] if i else 0
    return text[max(cut, start - 160) : start]


def _right_window(text: str, end: int) -> str:
    segment = text[end : end + 160]
    stop = re.search(r"[.;!?]", segment)
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
    if fut_left:
        return "future", 3
    # "..., with the first statement laid before Parliament by July 2026": a participle after "with" and
    # its noun describes the promised state, not a past event; the main clause's tense decides.
    absolute = _RE_ABSOLUTE_WITH.match(left)
    if _RE_PAST_LEFT.search(left) and not absolute:
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
    if _RE_PAST_CLAUSE.search(text, 0, c.start) and not _RE_FUTURE.search(_right_window(text, c.end)):
        return "past", 0
    return "future", 0.5


def _key_index(patterns):
    """Map every key word to the patterns it opens, so one pass over the sentence picks the rules to run."""
    keys = tuple(sorted({k for *_, ks in patterns for k in ks}))
    return keys, {key: tuple(i for i, (*_, ks) in enumerate(patterns) if key in ks) for key in keys}


_KEYS, _KEY_PATTERNS = _key_index(_PATTERNS)


def _candidates(text: str, ref: date) -> list[_Cand]:
    found: list[_Cand] = []
    low = text.lower()
    active = set()
    for key in [k for k in _KEYS if k in low]:  # substring tests beat one big alternation here
        active.update(_KEY_PATTERNS[key])
    for i in sorted(active):
        regex, prefix, handler, _keys = _PATTERNS[i]
        for m in regex.finditer(text):
            if prefix is not None:
                m = _Joined(prefix.search(text, max(0, m.start() - 48), m.start()), m, text)
            try:
                c = handler(m, text, ref)
            except (ValueError, OverflowError, KeyError):
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


def resolve(text: str, reference_date: date) -> Deadline:
    """The phrase in `text` that times a promised future action, resolved against the letter's date."""
    if isinstance(reference_date, datetime):
        reference_date = reference_date.date()
    try:
        return _resolve(text, reference_date)
    except Exception:  # the resolver must never break ingestion; an unreadable sentence is undated
        return NO_DEADLINE


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


def _resolve(text: str, ref: date) -> Deadline:
    if not text or not isinstance(text, str):
        return NO_DEADLINE
    norm = text.translate(_TRANSLATE)  # one character for one, so offsets still index `text`
    cands = _merge_anniversaries(norm, _merge_ranges(norm, _candidates(norm, ref)))
    best, best_score, bounds = None, -1.0, None
    for c in cands:
        if c.kind != "future":
            continue
        if c.precision != "vague":
            if c.latest is None or c.latest < ref:
                continue  # a period that has ended is history, not a deadline
        if bounds is None:
            bounds = [b.end() for b in _RE_BOUNDARY.finditer(norm)]
        reading, score = _reading(norm, c, bounds)
        if reading == "past":
            continue
        if c.rule in ("repeating", "duration_anchored"):
            # "each year, with the first update in March 2027": the first date is what can be checked, so
            # a schedule loses to any date read as future, wherever that date stands in the sentence. So
            # does a duration anchored on an event, which often describes the thing promised rather than
            # timing it ("statistics on deaths within 28 days of release ... from summer 2025").
            score -= 3.5
        if score > best_score:
            best, best_score = c, score
    if best is None:
        return NO_DEADLINE
    if best.prep in _NEGATABLE_PREPS and _RE_NEGATION.search(_left_window(norm, best.start, bounds)):
        # "will not be launched before April 2025": a start, with no end promised
        best = _Cand(best.start, best.end, None, None, "vague", best.rule + "_not_before", prep=best.prep)
    return _finish(text, norm, best, ref)


def resolve_line(line: str, explain: bool = False) -> dict:
    """One ``YYYY-MM-DD<TAB>text`` line to the JSON-ready record printed by ``manage.py resolve_deadlines``.

    A malformed line gives a record with an "error" field instead of raising, so a batch never stops
    half-way.
    """
    raw = line.rstrip("\r\n")
    ref_text, tab, text = raw.partition("\t")
    if not tab:
        return {"input": raw, "error": "expected YYYY-MM-DD<TAB>text"}
    try:
        ref = date.fromisoformat(ref_text.strip())
    except ValueError:
        return {"input": raw, "error": f"not a YYYY-MM-DD date: {ref_text.strip()!r}"}
    found = resolve(text, ref)
    record = {
        "ref_date": ref.isoformat(),
        "text": text,
        "phrase": found.phrase,
        "due_earliest": found.due_earliest.isoformat() if found.due_earliest else None,
        "due_latest": found.due_latest.isoformat() if found.due_latest else None,
        "precision": found.precision,
    }
    if explain:
        record["rule"] = found.rule
    return record
