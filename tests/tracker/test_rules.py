"""tracker.rules, and that every place using it agrees: the sweep's SQL, the ORM filters and the Python methods."""

import collections
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responses.models import Commitment
from tests.factories import DepartmentFactory, ResponseLetterFactory
from tracker import overdue, rules
from tracker.models import Report

D = datetime.date
DAYS = st.dates(min_value=D(2023, 12, 20), max_value=D(2024, 1, 20))
ROWS = st.lists(
    st.tuples(st.sampled_from(Commitment.Status.values), st.one_of(st.none(), DAYS)), min_size=1, max_size=25
)


def test_the_rules_statuses_are_statuses_of_the_model():
    for values in (rules.FINAL_STATUSES, rules.STATUSES_NEEDING_REASON, rules.DELIVERED_STATUSES):
        assert set(values) <= set(Commitment.Status.values)
    assert set(rules.STATUSES_NEEDING_REASON) <= set(rules.FINAL_STATUSES)
    assert set(rules.CLAIMS_TO_ASSESS) <= set(Commitment.EvidenceState.values)
    assert Commitment.FINAL_STATUSES == tuple(rules.FINAL_STATUSES)


def test_overdue_starts_the_day_after_the_due_date():
    assert not rules.is_overdue("in_progress", D(2025, 3, 31), D(2025, 3, 31))
    assert rules.is_overdue("in_progress", D(2025, 3, 31), D(2025, 4, 1))
    assert rules.overdue_from(D(2025, 3, 31)) == D(2025, 4, 1)
    assert not rules.is_overdue("delivered_late", D(2025, 3, 31), D(2025, 6, 1))
    assert not rules.is_overdue("in_progress", None, D(2025, 6, 1))
    assert rules.days_overdue("delayed", D(2025, 3, 31), D(2025, 4, 10)) == 10


def test_due_soon_is_today_to_thirty_days_ahead():
    assert rules.due_soon_window(D(2025, 2, 17)) == (D(2025, 2, 17), D(2025, 3, 19))
    assert rules.is_due_soon("in_progress", D(2025, 3, 19), D(2025, 2, 17))
    assert not rules.is_due_soon("in_progress", D(2025, 3, 20), D(2025, 2, 17))
    assert not rules.is_due_soon("in_progress", D(2025, 2, 16), D(2025, 2, 17))


def test_response_periods():
    assert rules.response_deadline("pfd", D(2025, 1, 10)) == D(2025, 3, 7)  # 56 days
    assert rules.response_deadline("pfd", D(2025, 1, 10), stated=D(2025, 2, 1)) == D(2025, 2, 1)
    assert rules.response_deadline("committee", D(2024, 12, 31)) == D(2025, 2, 28)  # two months
    assert rules.response_deadline("inquiry", D(2025, 1, 10)) is None
    assert Report(kind="pfd", date_issued=D(2025, 1, 10)).default_response_deadline() == D(2025, 3, 7)


def test_became_overdue_weeks_do_not_overlap_and_leave_no_gap():
    """A digest sent each Monday: every due date belongs to exactly one week's "newly overdue"."""
    mondays = [D(2025, 2, 3) + datetime.timedelta(weeks=n) for n in range(4)]
    seen = {}
    for monday in mondays:
        first, last = rules.became_overdue_due_dates(monday)
        day = first
        while day <= last:
            assert day not in seen
            seen[day] = monday
            day += datetime.timedelta(days=1)
    assert len(seen) == 28 and max(seen) - min(seen) == datetime.timedelta(days=27)
    # Due on Sunday 16 February: overdue from Monday 17, news in that Monday's digest.
    assert seen[D(2025, 2, 16)] == D(2025, 2, 17)


def test_a_promise_recorded_after_its_due_date_is_not_news():
    monday = D(2025, 2, 17)
    assert rules.became_overdue_in_week("in_progress", D(2025, 2, 12), D(2025, 1, 5), monday)
    assert not rules.became_overdue_in_week("in_progress", D(2025, 2, 12), D(2025, 2, 14), monday)
    assert rules.already_overdue_when_recorded(D(2019, 5, 1), D(2025, 2, 14))
    assert not rules.already_overdue_when_recorded(D(2025, 2, 14), D(2025, 2, 14))


