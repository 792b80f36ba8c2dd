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

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from responses.models import Commitment, CommitmentEvent, ResponseLetter
from tracker import permissions, rules
from tracker.models import Addressee, DigestDelivery, DigestSubscription, Report
from tracker.visibility import published_commitments

log = logging.getLogger(__name__)

SECTION_LIMIT = 50
# The monthly list of undated and vague promises: every one, up to this many (then counted and linked).
UNDATED_LIST_LIMIT = 1000
# A claimed delivery whose worker died is taken over after settings.DIGEST_CLAIM_EXPIRES_SECONDS (15 minutes
# unless the environment says otherwise; a send takes seconds and each SMTP step times out after EMAIL_TIMEOUT).
# The longest a failed send waits for its next automatic retry (tracker.tasks.send_digest_to's backoff cap): a
# FAILED row untouched for longer has no retry coming, so the scheduled run takes it over (and a lost PENDING one).
RETRY_WAIT_MAX = datetime.timedelta(hours=1)


def claim_expires_after():
    return datetime.timedelta(seconds=settings.DIGEST_CLAIM_EXPIRES_SECONDS)


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
    "already_overdue": "already overdue when recorded",
    "still_overdue": "still overdue",
    "due_soon": f"due in {rules.DUE_SOON_DAYS} days",
    "missing_responses": "missing responses",
    "undated": "undated or vague",
    "revised": "re-dated",
    "claims_to_assess": "claims to assess",
    "delivered": "delivered this week",
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
class DeliveryItem:
    event: CommitmentEvent
    url: str
    status: str
    by: str


@dataclasses.dataclass
class Section:
    key: str
    title: str
    items: list
    total: int
    more_url: str = ""
    news: bool = (
        True  # counts towards the subject line and "nothing to report" (the weekly undated count does not)
    )

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
        return sum(section.total for section in self.sections if section.news)

    @property
    def due_soon_days(self):
        return rules.DUE_SOON_DAYS

    @property
    def is_empty(self):
        return self.item_count == 0

    @property
    def summary(self):
        """For the subject line: "2 newly overdue, 14 still overdue, 1 missing response"."""
        return ", ".join(f"{s.total} {s.short}" for s in self.sections if s.total and s.news)

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
    scrutineer: bool = False  # committee clerks and administrators get the scrutiny sections
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
            scrutineer=_is_scrutineer(subscription.user),
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


def _is_scrutineer(user):
    """permissions.is_clerk, from the groups build_digests prefetched (no query a subscriber)."""
    if "groups" not in getattr(user, "_prefetched_objects_cache", {}):
        return permissions.is_clerk(user)
    names = {group.name for group in user.groups.all()}
    return user.is_superuser or bool(names & {permissions.COMMITTEE_CLERKS, permissions.ADMINISTRATORS})


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


def _london_midnight(day):
    return datetime.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(settings.TIME_ZONE))


