"""Deadline resolver: turn the time phrase in a government promise into a due window.

``resolve(text, reference_date, reference_precision="day")`` reads one sentence (the promise) and the letter's
date and returns a ``Deadline``: the verbatim phrase that times the promised action, ``due_earliest``,
``due_latest`` (what the overdue job uses) and a precision from ``PRECISIONS``. A sentence with no time phrase
gives precision ``none`` (with ``past_phrase`` naming the time phrase it read as a past event, if any) and a
promise timed only by "shortly", "in due course" and the like gives ``vague``. A letter dated only by its month
("January 2026") or year passes ``reference_precision="month"`` / ``"year"``.

Errors surface: a text that is not a str or a reference that is not a date raises TypeError; any other
exception is a bug in a rule and is not turned into "undated". (``resolve_line``, behind ``manage.py
resolve_deadlines``, still answers a malformed input line with an error record.)

Where things are
----------------
- ``data/*.tsv``: the tables, as data (each file's header says what its columns mean): ``holidays.tsv``,
  ``seasons.tsv``, ``school_terms.tsv``, ``recess_names.tsv`` and ``commons_recesses.tsv`` (House of Commons
  recess dates by session), ``parliaments.tsv``, ``fiscal_events.tsv``, ``phrases.tsv`` (vague, repeating and
  past-by-form phrases). Adding "by Whitsun" is a row of ``holidays.tsv`` and a test row.
- ``tables.py`` loads and checks them; ``dates.py`` does the calendar arithmetic; ``phrases.py`` holds one
  regular expression and one handler per kind of phrase; ``reading.py`` reads the tense around a phrase;
  ``resolver.py`` picks the phrase that times the promise and combines readings for a month/year reference.

What comes from libraries and what is written here, and why
-----------------------------------------------------------
python-dateutil does the calendar arithmetic: ``dateutil.easter.easter`` (Western Easter Sunday) and
``relativedelta`` (month/year durations that clamp 31 January + 1 month to 28/29 February). General date
parsers (``dateutil.parser``, dateparser) are not used: they read "Summer 2023" as today's date in 2023 or
give up, know nothing of UK financial years, Parliaments or seasons, and cannot tell which of two dates in
a sentence times the promise. So the phrase grammar, the conventions below and the past/future reading of
the sentence are written here, as precompiled regular expressions (10,000 sentences take about 1 s of
CPU, see benchmarks/bench_deadlines.py). How well they hold on real sentences is measured on
tests/real/deadline_sentences.tsv (benchmarks/eval_deadlines_real.py; first and later scores in
docs/real-letters.md).

Conventions (``ref`` is the letter's date; "period start" is clamped to ``ref`` when the period has
already begun, except after "from"/"as of"/"starting", where the start is the point of the phrase)
-----------------------------------------------------------------------------------------------------
- The letter's date. A letter dated only "January 2026" (``reference_precision="month"``) or only by its year
  is dated by the first day it allows, as editors record it and as the real gold annotations count from it
  ("in the next year" of February 2025 -> 1 February 2026, "over the next four years" of January 2026 -> 1
  January 2030); it is also read at the last day, and when the two readings differ the precision is no finer
  than the reference's ("within three months" of January 2026 -> 1 April 2026, precision month; "by 31 March
  2026" -> 31 March 2026, day).
- Explicit day: "by 31 March 2024", "on 1 December 2023", "31/03/2024", "2024-03-31", "by 31/03/25" (a
  two-digit year only after a preposition: "1/2/25" alone may be a ratio) -> that day, precision day,
  due_earliest None. A day without a year is its next occurrence on or after ``ref``,
  except that "on 6 January" up to six months before the letter is a recent past day (statements and
  meetings are reported that way; nobody dates next year's meeting without its year). A bare date on or
  before the letter's date (the letterhead, "the guidance of 2 May 2023") is never a deadline; nor is a
  recent day after "from" ("From 9 October, claimants will have ..." in a November letter: a start already
  passed). Days in words ("Wednesday the Twenty-Eighth of June 2023"), "27 th November", "24.3.23" and a
  footnote number printed against the year ("11 November 2025⁶" read as "20256") are read as days; an
  impossible day ("31 February 2026") leaves the month it names.
  "by the 35th anniversary of the Hillsborough stadium disaster on 15 April 2025" -> the whole span is the
  phrase, due 15 April 2025. Weekdays ("by Friday") are the next such day on or after ``ref``.
- Month: "by March 2024", "By July this year", "From April 2021", "by the end of March" -> the month
  (earliest = its first day, latest = its last day), precision month. A month without a year is its next
  occurrence on or after the letter's month; "next April" is the first April after the letter's month.
  "early/mid/late March" -> days 1-10 / 11-20 / 21-end. "before April 2025" and "before 2025" mean the
  period before (March 2025, 2024): a reader takes "before 2025" to exclude 2025. Seasons and holidays
  keep their own end after "before" ("before the summer" ends 31 August, "before Easter" is Easter
  Sunday, as the gold annotations have it). A bare "March 2026" (no preposition) of the letter's own month
  or before is the document's date on its cover, not a deadline.
- Seasons (meteorological): spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb; "winter
  2023/24" and "winter 2023" both mean Dec 2023 - Feb 2024 (ends 29 Feb 2024). "the spring", "this
  autumn", "over the summer" without a year: the first such season that has not ended at ``ref``;
  "next summer": the first that has not started. "the end of the summer" ends 31 August; "early/mid/late
  summer" is the season's first/second/third month. "the forthcoming Spring publication" is that season.
  Seasons are data/seasons.tsv; school terms (England, data/school_terms.tsv): "the autumn term" ends 31
  December, "the spring term" 30 April (it ends at Easter, which moves), "the summer term" 31 July; of the
  year given, else the first not yet ended.
- Holidays (data/holidays.tsv): Easter Sunday (computed), Good Friday, Easter Monday, Whitsun (Whit Sunday,
  seven weeks after Easter Sunday), Christmas, Boxing Day: that day of the year given, else the first one
  on or after ``ref`` (a letter of 27 December saying "by Christmas" means next Christmas); precision day,
  earliest None. "in the New Year" -> January of the next year; "by the New Year" -> 31 December.
- Parliament's recesses (data/recess_names.tsv, data/commons_recesses.tsv): "by / before the summer
  recess", "before the House rises for the summer", "by conference recess", "before the Christmas / Easter /
  Whitsun / February / November recess" -> the day the House of Commons rises (its last sitting day), from
  the announced recess dates by session (summer 2017 to Whitsun 2026, from the House of Commons Library's
  recess calendar), precision day; "during / over the summer recess" -> the recess itself. "before the House
  rises", "by the time Parliament rises" (no recess named) -> the next day the House rises after ``ref``, from
  the same table (vague beyond it). A session the
  table does not hold (before summer 2017, after Whitsun 2026, or a year the House was prorogued instead)
  gets the month the House conventionally rises in (summer: July; conference: September; Christmas:
  December; Easter: the week before Easter), precision month, rule ``recess_conventional``.
- Fiscal events (data/fiscal_events.tsv): "at Spring Budget 2024", "by the Autumn Statement", "the autumn
  2024 Budget" -> that season (so "At Spring Budget 2024, the Chancellor announced" is past); "the 2025
  Spending Review" -> that year; "at the next Spending Review", "alongside the Budget", "in the next King's
  Speech" -> vague. "within the budget available" is money, not the Budget.
- Years: "in 2024", "during 2025", "by 2025", "by the end of 2024", "this year", "later this year",
  "before the end of the year" -> 31 December of the letter's year (the end of the current month or year,
  never the next one's); "next year" -> 31 December of the next year; "early / mid / late 2024" (also
  "the early / latter part of 2024") -> Jan-Apr / May-Aug / Sep-Dec, precision season (four months, as
  the real gold annotations have it); "later in 2024" ->
  the rest of 2024; "the first / second half of 2024", "H1 2024" -> Jan-Jun /
  Jul-Dec (precision half); "by the end of the decade" -> 31 December of the decade's ninth year;
  "by the mid-2020s" is vague. Spans of years: "(2026 to 2028)", "in 2025 to 2027", "between now and
  2026", "from 2024 to 2026" -> 1 January of the first to 31 December of the last, precision year.
  "by year end" is the calendar year (say "financial year end" for the other).
- Quarters: "Q1 2024", "the first quarter of 2024" -> calendar quarters. Financial when the text says so:
  "financial Q1", "Q1 of the financial year", "Q3 2024/25", "Q1 FY2024/25" (Q1 = April-June). "Q3" with
  no year needs a preposition ("by Q3") and is the quarter of this year, or next year's once ended.
  "this quarter", "next quarter", "the end of the quarter" are calendar quarters.
- UK financial years (1 April - 31 March): "2024/25", "2024-25", "2024/2025", "FY2024/25", "FY24/25",
  "financial year 2024 to 2025", "in 2025 to 2026" (GOV.UK's style: consecutive years after in / during /
  over / by / until), "this financial year", "the next financial year", "by the end of the financial year"
  -> 31 March that ends that year. "2024-25" must be consecutive years (so "1/2", ratios
  and page ranges are not read as years). Academic years ("the 2024/25 academic year", "this academic
  year") run 1 September - 31 August, precision year.
- Durations from the letter's date: "within 12 months", "within six months", "in the next three months",
  "over the next two years", "within 28 days", "in a year's time", "in the coming year", "in the year
  ahead", "12 months from now", "within 10 working days" -> ``ref`` + the duration (working days skip
  weekends; "within six to eight weeks" takes the longer); earliest ``ref``; precision day for
  days/weeks, month for months, year for years. A duration anchored on another event ("within 28 days of
  receiving the report") is vague: the letter does not say when that event happens. "a few"/"several"
  units and "within weeks" are vague; "for six months" and "for the next 5-10 years" say how long, not
  when, and are no deadline; nor is "the first 12 months of the committee". Decades ("in a decade", "over
  the next decade") are missions, not checkable deadlines: vague.
- "this month", "later this month", "the end of the month", "next month" -> that month's last day;
  "this week"/"by the end of the week" -> Friday of the current week; "next week" -> Monday-Friday of the
  next week; "today", "tomorrow" -> that day.
- "by the end of this Parliament": a Parliament dissolves at the start of the fifth anniversary of its
  first meeting (Dissolution and Calling of Parliament Act 2022, s.4), so the Parliament that first met on
  9 July 2024 ends by 8 July 2029 (precision day, earliest ``ref``). The table of first meetings is
  ``PARLIAMENTS`` (data/parliaments.tsv). Earlier Parliaments (up to the one elected in 2019, all elected under the
  Fixed-term Parliaments Act 2011), letters written between a dissolution and the next first meeting and
  dates beyond the table are vague. "before the next general
  election" is read as the end of this Parliament.
- Vague (data/phrases.tsv; phrase, no dates): "shortly", "soon", "immediately", "at pace", "in future",
  "going forward", "as a longer-term ambition", "as soon as is feasible / reasonably practicable", "in due course", "in the coming weeks/months", "over the
  coming months", "in the near future", "as soon as possible", "at the earliest opportunity", "when
  parliamentary time allows", "in the short/medium/long term", "at the next Spending Review", "as a
  matter of urgency", "on a date to be confirmed", "in the next Parliament", "after the general
  election", "before the end of this session", a negated limit ("will not be launched before April
  2025", "not until the autumn": a start with no promised end), repeating
  schedules ("annually", "every year", "quarterly": not a date a tracker can check; "quarterly reports" is
  an adjective), "after Easter"/"after the summer" (no end; "after 1992" is history), and any date anchored
  on an unknown event. A vague phrase, a schedule or an anchored duration counts only in a sentence that
  promises something (a future marker before it, or a verb of the future after it): "we are currently
  working at pace", "the regulator inspects annually" are descriptions.
- Extent, not timing: "for <period>" says what something covers ("funding for 2025 to 2026", "plans for the
  remainder of the Parliament") unless a word of scheduling comes before it ("planned for 2026",
  "programmed for 2025", "in place for the 2023/24 financial year"); "beyond March 2026" likewise.
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
...) before it wins, unless a finite past verb follows that marker in the same clause ("patients who were due
to be seen were left waiting throughout the winter"; "will review it once the system has been rolled out in
2025"); next a fronted phrase whose clause continues with one ("By July this year we anticipate ..."); then
any phrase after a future marker, or inside a subject whose verb is future ("Our mission to halve it in a
decade will require ..."). A verb phrase continued after "and" keeps its tense ("will be drafted and published
in summer 2025"); participles used as adjectives ("the updated guidance") and present passives ("the plan is
reviewed in or before 2027") are not past events; a reported recommendation ("the Committee recommended that
... should") is the report's, while a recommendation's own text ("Recommendation 7: providers should review
... annually") is resolved. A named date beats a duration in the same sentence ("within 56 days of the date of
this report, namely by 15 March 2024"), a deadline beats a start ("from October 2025 ... by autumn 2026"),
ties go to the first phrase, and repeating schedules ("annually") lose to real dates. A future phrase never
resolves to a due date before ``ref``.
"""

from .resolver import NO_DEADLINE, PRECISIONS, Deadline, resolve, resolve_line
from .tables import PARLIAMENTS

__all__ = ["NO_DEADLINE", "PARLIAMENTS", "PRECISIONS", "Deadline", "resolve", "resolve_line"]
