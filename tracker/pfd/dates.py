"""Dates as PFD files and reports write them. Strict on purpose: a date we cannot read for certain is a bad row
(reported and skipped), never a guess."""

import datetime
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?({_MONTH})\.?,?\s*(\d{{4}})$", re.I)
_MONTH_DAY_YEAR = re.compile(rf"^({_MONTH})\.?\s+(\d{{1,2}}){_ORDINAL},?\s*(\d{{4}})$", re.I)
_NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class BadDate(ValueError):
    pass


def clean(text):
    return _SPACES.sub(" ", text or "").strip()


def parse_date(text):
    """'21 April 2023', '21st April 2023', 'April 21, 2023', '21/04/2023', '21/04/23', '2023-04-21' -> date.

    Non-breaking spaces and doubled spaces are spaces. Raises BadDate with the reason for anything else:
    '4/22' (no day), '03/11 /2022' (a space inside a numeric date), '31/02/2023' (no such day).
    """
    value = clean(text)
    if not value:
        raise BadDate("no date")
    try:
        if match := _ISO.match(value):
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if match := _NUMERIC.match(value):
            day, month, year = match.groups()
            year = int(year) + (2000 if len(year) == 2 else 0)
            return datetime.date(year, int(month), int(day))
        if re.fullmatch(r"[\d/ ]+", value):
            raise BadDate(f"'{value}' is not a date of the form DD/MM/YYYY")
        # '15 August2016': a missing space between the month and the year.
        value = re.sub(r"([A-Za-z])(\d)", r"\1 \2", value)
        if match := _DAY_MONTH_YEAR.match(value):
            day, month, year = match.groups()
            return datetime.date(int(year), MONTHS[month.lower()], int(day))
        if match := _MONTH_DAY_YEAR.match(value):
            month, day, year = match.groups()
            return datetime.date(int(year), MONTHS[month.lower()], int(day))
    except ValueError as error:
        if isinstance(error, BadDate):
            raise
        raise BadDate(f"'{value}' is not a real date") from error
    raise BadDate(f"'{value}' is not a date this importer reads (e.g. 21 April 2023 or 21/04/2023)")


_NAMELY = re.compile(
    rf"namely\s+(?:by|on|before)?\s*(?:the\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:the\s+)?"
    rf"(?P<date>\d{{1,2}}{_ORDINAL}\s*(?:of\s+)?(?:{_MONTH})\.?(?:,?\s*\d{{4}})?"
    rf"|(?:{_MONTH})\.?\s+\d{{1,2}}{_ORDINAL}(?:,?\s*\d{{4}})?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})",
    re.I,
)
# A stated response date further than this from the report's date is a typing error: the 56 days apply.
LONGEST_STATED_PERIOD = datetime.timedelta(days=366)


def stated_response_date(text, report_date=None):
    """The date a report's YOUR RESPONSE section gives ('... within 56 days ..., namely by 15 March 2024'), or
    None. A date written without its year ('namely by Friday 22nd December') takes the first such day on or
    after the report's date. A date before the report or more than a year after it is ignored (a typo)."""
    match = _NAMELY.search(clean(text))
    if not match:
        return None
    value = match.group("date")
    has_year = re.search(r"\d{4}$", value) or "/" in value
    candidates = []
    if has_year:
        try:
            candidates.append(parse_date(value))
        except BadDate:
            return None
    elif report_date:
        for year in (report_date.year, report_date.year + 1):
            try:
                candidates.append(parse_date(f"{value} {year}"))
            except BadDate:
                continue
    for stated in candidates:
        if report_date is None or report_date < stated <= report_date + LONGEST_STATED_PERIOD:
            return stated
    return None
