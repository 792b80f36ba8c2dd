"""The weekly digest: what each subscriber is told, and its delivery exactly once per ISO week.

Building a digest is a fixed number of queries whatever the number of commitments: a few to read the
subscriber's scope, then one to three per section (the first SECTION_LIMIT items, their reports, and the
section's total when there are more). A section never lists more than SECTION_LIMIT items; the rest are counted and linked, because a
digest with 700 items is not read.

Delivery (deliver_digest) claims the (subscription, week) row with a conditional UPDATE before sending and
marks it sent with another, so a second run or a retried task never sends a second copy and never skips one.
"""

import dataclasses
import datetime
import logging
import re
import uuid
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from responses.models import Commitment, CommitmentEvent, ResponseLetter
from tracker.models import Addressee, DigestDelivery, DigestSubscription, Report

log = logging.getLogger(__name__)

SECTION_LIMIT = 50
DUE_SOON_DAYS = 30
VAGUE_AFTER_MONTHS = 6
# A claimed delivery whose worker died is taken over after this long (a send takes seconds).
CLAIM_EXPIRES_AFTER = datetime.timedelta(minutes=15)
SEND_HOUR = 7  # Mondays 07:00 London, as scheduled by the default beat entry
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


# ISO weeks


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def current_week(now=None):
    return iso_week(timezone.localdate(now or timezone.now()))


def week_monday(week):
    """The Monday of an ISO week string such as 2025-W08; ValueError when it is not one."""
    match = WEEK_RE.match(week or "")
    if not match:
        raise ValueError(f"{week!r} is not an ISO week like 2025-W08.")
    try:
        return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise ValueError(f"{week!r} is not an ISO week like 2025-W08.") from exc


@dataclasses.dataclass(frozen=True)
class Period:
    """The seven days a digest reports on, ending at `end`; `today` is the London date at `end`."""

    week: str
    start: datetime.datetime
    end: datetime.datetime
    today: datetime.date


def digest_period(week, now=None):
    """This week's digest reports up to now; another week's as it stood at its Monday 07:00 London send."""
    now = now or timezone.now()
    week_monday(week)  # validates
    if week == current_week(now):
        end = now
    else:
        london = ZoneInfo(settings.TIME_ZONE)
        monday = week_monday(week)
        end = datetime.datetime(monday.year, monday.month, monday.day, SEND_HOUR, tzinfo=london)
    return Period(week=week, start=end - datetime.timedelta(days=7), end=end, today=timezone.localdate(end))


# What a digest holds

SHORT_NAMES = {
    "escalated": "escalated",
    "newly_overdue": "newly overdue",
    "still_overdue": "still overdue",
    "due_soon": "due in 30 days",
    "missing_responses": "missing responses",
    "undated_old": "undated",
    "revised": "re-dated",
}


@dataclasses.dataclass
class CommitmentItem:
    commitment: Commitment
    url: str
    days_overdue: int = 0
    reports: tuple = ()

    @property
    def due_description(self):
        c = self.commitment
        phrase = f"“{c.time_phrase}”" if c.time_phrase else "no time phrase"
        if c.due_latest:
            return f"{phrase}, due by {c.due_latest:%-d %B %Y}"
        return f"{phrase}, no date"


@dataclasses.dataclass
class MissingResponseItem:
    addressee: Addressee
    url: str
    label: str
    days_late: int


@dataclasses.dataclass
class RevisionItem:
    event: CommitmentEvent
    url: str
    old_due: datetime.date | None
    new_due: datetime.date | None
    by: str
    why: str


@dataclasses.dataclass
class Section:
    key: str
    title: str
    items: list
    total: int
    more_url: str = ""

    @property
    def short(self):
        return SHORT_NAMES[self.key]

    @property
    def hidden(self):
        return max(0, self.total - len(self.items))


@dataclasses.dataclass
class Digest:
    subscription: DigestSubscription
    period: Period
    sections: list
    site_url: str

    @property
    def user(self):
        return self.subscription.user

    @property
    def week(self):
        return self.period.week

    @property
    def item_count(self):
        return sum(section.total for section in self.sections)

    @property
    def is_empty(self):
        return self.item_count == 0

    @property
    def summary(self):
        """For the subject line: "2 newly overdue, 14 still overdue, 1 missing response"."""
        return ", ".join(f"{s.total} {s.short}" for s in self.sections if s.total)

    @property
    def settings_url(self):
        try:
            return absolute(reverse("account_settings"))
        except NoReverseMatch:  # the settings page belongs to the web pages; the admin always exists
            return absolute(reverse("admin:tracker_digestsubscription_change", args=[self.subscription.pk]))

    def section(self, key):
        return next((s for s in self.sections if s.key == key), None)


