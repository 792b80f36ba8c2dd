"""Fill the database with realistic synthetic data for benchmarks and demos.

`--reports N --commitments M [--subscribers K]`: reports of every kind sent to one to three departments, one
response letter per report, M commitments spread over ten years of due dates with realistic time phrases,
precisions and delivery statuses, and K subscribers (officials following one department, clerks following
reports, a few administrators following everything, senior contacts for escalation).

On PostgreSQL rows go in with COPY (a million commitments in well under two minutes); elsewhere with
bulk_create. Ids are assigned here so rows can point at each other without reading them back; the sequences
are reset afterwards. Run it alone: it is not safe against concurrent inserts into the same tables.
"""

import calendar
import datetime
import functools
import hashlib
import io
import itertools
import random
import time

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from responses import report_due_dates
from responses.models import Commitment, ResponseLetter
from tracker import rules
from tracker.demo import load_departments
from tracker.models import Addressee, Department, DigestSubscription, Report

User = get_user_model()
S = Commitment.Status
P = Commitment.Precision
COPY_CHUNK = 50_000


class Weighted:
    """Draws from weighted choices; cumulative weights computed once (this runs a million times)."""

    def __init__(self, choices):
        self.values = [value for value, _ in choices]
        self.cum_weights = list(itertools.accumulate(weight for _, weight in choices))

    def draw(self, rng, k=1):
        return rng.choices(self.values, cum_weights=self.cum_weights, k=k)


ACTIONS = [
    "publish updated guidance on",
    "consult on changes to",
    "lay a report before Parliament on",
    "commission an independent review of",
    "write to all trusts about",
    "update the statutory code of practice on",
    "fund a national pilot of",
    "set out next steps on",
    "respond in detail to the recommendation on",
    "issue a Dear Colleague letter on",
]
SUBJECTS = [
    "information sharing between agencies",
    "mental health crisis care",
    "safeguarding children at risk of exploitation",
    "discharge planning from hospital",
    "the use of restraint in custody",
    "road safety on rural roads",
    "prescribing of opioid medicines",
    "domestic homicide reviews",
    "fire safety in high-rise residential buildings",
    "ambulance response times",
    "youth diversion schemes",
    "national practice framework for social workers",
]
VAGUE_PHRASES = [
    "in due course",
    "shortly",
    "over the coming months",
    "as soon as possible",
    "in the near future",
]
SEASONS = {3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"}
CORONER_AREAS = [
    "Inner North London",
    "Manchester City",
    "West Yorkshire (Eastern)",
    "Avon",
    "Kent",
    "Cumbria",
]
COMMITTEES = [
    "Home Affairs Committee",
    "Health and Social Care Committee",
    "Education Committee",
    "Justice Committee",
]
REPORT_KINDS = Weighted(
    [
        (Report.Kind.PFD, 70),
        (Report.Kind.NATIONAL_REVIEW, 10),
        (Report.Kind.INQUIRY, 5),
        (Report.Kind.COMMITTEE, 15),
    ]
)
# Delivery status of commitments whose due date has passed; future ones are mostly not yet assessed.
PAST_STATUSES = Weighted(
    [
        (S.NOT_YET_ASSESSED, 60),
        (S.IN_PROGRESS, 18),
        (S.DELAYED, 10),
        (S.PARTLY_DELIVERED, 4),
        (S.DELIVERED, 4),
        (S.DELIVERED_LATE, 2),
        (S.NOT_DELIVERED, 1),
        (S.SUPERSEDED, 0.6),
        (S.NO_LONGER_APPLICABLE, 0.4),
    ]
)
FUTURE_STATUSES = Weighted([(S.NOT_YET_ASSESSED, 80), (S.IN_PROGRESS, 20)])


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=100_000)
def time_phrase_for(anchor, bucket, letter_year):
    """A due window and its phrase, as letters put it: a month, a season, a year, a financial year or a day."""
    if bucket == 0:
        return f"by {anchor:%B %Y}", anchor.replace(day=1), month_end(anchor.year, anchor.month), P.MONTH
    if bucket == 1:
        start_month = max(m for m in SEASONS if m <= anchor.month) if anchor.month >= 3 else 12
        year = anchor.year if anchor.month >= 3 else anchor.year - 1
        first = datetime.date(year, start_month, 1)
        last = add_months(first, 2)
        return f"by {SEASONS[start_month]} {year}", first, month_end(last.year, last.month), P.SEASON
    if bucket == 2:
        phrase = "later this year" if anchor.year == letter_year else f"in {anchor.year}"
        return phrase, datetime.date(anchor.year, 1, 1), datetime.date(anchor.year, 12, 31), P.YEAR
    if bucket == 3:
        year = anchor.year if anchor.month >= 4 else anchor.year - 1
        phrase = f"in the {year}-{(year + 1) % 100:02d} financial year"
        return phrase, datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31), P.FINANCIAL_YEAR
    return f"by {anchor.day} {anchor:%B %Y}", None, anchor, P.DAY


