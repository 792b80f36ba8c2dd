"""The CSV files of the PFD corpus, read into PfdRow: one row a report, or a BadRow saying why not.

Three formats, told apart by their header:

- `reports`: the Preventable Deaths Tracker's scrape of judiciary.uk (pdt-reports-*.csv): addressees,
  response addresses, the MATTERS OF CONCERN and YOUR RESPONSE sections.
- `statuses`: its status export (pdt-statuses-*.csv): addressees as it cleaned them, the number of responses
  published, and its own status of each report on the day of the export.
- `toolkit`: the CSV PFD Toolkit's load_reports() gives (url, id, date, coroner, area, receiver, ...; its
  older capitalised names too). It is the scrape's content under other names, with two differences read
  here as well: addressees separated by ';' and ISO dates; it has no deceased's name, no responses and no
  YOUR RESPONSE section.

A report is identified by its page on judiciary.uk (the URL column): references are not unique (a few were
given to two reports) and some rows have none.
"""

import csv
import dataclasses
import datetime
import hashlib
import io
import json
import re

from tracker.pfd import dates
from tracker.web_addresses import NOT_A_WEB_ADDRESS, is_web_address

REPORTS, STATUSES, TOOLKIT = "reports", "statuses", "toolkit"

# field -> column, per format. Columns marked optional may be missing from a file.
COLUMNS = {
    REPORTS: {
        "date": "date_of_report",
        "reference": "ref",
        "deceased": "deceased_name",
        "coroner": "coroner_name",
        "area": "coroner_area",
        "categories": "category",
        "addressees": "this_report_is_being_sent_to",
        "url": "report_url",
        "pdf_url": "pdf_url",
        "reply_urls": "reply_urls",
        "concerns": "concerns",
        "response": "response",
    },
    STATUSES: {
        "status": "Status",
        "date_added": "Date added",
        "date": "Date of report",
        "reference": "Ref",
        "deceased": "Deceased name",
        "coroner": "Coroner name",
        "area": "Coroner area",
        "categories": "Category",
        "addressees": "Sent to",
        "sent_to_count": "Sent to count",
        "replies_count": "Replies count",
        "url": "URL",
    },
    TOOLKIT: {
        "url": "url",
        "reference": "id",
        "date": "date",
        "coroner": "coroner",
        "area": "area",
        "addressees": "receiver",
        "concerns": "concerns",
    },
}
# PFD Toolkit's first releases named the same columns differently.
TOOLKIT_OLD_NAMES = {
    "URL": "url",
    "ID": "id",
    "Date": "date",
    "CoronerName": "coroner",
    "Area": "area",
    "Receiver": "receiver",
    "InvestigationAndInquest": "investigation",
    "CircumstancesOfDeath": "circumstances",
    "MattersOfConcern": "concerns",
}
OPTIONAL = {TOOLKIT: {"concerns"}}
# The more reliable list of addressees wins when two files disagree: the status export's names were cleaned
# by hand; the scrape's are as the coroner typed them (several to a cell, roles, typos).
ADDRESSEE_LIST_RANK = {STATUSES: 2, REPORTS: 1, TOOLKIT: 1}

_SPLIT_ADDRESSEES = re.compile(r"\s*(?:\||;|\n|\r)+\s*")
_REFERENCE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{1,4})$")


class MissingColumns(ValueError):
    def __init__(self, missing, format_name):
        self.missing = missing
        self.format_name = format_name
        super().__init__(
            f"The file is not a PFD file this importer reads: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (closest format: {format_name}). Nothing was imported."
        )


@dataclasses.dataclass
class BadRow:
    row: int  # as a spreadsheet numbers it: the header is row 1
    reason: str
    reference: str = ""

    def __str__(self):
        ref = f" ({self.reference})" if self.reference else ""
        return f"row {self.row}{ref}: {self.reason}"


