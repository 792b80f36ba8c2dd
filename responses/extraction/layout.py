"""Where things are in a letter: paragraphs with offsets, header, body, sign-off, sentences."""

import re
from dataclasses import dataclass, field

from .document import document_date, presented_by

_SALUTATION = re.compile(r"^(?:dear\b|to whom it may concern)", re.IGNORECASE)
_VALEDICTION = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly|ever|aye)|(?:with\s+)?(?:kind|best|warm|warmest)\s+(?:regards|wishes)"
    r"|regards|best)\b[,.]?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"')\]*]*\s+(?=[\"'(*\u2018\u201c]*[A-Z0-9£])|\n(?=- |\(?\d{1,2}[.)] )")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st no nos rt hon e.g eg i.e ie etc para paras vs v approx cf prof sr jr inc ltd co gov fig vol "
    "op cl reg art sec ch dept govt min max est al jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@dataclass
class Paragraph:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_prose(self) -> bool:
        return self.words >= 12 and bool(re.search(r"[.!?:;]", self.text))

    @property
    def is_heading(self) -> bool:
        stripped = self.text.strip().strip("*_").strip()
        return (
            0 < len(stripped.split()) <= 14
            and "\n" not in stripped
            and not re.search(r"[.!?;,]$", stripped)
            and stripped[:1].isupper()
        )


@dataclass
class Layout:
    text: str
    paragraphs: list[Paragraph]
    salutation: int | None  # index of the "Dear ..." paragraph
    valediction: int | None  # index of the "Yours sincerely" paragraph
    body_start: int = 0
    body_end: int = 0  # exclusive
    header: list[Paragraph] = field(default_factory=list)
    signoff: list[Paragraph] = field(default_factory=list)
    is_document: bool = False  # a command paper, policy paper or report rather than a letter (no salutation)
    # First paragraph of the government's reply when a committee's report wraps it ("Appendix: Government
    # Response"); 0 otherwise. Nothing before it is the government's.
    preface_end: int = 0

    def own_text_start(self) -> int:
        """Offset where the government's own text begins (after a wrapping report's preface)."""
        return self.paragraphs[self.preface_end].start if self.preface_end < len(self.paragraphs) else 0

    @property
    def body(self) -> list[Paragraph]:
        return self.paragraphs[self.body_start : self.body_end]

    def header_text(self) -> str:
        return "\n".join(p.text for p in self.header)

    def signoff_text(self) -> str:
        return "\n".join(p.text for p in self.signoff)


def split_paragraphs(text: str) -> list[Paragraph]:
    paragraphs = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        chunk = match.group(0)
        stripped = chunk.strip()
        if stripped:
            start = match.start() + (len(chunk) - len(chunk.lstrip()))
            paragraphs.append(Paragraph(start, start + len(stripped), stripped))
    return paragraphs


# The heading under which a committee's Special Report (or an inquiry's publication) prints the government's
# reply: "Appendix: Government Response", "Annex 1 - Government response", "Appendix 2: Letter from the Minister".
_APPENDED_RESPONSE = re.compile(
    r"^(?:Appendix|Annex|Annexe)(?:\s+[0-9A-Z]{1,3})?\s*[:.\-]?\s*(?:The\s+)?(?:(?:UK\s+|HM\s+)?Government(?:'s)?|"
    r"Departmental|Ministerial|Department(?:'s)?)\s+(?:response|reply)\b"
    r"|^(?:Appendix|Annex|Annexe)(?:\s+[0-9A-Z]{1,3})?\s*[:.\-]?\s*Letter\s+from\s+(?:the\s+)?"
    r"(?:Minister|Secretary\s+of\s+State|Permanent\s+Secretary|Rt\s+Hon)\b",
    re.IGNORECASE,
)
# What a committee's report says of the reply it prints: "Special Report", "The Government's response was
# received on ...", "is appended to this report", "published as an appendix".
_PREFACE_CUE = re.compile(
    r"\bSpecial\s+Report\b|\bresponses?\s+(?:was|were|has\s+been|have\s+been)\s+received\b|"
    r"\b(?:is|are)\s+(?:appended|reproduced|printed|published)\s+(?:to\s+this\s+report|as\s+an?\s+appendix|below)\b",
    re.IGNORECASE,
)
# A response appended to a covering letter, after its signature, runs to this much prose at least.
_APPENDED_MIN_WORDS = 60


def _first_line(paragraph: Paragraph) -> str:
    return paragraph.text.split("\n", 1)[0].strip().strip("*_#").strip()


