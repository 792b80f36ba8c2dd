"""Department spellings -> canonical names, from the fixture's alias table."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from .tables import TableError, compile_words, read_table

DEPARTMENTS_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "departments.json"

DepartmentRow = tuple[str, str, tuple[str, ...] | list[str]]

# Where a portfolio starts in a role: "Minister (of State) for", "(Parliamentary) Under-Secretary of State for".
_PORTFOLIO_START = re.compile(
    r"\b(?:minister|secretary\s+of\s+state|under[-\s]secretary(?:\s+of\s+state)?|secretary)(?:\s+of\s+state)?\s+(?:for|of)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TitleRow:
    kind: str  # "title" or "portfolio"
    words: str
    department: str
    pattern: re.Pattern
    example: str
    since: date | None = None  # the row holds from this day (a portfolio that moved between departments) ...
    until: date | None = None  # ... to this day; rows without either hold at any date

    def holds_on(self, on: date | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if on is None:
            return False  # a dated row needs the document's date; the undated rows decide without one
        return (self.since is None or on >= self.since) and (self.until is None or on <= self.until)


def _table_day(row: dict, column: str) -> date | None:
    if not row.get(column):
        return None
    try:
        return date.fromisoformat(row[column])
    except ValueError as exc:
        raise TableError(f"{row['_where']}: {column} {row[column]!r} is not a date (YYYY-MM-DD)") from exc


@lru_cache(maxsize=1)
def title_rows() -> tuple[TitleRow, ...]:
    rows = []
    for row in read_table("ministerial_titles.tsv"):
        if row["kind"] not in {"title", "portfolio"}:
            raise TableError(f"{row['_where']}: kind {row['kind']!r} is not title or portfolio")
        rows.append(
            TitleRow(
                row["kind"],
                row["words"],
                row["department"],
                compile_words(row["words"]),
                row["example"],
                _table_day(row, "since"),
                _table_day(row, "until"),
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1)
def address_rows() -> tuple[tuple[re.Pattern, str, str], ...]:
    return tuple(
        (compile_words(row["words"]), row["department"], row["example"])
        for row in read_table("department_addresses.tsv")
    )


@lru_cache(maxsize=1)
def former_names() -> tuple[tuple[str, str, str], ...]:
    """(name, current department, example) rows of data/former_names.tsv."""
    out = []
    for row in read_table("former_names.tsv"):
        if row["case"] not in {"exact", "any"}:
            raise TableError(f"{row['_where']}: case {row['case']!r} is not exact or any")
        out.append((row["name"], row["department"], row["example"]))
    return tuple(out)


def title_department(role: str, on: date | None = None) -> str | None:
    """The department of a ministerial title or portfolio ("Lord Chancellor" -> Ministry of Justice), by the
    table data/ministerial_titles.tsv; None when the role is not ministerial or not in the table. `on`: the
    document's date, for portfolios that moved between departments (rows with `since`/`until`)."""
    if not role:
        return None
    portfolios = [role[m.end() :] for m in _PORTFOLIO_START.finditer(role)]
    for row in title_rows():
        if not row.holds_on(on):
            continue
        if row.kind == "title":
            if row.pattern.search(role):
                return row.department
        elif any(row.pattern.search(portfolio) for portfolio in portfolios):
            return row.department
    return None


def address_department(text: str) -> str | None:
    """The department whose address a line gives ("102 Petty France" -> Ministry of Justice)."""
    for pattern, department, _ in address_rows():
        if pattern.search(text or ""):
            return department
    return None


@lru_cache(maxsize=1)
def default_departments() -> tuple[DepartmentRow, ...]:
    rows = json.loads(DEPARTMENTS_FIXTURE.read_text(encoding="utf-8"))
    return tuple(
        (
            row["fields"]["name"],
            row["fields"].get("short_name") or "",
            tuple(row["fields"].get("aliases") or ()),
        )
        for row in rows
        if row.get("model") == "tracker.department"
    )


