"""Import a CSV file of the PFD corpus (tracker.pfd.rows) into reports, addressees, responses and concerns.

Set-based: the file is read and checked whole first (a file with missing columns is refused before anything
is written; each bad row is reported with its number and reason and skipped), every addressee name is
resolved once (tracker.pfd.organisations), and the reports are written in batches with a few bulk
statements each. A batch is one transaction holding whole reports; if a batch fails, its reports are written
again one transaction each, so one report the database refuses is reported and the others are saved. Never
half a report.

Idempotent: a report is identified by its judiciary.uk page (URL); a row whose content is the same as when it
was last imported (Report.import_fingerprints) is skipped without a write, so a second import of the same
file changes nothing. A PFD report already in the tracker without that address (one the seed letters answer)
is matched by reference, or by the deceased's name and the report's date, and completed.

What each format brings (rows.ADDRESSEE_LIST_RANK): the addressees of the status export, cleaned by hand,
replace those of the scrape; the scrape's never replace the status export's. Addressees no longer listed are
removed unless something was recorded on them (a response, an extension, a letter). Responses published on
judiciary.uk are attributed to the addressee that sent them (tracker.pfd.replies) and recorded on it with an
event row, dated no later than the month they were published.
"""

import dataclasses
import datetime
import re
from collections import defaultdict
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils.text import slugify

from tracker.models import (
    Addressee,
    AddresseeEvent,
    Department,
    PublishedResponse,
    Recommendation,
    Report,
    ReportCategory,
    london_today,
)
from tracker.pfd import names, organisations, replies, rows
from tracker.pfd.bulk import update_rows
from tracker.pfd.concerns import split_concerns

BATCH_SIZE = 500
_DAY_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclasses.dataclass
class ImportResult:
    format: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    completed: list = dataclasses.field(default_factory=list)  # existing reports matched and completed
    bad_rows: list = dataclasses.field(default_factory=list)
    failed: list = dataclasses.field(default_factory=list)  # rows the database refused
    warnings: list = dataclasses.field(default_factory=list)
    addressees_added: int = 0
    addressees_removed: int = 0
    addressees_kept: int = 0  # no longer listed, but kept for what was recorded on them
    deadlines_corrected: int = 0
    responses_found: int = 0
    responses_recorded: int = 0
    responses_unattributed: int = 0
    concerns_added: int = 0
    names: dict = dataclasses.field(default_factory=dict)  # how new spellings were matched: counts

    @property
    def saved(self):
        return self.created + self.updated


def read_text(path):
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path}: neither UTF-8 nor Windows-1252 text")


def snapshot_day(path, parsed_rows):
    """The day a status export describes: a date in the file's name, else the latest 'Date added'."""
    if match := _DAY_IN_NAME.search(Path(str(path)).name):
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    added = [r.date_added for r in parsed_rows if r.date_added]
    return max(added) if added else london_today()


def import_file(path, *, as_of=None, progress=None, batch_size=BATCH_SIZE, years=None):
    """Import one CSV file; see the module's docstring. Raises rows.MissingColumns (nothing imported).
    `years`: only the reports dated in these years (a sample, as `make run` loads)."""
    text = read_text(path)
    format_name, parsed, bad = rows.read_rows(text)
    if years:
        parsed = [row for row in parsed if row.date_issued.year in years]
        # A bad row belongs to the sample when its reference names one of the years ("2023-0412"); rows of other
        # years, or whose year cannot be told, are outside the sample and are neither imported nor listed.
        bad = [row for row in bad if rows.reference_year(row.reference) in years]
    if format_name == rows.STATUSES and as_of is None:
        as_of = snapshot_day(path, parsed)
    return import_rows(format_name, parsed, bad, as_of=as_of, progress=progress, batch_size=batch_size)


