"""The tracker's domain rules, written once: what "open", "overdue", "due soon", "became overdue this week"
and the response periods mean.

Plain Python with no Django and no model import (import-linter holds it so: see .importlinter), at the
bottom of the layers with the readers and the deadline resolver. Everything else takes the rules from here:

- the models (responses.models, tracker.models): the status constants, Meta constraints and partial
  indexes, Commitment.is_overdue_on / days_overdue, CommitmentQuerySet.open / overdue / due_soon,
  Report.default_response_deadline;
- the overdue sweep's SQL (tracker.overdue) and Report.earliest_open_due (responses.report_due_dates):
  through sql_not_final() and the same constants;
- the digests (tracker.digests), the dashboard and the department scorecard (tracker.views), the templates
  (the `due_soon_days` context processor and the `days_overdue_on` filter).

A test (tests/tracker/test_rules.py) checks with hypothesis that the SQL sweep, the ORM filter and the
Python method agree on every generated row and day.

Statuses are plain strings here (the values of Commitment.Status); the model's TextChoices must contain
them, which a test holds.
"""

import datetime

from dateutil.relativedelta import relativedelta

# ----------------------------------------------------------------------------------------- statuses

# A commitment in one of these states is closed: it can never be overdue again (delivered late stays a fact).
FINAL_STATUSES = ("delivered", "delivered_late", "not_delivered", "superseded", "no_longer_applicable")
# Closing a commitment without delivering it needs a reason (a database constraint too).
STATUSES_NEEDING_REASON = ("not_delivered", "superseded", "no_longer_applicable")
# Something was delivered (partly delivered is still open: the rest may be late).
DELIVERED_STATUSES = ("delivered", "delivered_late", "partly_delivered")
# Delivery claims a committee clerk may assess (verified or disputed).
CLAIMS_TO_ASSESS = ("self_reported", "evidence_linked")

# ---------------------------------------------------------------------------------------- windows

DUE_SOON_DAYS = 30  # "due soon": open, and the last due day is today or within the next 30 days
UNDATED_FULL_LIST_DAYS = (
    7  # the full undated list goes in the digest whose week starts in a month's first 7 days
)

# ------------------------------------------------------------------------------- response periods

PFD_RESPONSE_DAYS = 56  # Coroners (Investigations) Regulations 2013, reg. 29: 56 days to respond.
COMMITTEE_RESPONSE_MONTHS = 2  # Government responses to select committee reports: two months by convention.


def response_deadline(kind, issued=None, stated=None):
    """When an addressee must answer a report of this kind (None: no deadline by rule).

    kind: a Report.Kind value ("pfd", "committee", ...); stated: the deadline the report itself gives, which a
    PFD report's own date overrides the 56 days with.
    """
    if kind == "pfd":
        if stated:
            return stated
        if issued:
            return issued + datetime.timedelta(days=PFD_RESPONSE_DAYS)
    if kind == "committee" and issued:
        return issued + relativedelta(months=COMMITTEE_RESPONSE_MONTHS)
    return None


# ------------------------------------------------------------------------------- commitment rules


def is_open(status):
    return status not in FINAL_STATUSES


def is_overdue(status, due_latest, day):
    """Overdue on `day`: open, dated, and its last due day is before `day` (due 31 March: overdue from 1 April)."""
    return is_open(status) and due_latest is not None and due_latest < day


def overdue_from(due_latest):
    """The first day a commitment due on `due_latest` is overdue (when it stays open)."""
    return None if due_latest is None else due_latest + datetime.timedelta(days=1)


def days_overdue(status, due_latest, day):
    return (day - due_latest).days if is_overdue(status, due_latest, day) else 0


def due_soon_window(day):
    """(first, last) due dates that count as "due soon" on `day`, both included."""
    return day, day + datetime.timedelta(days=DUE_SOON_DAYS)


def is_due_soon(status, due_latest, day):
    first, last = due_soon_window(day)
    return is_open(status) and due_latest is not None and first <= due_latest <= last


def week_days(last_day):
    """The seven days a digest sent on `last_day` reports on: (first, last), both included."""
    return last_day - datetime.timedelta(days=6), last_day


def became_overdue_due_dates(last_day):
    """(first, last) due dates of the commitments that became overdue in the week ending `last_day`: those whose
    first overdue day (due date + 1) falls in week_days(last_day). Consecutive weekly digests never share one."""
    first, last = week_days(last_day)
    return first - datetime.timedelta(days=1), last - datetime.timedelta(days=1)


def became_overdue_in_week(status, due_latest, recorded_on, last_day):
    """News for the week ending `last_day`: open, its due date passed during the week, and it was already in the
    tracker when it did (a promise recorded after its due date was already overdue when recorded: not news)."""
    first, last = became_overdue_due_dates(last_day)
    return (
        is_open(status)
        and due_latest is not None
        and first <= due_latest <= last
        and not already_overdue_when_recorded(due_latest, recorded_on)
    )


def already_overdue_when_recorded(due_latest, recorded_on):
    """Late before it entered the tracker: its due date was before the day it was recorded."""
    return due_latest is not None and recorded_on is not None and due_latest < recorded_on


def is_undated(due_latest):
    """Undated or vague: nothing to be overdue against."""
    return due_latest is None


def lists_every_undated(week_monday):
    """Undated and vague promises are counted every week and listed in full once a month: in the digest of the
    week whose Monday falls in the month's first seven days."""
    return week_monday.day <= UNDATED_FULL_LIST_DAYS


def escalation_due_before(day, weeks):
    """Overdue for more than `weeks` weeks on `day`: due before the returned date."""
    return day - datetime.timedelta(weeks=weeks)


# --------------------------------------------------------------------------------------------- SQL


def sql_not_final(column="status"):
    """(SQL, params) that is true when `column` holds an open status, for raw SQL (the sweep)."""
    return f"NOT ({column} IN ({', '.join(['%s'] * len(FINAL_STATUSES))}))", list(FINAL_STATUSES)
