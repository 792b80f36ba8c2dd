"""Report.earliest_open_due: the earliest due date among the open commitments of a report's confirmed letters.

It lets the reports list answer "has an overdue commitment" by comparing one column (earliest_open_due <
today) instead of finding every overdue commitment and the reports of their letters on each request: at
100,000 commitments that semi-join was 38 ms and made the filtered list the slowest page. The value does not
depend on the date, so the passage of time never makes it stale; only changes to commitments, to a letter's
review state or to a letter's reports do. Those changes refresh it in their own transaction:

- saving or deleting a commitment, a letter, or a letter's links to reports: signals (responses/signals.py);
- Commitment.change_status and revise_due_date (a conditional UPDATE, no signal): they call refresh_for_letters;
- bulk paths with no signals (confirming an ingested letter, seed_demo, generate_demo_data): they call it too.

The refresh is part of the writer's transaction wherever the writer has one (views, the admin, ingestion). A
model saved in autocommit mode (a shell session) commits before its post_save refresh runs, so a failing
refresh there leaves the date stale until the weekly check.

A weekly task (tracker.tasks.check_report_due_dates; also `manage.py refresh_report_due_dates`) recomputes
every report as a safety net for anything written around these paths (a raw UPDATE, a fixture load) and logs
how many it had to correct, which should be none. It is not part of the daily overdue sweep: it reads every
open commitment, and the sweep's cost is kept to what changed that day.
"""

from django.db import connection, transaction
from django.db.models import F, Func, OuterRef, Subquery

from responses.models import Commitment, ResponseLetter
from tracker.models import Report
from tracker.rules import FINAL_STATUSES

REPORTS = Report._meta.db_table
COMMITMENTS = Commitment._meta.db_table
LETTERS = ResponseLetter._meta.db_table
LETTER_REPORTS = ResponseLetter.reports.through._meta.db_table


def earliest_open_due():
    """The value for the report in the outer query: MIN over its open commitments (NULL when it has none).

    A plain MIN function, not an aggregate: the subquery is correlated on the report, so it has no GROUP BY.
    """
    commitments = (
        Commitment.objects.open()
        .filter(
            letter__reports=OuterRef("pk"),
            letter__review_state=ResponseLetter.ReviewState.CONFIRMED,
            due_latest__isnull=False,
        )
        .order_by()
        .annotate(earliest=Func(F("due_latest"), function="MIN"))
        .values("earliest")
    )
    return Subquery(commitments)


def refresh(reports):
    """Recompute the value for a queryset of reports; returns the number of rows written.

    The rows are locked first, in id order, and only then recomputed: an UPDATE alone computes its value from
    the snapshot taken when it started, so on PostgreSQL a second writer waiting for the first writer's lock
    on the same report would then write a value that misses the first writer's change. Once the lock is
    held, the UPDATE (a new statement, so a new snapshot) sees every change committed before it.
    """
    with transaction.atomic():
        locked = list(reports.order_by("pk").select_for_update().values_list("pk", flat=True))
        if not locked:
            return 0
        return Report.objects.filter(pk__in=locked).update(earliest_open_due=earliest_open_due())


def refresh_reports(report_ids):
    report_ids = {pk for pk in report_ids if pk is not None}
    return refresh(Report.objects.filter(pk__in=report_ids)) if report_ids else 0


def refresh_for_letters(letter_ids):
    """Refresh the reports the given letters answer."""
    letter_ids = {pk for pk in letter_ids if pk is not None}
    if not letter_ids:
        return 0
    linked = ResponseLetter.reports.through.objects.filter(responseletter_id__in=letter_ids)
    return refresh(Report.objects.filter(pk__in=linked.values("report_id")))


def refresh_stale():
    """Recompute every report whose stored value differs from its commitments; returns how many differed.

    One statement: the open commitments grouped by report in a single pass, joined to the reports, and only
    the differing rows written (so a run over consistent data writes nothing). The per-report subquery of
    refresh() would run once per report (0.4-0.9 s at 10,000 reports and 100,000 commitments; this: 36 ms).
    """
    distinct_from = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    statuses = ", ".join(["%s"] * len(FINAL_STATUSES))
    sql = f"""
        WITH computed AS (
            SELECT report.id, grouped.earliest
            FROM {REPORTS} report
            LEFT JOIN (
                SELECT link.report_id, MIN(commitment.due_latest) AS earliest
                FROM {COMMITMENTS} commitment
                JOIN {LETTERS} letter ON letter.id = commitment.letter_id
                JOIN {LETTER_REPORTS} link ON link.responseletter_id = commitment.letter_id
                WHERE letter.review_state = %s
                  AND commitment.due_latest IS NOT NULL
                  AND commitment.status NOT IN ({statuses})
                GROUP BY link.report_id
            ) grouped ON grouped.report_id = report.id
            WHERE report.earliest_open_due {distinct_from} grouped.earliest
        )
        UPDATE {REPORTS} SET earliest_open_due = computed.earliest
        FROM computed WHERE {REPORTS}.id = computed.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ResponseLetter.ReviewState.CONFIRMED.value, *FINAL_STATUSES])
        if connection.vendor == "sqlite":  # its driver counts no rows for a statement that starts WITH
            cursor.execute("SELECT changes()")
            return cursor.fetchone()[0]
        return cursor.rowcount
