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
from django.db.models import Count, F, Min, Prefetch, Q, Window
from django.db.models.functions import RowNumber, TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from responses.models import Commitment, CommitmentEvent, ResponseLetter
from tracker import permissions, rules
from tracker.models import Addressee, Department, DigestDelivery, DigestSubscription, Report
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
    # The sections rendered (tracker.emails), shared by the digests of subscribers who follow the same things.
    rendered: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

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


class _Items:
    """The items of a run's sections: each commitment's item made once, whatever the number of scopes that list
    it, with the titles of its letter's reports read in one query."""

    def __init__(self, period, commitments):
        self.period = period
        letters = {c.letter_id for c in commitments}
        links = ResponseLetter.reports.through.objects.filter(responseletter_id__in=sorted(letters))
        self.titles = {}
        for letter_id, title in links.order_by("report_id").values_list("responseletter_id", "report__title"):
            self.titles.setdefault(letter_id, []).append(title)
        self.made = {}

    def commitments(self, rows, overdue=False):
        return [self.commitment(c, overdue) for c in rows]

    def commitment(self, c, overdue):
        item = self.made.get((c.pk, overdue))
        if item is None:
            item = self.made[c.pk, overdue] = CommitmentItem(
                commitment=c,
                url=absolute(c.get_absolute_url()),
                days_overdue=(self.period.today - c.due_latest).days if overdue and c.due_latest else 0,
                reports=tuple(self.titles.get(c.letter_id, ())),
            )
        return item


def _london_midnight(day):
    return datetime.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(settings.TIME_ZONE))


# Set-based building. Each section is one query over all the scopes of a run (two when some scope follows
# reports): the section's rows are numbered within each department (and within each followed letter or report
# and department), and only the first rows of each partition come back, with the partition's row count. A
# scope's section is then merged in Python from its partitions: the first N rows of a union are among the
# first N rows of its parts, and the count is the sum of its parts' counts (a followed letter's commitments of a
# department the scope follows anyway are counted once). Then the rows listed are read in one query per model.
# So the number of queries is fixed whatever the number of commitments, subscribers or scopes, and no plan
# depends on where in an index the matching rows happen to lie (the walk that cost 1.3 s a department scope in
# the week after a mass flagging).


@dataclasses.dataclass(frozen=True)
class _Need:
    """What the scopes of a run follow, all together."""

    everything: bool
    department_ids: frozenset
    letter_ids: frozenset
    report_ids: frozenset

    @classmethod
    def of(cls, scopes):
        return cls(
            everything=any(s.everything for s in scopes),
            department_ids=frozenset().union(*(s.department_ids for s in scopes if not s.everything)),
            letter_ids=frozenset().union(*(s.letter_ids for s in scopes if not s.everything)),
            report_ids=frozenset().union(*(s.report_ids for s in scopes if not s.everything)),
        )


@dataclasses.dataclass
class _Listing:
    """One section's first rows and row count per partition: by department, and by (followed letter or report,
    department). Rows are (sort key, pk), the sort key ending with the pk, so it orders like the SQL."""

    by_department: dict
    by_followed: dict  # followed id -> [(department id, rows, count)]

    def for_scope(self, everything, department_ids, followed_ids, limit):
        """(pks of the first `limit` rows, count of all rows) of the union of the scope's partitions."""
        if everything:
            parts = list(self.by_department.values())
        else:
            parts = [self.by_department[d] for d in department_ids if d in self.by_department]
        total = sum(count for _, count in parts)
        for followed in followed_ids:
            for department_id, rows, count in self.by_followed.get(followed, ()):
                parts.append((rows, count))
                if department_id not in department_ids:
                    total += count
        keys = {pk: key for rows, _ in parts for key, pk in rows}
        first = sorted(keys, key=keys.__getitem__)[:limit]
        return first, total


def _partitions(queryset, fields, order_by, key_fields, sort_key, limit):
    """{partition: (rows, count)} in one query: the first `limit` rows of each partition (by `fields`) in the
    order `order_by`, and the number of rows in it. With limit 0, the counts alone."""
    partition_by = [F(f) for f in fields]
    queryset = queryset.order_by()
    if not limit:
        counted = (
            queryset.values(*fields).annotate(section_count=Count("pk")).values_list(*fields, "section_count")
        )
        return {tuple(row[:-1]): ([], row[-1]) for row in counted}
    ranked = (
        queryset.annotate(
            section_rank=Window(RowNumber(), partition_by=partition_by, order_by=order_by),
            section_count=Window(Count("pk"), partition_by=partition_by),
        )
        .filter(section_rank__lte=limit)
        .values_list(*fields, "section_count", "pk", *key_fields)
    )
    n = len(fields)
    result = {}
    for row in ranked:
        rows, _ = result.setdefault(tuple(row[:n]), ([], row[n]))
        pk = row[n + 1]
        rows.append((sort_key(*row[n + 2 :], pk), pk))
    return result