def _preface_end(paragraphs: list[Paragraph]) -> int:
    """Index of the first paragraph of the government's reply printed inside a committee's report (after
    "Appendix: Government Response"), or 0 when the text is not wrapped so. The committee's preface before it
    is the committee's own words: no date, department or promise of the government's is read there."""
    for i, paragraph in enumerate(paragraphs):
        heading = _first_line(paragraph)
        step = 1
        if len(heading.split()) <= 3:
            # A heading wrapped onto the next line: "Appendix: Government" / "Response"
            lines = paragraph.text.split("\n")
            if len(lines) > 1:
                wrapped = f"{heading} {lines[1].strip()}"
            elif i + 1 < len(paragraphs):
                wrapped, step = f"{heading} {_first_line(paragraphs[i + 1])}", 2
            else:
                wrapped = heading
            if _APPENDED_RESPONSE.match(wrapped) and len(wrapped.split()) <= 8:
                heading = wrapped
            else:
                step = 1
        if i and _APPENDED_RESPONSE.match(heading):
            # Only a report that says it prints the reply wraps it; a response's own "Annex C - Government's
            # response to the recommendations" is part of the government's text.
            before = "\n".join(p.text for p in paragraphs[:i])
            if not _PREFACE_CUE.search(before):
                continue
            if sum(p.words for p in paragraphs[i + step :] if p.is_prose) >= _APPENDED_MIN_WORDS:
                return i + step
    return 0


def _appended_start(paragraphs: list[Paragraph], valediction: int) -> int | None:
    """Index where a response appended after a covering letter's signature begins ("Yours sincerely ...
    <name> <role>", then "Annex: Government response to ..." or the response's own paragraphs), or None."""
    for i in range(valediction + 1, len(paragraphs)):
        paragraph = paragraphs[i]
        heading = _APPENDED_RESPONSE.match(_first_line(paragraph)) or re.match(
            r"^(?:Annex|Annexe|Appendix|Enclosure|Attachment)\b", _first_line(paragraph), re.IGNORECASE
        )
        prose = paragraph.words >= 15 and re.search(r"[.!?](?:\s|$)", paragraph.text)
        if heading or prose:
            rest = sum(p.words for p in paragraphs[i:] if p.is_prose)
            return i if rest >= _APPENDED_MIN_WORDS else None
    return None


def analyse(text: str) -> Layout:
    paragraphs = split_paragraphs(text)
    preface_end = _preface_end(paragraphs)
    salutation = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if i >= preface_end and _SALUTATION.match(p.text.split("\n", 1)[0].strip().strip("*"))
        ),
        None,
    )
    # The salutation may share a paragraph with the address block; a "Dear" line deeper inside counts too.
    if salutation is None:
        for i, p in enumerate(paragraphs[preface_end : preface_end + 25], preface_end):
            if any(_SALUTATION.match(line.strip()) for line in p.text.split("\n")):
                salutation = i
                break
    search_from = (salutation or 0) + 1
    valediction = None
    for i in range(search_from, len(paragraphs)):
        first_line = paragraphs[i].text.split("\n", 1)[0].strip().strip("*_").strip()
        if _VALEDICTION.match(first_line):
            valediction = i
            break
    if salutation is not None:
        body_start = salutation + 1
    else:
        body_start = next(
            (i for i, p in enumerate(paragraphs) if i >= preface_end and p.is_prose), preface_end
        )
    appended = _appended_start(paragraphs, valediction) if valediction is not None else None
    last_prose = max((i for i, p in enumerate(paragraphs) if p.is_prose), default=len(paragraphs) - 1)
    if valediction is not None and appended is None:
        body_end = valediction
    else:
        # No sign-off, or a response appended after the covering letter's: the body runs to the last prose.
        body_end = last_prose + 1
    layout = Layout(text, paragraphs, salutation, valediction, body_start, max(body_end, body_start))
    layout.preface_end = preface_end
    header_from = preface_end
    layout.header = (
        paragraphs[header_from : salutation + 1]
        if salutation is not None
        else paragraphs[header_from:body_start]
    )
    if appended is not None:
        layout.signoff = paragraphs[valediction:appended]
    else:
        layout.signoff = paragraphs[layout.body_end :]
    own = text[layout.own_text_start() :]
    layout.is_document = salutation is None and bool(presented_by(own) or document_date(own))
    return layout


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets within text[start:end], skipping abbreviations and initials."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        cut = match.start() + 1 if text[match.start()] in ".!?" else match.start()
        if text[match.start()] == ".":
            token = _token_before(text, match.start(), cursor).lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        close = re.match(r"[\"')\]*]*", text[cut:end])
        cut += close.end() if close else 0
        if text[cursor:cut].strip():
            spans.append(_trim(text, cursor, cut))
        cursor = match.end()
    if text[cursor:end].strip():
        spans.append(_trim(text, cursor, end))
    return spans


def _token_before(text: str, end: int, floor: int) -> str:
    # Scanning back by hand: a "$"-anchored regex search would be quadratic on long runs of text.
    start = end
    while start > floor and (text[start - 1].isalnum() or text[start - 1] in "._"):
        start -= 1
        if end - start > 40:
            break
    return text[start:end]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
