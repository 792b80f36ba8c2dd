"""The scrutiny side: departments, the reports sent to them, and what those reports recommend.

Four things are kept apart on purpose (trackers that folded them into one status had to split them):
whether each addressee has responded (Addressee), the government's position on each recommendation
(responses.Position), the delivery of each dated commitment (responses.Commitment.status) and whether a
claimed delivery is backed by evidence (responses.Commitment.evidence_state).
"""

import datetime
import re

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Case, F, JSONField, Q, Value, When
from django.db.models.functions import Least
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tracker import rules
from tracker.validators import WebAddressModelField

# A deadline that never passes: an addressee still to respond with no deadline keeps its report pending.
WAITING_FOR_EVER = datetime.date(9999, 12, 31)


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
    def government(self):
        """UK government: ministerial and non-ministerial departments and their agencies and public bodies."""
        return self.filter(kind__in=Department.GOVERNMENT_KINDS)

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
    """A government department or body, or (for the PFD corpus) any organisation a report is sent to.

    Coroners send their reports to NHS trusts, police forces, councils and companies as much as to departments:
    each is an organisation of its kind here. A government body points to its department (`parent`: HMPPS to
    the Ministry of Justice, NHS England to DHSC), so a department sees what was sent to its bodies too.
    """

    class Kind(models.TextChoices):
        MINISTERIAL = "ministerial", "Ministerial department"
        NON_MINISTERIAL = "non_ministerial", "Non-ministerial department"
        PUBLIC_BODY = "public_body", "Agency or public body"
        # Outside UK government: the other organisations coroners report to.
        DEVOLVED = "devolved", "Devolved government or parliament"
        NHS = "nhs", "NHS trust, health board or other NHS body"
        POLICE = "police", "Police force"
        FIRE_RESCUE = "fire_rescue", "Fire and rescue service"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        PROFESSIONAL = "professional", "Royal college, professional or regulatory body"
        CARE_PROVIDER = "care_provider", "Care home, GP practice, pharmacy or other care provider"
        EDUCATION = "education", "School, college or university"
        COMPANY = "company", "Company"
        CHARITY = "charity", "Charity or voluntary organisation"
        OTHER = "other", "Other organisation"

    GOVERNMENT_KINDS = (Kind.MINISTERIAL, Kind.NON_MINISTERIAL, Kind.PUBLIC_BODY)

    name = models.CharField(max_length=200, unique=True, help_text="Canonical name, e.g. Home Office.")
    short_name = models.CharField(max_length=30, help_text="HO, DHSC, DfE, MoJ ...")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MINISTERIAL)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text="For a government body: the department it belongs to or is sponsored by.",
    )
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

    @property
    def is_government(self):
        return self.kind in self.GOVERNMENT_KINDS

    def with_bodies_ids(self):
        """Its id and those of every body under it, at any depth (a department sees its agencies' reports)."""
        children = {}
        for pk, parent in Department.objects.filter(parent__isnull=False).values_list("id", "parent_id"):
            children.setdefault(parent, []).append(pk)
        found, todo = [], [self.pk]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.append(pk)
                todo.extend(children.get(pk, []))
        return found


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

    def with_pfd_category(self, on=None):
        """Each report's category as the Preventable Deaths Tracker counts them (tracker.pfd.statuses), on day
        `on`, as `pfd_category` (None for a report no addressee must answer): a comparison of the stored clock
        columns, so a list can filter on it."""
        on = on or london_today()
        answered = Least(F("pfd_addressees"), F("pfd_responded") + F("pfd_unattributed"))
        return self.annotate(
            pfd_category=Case(
                When(pfd_addressees=0, then=Value(None)),
                When(Q(pfd_addressees__lte=answered), then=Value("completed")),
                When(Q(pfd_responded__gt=0) | Q(pfd_unattributed__gt=0), then=Value("partial")),
                # Some addressee still to answer has a deadline not yet passed (rules.deadline_passed).
                When(deadline_passed_q("pfd_waiting_until", on, passed=False), then=Value("pending")),
                default=Value("overdue"),
                output_field=models.CharField(),
            )
        )

    def refresh_pfd_clocks(self):
        """Recount the stored clock of these reports from their addressees and published responses (one UPDATE).
        A waiting addressee with no deadline counts as waiting for ever (the report stays pending)."""
        ids = list(self.values_list("pk", flat=True))
        # Who counts, by tracker.rules' response clock (none of these depends on the day).
        must_answer, _ = rules.sql_response_clock(
            [rules.ANSWERED, rules.OVERDUE, rules.AWAITING], prefix="a."
        )
        answered, _ = rules.sql_response_clock([rules.ANSWERED], prefix="a.")
        still_to_answer, _ = rules.sql_response_clock([rules.OVERDUE, rules.AWAITING], prefix="a.")
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    UPDATE tracker_report SET
                        pfd_addressees = (SELECT count(*) FROM tracker_addressee a
                            WHERE a.report_id = tracker_report.id AND {must_answer}),
                        pfd_responded = (SELECT count(*) FROM tracker_addressee a
                            WHERE a.report_id = tracker_report.id AND {answered}),
                        pfd_unattributed = (SELECT count(*) FROM tracker_publishedresponse p
                            WHERE p.report_id = tracker_report.id AND p.attribution = %s)
                            + (CASE WHEN coalesce(published_response_count, 0) > (SELECT count(*)
                                FROM tracker_publishedresponse p WHERE p.report_id = tracker_report.id)
                              THEN coalesce(published_response_count, 0) - (SELECT count(*)
                                FROM tracker_publishedresponse p WHERE p.report_id = tracker_report.id)
                              ELSE 0 END),
                        pfd_waiting_until = (SELECT max(coalesce(a.response_due, %s)) FROM tracker_addressee a
                            WHERE a.report_id = tracker_report.id AND {still_to_answer})
                    WHERE id IN ({", ".join(["%s"] * len(chunk))})
                    """,
                    [PublishedResponse.Attribution.NONE.value, WAITING_FOR_EVER, *chunk],
                )
        return len(ids)

    def pfd_clocks_drifted(self):
        """Reports whose stored clock differs from a recount (only writes around the models can cause it)."""
        stored = {
            r[0]: r[1:]
            for r in self.values_list(
                "pk", "pfd_addressees", "pfd_responded", "pfd_unattributed", "pfd_waiting_until"
            )
        }
        with transaction.atomic():
            self.refresh_pfd_clocks()
            recount = {
                r[0]: r[1:]
                for r in self.values_list(
                    "pk", "pfd_addressees", "pfd_responded", "pfd_unattributed", "pfd_waiting_until"
                )
            }
            transaction.set_rollback(True)
        return sorted(pk for pk, values in stored.items() if recount.get(pk) != values)

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
    source_url = WebAddressModelField(
        max_length=500,
        blank=True,
        help_text="For PFD reports: its page on judiciary.uk, which identifies it.",
    )
    # The PFD fields have database defaults too: raw SQL writers (generate_demo_data's COPY) need not name them.
    pdf_url = WebAddressModelField(
        max_length=500, blank=True, db_default="", help_text="The report's own document, if published."
    )
    categories = models.ManyToManyField(
        "ReportCategory", related_name="reports", blank=True, help_text="The Chief Coroner's categories."
    )
    # What the Preventable Deaths Tracker published about a PFD report on one day: the number of responses it
    # found and its verdict. Kept to compare with ours (docs/pfd-statuses.md), never used as our own verdict.
    published_response_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Responses published on judiciary.uk, as last counted by an import."
    )
    published_response_count_on = models.DateField(null=True, blank=True)
    pdt_status = models.CharField(
        max_length=20,
        blank=True,
        db_default="",
        help_text="The Preventable Deaths Tracker's status on pdt_status_on.",
    )
    pdt_status_on = models.DateField(null=True, blank=True)
    # The PFD clock of the report, derived, never typed in: kept by Report.objects.refresh_pfd_clocks() whenever
    # an addressee or a published response changes (tracker/signals.py, the importer), checked weekly. The
    # category of a day is then a comparison of columns (with_pfd_category), not a count per report.
    pfd_addressees = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    pfd_responded = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    pfd_unattributed = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    pfd_waiting_until = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The latest deadline of an addressee still to respond.",
    )
    # {source format: hash of the row last imported}: an unchanged row is skipped without a write.
    import_fingerprints = models.JSONField(
        default=dict, db_default=Value({}, JSONField()), blank=True, editable=False
    )
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
        constraints = [
            # A PFD report is identified by its page on judiciary.uk (its reference is not unique: a few
            # references were given to two reports).
            models.UniqueConstraint(
                fields=["source_url"],
                condition=Q(kind="pfd") & ~Q(source_url=""),
                name="one_pfd_report_per_url",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "date_issued"]),
            models.Index(fields=["issuing_body"], name="report_issuing_body_idx"),
            models.Index(fields=["reference"], name="report_reference_idx"),
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


class ReportCategory(models.Model):
    """A category the Chief Coroner files PFD reports under, e.g. 'Suicide (from 2015)'."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "report categories"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200] or "category"
        super().save(*args, **kwargs)


