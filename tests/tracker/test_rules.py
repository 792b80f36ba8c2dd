"""tracker.rules, and that every place using it agrees: the sweep's SQL, the ORM filters and the Python methods."""

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
