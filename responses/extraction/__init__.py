"""Letter extraction: file -> text -> fields and dated commitments. Plain Python, no database.

from responses.extraction import read_letter, extract, extract_file, LetterError
text = read_letter(data, filename)   # LetterError(message, code) on bad input
result = extract(text, source=None, departments=None)   # bad letters give warnings; bugs raise
result = extract_file(path)
result.to_schema()                    # the shape of shared/extraction-schema.md
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import fields
from .bounded import ReadingLimits, read_letter_bounded
from .commitments import ExtractedCommitment, find_commitments
from .departments import DepartmentMatcher, DepartmentRow, default_departments, matcher_for
from .errors import CODES, MAX_LETTER_BYTES, LetterError
from .layout import analyse
from .normalise import normalise
from .positions import stated_positions
from .reading import read_letter
from .sections import concern_sections

__all__ = [
    "CODES",
    "MAX_LETTER_BYTES",
    "DepartmentMatcher",
    "ExtractedCommitment",
    "Extraction",
    "LetterError",
    "default_departments",
    "extract",
    "extract_file",
    "normalise",
    "read_letter",
    "read_letter_bounded",
    "ReadingLimits",
]

# Real letters run to tens of thousands of characters; beyond this the text is analysed in part only,
# so a pathological upload cannot tie up a worker.
MAX_ANALYSED_CHARS = 400_000
_MIN_PROMISE_WORDS = 3


@dataclass
class Extraction:
    source: str | None
    text: str
    letter_date: date | None = None
    letter_date_precision: str = "day"  # "month" for a document dated only "January 2026"
    departments: list[str] = field(default_factory=list)
    signatories: list[dict] = field(default_factory=list)
    addressee: dict | None = None
    reports: list[dict] = field(default_factory=list)
    concerns: list[dict] = field(default_factory=list)
    commitments: list[ExtractedCommitment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_schema(self) -> dict:
        return {
            "source": self.source,
            "letter_date": self.letter_date.isoformat() if self.letter_date else None,
            "departments": list(self.departments),
            "signatories": [{"name": s.get("name"), "role": s.get("role")} for s in self.signatories],
            "addressee": {"name": self.addressee.get("name"), "role": self.addressee.get("role")}
            if self.addressee
            else None,
            "reports": [
                {
                    "type": r["type"],
                    "title": r.get("title"),
                    "deceased": r.get("deceased"),
                    "report_date": r.get("report_date"),
                }
                for r in self.reports
            ],
            "concerns": [
                {"number": c.get("number"), "text": c.get("text"), "position": c.get("position")}
                for c in self.concerns
            ],
            "commitments": [c.to_schema() for c in self.commitments],
            # Keys added to the shared schema (agreed in /work/notes/interfaces.md): after the schema's own.
            "letter_date_precision": self.letter_date_precision if self.letter_date else None,
        }


def extract(
    text: str, source: str | None = None, departments: Iterable[DepartmentRow] | None = None
) -> Extraction:
    """Extract everything the tracker needs from a letter's text.

    What is wrong with the letter (no text, no date, no department, too long) becomes a warning for the
    editor. A bug in the extractor raises: it is not turned into an empty or undated result (issue 11).
    """
    text = "" if text is None else text  # no text at all is a letter with no text: a warning
    if not isinstance(text, str):
        raise TypeError(f"extract() takes the letter's text as a str, not {type(text).__name__}")
    truncated = len(text) > MAX_ANALYSED_CHARS
    normalised = normalise(text[:MAX_ANALYSED_CHARS] if truncated else text)
    result = Extraction(source=source, text=normalised)
    if not normalised.strip():
        result.warnings.append("the letter contains no text")
        return result
    if truncated:
        result.warnings.append(
            f"the text is very long; only the first {MAX_ANALYSED_CHARS:,} characters were analysed"
        )
    _fill(result, matcher_for(departments))
    return result


def _fill(result: Extraction, matcher: DepartmentMatcher) -> None:
    layout = analyse(result.text)
    dated = fields.letter_date(layout)
    if dated is not None:
        result.letter_date, result.letter_date_precision = dated.value, dated.precision
    else:
        result.warnings.append(
            "no recognisable letter date; enter it by hand (relative time phrases are left undated)"
        )
    result.signatories = fields.signatories(layout, matcher)
    result.departments = fields.departments(layout, matcher, result.signatories, result.letter_date)
    if not result.departments:
        result.warnings.append("no responding department recognised; the promises' owners are left empty")
    result.addressee = fields.addressee(layout)
    result.reports = fields.reports(layout, result.addressee)
    marks = fields.concerns(layout)
    result.concerns = fields.concern_entries(marks)
    excluded = {m.paragraph for m in marks if m.quoted}
    concern_by_paragraph = concern_sections(layout, marks)
    positions = stated_positions(layout, concern_by_paragraph, excluded)
    for concern in result.concerns:
        if concern.get("number") in positions:
            concern["position"] = positions[concern["number"]]
    result.commitments = find_commitments(
        layout,
        matcher,
        result.departments,
        result.letter_date,
        excluded,
        concern_by_paragraph,
        [r["title"] for r in result.reports if r.get("title")],
        letter_date_precision=result.letter_date_precision,
    )
    # A "promise" of one or two words is a heading or a name caught after a "will:" lead, not a promise.
    result.commitments = [c for c in result.commitments if len(c.text.split()) >= _MIN_PROMISE_WORDS]
    if layout.salutation is None and not layout.is_document:
        result.warnings.append("no salutation ('Dear ...') found; the letter's layout may be unusual")


def extract_file(path: str | Path, departments: Iterable[DepartmentRow] | None = None) -> Extraction:
    """Read and extract one letter file; raises LetterError if the file cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LetterError(
            f"{path.name} cannot be opened: {exc.strerror or exc}.", "unsupported_format"
        ) from exc
    text = read_letter(data, path.name)
    return extract(text, source=path.name, departments=departments)