def _listing(queryset, need, *, department, followed, order_by, key_fields, sort_key, limit):
    """A section's _Listing for every scope of `need`: one query by department, one by followed letter or
    report (each only when some scope needs it)."""
    by_department, by_followed = {}, {}
    if need.everything or need.department_ids:
        rows = (
            queryset
            if need.everything
            else queryset.filter(**{f"{department}__in": sorted(need.department_ids)})
        )
        parts = _partitions(rows, [department], order_by, key_fields, sort_key, limit)
        by_department = {key[0]: part for key, part in parts.items()}
    followed_ids = need.letter_ids if followed.endswith("letter_id") else need.report_ids
    if followed_ids:
        rows = queryset.filter(**{f"{followed}__in": sorted(followed_ids)})
        parts = _partitions(rows, [followed, department], order_by, key_fields, sort_key, limit)
        for (followed_id, department_id), (part_rows, count) in parts.items():
            by_followed.setdefault(followed_id, []).append((department_id, part_rows, count))
    return _Listing(by_department, by_followed)


def _by_due_date(due_latest, pk):
    return (due_latest, pk)


def _by_letter_date(letter_date, pk):  # F("letter__date").asc(nulls_last=True), pk
    return (letter_date is None, letter_date or datetime.date.min, pk)


def _by_claim_date(delivered_on, pk):  # F("delivered_on").desc(nulls_last=True), pk
    return (delivered_on is None, -delivered_on.toordinal() if delivered_on else 0, pk)


def _by_time(created_at, pk):
    return (created_at, pk)


BY_DUE_DATE = {"order_by": ["due_latest", "pk"], "key_fields": ["due_latest"], "sort_key": _by_due_date}
BY_LETTER_DATE = {
    "order_by": [F("letter__date").asc(nulls_last=True), "pk"],
    "key_fields": ["letter__date"],
    "sort_key": _by_letter_date,
}
BY_CLAIM_DATE = {
    "order_by": [F("delivered_on").desc(nulls_last=True), "pk"],
    "key_fields": ["delivered_on"],
    "sort_key": _by_claim_date,
}
BY_TIME = {"order_by": ["created_at", "pk"], "key_fields": ["created_at"], "sort_key": _by_time}
OF_COMMITMENT = {"department": "department_id", "followed": "letter_id"}
OF_EVENT = {"department": "commitment__department_id", "followed": "commitment__letter_id"}
OF_ADDRESSEE = {"department": "department_id", "followed": "report_id"}


def build_sections(scope, period):
    """Every section for one scope: the queries of build_all_sections."""
    return build_all_sections([scope], period)[scope]


