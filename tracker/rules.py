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
  (the `due_soon_days` context processor and the `days_overdue_on` filter);
- an addressee's response clock (awaited, overdue, received, received late): the tables RESPONSE_CLOCK and
  RESPONSE_STATES below, read by Addressee.response_state / days_late, the AddresseeQuerySet filters (as Q
  objects), the sweep's SQL and the PFD report clocks (as SQL, through sql_response_clock), the pages.

Tests (tests/tracker/test_rules.py) check with hypothesis that the SQL sweep, the ORM filter and the
Python method agree on every generated commitment and addressee and day.

Statuses are plain strings here (the values of Commitment.Status); the model's TextChoices must contain
them, which a test holds.
"""

import dataclasses
import datetime
from collections.abc import Callable

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


# ------------------------------------------------------------------------ an addressee's response
#
# Whether an addressee has answered a report, on day D. These facts about it decide:
#   required                 it must answer (a report may name someone for information only)
#   received                 a response is identified: a letter recorded, or a published one (dated by the
#                            last day of the month it was published when that is all that is known)
#   deadline_passed          the deadline in force is before D (deadline_passed below): the report's stated
#                            date, else 56 days (PFD) or two months (committee) from the report, or the
#                            latest extension. Due 31 March: passed from 1 April. No deadline never passes.
#   received_after_deadline  the response is dated after the deadline in force
#   date_known               the response's date is known (not only the month it was published)
#   interim_reply            a holding reply came; it does not stop the clock (the duty is to respond)
#   non_response_confirmed   an editor confirmed that no response exists
# Whether a response was received is what is known now, whatever the day D asked about.
#
# The clock is the first row whose conditions all hold; the state refines it (the first row of its clock
# whose conditions hold). Missing on D = the clock is OVERDUE on D.

NOT_REQUIRED, ANSWERED, OVERDUE, AWAITING = "not_required", "answered", "overdue", "awaiting"
RESPONSE_CLOCK = (
    (NOT_REQUIRED, {"required": False}),
    (ANSWERED, {"received": True}),
    (OVERDUE, {"deadline_passed": True}),
    (AWAITING, {}),
)
CLOCKS = tuple(clock for clock, _ in RESPONSE_CLOCK)
# (state, its clock, conditions); the states are the values of Addressee.ResponseState.
RESPONSE_STATES = (
    ("not_required", NOT_REQUIRED, {}),
    # Published after the deadline says nothing about when it was received: late only when dated.
    ("received_late", ANSWERED, {"received_after_deadline": True, "date_known": True}),
    ("received_date_unknown", ANSWERED, {"received_after_deadline": True}),
    ("received_on_time", ANSWERED, {}),
    ("non_response_confirmed", OVERDUE, {"non_response_confirmed": True}),
    # Including an interim reply past the deadline: no full response identified.
    ("no_response_identified", OVERDUE, {}),
    ("interim_reply", AWAITING, {"interim_reply": True}),
    ("not_yet_due", AWAITING, {}),
)
STATES = tuple(state for state, _, _ in RESPONSE_STATES)
CLOCK_OF_STATE = {state: clock for state, clock, _ in RESPONSE_STATES}


def deadline_passed(due, day):
    """The deadline in force `due` has passed on `day` (a deadline of 31 March has passed from 1 April)."""
    return due is not None and due < day


def days_past_deadline(due, day):
    """Whole days from the deadline in force to `day` when it has passed; else 0."""
    return (day - due).days if deadline_passed(due, day) else 0


def missing_from(due):
    """The first day a response due on `due` is missing (when none is identified): the day after it."""
    return None if due is None else due + datetime.timedelta(days=1)


def received_after_deadline(due, received_on):
    return due is not None and received_on is not None and received_on > due


@dataclasses.dataclass(frozen=True)
class ResponseFacts:
    """What the tracker knows of one addressee's response (Addressee.response_facts())."""

    required: bool = True
    due: datetime.date | None = None  # the deadline in force
    received_on: datetime.date | None = None
    date_known: bool = True
    interim_on: datetime.date | None = None
    non_response_confirmed: bool = False

    def on(self, day):
        """The facts of the tables above, on `day`."""
        return {
            "required": bool(self.required),
            "received": self.received_on is not None,
            "deadline_passed": deadline_passed(self.due, day),
            "received_after_deadline": received_after_deadline(self.due, self.received_on),
            "date_known": bool(self.date_known),
            "interim_reply": self.interim_on is not None,
            "non_response_confirmed": bool(self.non_response_confirmed),
        }


def _holds(conditions, facts):
    return all(facts[name] == value for name, value in conditions.items())


def response_clock(facts, day):
    """not_required, answered, overdue or awaiting, on `day`."""
    known = facts.on(day)
    return next(clock for clock, conditions in RESPONSE_CLOCK if _holds(conditions, known))


def response_state(facts, day):
    """The state (an Addressee.ResponseState value) on `day`."""
    known = facts.on(day)
    clock = next(clock for clock, conditions in RESPONSE_CLOCK if _holds(conditions, known))
    return next(s for s, c, conditions in RESPONSE_STATES if c == clock and _holds(conditions, known))


def is_response_missing(facts, day):
    """The deadline in force passed on `day` with no response identified (an interim reply is not one)."""
    return response_clock(facts, day) == OVERDUE


