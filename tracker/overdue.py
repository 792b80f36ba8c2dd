"""The overdue sweep: flags late commitments and missing responses, and unflags what is no longer late.

Set-based on purpose: each step is one SQL statement whatever the number of rows, so the daily run costs
the same with ten commitments or a million. Each step claims its rows with a conditional UPDATE (only rows
not yet in the target state match), so running the sweep twice, or two sweeps at once, changes nothing the
second time. On PostgreSQL the UPDATE and the INSERT of the matching event rows are one statement (a
data-modifying CTE), so an event is written for exactly the rows this run changed, even when two sweeps
overlap. Other databases (SQLite, for the quick start) run INSERT ... SELECT then the UPDATE with the same
condition inside one transaction; SQLite serialises writers, which gives the same guarantee there.

"Today" is the London date: something due on 31 March is overdue from 1 April in London, whatever UTC says.
"""

import dataclasses
import datetime

from django.db import connection, transaction
from django.utils import timezone

from responses.models import Commitment, CommitmentEvent
from tracker import rules
from tracker.models import Addressee, AddresseeEvent, london_today

# tracker.rules in SQL: open = status not in FINAL_STATUSES; overdue on D = open and due_latest < D; overdue from
# rules.overdue_from(due_latest) = due_latest + 1 (_day_after below). A property test holds the three together.
FINAL_STATUSES = rules.FINAL_STATUSES

# An addressee's response is missing on D when tracker.rules' response clock says OVERDUE: the SQL below is
# built from the rules' table (rules.sql_response_clock), missing from rules.missing_from(response_due).

# Table names come from the models so a rename cannot silently break the SQL.
COMMITMENTS = Commitment._meta.db_table
COMMITMENT_EVENTS = CommitmentEvent._meta.db_table
ADDRESSEES = Addressee._meta.db_table
ADDRESSEE_EVENTS = AddresseeEvent._meta.db_table
FINAL_IN = "(" + ", ".join(["%s"] * len(FINAL_STATUSES)) + ")"

ANALYZE_AFTER_ROWS = 10_000
REACHED_FINAL_STATE = "Reached a final state"
REDATED = "Re-dated: no longer past its due date"
RESPONSE_RECORDED = "Response recorded, deadline extended or no longer required"


@dataclasses.dataclass
class SweepResult:
    today: datetime.date
    commitments_flagged: int = 0
    commitments_unflagged: int = 0
    overdue_since_corrected: int = 0
    responses_flagged_missing: int = 0
    responses_unflagged_missing: int = 0
    missing_since_corrected: int = 0

    def as_dict(self):
        return {**dataclasses.asdict(self), "today": self.today.isoformat()}

    @property
    def rows_changed(self):
        return (
            self.commitments_flagged
            + self.commitments_unflagged
            + self.overdue_since_corrected
            + self.responses_flagged_missing
            + self.responses_unflagged_missing
            + self.missing_since_corrected
        )

    def __str__(self):
        return (
            f"Overdue sweep for {self.today.isoformat()} (London): "
            f"{self.commitments_flagged} commitments newly overdue, {self.commitments_unflagged} no longer "
            f"overdue; {self.responses_flagged_missing} responses newly missing, "
            f"{self.responses_unflagged_missing} no longer missing."
        )


def sweep(today=None, *, atomic_claim=None):
    """Run every step in one transaction. `today` defaults to the London date.

    atomic_claim: use the single-statement UPDATE ... RETURNING + INSERT form (PostgreSQL). Defaults to
    whether the database is PostgreSQL; the tests run both forms.
    """
    today = today or london_today()
    if atomic_claim is None:
        atomic_claim = connection.vendor == "postgresql"
    now = timezone.now()
    result = SweepResult(today=today)
    with transaction.atomic(), connection.cursor() as cursor:
        # Unflag first, so a commitment that reached a final state is never counted as newly overdue.
        # Before flagging, so these read only the rows flagged by earlier runs (a first sweep flags most rows).
        if atomic_claim:
            result.commitments_unflagged, result.overdue_since_corrected = reconcile_flagged(
                cursor, today, now
            )
        else:
            result.commitments_unflagged = unflag_commitments(cursor, today, now, atomic_claim)
            result.overdue_since_corrected = correct_overdue_since(cursor, today)
        if atomic_claim:
            # The planner cannot know that nearly every dated open row before today is already flagged, so
            # it expects a large fraction to match and scans the whole table (1.3 s at a million rows)
            # where the partial index commitment_sweep_idx holds exactly the candidates (20 ms). A bitmap scan
            # of that index is also right for a first sweep that flags most rows.
            cursor.execute("SET LOCAL enable_seqscan = off")
        result.commitments_flagged = flag_commitments(cursor, today, now, atomic_claim)
        if atomic_claim:
            cursor.execute("SET LOCAL enable_seqscan = on")
        result.responses_unflagged_missing = unflag_missing_responses(cursor, today, now, atomic_claim)
        result.missing_since_corrected = correct_missing_since(cursor, today)
        result.responses_flagged_missing = flag_missing_responses(cursor, today, now, atomic_claim)
    if connection.vendor == "postgresql" and result.rows_changed >= ANALYZE_AFTER_ROWS:
        # A first sweep flags most rows at once; until autovacuum catches up, the planner would believe
        # almost nothing is overdue and pick nested loops for the digest's queries. Refresh the statistics now.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {COMMITMENTS}, {COMMITMENT_EVENTS}, {ADDRESSEES}, {ADDRESSEE_EVENTS}")
    return result