def build_all_sections(scopes, period):
    """{scope: its sections} for every scope, in a fixed number of queries (at most 2 a section and 4 to read
    the rows listed) whatever the number of scopes, subscribers and commitments.

    Overdue is decided by the rule the pages use (tracker.rules: open and past the due date on the digest's day),
    not by the sweep's flag, so a letter confirmed an hour ago shows here as on the dashboard. The week's overdue
    commitments are split three ways, with no overlap:
    - newly overdue: the due date passed during the week (rules.became_overdue_due_dates), and the commitment was
      already in the tracker on that date;
    - already overdue when recorded: recorded during the week with a due date already passed (a bulk import or a
      late-confirmed letter: not news of lateness);
    - still overdue: the rest (due before the week, recorded before it).
    """
    scopes = list(dict.fromkeys(scopes))
    today = period.today
    week_first, _ = rules.week_days(today)
    recorded_since = _london_midnight(week_first)
    first_due, last_due = rules.became_overdue_due_dates(today)
    listed = {s for s in scopes if s.everything or s.department_ids or s.report_ids}
    need = _Need.of(listed)
    # What stood at the end of the period: no letter written, and nothing recorded, after it.
    commitments = published_commitments().filter(
        Q(letter__date__isnull=True) | Q(letter__date__lte=today), created_at__lt=period.end
    )
    overdue = commitments.overdue(today)
    recorded_on = TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    monthly = rules.lists_every_undated(week_monday(period.week))
    listings = {}  # section key -> _Listing
    if listed:
        listings["newly_overdue"] = _listing(
            overdue.filter(due_latest__gte=first_due, due_latest__lte=last_due)
            .alias(recorded_on=recorded_on)
            .filter(recorded_on__lte=F("due_latest")),
            need, **OF_COMMITMENT, **BY_DUE_DATE, limit=SECTION_LIMIT,
        )  # fmt: skip
        listings["already_overdue"] = _listing(
            overdue.filter(created_at__gte=recorded_since)
            .alias(recorded_on=recorded_on)
            .filter(recorded_on__gt=F("due_latest")),
            need, **OF_COMMITMENT, **BY_DUE_DATE, limit=SECTION_LIMIT,
        )  # fmt: skip
        listings["still_overdue"] = _listing(
            overdue.filter(due_latest__lt=first_due, created_at__lt=recorded_since),
            need, **OF_COMMITMENT, **BY_DUE_DATE, limit=SECTION_LIMIT,
        )  # fmt: skip
        listings["due_soon"] = _listing(
            commitments.due_soon(today), need, **OF_COMMITMENT, **BY_DUE_DATE, limit=SECTION_LIMIT
        )
        listings["missing_responses"] = _listing(
            Addressee.objects.missing_response(today),
            need, **OF_ADDRESSEE, order_by=["response_due", "pk"], key_fields=["response_due"],
            sort_key=_by_due_date, limit=SECTION_LIMIT,
        )  # fmt: skip
        # Undated and vague: counted with a link every week, listed in full once a month.
        listings["undated"] = _listing(
            commitments.open().undated(),
            need, **OF_COMMITMENT, **BY_LETTER_DATE, limit=UNDATED_LIST_LIMIT if monthly else 0,
        )  # fmt: skip
        visible = commitments.values("pk")
        week_events = CommitmentEvent.objects.filter(
            created_at__gte=period.start, created_at__lt=period.end, commitment__in=visible
        )
        listings["revised"] = _listing(
            week_events.filter(kind=CommitmentEvent.Kind.DUE_DATE_REVISED),
            need, **OF_EVENT, **BY_TIME, limit=SECTION_LIMIT,
        )  # fmt: skip
        scrutineers = [s for s in listed if s.scrutineer]
        if scrutineers:
            for_scrutiny = _Need.of(scrutineers)
            listings["claims_to_assess"] = _listing(
                commitments.filter(evidence_state__in=rules.CLAIMS_TO_ASSESS),
                for_scrutiny, **OF_COMMITMENT, **BY_CLAIM_DATE, limit=SECTION_LIMIT,
            )  # fmt: skip
            listings["delivered"] = _listing(
                week_events.filter(
                    kind=CommitmentEvent.Kind.STATUS_CHANGED, new_status__in=rules.DELIVERED_STATUSES
                ),
                for_scrutiny, **OF_EVENT, **BY_TIME, limit=SECTION_LIMIT,
            )  # fmt: skip
    escalation_ids = frozenset().union(*(s.escalation_department_ids for s in scopes))
    if escalation_ids:
        threshold = rules.escalation_due_before(today, settings.ESCALATION_AFTER_WEEKS)
        escalated = (
            published_commitments(Commitment.objects.filter(department_id__in=sorted(escalation_ids)))
            .overdue(today)
            .filter(due_latest__lt=threshold, created_at__lt=period.end)
        )
        listings["escalated"] = _listing(
            escalated,
            _Need(False, escalation_ids, frozenset(), frozenset()),
            **OF_COMMITMENT, **BY_DUE_DATE, limit=SECTION_LIMIT,
        )  # fmt: skip

    # Each scope's rows (pks) and counts, then the rows themselves: one query (and its prefetch) per model.
    chosen = {}
    for scope in scopes:
        for key, listing in listings.items():
            if key == "escalated":
                chosen[scope, key] = listing.for_scope(
                    False, scope.escalation_department_ids, (), SECTION_LIMIT
                )
            elif scope in listed and (scope.scrutineer or key not in SCRUTINY_SECTIONS):
                followed = scope.report_ids if key == "missing_responses" else scope.letter_ids
                limit = UNDATED_LIST_LIMIT if key == "undated" else SECTION_LIMIT
                chosen[scope, key] = listing.for_scope(
                    scope.everything, scope.department_ids, followed, limit
                )
    wanted = {"commitment": set(), "event": set(), "addressee": set()}
    for (_, key), (pks, _) in chosen.items():
        wanted[SECTION_MODELS.get(key, "commitment")].update(pks)
    rows = {
        "commitment": _with_departments(_in_bulk(Commitment.objects.all(), wanted["commitment"])),
        "event": _in_bulk(
            CommitmentEvent.objects.select_related("commitment", "commitment__department", "by"),
            wanted["event"],
        ),
        "addressee": _in_bulk(Addressee.objects.select_related("report", "department"), wanted["addressee"]),
    }

    items = _Items(period, rows["commitment"].values())

    def section_rows(scope, key):
        pks, total = chosen[scope, key]
        found = rows[SECTION_MODELS.get(key, "commitment")]
        return [found[pk] for pk in pks], total

    built = {}
    for scope in scopes:
        sections = []
        if scope in listed:
            sections = _sections_of(scope, period, section_rows, items, first_due, last_due, monthly)
        if scope.escalation_department_ids:
            found, total = section_rows(scope, "escalated")
            sections.insert(
                0,
                Section(
                    "escalated",
                    f"Escalated to you: overdue for more than {settings.ESCALATION_AFTER_WEEKS} weeks",
                    items.commitments(found, overdue=True),
                    total,
                ),
            )
        built[scope] = sections
    return built