PHRASE_BUCKETS = Weighted([(0, 25), (1, 20), (2, 15), (3, 10), (4, 30)])


class Writer:
    """COPY on PostgreSQL, bulk_create elsewhere; rows are tuples in `columns` order."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model, columns, rows):
        if self.postgres:
            self._copy(model._meta.db_table, columns, rows)
        else:
            batch = []
            for row in rows:
                batch.append(model(**dict(zip(columns, row, strict=True))))
                if len(batch) >= 2000:
                    model.objects.bulk_create(batch)
                    batch = []
            model.objects.bulk_create(batch)

    def _copy(self, table, columns, rows):
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor:
            buffer, count = io.StringIO(), 0
            for row in rows:
                buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
                buffer.write("\n")
                count += 1
                if count == COPY_CHUNK:
                    buffer.seek(0)
                    cursor.copy_expert(sql, buffer)
                    buffer, count = io.StringIO(), 0
            if count:
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)


def skip_foreign_key_triggers():
    """Bulk-loading practice on PostgreSQL: every id written here was just generated from rows inserted in the
    same transaction, so the per-row foreign-key trigger checks (a third of the load time) are redundant.
    Needs a superuser; otherwise the checks simply run."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def next_id(model):
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class Command(BaseCommand):
    help = "Generate realistic synthetic reports, letters, commitments and subscribers (bulk inserts / COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=1000)
        parser.add_argument("--commitments", type=int, default=10000)
        parser.add_argument("--subscribers", type=int, default=100)
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")

    def handle(self, *args, reports, commitments, subscribers, seed, **options):
        started = time.monotonic()
        rng = random.Random(seed)
        with transaction.atomic():
            skip_foreign_key_triggers()
            load_departments()
            counts = generate(rng, reports, commitments, subscribers, Writer())
            report_due_dates.refresh_stale()  # COPY and bulk_create send no signals
            Report.objects.filter(kind=Report.Kind.PFD).refresh_pfd_clocks()  # the reports' PFD clocks too
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Report, Addressee, ResponseLetter, Commitment, DigestSubscription):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(
            ", ".join(f"{n} {name}" for name, n in counts.items())
            + f" in {time.monotonic() - started:.1f} s."
        )


