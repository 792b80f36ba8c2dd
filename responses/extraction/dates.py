"""Calendar dates written in letters ("2 December 2022", "December 2, 2022", "02/12/2022")."""

import re
from datetime import date

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
DATE_PATTERN = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})"
    rf"|(?P<month2>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})"
    r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
    r"|(?P<nd>\d{1,2})[/.](?P<nm>\d{1,2})[/.](?P<ny>\d{4}|\d{2}))\b",
    re.IGNORECASE,
)


def _build(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_match(match: re.Match) -> date | None:
    groups = match.groupdict()
    if groups["day"]:
        return _build(int(groups["year"]), MONTHS[groups["month"].lower().rstrip(".")], int(groups["day"]))
    if groups["day2"]:
        return _build(int(groups["year2"]), MONTHS[groups["month2"].lower().rstrip(".")], int(groups["day2"]))
    if groups["iy"]:
        return _build(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    # Numeric dates in UK letters are day/month/year.
    return _build(int(groups["ny"]), int(groups["nm"]), int(groups["nd"]))


def find_dates(text: str) -> list[tuple[date, int, int]]:
    found = []
    for match in DATE_PATTERN.finditer(text):
        value = parse_match(match)
        if value:
            found.append((value, match.start(), match.end()))
    return found


# A parliamentary web page's navigation run onto the last line of the text: "15 December 2000 previous page
# contents next page" (publications.parliament.uk), cut off or not ("next pag").
_NAVIGATION_TAIL = re.compile(
    r"(?:\s+(?:previous\s+pag\w*|next\s+pag\w*|contents|top\s+of\s+pag\w*|back\s+to\s+top|home\s+pag\w*|\|))+\s*$",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"^(?:date[d]?\s*:?\s*)", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+", re.IGNORECASE)
_MONTH_YEAR_LINE = re.compile(
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r",?\s+(?P<year>(?:19|20)\d\d)",
    re.IGNORECASE,
)


def _date_line_text(line: str) -> str:
    text = re.sub(r"\s+", " ", line).strip(" *_-,")
    text = _NAVIGATION_TAIL.sub("", text)
    text = _DATE_LABEL.sub("", text).strip(" .,")
    return _WEEKDAY.sub("", text)


def date_line(line: str) -> date | None:
    """The date of a line that is only a date ("15 December 2000", "Date: 2 May 2023", "Tuesday 4 June
    2013", "9 November 2000 previous page contents")."""
    match = DATE_PATTERN.fullmatch(_date_line_text(line))
    return parse_match(match) if match else None


def month_line(line: str) -> date | None:
    """The first day of the month of a line that is only a month and year ("June 2000"): a letter dated by its
    month at the foot, as some published letters and memoranda are."""
    match = _MONTH_YEAR_LINE.fullmatch(_date_line_text(line))
    if not match:
        return None
    return _build(int(match.group("year")), MONTHS[match.group("month").lower()], 1)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_DATE = re.compile(
    r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b(?!,?\s+\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19[89]\d|20\d\d)\b")


def weekday_date(line: str, context: str) -> date | None:
    """A date written with its weekday but no year ("Version 6.1 - Tuesday 4th June", a draft's stamp): the year
    in which that day is that weekday, among the years the document's front mentions (and the year after each);
    None unless exactly one fits."""
    match = _WEEKDAY_DATE.search(line)
    if not match:
        return None
    weekday = _WEEKDAYS.index(match.group("weekday").lower())
    candidates = {int(y) + step for y in _YEAR.findall(context) for step in (0, 1)}
    fits = {
        day
        for day in (
            _build(y, MONTHS[match.group("month").lower()], int(match.group("day"))) for y in candidates
        )
        if day is not None and day.weekday() == weekday
    }
    return fits.pop() if len(fits) == 1 else None
