"""Letter fields other than commitments: date, departments, signatories, addressee, reports, concerns."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from .dates import DATE_PATTERN, date_line, find_dates, month_line, parse_match, weekday_date
from .departments import (
    DepartmentMatcher,
    address_department,
    foreword_signers,
    heading_writer,
    shadowed_department,
)
from .document import FRONT_CHARS, DocumentDate, document_date, presented_by
from .layout import Layout, Paragraph, sentence_spans

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_NUMBER = r"(?:\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"

_HONORIFIC = r"(?:The\s+)?(?:Rt\.?\s+Hon\.?|Right\s+Honourable|Hon\.?)"
_TITLES = (
    r"(?:Sir|Dame|Lord|Lady|Baroness|Baron|Dr\.?|Professor|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Judge|HHJ)"
)
_POSTNOMINALS = r"(?:MP|KC|QC|CBE|OBE|MBE|DBE|KBE|CB|PC|MSP|MS|AM|MLA|FRCP|FRCS|FMedSci|JP|DL)"
_NAME_TOKEN = r"[A-Z][a-zA-Z'\-]+"
_NAME_LINE = re.compile(
    rf"^(?:{_HONORIFIC}\s+)?(?P<title>{_TITLES}\s+)?"
    rf"(?P<name>(?!{_POSTNOMINALS}\b){_NAME_TOKEN}(?:\s+(?!{_POSTNOMINALS}\b)(?:{_NAME_TOKEN}|[A-Z]\.|of|de|van|von|da|le|la)){{0,4}})"
    rf"(?:,?\s+{_POSTNOMINALS}\b)*\s*$"
)
_KEPT_TITLES = re.compile(r"^(?:Sir|Dame|Lord|Lady|Baroness|Baron|Professor|Dr)\.?\s+$")
_ROLE_WORDS = re.compile(
    r"\b(?:Minister|Secretary|Director|Chief|Head|Chair|Chairman|Chairwoman|Coroner|Commissioner|Officer|Chancellor"
    r"|Permanent|Under-Secretary|Deputy|Lead|Manager|Adviser|Advisor|President|Leader|Attorney|Solicitor|Clerk"
    r"|Governor|Inspector|Registrar|Principal|Executive)\b",
    re.IGNORECASE,
)
_ADDRESS_LINE = re.compile(
    r"\d|@|www\.|https?:|\b(?:Tel|Telephone|Email|E-mail|Fax|Ref|Reference|Our ref|Your ref)\b|^By (?:e-?mail|post|hand)"
    r"|\b(?:Street|Road|Lane|Square|Place|Avenue|Way|Court|House|Building|Buildings|Centre|Chambers|Hall)$|^London$"
    r"|^(?:House of Commons|House of Lords)$",
    re.IGNORECASE,
)
_ORGANISATION_LINE = re.compile(
    r"\b(?:Group|Unit|Directorate|Division|Team|Office|Department|Agency|Service|Ministry)$"
)
_SKIP_SIGNOFF = re.compile(r"signature|\bsigned\b|\[redacted\]|^cc\b|^enc", re.IGNORECASE)
_VALEDICTION_LINE = re.compile(
    r"^(?:yours|kind regards|best wishes|with best wishes|regards|warm regards)", re.IGNORECASE
)


@dataclass
class ConcernMark:
    number: int | None
    text: str | None
    kind: str
    paragraph: int  # index of the paragraph where it was found
    quoted: bool  # the paragraph quotes the report rather than answering it
    inline: bool = False  # only mentioned in running text ("concerns five and nine"), not a heading or item


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("*", "").replace("_", " ")).strip(" -,")


_SMALL_WORDS = frozenset("of for the and to in on at by with a an".split())


def _uncap(text: str) -> str:
    """'PARLIAMENTARY UNDER-SECRETARY OF STATE FOR ROADS' -> 'Parliamentary Under-Secretary of State for Roads'."""
    if not text or not text.isupper() or len(re.sub(r"[^A-Z]", "", text)) < 4:
        return text
    words = []
    for i, word in enumerate(text.split(" ")):
        lower = word.lower()
        if i and lower in _SMALL_WORDS:
            words.append(lower)
        elif word in {"MP", "KC", "QC", "OBE", "CBE", "MBE", "DBE", "KBE", "HM", "NHS", "UK"}:
            words.append(word)
        else:
            words.append("-".join(part.capitalize() for part in lower.split("-")))
    return " ".join(words)


def _lines(paragraphs: list[Paragraph]) -> list[str]:
    return [_clean(line) for p in paragraphs for line in p.text.split("\n") if _clean(line)]


# ---------------------------------------------------------------- letter date


def letter_date(layout: Layout) -> DocumentDate | None:
    """The letter's date: a cue that dates the document ("Presented to Parliament ... 17 December 2024",
    "Published 21 March 2024", "Updated 5 November 2025"), else a letter's date line, else a month standing
    under a document's title ("January 2026": the 1st of the month, precision month)."""
    received = _received_date(layout)
    if received is not None:
        return DocumentDate(received, "day")
    stated = document_date(layout.text[layout.own_text_start() :])
    if stated is not None and stated.cue == "stated":
        return stated
    day = _letter_line_date(layout)
    if day is not None:
        return DocumentDate(day, "day")
    if stated is None:
        month = next((m for m in map(month_line, _foot_lines(layout)) if m), None)
        if month is not None:
            return DocumentDate(month, "month")
        stamped = _weekday_stamp(layout)
        if stamped is not None:
            return DocumentDate(stamped, "day")
    return stated