def _spelling_pattern(spelling: str) -> str:
    """Regex for one spelling: any whitespace between words, '&' or 'and', either apostrophe."""
    words = re.split(r"\s+", spelling.strip())
    parts = []
    for word in words:
        if word.lower() in {"and", "&"}:
            parts.append(r"(?:and|&)")
        elif len(words) > 1 and word.isupper() and 2 <= len(word) <= 3:
            # Initials in a name may be spaced or dotted: "HM Treasury", "H M Treasury", "H.M. Treasury".
            parts.append(r"\.?[ \t]?".join(re.escape(letter) for letter in word) + r"\.?")
        else:
            parts.append(re.escape(word).replace("'", "['\u2019]?"))
    return r"\s+".join(parts)


class DepartmentMatcher:
    """Finds department names in text and maps any known spelling to its canonical name."""

    def __init__(self, departments: Iterable[DepartmentRow]):
        self.canonical_names: list[str] = []
        self._by_key: dict[str, str] = {}
        long_forms: list[tuple[str, str]] = []
        acronyms: list[tuple[str, str]] = []
        rows = [(row[0], row[1], list(row[2] or [])) for row in departments]
        names = {row[0] for row in rows}
        known = {self._key(s) for name, short, aliases in rows for s in [name, short, *aliases] if s}
        # Former names (data/former_names.tsv) read as their successor, unless the table has a row of that name.
        former: dict[str, list[str]] = {}
        for spelling, successor, _ in former_names():
            if successor in names and self._key(spelling) not in known:
                former.setdefault(successor, []).append(spelling)
        for name, short_name, aliases in rows:
            self.canonical_names.append(name)
            for spelling in [name, *aliases, *former.get(name, []), short_name]:
                if not spelling:
                    continue
                self._by_key[self._key(spelling)] = name
                if " " not in spelling.strip() and (
                    spelling.isupper() or re.search(r"[A-Z].*[A-Z]", spelling)
                ):
                    acronyms.append((spelling, name))
                elif " " in spelling.strip() or len(spelling) > 4:
                    long_forms.append((spelling, name))
        self._long = self._compile(long_forms, re.IGNORECASE)
        # Acronyms are matched case-sensitively: "DH" the department, not "dh" in a word.
        self._acronyms = self._compile([(s, n) for s, n in acronyms if len(s) >= 2], 0)

    @staticmethod
    def _key(spelling: str) -> str:
        key = spelling.lower().replace("&", " and ").replace("\u2019", "'")
        key = re.sub(r"^the\s+", "", key)
        key = re.sub(r"[^a-z0-9']+", " ", key).strip()
        # Spaced or dotted initials read as one word: "h m treasury" (from "H. M. Treasury") -> "hm treasury".
        return re.sub(r"\b([a-z]) (?=[a-z]\b)", r"\1", key)

    @staticmethod
    def _compile(spellings: list[tuple[str, str]], flags: int):
        if not spellings:
            return None
        unique = sorted({s for s, _ in spellings}, key=len, reverse=True)
        body = "|".join(_spelling_pattern(s) for s in unique)
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)

    def canonical(self, spelling: str) -> str | None:
        return self._by_key.get(self._key(spelling or ""))

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """All department mentions as (canonical name, start, end), longest spelling first, no overlaps."""
        found: list[tuple[str, int, int]] = []
        taken: list[tuple[int, int]] = []
        for pattern in (self._long, self._acronyms):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                name = self.canonical(match.group(0))
                if name:
                    found.append((name, start, end))
                    taken.append((start, end))
        return sorted(found, key=lambda item: item[1])

    def for_role(self, role: str, on: date | None = None) -> str | None:
        """Department of a ministerial role ("Minister for Safeguarding" -> Home Office), if the table has it;
        `on`, the document's date, for portfolios that moved between departments."""
        if not role:
            return None
        mentioned = self.find(role)
        if mentioned:
            return mentioned[0][0]
        department = title_department(role, on)
        return department if department in self.canonical_names else None


@lru_cache(maxsize=8)
def _cached_matcher(rows: tuple) -> DepartmentMatcher:
    return DepartmentMatcher(rows)