def generate(rng, n_reports, n_commitments, n_subscribers, writer):
    now = timezone.now()
    today = timezone.localdate()
    run = hashlib.sha256(f"{now.isoformat()}{rng.random()}".encode()).hexdigest()[:8]
    departments = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    core = departments[: min(12, len(departments))]  # most scrutiny lands on a dozen departments

    # Reports issued over the past ten years, each with one to three addressees and one response letter.
    first_day = today - relativedelta(years=10)
    span = (today - first_day).days
    report_id, letter_id, addressee_id = next_id(Report), next_id(ResponseLetter), next_id(Addressee)
    reports, addressees, letters, letter_departments, letter_reports = [], [], [], [], []
    letter_pool = []  # (letter id, letter date, [department ids])
    kinds = REPORT_KINDS.draw(rng, n_reports)
    for n in range(n_reports):
        rid, lid = report_id + n, letter_id + n
        kind = kinds[n]
        issued = first_day + datetime.timedelta(days=rng.randrange(span))
        if kind == Report.Kind.PFD:
            deceased = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(['Smith', 'Jones', 'Patel', 'Khan', 'Evans', 'Brown', 'Taylor', 'Wilson'])}"
            title, body, author = (
                f"Regulation 28 report relating to the death of {deceased} ({run}-{n})",
                f"HM Coroner, {rng.choice(CORONER_AREAS)}",
                "Area Coroner",
            )
            due = rules.response_deadline(kind, issued)
        elif kind == Report.Kind.COMMITTEE:
            deceased, body, author = "", rng.choice(COMMITTEES), "Committee chair"
            title = f"{body} report on {rng.choice(SUBJECTS)} ({run}-{n})"
            due = rules.response_deadline(kind, issued)
        else:
            deceased, body, author = "", "Independent review panel", "Panel chair"
            title = f"Review of {rng.choice(SUBJECTS)} ({run}-{n})"
            due = None
        reports.append(
            (
                rid,
                kind,
                title,
                f"synthetic-{run}-{n}",
                body,
                author,
                "",
                issued,
                None,
                deceased,
                "",
                "",
                now,
                now,
            )
        )
        recipients = rng.sample(core, k=min(len(core), rng.choice([1, 1, 1, 2, 3])))
        letter_date = min(today, issued + datetime.timedelta(days=rng.randint(20, 120)))
        for department in recipients:
            received = None
            if due and (rng.random() < 0.85 or letter_date > today):
                received = letter_date
            addressees.append(
                (addressee_id, rid, department, True, due, due, received, None, None, None, None, None)
            )
            addressee_id += 1
        content_hash = hashlib.sha256(f"synthetic {run} {n}".encode()).hexdigest()
        letters.append(
            (
                lid,
                letter_date,
                author,
                "",
                f"Synthetic response letter {n} to {title}.",
                "",
                "",
                content_hash,
                ResponseLetter.Source.COMMAND,
                ResponseLetter.ReviewState.CONFIRMED,
                "{}",
                "{}",
                None,
                now,
                None,
                None,
            )
        )
        letter_departments.extend((lid, d) for d in recipients)
        letter_reports.append((lid, rid))
        letter_pool.append((lid, letter_date, recipients))

    writer.write(
        Report,
        [
            "id",
            "kind",
            "title",
            "slug",
            "issuing_body",
            "author",
            "author_role",
            "date_issued",
            "stated_response_deadline",
            "deceased",
            "reference",
            "source_url",
            "created_at",
            "updated_at",
        ],
        reports,
    )
    writer.write(
        Addressee,
        [
            "id",
            "report_id",
            "department_id",
            "response_required",
            "original_response_due",
            "response_due",
            "response_received_on",
            "response_letter_id",
            "interim_reply_on",
            "missing_since",
            "non_response_confirmed_at",
            "non_response_confirmed_by_id",
        ],
        addressees,
    )
    writer.write(
        ResponseLetter,
        [
            "id",
            "date",
            "addressed_to_name",
            "addressed_to_role",
            "text",
            "original_file",
            "original_filename",
            "content_hash",
            "source",
            "review_state",
            "extraction",
            "draft",
            "ingested_by_id",
            "ingested_at",
            "confirmed_by_id",
            "confirmed_at",
        ],
        letters,
    )
    writer.write(
        ResponseLetter.departments.through, ["responseletter_id", "department_id"], letter_departments
    )
    writer.write(ResponseLetter.reports.through, ["responseletter_id", "report_id"], letter_reports)

    writer.write(
        Commitment,
        [
            "id",
            "letter_id",
            "department_id",
            "text",
            "time_phrase",
            "due_earliest",
            "due_latest",
            "precision",
            "original_due_earliest",
            "original_due_latest",
            "original_time_phrase",
            "status",
            "status_reason",
            "delivered_on",
            "evidence_state",
            "evidence_url",
            "is_overdue",
            "version",
            "created_at",
            "updated_at",
        ],
        commitment_rows(rng, n_commitments, letter_pool, today, now, next_id(Commitment)),
    )

    n_users = write_subscribers(rng, n_subscribers, core, [r[0] for r in reports], run, now, writer)
    with connection.cursor() as cursor:
        models = [Report, Addressee, ResponseLetter, Commitment, User, DigestSubscription]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return {
        "reports": n_reports,
        "addressees": len(addressees),
        "letters": len(letters),
        "commitments": n_commitments,
        "subscribers": n_users,
    }