def _weekday_stamp(layout: Layout) -> date | None:
    """A short line near the top dated by weekday, day and month only ("Version 6.1 - Tuesday 4th June")."""
    front = layout.text[layout.own_text_start() :][:FRONT_CHARS]
    for line in front.split("\n")[:30]:
        if len(line.split()) <= 10:
            day = weekday_date(line, front)
            if day is not None:
                return day
    return None


_RECEIVED = re.compile(
    r"\b(?:response|reply|letter)\s+(?:was|were)\s+received\s+(?:on\s+)?(?:the\s+)?", re.IGNORECASE
)


def _received_date(layout: Layout) -> date | None:
    """In a committee's report that prints the government's reply: "The Government response was received on 18
    June 2025" is the reply's date (the report's own publication date is not)."""
    if not layout.preface_end:
        return None
    preface = layout.text[: layout.own_text_start()]
    for cue in _RECEIVED.finditer(preface):
        match = DATE_PATTERN.match(preface, cue.end())
        if match:
            return parse_match(match)
    return None


def _foot_lines(layout: Layout) -> list[str]:
    """The lines after the letter's text: its sign-off block, else the short lines ending the document."""
    if layout.signoff:
        return _lines(layout.signoff)
    lines = [_clean(line) for line in layout.text.split("\n") if _clean(line)]
    foot: list[str] = []
    for line in reversed(lines[-8:]):
        if len(line.split()) > 12:
            break
        foot.insert(0, line)
    return foot


def _letter_line_date(layout: Layout) -> date | None:
    standalone = date_line

    header_lines = _lines(layout.header)
    dated = [d for d in (standalone(line) for line in header_lines) if d]
    if dated:
        return dated[-1]
    labelled = re.search(r"\bdate[d]?\s*:\s*(.{6,30})", layout.header_text(), re.IGNORECASE)
    if labelled and find_dates(labelled.group(1)):
        return find_dates(labelled.group(1))[0][0]
    if layout.salutation is not None and find_dates(layout.header_text()):
        return find_dates(layout.header_text())[-1][0]
    dated = [d for d in (standalone(line) for line in _lines(layout.signoff)) if d]
    if dated:
        return dated[0]
    # No recognisable letter structure: take a date standing on its own line near the top.
    top_lines = _lines(layout.paragraphs[:12])
    dated = [d for d in (standalone(line) for line in top_lines) if d]
    return dated[0] if dated else None


# ---------------------------------------------------------------- signatories and addressee


def _person_name(line: str) -> str | None:
    line = _uncap(_clean(line))
    if _ROLE_WORDS.search(line) or _ADDRESS_LINE.search(line) or len(line.split()) > 8:
        return None
    match = _NAME_LINE.match(line)
    if not match:
        return None
    name = match.group("name")
    title = match.group("title") or ""
    if _KEPT_TITLES.match(title):
        name = f"{title.strip()} {name}"
    elif " " not in name:
        return None
    if re.search(r"\b(?:Office|Department|Ministry|Government|Committee|Panel|Court|Service|Unit)\b", name):
        return None
    if _ORGANISATION_LINE.search(line):
        return None
    return name


def signatories(layout: Layout, matcher: DepartmentMatcher) -> list[dict]:
    people: list[dict] = []
    current: dict | None = None
    role_open = False
    for line in _lines(layout.signoff):
        line = _uncap(line)
        if _VALEDICTION_LINE.match(line) or _SKIP_SIGNOFF.search(line):
            continue
        if _ADDRESS_LINE.search(line):
            role_open = False
            continue
        department = matcher.find(line)
        if department and department[0][1] == 0 and department[0][2] >= len(line) - 1:
            role_open = False
            continue
        name = _person_name(line)
        if name:
            current = {"name": name, "role": None}
            people.append(current)
            role_open = True
            continue
        if _ROLE_WORDS.search(line):
            if current is None or (current["role"] and not role_open):
                current = {"name": None, "role": None}
                people.append(current)
            current["role"] = f"{current['role']} {line}" if current["role"] else line
            role_open = True
            continue
        # Wrapped portfolio lines ("Minister of State for Patient" / "Safety, Suicide Prevention ...").
        if current and current["role"] and role_open and not _ORGANISATION_LINE.search(line):
            current["role"] = f"{current['role']} {line}"
            continue
        role_open = False
    for person in people:
        if person["role"]:
            person["role"] = re.sub(r"-\s+(?=[A-Z])", "-", person["role"])
    people = [p for p in people if p["name"] or p["role"]]
    presented = presented_by(layout.text[layout.own_text_start() :])
    if not people and presented is not None:
        people.append({"name": None, "role": presented[0]})  # "Presented to Parliament by the <role>"
    return people


