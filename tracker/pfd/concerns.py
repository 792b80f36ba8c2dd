"""The MATTERS OF CONCERN of a PFD report, split into its numbered concerns.

The same for the concerns column of the CSV files and for the text of a report document: the section starts
after 'The MATTERS OF CONCERN are as follows' (the boilerplate before it is dropped) and ends at the next
section of the template (ACTION SHOULD BE TAKEN, YOUR RESPONSE ...). Coroners number concerns '1.', '(1)',
'1)', 'a)', '(i)' or 'Concern 1:', at the start of a line or inline; the numbering that runs 1, 2, 3 (or a, b,
c; i, ii, iii) from the start is the concerns' own, so a '56 days' or a sub-point '(a)' inside concern 2 does
not start a concern. Unnumbered concerns are one concern without a label.
"""

import dataclasses
import re

_HEADING = re.compile(
    r"the\s+matters?\s+of\s+concerns?\s*(?:is|are)?\s*(?:as\s+follows)?(?:[ \t]*[.:;,–-])*(?:\s*\(brief\s+summary\s+of\s+matters\s+of\s+concern\))?",
    re.I,
)
_BULLET = re.compile(r"(?:^|\n)[ \t]*[•·▪◦*\-–][ \t]+(?=\S)")
_END = re.compile(
    r"^\s*(?:\d{1,2}\s*[.)]?\s*)?(?:action\s+should\s+be\s+taken|your\s+response|copies\s+and\s+publication"
    r"|copies\s*$|i\s+am\s+under\s+a\s+duty\s+to\s+send)",
    re.I | re.M,
)
_PREAMBLE = re.compile(
    r"^.*?(?:during\s+the\s+course\s+of\s+the\s+(?:inquest|investigation).*?"
    r"(?:statutory\s+duty\s+to\s+(?:report\s+to\s+you|send\s+(?:the|this)\s+report)|report\s+to\s+you)[.:]?)",
    re.I | re.S,
)
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]
_MARKER_AT_LINE = re.compile(
    r"(?:^|\n)[ \t\u00a0•·\-–]*(?:concern\s+)?\(?(?P<label>\d{1,2}|[a-z]|[ivx]{1,5})(?:[.)]|\s*[:–-])[ \t\u00a0]+(?=\S)",
    re.I,
)
_MARKER_INLINE = re.compile(
    r"(?:^|(?<=[\s:;.]))\((?P<label>\d{1,2}|[a-z]|[ivx]{1,5})\)\s+(?=\S)|(?:^|(?<=[.;:]\s))(?P<label2>\d{1,2})[.)]\s+(?=[A-Z])",
    re.I,
)


@dataclasses.dataclass
class Concern:
    label: str  # as the report numbers it ('1', 'a', 'iii'), '' when unnumbered
    number: int | None  # its place in the numbering, for ordering
    text: str


def concerns_section(text):
    """The text of the MATTERS OF CONCERN section alone (the whole text if it has no heading)."""
    text = (text or "").replace("\r\n", "\n").replace("\u00a0", " ")
    heading = _HEADING.search(text)
    if heading:
        text = text[heading.end() :]
    else:
        text = _PREAMBLE.sub("", text, count=1)
    end = _END.search(text)
    if end:
        text = text[: end.start()]
    return text.strip()


def _sequence(markers, labels):
    """The longest run of markers numbered labels[0], labels[1], ... in document order."""
    chosen, expected = [], 0
    for marker in markers:
        if expected < len(labels) and marker[0] == labels[expected]:
            chosen.append(marker)
            expected += 1
    return chosen


def _styles():
    return (
        [str(n) for n in range(1, 100)],
        [chr(c) for c in range(ord("a"), ord("z") + 1)],
        _ROMAN,
    )


def split_concerns(text):
    """[Concern] of a MATTERS OF CONCERN section (or of a whole report's text)."""
    section = concerns_section(text)
    if not section:
        return []
    best = []
    for pattern in (_MARKER_AT_LINE, _MARKER_INLINE):
        markers = []
        for match in pattern.finditer(section):
            label = (match.group("label") or match.groupdict().get("label2") or "").lower()
            markers.append((label, match.start(), match.end()))
            if label in ("i", "l"):
                markers.append(("1", match.start(), match.end()))  # '(I)' read for '(1)' from a scan
        for labels in _styles():
            run = _sequence(markers, labels)
            # One numbered concern counts when it opens the section ('1) A national care shortage ...').
            counts = len(run) >= 2 or (len(run) == 1 and labels[0] == "1" and run[0][1] <= 2)
            if counts and len(run) > len(best):
                best = run
        if len(best) >= 2:
            break  # numbering at the starts of lines wins over the same numbers inline
    if not best:
        bullets = list(_BULLET.finditer(section))
        if len(bullets) >= 2:
            # Bullets are not numbered: each is a concern, numbered by its place.
            best = [(str(i + 1), m.start(), m.end()) for i, m in enumerate(bullets)]
    if not best:
        body = _clean(section)
        return [Concern("", None, body)] if _worth_keeping(body) else []
    concerns = []
    for i, (label, _start, end) in enumerate(best):
        stop = best[i + 1][1] if i + 1 < len(best) else len(section)
        body = _clean(section[end:stop])
        if body:
            concerns.append(Concern(label, i + 1, body))
    return concerns


def _clean(text):
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip(" \n;")


def _worth_keeping(body):
    # Less than a sentence is what the scraper kept of a section it could not read ('Secretary of State for').
    return len(body) >= 40 and bool(re.search(r"[a-z]{3,}\W+[a-z]{3,}\W+[a-z]{3,}", body, re.I))
