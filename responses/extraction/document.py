"""What a document says about itself on its first pages: who presents it and when it is dated.

Letters carry a date line and a letterhead; command papers, policy papers and GOV.UK pages do not. They say
"Presented to Parliament by the Chancellor of the Duchy of Lancaster by Command of His Majesty / 16 January
2025", "Published 21 March 2024", "Updated 5 November 2025", or give only a month ("March 2026") under the
title. These are general conventions of how such documents are printed, read here from the front of the
document (its first pages), never from the body, where dates are the dates of events.
"""

import re
from dataclasses import dataclass
from datetime import date

from .dates import DATE_PATTERN, MONTHS, parse_match

# The front of a document: title page, inner title page, copyright page (and a GOV.UK page's header).
FRONT_CHARS = 6000

_MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH_NAMES})\s+(?P<year>(?:19|20)\d\d)\b")
_PRESENTED_LEAD = (
    r"\b(?:Presented|Laid)\s+(?:to|before)\s+(?:Parliament|both\s+Houses\s+of\s+Parliament)"
    r"(?:\s+pursuant\s+to\s+[^\n]{1,80}?)?\s+by\s+(?:the\s+)?"
)
# The role runs to "by Command of His Majesty" (across wrapped lines), else to the end of its line or a date.
_PRESENTED = re.compile(
    _PRESENTED_LEAD + r"(?P<role>[^\f]{4,220}?)(?=\s+by\s+Command\b)"
    r"|" + _PRESENTED_LEAD.replace("(?:", "(?:", 1) + r"(?P<line>[^\n]{4,220}?)"
    r"(?=\s*\n|\s+(?:on\s+)?\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH_NAMES
    + r"|\s+"
    + _MONTH_NAMES
    + r"\s+\d{4}|$)",
    re.IGNORECASE,
)
# "Published 21 March 2024", "Updated 5 November 2025", "Date of publication: March 2026", "Dated 4 May 2023";
# a written ministerial statement's "Statement made on 13 November 2023" (GOV.UK and Parliament's statements
# pages) and Hansard's reference line "HC Deb 06 May 2004 vol 420 c88WS" (the day the statement was made).
_DATE_CUE = re.compile(
    r"(?:^|\n)[ \t]*(?i:(?:First\s+)?published(?:\s+on)?|(?:Last\s+)?updated(?:\s+on)?|Date\s+of\s+publication|"
    r"Publication\s+date|Dated?|(?:Written\s+)?statement\s+made\s+on|Made\s+on|(?:HC|HL)\s+Deb(?:ates)?)\s*:?\s+(?=\S)"
    # within a line only as a capitalised label: "... settings Published 21 March 2024 This was ..."
    r"|(?<![\w-])(?:First\s+published|Published|Last\s+updated|Updated)\s*:?\s+(?=\d)",
)
_BY_COMMAND = re.compile(r"\bby\s+Command\s+of\s+(?:His|Her)\s+Majesty\b", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentDate:
    value: date
    precision: str  # "day" or "month" (a document dated "March 2026" is the 1st of March, precision month)
    cue: str = (
        "stated"  # "stated": a cue says it is the document's date; "month_line": a month under the title
    )


def _date_at(text: str, position: int, reach: int = 60) -> DocumentDate | None:
    """A full date or a month and year starting within `reach` characters of `position` (nothing between
    but white space, commas or "on")."""
    window = text[position : position + reach]
    lead = re.match(r"[\s,:]*(?:on\s+)?(?:the\s+)?", window, re.IGNORECASE)
    offset = lead.end() if lead else 0
    match = DATE_PATTERN.match(window, offset)
    if match:
        value = parse_match(match)
        if value:
            return DocumentDate(value, "day")
    month = _MONTH_YEAR.match(window, offset)
    if month:
        return DocumentDate(date(int(month.group("year")), MONTHS[month.group("month").lower()], 1), "month")
    return None


def presented_by(text: str) -> tuple[str, int, int] | None:
    """(role, start, end) of "Presented to Parliament by the <role>" in the front of the document."""
    match = _PRESENTED.search(text[:FRONT_CHARS])
    if not match:
        return None
    role = re.sub(r"\s+", " ", match.group("role") or match.group("line")).strip(" ,.")
    return role, match.start(), match.end()


def document_date(text: str) -> DocumentDate | None:
    """The date a document gives itself on its first pages, by the first cue found there."""
    front = text[:FRONT_CHARS]
    found: list[tuple[int, DocumentDate]] = []
    presented = _PRESENTED.search(front)
    if presented:
        # The date follows the presenting line, often after "by Command of His Majesty" on a line of its own.
        tail_start = presented.end()
        command = _BY_COMMAND.match(
            front, tail_start + len(front[tail_start:]) - len(front[tail_start:].lstrip())
        )
        if command:
            tail_start = command.end()
        value = _date_at(front, tail_start, 80)
        if value:
            found.append((presented.start(), value))
    for cue in _DATE_CUE.finditer(front):
        value = _date_at(front, cue.end(), 40)
        if value:
            found.append((cue.start(), value))
            break
    if found:
        return min(found, key=lambda item: item[0])[1]
    # A month and year on a line of its own under the title: "January 2026".
    for line in front.split("\n")[:80]:
        month = _MONTH_YEAR.fullmatch(line.strip(" .,"))
        if month:
            value = date(int(month.group("year")), MONTHS[month.group("month").lower()], 1)
            return DocumentDate(value, "month", "month_line")
    return None