def matcher_for(departments: Iterable[DepartmentRow] | None) -> DepartmentMatcher:
    if departments is None:
        return _cached_matcher(default_departments())
    rows = tuple((name, short or "", tuple(aliases or ())) for name, short, aliases in departments)
    return _cached_matcher(rows)


# Well-known public bodies -> the department that answers for them in Parliament. General knowledge of the
# machinery of government, not of any letter: "HMPPS will ...", "the Army will ...", "police forces will ..."
# are promises of the department the body belongs to. Agencies that are rows of the department table
# themselves (NHS England, HMPPS, Ofsted ...) are listed by their canonical name; a letter written by the
# agency itself keeps the agency as owner (see ``DepartmentMatcher.parent_of``).
_DHSC, _HO, _MOJ, _DFE = (
    "Department of Health and Social Care",
    "Home Office",
    "Ministry of Justice",
    "Department for Education",
)
_DFT, _DWP, _MOD, _DEFRA = (
    "Department for Transport",
    "Department for Work and Pensions",
    "Ministry of Defence",
    "Department for Environment, Food and Rural Affairs",
)
_MHCLG, _DSIT, _CO = (
    "Ministry of Housing, Communities and Local Government",
    "Department for Science, Innovation and Technology",
    "Cabinet Office",
)
_AGENCY_PARENTS: dict[str, str] = {
    "NHS England": _DHSC,
    "UK Health Security Agency": _DHSC,
    "Public Health England": _DHSC,
    "Office for Health Improvement and Disparities": _DHSC,
    "Care Quality Commission": _DHSC,
    "Medicines and Healthcare products Regulatory Agency": _DHSC,
    "Food Standards Agency": _DHSC,
    "HM Prison and Probation Service": _MOJ,
    "Ofsted": _DFE,
    "College of Policing": _HO,
    "National Police Chiefs' Council": _HO,
    "Driver and Vehicle Licensing Agency": _DFT,
    "Health and Safety Executive": _DWP,
    "Office for Product Safety and Standards": "Department for Business and Trade",
    "Crown Prosecution Service": "Attorney General's Office",
    "HM Revenue and Customs": "HM Treasury",
}
_BODY_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        r"(?:the\s+)?NHS(?:\s+(?:trusts?|organisations|providers|England|Improvement|Resolution|"
        r"Business\s+Services\s+Authority))?|integrated\s+care\s+(?:boards?|systems?)|ICBs?|NICE|NIHR|"
        r"National\s+Institute\s+for\s+Health\s+(?:and\s+Care\s+)?Research|Health\s+Education\s+England|"
        r"(?:the\s+)?National\s+Institute\s+for\s+Health\s+and\s+Care\s+Excellence",
        _DHSC,
    ),
    (
        r"(?:the\s+)?(?:police(?:\s+forces?)?|(?:all\s+)?forces|HMICFRS|His\s+Majesty's\s+Inspectorate\s+of\s+"
        r"Constabulary(?:\s+and\s+Fire\s+&?\s*(?:and\s+)?Rescue\s+Services)?|Border\s+Force|Immigration\s+Enforcement|"
        r"fire\s+and\s+rescue\s+services?|Independent\s+Office\s+for\s+Police\s+Conduct|IOPC)",
        _HO,
    ),
    (
        r"(?:the\s+)?(?:Probation\s+Service|probation(?:\s+(?:services?|officers|staff))?|HMPPS|prisons?|"
        r"prison\s+(?:service|staff|governors?|officers)|governors|HM\s+Courts\s+(?:&|and)\s+Tribunals\s+Service|HMCTS|"
        r"Youth\s+Justice\s+Board|Legal\s+Aid\s+Agency|Parole\s+Board|Youth\s+Custody\s+Service)",
        _MOJ,
    ),
    (
        r"(?:the\s+)?(?:schools?|academies|academy\s+trusts|Ofqual|Education\s+and\s+Skills\s+Funding\s+Agency|"
        r"Standards\s+and\s+Testing\s+Agency|Department's\s+regions\s+group|What\s+Works\s+Centre(?:\s+for\s+"
        r"Children's\s+Social\s+Care)?|Child\s+Safeguarding\s+Practice\s+Review\s+Panel|Student\s+Loans\s+Company|"
        r"children's\s+services)",
        _DFE,
    ),
    (
        r"(?:the\s+)?(?:DVSA|Driver\s+and\s+Vehicle\s+Standards\s+Agency|National\s+Highways|Network\s+Rail|"
        r"Civil\s+Aviation\s+Authority|Maritime\s+and\s+Coastguard\s+Agency|(?:HM\s+)?Coastguard|"
        r"Office\s+of\s+Rail\s+and\s+Road|Rail\s+Accident\s+Investigation\s+Branch)",
        _DFT,
    ),
    (
        r"(?:the\s+)?(?:Jobcentre(?:\s+Plus)?|Jobcentres|work\s+coaches|Child\s+Maintenance\s+Service|"
        r"Pension\s+Service)",
        _DWP,
    ),
    (
        r"(?:the\s+)?(?:Army|British\s+Army|Royal\s+Navy|Royal\s+Air\s+Force|RAF|Royal\s+Marines|Armed\s+Forces|"
        r"Defence|Defence\s+Safety\s+Authority|Service\s+Inquiry|Chief\s+of\s+the\s+(?:General|Defence|Air|Naval)\s+Staff|"
        r"Defence\s+Medical\s+Services|Single\s+Services?)",
        _MOD,
    ),
    (
        r"(?:the\s+)?(?:Environment\s+Agency|Natural\s+England|Ofwat|Drinking\s+Water\s+Inspectorate|"
        r"Animal\s+and\s+Plant\s+Health\s+Agency|APHA)",
        _DEFRA,
    ),
    (
        r"(?:the\s+)?(?:Homes\s+England|Regulator\s+of\s+Social\s+Housing|Planning\s+Inspectorate|"
        r"Building\s+Safety\s+Regulator)",
        _MHCLG,
    ),
    (r"(?:the\s+)?(?:Ofcom|AI\s+Security\s+Institute|Government\s+Digital\s+Service)", _DSIT),
    (
        r"(?:the\s+)?(?:Emergency\s+Planning\s+College|Civil\s+Contingencies\s+Secretariat|"
        r"Resilience\s+Directorate|Government\s+Property\s+Agency)",
        _CO,
    ),
)
_BODY = tuple(
    (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])"), parent) for pattern, parent in _BODY_PATTERNS
)
# Bodies named in lower case ("police forces", "schools") must be whole subjects; names may be any case.
_HEAD_BODY = tuple(
    (re.compile(rf"(?:^|\b(?:the|all|every|each|our|local)\s+)(?:{pattern})$", re.IGNORECASE), parent)
    for pattern, parent in _BODY_PATTERNS
)