def deadline_passed_q(column, on, passed=True):
    """rules.deadline_passed as a Q object over a date column: `column` < `on` (a NULL deadline never passes)."""
    if passed:
        return Q(**{f"{column}__lt": on})
    return Q(**{f"{column}__isnull": True}) | Q(**{f"{column}__gte": on})


def _response_fact_q(on, prefix=""):
    """The facts of tracker.rules' response tables as Q objects over an addressee's columns (see
    rules.RESPONSE_CLOCK): each total and NULL-safe, as the rules' condition builders need."""
    f = {name: prefix + column for name, column in rules.RESPONSE_COLUMNS.items()}

    def fact(name, value):
        if name == "deadline_passed":
            if on is None:
                raise ValueError("This condition depends on the day: give `on`.")
            return deadline_passed_q(f["due"], on, value)
        if name == "received_after_deadline":
            after = Q(**{f"{f['received_on']}__gt": F(f["due"])})
            if value:
                return after
            return (
                Q(**{f"{f['due']}__isnull": True})
                | Q(**{f"{f['received_on']}__isnull": True})
                | Q(**{f"{f['received_on']}__lte": F(f["due"])})
            )
        if name in ("required", "date_known"):
            return Q(**{f[name]: value})
        column = {
            "received": "received_on",
            "interim_reply": "interim_on",
            "non_response_confirmed": "confirmed_at",
        }
        return Q(**{f"{f[column[name]]}__isnull": not value})

    return fact


