"""The government side: response letters, the positions they state and the commitments they make."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from tracker import rules
from tracker.models import Department, Recommendation, Report, london_today
from tracker.validators import WebAddressModelField


class ResponseLetter(models.Model):
    class ReviewState(models.TextChoices):
        DRAFT = "draft", "Draft: awaiting an editor's review"
        CONFIRMED = "confirmed", "Confirmed by an editor"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded file"
        PASTE = "paste", "Pasted text"
        COMMAND = "command", "Bulk ingestion"
        SEED = "seed", "Seed data"

    date = models.DateField(
        null=True, blank=True, help_text="The letter's date; an editor may enter it by hand."
    )
    departments = models.ManyToManyField(Department, related_name="response_letters")
    addressed_to_name = models.CharField(max_length=200, blank=True)
    addressed_to_role = models.CharField(max_length=300, blank=True)
    reports = models.ManyToManyField(Report, related_name="response_letters", blank=True)
    recommendations = models.ManyToManyField(Recommendation, related_name="response_letters", blank=True)
    text = models.TextField(help_text="The letter's full text as extracted.")
    original_file = models.FileField(upload_to="letters/%Y/", blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the uploaded bytes.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    review_state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    extraction = models.JSONField(
        default=dict, blank=True, help_text="What the extractor proposed, for review."
    )
    draft = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The letter as reviewed (responses.reviewed.ReviewedLetter): what confirming it saves.",
    )
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ingested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Public pages hide drafts: "is this letter a draft" must cost nothing, and drafts are few.
            models.Index(fields=["review_state"], name="letter_draft_idx", condition=Q(review_state="draft")),
        ]

    def __str__(self):
        names = ", ".join(d.short_name for d in self.departments.all()) or "Unknown department"
        return f"{names} letter of {self.date:%-d %B %Y}" if self.date else f"{names} letter (undated)"

    def get_absolute_url(self):
        return reverse("letter_detail", args=[self.pk])


class Signatory(models.Model):
    letter = models.ForeignKey(ResponseLetter, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(max_length=200, blank=True, help_text="Blank when the letter redacts it.")
    role = models.CharField(max_length=300, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["letter", "order", "id"]
        verbose_name_plural = "signatories"

    def __str__(self):
        return ", ".join(part for part in (self.name, self.role) if part) or "Unnamed signatory"


class Position(models.Model):
    """The government's position on one recommendation, for one department, as a response states it."""

    class Stance(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        ACCEPTED_IN_PART = "accepted_in_part", "Accepted in part"
        ACCEPTED_IN_PRINCIPLE = "accepted_in_principle", "Accepted in principle"
        UNDER_CONSIDERATION = "under_consideration", "Under consideration"
        NOT_ACCEPTED = "not_accepted", "Not accepted"
        NOTED = "noted", "Noted"
        NOT_FOR_GOVERNMENT = "not_for_government", "Not for government"
        ALREADY_IN_PLACE = "already_in_place", "Already in place"
        NO_POSITION = "no_position", "No position stated"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="positions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="positions")
    stance = models.CharField(max_length=30, choices=Stance.choices, default=Stance.NO_POSITION)
    reason = models.TextField(blank=True, help_text="Required when not accepted.")
    quote = models.TextField(blank=True, help_text="The response's own words.")
    letter = models.ForeignKey(
        ResponseLetter, null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "department"], name="one_position_per_department"
            ),
            models.CheckConstraint(
                condition=~Q(stance="not_accepted") | ~Q(reason=""), name="not_accepted_needs_reason"
            ),
        ]

    def __str__(self):
        return f"{self.department.short_name}: {self.get_stance_display()}"


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Commitment.FINAL_STATUSES)

    def final(self):
        return self.filter(status__in=Commitment.FINAL_STATUSES)

    def overdue(self, on=None):
        """rules.is_overdue as a filter: open and the last due day before `on`."""
        return self.open().filter(due_latest__lt=on or london_today())

    def due_between(self, start, end):
        return self.open().filter(due_latest__gte=start, due_latest__lte=end)

    def due_soon(self, on=None):
        """rules.is_due_soon as a filter."""
        return self.due_between(*rules.due_soon_window(on or london_today()))

    def undated(self):
        return self.filter(due_latest__isnull=True)