def response_days_late(facts, day):
    """Days past the deadline: of a response received late, or of a missing one up to `day`; else 0."""
    state = response_state(facts, day)
    if state == "received_late":
        return days_past_deadline(facts.due, facts.received_on)
    if CLOCK_OF_STATE[state] == OVERDUE:
        return days_past_deadline(facts.due, day)
    return 0


# The same tables as conditions of another language: the ORM's Q objects (AddresseeQuerySet) or SQL (the
# sweep, the PFD report clocks). The caller gives `fact(name, value)` (the condition "fact `name` is `value`"
# in its language: a total, NULL-safe condition) and its connectives; these build "the clock is one of ...".


@dataclasses.dataclass(frozen=True)
class Logic:
    all_of: Callable  # list of conditions -> condition (true for an empty list)
    any_of: Callable  # list of conditions -> condition (false for an empty list)
    negate: Callable


def _not(conditions, fact, logic):
    """NOT (all conditions): a single fact negated as the fact with the other value (SQL stays index-friendly)."""
    if len(conditions) == 1:
        ((name, value),) = conditions.items()
        return fact(name, not value)
    return logic.negate(logic.all_of([fact(name, value) for name, value in conditions.items()]))


def _first_row_is(rows, chosen, fact, logic):
    """The condition that the first row of `rows` ((key, conditions), the last one unconditional) whose
    conditions hold has its key in `chosen`."""
    terms, earlier = [], []
    for index, (key, conditions) in enumerate(rows):
        if not any(k in chosen for k, _ in rows[index:]):
            break  # no later row is chosen: their conditions do not matter
        if key in chosen:
            if all(k in chosen for k, _ in rows[index:]):  # this row and every later one: "otherwise"
                terms.append(logic.all_of(list(earlier)))
                break
            terms.append(logic.all_of([*earlier, *(fact(n, v) for n, v in conditions.items())]))
        if conditions:
            earlier.append(_not(conditions, fact, logic))
    return logic.any_of(terms)


def clock_condition(clocks, fact, logic):
    """The condition "the clock is one of `clocks`"."""
    unknown = set(clocks) - set(CLOCKS)
    if unknown:
        raise ValueError(f"Not a response clock: {sorted(unknown)}")
    return _first_row_is(RESPONSE_CLOCK, set(clocks), fact, logic)


def state_condition(states, fact, logic):
    """The condition "the state is one of `states`"."""
    unknown = set(states) - set(STATES)
    if unknown:
        raise ValueError(f"Not a response state: {sorted(unknown)}")
    terms = []
    for clock in CLOCKS:
        rows = [(s, conditions) for s, c, conditions in RESPONSE_STATES if c == clock]
        chosen = {s for s, _ in rows} & set(states)
        if chosen:
            terms.append(
                logic.all_of(
                    [clock_condition([clock], fact, logic), _first_row_is(rows, chosen, fact, logic)]
                )
            )
    return logic.any_of(terms)


# The addressee's columns the SQL form reads (tracker_addressee; a test holds them to the model's fields).
RESPONSE_COLUMNS = {
    "required": "response_required",
    "due": "response_due",
    "received_on": "response_received_on",
    "date_known": "response_date_known",
    "interim_on": "interim_reply_on",
    "confirmed_at": "non_response_confirmed_at",
}


def _sql_fact(prefix, day):
    c = {name: f"{prefix}{column}" for name, column in RESPONSE_COLUMNS.items()}

    def fact(name, value):
        if name == "deadline_passed":
            if day is None:
                raise ValueError("This condition depends on the day: give `day`.")
            if value:
                return f"({c['due']} IS NOT NULL AND {c['due']} < %s)", [day]
            return f"({c['due']} IS NULL OR {c['due']} >= %s)", [day]
        if name == "received_after_deadline":
            after = f"({c['due']} IS NOT NULL AND {c['received_on']} IS NOT NULL AND {c['received_on']} > {c['due']})"
            return (after if value else f"NOT {after}"), []
        column, kind = {
            "required": (c["required"], "bool"),
            "date_known": (c["date_known"], "bool"),
            "received": (c["received_on"], "present"),
            "interim_reply": (c["interim_on"], "present"),
            "non_response_confirmed": (c["confirmed_at"], "present"),
        }[name]
        if kind == "bool":
            return (column if value else f"NOT {column}"), []
        return f"{column} IS {'NOT ' if value else ''}NULL", []

    return fact


def _sql_all(terms):
    if not terms:
        return "(1 = 1)", []
    return "(" + " AND ".join(sql for sql, _ in terms) + ")", [p for _, params in terms for p in params]


def _sql_any(terms):
    if not terms:
        return "(1 = 0)", []
    return "(" + " OR ".join(sql for sql, _ in terms) + ")", [p for _, params in terms for p in params]


SQL_LOGIC = Logic(all_of=_sql_all, any_of=_sql_any, negate=lambda term: (f"NOT {term[0]}", term[1]))


def sql_response_clock(clocks, day=None, *, prefix=""):
    """(SQL, params) true when an addressee's clock on `day` is one of `clocks`, for raw SQL (the sweep, the
    report clocks). `prefix` qualifies the columns ("a."). `day` may be None when the clocks chosen do not
    depend on it (awaiting and overdue together: "still to respond")."""
    return clock_condition(clocks, _sql_fact(prefix, day), SQL_LOGIC)