def absolute(path):
    return f"{settings.SITE_URL}{path}"


# Building


@dataclasses.dataclass(frozen=True)
class Scope:
    everything: bool
    department_ids: frozenset
    report_ids: frozenset
    escalation_department_ids: frozenset
    department_slugs: frozenset = frozenset()
    # The letters answering the followed reports, as values: see commitments().
    letter_ids: frozenset = frozenset()

    @classmethod
    def of(cls, subscription):
        """Up to four small queries, or none when the caller prefetched the relations (build_digests does)."""
        departments = list(subscription.departments.all())
        reports = list(subscription.reports.all())
        return cls(
            everything=subscription.follow_everything,
            department_ids=frozenset(d.pk for d in departments),
            department_slugs=frozenset(d.slug for d in departments),
            report_ids=frozenset(r.pk for r in reports),
            letter_ids=_letters_answering(reports),
            escalation_department_ids=frozenset(d.pk for d in subscription.user.escalation_departments.all()),
        )

    def commitments(self):
        if self.everything:
            return Commitment.objects.all()
        condition = Q(department_id__in=self.department_ids)
        if self.letter_ids:
            # Literal ids, not a subquery on the report links: PostgreSQL cannot estimate how few commitments
            # such a subquery matches, and for "the first 50 by due date" it then walked the due-date index
            # through all 700,000 overdue commitments (1.4 s a section at 1,000,000 commitments).
            condition |= Q(letter_id__in=sorted(self.letter_ids))
        return Commitment.objects.filter(condition)

    def addressees(self):
        if self.everything:
            return Addressee.objects.all()
        return Addressee.objects.filter(
            Q(department_id__in=self.department_ids) | Q(report_id__in=self.report_ids)
        )

    def list_url(self, **filters):
        """The commitment list filtered like the section (by department when the scope is one department)."""
        if not self.everything and len(self.department_slugs) == 1 and not self.report_ids:
            filters["department"] = next(iter(self.department_slugs))
        return f"{absolute(reverse('commitment_list'))}?{urlencode(filters)}"


def _letters_answering(reports):
    """Ids of the letters answering these reports: from build_digests' prefetch, else in one query."""
    if not reports:
        return frozenset()
    if all("response_letters" in getattr(r, "_prefetched_objects_cache", {}) for r in reports):
        return frozenset(letter.pk for r in reports for letter in r.response_letters.all())
    links = ResponseLetter.reports.through.objects.filter(report_id__in=[r.pk for r in reports])
    return frozenset(links.values_list("responseletter_id", flat=True))


def _unindexed(expression):
    """The same order, as an expression no index matches, so the planner sorts what the filters select."""
    return Coalesce(expression, expression)


def _first_with_total(queryset):
    """The first SECTION_LIMIT rows and the number of all rows: two queries, both cheap with large sections
    (a window count would drag every matching row, joined, through the sort before the LIMIT)."""
    rows = list(queryset[:SECTION_LIMIT])
    if len(rows) < SECTION_LIMIT:
        return rows, len(rows)
    return rows, queryset.order_by().count()


def _commitment_items(rows, period, overdue=False):
    return [
        CommitmentItem(
            commitment=c,
            url=absolute(c.get_absolute_url()),
            days_overdue=(period.today - c.due_latest).days if overdue and c.due_latest else 0,
            reports=tuple(r.title for r in c.letter.reports.all()),
        )
        for c in rows
    ]


def _commitments_for_listing(queryset):
    return queryset.select_related("department", "letter").prefetch_related(
        Prefetch("letter__reports", queryset=Report.objects.only("id", "title").order_by("id"))
    )