def _q_all(terms):
    combined = Q()
    for term in terms:
        combined &= term
    return combined


def _q_any(terms):
    if not terms:
        return Q(pk__in=[])
    combined = terms[0]
    for term in terms[1:]:
        combined |= term
    return combined


Q_LOGIC = rules.Logic(all_of=_q_all, any_of=_q_any, negate=lambda q: ~q)


def response_clock_q(clocks, on=None, prefix=""):
    """Q: the addressee's clock on `on` is one of `clocks` (tracker.rules.RESPONSE_CLOCK)."""
    return rules.clock_condition(clocks, _response_fact_q(on, prefix), Q_LOGIC)


def response_state_q(states, on, prefix=""):
    """Q: the addressee's state on `on` is one of `states` (tracker.rules.RESPONSE_STATES)."""
    return rules.state_condition(states, _response_fact_q(on, prefix), Q_LOGIC)


class AddresseeQuerySet(models.QuerySet):
    """The response clock's filters: all built from tracker.rules' tables (never spelled here)."""

    def awaiting_response(self):
        """Still to respond (awaiting or overdue, whatever the day)."""
        return self.filter(response_clock_q([rules.AWAITING, rules.OVERDUE]))

    def missing_response(self, on):
        """Addressees whose deadline in force (with any extension) passed on `on` with no response identified."""
        return self.filter(response_clock_q([rules.OVERDUE], on))

    def in_clock(self, clocks, on):
        return self.filter(response_clock_q(clocks, on))

    def in_state(self, states, on):
        return self.filter(response_state_q(states, on))

    def of_organisations(self, department):
        """Sent to `department` or to any body under it (HMPPS and the prisons for the Ministry of Justice)."""
        return self.filter(department_id__in=department.with_bodies_ids())

    def with_clock(self, on):
        """`clock` on day `on`: 'answered' (a response identified), 'overdue' (the deadline in force passed
        without one), 'awaiting' (not yet due), or 'not_required'."""
        return self.annotate(
            clock=Case(
                *(When(response_clock_q([clock], on), then=Value(clock)) for clock in rules.CLOCKS),
                output_field=models.CharField(),
            )
        )

    def with_response_state(self, on):
        """`response_state` on day `on` (an Addressee.ResponseState value)."""
        return self.annotate(
            response_state=Case(
                *(When(response_state_q([state], on), then=Value(state)) for state in rules.STATES),
                output_field=models.CharField(),
            )
        )

    def with_unattributed_responses(self):
        """`unattributed_responses`: responses to the same report whose sender is not identified (published
        files not attributed, or more published than the files we hold); such an addressee may have answered.
        Read from the report's stored clock (Report.pfd_unattributed)."""
        return self.annotate(unattributed_responses=F("report__pfd_unattributed"))