def _day_after(column):
    if connection.vendor == "postgresql":
        return f"({column} + 1)"
    return f"date({column}, '+1 day')"


def _update_and_record(
    cursor,
    *,
    table,
    set_sql,
    set_params=(),
    where,
    where_params,
    columns,
    insert,
    select,
    select_params,
    atomic_claim,
):
    """UPDATE the rows matching `where` and INSERT one event row per updated row; returns the row count.

    `select` is the event's SELECT list over the changed rows' `columns`.
    """
    update = f"UPDATE {table} SET {set_sql}"
    # A unique constraint may refuse an event already recorded (one "became overdue" per spell): skip it.
    # (WHERE true: SQLite would read "ON CONFLICT" as a join's ON without it.)
    skip = "WHERE true ON CONFLICT DO NOTHING"
    if atomic_claim:
        cursor.execute(
            f"WITH changed AS ({update} WHERE {where} RETURNING {columns}) "
            f"{insert} SELECT {select} FROM changed {skip}",
            [*set_params, *where_params, *select_params],
        )
        return cursor.rowcount
    cursor.execute(
        f"{insert} SELECT {select} FROM (SELECT {columns} FROM {table} WHERE {where}) AS changed {skip}",
        [*select_params, *where_params],
    )
    inserted = cursor.rowcount
    cursor.execute(f"{update} WHERE {where}", [*set_params, *where_params])
    return inserted


COMMITMENT_EVENT_INSERT = (
    f"INSERT INTO {COMMITMENT_EVENTS} (commitment_id, kind, created_at, by_id, old_status, new_status, "
    "old_due_latest, new_due_latest, old_evidence_state, new_evidence_state, note, evidence_url)"
)
ADDRESSEE_EVENT_INSERT = (
    f"INSERT INTO {ADDRESSEE_EVENTS} (addressee_id, kind, happened_on, recorded_at, old_deadline, "
    "new_deadline, note, by_id)"
)


def flag_commitments(cursor, today, now, atomic_claim=True):
    """Open commitments whose last due day is before today become overdue, from the day after it."""
    return _update_and_record(
        cursor,
        table=COMMITMENTS,
        set_sql=f"is_overdue = true, overdue_since = {_day_after('due_latest')}",
        # Matches the partial index commitment_sweep_idx, so the daily run reads only the rows newly due.
        where=f"is_overdue = false AND due_latest IS NOT NULL AND due_latest < %s AND NOT (status IN {FINAL_IN})",
        where_params=[today, *FINAL_STATUSES],
        columns="id, status, due_latest",
        insert=COMMITMENT_EVENT_INSERT,
        select="id, %s, %s, NULL, status, status, NULL, due_latest, '', '', '', ''",
        select_params=[CommitmentEvent.Kind.FLAGGED_OVERDUE.value, now],
        atomic_claim=atomic_claim,
    )


def unflag_commitments(cursor, today, now, atomic_claim=True):
    """Flagged commitments that reached a final state, or were re-dated to today or later, or undated.

    A final state keeps overdue_since (delivered late stays a fact); a re-dated one loses it.
    """
    return _update_and_record(
        cursor,
        table=COMMITMENTS,
        set_sql=f"is_overdue = false, overdue_since = CASE WHEN status IN {FINAL_IN} THEN overdue_since END",
        set_params=FINAL_STATUSES,
        where=f"is_overdue = true AND (status IN {FINAL_IN} OR due_latest IS NULL OR due_latest >= %s)",
        where_params=[*FINAL_STATUSES, today],
        columns="id, status, due_latest",
        insert=COMMITMENT_EVENT_INSERT,
        select=(
            f"id, %s, %s, NULL, status, status, NULL, due_latest, '', '', "
            f"CASE WHEN status IN {FINAL_IN} THEN %s ELSE %s END, ''"
        ),
        select_params=[
            CommitmentEvent.Kind.UNFLAGGED_OVERDUE.value,
            now,
            *FINAL_STATUSES,
            REACHED_FINAL_STATE,
            REDATED,
        ],
        atomic_claim=atomic_claim,
    )