def addressee(layout: Layout) -> dict | None:
    if layout.salutation is None:
        return None
    salutation = layout.paragraphs[layout.salutation].text
    dear = re.search(
        r"\bDear\s+(.+?)[,:]?\s*$",
        salutation.split("\n")[-1] if "Dear" in salutation.split("\n")[-1] else salutation.split("\n")[0],
    )
    if not dear:
        return None
    tokens = [t for t in re.split(r"\s+", dear.group(1).strip(" ,")) if t]
    tokens = [t for t in tokens if not re.fullmatch(rf"{_TITLES}|Rt|Hon|Right|Honourable|The", t)]
    if not tokens or tokens[0].lower() in {
        "sir",
        "madam",
        "colleague",
        "colleagues",
        "all",
        "chair",
        "coroner",
    }:
        return None
    key = tokens[-1] if len(tokens) > 1 else tokens[0]
    header_lines = _lines(layout.header[:-1] if layout.header else [])
    for index in range(len(header_lines) - 1, -1, -1):
        line = header_lines[index]
        if not re.search(rf"\b{re.escape(key)}\b", line):
            continue
        if _ADDRESS_LINE.search(line) and not re.match(rf"^(?:{_HONORIFIC}\s+)?{_TITLES}\s", line):
            continue
        role_parts = []
        name_part = line
        prefix = re.match(rf"^(.*?\b(?:Coroner|Chair|Chairman|Commissioner))\s+(?:{_TITLES}\s+)(.+)$", line)
        if prefix:
            role_parts.append(prefix.group(1))
            name_part = prefix.group(2)
        name_part = re.sub(rf"^{_HONORIFIC}\s+", "", name_part)
        name_part = re.sub(r"^(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+", "", name_part)
        name_part = re.sub(rf"(?:,?\s+{_POSTNOMINALS}\b)+\s*$", "", name_part).strip(" ,")
        for following in header_lines[index + 1 : index + 4]:
            if (
                _ADDRESS_LINE.search(following)
                or re.search(r"\b(?:Office|Court|Courts)$", following)
                or find_dates(following)
                or len(role_parts) >= 2
            ):
                break
            role_parts.append(following)
        return {"name": name_part, "role": ", ".join(role_parts) or None}
    return {"name": " ".join(tokens), "role": None}


# ---------------------------------------------------------------- departments


def _whole_line_departments(paragraphs: list[Paragraph], matcher: DepartmentMatcher) -> list[str]:
    found = []
    for para in paragraphs:
        text = para.text
        for name, start, end in matcher.find(text):
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end == -1 else line_end
            outside = _clean(text[line_start:start] + text[end:line_end])
            if len(re.sub(r"[^A-Za-z]", "", outside)) <= 3:
                found.append(name)
    return found