CLOCK_AWAITING, CLOCK_OVERDUE, CLOCK_ANSWERED, CLOCK_NOT_REQUIRED = (
    rules.AWAITING,
    rules.OVERDUE,
    rules.ANSWERED,
    rules.NOT_REQUIRED,
)
CLOCK_LABELS = {
    CLOCK_AWAITING: "Awaiting (not yet due)",
    CLOCK_OVERDUE: "Overdue (no response identified)",
    CLOCK_ANSWERED: "Answered",
    CLOCK_NOT_REQUIRED: "No response required",
}


class Addressee(models.Model):
    """A report sent to one department; each addressee answers (or not) on its own."""

    class ResponseState(models.TextChoices):
        NOT_YET_DUE = "not_yet_due", "Not yet due"
        NO_RESPONSE_IDENTIFIED = "no_response_identified", "No response identified"
        NON_RESPONSE_CONFIRMED = "non_response_confirmed", "Non-response confirmed"
        RECEIVED_ON_TIME = "received_on_time", "Received on time"
        RECEIVED_LATE = "received_late", "Received late"
        RECEIVED_DATE_UNKNOWN = "received_date_unknown", "Response published (date not known)"
        INTERIM_REPLY = "interim_reply", "Interim reply"
        NOT_REQUIRED = "not_required", "Not required"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="addressees")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="addressees")
    named_as = models.CharField(
        max_length=500,
        blank=True,
        db_default="",
        help_text="The name as the report spells it, e.g. 'Secretary of State for Health'.",
    )
    response_required = models.BooleanField(default=True)
    # response_due is the deadline in force: the kind's default, or the latest extension. Stored so the
    # overdue sweep can compare it in SQL; grant_extension() is the only way it moves after creation.
    original_response_due = models.DateField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    response_received_on = models.DateField(null=True, blank=True)
    response_letter = models.ForeignKey(
        "responses.ResponseLetter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response_url = WebAddressModelField(
        max_length=500, blank=True, db_default="", help_text="The response as published."
    )
    # A response known only from its publication (judiciary.uk) has no known date: response_received_on is
    # then the last day of the month it was published, the latest it can have been received.
    response_date_known = models.BooleanField(default=True, db_default=True)
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
    version = models.PositiveIntegerField(
        default=1, db_default=1, editable=False, help_text="Bumped on every change; refuses stale edits."
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

    def response_facts(self):
        """What tracker.rules needs to say where this addressee's response stands on any day."""
        return rules.ResponseFacts(
            required=self.response_required,
            due=self.response_due,
            received_on=self.response_received_on,
            date_known=self.response_date_known,
            interim_on=self.interim_reply_on,
            non_response_confirmed=self.non_response_confirmed_at is not None,
        )

    def response_clock(self, on=None):
        return rules.response_clock(self.response_facts(), on or london_today())

    def response_state(self, on=None):
        return self.ResponseState(rules.response_state(self.response_facts(), on or london_today()))

    def is_missing_on(self, day):
        return rules.is_response_missing(self.response_facts(), day)

    def days_late(self, on=None):
        """Days past the deadline: of the response if received late, else up to `on` while missing; else 0."""
        return rules.response_days_late(self.response_facts(), on or london_today())

    # The clock's facts (deadline, response, whether one is required, interim reply, confirmed non-response) and
    # the organisation change only through the methods below: each writes an AddresseeEvent row and a new
    # version. A caller holding what a person saw (an admin form) passes expected_version, and a save from a
    # page opened before someone else's change raises StaleAddressee instead of undoing it.

    def _save_new_version(self, expected_version, *changed):
        """A conditional UPDATE of `changed` and the version: refused (StaleAddressee) when the row's version is
        no longer `expected_version`. Without one (a process acting on what it just read: an import, a merge,
        an ingestion), the current version is taken under a row lock. Never writes missing_since unless named:
        the sweep owns it."""
        if expected_version is None:
            expected = (
                Addressee.objects.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .get()
            )
        else:
            expected = int(expected_version)
        self.version = expected + 1
        attnames = [self._meta.get_field(name).attname for name in changed]
        fields = {attname: getattr(self, attname) for attname in attnames}
        if not Addressee.objects.filter(pk=self.pk, version=expected).update(**fields, version=self.version):
            raise StaleAddressee(STALE_ADDRESSEE_MESSAGE)
        # The UPDATE sends no post_save signal (tracker/signals.py): the report's stored PFD clock is kept here.
        Report.objects.filter(pk=self.report_id).refresh_pfd_clocks()

    def _event(self, kind, *, by, note="", happened_on=None, old_deadline=None, new_deadline=None):
        return AddresseeEvent.objects.create(
            addressee=self,
            kind=kind,
            happened_on=happened_on or london_today(),
            old_deadline=old_deadline,
            new_deadline=new_deadline,
            note=note,
            by=by,
        )

    @staticmethod
    def _reason(reason, message):
        if not reason or not str(reason).strip():
            raise ValueError(message)
        return str(reason).strip()

    @transaction.atomic
    def grant_extension(self, new_deadline, *, granted_on=None, reason, by=None, expected_version=None):
        """Move the deadline in force to `new_deadline` (the original stays), with the reason."""
        reason = self._reason(reason, "An extension needs a reason.")
        if new_deadline is None:
            raise ValueError("Give the new deadline.")
        old = self.response_due
        self.response_due = new_deadline
        if self.missing_since and not rules.deadline_passed(new_deadline, granted_on or london_today()):
            self.missing_since = None
        self._save_new_version(expected_version, "response_due", "missing_since")
        return self._event(
            AddresseeEvent.Kind.EXTENSION_GRANTED,
            by=by,
            note=reason,
            happened_on=granted_on,
            old_deadline=old,
            new_deadline=new_deadline,
        )

    @transaction.atomic
    def correct_deadline(self, new_deadline, *, note, by=None, expected_version=None):
        """The deadline by the rules was wrong (the report's date or stated response date corrected): the
        deadline in force and the original both move, with the reason. Not an extension."""
        note = self._reason(note, "Say why the deadline is corrected.")
        if new_deadline is None:
            raise ValueError("Give the corrected deadline.")
        old = self.response_due
        self.response_due = self.original_response_due = new_deadline
        if self.missing_since and not rules.deadline_passed(new_deadline, london_today()):
            self.missing_since = None
        self._save_new_version(expected_version, "response_due", "original_response_due", "missing_since")
        return self._event(
            AddresseeEvent.Kind.DEADLINE_CORRECTED,
            by=by,
            note=note,
            old_deadline=old,
            new_deadline=new_deadline,
        )

    @transaction.atomic
    def record_response(
        self, received_on, *, letter=None, by=None, url="", date_known=True, note="", expected_version=None
    ):
        """A response received on `received_on`; with date_known=False, only published by that day."""
        if received_on is None:
            raise ValueError("Say when the response was received.")
        self.response_received_on = received_on
        self.response_letter = letter
        self.response_url = url or self.response_url
        self.response_date_known = date_known
        self.missing_since = None
        self._save_new_version(
            expected_version,
            "response_received_on",
            "response_letter",
            "response_url",
            "response_date_known",
            "missing_since",
        )
        return self._event(
            AddresseeEvent.Kind.RESPONSE_RECORDED,
            by=by,
            note=note or (f"Published response: {url}" if url else ""),
            happened_on=received_on,
            old_deadline=self.response_due,
            new_deadline=self.response_due,
        )

    @transaction.atomic
    def withdraw_response(self, *, reason, by=None, expected_version=None):
        """A response recorded in error (another report's letter, a wrong sender): the addressee is awaited
        again, and the overdue sweep flags it if its deadline has passed."""
        reason = self._reason(reason, "Say why the response is withdrawn.")
        if self.response_received_on is None:
            raise ValueError("No response is recorded.")
        old = self.response_received_on
        self.response_received_on = None
        self.response_letter = None
        self.response_url = ""
        self.response_date_known = True
        self._save_new_version(
            expected_version, "response_received_on", "response_letter", "response_url", "response_date_known"
        )
        return self._event(
            AddresseeEvent.Kind.RESPONSE_WITHDRAWN,
            by=by,
            note=f"Response of {old:%-d %B %Y} withdrawn: {reason}",
            old_deadline=self.response_due,
            new_deadline=self.response_due,
        )

    @transaction.atomic
    def record_interim_reply(self, received_on, *, reason="", by=None, expected_version=None):
        """A holding reply came on `received_on` (it does not stop the clock: tracker.rules)."""
        if received_on is None:
            raise ValueError("Say when the interim reply was received.")
        self.interim_reply_on = received_on
        self._save_new_version(expected_version, "interim_reply_on")
        return self._event(
            AddresseeEvent.Kind.INTERIM_REPLY_RECORDED,
            by=by,
            note=(reason or "").strip(),
            happened_on=received_on,
            old_deadline=self.response_due,
            new_deadline=self.response_due,
        )

    @transaction.atomic
    def set_response_required(self, required, *, reason, by=None, expected_version=None):
        """Whether this addressee must answer at all (a report may name someone for information only)."""
        reason = self._reason(reason, "Say why a response is or is not required.")
        if bool(required) == self.response_required:
            raise ValueError("A response is already " + ("required." if required else "not required."))
        self.response_required = bool(required)
        if not required:
            self.missing_since = None
        self._save_new_version(expected_version, "response_required", "missing_since")
        return self._event(
            AddresseeEvent.Kind.REQUIREMENT_CHANGED,
            by=by,
            note=("Response required: " if required else "No response required: ") + reason,
            old_deadline=self.response_due,
            new_deadline=self.response_due,
        )

    @transaction.atomic
    def change_organisation(self, organisation, *, by=None, note="", expected_version=None):
        """The report was sent to `organisation` after all (an editor's correction or a merge of two
        organisations). The caller makes sure the report has no addressee for it already."""
        old = self.department
        self.department = organisation
        self._save_new_version(expected_version, "department")
        return self._event(
            AddresseeEvent.Kind.ORGANISATION_CHANGED,
            by=by,
            note=note or f"Was {old.name}; now {organisation.name}.",
        )

    @transaction.atomic
    def confirm_non_response(self, *, by, note, expected_version=None):
        """An editor confirms that no response exists (not just that none was identified), saying how they know."""
        note = self._reason(note, "Say how you know no response exists (who was asked, what was searched).")
        self.non_response_confirmed_at = timezone.now()
        self.non_response_confirmed_by = by
        self._save_new_version(expected_version, "non_response_confirmed_at", "non_response_confirmed_by")
        return self._event(AddresseeEvent.Kind.NON_RESPONSE_CONFIRMED, by=by, note=note)


STALE_ADDRESSEE_MESSAGE = (
    "Someone else changed this addressee after you opened this page, so nothing was saved. "
    "Reload the page to see its current state, then make your change again if it is still needed."
)


class StaleAddressee(Exception):
    pass


class AddresseeEvent(models.Model):
    """Something that happened to an addressee's response deadline, kept as a row (never overwritten)."""

    class Kind(models.TextChoices):
        EXTENSION_GRANTED = "extension_granted", "Extension granted"
        RESPONSE_RECORDED = "response_recorded", "Response recorded"
        FLAGGED_MISSING = "flagged_missing", "No response identified by the deadline"
        UNFLAGGED_MISSING = "unflagged_missing", "No longer missing"
        NON_RESPONSE_CONFIRMED = "non_response_confirmed", "Non-response confirmed by an editor"
        ORGANISATION_CHANGED = "organisation_changed", "Organisation corrected"
        DEADLINE_CORRECTED = "deadline_corrected", "Deadline corrected from the report"
        RESPONSE_WITHDRAWN = "response_withdrawn", "Response withdrawn (recorded in error)"
        INTERIM_REPLY_RECORDED = "interim_reply_recorded", "Interim reply recorded"
        REQUIREMENT_CHANGED = "requirement_changed", "Whether a response is required changed"

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


class AddresseeNameQuerySet(models.QuerySet):
    def to_review(self):
        return self.filter(match=AddresseeName.Match.NEW, reviewed_at__isnull=True)


class AddresseeName(models.Model):
    """The alias table of addressees: one row per spelling reports use, and the organisation it means.

    `key` is the spelling normalised (tracker.pfd.names.name_key), so 'The Department for Health & Social
    Care' and 'Department for Health and Social Care' share a row. A spelling that matched nothing well made
    a new organisation and waits in the review queue (admin: Addressee names to review) with suggested
    matches; merging the new organisation into the right one moves every report sent to it.
    """

    class Match(models.TextChoices):
        KNOWN = "known", "Name or alias of a known organisation"
        RULE = "rule", "Recognised by a naming rule (role, prison, abbreviation)"
        SIMILAR = "similar", "Spelling close to a known name (accepted automatically)"
        NEW = "new", "Matched nothing well: a new organisation"
        EDITOR = "editor", "Set by an editor"

    key = models.CharField(max_length=300, unique=True)
    spelling = models.CharField(max_length=500, help_text="The spelling as first seen.")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="addressee_names", verbose_name="organisation"
    )
    match = models.CharField(max_length=10, choices=Match.choices)
    score = models.FloatField(null=True, blank=True, help_text="Similarity of the accepted or best match.")
    suggestions = models.JSONField(
        default=list, blank=True, help_text="Organisations it may mean: [{id, name, score}], best first."
    )
    mentions = models.PositiveIntegerField(default=0, help_text="Addressees named so, at the last import.")
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AddresseeNameQuerySet.as_manager()

    class Meta:
        ordering = ["-mentions", "spelling"]
        indexes = [
            models.Index(
                fields=["-mentions"],
                name="addressee_name_review_idx",
                condition=Q(match="new", reviewed_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.spelling} → {self.department.name}"


class AddresseeNameToReview(AddresseeName):
    """The review queue of the admin: spellings that matched nothing well (AddresseeName.objects.to_review)."""

    class Meta:
        proxy = True
        verbose_name = "addressee name to review"
        verbose_name_plural = "addressee names to review"


class PublishedResponse(models.Model):
    """A response to a PFD report as published on judiciary.uk, and the addressee(s) it came from.

    judiciary.uk names the files '2023-0128-Response-from-NHS-England.pdf': the sender is read from the name
    and matched to the report's addressees. A joint response answers for each of its senders; one whose
    sender cannot be told waits for an editor (admin: Published responses, 'not attributed').
    """

    class Attribution(models.TextChoices):
        SENDER_NAME = "sender_name", "Sender named in the file name"
        ONLY_ADDRESSEE = "only_addressee", "The report's only addressee"
        EDITOR = "editor", "Attributed by an editor"
        NONE = "none", "Not attributed"
        NOT_A_RESPONSE = "not_a_response", "Not a response (e.g. the report itself)"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="published_responses")
    url = WebAddressModelField(max_length=500)
    sender = models.CharField(max_length=300, blank=True, help_text="As read from the file name.")
    published_by = models.DateField(
        null=True, blank=True, help_text="The last day of the month it was published (from its address)."
    )
    addressees = models.ManyToManyField(Addressee, related_name="published_responses", blank=True)
    attribution = models.CharField(max_length=20, choices=Attribution.choices, default=Attribution.NONE)
    attributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "url"]
        # One file may be published as the response to two reports (a body answering both at once).
        constraints = [
            models.UniqueConstraint(fields=["report", "url"], name="one_published_response_per_report")
        ]
        indexes = [
            models.Index(
                fields=["report"], name="published_response_unmatched", condition=Q(attribution="none")
            )
        ]

    def __str__(self):
        return self.sender or self.url.rsplit("/", 1)[-1]

    @property
    def counts_as_response(self):
        return self.attribution != self.Attribution.NOT_A_RESPONSE

    @transaction.atomic
    def attribute_to(self, addressees, *, by=None):
        """An editor says which addressee(s) sent it: each records the response (an event row)."""
        self.attribution = self.Attribution.EDITOR
        self.attributed_by = by
        self.save(update_fields=["attribution", "attributed_by"])
        self.addressees.set(addressees)
        for addressee in addressees:
            if addressee.response_received_on is None:
                addressee.record_response(
                    self.published_by or london_today(), url=self.url, date_known=False, by=by
                )


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