def test_the_undated_list_comes_in_full_in_the_first_week_of_a_month():
    assert rules.lists_every_undated(D(2025, 3, 3))
    assert rules.lists_every_undated(D(2025, 3, 7)) is True
    assert not rules.lists_every_undated(D(2025, 3, 10))


@pytest.fixture
def letter():
    return ResponseLetterFactory()


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, earlier_run=DAYS, day=DAYS, atomic_claim=st.booleans())
def test_sql_sweep_orm_filter_and_python_agree_on_every_row(
    letter, department, rows, earlier_run, day, atomic_claim
):
    """Whatever an earlier sweep (on any day) left, the sweep on `day` flags exactly what the rule says."""
    Commitment.objects.all().delete()
    created = Commitment.objects.bulk_create(
        Commitment(
            letter=letter,
            department=department,
            text=f"Promise {n}",
            status=status,
            status_reason="Reason" if status in rules.STATUSES_NEEDING_REASON else "",
            due_latest=due,
        )
        for n, (status, due) in enumerate(rows)
    )
    overdue.sweep(earlier_run, atomic_claim=atomic_claim)
    overdue.sweep(day, atomic_claim=atomic_claim)
    flagged = dict(Commitment.objects.values_list("pk", "is_overdue"))
    since = dict(Commitment.objects.values_list("pk", "overdue_since"))
    orm_overdue = set(Commitment.objects.overdue(day).values_list("pk", flat=True))
    orm_open = set(Commitment.objects.open().values_list("pk", flat=True))
    orm_soon = set(Commitment.objects.due_soon(day).values_list("pk", flat=True))
    for commitment, (status, due) in zip(created, rows, strict=True):
        expected = rules.is_overdue(status, due, day)
        assert flagged[commitment.pk] is expected, (status, due, day)  # the sweep's SQL
        assert (commitment.pk in orm_overdue) is expected  # the ORM filter
        assert commitment.is_overdue_on(day) is expected  # the model's method
        assert since[commitment.pk] == (rules.overdue_from(due) if expected else None)
        assert (commitment.pk in orm_open) is rules.is_open(status)
        assert (
            (commitment.pk in orm_soon)
            is rules.is_due_soon(status, due, day)
            is commitment.is_due_soon_on(day)
        )


# ------------------------------------------------------------------------------ an addressee's response

F = rules.ResponseFacts


def test_the_response_clock_deadline_in_force_and_missing_from_the_day_after():
    due = D(2025, 3, 31)
    assert rules.response_clock(F(due=due), D(2025, 3, 31)) == rules.AWAITING
    assert rules.response_clock(F(due=due), D(2025, 4, 1)) == rules.OVERDUE
    assert rules.is_response_missing(F(due=due), D(2025, 4, 1))
    assert rules.missing_from(due) == D(2025, 4, 1)
    assert rules.response_clock(F(due=None), D(2099, 1, 1)) == rules.AWAITING  # no deadline never passes
    assert rules.response_clock(F(required=False, due=due), D(2025, 6, 1)) == rules.NOT_REQUIRED
    assert rules.response_clock(F(due=due, received_on=D(2025, 5, 1)), D(2025, 6, 1)) == rules.ANSWERED
    # The deadline in force from the report (stated date, 56 days, two months), then an extension.
    pfd = rules.response_deadline("pfd", D(2025, 1, 10))
    assert rules.response_clock(F(due=pfd), D(2025, 3, 8)) == rules.OVERDUE
    assert rules.response_clock(F(due=D(2025, 4, 30)), D(2025, 3, 8)) == rules.AWAITING  # extended
    committee = rules.response_deadline("committee", D(2024, 12, 31))
    assert rules.response_clock(F(due=committee), D(2025, 2, 28)) == rules.AWAITING
    assert rules.response_clock(F(due=committee), D(2025, 3, 1)) == rules.OVERDUE