def build_sections(scope, period):
    """Every section for one scope; a fixed number of queries (one or two per section)."""
    today = period.today
    # Another week's digest shows what stood then: no letter written after it, nothing not yet due by it.
    commitments = scope.commitments().filter(Q(letter__date__isnull=True) | Q(letter__date__lte=today))
    flagged_this_week = CommitmentEvent.objects.filter(
        kind=CommitmentEvent.Kind.FLAGGED_OVERDUE, created_at__gte=period.start, created_at__lt=period.end
    )
    sections = []

    if scope.everything or scope.department_ids or scope.report_ids:
        # Filtered with EXISTS / NOT EXISTS rather than an annotation, so PostgreSQL plans a (hash) semi- or
        # anti-join instead of probing the events once per overdue commitment.
        overdue = _commitments_for_listing(commitments.filter(is_overdue=True, due_latest__lt=today))
        # Driven by the week's flagging events and sorted, rather than read in due-date order: a week's events
        # are a small share of the overdue commitments and the most recently due, so walking the due-date
        # index (PostgreSQL's choice for "the first 50 by due date") would read nearly all of them first.
        rows, total = _first_with_total(
            overdue.filter(pk__in=flagged_this_week.values("commitment_id")).order_by(
                _unindexed(F("due_latest")), "pk"
            )
        )
        sections.append(
            Section(
                "newly_overdue",
                "Newly overdue this week",
                _commitment_items(rows, period, overdue=True),
                total,
                scope.list_url(overdue="1", sort="due"),
            )
        )
        rows, total = _first_with_total(
            overdue.filter(~Exists(flagged_this_week.filter(commitment=OuterRef("pk")))).order_by(
                "due_latest", "pk"
            )
        )
        sections.append(
            Section(
                "still_overdue",
                "Still overdue, oldest first",
                _commitment_items(rows, period, overdue=True),
                total,
                scope.list_url(overdue="1", sort="due"),
            )
        )
        due_soon = commitments.due_between(today, today + datetime.timedelta(days=DUE_SOON_DAYS))
        rows, total = _first_with_total(_commitments_for_listing(due_soon).order_by("due_latest", "pk"))
        sections.append(
            Section(
                "due_soon",
                f"Due in the next {DUE_SOON_DAYS} days",
                _commitment_items(rows, period),
                total,
                scope.list_url(
                    open="1",
                    due_from=today.isoformat(),
                    due_to=(today + datetime.timedelta(days=DUE_SOON_DAYS)).isoformat(),
                ),
            )
        )

        missing = (
            scope.addressees()
            .filter(missing_since__isnull=False, response_required=True, response_received_on__isnull=True)
            .select_related("report", "department")
            .order_by("response_due", "pk")
        )
        rows, total = _first_with_total(missing)
        sections.append(
            Section(
                "missing_responses",
                "Missing responses to reports",
                [
                    MissingResponseItem(
                        addressee=a,
                        url=absolute(a.report.get_absolute_url()),
                        label=missing_response_label(a),
                        days_late=a.days_late(today),
                    )
                    for a in rows
                ],
                total,
            )
        )

        cutoff = today - relativedelta(months=VAGUE_AFTER_MONTHS)
        vague = commitments.open().filter(
            Q(letter__date__lt=cutoff) | Q(letter__date__isnull=True, created_at__date__lt=cutoff),
            due_latest__isnull=True,
        )
        rows, total = _first_with_total(
            _commitments_for_listing(vague).order_by(F("letter__date").asc(nulls_last=True), "pk")
        )
        sections.append(
            Section(
                "undated_old",
                f"Undated or vague promises older than {VAGUE_AFTER_MONTHS} months",
                _commitment_items(rows, period),
                total,
                scope.list_url(open="1", precision=Commitment.Precision.VAGUE.value),
            )
        )

        revisions = CommitmentEvent.objects.filter(
            kind=CommitmentEvent.Kind.DUE_DATE_REVISED,
            created_at__gte=period.start,
            created_at__lt=period.end,
        )
        if not scope.everything:
            revisions = revisions.filter(commitment__in=commitments.values("pk"))
        rows, total = _first_with_total(
            revisions.select_related("commitment", "commitment__department", "by").order_by(
                "created_at", "pk"
            )
        )
        sections.append(
            Section(
                "revised",
                "Due dates revised this week",
                [
                    RevisionItem(
                        event=e,
                        url=absolute(e.commitment.get_absolute_url()),
                        old_due=e.old_due_latest,
                        new_due=e.new_due_latest,
                        by=(e.by.get_full_name() or e.by.get_username()) if e.by else "unknown",
                        why=e.note,
                    )
                    for e in rows
                ],
                total,
            )
        )

    if scope.escalation_department_ids:
        threshold = today - datetime.timedelta(weeks=settings.ESCALATION_AFTER_WEEKS)
        escalated = Commitment.objects.filter(
            department_id__in=scope.escalation_department_ids, is_overdue=True, due_latest__lt=threshold
        )
        rows, total = _first_with_total(_commitments_for_listing(escalated).order_by("due_latest", "pk"))
        sections.insert(
            0,
            Section(
                "escalated",
                f"Escalated to you: overdue for more than {settings.ESCALATION_AFTER_WEEKS} weeks",
                _commitment_items(rows, period, overdue=True),
                total,
            ),
        )
    return sections


def missing_response_label(addressee):
    """Never say "did not respond" on the sweep's word alone: only an editor's confirmation does."""
    if addressee.non_response_confirmed_at:
        return "Non-response confirmed"
    if addressee.interim_reply_on:
        return f"Interim reply on {addressee.interim_reply_on:%-d %B %Y}; no full response identified"
    return "No response identified"


