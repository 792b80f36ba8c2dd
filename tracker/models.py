"""The scrutiny side: departments, the reports sent to them, and what those reports recommend.

Four things are kept apart on purpose (trackers that folded them into one status had to split them):
whether each addressee has responded (Addressee), the government's position on each recommendation
(responses.Position), the delivery of each dated commitment (responses.Commitment.status) and whether a
claimed delivery is backed by evidence (responses.Commitment.evidence_state).
"""

import re

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tracker import rules


def london_today():
    """Today's date in the service's time zone (Europe/London), not UTC."""
    return timezone.localdate()


def normalise_name(name):
    """A spelling-insensitive key for department names: 'Department of Health & Social Care' ~ 'department
    of health and social care'."""
    name = (name or "").lower().replace("&", " and ").replace("’", "'")
    name = re.sub(r"^the\s+", "", name.strip())
    return " ".join(re.findall(r"[a-z0-9']+", name))


class DepartmentQuerySet(models.QuerySet):
    def alias_table(self):
        """{normalised spelling: department} for every name, short name and alias; one query."""
        table = {}
        for department in self:
            for spelling in department.all_names():
                table.setdefault(normalise_name(spelling), department)
        return table

    def resolve(self, spelling):
        """The department a letter means by `spelling`, or None."""
        return self.alias_table().get(normalise_name(spelling))