def import_rows(format_name, parsed, bad, *, as_of=None, progress=None, batch_size=BATCH_SIZE):
    result = ImportResult(format=format_name, rows=len(parsed) + len(bad), bad_rows=list(bad))
    for row in parsed:
        result.warnings.extend(f"row {row.row} ({row.reference}): {w}" for w in row.warnings)
    organisations.load_known_organisations()
    existing = {
        url: (pk, fingerprints or {})
        for pk, url, fingerprints in Report.objects.filter(
            kind=Report.Kind.PFD, source_url__in=[r.url for r in parsed]
        ).values_list("id", "source_url", "import_fingerprints")
    }
    to_write = []
    for row in parsed:
        found = existing.get(row.url)
        if found and found[1].get(format_name) == row.fingerprint():
            result.unchanged += 1
        else:
            to_write.append(row)
    if progress:
        progress.total(len(parsed))
        progress.advance(result.unchanged)
    if not to_write:
        return result
    # Only names whose list will be used: a lower-ranked list never replaces a report's addressees.
    rank = rows.ADDRESSEE_LIST_RANK[format_name]
    used = [
        row
        for row in to_write
        if row.url not in existing
        or rank
        >= max(
            (rows.ADDRESSEE_LIST_RANK.get(f, 0) for f in existing[row.url][1] if f != format_name), default=0
        )
    ]
    mapping, counts = organisations.resolve_names([name for row in used for name in row.addressees])
    result.names = dict(counts)
    writer = _Writer(format_name, mapping, as_of, result)
    writer.match_existing(to_write, existing)
    for start in range(0, len(to_write), batch_size):
        batch = to_write[start : start + batch_size]
        try:
            writer.attempt(batch)
        except DatabaseError:
            # One report the database refuses must not cost the others: again, one transaction a report.
            for row in batch:
                try:
                    writer.attempt([row])
                except DatabaseError as error:
                    result.failed.append(rows.BadRow(row.row, f"not saved: {error}".strip(), row.reference))
        if progress:
            progress.advance(len(batch))
    organisations.count_mentions()
    return result


def report_title(row):
    deceased = row.deceased if row.deceased and row.deceased.upper() != "REDACTED" else ""
    if deceased:
        return f"{deceased}: Prevention of Future Deaths report"
    return f"Prevention of Future Deaths report {row.reference}"


def _person_key(name):
    words = [
        w for w in re.findall(r"[a-z]+", (name or "").lower()) if w not in {"mr", "mrs", "ms", "miss", "dr"}
    ]
    return (words[0], words[-1]) if words else None