def build_digest(subscription, week=None, *, now=None):
    """One subscriber's digest: a bounded number of queries whatever their number of commitments."""
    period = digest_period(week or current_week(now), now)
    return Digest(subscription, period, build_sections(Scope.of(subscription), period), settings.SITE_URL)


def subscriptions_to_send():
    return (
        DigestSubscription.objects.filter(active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def build_digests(subscriptions, week=None, *, now=None):
    """Digests for many subscribers; subscribers who follow the same things share one set of queries."""
    period = digest_period(week or current_week(now), now)
    subscriptions = subscriptions.select_related("user").prefetch_related(
        "departments",
        Prefetch(
            "reports",
            queryset=Report.objects.only("id").prefetch_related(
                Prefetch("response_letters", queryset=ResponseLetter.objects.only("id"))
            ),
        ),
        "user__escalation_departments",
    )
    built = {}
    for subscription in subscriptions.iterator(chunk_size=500):
        scope = Scope.of(subscription)
        if scope not in built:
            built[scope] = build_sections(scope, period)
        yield Digest(subscription, period, built[scope], settings.SITE_URL)


# Delivery, exactly once per subscriber per ISO week


def prepare_deliveries(week):
    """One PENDING row per subscriber due a digest this week, in one statement; existing rows are kept."""
    rows = [
        DigestDelivery(subscription_id=pk, user_id=user_id, week=week)
        for pk, user_id in subscriptions_to_send().values_list("pk", "user_id")
    ]
    DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return [row.subscription_id for row in rows]


def claim_delivery(subscription, week, *, now=None):
    """The delivery row and a claim token, or (row, None) when it is sent or another attempt holds it."""
    now = now or timezone.now()
    delivery, _ = DigestDelivery.objects.get_or_create(
        subscription=subscription, week=week, defaults={"user_id": subscription.user_id}
    )
    token = uuid.uuid4()
    claimable = Q(status__in=[DigestDelivery.Status.PENDING, DigestDelivery.Status.FAILED]) | Q(
        status=DigestDelivery.Status.SENDING, claimed_at__lt=now - CLAIM_EXPIRES_AFTER
    )
    claimed = DigestDelivery.objects.filter(claimable, pk=delivery.pk).update(
        status=DigestDelivery.Status.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    delivery.refresh_from_db()
    return delivery, (token if claimed else None)


def _finish(delivery, token, **fields):
    """Conditional on still holding the claim; False if another attempt took it over meanwhile."""
    updated = DigestDelivery.objects.filter(
        pk=delivery.pk, claim=token, status=DigestDelivery.Status.SENDING
    ).update(**fields)
    if not updated:
        log.warning("Digest delivery %s was taken over by another attempt.", delivery.pk)
    return bool(updated)


def deliver_digest(subscription_id, week, *, now=None):
    """Send one subscriber's digest for `week` unless it was already sent; returns the delivery's status.

    Raises the SMTP error after recording it, so the task can retry with backoff; the retry claims the
    FAILED row again. The only window for a second copy is a worker dying between the SMTP server's
    acceptance and the database update; the message then carries the same Message-ID, which mail
    clients use to drop the duplicate.
    """
    from tracker import emails

    subscription = DigestSubscription.objects.select_related("user").get(pk=subscription_id)
    delivery, token = claim_delivery(subscription, week, now=now)
    if token is None:
        return delivery.status
    digest = build_digest(subscription, week, now=now)
    if digest.is_empty and not subscription.send_when_empty:
        _finish(delivery, token, status=DigestDelivery.Status.NOTHING_TO_REPORT, item_count=0)
        return DigestDelivery.Status.NOTHING_TO_REPORT
    try:
        emails.send_digest(digest)
    except Exception as exc:
        _finish(
            delivery, token, status=DigestDelivery.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    _finish(
        delivery,
        token,
        status=DigestDelivery.Status.SENT,
        sent_at=timezone.now(),
        item_count=digest.item_count,
        error="",
    )
    return DigestDelivery.Status.SENT


def send_digests(week=None, *, email=None, now=None):
    """Deliver every due digest in-process (the command's path; the task fans out instead).

    One subscriber's failure is recorded and does not stop the others. Returns {status: count}.
    """
    week = week or current_week(now)
    subscriptions = subscriptions_to_send()
    if email:
        subscriptions = subscriptions.filter(user__email__iexact=email)
    outcome = {}
    for subscription_id in subscriptions.values_list("pk", flat=True):
        try:
            status = deliver_digest(subscription_id, week, now=now)
        except Exception:
            log.exception("Digest for subscription %s failed.", subscription_id)
            status = DigestDelivery.Status.FAILED
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