SCRUTINY_SECTIONS = ("claims_to_assess", "delivered")
SECTION_MODELS = {"missing_responses": "addressee", "revised": "event", "delivered": "event"}


def _in_bulk(queryset, pks):
    """{pk: row} of these rows in one query (and one per prefetch), none when there are none."""
    if not pks:
        return {}
    return {row.pk: row for row in queryset.filter(pk__in=sorted(pks))}


def _with_departments(commitments):
    """Each commitment's department from one small query: a run lists tens of thousands of commitments of a few
    dozen departments, and one shared object each is cheaper than a joined copy a row."""
    departments = Department.objects.in_bulk({c.department_id for c in commitments.values()})
    for c in commitments.values():
        c.department = departments[c.department_id]
    return commitments


def _sections_of(scope, period, section_rows, items, first_due, last_due, monthly):
    today = period.today
    sections = []
    found, total = section_rows(scope, "newly_overdue")
    sections.append(
        Section(
            "newly_overdue",
            "Newly overdue this week: the due date passed in the last seven days",
            items.commitments(found, overdue=True),
            total,
            scope.list_url(overdue="1", due_from=first_due.isoformat(), due_to=last_due.isoformat()),
        )
    )
    found, total = section_rows(scope, "already_overdue")
    sections.append(
        Section(
            "already_overdue",
            "Recorded this week, already overdue when recorded",
            items.commitments(found, overdue=True),
            total,
            scope.list_url(overdue="1", sort="due"),
        )
    )
    found, total = section_rows(scope, "still_overdue")
    sections.append(
        Section(
            "still_overdue",
            "Still overdue, oldest first",
            items.commitments(found, overdue=True),
            total,
            scope.list_url(overdue="1", sort="due"),
        )
    )
    soon_from, soon_to = rules.due_soon_window(today)
    found, total = section_rows(scope, "due_soon")
    sections.append(
        Section(
            "due_soon",
            f"Due in the next {rules.DUE_SOON_DAYS} days",
            items.commitments(found),
            total,
            scope.list_url(open="1", due_from=soon_from.isoformat(), due_to=soon_to.isoformat()),
        )
    )
    found, total = section_rows(scope, "missing_responses")
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
                for a in found
            ],
            total,
        )
    )
    found, total = section_rows(scope, "undated")
    sections.append(
        Section(
            "undated",
            "Undated or vague promises, open" + (": the monthly list" if monthly else ""),
            items.commitments(found),
            total,
            scope.list_url(open="1", undated="1"),
            news=monthly,
        )
    )
    found, total = section_rows(scope, "revised")
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
                    by=_by_name(e),
                    why=e.note,
                )
                for e in found
            ],
            total,
        )
    )
    if scope.scrutineer:
        # For scrutineers (committee clerks, administrators): delivery claims waiting for an assessment, and
        # the deliveries recorded this week.
        found, total = section_rows(scope, "claims_to_assess")
        sections.append(
            Section(
                "claims_to_assess",
                "Delivery claims to assess (verify or dispute)",
                items.commitments(found),
                total,
            )
        )
        found, total = section_rows(scope, "delivered")
        sections.append(
            Section(
                "delivered",
                "Deliveries recorded this week",
                [
                    DeliveryItem(
                        event=e,
                        url=absolute(e.commitment.get_absolute_url()),
                        status=e.get_new_status_display(),
                        by=_by_name(e),
                    )
                    for e in found
                ],
                total,
            )
        )
    return sections