class _Writer:
    """Writes batches of rows of one file (see import_rows)."""

    def __init__(self, format_name, mapping, as_of, result):
        self.format = format_name
        self.rank = rows.ADDRESSEE_LIST_RANK[format_name]
        self.mapping = mapping
        self.as_of = as_of
        self.result = result
        self.report_ids = {}  # url -> report id (existing, matched, or created)
        self.completing = {}  # url -> id of an existing report without an address, matched by reference/name
        self.taken_slugs = set(Report.objects.values_list("slug", flat=True))
        self.categories = dict(ReportCategory.objects.values_list("name", "id"))

    def match_existing(self, to_write, existing):
        self.report_ids = {url: pk for url, (pk, _) in existing.items()}
        unaddressed = list(
            Report.objects.filter(kind=Report.Kind.PFD, source_url="").values_list(
                "id", "reference", "deceased", "date_issued"
            )
        )
        if not unaddressed:
            return
        claimed = set()
        for row in to_write:
            if row.url in self.report_ids:
                continue
            for pk, reference, deceased, date_issued in unaddressed:
                if pk in claimed:
                    continue
                same_reference = reference and reference.strip().lower() == row.reference.lower()
                same_person = (
                    row.deceased
                    and _person_key(deceased) == _person_key(row.deceased)
                    and (date_issued is None or date_issued == row.date_issued)
                )
                if same_reference or same_person:
                    self.completing[row.url] = pk
                    claimed.add(pk)
                    break

    # ---------------------------------------------------------------------------------------- reports

    def attempt(self, batch):
        """Write `batch` in one transaction; on a database error nothing of it stays, in the database or in
        what this writer remembers, and the error is raised."""
        saved = (dict(self.report_ids), set(self.taken_slugs), dict(self.categories))
        self.tally = ImportResult()
        try:
            with transaction.atomic():
                self.write(batch)
        except DatabaseError:
            self.report_ids, self.taken_slugs, self.categories = saved
            raise
        for field in dataclasses.fields(ImportResult):
            value = getattr(self.tally, field.name)
            if isinstance(value, int):
                setattr(self.result, field.name, getattr(self.result, field.name) + value)
        self.result.completed.extend(self.tally.completed)

    def write(self, batch):
        reports = self._reports(batch)
        self._categories(batch, reports)
        addressees = self._addressees(batch, reports)
        self._responses(batch, reports, addressees)
        self._concerns(batch, reports)
        # The bulk writes above send no signals: the reports' stored clocks are recounted here, in the batch.
        Report.objects.filter(pk__in=[r.pk for r in reports.values()]).refresh_pfd_clocks()

    def _reports(self, batch):
        ids = {row.url: self.report_ids.get(row.url) or self.completing.get(row.url) for row in batch}
        current = Report.objects.in_bulk([pk for pk in ids.values() if pk])
        new, changed = [], []
        for row in batch:
            report = current.get(ids[row.url])
            if report is None:
                report = Report(kind=Report.Kind.PFD, title=report_title(row), source_url=row.url)
                report.slug = self._slug(row)
                new.append((row, report))
            else:
                if report.pk in self.completing.values() and not report.source_url:
                    self.tally.completed.append(f"{report.title} (row {row.row})")
                changed.append((row, report))
            self._fill(report, row)
        created = Report.objects.bulk_create([report for _, report in new])
        fields = [
            "source_url",
            "reference",
            "deceased",
            "date_issued",
            "issuing_body",
            "author",
            "pdf_url",
            "stated_response_deadline",
            "published_response_count",
            "published_response_count_on",
            "pdt_status",
            "pdt_status_on",
            "import_fingerprints",
            "updated_at",
        ]
        update_rows(Report, [report for _, report in changed], fields)
        self.tally.created += len(created)
        self.tally.updated += len(changed)
        out = {}
        for row, report in [*new, *changed]:
            self.report_ids[row.url] = report.pk
            out[row.url] = report
        return out

    def _slug(self, row):
        base = slugify(f"{row.deceased or 'pfd report'} {row.reference}")[:180] or "pfd-report"
        slug, n = base, 1
        while slug in self.taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.taken_slugs.add(slug)
        return slug

    def _fill(self, report, row):
        """Copy the row onto the report; what this format does not carry is left as it was."""
        report.source_url = row.url
        report.reference = row.reference
        if row.deceased:
            report.deceased = row.deceased[:200]
        report.date_issued = row.date_issued
        if row.area:
            report.issuing_body = row.area[:300]
        if row.coroner:
            report.author = row.coroner[:200]
        if row.pdf_url:
            report.pdf_url = row.pdf_url[:500]
        if row.stated_deadline:
            report.stated_response_deadline = row.stated_deadline
        if self.format == rows.STATUSES:
            report.published_response_count = row.replies_count
            report.published_response_count_on = self.as_of
            report.pdt_status = row.pdt_status[:20]
            report.pdt_status_on = self.as_of
        fingerprints = dict(report.import_fingerprints or {})
        fingerprints[self.format] = row.fingerprint()
        report.import_fingerprints = fingerprints
        report.updated_at = datetime.datetime.now(datetime.UTC)

    def _categories(self, batch, reports):
        with_categories = [row for row in batch if row.categories]
        if not with_categories:
            return
        missing = {c for row in with_categories for c in row.categories} - set(self.categories)
        if missing:
            ReportCategory.objects.bulk_create(
                [ReportCategory(name=name[:200], slug=self._category_slug(name)) for name in sorted(missing)],
                ignore_conflicts=True,
            )
            self.categories = dict(ReportCategory.objects.values_list("name", "id"))
        through = Report.categories.through
        report_ids = [reports[row.url].pk for row in with_categories]
        through.objects.filter(report_id__in=report_ids).delete()
        through.objects.bulk_create(
            [
                through(report_id=reports[row.url].pk, reportcategory_id=self.categories[name])
                for row in with_categories
                for name in dict.fromkeys(row.categories)
            ]
        )

    def _category_slug(self, name):
        taken = set(ReportCategory.objects.values_list("slug", flat=True))
        base = slugify(name)[:190] or "category"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug

    # ------------------------------------------------------------------------------------- addressees

    def _addressees(self, batch, reports):
        """Each report's addressees as this row lists them (when this format's list may replace the one
        there), deadlines kept right. Returns {report id: {organisation id: Addressee}}."""
        report_ids = [report.pk for report in reports.values()]
        current = defaultdict(dict)
        for addressee in Addressee.objects.filter(report_id__in=report_ids).annotate(
            has_events=Exists(AddresseeEvent.objects.filter(addressee=OuterRef("pk")))
        ):
            current[addressee.report_id][addressee.department_id] = addressee
        ranks = {
            report.pk: max(
                (
                    rows.ADDRESSEE_LIST_RANK.get(f, 0)
                    for f in (report.import_fingerprints or {})
                    if f != self.format
                ),
                default=0,
            )
            for report in reports.values()
        }
        new, removed, corrected, events = [], [], [], []
        today = london_today()
        for row in batch:
            report = reports[row.url]
            mine = current[report.pk]
            may_replace = self.rank >= ranks[report.pk]
            listed = {}
            if may_replace or not mine:
                for written in row.addressees:
                    listed.setdefault(self.mapping[written], written)
            due = report.default_response_deadline()
            for organisation_id, written in listed.items():
                if organisation_id in mine or not (may_replace or not mine):
                    continue
                addressee = Addressee(
                    report=report,
                    department_id=organisation_id,
                    named_as=written[:500],
                    response_due=due,
                    original_response_due=due,
                )
                new.append(addressee)
                mine[organisation_id] = addressee
            if may_replace:
                for organisation_id, addressee in list(mine.items()):
                    if organisation_id in listed or addressee.pk is None:
                        continue
                    if addressee.response_received_on or addressee.response_letter_id or addressee.has_events:
                        self.tally.addressees_kept += 1
                        continue
                    removed.append(addressee.pk)
                    del mine[organisation_id]
            for addressee in mine.values():
                # The deadline follows the report's date or stated date, unless an extension moved it.
                if addressee.pk and due and addressee.response_due == addressee.original_response_due != due:
                    events.append(
                        AddresseeEvent(
                            addressee=addressee,
                            kind=AddresseeEvent.Kind.DEADLINE_CORRECTED,
                            happened_on=today,
                            old_deadline=addressee.response_due,
                            new_deadline=due,
                            note="The report's date or stated response date changed in the imported file.",
                        )
                    )
                    addressee.response_due = addressee.original_response_due = due
                    corrected.append(addressee)
        Addressee.objects.filter(pk__in=removed).delete()
        Addressee.objects.bulk_create(new)
        update_rows(Addressee, corrected, ["response_due", "original_response_due"])
        _new_versions(corrected)
        AddresseeEvent.objects.bulk_create(events)
        self.tally.addressees_added += len(new)
        self.tally.addressees_removed += len(removed)
        self.tally.deadlines_corrected += len(corrected)
        return current

    # -------------------------------------------------------------------------------------- responses

    def _responses(self, batch, reports, addressees):
        with_replies = [row for row in batch if row.reply_urls]
        if not with_replies:
            return
        known = {
            (response.report_id, response.url): response
            for response in PublishedResponse.objects.filter(
                report_id__in=[reports[row.url].pk for row in with_replies]
            )
        }
        known_ids = {response.pk for response in known.values()}
        names_of = self._names_of({pk for row in with_replies for pk in addressees[reports[row.url].pk]})
        new, links, recorded, events = [], [], {}, []
        for row in with_replies:
            report = reports[row.url]
            mine = list(addressees[report.pk].values())
            candidates = [(a.department_id, [*names_of.get(a.department_id, ()), a.named_as]) for a in mine]
            for url in dict.fromkeys(row.reply_urls):
                reply = replies.read_reply_url(url, row.deceased)
                response = known.get((report.pk, url[:500]))
                if response is None:
                    response = PublishedResponse(report=report, url=url[:500], sender=reply.sender[:300])
                    new.append(response)
                    known[(report.pk, response.url)] = response
                response.published_by = reply.published_by
                if response.attribution == PublishedResponse.Attribution.EDITOR:
                    continue
                senders = []
                if not reply.is_response:
                    response.attribution = PublishedResponse.Attribution.NOT_A_RESPONSE
                else:
                    senders = replies.attribute(reply.sender, candidates)
                    if senders:
                        response.attribution = PublishedResponse.Attribution.SENDER_NAME
                    elif len(mine) == 1 and not _names_someone_else(reply.sender, candidates):
                        senders = [mine[0].department_id]
                        response.attribution = PublishedResponse.Attribution.ONLY_ADDRESSEE
                    else:
                        response.attribution = PublishedResponse.Attribution.NONE
                response.senders = [addressees[report.pk][pk] for pk in senders]
                self.tally.responses_found += 1
                if response.attribution == PublishedResponse.Attribution.NONE:
                    self.tally.responses_unattributed += 1
                for addressee in response.senders:
                    if addressee.response_received_on is None and addressee.pk not in recorded:
                        recorded[addressee.pk] = (addressee, response)
        PublishedResponse.objects.bulk_create(new)
        touched = list(
            {
                id(known[(reports[row.url].pk, u[:500])]): known[(reports[row.url].pk, u[:500])]
                for row in with_replies
                for u in row.reply_urls
            }.values()
        )
        update_rows(
            PublishedResponse,
            [r for r in touched if r.pk in known_ids],
            ["published_by", "attribution", "sender"],
        )
        through = PublishedResponse.addressees.through
        automatic = [r.pk for r in touched if r.attribution != PublishedResponse.Attribution.EDITOR]
        through.objects.filter(publishedresponse_id__in=automatic).delete()
        for response in touched:
            if response.attribution != PublishedResponse.Attribution.EDITOR:
                links.extend(
                    through(publishedresponse_id=response.pk, addressee_id=a.pk)
                    for a in getattr(response, "senders", [])
                )
        through.objects.bulk_create(links, ignore_conflicts=True)
        # Record each newly answered addressee's response, with its event row (Addressee.record_response's
        # fields, set-based).
        changed = []
        for addressee, response in recorded.values():
            day = response.published_by or london_today()
            addressee.response_received_on = day
            addressee.response_url = response.url
            addressee.response_date_known = False
            addressee.missing_since = None
            changed.append(addressee)
            events.append(
                AddresseeEvent(
                    addressee=addressee,
                    kind=AddresseeEvent.Kind.RESPONSE_RECORDED,
                    happened_on=day,
                    old_deadline=addressee.response_due,
                    new_deadline=addressee.response_due,
                    note=f"Published response: {response.url} (received on or before {day:%-d %B %Y})",
                )
            )
        update_rows(
            Addressee,
            changed,
            ["response_received_on", "response_url", "response_date_known", "missing_since"],
        )
        _new_versions(changed)
        AddresseeEvent.objects.bulk_create(events)
        self.tally.responses_recorded += len(changed)

    def _names_of(self, organisation_ids):
        found = defaultdict(list)
        for pk, name, short_name, aliases in Department.objects.filter(pk__in=organisation_ids).values_list(
            "id", "name", "short_name", "aliases"
        ):
            found[pk].extend([name, short_name, *(aliases or [])])
        for pk, spelling in organisations.AddresseeName.objects.filter(
            department_id__in=organisation_ids
        ).values_list("department_id", "spelling"):
            found[pk].append(spelling)
        return found

    # --------------------------------------------------------------------------------------- concerns

    def _concerns(self, batch, reports):
        with_text = [(row, split_concerns(row.concerns_text)) for row in batch if row.concerns_text]
        with_text = [(row, found) for row, found in with_text if found]
        if not with_text:
            return
        existing = defaultdict(set)
        for report_id, kind, label in Recommendation.objects.filter(
            report_id__in=[reports[row.url].pk for row, _ in with_text]
        ).values_list("report_id", "kind", "label"):
            existing[report_id].add((kind, label))
        new = []
        for row, found in with_text:
            report = reports[row.url]
            if any(kind == Recommendation.Kind.CONCERN for kind, _ in existing[report.pk]) and not any(
                c.label for c in found
            ):
                continue  # concerns already there; an unnumbered text adds nothing certain
            for concern in found:
                if (Recommendation.Kind.CONCERN, concern.label) in existing[report.pk]:
                    continue  # kept as recorded (an editor's or a letter's version)
                new.append(
                    Recommendation(
                        report=report,
                        kind=Recommendation.Kind.CONCERN,
                        label=concern.label,
                        number=concern.number,
                        text=concern.text,
                    )
                )
                existing[report.pk].add((Recommendation.Kind.CONCERN, concern.label))
        Recommendation.objects.bulk_create(new)
        self.tally.concerns_added += len(new)