def build_sections(scope, period):
    """Every section for one scope; a fixed number of queries (one to three per section).

    Overdue is decided by the rule the pages use (tracker.rules: open and past the due date on the digest's day),
    not by the sweep's flag, so a letter confirmed an hour ago shows here as on the dashboard. The week's overdue
    commitments are split three ways, with no overlap:
    - newly overdue: the due date passed during the week (rules.became_overdue_due_dates), and the commitment was
      already in the tracker on that date;
    - already overdue when recorded: recorded during the week with a due date already passed (a bulk import or a
      late-confirmed letter: not news of lateness);
    - still overdue: the rest (due before the week, recorded before it).
    """
    today = period.today
    week_first, _ = rules.week_days(today)
    recorded_since = _london_midnight(week_first)
    first_due, last_due = rules.became_overdue_due_dates(today)
    # What stood at the end of the period: no letter written, and nothing recorded, after it.
    commitments = published_commitments(scope.commitments()).filter(
        Q(letter__date__isnull=True) | Q(letter__date__lte=today), created_at__lt=period.end
    )
    overdue = _commitments_for_listing(commitments.overdue(today))
    sections = []

    if scope.everything or scope.department_ids or scope.report_ids:
        recorded_on = TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
        rows, total = _first_with_total(
            overdue.filter(due_latest__gte=first_due, due_latest__lte=last_due)
            .alias(recorded_on=recorded_on)
            .filter(recorded_on__lte=F("due_latest"))
            .order_by("due_latest", "pk")
        )
        sections.append(
            Section(
                "newly_overdue",
                "Newly overdue this week: the due date passed in the last seven days",
                _commitment_items(rows, period, overdue=True),
                total,
                scope.list_url(overdue="1", due_from=first_due.isoformat(), due_to=last_due.isoformat()),
            )
        )
        rows, total = _first_with_total(
            overdue.filter(created_at__gte=recorded_since)
            .alias(recorded_on=recorded_on)
            .filter(recorded_on__gt=F("due_latest"))
            .order_by("due_latest", "pk")
        )
        sections.append(
            Section(
                "already_overdue",
                "Recorded this week, already overdue when recorded",
                _commitment_items(rows, period, overdue=True),
                total,
                scope.list_url(overdue="1", sort="due"),
            )
        )
        rows, total = _first_with_total(
            overdue.filter(due_latest__lt=first_due, created_at__lt=recorded_since).order_by(
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
        soon_from, soon_to = rules.due_soon_window(today)
        rows, total = _first_with_total(
            _commitments_for_listing(commitments.due_soon(today)).order_by("due_latest", "pk")
        )
        sections.append(
            Section(
                "due_soon",
                f"Due in the next {rules.DUE_SOON_DAYS} days",
                _commitment_items(rows, period),
                total,
                scope.list_url(open="1", due_from=soon_from.isoformat(), due_to=soon_to.isoformat()),
            )
        )

        missing = (
            scope.addressees()
            .missing_response(today)
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

        # Undated and vague: counted with a link every week, listed in full once a month.
        undated = _commitments_for_listing(commitments.open().undated()).order_by(
            F("letter__date").asc(nulls_last=True), "pk"
        )
        monthly = rules.lists_every_undated(week_monday(period.week))
        if monthly:
            rows = list(undated[:UNDATED_LIST_LIMIT])
            total = len(rows) if len(rows) < UNDATED_LIST_LIMIT else undated.order_by().count()
        else:
            rows, total = [], undated.order_by().count()
        sections.append(
            Section(
                "undated",
                "Undated or vague promises, open" + (": the monthly list" if monthly else ""),
                _commitment_items(rows, period),
                total,
                scope.list_url(open="1", undated="1"),
                news=monthly,
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

        if scope.scrutineer:
            sections.extend(scrutiny_sections(scope, commitments, period))

    if scope.escalation_department_ids:
        threshold = rules.escalation_due_before(today, settings.ESCALATION_AFTER_WEEKS)
        escalated = (
            published_commitments(
                Commitment.objects.filter(department_id__in=scope.escalation_department_ids)
            )
            .overdue(today)
            .filter(due_latest__lt=threshold, created_at__lt=period.end)
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


def scrutiny_sections(scope, commitments, period):
    """For scrutineers (committee clerks, administrators): delivery claims waiting for an assessment, and the
    deliveries recorded this week."""
    claims = commitments.filter(evidence_state__in=rules.CLAIMS_TO_ASSESS)
    rows, total = _first_with_total(
        _commitments_for_listing(claims).order_by(F("delivered_on").desc(nulls_last=True), "pk")
    )
    sections = [
        Section(
            "claims_to_assess",
            "Delivery claims to assess (verify or dispute)",
            _commitment_items(rows, period),
            total,
        )
    ]
    delivered = CommitmentEvent.objects.filter(
        kind=CommitmentEvent.Kind.STATUS_CHANGED,
        new_status__in=rules.DELIVERED_STATUSES,
        created_at__gte=period.start,
        created_at__lt=period.end,
    )
    if not scope.everything:
        delivered = delivered.filter(commitment__in=commitments.values("pk"))
    rows, total = _first_with_total(
        delivered.select_related("commitment", "commitment__department", "by").order_by("created_at", "pk")
    )
    sections.append(
        Section(
            "delivered",
            "Deliveries recorded this week",
            [
                DeliveryItem(
                    event=e,
                    url=absolute(e.commitment.get_absolute_url()),
                    status=e.get_new_status_display(),
                    by=(e.by.get_full_name() or e.by.get_username()) if e.by else "unknown",
                )
                for e in rows
            ],
            total,
        )
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
        "user__groups",
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
        status=DigestDelivery.Status.SENDING, claimed_at__lt=now - claim_expires_after()
    )
    claimed = DigestDelivery.objects.filter(claimable, pk=delivery.pk).update(
        status=DigestDelivery.Status.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    delivery.refresh_from_db()
    return delivery, (token if claimed else None)


def unsent_deliveries(now=None):
    """(subscription id, week) of the digests of the current and the previous ISO week that should have gone
    and have not, for the scheduled run (tracker.tasks.send_unsent_digests) to queue again:
    - claimed (SENDING) by an attempt whose claim has expired: its worker died mid-send (issue 12, failure 8);
    - FAILED and untouched for longer than RETRY_WAIT_MAX: its automatic retries are over;
    - PENDING (never claimed) for longer than RETRY_WAIT_MAX: its queued task was lost (a broker restart).
    A live attempt, or a retry still to come, is left alone; should two attempts run anyway, the claim lets one
    send."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    status = DigestDelivery.Status
    quiet_since = now - RETRY_WAIT_MAX
    rows = DigestDelivery.objects.filter(
        week__in=[iso_week(today), iso_week(today - datetime.timedelta(days=7))]
    ).filter(
        Q(status=status.SENDING, claimed_at__lt=now - claim_expires_after())
        | Q(status=status.FAILED, claimed_at__lt=quiet_since)
        | Q(status=status.PENDING, claimed_at__isnull=True, created_at__lt=quiet_since)
    )
    return list(rows.order_by("pk").values_list("subscription_id", "week"))


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
