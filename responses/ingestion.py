"""Ingestion: map what the extractor found in a letter onto the models, through an editor's review.

The extractor (responses.extraction) is plain Python and knows nothing of the database; this module is the
thin layer between the two, callable from the admin, the ingest_letters command and tests:

- create_draft() / create_draft_from_text(): read and extract a letter and store it as a DRAFT
  ResponseLetter holding the original file, its SHA-256 and the extraction (with the links proposed to
  existing reports and recommendations). A file already ingested raises DuplicateLetter.
- reviewed_from_proposals(): the extractor's proposals as a ReviewedLetter, which the admin's review
  forms start from and `ingest_letters --approve` confirms as it is.
- confirm(): saves a ReviewedLetter (reports, addressees, recommendations, signatories, departments,
  commitments) in one transaction. A letter is never saved by halves.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Q, Value
from django.utils import timezone

from responses import recommendation_links, report_due_dates
from responses.extraction import Extraction, LetterError, extract, read_letter_bounded
from responses.models import Commitment, Position, ResponseLetter, Signatory
from responses.reviewed import (
    ReviewedCommitment,
    ReviewedLetter,
    ReviewedRecommendation,
    ReviewedReport,
    ReviewedSignatory,
    ReviewedSuggestion,
)
from tracker.models import Addressee, Department, Recommendation, Report, normalise_name

logger = logging.getLogger(__name__)

PASTED_FILENAME = "pasted-letter.txt"
MIN_PREFIX_TITLE = 20  # characters; shorter titles are matched only exactly


class IngestionError(Exception):
    """A letter that cannot be ingested; `message` is fit to show to an editor, `code` to a program."""

    code = "error"

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self):
        return self.message


class UnreadableLetter(IngestionError):
    """The file could not be read as a letter (empty, unsupported format, needs OCR ...)."""


class DuplicateLetter(IngestionError):
    code = "duplicate"

    def __init__(self, existing):
        when = f" on {existing.ingested_at:%-d %B %Y}" if existing.ingested_at else ""
        super().__init__(f"This letter was already ingested{when}: {existing}.")
        self.existing = existing


class IncompleteReview(IngestionError):
    """What an editor (or --approve) asked to confirm is missing something a confirmed letter needs."""

    code = "incomplete"

    def __init__(self, problems, code=None):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems), code)


class AlreadyConfirmed(IngestionError):
    code = "already_confirmed"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DepartmentDirectory:
    """The department table, loaded once: rows for the extractor (so aliases editors add are used) and
    canonical name -> Department for mapping its results back onto rows."""

    def __init__(self, departments):
        self.departments = list(departments)
        self.rows = tuple((d.name, d.short_name, tuple(d.aliases or ())) for d in self.departments)
        self.by_name = {d.name: d for d in self.departments}
        self._by_spelling = None

    @classmethod
    def load(cls):
        return cls(Department.objects.all())

    def get(self, name):
        """The Department the extractor means by `name` (a canonical name, else any known spelling)."""
        if not name:
            return None
        if name in self.by_name:
            return self.by_name[name]
        if self._by_spelling is None:
            self._by_spelling = {}
            for department in self.departments:
                for spelling in department.all_names():
                    self._by_spelling.setdefault(normalise_name(spelling), department)
        return self._by_spelling.get(normalise_name(name))


# --------------------------------------------------------------------------------------------- drafts


def find_duplicate(digest):
    return ResponseLetter.objects.filter(content_hash=digest).first()


@dataclass
class ReadLetter:
    """A letter file read and extracted, with no database work (so a worker process can do it)."""

    filename: str
    digest: str
    extraction: Extraction | None = None
    error: tuple[str, str] | None = None  # (message, code) when the file is not a readable letter


def read_and_extract(data: bytes, filename, department_rows=None, on_progress=None) -> ReadLetter:
    """on_progress(stage, done, total): "reading" and "ocr" from the reader, then "extracting"."""
    digest = content_hash(data)
    try:
        text = read_letter_bounded(data, filename, on_progress)
    except LetterError as exc:
        return ReadLetter(filename, digest, error=(exc.message, exc.code))
    if on_progress:
        on_progress("extracting", 0, 0)
    return ReadLetter(filename, digest, extract(text, source=filename or None, departments=department_rows))


def create_draft(
    data: bytes, filename, *, user=None, source=ResponseLetter.Source.UPLOAD, directory=None, read=None
):
    """Read, extract and store a letter file as a draft for review. Raises DuplicateLetter when the same
    bytes were ingested before and UnreadableLetter when they are not a readable letter; saves nothing then.
    `read`: the file already read by read_and_extract() (the bulk command does that in worker processes)."""
    digest = read.digest if read is not None else content_hash(data)
    existing = find_duplicate(digest)
    if existing:
        raise DuplicateLetter(existing)
    directory = directory or DepartmentDirectory.load()
    if read is None:
        read = read_and_extract(data, filename, directory.rows)
    if read.error:
        raise UnreadableLetter(*read.error)
    return _store_draft(
        read.extraction, digest, filename, data, user=user, source=source, directory=directory
    )


def pasted_bytes(text) -> bytes:
    """A pasted letter as the bytes it is hashed and read as: UTF-8 with normalised line ends, so pasting
    it twice is a duplicate."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise UnreadableLetter("The pasted text is empty.", "empty")
    return text.encode("utf-8")


