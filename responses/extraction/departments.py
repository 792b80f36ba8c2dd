"""Department spellings -> canonical names, from the fixture's alias table."""

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

DEPARTMENTS_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "departments.json"

DepartmentRow = tuple[str, str, tuple[str, ...] | list[str]]

# Ministerial portfolios -> department, for signatories whose letterhead is missing or shared.
# Ordered: the first pattern that matches a role wins, so specific portfolios come before broad ones.
_P = r"(?:minister|secretary\s+of\s+state)(?:\s+of\s+state)?\s+for\s+(?:the\s+)?"
_ROLE_PORTFOLIOS: tuple[tuple[str, str], ...] = (
    (r"\bhome secretary\b|secretary of state for the home department", "Home Office"),
    (r"\b(?:lord chancellor|justice secretary)\b|secretary of state for justice", "Ministry of Justice"),
    (r"\b(?:education secretary)\b|secretary of state for education", "Department for Education"),
    (r"\bhealth secretary\b|secretary of state for health", "Department of Health and Social Care"),
    (
        r"\bchancellor of the exchequer\b|\b(?:chief|financial|economic|exchequer) secretary to the treasury",
        "HM Treasury",
    ),
    (r"\bforeign secretary\b|secretary of state for foreign", "Foreign, Commonwealth and Development Office"),
    (
        r"\bdefence secretary\b|secretary of state for defence|{P}(?:armed forces|veterans|defence)",
        "Ministry of Defence",
    ),
    (
        r"\btransport secretary\b|secretary of state for transport|{P}(?:roads|rail|railways|aviation|maritime|buses|transport|future of roads|local transport)",
        "Department for Transport",
    ),
    (
        r"secretary of state for work and pensions|{P}(?:work|pensions|employment|disabled people|social security)",
        "Department for Work and Pensions",
    ),
    (
        r"secretary of state for (?:housing|levelling up)|{P}(?:housing|local government|building safety|homelessness|faith|communities)",
        "Ministry of Housing, Communities and Local Government",
    ),
    (
        r"secretary of state for (?:environment|food)|{P}(?:food|farming|water|flooding|floods|environment|nature|rural affairs)",
        "Department for Environment, Food and Rural Affairs",
    ),
    (
        r"secretary of state for (?:culture|digital)|{P}(?:culture|media|sport|tourism|creative)",
        "Department for Culture, Media and Sport",
    ),
    (
        r"secretary of state for (?:science|innovation)|{P}(?:science|tech|ai|digital economy|online safety)",
        "Department for Science, Innovation and Technology",
    ),
    (
        r"secretary of state for (?:energy|net zero)|{P}(?:energy|net zero|climate)",
        "Department for Energy Security and Net Zero",
    ),
    (
        r"secretary of state for (?:business|trade)|{P}(?:business|trade|industry|small business)",
        "Department for Business and Trade",
    ),
    (r"secretary of state for northern ireland", "Northern Ireland Office"),
    (r"secretary of state for scotland", "Scotland Office"),
    (r"secretary of state for wales", "Wales Office"),
    (
        r"chancellor of the duchy of lancaster|minister for the cabinet office|paymaster general",
        "Cabinet Office",
    ),
    (r"\b(?:prisons|probation|victims|courts|sentencing|legal aid|youth justice)\b", "Ministry of Justice"),
    (
        r"\b(?:policing|crime|safeguarding|security|migration|immigration|border|fire|counter[- ]terrorism|countering extremism)\b",
        "Home Office",
    ),
    (
        r"\b(?:children|families|schools|school standards|early years|skills|apprenticeships|further education|higher education)\b",
        "Department for Education",
    ),
    (
        r"\b(?:health|social care|mental health|patient safety|public health|primary care|care|secondary care|suicide prevention)\b",
        "Department of Health and Social Care",
    ),
)
_ROLE_PATTERNS = tuple(
    (re.compile(pattern.replace("{P}", _P), re.IGNORECASE), name) for pattern, name in _ROLE_PORTFOLIOS
)
_MINISTERIAL_ROLE = re.compile(r"\b(?:minister|secretary|chancellor|paymaster)\b", re.IGNORECASE)


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
        for row in departments:
            name, short_name, aliases = row[0], row[1], list(row[2] or [])
            self.canonical_names.append(name)
            for spelling in [name, *aliases, short_name]:
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
        return re.sub(r"[^a-z0-9']+", " ", key).strip()

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

    def for_role(self, role: str) -> str | None:
        """Department of a ministerial role ("Minister for Safeguarding" -> Home Office), if the table has it."""
        if not role:
            return None
        mentioned = self.find(role)
        if mentioned:
            return mentioned[0][0]
        if not _MINISTERIAL_ROLE.search(role):
            return None
        for pattern, name in _ROLE_PATTERNS:
            if pattern.search(role) and name in self.canonical_names:
                return name
        return None


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