# A heading that names who wrote the document: "Supplementary memorandum submitted by the Home Office",
# "Written evidence from the Ministry of Justice", "Response from the Department for Education".
_WRITER_HEADING = re.compile(
    r"\b(?:submitted|presented|prepared|written|sent|issued)\s+by\s+(?:the\s+)?$|"
    r"\b(?:evidence|response|memorandum|letter|reply|submission|note)\s+(?:from|by)\s+(?:the\s+)?$|"
    r"^(?:From|Department|Organisation)\s*:\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# A department the whole body speaks about, when nothing else names the writer: mentioned this often and this
# many times more than any other department (a decision document about "DWP's communication", throughout).
_DOMINANT_MENTIONS = 8
_DOMINANT_RATIO = 5


def _front_lines(layout: Layout) -> list[str]:
    """The lines of a document's first pages, where a letterhead, a logo or a heading names its writer."""
    lines: list[str] = []
    for para in layout.paragraphs[layout.preface_end : layout.preface_end + 40]:
        if para.start - layout.own_text_start() > 6000:
            break
        lines.extend(_clean(line) for line in para.text.split("\n") if _clean(line))
    return lines


def _writer_in_headings(lines: list[str], matcher: DepartmentMatcher) -> list[str]:
    found = []
    for line in lines:
        if len(line.split()) > 25:
            continue
        for name, start, _ in matcher.find(line):
            if _WRITER_HEADING.search(line[:start]):
                found.append(name)
    return found


def _dominant_department(layout: Layout, matcher: DepartmentMatcher) -> str | None:
    counts = Counter(name for p in layout.body for name, _, _ in matcher.find(p.text))
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < _DOMINANT_MENTIONS:
        return None
    if len(ranked) > 1 and ranked[0][1] < _DOMINANT_RATIO * ranked[1][1]:
        return None
    return ranked[0][0]


def _head(layout: Layout) -> list[Paragraph]:
    """The letterhead: the header without the salutation line (which may share a paragraph with the address)."""
    if layout.salutation is None:
        return layout.header
    head = list(layout.header[:-1])
    last = layout.header[-1] if layout.header else None
    if last is not None:
        lines = last.text.split("\n")
        before = [
            line
            for line in lines[
                : next((i for i, line in enumerate(lines) if _SALUTATION_LINE.match(line.strip())), 0)
            ]
        ]
        if before:
            head.append(Paragraph(last.start, last.start + len("\n".join(before)), "\n".join(before)))
    return head


_SALUTATION_LINE = re.compile(r"^(?:dear\b|to whom it may concern)", re.IGNORECASE)
# The writer speaking of itself: "how the Ministry of Justice is responding", "The Home Office accepts".
_SELF_REFERENCE = re.compile(
    r"^\s*(?:is|are|has|have)?\s*(?:\w+\s+)?(?:responding|respond|accepts?|agrees?|welcomes?|thanks|is\s+grateful|"
    r"has\s+considered|response\s+to)\b",
    re.IGNORECASE,
)


def _speaking_department(layout: Layout, matcher: DepartmentMatcher) -> str | None:
    """A department that speaks of itself as the one answering, in the opening paragraphs."""
    for para in _opening(layout):
        for name, _, end in matcher.find(para.text):
            before = para.text[max(0, end - 120) : end]
            if _SELF_REFERENCE.match(para.text[end : end + 40]) and not re.search(
                r"\b(?:recommend\w*|should|asks?|asked|called\s+on|urges?)\b[^.]*$", before, re.IGNORECASE
            ):
                return name
    return None


# A document's ministerial foreword and its signature block stand within its first pages.
FOREWORD_CHARS = 15000


def departments(
    layout: Layout, matcher: DepartmentMatcher, people: list[dict], on: date | None = None
) -> list[str]:
    """Responding departments: who presents the document, letterheads, addresses, headings naming the writer,
    sign-off blocks and the signatories' ministerial titles. A department only mentioned in the body is not
    the writer; only one the whole body is about counts, when nothing else names one. `on`: the document's
    date, for ministerial portfolios that moved between departments."""
    found: list[str] = []
    presented = presented_by(layout.text[layout.own_text_start() :])
    if presented is not None:
        department = matcher.for_role(presented[0], on)
        if department:
            found.append(department)
    head = _head(layout)
    front = _front_lines(layout) if layout.salutation is None else []
    found += _whole_line_departments(head, matcher)
    found += _whole_line_departments([Paragraph(0, 0, "\n".join(front))], matcher) if front else []
    found += _writer_in_headings(_lines(head) + front, matcher)
    found += heading_writer(_lines(head) + front, matcher, on)
    for line in _lines(head) + front:
        department = address_department(line)
        if department and department in matcher.canonical_names:
            found.append(department)
    if presented is not None and found:
        # A command paper names its department on its title pages; the foreword's many signatories (other
        # departments, devolved ministers) do not make it theirs.
        return list(dict.fromkeys(found))
    found += _whole_line_departments(layout.signoff, matcher)
    for line in _lines(layout.signoff):
        department = address_department(line)
        if department and department in matcher.canonical_names:
            found.append(department)
    role_lines = [p["role"] for p in people if p.get("role")]
    role_lines += [
        line
        for line in _lines(head)
        if _ROLE_WORDS.search(line) and "Coroner" not in line and "Chair" not in line
    ]
    for role in role_lines:
        department = matcher.for_role(role, on)
        if department:
            found.append(department)
    if not found and layout.salutation is None:
        own = layout.text[layout.own_text_start() :][:FOREWORD_CHARS]
        found += foreword_signers([_clean(line) for line in own.split("\n") if _clean(line)], matcher, on)
    if not found:
        shadowed = shadowed_department(layout.text[:FRONT_CHARS], matcher)
        if shadowed:
            found.append(shadowed)
    if not found:
        speaking = _speaking_department(layout, matcher)
        if speaking:
            found.append(speaking)
    if not found:
        dominant = _dominant_department(layout, matcher)
        if dominant:
            found.append(dominant)
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------- reports

_PFD = re.compile(r"regulation\s*28|prevent(?:ion\s+of|ing)?\s+future\s+deaths|\bPFD\b", re.IGNORECASE)
# Ranks and titles before a name are not part of it ("the death of Private Thomas Reeve", "of PC Jane Doe").
_RANK = (
    r"(?:the\s+late\s+|(?:Mr|Mrs|Ms|Miss|Master|Mx|Dr|Sir|Dame|Professor|Prof|Rev|Revd|baby|Baby|Private|Pte|"
    r"Lance[ \t]+Corporal|L/Cpl|Corporal|Cpl|Lance[ \t]+Bombardier|Bombardier|Sergeant|Sgt|Staff[ \t]+Sergeant|"
    r"Warrant[ \t]+Officer|Second[ \t]+Lieutenant|Lieutenant|Lt|Captain|Capt|Major|Colonel|Col|Gunner|Trooper|"
    r"Sapper|Rifleman|Guardsman|Marine|Airman|Aircraftman|Aircraftwoman|Leading[ \t]+Aircraftman|Able[ \t]+Seaman|"
    r"Officer[ \t]+Cadet|Cadet|Recruit|Junior[ \t]+Soldier|PC|Police[ \t]+Constable|Detective[ \t]+Constable|DC|"
    r"Firefighter|Prisoner)\.?[ \t]+)"
)
# Names stay on one line: a heading "Inquest into the death of X" followed by "Thank you ..." is not "X Thank".
_DECEASED = re.compile(
    r"\b(?:deaths?|killing|murder|manslaughter|inquest|loss|passing)\s+(?:in(?:to)?\s+the\s+deaths?\s+)?of\s+"
    rf"{_RANK}*"
    r"(?P<names>[A-Z][\w'\-]+(?:[ \t]+(?:[A-Z][\w'\-]+|de|van|von|da|del|la|le|bin|binti)){1,5}"
    rf"(?:[ \t]*(?:,|and|&)[ \t]*{_RANK}*[A-Z][\w'\-]+(?:[ \t]+[A-Z][\w'\-]+){{1,5}})*)"
)
_REPORT_NAME = re.compile(
    r"(?:[Rr]eport\s+under\s+Regulation\s*28(?:\s+of\s+the\s+Coroners\s*\([^)]{0,40}\)\s*Regulations(?:\s+\d{4})?)?"
    r"|Regulation\s*28\s+[Rr]eport|[Rr]eport\s+(?:to|on|for)\s+(?:the\s+)?[Pp]revent(?:ion\s+of)?\s+[Ff]uture\s+[Dd]eaths"
    r"|[Pp]revention\s+of\s+[Ff]uture\s+[Dd]eaths\s+[Rr]eport|PFD\s+[Rr]eport)"
)
_QUOTED_TITLE = re.compile(
    r"\*(?P<a>[A-Z][^*\n]{6,250}?)\*|(?<![\w'])'(?P<b>[A-Z][^'\n]{6,250}?)'(?![\w])|\"(?P<c>[A-Z][^\"\n]{6,250}?)\""
)
_INQUIRY = re.compile(
    r"\b(?P<title>(?:(?:Independent|Public|Statutory|National)\s+)?Inquiry\s+into\s+[A-Z][\w'\-]*(?:\s+(?:[A-Z][\w'\-]*|and|of|in|the|&))*"
    r"(?:\s*\([A-Z]{2,}\))?|(?:[A-Z][\w'\-]+\s+){1,4}(?:Public\s+)?Inquiry)"
)
_COMMITTEE_LETTER = re.compile(r"\byour\s+letter\s+(?:of|dated)\s+(?:the\s+)?", re.IGNORECASE)


def _opening(layout: Layout) -> list[Paragraph]:
    """The subject lines and first prose paragraphs, where a letter says what it answers."""
    out, prose = [], 0
    for para in layout.body:
        out.append(para)
        if para.is_prose:
            prose += 1
            if prose >= 2:
                break
    return out


def _report_kind(context: str) -> str:
    context = context.lower()
    if "inquiry" in context:
        return "inquiry"
    if "committee" in context:
        return "committee"
    if "review" in context or "panel" in context:
        return "national_review"
    return "other"


_REPORT_DATE_CUES = (
    re.compile(r"\bdated\s+(?:the\s+)?$"),
    re.compile(
        r"\b(?:sent|issued|made|written|received|published)\b[^.]{0,90}?\b(?:on|dated)\s+(?:the\s+)?$"
    ),
    re.compile(r"\b(?:of|on)\s+(?:the\s+)?$"),
)


def _cued_date(sentence: str) -> str | None:
    """The date a report or letter was written, by the strongest cue in front of it ("dated", "sent on")."""
    dates = find_dates(sentence)
    for cue in _REPORT_DATE_CUES:
        for value, start, _ in dates:
            if cue.search(sentence[max(0, start - 120) : start]):
                return value.isoformat()
    return None


def _sentence_around(text: str, position: int) -> str:
    start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position)) + 1
    end_candidates = [i for i in (text.find(". ", position), text.find("\n", position)) if i != -1]
    return text[start : min(end_candidates) if end_candidates else len(text)]