def body_parent(subject: str) -> str | None:
    """The department answering for the public body that is the whole subject ("The Army", "police forces")."""
    subject = (subject or "").strip(" ,\"'")
    if not subject or len(subject) > 120:
        return None
    for pattern, parent in _HEAD_BODY:
        if pattern.search(subject):
            return parent
    return None


def bodies_in(text: str) -> list[tuple[str, int]]:
    """(parent department, position) of every well-known public body named (capitalised) in the text."""
    found = []
    for pattern, parent in _BODY:
        for match in pattern.finditer(text):
            if match.group(0)[:1].isupper() or match.group(0).startswith("the "):
                found.append((parent, match.start()))
    return sorted(found, key=lambda item: item[1])


def agency_parent(canonical_name: str) -> str | None:
    return _AGENCY_PARENTS.get(canonical_name)


# ---------------------------------------------------------------- headings that name the writer
#
# General layouts of published correspondence and statements, each naming who wrote the text above it:
#   "Letter to the Chairman from Charles Falconer QC, Minister of State, Cabinet Office" (committee pages),
#   "Further written evidence from H M Treasury", "Memorandum submitted by the Home Office",
#   "Department for Environment, Food and Rural Affairs - Supplementary written evidence (FPO0096)",
#   "The Parliamentary Under-Secretary of State for Constitutional Affairs (Mr. Christopher Leslie)" (Hansard's
#   heading over a written statement), "Made by: Lord Hanson (Minister of State, Home Office)",
#   "View all Nick Thomas-Symonds's debates with the Cabinet Office" (a statement's page on a Hansard mirror).
# The writer is the department named (or the minister's title) in the "from"/"by" part: a department named
# elsewhere in the heading ("to the Foreign Secretary") is the addressee or the subject, not the writer.
_WRITER_LEAD = re.compile(
    r"^(?:(?:further|supplementary|additional|second|third|joint)\s+)*(?:(?:written|oral)\s+)?"
    r"(?:letter|memorandum|evidence|response|reply|note|submission|statement|paper)\b"
    r"|^From\b(?!\s+(?:the\s+)?(?:Chair|Clerk|Committee)\b)",  # a letterhead: "From the Minister of State for ..."
    re.IGNORECASE,
)
_WRITER_FROM = re.compile(r"\b(?:from|by)\s+(?:the\s+)?", re.IGNORECASE)
# "Letter from X to the Chairman": the writer's part stops where the addressee starts, but not inside a title
# ("Chief Secretary to the Treasury", "Parliamentary Secretary to the Prime Minister").
_ADDRESSEE_START = re.compile(r"(?<!Secretary)(?<!Adviser)(?<!Advisor),?\s+to\s+", re.IGNORECASE)
_EVIDENCE_AFTER = re.compile(
    r"\s*[-\u2013\u2014:]?\s*(?:(?:supplementary|further|additional)\s+)?(?:(?:written|oral)\s+)?"
    r"(?:evidence|memorandum|submission)\b",
    re.IGNORECASE,
)
_BEFORE_NAME = re.compile(
    r"^\s*(?:(?:HM|His\s+Majesty's|Her\s+Majesty's)\s+Government\s*)?(?:the\s+)?$", re.I
)
_DEBATES_WITH = re.compile(r"\bdebates\s+with\s+(?:the\s+)?", re.IGNORECASE)
_HANSARD_SPEAKER = re.compile(r"^The\s+(?P<role>[^()]{6,160}?)\s*\((?P<name>[^()]{3,60})\)\s*:?\s*$")
_MADE_BY = re.compile(r"^(?:(?:written\s+)?statement\s+)?made\s+by\s*:?\s*(?P<who>\S.*)$", re.IGNORECASE)