def _new_versions(addressees):
    """The rows written set-based (update_rows) take a new version, as Addressee's methods do: an admin form
    opened before the import is then refused, not saved over what the import recorded."""
    ids = [addressee.pk for addressee in addressees]
    for start in range(0, len(ids), 5000):
        Addressee.objects.filter(pk__in=ids[start : start + 5000]).update(version=F("version") + 1)


def _names_someone_else(sender, candidates):
    """A sender that is plainly another organisation (the file names a body that is not the addressee):
    not the only addressee's response by default."""
    if not sender:
        return False
    return names.kind_of(sender) != names.UNKNOWN_KIND and not replies.attribute(sender, candidates)


# ------------------------------------------------------------------------------- one report's document


@dataclasses.dataclass
class DocumentResult:
    report: Report
    created: bool
    addressees_added: int = 0
    concerns_added: int = 0
    filled: list = dataclasses.field(default_factory=list)  # fields the document filled in


@transaction.atomic
def import_report_document(parsed, *, source_name=""):
    """Record what a PFD report's document says (tracker.pfd.report_pdf.PfdReport): the report it is (matched
    by reference, or by the deceased's name and the report's date, as for the CSV files) completed, or a new
    one. What the tracker holds already is kept: the document fills what is missing and adds addressees and
    concerns not there yet. One transaction: never half a report."""
    report = _find_report(parsed)
    created = report is None
    if created:
        if not (parsed.deceased or parsed.reference) or not parsed.date_issued:
            raise ValueError(
                f"{source_name or 'The document'}: no deceased's name (or reference) and date found; nothing saved."
            )
        row = rows.PfdRow(
            row=0,
            format="document",
            url="",
            reference=parsed.reference,
            deceased=parsed.deceased,
            date_issued=parsed.date_issued,
            coroner=parsed.coroner,
            area=parsed.area,
            addressees=parsed.addressees,
        )
        report = Report(kind=Report.Kind.PFD, title=report_title(row))
    result = DocumentResult(report=report, created=created)
    for field, value in (
        ("deceased", parsed.deceased),
        ("reference", parsed.reference),
        ("date_issued", parsed.date_issued),
        ("issuing_body", parsed.area),
        ("author", parsed.coroner),
        ("author_role", parsed.coroner_role),
        ("stated_response_deadline", parsed.stated_deadline),
    ):
        if value and not getattr(report, field):
            setattr(report, field, value)
            result.filled.append(field)
    report.save()
    if parsed.addressees:
        mapping, _ = organisations.resolve_names(parsed.addressees)
        have = set(report.addressees.values_list("department_id", flat=True))
        for written in parsed.addressees:
            organisation_id = mapping[written]
            if organisation_id not in have:
                Addressee.objects.create(report=report, department_id=organisation_id, named_as=written[:500])
                have.add(organisation_id)
                result.addressees_added += 1
    labels = set(
        report.recommendations.filter(kind=Recommendation.Kind.CONCERN).values_list("label", flat=True)
    )
    for concern in parsed.concerns:
        if concern.label in labels or (not concern.label and labels):
            continue
        Recommendation.objects.create(
            report=report,
            kind=Recommendation.Kind.CONCERN,
            label=concern.label,
            number=concern.number,
            text=concern.text,
        )
        labels.add(concern.label)
        result.concerns_added += 1
    return result


def _find_report(parsed):
    reports = Report.objects.filter(kind=Report.Kind.PFD)
    if parsed.reference:
        found = reports.filter(reference__iexact=parsed.reference).first()
        if found:
            return found
    if parsed.deceased and parsed.date_issued:
        person = _person_key(parsed.deceased)
        for report in reports.filter(date_issued=parsed.date_issued).only("id", "deceased"):
            if _person_key(report.deceased) == person:
                return Report.objects.get(pk=report.pk)
    return None
