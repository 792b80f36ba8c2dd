"""The reviewed letter: one typed shape for what an editor confirms, from the stored draft to the records.

The same dataclasses are

- built once from the extractor's reading (responses.ingestion.reviewed_from_proposals) and stored on the draft
  as JSON (ResponseLetter.draft, through to_json / from_json);
- the review page's forms: responses.review_forms makes one form field per dataclass field (from its type,
  unless the page gives a field of its own) and reads the submitted form back into the dataclass;
- what responses.ingestion.confirm saves (it copies fields whose names are model fields onto the model).

So a new field is added in one place: give the dataclass below a field with a default. It is stored with the
draft, shown on the review page and read back from it, and reaches confirm() (tests/responses/
test_reviewed_shape.py holds that); a model field of the same name receives it. Supported types: str, bool,
int, datetime.date, their optional forms (X | None), lists of int and lists of the dataclasses here. A field
with metadata {"form": False} is carried through the review without being shown.

Plain Python (no Django, no model): records are referred to by id.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import types
import typing
from dataclasses import dataclass, field

HIDDEN = {"form": False}  # carried through the review, not shown as a field


@dataclass
class ReviewedSignatory:
    name: str = ""
    role: str = ""


@dataclass
class ReviewedReport:
    report_id: int | None = None  # an existing report to link; else a new one from the fields below
    kind: str = "other"  # a Report.Kind value
    title: str = ""
    deceased: str = ""
    report_date: datetime.date | None = None
    author: str = ""
    author_role: str = ""
    # A new report is still linked to one entered since the review began, unless an editor unlinked it.
    link_if_found: bool = field(default=True, metadata=HIDDEN)


@dataclass
class ReviewedRecommendation:
    report_index: int = 0  # into ReviewedLetter.reports
    recommendation_id: int | None = None  # existing; else a new one from the fields below
    kind: str = "recommendation"  # a Recommendation.Kind value
    label: str = ""  # as the report numbers it: "3", "R4", "8.1"
    text: str = ""
    # The government's position on it in this letter (a Position.Stance value) and the response's words.
    position: str | None = None
    response: str = ""

    @property
    def number(self):
        """The label's leading number, for ordering ("8.1" -> 8); None when it has none."""
        found = re.match(r"\D*(\d+)", self.label or "")
        return int(found[1]) if found else None


@dataclass
class ReviewedSuggestion:
    """A recommendation the review suggests a commitment answers (responses.recommendation_links), and why."""

    recommendation_index: int = 0  # into ReviewedLetter.recommendations
    reason: str = ""


@dataclass
class ReviewedCommitment:
    text: str = ""
    department_id: int | None = None
    time_phrase: str = ""
    due_earliest: datetime.date | None = None
    due_latest: datetime.date | None = None
    precision: str = "none"  # a Commitment.Precision value
    text_start: int | None = field(default=None, metadata=HIDDEN)  # offsets of the quote in the letter
    text_end: int | None = field(default=None, metadata=HIDDEN)
    recommendation_indexes: list[int] = field(default_factory=list)  # into ReviewedLetter.recommendations
    # What the review suggested (shown beside the boxes; recommendation_indexes start as these, for the editor
    # to confirm or untick).
    suggestions: list[ReviewedSuggestion] = field(default_factory=list, metadata=HIDDEN)


@dataclass
class ReviewedLetter:
    date: datetime.date | None = None
    department_ids: list[int] = field(default_factory=list)
    addressee_name: str = ""
    addressee_role: str = ""
    signatories: list[ReviewedSignatory] = field(default_factory=list)
    reports: list[ReviewedReport] = field(default_factory=list)
    recommendations: list[ReviewedRecommendation] = field(default_factory=list)
    commitments: list[ReviewedCommitment] = field(default_factory=list)

    def to_json(self):
        return to_json(self)

    @classmethod
    def from_json(cls, data):
        return from_json(cls, data)

    def problems(self):
        """What stops this from being confirmed, in words an editor understands."""
        found = []
        if self.date is None:
            found.append("The letter has no recognisable date; enter it by hand.")
        if not self.department_ids:
            found.append("No responding department: choose at least one.")
        for n, report in enumerate(self.reports, 1):
            if report.report_id is None and not report.title.strip():
                found.append(f"Report {n} needs a title or an existing report.")
        for n, rec in enumerate(self.recommendations, 1):
            if not 0 <= rec.report_index < len(self.reports):
                found.append(f"Recommendation {n} belongs to no report the letter answers.")
            elif rec.recommendation_id is None and not rec.text.strip():
                found.append(f"Recommendation {n} needs its text.")
        for n, item in enumerate(self.commitments, 1):
            if not item.text.strip():
                found.append(f"Commitment {n} has no text.")
            if item.department_id is None:
                found.append(f"Commitment {n} needs a department.")
            if item.due_earliest and item.due_latest and item.due_earliest > item.due_latest:
                found.append(f"Commitment {n}: the earliest due date is after the latest.")
            if any(not 0 <= i < len(self.recommendations) for i in item.recommendation_indexes):
                found.append(f"Commitment {n} is linked to a recommendation that is not kept.")
        return found


# ------------------------------------------------------------------------------------------ fields


def fields_of(cls):
    """[(name, type, dataclasses.Field)] with the types resolved now (so a subclass or a replaced nested class
    in this module is seen)."""
    hints = typing.get_type_hints(cls, globalns=globals())
    return [(f.name, hints[f.name], f) for f in dataclasses.fields(cls)]


def shown(f):
    return f.metadata.get("form", True)


def unwrap_optional(tp):
    """(inner type, optional?) for X | None."""
    args = typing.get_args(tp)
    if (typing.get_origin(tp) in (typing.Union, types.UnionType)) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return tp, False


def nested_class(tp):
    """The dataclass of a list-of-dataclasses field, else None."""
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        if dataclasses.is_dataclass(item):
            return item
    return None


# -------------------------------------------------------------------------------------------- JSON


def to_json(obj):
    """A dict of plain JSON values (dates as ISO strings)."""
    out = {}
    for name, tp, _ in fields_of(type(obj)):
        value = getattr(obj, name)
        if nested_class(tp):
            out[name] = [to_json(item) for item in value]
        elif isinstance(value, datetime.date):
            out[name] = value.isoformat()
        elif isinstance(value, list):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def from_json(cls, data):
    """The dataclass from to_json's dict; keys it does not know are ignored, missing ones take defaults."""
    data = data or {}
    values = {}
    for name, tp, _ in fields_of(cls):
        if name not in data:
            continue
        value = data[name]
        inner = nested_class(tp)
        if inner:
            values[name] = [from_json(inner, item) for item in value or []]
        else:
            values[name] = coerce(tp, value)
    return cls(**values)


def coerce(tp, value):
    """A stored or submitted value as the field's type."""
    inner, optional = unwrap_optional(tp)
    if value is None or (value == "" and optional):
        return None if optional else default_of(inner)
    if inner is datetime.date:
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    if inner is int:
        return int(value)
    if inner is bool:
        return bool(value)
    if inner is str:
        return str(value)
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner)
        return [coerce(item, v) for v in value]
    raise TypeError(f"responses.reviewed supports no field of type {tp!r}")


def default_of(tp):
    return {str: "", bool: False, int: 0}.get(tp)