class Department(models.Model):
    class Kind(models.TextChoices):
        MINISTERIAL = "ministerial", "Ministerial department"
        NON_MINISTERIAL = "non_ministerial", "Non-ministerial department"
        PUBLIC_BODY = "public_body", "Agency or public body"

    name = models.CharField(max_length=200, unique=True, help_text="Canonical name, e.g. Home Office.")
    short_name = models.CharField(max_length=30, help_text="HO, DHSC, DfE, MoJ ...")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MINISTERIAL)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings letters use, e.g. 'Department of Health & Social Care'.",
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="departments",
        blank=True,
        help_text="Policy officials who may update this department's commitments.",
    )
    senior_contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="escalation_departments",
        blank=True,
        help_text="Receive, in their digest, items overdue for longer than the escalation threshold.",
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name.replace("&", "and"))[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("department_detail", args=[self.slug])

    def all_names(self):
        return [self.name, self.short_name, *(self.aliases or [])]


class ReportQuerySet(models.QuerySet):
    def matching(self, *, deceased=None, title=None):
        """Existing reports an extracted reference may mean: by deceased's name (PFD) or by title."""
        conditions = Q()
        if deceased:
            conditions |= Q(deceased__iexact=deceased.strip())
        if title:
            conditions |= Q(title__iexact=title.strip())
        if not conditions:
            return self.none()
        return self.filter(conditions)

    def with_overdue_commitments(self, on=None):
        """Reports answered by a confirmed letter with a commitment still open after its due date."""
        return self.filter(earliest_open_due__lt=on or london_today())


class Report(models.Model):
    """A source of scrutiny: a coroner's PFD report, a national review, an inquiry, a committee report or letter."""

    class Kind(models.TextChoices):
        PFD = "pfd", "Prevention of Future Deaths report (Regulation 28)"
        NATIONAL_REVIEW = "national_review", "National review"
        INQUIRY = "inquiry", "Public or independent inquiry"
        COMMITTEE = "committee", "Select committee report or letter"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, unique=True)
    issuing_body = models.CharField(
        max_length=300, blank=True, help_text="Coroner's area, review panel, inquiry or committee."
    )
    author = models.CharField(
        max_length=200, blank=True, help_text="Coroner, panel chair or committee chair."
    )
    author_role = models.CharField(max_length=200, blank=True)
    date_issued = models.DateField(null=True, blank=True)
    stated_response_deadline = models.DateField(
        null=True, blank=True, help_text="The response date the report itself states, if any."
    )
    deceased = models.CharField(max_length=200, blank=True, help_text="For PFD reports: the person who died.")
    reference = models.CharField(max_length=100, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    recipients = models.ManyToManyField(Department, through="Addressee", related_name="reports", blank=True)
    # Derived, never typed in: kept by responses/report_due_dates.py whenever commitments, letters or their
    # links change, and checked by a weekly task. Overdue on a day D means earliest_open_due < D.
    earliest_open_due = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The earliest due date of an open commitment in its confirmed response letters.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-date_issued", "title"]
        indexes = [
            models.Index(fields=["kind", "date_issued"]),
            # The reports list's default order, read in index order a page at a time.
            models.Index(fields=["-date_issued", "title"], name="report_issued_order_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Never write back the derived date as it was when this object was read (an admin form kept open
            # while a commitment changed would undo the change): only responses/report_due_dates.py writes it.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "earliest_open_due"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("report_detail", args=[self.slug])

    def unique_slug(self):
        base = slugify(self.title)[:180] or "report"
        slug, n = base, 1
        while Report.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def default_response_deadline(self):
        """When an addressee must answer, by the rules for this kind of report (None: no statutory deadline)."""
        return rules.response_deadline(self.kind, self.date_issued, self.stated_response_deadline)


class AddresseeQuerySet(models.QuerySet):
    def awaiting_response(self):
        return self.filter(response_required=True, response_received_on__isnull=True)

    def missing_response(self, on):
        """Addressees whose deadline (with any extension) passed on `on` with no response identified."""
        return self.awaiting_response().filter(response_due__lt=on)


class Addressee(models.Model):
    """A report sent to one department; each addressee answers (or not) on its own."""

    class ResponseState(models.TextChoices):
        NOT_YET_DUE = "not_yet_due", "Not yet due"
        NO_RESPONSE_IDENTIFIED = "no_response_identified", "No response identified"
        NON_RESPONSE_CONFIRMED = "non_response_confirmed", "Non-response confirmed"
        RECEIVED_ON_TIME = "received_on_time", "Received on time"
        RECEIVED_LATE = "received_late", "Received late"
        INTERIM_REPLY = "interim_reply", "Interim reply"
        NOT_REQUIRED = "not_required", "Not required"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="addressees")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="addressees")
    response_required = models.BooleanField(default=True)
    # response_due is the deadline in force: the kind's default, or the latest extension. Stored so the
    # overdue sweep can compare it in SQL; grant_extension() is the only way it moves after creation.
    original_response_due = models.DateField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    response_received_on = models.DateField(null=True, blank=True)
    response_letter = models.ForeignKey(
        "responses.ResponseLetter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interim_reply_on = models.DateField(null=True, blank=True)
    missing_since = models.DateField(
        null=True,
        blank=True,
        help_text="Set by the overdue sweep: the deadline passed with no response identified.",
    )
    non_response_confirmed_at = models.DateTimeField(null=True, blank=True)
    non_response_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AddresseeQuerySet.as_manager()

    class Meta:
        ordering = ["report", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "department"], name="one_addressee_per_department")
        ]
        indexes = [
            # The sweep's query: still awaited, with a deadline.
            models.Index(
                fields=["response_due"],
                name="addressee_awaiting_idx",
                condition=Q(response_required=True, response_received_on__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.report} → {self.department.short_name}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.response_due is None:
            self.response_due = self.report.default_response_deadline()
        if self.original_response_due is None:
            self.original_response_due = self.response_due
        super().save(*args, **kwargs)

    def response_state(self, on=None):
        on = on or london_today()
        if not self.response_required:
            return self.ResponseState.NOT_REQUIRED
        if self.response_received_on:
            if self.response_due and self.response_received_on > self.response_due:
                return self.ResponseState.RECEIVED_LATE
            return self.ResponseState.RECEIVED_ON_TIME
        if self.interim_reply_on:
            return self.ResponseState.INTERIM_REPLY
        if self.response_due and on > self.response_due:
            if self.non_response_confirmed_at:
                return self.ResponseState.NON_RESPONSE_CONFIRMED
            return self.ResponseState.NO_RESPONSE_IDENTIFIED
        return self.ResponseState.NOT_YET_DUE

    def days_late(self, on=None):
        """Days past the deadline: of the response if received, else up to `on`; 0 when not late."""
        if not self.response_due or not self.response_required:
            return 0
        end = self.response_received_on or (on or london_today())
        return max(0, (end - self.response_due).days)

    @transaction.atomic
    def grant_extension(self, new_deadline, *, granted_on=None, reason, by=None):
        if not reason or not reason.strip():
            raise ValueError("An extension needs a reason.")
        old = self.response_due
        self.response_due = new_deadline
        if self.missing_since and new_deadline >= (granted_on or london_today()):
            self.missing_since = None
        self.save(update_fields=["response_due", "missing_since"])
        return AddresseeEvent.objects.create(
            addressee=self,
            kind=AddresseeEvent.Kind.EXTENSION_GRANTED,
            happened_on=granted_on or london_today(),
            old_deadline=old,
            new_deadline=new_deadline,
            note=reason.strip(),
            by=by,
        )

    @transaction.atomic
    def record_response(self, received_on, *, letter=None, by=None):
        self.response_received_on = received_on
        self.response_letter = letter
        self.missing_since = None
        self.save(update_fields=["response_received_on", "response_letter", "missing_since"])
        return AddresseeEvent.objects.create(
            addressee=self,
            kind=AddresseeEvent.Kind.RESPONSE_RECORDED,
            happened_on=received_on,
            old_deadline=self.response_due,
            new_deadline=self.response_due,
            by=by,
        )

    @transaction.atomic
    def confirm_non_response(self, *, by, note=""):
        """An editor confirms that no response exists (not just that none was identified)."""
        self.non_response_confirmed_at = timezone.now()
        self.non_response_confirmed_by = by
        self.save(update_fields=["non_response_confirmed_at", "non_response_confirmed_by"])
        return AddresseeEvent.objects.create(
            addressee=self,
            kind=AddresseeEvent.Kind.NON_RESPONSE_CONFIRMED,
            happened_on=london_today(),
            note=note,
            by=by,
        )


class AddresseeEvent(models.Model):
    """Something that happened to an addressee's response deadline, kept as a row (never overwritten)."""

    class Kind(models.TextChoices):
        EXTENSION_GRANTED = "extension_granted", "Extension granted"
        RESPONSE_RECORDED = "response_recorded", "Response recorded"
        FLAGGED_MISSING = "flagged_missing", "No response identified by the deadline"
        UNFLAGGED_MISSING = "unflagged_missing", "No longer missing"
        NON_RESPONSE_CONFIRMED = "non_response_confirmed", "Non-response confirmed by an editor"

    addressee = models.ForeignKey(Addressee, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    happened_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    old_deadline = models.DateField(null=True, blank=True)
    new_deadline = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["kind", "recorded_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.happened_on})"


class Recommendation(models.Model):
    """A matter of concern or a recommendation, numbered as the report numbers it."""

    class Kind(models.TextChoices):
        CONCERN = "concern", "Matter of concern"
        RECOMMENDATION = "recommendation", "Recommendation"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
    label = models.CharField(
        max_length=30, blank=True, help_text="As the report numbers it: '3', '5', 'R4' ..."
    )
    number = models.PositiveIntegerField(null=True, blank=True, help_text="The label's number, for ordering.")
    text = models.TextField()
    departments = models.ManyToManyField(Department, related_name="recommendations", blank=True)

    class Meta:
        ordering = ["report", F("number").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "label"], condition=~Q(label=""), name="unique_recommendation_label"
            )
        ]

    def __str__(self):
        prefix = self.get_kind_display()
        return f"{prefix} {self.label}: {self.text[:60]}" if self.label else f"{prefix}: {self.text[:60]}"


class DigestSubscription(models.Model):
    """What a user wants in their weekly overdue-commitment digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    departments = models.ManyToManyField(Department, related_name="digest_subscriptions", blank=True)
    reports = models.ManyToManyField(Report, related_name="digest_subscriptions", blank=True)
    follow_everything = models.BooleanField(
        default=False, help_text="Administrators: every department and report."
    )
    send_when_empty = models.BooleanField(default=False, help_text="Send a 'nothing to report' email.")
    active = models.BooleanField(default=True)

    def __str__(self):
        return f"Digest for {self.user}"


class DigestDelivery(models.Model):
    """One subscriber's digest for one ISO week: claimed before sending, so it goes out at most once.

    The unique (subscription, week) row is the claim; every state change is a conditional UPDATE, so a
    second run of the weekly task, or a retried task, finds the row already claimed or sent and does nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will be retried)"
        NOTHING_TO_REPORT = "nothing_to_report", "Nothing to report (not sent)"

    subscription = models.ForeignKey(DigestSubscription, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8, help_text="ISO week, e.g. 2025-W08.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    claim = models.UUIDField(null=True, blank=True, help_text="Which attempt holds the row while sending.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "subscription"]
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "week"], name="one_digest_per_subscription_per_week"
            ),
            models.CheckConstraint(
                condition=Q(week__regex=r"^[0-9]{4}-W[0-9]{2}$"), name="digest_week_is_iso_week"
            ),
        ]

    def __str__(self):
        return f"{self.week} digest for {self.user} ({self.get_status_display()})"