def correct_overdue_since(cursor, today):
    """A flagged commitment re-dated to another past date is still overdue, but from a different day."""
    day_after = _day_after("due_latest")
    cursor.execute(
        f"UPDATE {COMMITMENTS} SET overdue_since = {day_after} "
        f"WHERE is_overdue = true AND due_latest < %s AND (overdue_since IS NULL OR overdue_since <> {day_after})",
        [today],
    )
    return cursor.rowcount


def reconcile_flagged(cursor, today, now):
    """unflag_commitments and correct_overdue_since in one statement, so the daily run reads the flagged
    rows once (no index covers them). PostgreSQL only. Returns (unflagged, corrected)."""
    unflag = f"(status IN {FINAL_IN} OR due_latest IS NULL OR due_latest >= %s)"
    unflag_params = [*FINAL_STATUSES, today]
    cursor.execute(
        f"WITH changed AS (UPDATE {COMMITMENTS} SET is_overdue = NOT {unflag}, "
        f"overdue_since = CASE WHEN {unflag} THEN (CASE WHEN status IN {FINAL_IN} THEN overdue_since END) "
        "ELSE due_latest + 1 END "
        f"WHERE is_overdue = true AND ({unflag} OR overdue_since IS NULL OR overdue_since <> due_latest + 1) "
        "RETURNING id, status, due_latest, is_overdue), "
        f"recorded AS ({COMMITMENT_EVENT_INSERT} "
        "SELECT id, %s, %s, NULL, status, status, NULL, due_latest, '', '', "
        f"CASE WHEN status IN {FINAL_IN} THEN %s ELSE %s END, '' FROM changed WHERE NOT is_overdue RETURNING 1) "
        "SELECT (SELECT count(*) FROM recorded), (SELECT count(*) FROM changed WHERE is_overdue)",
        [
            *unflag_params,
            *unflag_params,
            *FINAL_STATUSES,
            *unflag_params,
            CommitmentEvent.Kind.UNFLAGGED_OVERDUE.value,
            now,
            *FINAL_STATUSES,
            REACHED_FINAL_STATE,
            REDATED,
        ],
    )
    unflagged, corrected = cursor.fetchone()
    return unflagged, corrected


def _missing(today):
    """(SQL, params): the addressee's response is missing on `today` (tracker.rules' response clock: OVERDUE).
    Built from the rules' table, so it matches the partial index addressee_awaiting_idx."""
    return rules.sql_response_clock([rules.OVERDUE], today)


def flag_missing_responses(cursor, today, now, atomic_claim=True):
    """Addressees whose deadline (with any extension) passed with no response identified: missing from the
    day after the deadline (rules.missing_from).

    The flag means "no response identified", not "did not respond": only an editor confirms a non-response.
    """
    missing, params = _missing(today)
    return _update_and_record(
        cursor,
        table=ADDRESSEES,
        set_sql=f"missing_since = {_day_after('response_due')}",
        where=f"missing_since IS NULL AND {missing}",
        where_params=params,
        columns="id, response_due",
        insert=ADDRESSEE_EVENT_INSERT,
        select=f"id, %s, {_day_after('response_due')}, %s, response_due, response_due, '', NULL",
        select_params=[AddresseeEvent.Kind.FLAGGED_MISSING.value, now],
        atomic_claim=atomic_claim,
    )


def unflag_missing_responses(cursor, today, now, atomic_claim=True):
    """No longer missing by the rules: a response arrived, an extension moved the deadline to today or later,
    or none is required now."""
    missing, params = _missing(today)
    return _update_and_record(
        cursor,
        table=ADDRESSEES,
        set_sql="missing_since = NULL",
        where=f"missing_since IS NOT NULL AND NOT {missing}",
        where_params=params,
        columns="id, response_due",
        insert=ADDRESSEE_EVENT_INSERT,
        select="id, %s, %s, %s, response_due, response_due, %s, NULL",
        select_params=[AddresseeEvent.Kind.UNFLAGGED_MISSING.value, today, now, RESPONSE_RECORDED],
        atomic_claim=atomic_claim,
    )


def correct_missing_since(cursor, today):
    """Still missing, but its deadline moved to another past day (an extension granted after the deadline, a
    corrected report date): missing from the day after the new one. No event: the change has its own."""
    missing, params = _missing(today)
    day_after = _day_after("response_due")
    cursor.execute(
        f"UPDATE {ADDRESSEES} SET missing_since = {day_after} "
        f"WHERE missing_since IS NOT NULL AND missing_since <> {day_after} AND {missing}",
        params,
    )
    return cursor.rowcount
