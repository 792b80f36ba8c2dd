"""The fields of a coroner's Prevention of Future Deaths report (Regulation 28), read from its document.

Reports follow the Chief Coroner's template: THIS REPORT IS BEING SENT TO, then numbered sections 1 CORONER,
2 CORONER'S LEGAL POWERS, 3 INVESTIGATION and INQUEST, 4 CIRCUMSTANCES OF THE DEATH, 5 CORONER'S CONCERNS,
6 ACTION SHOULD BE TAKEN, 7 YOUR RESPONSE, 8 COPIES and PUBLICATION, 9 the date and signature. The headings are
found wherever the text has them (a PDF's text may run one section into the next on one line).

- deceased: 'the death of Miss Amy Henderson' (section 3), without the title;
- coroner, role and area: 'I am Caroline Topping, assistant coroner, for the coroner area of Surrey' (1);
- addressees: one per numbered item of THIS REPORT IS BEING SENT TO, without the person's name, address
  lines, the Chief Coroner (sent a copy of every report) or the deceased's family;
- concerns: section 5 split by tracker.pfd.concerns (the same splitter as the CSV files' concerns);
- stated response date: 'namely by 16th June 2023' (7);
- date: in section 9 ('21st April 2023', '20.4. 2023', 'Dated: 20/04/2023'); when unreadable there, 56 days
  before the stated response date (the report says the response is due 56 days after its date);
- reference: judiciary.uk numbers a report when it publishes it ('2023-0128'): read when the document or its
  file name carries it, else empty (the CSV import or an editor supplies it).

Plain Python: the text comes from the project's reader (responses.extraction.reading.read_letter).
"""

import dataclasses
import datetime
import re

from tracker.pfd import dates
from tracker.pfd.concerns import Concern, split_concerns
from tracker.rules import PFD_RESPONSE_DAYS

# What 'within 56 days of the date of this report' says: the domain rule's period (tracker/rules.py).
PFD_PERIOD = datetime.timedelta(days=PFD_RESPONSE_DAYS)

_HEADINGS = {
    "coroner": r"CORONER(?!'?S)",
    "powers": r"CORONER'?S\s+LEGAL\s+POWERS",
    "inquest": r"INVESTIGATION\s+(?:and|AND|&)\s+INQUEST",
    "circumstances": r"CIRCUMSTANCES\s+OF\s+(?:THE\s+)?DEATH",
    "concerns": r"CORONER'?S\s+CONCERNS",
    "action": r"ACTION\s+SHOULD\s+BE\s+TAKEN",
    "response": r"YOUR\s+RESPONSE",
    "copies": r"COPIES\s+(?:and|AND|&)\s+PUBLICATION",
}
_NUMBERS = {
    "coroner": 1,
    "powers": 2,
    "inquest": 3,
    "circumstances": 4,
    "concerns": 5,
    "action": 6,
    "response": 7,
    "copies": 8,
}
_SENT_TO = re.compile(r"THIS\s+REPORT\s+IS\s+BEING\s+SENT\s+TO\s*:?", re.I)
_TITLES = r"(?i:(?:the\s+late\s+)?(?:mr|mrs|ms|miss|mx|master|dr|doctor|professor|prof|baby|sir|dame|hhj|judge)\.?\s+)"
_DECEASED = re.compile(
    rf"death\s+of\s+(?:{_TITLES})?(?P<name>[A-Z][\w'’\-]+(?:\s+(?:[A-Z][\w'’\-]+|[A-Z]\.))*)", re.S
)
_CORONER = re.compile(
    r"I\s+am\s+(?P<who>.+?)\s*,?\s*(?P<role>(?:HM\s+|His\s+Majesty'?s\s+|Her\s+Majesty'?s\s+)?(?:senior|area|assistant|deputy|acting|acting\s+senior)?\s*coroner)\b"
    r"[^.]*?\bcoroner\s+area\s+of\s+(?:the\s+)?(?P<area>[^.\n;]+)",
    re.I | re.S,
)
_POST_NOMINALS = re.compile(
    r"\s*,\s*(?:[A-Z]{2,}|LLB|LLM|BA|MA|MB|BS|KC|QC|OBE|MBE|CBE|PhD|Hons|\(Hons\))\b.*$"
)
_DATE_WORDS = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{dates._MONTH})\.?,?\s+\d{{4}}\b", re.I
)
_DATE_NUMBERS = re.compile(r"\b(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4}|\d{2})\b")
_REFERENCE = re.compile(r"(?<!\d)(20\d{2})\s*[-–]\s*(\d{4})(?!\d)")
_FAMILY = re.compile(
    r"\b(?:brother|sister|mother|father|son|daughter|wife|husband|partner|widow|widower|family|parents?)\b.*\b(?:deceased|late)\b|\bfamily\b",
    re.I,
)
_CHIEF_CORONER = re.compile(r"^\s*(?:the\s+)?chief\s+coroner\b", re.I)
_PERSON_LINE = re.compile(
    r"^(?:the\s+)?(?:right\s+honourable|rt\.?\s+hon\.?|mr|mrs|ms|miss|dr|professor|prof|sir|dame|lord|lady|baroness)\b\.?[^,]*$|\bMP$",
    re.I,
)
_ADDRESS_LINE = re.compile(
    r"^(?:\d+[a-z]?\s+\S+|p\.?\s*o\.?\s+box\b.*|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|.*\b(?:street|road|lane|avenue|house|square|floor|building)\b,?\s*$)",
    re.I,
)
_ITEM = re.compile(r"(?:^|\n)\s*(?:\d{1,2}[.)]?|[a-z][.)]|[•·\-–])\s+", re.I)