def test_the_response_states_late_date_unknown_interim_and_confirmed():
    due = D(2025, 3, 31)
    day = D(2025, 6, 1)
    assert rules.response_state(F(due=due, received_on=D(2025, 3, 31)), day) == "received_on_time"
    late = F(due=due, received_on=D(2025, 4, 14))
    assert rules.response_state(late, day) == "received_late"
    assert rules.response_days_late(late, day) == 14
    published = F(due=due, received_on=D(2025, 4, 30), date_known=False)  # only the month is known
    assert rules.response_state(published, day) == "received_date_unknown"
    assert rules.response_days_late(published, day) == 0
    published_in_time = F(due=due, received_on=D(2025, 3, 31), date_known=False)
    assert rules.response_state(published_in_time, day) == "received_on_time"
    # An interim reply does not stop the clock: past the deadline it is a missing response.
    assert rules.response_state(F(due=due, interim_on=D(2025, 3, 1)), D(2025, 3, 20)) == "interim_reply"
    interim_late = F(due=due, interim_on=D(2025, 3, 1))
    assert rules.response_state(interim_late, day) == "no_response_identified"
    assert rules.is_response_missing(interim_late, day)
    assert rules.response_days_late(interim_late, day) == 62
    confirmed = F(due=due, non_response_confirmed=True)
    assert rules.response_state(confirmed, day) == "non_response_confirmed"
    assert rules.response_state(confirmed, D(2025, 3, 1)) == "not_yet_due"


def test_the_states_are_the_models_states_and_the_columns_its_fields():
    from tracker.models import Addressee

    assert set(rules.STATES) == set(Addressee.ResponseState.values)
    fields = {f.name for f in Addressee._meta.concrete_fields}
    assert set(rules.RESPONSE_COLUMNS.values()) <= fields


def _python_logic():
    return rules.Logic(all_of=lambda t: all(t), any_of=lambda t: any(t), negate=lambda x: not x)


FACTS = st.builds(
    rules.ResponseFacts,
    required=st.booleans(),
    due=st.one_of(st.none(), DAYS),
    received_on=st.one_of(st.none(), DAYS),
    date_known=st.booleans(),
    interim_on=st.one_of(st.none(), DAYS),
    non_response_confirmed=st.booleans(),
)


@settings(max_examples=300)
@given(
    facts=FACTS,
    day=DAYS,
    clocks=st.sets(st.sampled_from(rules.CLOCKS)),
    states=st.sets(st.sampled_from(rules.STATES)),
)
def test_the_condition_builders_say_what_the_tables_say(facts, day, clocks, states):
    """The conditions handed to the ORM and to SQL are built from the tables: evaluated in Python, they give
    the same answer as reading the tables directly, for any set of clocks or states."""
    known = facts.on(day)
    fact = lambda name, value: known[name] == value  # noqa: E731
    assert rules.clock_condition(clocks, fact, _python_logic()) is (
        rules.response_clock(facts, day) in clocks
    )
    assert rules.state_condition(states, fact, _python_logic()) is (
        rules.response_state(facts, day) in states
    )
    assert rules.CLOCK_OF_STATE[rules.response_state(facts, day)] == rules.response_clock(facts, day)


RESPONSE_DAYS = st.one_of(st.none(), DAYS)
ADDRESSEES = st.lists(
    st.tuples(
        st.tuples(st.integers(0, 3), st.integers(0, 3)),  # (report, organisation): one addressee per pair
        st.booleans(),  # response required
        st.one_of(st.none(), DAYS),  # an extension to this day, granted before the first sweep
        st.one_of(st.none(), DAYS),  # response received on this day (before the first sweep)
        st.booleans(),  # its date known
        st.one_of(st.none(), DAYS),  # interim reply
        st.booleans(),  # non-response confirmed
        st.one_of(st.none(), DAYS),  # an extension granted between the two sweeps
        st.one_of(st.none(), DAYS),  # a response recorded between the two sweeps
    ),
    min_size=1,
    max_size=10,
    unique_by=lambda row: row[0],
)


@pytest.fixture
def reports_and_organisations():
    from tests.factories import ReportFactory

    reports = [
        ReportFactory(date_issued=D(2023, 11, 1)),  # PFD: 56 days, due 27 December 2023
        ReportFactory(date_issued=D(2023, 11, 1), stated_response_deadline=D(2024, 1, 5)),  # PFD, stated date
        ReportFactory(kind=Report.Kind.COMMITTEE, date_issued=D(2023, 11, 10)),  # two months: 10 January 2024
        ReportFactory(kind=Report.Kind.INQUIRY, date_issued=D(2023, 11, 10)),  # no deadline by rule
    ]
    return reports, [DepartmentFactory() for _ in range(4)]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ADDRESSEES, earlier_run=DAYS, day=DAYS, atomic_claim=st.booleans())