@dataclasses.dataclass
class PfdRow:
    row: int
    format: str
    url: str
    reference: str
    deceased: str
    date_issued: datetime.date
    coroner: str
    area: str
    addressees: list  # names as written, in order
    categories: list = dataclasses.field(default_factory=list)
    pdf_url: str = ""
    reply_urls: list = dataclasses.field(default_factory=list)
    concerns_text: str = ""
    stated_deadline: datetime.date | None = None
    pdt_status: str = ""
    replies_count: int | None = None
    sent_to_count: int | None = None
    date_added: datetime.date | None = None
    warnings: list = dataclasses.field(default_factory=list)

    def fingerprint(self):
        """A hash of everything imported from the row: the same hash, nothing to update."""
        data = dataclasses.asdict(self)
        data.pop("row")
        data.pop("warnings")
        return hashlib.sha1(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def detect_format(header):
    """The format of a file with this header; MissingColumns naming what the closest format lacks."""
    header = {h.strip().lstrip("\ufeff") for h in header if h}
    best = None
    for name, columns in COLUMNS.items():
        wanted = [c for f, c in columns.items() if f not in OPTIONAL.get(name, ())]
        names = header | {TOOLKIT_OLD_NAMES[h] for h in header if h in TOOLKIT_OLD_NAMES}
        missing = [c for c in wanted if c not in names]
        if not missing:
            return name
        if best is None or len(missing) < len(best[1]):
            best = (name, missing)
    raise MissingColumns(best[1], best[0])


def split_addressees(cell):
    """'NHS England | CQC', 'NHS England; CQC' or one a line -> names (empty parts dropped)."""
    return [part.strip(" ,.") for part in _SPLIT_ADDRESSEES.split(cell or "") if part.strip(" ,.")]


def normalise_reference(value):
    value = dates.clean(value)
    if match := _REFERENCE.match(value):
        year, number = match.groups()
        return f"{year}-{int(number):04d}"
    return value


def reference_year(reference):
    """The year a normalised PFD reference names ("2023-0412" -> 2023), or None."""
    if match := _REFERENCE.match(reference or ""):
        return int(match.group(1))
    return None


def _count(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def read_rows(text):
    """(format, rows, bad_rows) of a whole file's text. Raises MissingColumns, before reading any row, when the
    header is not one of the formats."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header, skipped = None, 0
    for values in reader:
        if any(v.strip() for v in values):
            header = [h.strip() for h in values]
            break
        skipped += 1  # blank lines above the header still count in the row numbers
    if header is None:
        raise MissingColumns(list(COLUMNS[REPORTS].values()), REPORTS)
    format_name = detect_format(header)
    if format_name == TOOLKIT:
        header = [TOOLKIT_OLD_NAMES.get(h, h) for h in header]
    columns = COLUMNS[format_name]
    rows, bad, seen = [], [], {}
    for number, values in enumerate(reader, start=2 + skipped):
        if not any(v.strip() for v in values):
            continue  # a blank line
        record = dict(zip(header, values, strict=False))
        cells = {field: (record.get(column) or "") for field, column in columns.items()}
        result = _read_row(number, format_name, cells)
        if isinstance(result, PfdRow):
            if result.url in seen:
                result = BadRow(number, f"the same report (URL) as row {seen[result.url]}", result.reference)
            else:
                seen[result.url] = number
        (rows if isinstance(result, PfdRow) else bad).append(result)
    return format_name, rows, bad


def _read_row(number, format_name, cells):
    reference = normalise_reference(cells.get("reference"))
    url = dates.clean(cells.get("url"))
    if not reference:
        return BadRow(number, "no reference")
    if not url:
        return BadRow(number, "no report address (URL)", reference)
    if not is_web_address(url):
        return BadRow(number, f"report address (URL): {NOT_A_WEB_ADDRESS}", reference)
    pdf_url = dates.clean(cells.get("pdf_url"))
    if pdf_url and not is_web_address(pdf_url):
        return BadRow(number, f"report document's address (PDF URL): {NOT_A_WEB_ADDRESS}", reference)
    reply_urls = [u for u in (dates.clean(p) for p in (cells.get("reply_urls") or "").split("|")) if u]
    for reply_url in reply_urls:
        if not is_web_address(reply_url):
            return BadRow(number, f"a response's address: {NOT_A_WEB_ADDRESS}", reference)
    try:
        date_issued = dates.parse_date(cells.get("date"))
    except dates.BadDate as error:
        return BadRow(number, f"report date: {error}", reference)
    addressees = split_addressees(cells.get("addressees"))
    if not addressees:
        return BadRow(number, "no addressee", reference)
    row = PfdRow(
        row=number,
        format=format_name,
        url=url,
        reference=reference,
        deceased=dates.clean(cells.get("deceased")),
        date_issued=date_issued,
        coroner=dates.clean(cells.get("coroner")),
        area=dates.clean(cells.get("area")),
        addressees=addressees,
        categories=[c for c in (dates.clean(p) for p in (cells.get("categories") or "").split("|")) if c],
        pdf_url=pdf_url,
        reply_urls=reply_urls,
        concerns_text=(cells.get("concerns") or "").strip(),
        stated_deadline=dates.stated_response_date(cells.get("response"), date_issued),
        pdt_status=dates.clean(cells.get("status")).lower(),
        replies_count=_count(cells.get("replies_count")),
        sent_to_count=_count(cells.get("sent_to_count")),
    )
    if cells.get("date_added"):
        try:
            row.date_added = dates.parse_date(cells["date_added"])
        except dates.BadDate:
            row.warnings.append(f"date added '{cells['date_added']}' not read")
    if row.date_added and row.date_issued > row.date_added:
        row.warnings.append(
            f"dated {row.date_issued:%-d %B %Y}, after it was published ({row.date_added:%-d %B %Y}): "
            "probably a typing error in the source"
        )
    return row