def create_draft_from_text(text, *, user=None, source=ResponseLetter.Source.PASTE, directory=None, read=None):
    """A pasted letter stored as a draft. `read`: the text already read by read_and_extract()."""
    data = pasted_bytes(text)
    digest = content_hash(data)
    existing = find_duplicate(digest)
    if existing:
        raise DuplicateLetter(existing)
    directory = directory or DepartmentDirectory.load()
    if read is None:
        read = read_and_extract(data, PASTED_FILENAME, directory.rows)
    if read.error:
        raise UnreadableLetter(*read.error)
    read.extraction.source = None
    return _store_draft(read.extraction, digest, "", None, user=user, source=source, directory=directory)


def _store_draft(extraction, digest, filename, data, *, user, source, directory):
    payload = extraction_payload(extraction)
    payload["proposals"] = propose_links(payload)
    letter = ResponseLetter(
        date=extraction.letter_date,
        text=extraction.text,  # the commitments' offsets index this text
        original_filename=filename[:255],
        content_hash=digest,
        source=source,
        review_state=ResponseLetter.ReviewState.DRAFT,
        extraction=payload,
        addressed_to_name=((extraction.addressee or {}).get("name") or "")[:200],
        addressed_to_role=((extraction.addressee or {}).get("role") or "")[:300],
        ingested_by=user,
    )
    letter.draft = reviewed_from_proposals(letter, directory, fresh=False).to_json()
    if data is not None:
        letter.original_file.save(filename or "letter", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            letter.save()
            _link(
                letter,
                "departments",
                dict.fromkeys(d for d in map(directory.get, extraction.departments) if d),
            )
    except IntegrityError:
        _delete_file(letter)
        existing = find_duplicate(digest)  # saved by someone else since we looked
        if existing:
            raise DuplicateLetter(existing) from None
        raise
    except BaseException:
        _delete_file(letter)
        raise
    return letter


def _link(letter, name, targets):
    """Add rows to one of a letter's many-to-many relations: one INSERT, no SELECT (rows an editor added to
    the draft by hand are left as they are)."""
    relation = getattr(ResponseLetter, name)
    through = relation.through
    source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
    through.objects.bulk_create(
        [through(**{f"{source}_id": letter.pk, f"{target}_id": obj.pk}) for obj in dict.fromkeys(targets)],
        ignore_conflicts=True,
    )


def _delete_file(letter):
    if letter.original_file:
        try:
            letter.original_file.storage.delete(letter.original_file.name)
        except OSError:  # a stray file is harmless; losing the real error is not
            logger.warning("could not delete %s", letter.original_file.name)


def extraction_payload(extraction: Extraction) -> dict:
    """The extraction as stored on the draft: the schema, plus what review needs (offsets, concern
    numbers and kinds, warnings)."""
    payload = extraction.to_schema()
    # Every key the extractor gives a concern (number, text, kind, position, response ...), as JSON values.
    payload["concerns"] = [dict(c) for c in extraction.concerns]
    payload["commitments"] = [
        {**c.to_schema(), "start": c.start, "end": c.end, "concern_numbers": list(c.concern_numbers)}
        for c in extraction.commitments
    ]
    payload["warnings"] = list(extraction.warnings)
    return payload


# ------------------------------------------------------------------------------------------ proposals


def _as_payload(extraction):
    return extraction_payload(extraction) if isinstance(extraction, Extraction) else extraction


def _report_matches(ref):
    """Existing reports an extracted reference means, best first: by deceased's name or title (exact, case
    aside), else for long titles one beginning with the other ("... (IICSA)" vs "... (IICSA) final report").
    A PFD reference without a deceased's name has only a generic title, which would match the wrong report."""
    deceased = (ref.get("deceased") or "").strip()
    title = (ref.get("title") or "").strip()
    if ref.get("type") == Report.Kind.PFD and not deceased:
        return []
    matching = Report.objects.matching(deceased=deceased or None, title=title or None)
    if deceased or len(title) < MIN_PREFIX_TITLE:
        return list(matching.order_by("-id")[:5])
    # One round trip for both: exact matches, and (long titles only) one title beginning with the other.
    candidates = (
        Report.objects.annotate(given=Value(title, output_field=CharField()))
        .filter(
            Q(pk__in=matching.values("pk"))
            | Q(title__istartswith=title)
            | Q(given__istartswith=F("title"), title__regex=rf"^.{{{MIN_PREFIX_TITLE},}}")
        )
        .order_by("-id")[:5]
    )
    return sorted(candidates, key=lambda report: report.title.casefold() != title.casefold())


def propose_links(extraction) -> dict:
    """Link what the letter answers to existing records, or propose new ones.

    Reports match by deceased's name or title (Report.objects.matching); recommendations by number within
    the matched reports. Returns {"reports": [...], "recommendations": [...]}, JSON-serialisable; a
    report's "report_id" / a recommendation's "recommendation_id" is the existing row, or None for new."""
    payload = _as_payload(extraction)
    addressee = payload.get("addressee") or {}
    reports = []
    for ref in payload.get("reports") or []:
        matches = _report_matches(ref)
        reports.append(
            {
                "type": ref.get("type") if ref.get("type") in Report.Kind.values else Report.Kind.OTHER,
                "title": (ref.get("title") or "").strip(),
                "deceased": ref.get("deceased") or "",
                "report_date": ref.get("report_date"),
                "author": addressee.get("name") or "",
                "author_role": addressee.get("role") or "",
                "report_id": matches[0].pk if matches else None,
                "candidates": len(matches),
            }
        )
    linked = [r["report_id"] for r in reports if r["report_id"]]
    existing = list(Recommendation.objects.filter(report_id__in=linked).order_by("id")) if linked else []
    recommendations = []
    for concern in payload.get("concerns") or []:
        number = concern.get("number")
        match = _recommendation_match(existing, number, concern.get("kind"), linked)
        if match:
            report_index = next(i for i, r in enumerate(reports) if r["report_id"] == match.report_id)
        else:
            report_index = 0 if reports else None
        default_kind = (
            Recommendation.Kind.CONCERN
            if report_index is not None and reports[report_index]["type"] == Report.Kind.PFD
            else Recommendation.Kind.RECOMMENDATION
        )
        kind = concern.get("kind") if concern.get("kind") in Recommendation.Kind.values else default_kind
        recommendations.append(
            {
                "report": report_index,
                "kind": match.kind if match else kind,
                "number": number,
                "label": match.label if match else ("" if number is None else str(number)),
                "text": match.text if match else (concern.get("text") or ""),
                "recommendation_id": match.pk if match else None,
            }
        )
    return {"reports": reports, "recommendations": recommendations}


def _recommendation_match(existing, number, kind, report_order):
    if number is None:
        return None
    candidates = [r for r in existing if r.number == number or r.label == str(number)]
    # The extractor's kind ("concern 3" vs "recommendation 3") breaks ties; the report order breaks the rest.
    candidates.sort(key=lambda r: (r.kind != kind, report_order.index(r.report_id)))
    return candidates[0] if candidates else None


# --------------------------------------------------------------------------------------------- review


def _date(value):
    if isinstance(value, datetime.date) or value is None:
        return value
    return datetime.date.fromisoformat(value) if value else None


# The extraction's positions (the agreed interface) as Position.Stance values.
STANCE_OF_POSITION = {"partially_accepted": Position.Stance.ACCEPTED_IN_PART.value}


def _stance(position):
    if not position:
        return None
    stance = STANCE_OF_POSITION.get(position, position)
    return stance if stance in Position.Stance.values else None


def reviewed_from_proposals(letter, directory=None, *, fresh=True):
    """The extractor's reading of a draft as a ReviewedLetter, with links proposed afresh (so reports
    entered since the draft was stored are found) unless `fresh` is False (the draft was just made).

    The one place where the extraction's keys are mapped onto the reviewed shape (responses.reviewed)."""
    directory = directory or DepartmentDirectory.load()
    payload = letter.extraction or {}
    proposals = propose_links(payload) if fresh or "proposals" not in payload else payload["proposals"]
    departments = [d for d in map(directory.get, payload.get("departments") or []) if d]
    reports = [
        ReviewedReport(
            report_id=r["report_id"],
            kind=r["type"],
            title=r["title"],
            deceased=r["deceased"],
            report_date=_date(r["report_date"]),
            author=r["author"],
            author_role=r["author_role"],
        )
        for r in proposals["reports"]
    ]
    concerns = payload.get("concerns") or []
    recommendations, index_by_number = [], {}
    for n, r in enumerate(proposals["recommendations"]):
        if r["report"] is None:
            continue  # nothing to attach it to; the editor may add the report by hand
        concern = concerns[n] if n < len(concerns) else {}
        if r["number"] is not None:
            index_by_number.setdefault(str(r["number"]), len(recommendations))
        recommendations.append(
            ReviewedRecommendation(
                report_index=r["report"],
                recommendation_id=r["recommendation_id"],
                kind=r["kind"],
                label=r["label"],
                text=r["text"],
                position=_stance(concern.get("position")),
                response=concern.get("response") or "",
            )
        )
    commitments = []
    for c in payload.get("commitments") or []:
        department = directory.get(c.get("department")) or (departments[0] if departments else None)
        numbers = c.get("concern_numbers") or c.get("concerns") or []
        commitments.append(
            ReviewedCommitment(
                text=c["text"],
                department_id=department.pk if department else None,
                time_phrase=c.get("time_phrase") or "",
                due_earliest=_date(c.get("due_earliest")),
                due_latest=_date(c.get("due_latest")),
                precision=c.get("precision") or Commitment.Precision.NONE,
                text_start=c.get("start"),
                text_end=c.get("end"),
                recommendation_indexes=list(
                    dict.fromkeys(index_by_number[str(n)] for n in numbers if str(n) in index_by_number)
                ),
            )
        )
    suggest_recommendations(letter.text, recommendations, commitments, payload.get("commitments") or [])
    addressee = payload.get("addressee") or {}
    return ReviewedLetter(
        date=letter.date or _date(payload.get("letter_date")),
        department_ids=[d.pk for d in departments],
        addressee_name=addressee.get("name") or letter.addressed_to_name,
        addressee_role=addressee.get("role") or letter.addressed_to_role,
        signatories=[
            ReviewedSignatory(name=s.get("name") or "", role=s.get("role") or "")
            for s in payload.get("signatories") or []
        ],
        reports=reports,
        recommendations=recommendations,
        commitments=commitments,
    )


def suggest_recommendations(text, recommendations, commitments, extracted=()):
    """Fill each commitment's suggestions (responses.recommendation_links: the reader's own placing first, then
    the heading it sits under, numbers it names, "this recommendation", wording) and tick them."""
    extracted = list(extracted)
    found = recommendation_links.suggest(
        text,
        [recommendation_links.Recommendation(r.label or "", r.text or "") for r in recommendations],
        [
            recommendation_links.Commitment(
                c.text,
                c.text_start,
                c.text_end,
                tuple(
                    str(n)
                    for n in (extracted[n].get("concern_numbers") or extracted[n].get("concerns") or [])
                )
                if n < len(extracted)
                else (),
            )
            for n, c in enumerate(commitments)
        ],
    )
    for commitment, suggestions in zip(commitments, found, strict=True):
        commitment.suggestions = [ReviewedSuggestion(s.index, s.reason) for s in suggestions]
        commitment.recommendation_indexes = list(
            dict.fromkeys([*commitment.recommendation_indexes, *(s.index for s in suggestions)])
        )


def draft_of(letter, directory=None):
    """The draft as stored (ResponseLetter.draft), with reports still unlinked matched again against what was
    entered since; a draft stored before the field existed is made from its extraction."""
    if not letter.draft:
        return reviewed_from_proposals(letter, directory)
    draft = ReviewedLetter.from_json(letter.draft)
    if letter.date and draft.date is None:
        draft.date = letter.date
    for report in draft.reports:
        if report.report_id is None and report.link_if_found:
            matches = _report_matches(
                {"type": report.kind, "title": report.title, "deceased": report.deceased}
            )
            report.report_id = matches[0].pk if matches else None
    return draft


def deadline_against(text, letter_date):
    """The deadline a commitment's words give when read against the letter's date ("later this year"), or
    None when they give none on or after it."""
    from responses.deadlines import resolve

    deadline = resolve(text, letter_date)
    if deadline.phrase and deadline.due_latest and deadline.due_latest >= letter_date:
        return deadline
    return None


def set_letter_date(letter, letter_date):
    """An editor gives a draft the date the extractor could not find. Commitments left undated because
    their time phrase needs the letter's date ("later this year"; "by June 2025" read against today) are
    resolved against it."""
    payload = dict(letter.extraction or {})
    payload["letter_date"] = letter_date.isoformat()
    commitments = []
    for item in payload.get("commitments") or []:
        item = dict(item)
        if not item.get("due_latest"):
            deadline = deadline_against(item["text"], letter_date)
            if deadline:
                item.update(
                    time_phrase=deadline.phrase,
                    due_earliest=deadline.due_earliest.isoformat() if deadline.due_earliest else None,
                    due_latest=deadline.due_latest.isoformat(),
                    precision=deadline.precision,
                )
        commitments.append(item)
    payload["commitments"] = commitments
    letter.date = letter_date
    letter.extraction = payload
    if letter.draft:
        draft = ReviewedLetter.from_json(letter.draft)
        draft.date = letter_date
        for item in draft.commitments:
            if not item.due_latest:
                deadline = deadline_against(item.text, letter_date)
                if deadline:
                    item.time_phrase = deadline.phrase
                    item.due_earliest = deadline.due_earliest
                    item.due_latest = deadline.due_latest
                    item.precision = deadline.precision
        letter.draft = draft.to_json()
    letter.save(update_fields=["date", "extraction", "draft"])
    return letter


def discard_draft(letter):
    """Delete a draft and its stored file (so the same file can be ingested again); confirmed letters stay."""
    with transaction.atomic():
        letter = ResponseLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.review_state != ResponseLetter.ReviewState.DRAFT:
            raise AlreadyConfirmed(f"{letter} is confirmed and cannot be discarded here.")
        letter.delete()
    _delete_file(letter)


# -------------------------------------------------------------------------------------------- confirm


def problems(reviewed: ReviewedLetter):
    """The shape's own checks, and those that need the records' vocabularies."""
    found = reviewed.problems()
    for n, item in enumerate(reviewed.commitments, 1):
        if item.precision not in Commitment.Precision.values:
            found.append(f"Commitment {n} has an unknown precision '{item.precision}'.")
    return found


def confirm(letter, reviewed: ReviewedLetter, *, user=None):
    """Save a reviewed letter: reports (linked or new) and their addressees with the response recorded,
    recommendations and the positions stated on them, signatories, departments and commitments, and mark it
    confirmed. All or nothing."""
    found = problems(reviewed)
    if found:
        raise IncompleteReview(found, "no_date" if reviewed.date is None else None)
    with transaction.atomic():
        letter = ResponseLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.review_state != ResponseLetter.ReviewState.DRAFT:
            raise AlreadyConfirmed(f"{letter} was already confirmed.")
        by_id = Department.objects.in_bulk(
            {*reviewed.department_ids, *(c.department_id for c in reviewed.commitments)}
        )
        departments = [by_id[pk] for pk in dict.fromkeys(reviewed.department_ids) if pk in by_id]
        missing = [c for c in reviewed.commitments if c.department_id not in by_id]
        if len(departments) != len(set(reviewed.department_ids)) or missing:
            raise IncompleteReview(["A department chosen in the review no longer exists."])
        letter.date = reviewed.date
        letter.addressed_to_name = (reviewed.addressee_name or "")[:200]
        letter.addressed_to_role = (reviewed.addressee_role or "")[:300]
        letter.review_state = ResponseLetter.ReviewState.CONFIRMED
        letter.confirmed_by = user
        letter.confirmed_at = timezone.now()
        letter.draft = reviewed.to_json()  # what was confirmed, kept with the letter
        letter.save()
        letter.departments.set(departments)
        Signatory.objects.bulk_create(
            Signatory(letter=letter, name=(s.name or "")[:200], role=(s.role or "")[:300], order=n)
            for n, s in enumerate(reviewed.signatories)
            if s.name or s.role
        )
        reports, new_reports = [], set()
        existing_reports = Report.objects.in_bulk([r.report_id for r in reviewed.reports if r.report_id])
        for item in reviewed.reports:
            report, created = _report_for(item, existing_reports)
            reports.append(report)
            if created:
                new_reports.add(report.pk)
        _link(letter, "reports", reports)
        _record_responses(letter, reports, new_reports, departments, user)
        recommendations = _recommendations_for(reviewed.recommendations, reports, new_reports, departments)
        _link(letter, "recommendations", recommendations)
        _record_positions(letter, reviewed.recommendations, recommendations, departments)
        _create_commitments(letter, reviewed.commitments, recommendations)
        # Links and commitments went in with bulk_create, which sends no signals.
        report_due_dates.refresh_for_letters({letter.pk})
    return letter


def _report_for(item: ReviewedReport, existing):
    """(report, created)."""
    if item.report_id is not None:
        if item.report_id not in existing:
            raise IncompleteReview([f"Report #{item.report_id} chosen in the review does not exist."])
        return existing[item.report_id], False
    # Created since the review began (another letter answering the same report): link, never duplicate.
    matches = item.link_if_found and _report_matches(
        {"type": item.kind, "title": item.title, "deceased": item.deceased}
    )
    if matches:
        return matches[0], False
    report = Report.objects.create(
        kind=item.kind,
        title=item.title.strip()[:500],
        deceased=(item.deceased or "")[:200],
        date_issued=item.report_date,
        author=(item.author or "")[:200],
        author_role=(item.author_role or "")[:200],
    )
    return report, True


def _record_responses(letter, reports, new_reports, departments, user):
    """Each responding department becomes an addressee of each report, with this letter as its response
    (unless an earlier letter already answered for it)."""
    for report in dict.fromkeys(reports):
        for department in departments:
            if report.pk in new_reports:
                addressee = Addressee.objects.create(report=report, department=department)
            else:
                addressee, _ = Addressee.objects.get_or_create(report=report, department=department)
            if addressee.response_received_on is None:
                addressee.record_response(letter.date, letter=letter, by=user)


def _recommendations_for(items, reports, new_reports, departments):
    """The Recommendation for each reviewed item, in order: existing ones as they are; new ones created (on
    a report made in this confirmation, in one INSERT), each addressed to the responding departments."""
    existing = Recommendation.objects.in_bulk([i.recommendation_id for i in items if i.recommendation_id])
    out, fresh, created = [], [], []
    for item in items:
        report = reports[item.report_index]
        label = (item.label or "")[:30]
        if item.recommendation_id is not None:
            if item.recommendation_id not in existing:
                raise IncompleteReview(
                    [f"Recommendation #{item.recommendation_id} chosen in the review does not exist."]
                )
            out.append(existing[item.recommendation_id])
            continue
        if report.pk in new_reports:
            # A numbered item is unique within its report: two mentions of it in the letter are one row.
            twin = next(
                (
                    r
                    for r in fresh
                    if label and (r.report_id, r.kind, r.label) == (report.pk, item.kind, label)
                ),
                None,
            )
            if twin is None:
                twin = Recommendation(
                    report=report, kind=item.kind, label=label, number=item.number, text=item.text.strip()
                )
                fresh.append(twin)
            out.append(twin)
            continue
        if label:
            recommendation, was_created = Recommendation.objects.get_or_create(
                report=report,
                kind=item.kind,
                label=label,
                defaults={"number": item.number, "text": item.text.strip()},
            )
        else:
            recommendation, was_created = (
                Recommendation.objects.create(report=report, kind=item.kind, text=item.text.strip()),
                True,
            )
        out.append(recommendation)
        if was_created:
            created.append(recommendation)
    Recommendation.objects.bulk_create(fresh)
    Through = Recommendation.departments.through
    Through.objects.bulk_create(
        Through(recommendation_id=recommendation.pk, department_id=department.pk)
        for recommendation in [*fresh, *created]
        for department in dict.fromkeys(departments)
    )
    return out


def _record_positions(letter, items, recommendations, departments):
    """The position a letter states on a recommendation, for each responding department (a later letter's
    position replaces an earlier one's)."""
    for item, recommendation in zip(items, recommendations, strict=True):
        if not item.position:
            continue
        response = (item.response or "").strip()
        reason = (
            response or "See the response letter." if item.position == Position.Stance.NOT_ACCEPTED else ""
        )
        for department in departments:
            Position.objects.update_or_create(
                recommendation=recommendation,
                department=department,
                defaults={"stance": item.position, "quote": response, "reason": reason, "letter": letter},
            )


def _model_values(item):
    """The shape item's fields that are fields of Commitment (so a field added to both is saved), cut to the
    model's lengths."""
    values = {}
    for field in Commitment._meta.concrete_fields:
        for name in (field.name, field.attname):
            if hasattr(item, name) and not field.primary_key:
                value = getattr(item, name)
                if isinstance(value, str):
                    value = value.strip()[: field.max_length] if field.max_length else value.strip()
                values[field.attname] = value
    return values


def _create_commitments(letter, items, recommendations):
    commitments = Commitment.objects.bulk_create(
        Commitment(
            **_model_values(item),
            letter=letter,
            original_time_phrase=(item.time_phrase or "")[:300],
            original_due_earliest=item.due_earliest,
            original_due_latest=item.due_latest,
        )
        for item in items
    )
    Through = Commitment.recommendations.through
    Through.objects.bulk_create(
        Through(commitment_id=commitment.pk, recommendation_id=recommendations[index].pk)
        for commitment, item in zip(commitments, items, strict=True)
        for index in dict.fromkeys(item.recommendation_indexes)
    )
    return commitments


# -------------------------------------------------------------------------------------- bulk (command)


@dataclass
class IngestResult:
    letter: ResponseLetter
    commitments: int
    dated: int
    vague: int


def ingest(
    data,
    filename,
    *,
    user=None,
    source=ResponseLetter.Source.COMMAND,
    approve=False,
    directory=None,
    default_date=None,
    read=None,
):
    """One file of a bulk run: a draft, or (approve) a confirmed letter with the extractor's proposals.

    A letter with no recognisable date fails unless `default_date` is given. Nothing is saved when any
    step fails."""
    letter = None
    try:
        with transaction.atomic():
            letter = create_draft(data, filename, user=user, source=source, directory=directory, read=read)
            if letter.date is None:
                if default_date is None:
                    raise IncompleteReview(
                        ["No recognisable letter date; give one with --date or ingest it in the admin."],
                        "no_date",
                    )
                set_letter_date(letter, default_date)
            if approve:
                reviewed = draft_of(letter, directory)
                letter = confirm(letter, reviewed, user=user)
                items = reviewed.commitments
                dated = sum(1 for c in items if c.due_latest)
                vague = sum(1 for c in items if c.precision == Commitment.Precision.VAGUE)
            else:
                items = letter.extraction.get("commitments") or []
                dated = sum(1 for c in items if c.get("due_latest"))
                vague = sum(1 for c in items if c.get("precision") == Commitment.Precision.VAGUE)
    except BaseException:
        if letter is not None:
            _delete_file(letter)
        raise
    return IngestResult(letter=letter, commitments=len(items), dated=dated, vague=vague)