class PfdReportUpload(models.Model):
    """A PFD report document handed over in the admin, and where its reading has got to.

    As for letters (responses.LetterUpload): the web request stores the bytes and queues the reading
    (tracker.tasks.read_uploaded_pfd_report), which reads the file in a bounded child process
    (responses.extraction.bounded) and records the report in one transaction (tracker.pfd.importer
    .import_report_document). The editor watches this row on its status page. A failure keeps only this row,
    with the reason: no report, addressee or concern is half-saved, and the stored file is dropped.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be read"
        READING = "reading", "Reading the file"
        DONE = "done", "Read and recorded"
        FAILED = "failed", "Could not be read"

    FINISHED = (State.DONE, State.FAILED)

    file = models.FileField(upload_to="pfd-uploads/%Y/", blank=True)
    original_filename = models.CharField(max_length=255)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the uploaded bytes.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # How far the reading has got, for the status page: pages read (OCR of a scan takes seconds a page).
    stage = models.CharField(max_length=10, blank=True, help_text="'reading' or 'ocr' while reading.")
    pages_done = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text="Why the file could not be read.")
    error_code = models.CharField(max_length=32, blank=True)
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
        help_text="What it became.",
    )
    # What the reading found and did, for the status page: {"created", "filled", "addressees_added",
    # "concerns_added", "warnings"}.
    outcome = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "PFD report upload"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "reading", "done", "failed"]), name="pfd_upload_state_valid"
            ),
            # The same bytes are read once at a time: a second upload while the first is under way is shown
            # the first one's progress.
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(state__in=["done", "failed"]),
                name="one_pfd_reading_per_file",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(message=""), name="failed_pfd_upload_says_why"
            ),
        ]

    def __str__(self):
        return f"{self.original_filename} ({self.get_state_display().lower()})"

    @property
    def is_finished(self):
        return self.state in self.FINISHED

    def is_stalled(self, now=None):
        """Unfinished and untouched for longer than a reading may last: its worker died mid-way."""
        if self.is_finished:
            return False
        now = now or timezone.now()
        return (now - self.updated_at).total_seconds() > settings.LETTER_READING_STALLED_AFTER_SECONDS