def commitment_rows(rng, n, letter_pool, today, now, first_id):
    """Generated lazily: a million rows never sit in memory at once."""
    if not letter_pool:
        return
    evidence = Commitment.EvidenceState
    # Letter by letter, as ingestion adds them: index and foreign-key lookups then touch neighbouring pages.
    letters = sorted(rng.randrange(len(letter_pool)) for _ in range(n))
    for i, letter_index in enumerate(letters):
        letter, letter_date, recipients = letter_pool[letter_index]
        department = recipients[0] if len(recipients) == 1 else rng.choice(recipients)
        if rng.random() < 0.08:
            phrase = rng.choice(VAGUE_PHRASES) if rng.random() < 0.6 else ""
            earliest = latest = None
            precision = P.VAGUE if phrase else P.NONE
        else:
            anchor = letter_date + datetime.timedelta(days=rng.randint(20, 900))
            bucket = PHRASE_BUCKETS.draw(rng)[0]
            phrase, earliest, latest, precision = time_phrase_for(anchor, bucket, letter_date.year)
        past = latest is not None and latest < today
        status = (PAST_STATUSES if past else FUTURE_STATUSES).draw(rng)[0]
        reason = "Overtaken by new legislation" if status in Commitment.STATUSES_NEEDING_REASON else ""
        delivered_on = None
        if status in (S.DELIVERED, S.PARTLY_DELIVERED) and latest:
            delivered_on = min(today, latest - datetime.timedelta(days=rng.randint(0, 60)))
        elif status == S.DELIVERED_LATE and latest:
            delivered_on = min(today, latest + datetime.timedelta(days=rng.randint(1, 200)))
        claim = evidence.SELF_REPORTED if delivered_on else evidence.NO_CLAIM
        text = f"We will {rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}{' ' + phrase if phrase else ''}."
        yield (
            first_id + i,
            letter,
            department,
            text,
            phrase,
            earliest,
            latest,
            precision,
            earliest,
            latest,
            phrase,
            status,
            reason,
            delivered_on,
            claim,
            "",
            False,
            1,
            now,
            now,
        )


def write_subscribers(rng, n, departments, report_ids, run, now, writer):
    """Officials following their department (most), clerks following reports, administrators, senior contacts."""
    if n <= 0:
        return 0
    user_id, subscription_id = next_id(User), next_id(DigestSubscription)
    users, subscriptions, follows_department, follows_report, senior = [], [], [], [], []
    for i in range(n):
        uid, sid = user_id + i, subscription_id + i
        role = rng.random()
        users.append(
            (
                "!",
                None,
                False,
                f"synthetic-{run}-{i}",
                "",
                "",
                f"synthetic-{run}-{i}@example.gov.uk",
                False,
                True,
                now,
            )
        )
        everything = role < 0.01
        subscriptions.append((sid, uid, everything, rng.random() < 0.1, True))
        if everything:
            continue
        if role < 0.10 and report_ids:
            follows_report.extend((sid, r) for r in rng.sample(report_ids, k=min(len(report_ids), 3)))
        else:
            department = rng.choice(departments)
            follows_department.append((sid, department))
            if role > 0.98:
                senior.append((department, uid))
    writer.write(User, USER_COLUMNS, users_with_ids(users, user_id))
    writer.write(
        DigestSubscription, ["id", "user_id", "follow_everything", "send_when_empty", "active"], subscriptions
    )
    writer.write(
        DigestSubscription.departments.through, ["digestsubscription_id", "department_id"], follows_department
    )
    writer.write(DigestSubscription.reports.through, ["digestsubscription_id", "report_id"], follows_report)
    writer.write(
        Department.senior_contacts.through, ["department_id", "user_id"], list(dict.fromkeys(senior))
    )
    return n


USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
]


def users_with_ids(users, first_id):
    return [(first_id + i, *row) for i, row in enumerate(users)]