def _writer_of(who: str, matcher: "DepartmentMatcher", on: date | None = None) -> str | None:
    """The department of a writer's description: a department it names, else its ministerial title."""
    named = matcher.find(who)
    if named:
        return named[0][0]
    return matcher.for_role(who, on)


def _heading_lines(lines: list[str]) -> list[str]:
    """Lines with a heading wrapped before its "from ..." part joined: "Letter to the Chairman" / "from the
    Minister for Europe, ..." is one heading."""
    out: list[str] = []
    for line in lines:
        if out and re.match(r"^(?:from|by)\s", line) and _WRITER_LEAD.match(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def heading_writer(lines: list[str], matcher: "DepartmentMatcher", on: date | None = None) -> list[str]:
    """Departments named as the writer by a heading of the front of a document (see the layouts above)."""
    found: list[str] = []
    for line in _heading_lines(lines):
        line = re.sub(r"(?<=\w)-(?=\s)", " -", line)  # "Rural Affairs- Supplementary written evidence"
        if _WRITER_LEAD.match(line):
            # A heading run into the text after it (web pages copied without line breaks): its first words.
            opening = " ".join(line.split()[:25])
            start = _WRITER_FROM.search(opening)
            if start:
                who = opening[start.end() :]
                cut = _ADDRESSEE_START.search(who)
                department = _writer_of(who[: cut.start()] if cut else who, matcher, on)
                if department:
                    found.append(department)
                    continue
        if len(line.split()) > 40:
            continue
        for name, start, end in matcher.find(line):
            if _BEFORE_NAME.match(line[:start]) and _EVIDENCE_AFTER.match(line[end:]):
                found.append(name)
        debates = _DEBATES_WITH.search(line)
        if debates:
            named = [n for n, s, _ in matcher.find(line) if s == debates.end()]
            found += named[:1]
        speaker = _HANSARD_SPEAKER.match(line)
        if speaker:
            department = matcher.for_role(speaker.group("role"), on)
            if department:
                found.append(department)
        made = _MADE_BY.match(line)
        if made:
            department = _writer_of(made.group("who"), matcher, on)
            if department:
                found.append(department)
    return found


# A departmental select committee's report printing the government's reply to it: the committee is appointed
# "to examine the expenditure, administration, and policy of the Home Office" (the Standing Order's words on
# every such report), and the department it shadows is the one replying.
_SHADOWED = re.compile(
    r"\bappointed\s+by\s+the\s+House\s+of\s+(?:Commons|Lords)\s+to\s+examine\s+the\s+expenditure,?\s+"
    r"administration,?\s+and\s+policy\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)
_PRINTS_REPLY = re.compile(r"\bGovernment(?:'s|\u2019s)?\s+Response\b", re.IGNORECASE)


def shadowed_department(front: str, matcher: "DepartmentMatcher") -> str | None:
    """The department a committee shadows, when its report prints the Government's response."""
    if not _PRINTS_REPLY.search(front):
        return None
    cue = _SHADOWED.search(front)
    if not cue:
        return None
    named = matcher.find(front[cue.end() : cue.end() + 160])
    return named[0][0] if named and named[0][1] == 0 else None


# ---------------------------------------------------------------- a foreword's signature block
#
# A document's ministerial foreword ends with its signers' names on one line and their titles on the next, often
# side by side ("Jane Example  John Example" / "Minister for the Cabinet Office  Minister for Skills"). The titles
# name the writing departments of a document that names them nowhere else.
_TITLE_START = re.compile(
    r"(?<![\w-])(?<!Under )(?<!Lord )(?<!Prime )(?<!Deputy )"
    r"(?=(?:Parliamentary\s+(?:Under|Secretary)|Minister|Secretary\s+of\s+State|(?:Lord\s+)?Chancellor|"
    r"(?:Chief|Financial|Economic|Exchequer)\s+Secretary|Paymaster|Attorney|Solicitor\s+General|Leader\s+of|"
    r"(?:Home|Foreign|Justice|Health|Defence|Education|Transport)\s+Secretary|Deputy\s+Prime)\b)"
)
_ROLE_PIECE = re.compile(r"\b(?:Minister|Secretary|Chancellor|Paymaster|Attorney|Solicitor|Leader)\b")
_NAMES_LINE = re.compile(
    r"^(?:(?:The\s+)?Rt\.?\s+Hon\.?\s+|Right\s+Honourable\s+)?(?:(?:Lord|Baroness|Sir|Dame|Dr|Mr|Mrs|Ms)\.?\s+)?"
    r"[A-Z][\w'\u2019-]+(?:\s+(?:[A-Z][\w'\u2019.-]*|MP|of|de))+$"
)


def _title_line(line: str, matcher: "DepartmentMatcher", on: date | None) -> list[str]:
    starts = [m.start() for m in _TITLE_START.finditer(line)]
    if not starts or line[: starts[0]].strip():
        return []
    pieces = [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]
    if not all(_ROLE_PIECE.search(piece) for piece in pieces):
        return []
    return [d for d in (matcher.for_role(piece.strip(" ,"), on) for piece in pieces) if d]


def foreword_signers(lines: list[str], matcher: "DepartmentMatcher", on: date | None = None) -> list[str]:
    """Departments of the ministers who sign a foreword: a line of titles under a line of names."""
    found: list[str] = []
    for above, line in zip(lines, lines[1:], strict=False):
        if len(line.split()) > 30 or len(above.split()) > 10 or not _NAMES_LINE.match(above):
            continue
        found += _title_line(line, matcher, on)
    return list(dict.fromkeys(found))