def _by_name(event):
    return (event.by.get_full_name() or event.by.get_username()) if event.by else "unknown"


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
    """Digests for many subscribers, built together: a fixed number of queries for all of them (reading the
    subscriptions and what they follow, then build_all_sections), whatever their number; subscribers who follow
    the same things share one set of sections."""
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
    scoped = [(subscription, Scope.of(subscription)) for subscription in subscriptions]
    built = build_all_sections([scope for _, scope in scoped], period)
    rendered = {scope: {} for scope in built}
    for subscription, scope in scoped:
        yield Digest(subscription, period, built[scope], settings.SITE_URL, rendered[scope])


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
    subscription = DigestSubscription.objects.select_related("user").get(pk=subscription_id)
    delivery, token = claim_delivery(subscription, week, now=now)
    if token is None:
        return delivery.status
    return _send(delivery, token, build_digest(subscription, week, now=now))


def deliver_digests(subscription_ids, week, *, now=None):
    """The weekly run's batch: these subscribers' digests built together (build_digests: a fixed number of
    queries for all of them), then each claimed, sent and recorded exactly as deliver_digest does.

    A failed send is recorded (FAILED, with its error) and does not stop the others, unless
    GIVE_UP_AFTER_FAILURES sends fail in a row: the mail server is down, and a batch of a thousand would wait for
    a thousand timeouts. The rest stay unsent (PENDING) for send_unsent_digests. Returns {subscription id:
    status} of those tried, so the caller can retry the failed ones alone."""
    outcome, failures_in_a_row = {}, 0
    subscriptions = DigestSubscription.objects.filter(pk__in=list(subscription_ids)).order_by("pk")
    for digest in build_digests(subscriptions, week, now=now):
        if failures_in_a_row >= GIVE_UP_AFTER_FAILURES:
            log.warning(
                "%s digests failed in a row: the rest of this batch is left for a later run.",
                failures_in_a_row,
            )
            break
        delivery, token = claim_delivery(digest.subscription, week, now=now)
        if token is None:
            outcome[digest.subscription.pk] = delivery.status
            continue
        try:
            outcome[digest.subscription.pk] = _send(delivery, token, digest)
            failures_in_a_row = 0
        except Exception:
            log.exception("Digest for subscription %s failed.", digest.subscription.pk)
            outcome[digest.subscription.pk] = DigestDelivery.Status.FAILED
            failures_in_a_row += 1
    return outcome


GIVE_UP_AFTER_FAILURES = 5


def batches(subscription_ids, size=None):
    """The subscribers in batches for deliver_digests, subscribers of the same department together: a batch's
    queries read only the departments its subscribers follow, so the batches of a run together read about as
    much as one batch of everyone would."""
    size = size or settings.DIGEST_BATCH_SIZE
    ordered = (
        DigestSubscription.objects.filter(pk__in=list(subscription_ids))
        .annotate(first_department=Min("departments"))
        .order_by("-follow_everything", F("first_department").asc(nulls_last=True), "pk")
        .values_list("pk", flat=True)
    )
    ordered = list(ordered)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _send(delivery, token, digest):
    from tracker import emails

    if digest.is_empty and not digest.subscription.send_when_empty:
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
    """Deliver every due digest in-process, batch by batch (the command's path; the task fans the batches out).

    One subscriber's failure is recorded and does not stop the others. Returns {status: count}.
    """
    week = week or current_week(now)
    subscriptions = subscriptions_to_send()
    if email:
        subscriptions = subscriptions.filter(user__email__iexact=email)
    outcome = {}
    for batch in batches(subscriptions.values_list("pk", flat=True)):
        for status in deliver_digests(batch, week, now=now).values():
            outcome[status] = outcome.get(status, 0) + 1
    return outcome