@dataclasses.dataclass
class PfdReport:
    deceased: str = ""
    date_issued: datetime.date | None = None
    reference: str = ""
    coroner: str = ""
    coroner_role: str = ""
    area: str = ""
    addressees: list = dataclasses.field(default_factory=list)
    concerns: list = dataclasses.field(default_factory=list)  # [Concern]
    stated_deadline: datetime.date | None = None
    warnings: list = dataclasses.field(default_factory=list)

    def to_dict(self):
        data = dataclasses.asdict(self)
        data["date_issued"] = self.date_issued.isoformat() if self.date_issued else None
        data["stated_deadline"] = self.stated_deadline.isoformat() if self.stated_deadline else None
        return data


def read_report(data, filename):
    """Read a PFD report document (PDF, Word or text) with the project's reader, bounded in memory and time as
    letters are (a forked child: responses.extraction.bounded), then parse_report()."""
    from responses.extraction.bounded import read_letter_bounded  # the one reader of uploaded documents

    return parse_report(read_letter_bounded(data, filename), filename)


def sections(text):
    """{section: its text} for the template's numbered sections found in `text` (plus 'sent_to', 'signed')."""
    found = []
    for name, heading in _HEADINGS.items():
        number = _NUMBERS[name]
        pattern = re.compile(rf"(?:^|(?<=\s))(?:{number}\s*[.)]?\s+)?{heading}\b", re.M)
        # The numbered heading if there is one, else the first bare heading after the previous section.
        numbered = re.compile(rf"(?:^|(?<=\s)){number}\s*[.)]?\s+{heading}\b", re.M).search(text)
        match = numbered or pattern.search(text, found[-1][2] if found else 0)
        if match:
            found.append((name, match.start(), match.end()))
    sent = _SENT_TO.search(text)
    if sent:
        found.append(("sent_to", sent.start(), sent.end()))
    signed = list(re.finditer(r"(?:^|\n)\s*9\s*[.)]?\s+(?=\S)", text))
    copies_at = next((end for name, _, end in found if name == "copies"), None)
    signed = [m for m in signed if copies_at is None or m.start() > copies_at]
    if signed:
        found.append(("signed", signed[0].start(), signed[0].end()))
    found.sort(key=lambda item: item[1])
    out = {}
    for i, (name, _start, end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(text)
        out.setdefault(name, text[end:stop].strip())
    return out


def parse_report(text, filename=""):
    text = (text or "").replace("\r\n", "\n").replace("\u00a0", " ")
    parts = sections(text)
    report = PfdReport()
    report.deceased = _deceased(parts.get("inquest", "") or text)
    report.coroner, report.coroner_role, report.area = _coroner(parts.get("coroner", "") or text[:3000])
    report.addressees = addressees(parts.get("sent_to", ""))
    concerns_text = parts.get("concerns", "")
    report.concerns = split_concerns(concerns_text) if concerns_text else []
    report.date_issued = (
        _signed_date(parts.get("signed", "")) or _labelled_date(text) or _date_in_closing_lines(text)
    )
    report.stated_deadline = dates.stated_response_date(parts.get("response", "") or text, report.date_issued)
    if (
        report.date_issued is None
        and report.stated_deadline
        and re.search(rf"within\s+{PFD_RESPONSE_DAYS}\s+days", text, re.I)
    ):
        report.date_issued = report.stated_deadline - PFD_PERIOD
        report.warnings.append("the report's date is not readable; taken as 56 days before its response date")
    report.reference = _reference(text[:1500]) or _reference(filename or "")
    for field in ("deceased", "coroner", "area", "date_issued"):
        if not getattr(report, field):
            report.warnings.append(f"no {field.replace('_', ' ')} found")
    if not report.addressees:
        report.warnings.append("no addressee found")
    return report


def _deceased(text):
    match = _DECEASED.search(text)
    if not match:
        return ""
    words = match.group("name").split()
    # A name ends before the words that follow it: 'Amy Henderson was', 'Jodie McCann. The'.
    return " ".join(_title_case(w) for w in words).strip(" .,")


def _title_case(word):
    return word.capitalize() if word.isupper() and len(word) > 2 else word


def _coroner(text):
    match = _CORONER.search(text)
    if not match:
        return "", "", ""
    who = re.sub(r"\s+", " ", match.group("who")).strip(" ,")
    who = _POST_NOMINALS.sub("", who)
    who = re.sub(rf"^{_TITLES}", "", who, flags=re.I).strip(" ,")
    who = " ".join(_title_case(w) for w in who.split())
    role = re.sub(r"\s+", " ", match.group("role")).strip()
    area = re.sub(r"\s+", " ", match.group("area")).strip(" ,")
    return who, role[:1].upper() + role[1:].lower(), area


def addressees(text):
    """The organisations of a THIS REPORT IS BEING SENT TO section, as written (roles left for names.py)."""
    text = text.strip()
    if not text:
        return []
    markers, expected = [], 1
    for match in _ITEM.finditer(text):
        number = re.match(r"\s*(\d+)", match.group(0))
        if number and int(number.group(1)) != expected:
            continue  # '39 Victoria Street' inside item 1 is an address, not item 39
        expected += 1 if number else 0
        markers.append(match)
    if markers:
        bounds = [m.start() for m in markers[1:]] + [len(text)]
        items = [text[m.end() : end] for m, end in zip(markers, bounds, strict=True)]
    else:
        items = re.split(r"\n\s*\n", text)
    found = []
    for item in items:
        name = _item_name(item)
        if name and name not in found:
            found.append(name)
    return found


def _item_name(item):
    lines = [line.strip(" ,;") for line in item.strip().splitlines() if line.strip(" ,;")]
    kept = []
    for line in lines:
        if _ADDRESS_LINE.match(line) and kept:
            break  # the address starts: the name is above it
        kept.append(line)
    if len(kept) > 1 and _PERSON_LINE.search(kept[0]):
        kept = kept[1:]  # 'Mrs Amanda Pritchard' above 'Chief Executive for NHS England'
    name = " ".join(kept).strip(" ,;.")
    # A name redacted from the document leaves its comma: ', brother of the Deceased'.
    name = re.sub(r"^[,;:\s]+", "", name)
    name = re.sub(r"\s+via\s+(?:his|her|their)\s+legal\s+representatives?\b.*$", "", name, flags=re.I)
    name = re.sub(
        r"^((?:chief\s+executive(?:\s+officer)?|ceo))\s+(?:if|of|for|at)\s+", r"\1 of ", name, flags=re.I
    )
    if not name or _FAMILY.search(name) or _CHIEF_CORONER.match(name):
        return ""
    return name[:1].upper() + name[1:]


def _date_in_closing_lines(text):
    """The date beside the signature when section 9's number is not in the text layer (some PDF producers
    draw the template's section numbers as graphics): the report's last short lines."""
    closing = [line for line in text.strip().splitlines()[-3:] if len(line.split()) <= 10]
    return _signed_date("\n".join(closing)) if closing else None


def _signed_date(text):
    text = text[:300]
    if match := _DATE_WORDS.search(text):
        try:
            return dates.parse_date(match.group(0))
        except dates.BadDate:
            pass
    if match := _DATE_NUMBERS.search(text):
        day, month, year = match.groups()
        try:
            return dates.parse_date(f"{day}/{month}/{year}")
        except dates.BadDate:
            pass
    return None


def _labelled_date(text):
    match = re.search(r"\bDated?\s*:?\s*(.{6,30})", text)
    return _signed_date(match.group(1)) if match else None


def _reference(text):
    match = _REFERENCE.search(text)
    return f"{match.group(1)}-{match.group(2)}" if match else ""


__all__ = ["Concern", "PfdReport", "addressees", "parse_report", "read_report", "sections"]