def test_sql_sweep_orm_filter_and_python_agree_on_every_addressee(
    reports_and_organisations, rows, earlier_run, day, atomic_claim
):
    """Addressees made and changed through the model's methods (deadline from the report, extensions,
    responses, interim replies, confirmed non-responses), swept on one day, changed again, swept on `day`:
    the sweep's flag, the ORM's filters and annotations, the model's methods, the department scorecard and
    the report's PFD category all say what tracker.rules says."""
    from tracker.models import Addressee, AddresseeEvent
    from tracker.pfd import statuses
    from tracker.views.departments import response_record

    reports, organisations = reports_and_organisations
    Addressee.objects.all().delete()
    made = []
    for (r, o), required, extension, received, known, interim, confirmed, extension2, received2 in rows:
        addressee = Addressee.objects.create(
            report=reports[r], department=organisations[o], response_required=required
        )
        if extension:
            addressee.grant_extension(extension, reason="Asked for more time", granted_on=D(2023, 12, 1))
        if received:
            addressee.record_response(received, date_known=known)
        if interim:
            Addressee.objects.filter(pk=addressee.pk).update(interim_reply_on=interim)
        if confirmed:
            addressee.confirm_non_response(by=None, note="Checked with the coroner")
        made.append((addressee.pk, extension2, received2, known))
    overdue.sweep(earlier_run, atomic_claim=atomic_claim)
    for pk, extension2, received2, known in made:
        addressee = Addressee.objects.get(pk=pk)
        if extension2:
            addressee.grant_extension(extension2, reason="More time", granted_on=earlier_run)
        if received2 and addressee.response_received_on is None:
            addressee.record_response(received2, date_known=known)
    overdue.sweep(day, atomic_claim=atomic_claim)

    addressees = list(Addressee.objects.all())
    orm_missing = set(Addressee.objects.missing_response(day).values_list("pk", flat=True))
    orm_awaiting = set(Addressee.objects.awaiting_response().values_list("pk", flat=True))
    clocks = dict(Addressee.objects.with_clock(day).values_list("pk", "clock"))
    states = dict(Addressee.objects.with_response_state(day).values_list("pk", "response_state"))
    for a in addressees:
        facts = a.response_facts()
        missing = rules.is_response_missing(facts, day)
        assert (a.missing_since is not None) is missing, (facts, day)  # the sweep's SQL
        assert a.missing_since == (rules.missing_from(a.response_due) if missing else None)
        assert (a.pk in orm_missing) is missing  # the ORM filter
        assert a.is_missing_on(day) is missing  # the model's method
        assert clocks[a.pk] == a.response_clock(day) == rules.response_clock(facts, day)
        assert states[a.pk] == a.response_state(day) == rules.response_state(facts, day)
        assert (a.pk in orm_awaiting) is (rules.response_clock(facts, day) in (rules.AWAITING, rules.OVERDUE))
        assert a.days_late(day) == rules.response_days_late(facts, day)
    # Every flag the sweep set or lifted has its event row; a missing addressee was flagged once per spell.
    for a in addressees:
        if a.missing_since:
            assert a.events.filter(kind=AddresseeEvent.Kind.FLAGGED_MISSING).exists()
    # The department scorecard counts by the same states.
    for organisation in organisations:
        record = response_record(organisation, day)
        by_state = collections.Counter(
            a.response_state(day).value for a in addressees if a.department_id == organisation.pk
        )
        assert record["on_time"] == by_state["received_on_time"]
        assert record["late"] == by_state["received_late"]
        assert record["date_unknown"] == by_state["received_date_unknown"]
        assert record["missing"] == by_state["no_response_identified"] + by_state["non_response_confirmed"]
        assert record["not_yet_due"] == by_state["not_yet_due"]
        assert record["other"] == by_state["interim_reply"] + by_state["not_required"]
    # Each report's stored PFD clock and its category on `day` follow the addressees' clocks.
    categories = dict(Report.objects.with_pfd_category(day).values_list("pk", "pfd_category"))
    for report in reports:
        mine = [a for a in addressees if a.report_id == report.pk]
        clocks_here = [rules.response_clock(a.response_facts(), day) for a in mine]
        clock = statuses.ReportClock(
            addressees=sum(c != rules.NOT_REQUIRED for c in clocks_here),
            responded=clocks_here.count(rules.ANSWERED),
            unattributed=0,
            still_due=rules.AWAITING in clocks_here,
        )
        assert categories[report.pk] == statuses.category(clock), (clocks_here, day)