def _fullest_name(name: str, areas: list[str]) -> str:
    """The fullest form the letter gives of a name: "Amara Fenwick-Hale" -> "Amara Joy Fenwick-Hale"."""
    words = name.split()
    best = name
    for area in areas:
        for match in _DECEASED.finditer(area):
            for other in re.split(r"\s*(?:,|\band\b|&)\s*", match.group("names")):
                parts = other.split()
                if len(parts) > len(best.split()) and parts[0] == words[0] and parts[-1] == words[-1]:
                    best = " ".join(parts)
    return best


def _pfd_reports(layout: Layout, opening_text: str, recipient_role: str) -> list[dict]:
    found = []
    search_areas = [opening_text, "\n".join(p.text for p in layout.body[: max(3, len(layout.body) // 3)])]
    for area in search_areas:
        deceased = list(_DECEASED.finditer(area))
        if not deceased:
            continue
        # The death named in the sentence that names the report, else the first one mentioned.
        named = [
            (m, n)
            for m in deceased
            for n in _REPORT_NAME.finditer(area[: m.start()])
            if m.start() - n.end() < 160
        ]
        match, name_match = (named[0][0], named[-1][1]) if named else (deceased[0], None)
        if named:
            name_match = max((n for m, n in named if m is match), key=lambda n: n.start())
        names = [n.strip() for n in re.split(r"\s*(?:,|\band\b|&)\s*", match.group("names")) if n.strip()]
        names = [re.sub(r"^the\s+late\s+", "", n) for n in names if len(n.split()) >= 2]
        names = [_fullest_name(n, search_areas) for n in names]
        title = _clean(area[name_match.start() : match.end()]) if name_match else None
        anchor = name_match.start() if name_match else match.start()
        report_date = _cued_date(_sentence_around(area, anchor))
        if report_date is None:
            # "Thank you for your letter of 6 December 2024 about the death of ...": a coroner's letter is the report.
            letter = _COMMITTEE_LETTER.search(area)
            if letter and find_dates(area[letter.end() : letter.end() + 30]):
                report_date = find_dates(area[letter.end() : letter.end() + 30])[0][0].isoformat()
        for name in names or [None]:
            found.append(
                {
                    "type": "pfd",
                    "title": title or (f"Prevention of Future Deaths report: {name}" if name else None),
                    "deceased": name,
                    "report_date": report_date,
                }
            )
        return found
    return [
        {"type": "pfd", "title": "Prevention of Future Deaths report", "deceased": None, "report_date": None}
    ]


def _published_after(text: str, end: int) -> str | None:
    """'"Title", published on 15 May 2025' -> the date."""
    tail = text[end : end + 70]
    cue = re.match(
        r"[\s\"'*,)]*(?:\([^)]*\)\s*,?\s*)?(?:(?:[A-Z0-9]\w*\s+){0,3}report\s*,?\s*)?(?:which\s+was\s+|that\s+was\s+)?(?:published|dated|issued|of)\s+(?:on\s+)?(?:the\s+)?",
        tail,
        re.IGNORECASE,
    )
    if cue:
        dates = find_dates(tail[cue.end() :])
        if dates and dates[0][1] == 0:
            return dates[0][0].isoformat()
    return None


def reports(layout: Layout, recipient: dict | None) -> list[dict]:
    found: list[dict] = []
    opening = _opening(layout)
    opening_text = "\n".join(p.text for p in opening)
    recipient_role = (recipient or {}).get("role") or ""
    is_pfd = bool(_PFD.search(layout.text)) or "coroner" in recipient_role.lower()
    if is_pfd:
        found += _pfd_reports(layout, opening_text, recipient_role)
    previous_end, previous_kind = -100, "other"
    for match in _QUOTED_TITLE.finditer(opening_text):
        title = (match.group("a") or match.group("b") or match.group("c")).strip().rstrip(".")
        if len(title.split()) < 3 or title.endswith("?"):
            continue
        context = opening_text[max(0, match.start() - 90) : match.start()]
        kind = _report_kind(context)
        # "*Title one* and *Title two*": the second title shares the first one's kind.
        if match.start() - previous_end < 8 and previous_kind != "other":
            kind = previous_kind
        previous_end, previous_kind = match.end(), kind
        if kind == "other" and not re.search(r"\breport|review|strategy|plan\b", context, re.IGNORECASE):
            continue
        found.append(
            {
                "type": kind,
                "title": title,
                "deceased": None,
                "report_date": _published_after(opening_text, match.end()),
            }
        )
    for match in _INQUIRY.finditer(opening_text):
        title = re.sub(r"\s+(?:and|of|in|the|&)$", "", match.group("title").strip())
        if title.lower().startswith(("the ", "this ")):
            title = title.split(" ", 1)[1]
        found.append(
            {
                "type": "inquiry",
                "title": title,
                "deceased": None,
                "report_date": _published_after(opening_text, match.end()),
            }
        )
    for match in _COMMITTEE_LETTER.finditer(opening_text if not is_pfd else ""):
        dates = find_dates(opening_text[match.end() : match.end() + 30])
        if not dates or dates[0][1] != 0:
            continue
        committee = re.search(r"(?:[A-Z][\w&'-]*\s+)+Committee", recipient_role)
        is_committee = committee or "committee" in opening_text.lower()
        date_text = opening_text[match.end() + dates[0][1] : match.end() + dates[0][2]]
        name = committee.group(0) if committee else ("Committee" if is_committee else "Correspondent")
        found.append(
            {
                "type": "committee" if is_committee else "other",
                "title": f"{name} letter of {date_text}",
                "deceased": None,
                "report_date": dates[0][0].isoformat(),
            }
        )
    # One entry per report: the fullest title wins, and a date found on any mention is kept.
    unique: list[dict] = []
    for report in found:
        key = (report["title"] or "").lower()
        same = next(
            (
                other
                for other in unique
                if other["type"] == report["type"]
                and other["deceased"] == report["deceased"]
                and (key in (other["title"] or "").lower() or (other["title"] or "").lower() in key)
            ),
            None,
        )
        if same is None:
            unique.append(dict(report))
            continue
        if (same["title"] or "").isupper() or len(report["title"] or "") > len(same["title"] or ""):
            if not (report["title"] or "").isupper():
                same["title"] = report["title"]
        same["report_date"] = same["report_date"] or report["report_date"]
    return unique


# ---------------------------------------------------------------- concerns and recommendations

_LABEL = re.compile(
    rf"^(?:\*\*)?(?:(?P<moc>Matters?\s+of\s+[Cc]oncern|MoC|Concern|Recommendation|Rec\.)\s*(?:[Nn]o\.?|[Nn]umber)?\s*"
    rf"(?P<num>{_NUMBER})\b|(?P<num2>{_NUMBER})(?:st|nd|rd|th)?\s+(?P<moc2>[Mm]atter\s+of\s+[Cc]oncern|[Cc]oncern|[Rr]ecommendation))"
    r"\s*(?:\*\*)?\s*[:.)\-]?\s*(?:\*\*)?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_ENUMERATED = re.compile(r"^\(?(?P<num>\d{1,2})[.)]\s+(?P<rest>\S.*)$", re.DOTALL)
_CONCERN_INTRO = re.compile(
    r"\b(?:concerns?|recommendations?|matters?|points?|issues?|raised|findings?)\b", re.IGNORECASE
)
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|I|[Oo]ur|[Mm]y|us)\b")
# "The Government accepts this recommendation ..." answers; "The Department should ..." is the report speaking.
_GOVERNMENT_ANSWER = re.compile(
    r"\b(?:Government|Department|Ministry|Minister|Secretary\s+of\s+State|Office|Agency)\s+(?:\w+\s+)?"
    r"(?:accepts?|agrees?|welcomes?|notes?|rejects?|will|has|have|is|are|does|do)\b"
)


def _answers(text: str) -> bool:
    return bool(_FIRST_PERSON.search(text) or _GOVERNMENT_ANSWER.search(text))


_INLINE_REFERENCE = re.compile(
    rf"\b(?P<kind>(?:matters?\s+of\s+)?concerns?|recommendations?)\s+(?:numbers?\s+|nos?\.?\s+)?"
    rf"(?P<nums>{_NUMBER}(?:\s*(?:,|and|&|to)\s*{_NUMBER})*)\b",
    re.IGNORECASE,
)
_UNNUMBERED = re.compile(
    r"\b(?:your|the\s+Panel's|the\s+report's|the\s+Committee's|the\s+Inquiry's|the\s+coroner's)\s+recommendations?\s+"
    r"(?:on|about|regarding)\s+(?P<text>[^,.;]{5,160})",
    re.IGNORECASE,
)


_EMBEDDED_LABEL = re.compile(
    r"(?:;\s*(?:and\s+)?|\.\s+)(?=(?:Matters?\s+of\s+[Cc]oncern|Concern|Recommendation)\s+\d{1,2}\s*:)"
)
# A paragraph that is one quoted question or request: "Will the Home Office publish ... by June?"
_QUOTED_QUESTION = re.compile(r"^[\"\u201c\u2018'](?P<q>[A-Z][^\n]{8,500}?[?.])[\"\u201d\u2019']$")
_REQUEST = re.compile(r"^(?:Please|Could|Can|Would|Will|Kindly)\b")


def _to_number(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def _first_sentences(text: str, count: int = 2) -> str:
    spans = sentence_spans(text)
    if not spans:
        return _clean(text)
    return _clean(text[spans[0][0] : spans[min(count, len(spans)) - 1][1]])


def _kind_of(label: str) -> str:
    return "recommendation" if label.lower().startswith("rec") else "concern"


# A coroner or committee lists a handful of concerns; a run of numbered paragraphs longer than this is the
# document numbering its own paragraphs.
_MAX_LISTED_CONCERNS = 25


def concerns(layout: Layout) -> list[ConcernMark]:
    marks: list[ConcernMark] = []
    body = layout.body
    index_offset = layout.body_start
    intro_seen = False
    last_item: int | None = None
    list_kind = "concern"
    enumerated_marks: set[int] = set()  # marks read from "3. ..." paragraphs, not from a label
    for i, para in enumerate(body):
        text = para.text.strip()
        question = _QUOTED_QUESTION.match(text)
        after_label = i > 0 and _LABEL.match(body[i - 1].text.strip())  # the numbered item's own text
        if (
            question
            and not after_label
            and (question.group("q").endswith("?") or _REQUEST.match(question.group("q")))
        ):
            # A committee's question quoted back as a heading: what the letter answers, not a promise.
            marks.append(ConcernMark(None, _clean(question.group("q")), "concern", index_offset + i, True))
            continue
        label = _LABEL.match(text)
        colon_label = label and re.match(r"^\S+(?:\s+\S+){0,4}?\s*\d{1,2}\s*:", text)
        if label and (len(text.split("\n", 1)[0].split()) <= 60 or colon_label):
            number = _to_number(label.group("num") or label.group("num2"))
            kind = _kind_of(label.group("moc") or label.group("moc2"))
            rest = label.group("rest").strip()
            embedded = list(_EMBEDDED_LABEL.finditer(rest))
            if embedded:
                # "Concern 1: ...; and Concern 2: ..." run together in one paragraph: one mark each
                pieces = [(number, kind, rest[: embedded[0].start()])]
                for n, found in enumerate(embedded):
                    following = embedded[n + 1].start() if n + 1 < len(embedded) else len(rest)
                    inner = _LABEL.match(rest[found.end() : following].strip())
                    if inner:
                        pieces.append(
                            (
                                _to_number(inner.group("num") or inner.group("num2")),
                                _kind_of(inner.group("moc") or inner.group("moc2")),
                                inner.group("rest"),
                            )
                        )
                for piece_number, piece_kind, piece_text in pieces:
                    piece_text = re.sub(r"[;,]?\s*(?:and|or)?\s*$", "", piece_text.strip())
                    marks.append(
                        ConcernMark(
                            piece_number,
                            _first_sentences(piece_text) if piece_text else None,
                            piece_kind,
                            index_offset + i,
                            not _answers(piece_text),
                        )
                    )
                intro_seen = False
                continue
            if rest and len(rest.split()) >= 4:
                marks.append(
                    ConcernMark(number, _first_sentences(rest), kind, index_offset + i, not _answers(rest))
                )
            else:
                following = body[i + 1] if i + 1 < len(body) else None
                quoted_text = (
                    following.text if following is not None and not _answers(following.text) else None
                )
                marks.append(
                    ConcernMark(
                        number,
                        _first_sentences(quoted_text) if quoted_text else (rest or None),
                        kind,
                        index_offset + i,
                        False,
                    )
                )
                if quoted_text:
                    marks.append(ConcernMark(None, None, kind, index_offset + i + 1, True))
            intro_seen = False
            continue
        enumerated = _ENUMERATED.match(text)
        number = int(enumerated.group("num")) if enumerated else None
        # A list of concerns starts after an introduction that speaks of them; later items may come
        # after paragraphs answering the earlier ones ("1. ... <answer> 2. ... <answer>").
        if enumerated and (intro_seen or (last_item is not None and number == last_item + 1)):
            rest = enumerated.group("rest")
            marks.append(
                ConcernMark(number, _first_sentences(rest), list_kind, index_offset + i, not _answers(rest))
            )
            enumerated_marks.add(id(marks[-1]))
            last_item = number
            continue
        if re.search(r"\brecommendations?\b", text, re.IGNORECASE) and not re.search(
            r"\bconcerns?\b", text, re.IGNORECASE
        ):
            list_kind = "recommendation"
        elif _CONCERN_INTRO.search(text):
            list_kind = "concern"
        intro_seen = bool(_CONCERN_INTRO.search(text)) and (
            text.rstrip("*").endswith(":")
            or bool(
                re.search(r"\b(?:matters?\s+of\s+concern|concerns|recommendations)\b", text, re.IGNORECASE)
            )
        )
    enumerated_numbers = [m.number for m in marks if id(m) in enumerated_marks]
    if sum(1 for m in marks if m.number is not None and id(m) not in enumerated_marks) >= 2 or (
        len(enumerated_numbers) > _MAX_LISTED_CONCERNS
    ):
        # The document labels what it answers ("Recommendation 3: ..."), or numbers its paragraphs beyond any
        # list of concerns: its numbered paragraphs ("15. This response sets out ...") are its own numbering.
        marks = [m for m in marks if id(m) not in enumerated_marks]
    numbered = {m.number for m in marks if m.number is not None}
    for para_index, para in enumerate(body):
        for match in _INLINE_REFERENCE.finditer(para.text):
            kind = _kind_of(match.group("kind"))
            for token in re.split(r"\s*(?:,|and|&)\s*", match.group("nums")):
                if " to " in token:
                    continue
                number = _to_number(token.strip())
                if number and number not in numbered and number <= 60:
                    numbered.add(number)
                    marks.append(
                        ConcernMark(number, None, kind, index_offset + para_index, False, inline=True)
                    )
        for number, item in _run_in_items(para.text):
            if number not in numbered:
                numbered.add(number)
                marks.append(
                    ConcernMark(number, item, list_kind, index_offset + para_index, False, inline=True)
                )
        for match in _UNNUMBERED.finditer(para.text):
            text = _clean(match.group("text"))
            if not any(m.text and text.lower().rstrip("?\"'") in m.text.lower() for m in marks):
                marks.append(
                    ConcernMark(None, text, "recommendation", index_offset + para_index, False, inline=True)
                )
    return marks


# "Your report raised concerns that (1) the screening on arrival did not ..., and (2) information held by
# ... was not passed on": numbered concerns run into one sentence, counted from (1) without a gap.
_RUN_IN_START = re.compile(
    r"\b(?:concerns?|recommendations?|matters?)\b[^.()]{0,60}?(?=\(1\)\s)", re.IGNORECASE
)
_RUN_IN_MARKER = re.compile(r"\((\d{1,2})\)\s+")


def _run_in_items(text: str) -> list[tuple[int, str]]:
    start = _RUN_IN_START.search(text)
    if not start:
        return []
    markers = list(_RUN_IN_MARKER.finditer(text, start.end()))
    run = []
    for marker in markers:
        if int(marker.group(1)) != len(run) + 1:
            break
        run.append(marker)
    if len(run) < 2:
        return []
    items = []
    for n, marker in enumerate(run):
        end = run[n + 1].start() if n + 1 < len(run) else len(text)
        piece = re.split(r"(?<=[a-z)])\.\s", text[marker.end() : end], maxsplit=1)[0]
        piece = re.sub(r"[;,]?\s*(?:and|or)?\s*$", "", piece.strip()).rstrip(".")
        items.append((n + 1, _clean(piece)))
    return items


def concern_entries(marks: list[ConcernMark]) -> list[dict]:
    out, seen = [], set()
    for mark in marks:
        if mark.number is None and not mark.text:
            continue
        key = (mark.number, mark.kind) if mark.number is not None else (None, (mark.text or "").lower())
        if key in seen:
            continue
        seen.add(key)
        out.append({"number": mark.number, "text": mark.text, "kind": mark.kind})
    return out