# Meta's constraints and index conditions cannot see Commitment's own attributes: they use the rules' values.
FINAL_STATUS_VALUES = rules.FINAL_STATUSES
STATUS_VALUES_NEEDING_REASON = rules.STATUSES_NEEDING_REASON


class Commitment(models.Model):
    """One promise of a future action or output, made in one letter and owned by one department."""

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        SEASON = "season", "Season"
        QUARTER = "quarter", "Quarter"
        HALF = "half", "Half year"
        YEAR = "year", "Year"
        FINANCIAL_YEAR = "financial_year", "Financial year"
        VAGUE = "vague", "Vague (no date)"
        NONE = "none", "Undated"

    class Status(models.TextChoices):
        NOT_YET_ASSESSED = "not_yet_assessed", "Not yet assessed"
        IN_PROGRESS = "in_progress", "In progress"
        DELAYED = "delayed", "Delayed"
        DELIVERED = "delivered", "Delivered"
        DELIVERED_LATE = "delivered_late", "Delivered late"
        PARTLY_DELIVERED = "partly_delivered", "Partly delivered"
        NOT_DELIVERED = "not_delivered", "Not delivered"
        SUPERSEDED = "superseded", "Superseded"
        NO_LONGER_APPLICABLE = "no_longer_applicable", "No longer applicable"

    class EvidenceState(models.TextChoices):
        NO_CLAIM = "no_claim", "No delivery claimed"
        SELF_REPORTED = "self_reported", "Self-reported"
        EVIDENCE_LINKED = "evidence_linked", "Evidence linked"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"

    # The rules' values as members of Status (tracker.rules spells them; Status(value) fails on a typo).
    FINAL_STATUSES = tuple(map(Status, rules.FINAL_STATUSES))
    STATUSES_NEEDING_REASON = tuple(map(Status, rules.STATUSES_NEEDING_REASON))
    DELIVERED_STATUSES = tuple(map(Status, rules.DELIVERED_STATUSES))

    letter = models.ForeignKey(ResponseLetter, on_delete=models.CASCADE, related_name="commitments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="commitments")
    recommendations = models.ManyToManyField(Recommendation, related_name="commitments", blank=True)
    text = models.TextField(help_text="The promise, quoted from the letter.")
    text_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset of the quote in the letter."
    )
    text_end = models.PositiveIntegerField(null=True, blank=True)
    time_phrase = models.CharField(max_length=300, blank=True, help_text="Verbatim, e.g. 'by Autumn 2021'.")
    due_earliest = models.DateField(null=True, blank=True)
    due_latest = models.DateField(null=True, blank=True, help_text="The last day by which it is due.")
    precision = models.CharField(max_length=20, choices=Precision.choices, default=Precision.NONE)
    # The due date as first promised; revisions are CommitmentEvent rows and never overwrite these.
    original_due_earliest = models.DateField(null=True, blank=True)
    original_due_latest = models.DateField(null=True, blank=True)
    original_time_phrase = models.CharField(max_length=300, blank=True)

    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NOT_YET_ASSESSED)
    status_reason = models.TextField(blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    evidence_state = models.CharField(
        max_length=20, choices=EvidenceState.choices, default=EvidenceState.NO_CLAIM
    )
    evidence_url = WebAddressModelField(max_length=500, blank=True)

    is_overdue = models.BooleanField(default=False, help_text="Set by the overdue sweep.")
    overdue_since = models.DateField(null=True, blank=True, help_text="The first day it was overdue.")

    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change; refuses stale edits.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = [F("due_latest").asc(nulls_last=True), "id"]
        permissions = [("assess_evidence", "Can mark a delivery claim verified or disputed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_earliest__isnull=True)
                | Q(due_latest__isnull=True)
                | Q(due_earliest__lte=F("due_latest")),
                name="due_earliest_not_after_due_latest",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=list(STATUS_VALUES_NEEDING_REASON)) | ~Q(status_reason=""),
                name="closing_status_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_latest"], name="commitment_status_due_idx"),
            # The list's default order (Meta.ordering), so a page of it is read in index order. PostgreSQL
            # sorts an ascending index NULLS LAST already; SQLite (quick start) rejects NULLS LAST in an index.
            models.Index(fields=["due_latest", "id"], name="commitment_due_order_idx"),
            # Open commitments by due date (oldest overdue, due-month chart), with the letter for the
            # reports' "has overdue" semi-join, read from the index alone.
            models.Index(
                fields=["due_latest", "letter"],
                name="commitment_open_due_idx",
                condition=~Q(status__in=list(FINAL_STATUS_VALUES)),
            ),
            # A department's open commitments by due date (its overdue list and count); the letter, so that
            # leaving out draft letters' commitments needs no table read.
            models.Index(
                fields=["department", "due_latest", "letter"],
                name="commitment_open_dept_due_idx",
                condition=~Q(status__in=list(FINAL_STATUS_VALUES)),
            ),
            # Dashboard and scorecard counts by (department, status, date), read from the index alone; the
            # letter is there so that leaving out draft letters' commitments needs no table read either.
            # Replaces (department, status).
            models.Index(
                fields=["department", "status", "due_latest", "letter"],
                name="commitment_dept_status_due_idx",
            ),
            # The daily sweep looks only at open, dated commitments not yet flagged.
            models.Index(
                fields=["due_latest"],
                name="commitment_sweep_idx",
                condition=Q(is_overdue=False, due_latest__isnull=False)
                & ~Q(status__in=list(FINAL_STATUS_VALUES)),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    # Written only by the overdue sweep (tracker.overdue), never by a save of a form read before it ran.
    SWEEP_FIELDS = ("is_overdue", "overdue_since")

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.original_due_earliest = self.original_due_earliest or self.due_earliest
            self.original_due_latest = self.original_due_latest or self.due_latest
            self.original_time_phrase = self.original_time_phrase or self.time_phrase
        elif kwargs.get("update_fields") is None:
            # An object read before the sweep ran would write back its stale flag (issue 12, failure 9).
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.SWEEP_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("commitment_detail", args=[self.pk])

    # The letter it was read with: moving it to another letter (admin) refreshes both letters' reports.
    loaded_letter_id = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.loaded_letter_id = instance.__dict__.get("letter_id")
        return instance

    # Domain rules

    @property
    def is_final(self):
        return not rules.is_open(self.status)

    def is_overdue_on(self, on=None):
        return rules.is_overdue(self.status, self.due_latest, on or london_today())

    def days_overdue(self, on=None):
        return rules.days_overdue(self.status, self.due_latest, on or london_today())

    def is_due_soon_on(self, on=None):
        return rules.is_due_soon(self.status, self.due_latest, on or london_today())

    @property
    def was_delivered_late(self):
        return bool(self.delivered_on and self.due_latest and self.delivered_on > self.due_latest)

    @property
    def due_date_revised(self):
        return self.due_latest != self.original_due_latest

    @transaction.atomic
    def change_status(
        self, new_status, *, by, note="", evidence_url="", delivered_on=None, reason="", expected_version=None
    ):
        """Record a delivery status change as an event. Raises StaleCommitment if someone saved first."""
        new_status = self.Status(new_status)
        if new_status in self.STATUSES_NEEDING_REASON and not reason.strip():
            raise ValueError(f"'{new_status.label}' needs a reason.")
        if new_status in (self.Status.DELIVERED, self.Status.DELIVERED_LATE):
            if not delivered_on:
                raise ValueError("Say when it was delivered.")
            late = self.due_latest is not None and delivered_on > self.due_latest
            new_status = self.Status.DELIVERED_LATE if late else self.Status.DELIVERED
        old_status = self.status
        self.status = new_status
        self.status_reason = reason.strip() if new_status in self.STATUSES_NEEDING_REASON else ""
        self.delivered_on = delivered_on if new_status in self.DELIVERED_STATUSES else None
        if evidence_url:
            self.evidence_url = evidence_url
        if new_status in self.DELIVERED_STATUSES:
            self.evidence_state = (
                self.EvidenceState.EVIDENCE_LINKED if self.evidence_url else self.EvidenceState.SELF_REPORTED
            )
        self._save_new_version(
            expected_version, "status", "status_reason", "delivered_on", "evidence_url", "evidence_state"
        )
        self._refresh_report_due_dates()
        return self.events.create(
            kind=CommitmentEvent.Kind.STATUS_CHANGED,
            by=by,
            old_status=old_status,
            new_status=new_status,
            note=note or reason,
            evidence_url=evidence_url,
        )

    @transaction.atomic
    def revise_due_date(
        self, *, due_latest, due_earliest=None, time_phrase=None, by, reason, expected_version=None
    ):
        """Move the due date, keeping the original; only with a reason."""
        if not reason or not reason.strip():
            raise ValueError("A revised due date needs a reason.")
        if due_earliest and due_latest and due_earliest > due_latest:
            raise ValueError("The earliest date is after the latest.")
        old_latest = self.due_latest
        self.due_latest = due_latest
        self.due_earliest = due_earliest
        if time_phrase is not None:
            self.time_phrase = time_phrase
        if due_latest:
            self.precision = self.Precision.DAY if not due_earliest else self.precision
        self._save_new_version(expected_version, "due_latest", "due_earliest", "time_phrase", "precision")
        self._refresh_report_due_dates()
        return self.events.create(
            kind=CommitmentEvent.Kind.DUE_DATE_REVISED,
            by=by,
            old_due_latest=old_latest,
            new_due_latest=due_latest,
            note=reason.strip(),
        )

    @transaction.atomic
    def assess_evidence(self, evidence_state, *, by, note="", expected_version=None):
        """A clerk marks a delivery claim verified or disputed."""
        evidence_state = self.EvidenceState(evidence_state)
        if evidence_state not in (self.EvidenceState.VERIFIED, self.EvidenceState.DISPUTED):
            raise ValueError("Only 'verified' or 'disputed' can be assessed.")
        old = self.evidence_state
        self.evidence_state = evidence_state
        self._save_new_version(expected_version, "evidence_state")
        return self.events.create(
            kind=CommitmentEvent.Kind.EVIDENCE_ASSESSED,
            by=by,
            old_evidence_state=old,
            new_evidence_state=evidence_state,
            note=note,
        )

    def _save_new_version(self, expected_version, *changed):
        """Optimistic locking: a conditional UPDATE so a stale form never silently overwrites a newer save.

        Writes only the fields the change is about (`changed`), the version and updated_at: never the overdue
        flag, which the sweep sets without a new version (it changes no one's edit), so an edit read before the
        sweep and saved after it cannot clear the flag the sweep set meanwhile (issue 12, failure 9). The sweep
        unflags a commitment closed or re-dated by an edit on its next run, with its event.
        """
        expected = self.version if expected_version is None else int(expected_version)
        self.version = expected + 1
        self.updated_at = timezone.now()
        fields = {name: getattr(self, name) for name in (*changed, "version", "updated_at")}
        updated = Commitment.objects.filter(pk=self.pk, version=expected).update(**fields)
        if not updated:
            raise StaleCommitment("Someone else changed this commitment after you opened it.")

    def _refresh_report_due_dates(self):
        # _save_new_version's UPDATE sends no post_save signal. Imported here: report_due_dates imports models.
        from responses import report_due_dates

        report_due_dates.refresh_for_letters({self.letter_id})


class StaleCommitment(Exception):
    pass


class CommitmentEvent(models.Model):
    """A change to a commitment, kept as a row: who, when, old and new, a note and an evidence link."""

    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", "Status changed"
        DUE_DATE_REVISED = "due_date_revised", "Due date revised"
        EVIDENCE_ASSESSED = "evidence_assessed", "Evidence assessed"
        FLAGGED_OVERDUE = "flagged_overdue", "Became overdue"
        UNFLAGGED_OVERDUE = "unflagged_overdue", "No longer overdue"
        NOTE = "note", "Note"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_status = models.CharField(max_length=30, choices=Commitment.Status.choices, blank=True)
    new_status = models.CharField(max_length=30, choices=Commitment.Status.choices, blank=True)
    old_due_latest = models.DateField(null=True, blank=True)
    new_due_latest = models.DateField(null=True, blank=True)
    old_evidence_state = models.CharField(max_length=20, choices=Commitment.EvidenceState.choices, blank=True)
    new_evidence_state = models.CharField(max_length=20, choices=Commitment.EvidenceState.choices, blank=True)
    note = models.TextField(blank=True, help_text="Internal: shown only to signed-in users.")
    evidence_url = WebAddressModelField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "created_at"], name="commitment_event_kind_idx")]
        constraints = [
            # At most one "became overdue" per overdue spell. A spell is known by the due date it ran from
            # (the sweep records it in new_due_latest): re-dated to another past date, it is the same spell;
            # re-dated into the future and passed again, a new one. The sweep inserts with ON CONFLICT DO
            # NOTHING, so a flag lost to any write around the models never makes a second event.
            models.UniqueConstraint(
                fields=["commitment", "new_due_latest"],
                condition=Q(kind="flagged_overdue"),
                name="one_became_overdue_per_spell",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def became_overdue_on(self):
        """For a "became overdue" event: the day the rule says it became overdue (not when the sweep noticed)."""
        if self.kind != self.Kind.FLAGGED_OVERDUE:
            return None
        return rules.overdue_from(self.new_due_latest)


class LetterUpload(models.Model):
    """A file (or pasted text) handed over to be read: where the reading has got to, and the draft it became.

    The web request only stores the bytes and queues the reading task (responses.tasks), so a long read (a
    scan's OCR) never holds a web worker; the editor watches this row on its status page. Nothing reaches the
    tracker's records until the reading succeeds: a failure keeps only this row, with the reason.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be read"
        READING = "reading", "Reading the file"
        OCR = "ocr", "Reading scanned pages with OCR"
        EXTRACTING = "extracting", "Finding the date, departments, reports and commitments"
        READY = "ready", "Read: ready for review"
        FAILED = "failed", "Could not be read"

    FINISHED = (State.READY, State.FAILED)

    file = models.FileField(upload_to="uploads/%Y/", blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    pasted_text = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the uploaded bytes.")
    source = models.CharField(
        max_length=10, choices=ResponseLetter.Source.choices, default=ResponseLetter.Source.UPLOAD
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    pages_done = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text="Why the file could not be read.")
    error_code = models.CharField(max_length=32, blank=True)
    letter = models.ForeignKey(
        ResponseLetter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
        help_text="The draft it became, or the letter already in the tracker with the same file.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "reading", "ocr", "extracting", "ready", "failed"]),
                name="letter_upload_state_valid",
            ),
            # The same bytes are read once at a time: a second upload while the first is under way is
            # shown the first one's progress.
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(state__in=["ready", "failed"]),
                name="one_reading_per_file",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(message=""), name="failed_upload_says_why"
            ),
        ]

    def __str__(self):
        return f"{self.original_filename or 'Pasted text'} ({self.get_state_display().lower()})"

    @property
    def is_finished(self):
        return self.state in self.FINISHED

    def is_stalled(self, now=None, *, after_seconds=None):
        """Unfinished and untouched for longer than a reading may last: its worker died mid-way."""
        if self.is_finished:
            return False
        after = after_seconds if after_seconds is not None else settings.LETTER_READING_STALLED_AFTER_SECONDS
        return (now or timezone.now()) - self.updated_at > timedelta(seconds=after)
