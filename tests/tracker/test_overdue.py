"""The overdue sweep: boundaries in London time, re-dating, final states, missing responses, idempotence."""

import datetime
import zoneinfo

import pytest
import time_machine

from responses.models import Commitment, CommitmentEvent
from tests.factories import AddresseeFactory, CommitmentFactory, ReportFactory, UserFactory
from tracker import overdue
from tracker.models import AddresseeEvent, Report

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date


@pytest.fixture(params=[True, False], ids=["single-statement", "insert-then-update"])
def sweep(request):
    """Both forms of the sweep: PostgreSQL's UPDATE ... RETURNING in a CTE and the portable one (SQLite)."""

    def run(today=None):
        return overdue.sweep(today, atomic_claim=request.param)

    return run


def due(day, **kwargs):
    return CommitmentFactory(due_latest=day, due_earliest=None, **kwargs)


def flagged_events(commitment):
    return commitment.events.filter(kind=CommitmentEvent.Kind.FLAGGED_OVERDUE)


def test_due_yesterday_is_overdue_today_and_tomorrow_is_not(sweep):
    today = D(2025, 3, 10)
    yesterday, on_the_day, tomorrow = due(D(2025, 3, 9)), due(today), due(D(2025, 3, 11))
    result = sweep(today)
    for c in (yesterday, on_the_day, tomorrow):
        c.refresh_from_db()
    assert (yesterday.is_overdue, on_the_day.is_overdue, tomorrow.is_overdue) == (True, False, False)
    assert yesterday.overdue_since == today
    assert result.commitments_flagged == 1
    assert flagged_events(yesterday).count() == 1
    assert not CommitmentEvent.objects.exclude(commitment=yesterday).exists()


@pytest.mark.parametrize(
    "instant_utc, overdue_expected",
    [
        # Winter (GMT = UTC): London midnight is UTC midnight.
        (datetime.datetime(2025, 1, 31, 23, 59, 59, tzinfo=UTC), False),
        (datetime.datetime(2025, 2, 1, 0, 0, 1, tzinfo=UTC), True),
    ],
)
def test_london_midnight_in_winter(sweep, instant_utc, overdue_expected):
    c = due(D(2025, 1, 31))
    with time_machine.travel(instant_utc, tick=False):
        sweep()
    c.refresh_from_db()
    assert c.is_overdue is overdue_expected


def test_summer_time_london_is_a_day_ahead_of_utc_just_after_midnight(sweep):
    c = due(D(2025, 6, 30))
    # 22:59:59 UTC on 30 June is 23:59:59 BST: still 30 June in London.
    with time_machine.travel(datetime.datetime(2025, 6, 30, 22, 59, 59, tzinfo=UTC), tick=False):
        sweep()
    c.refresh_from_db()
    assert not c.is_overdue
    # 23:00:01 UTC on 30 June is already 1 July in London, though UTC still says 30 June.
    with time_machine.travel(datetime.datetime(2025, 6, 30, 23, 0, 1, tzinfo=UTC), tick=False):
        result = sweep()
    c.refresh_from_db()
    assert c.is_overdue and c.overdue_since == D(2025, 7, 1)
    assert result.today == D(2025, 7, 1)


@pytest.mark.parametrize(
    "london_instant, today",
    [
        # Clocks go forward at 01:00 GMT on 30 March 2025 and back at 02:00 BST on 26 October 2025.
        (datetime.datetime(2025, 3, 30, 0, 30, tzinfo=LONDON), D(2025, 3, 30)),
        (datetime.datetime(2025, 3, 30, 3, 0, tzinfo=LONDON), D(2025, 3, 30)),
        (datetime.datetime(2025, 10, 26, 0, 30, tzinfo=LONDON), D(2025, 10, 26)),
        (datetime.datetime(2025, 10, 26, 1, 30, fold=1, tzinfo=LONDON), D(2025, 10, 26)),
    ],
)
def test_the_days_the_clocks_change(sweep, london_instant, today):
    day_before = due(today - datetime.timedelta(days=1))
    same_day = due(today)
    with time_machine.travel(london_instant, tick=False):
        result = sweep()
    day_before.refresh_from_db()
    same_day.refresh_from_db()
    assert result.today == today
    assert day_before.is_overdue and not same_day.is_overdue


def test_the_sweep_is_idempotent(sweep):
    for day in (D(2024, 1, 1), D(2024, 6, 1), D(2026, 1, 1)):
        due(day)
    first = sweep(D(2025, 1, 1))
    events = CommitmentEvent.objects.count()
    state = list(
        Commitment.objects.values_list("id", "is_overdue", "overdue_since", "version").order_by("id")
    )
    second = sweep(D(2025, 1, 1))
    assert first.commitments_flagged == 2
    assert second.commitments_flagged == second.commitments_unflagged == second.overdue_since_corrected == 0
    assert CommitmentEvent.objects.count() == events
    assert (
        list(Commitment.objects.values_list("id", "is_overdue", "overdue_since", "version").order_by("id"))
        == state
    )


def test_final_and_undated_commitments_are_never_flagged(sweep):
    undated = CommitmentFactory(due_latest=None, due_earliest=None, precision=Commitment.Precision.VAGUE)
    delivered = due(D(2024, 1, 1), status=Commitment.Status.DELIVERED)
    superseded = due(
        D(2024, 1, 1), status=Commitment.Status.SUPERSEDED, status_reason="Replaced by a new plan"
    )
    in_progress = due(D(2024, 1, 1), status=Commitment.Status.IN_PROGRESS)
    delayed = due(D(2024, 1, 1), status=Commitment.Status.DELAYED)
    partly = due(D(2024, 1, 1), status=Commitment.Status.PARTLY_DELIVERED)
    sweep(D(2025, 1, 1))
    flags = dict(Commitment.objects.values_list("id", "is_overdue"))
    assert not flags[undated.pk] and not flags[delivered.pk] and not flags[superseded.pk]
    assert flags[in_progress.pk] and flags[delayed.pk] and flags[partly.pk]


def test_redated_into_the_future_is_unflagged_then_flagged_again_when_the_new_date_passes(sweep):
    editor = UserFactory()
    c = due(D(2024, 3, 31))
    sweep(D(2024, 4, 1))
    c.refresh_from_db()
    with time_machine.travel(datetime.datetime(2024, 4, 2, 9, tzinfo=LONDON), tick=False):
        c.revise_due_date(due_latest=D(2024, 9, 30), by=editor, reason="Consultation extended")
    result = sweep(D(2024, 4, 2))
    c.refresh_from_db()
    assert not c.is_overdue and c.overdue_since is None
    assert result.commitments_flagged == 0
    assert c.original_due_latest == D(2024, 3, 31)

    sweep(D(2024, 10, 1))
    c.refresh_from_db()
    assert c.is_overdue and c.overdue_since == D(2024, 10, 1)
    assert flagged_events(c).count() == 2


def test_redated_behind_the_sweeps_back_is_unflagged_with_an_event(sweep):
    c = due(D(2024, 3, 31))
    sweep(D(2024, 4, 1))
    # An edit that bypasses revise_due_date (a bulk update, a data fix) still ends up consistent.
    Commitment.objects.filter(pk=c.pk).update(due_latest=D(2024, 12, 31))
    result = sweep(D(2024, 4, 5))
    c.refresh_from_db()
    assert result.commitments_unflagged == 1
    assert not c.is_overdue and c.overdue_since is None
    event = c.events.get(kind=CommitmentEvent.Kind.UNFLAGGED_OVERDUE)
    assert event.note == overdue.REDATED


def test_redated_to_another_past_date_moves_overdue_since(sweep):
    c = due(D(2024, 3, 31))
    sweep(D(2024, 6, 1))
    Commitment.objects.filter(pk=c.pk).update(due_latest=D(2024, 4, 30))
    result = sweep(D(2024, 6, 2))
    c.refresh_from_db()
    assert c.is_overdue and c.overdue_since == D(2024, 5, 1)
    assert result.overdue_since_corrected == 1 and result.commitments_flagged == 0


def test_delivered_late_is_kept_as_a_fact(sweep):
    official = UserFactory()
    c = due(D(2024, 3, 31))
    sweep(D(2024, 5, 1))
    c.refresh_from_db()
    c.change_status(Commitment.Status.DELIVERED, delivered_on=D(2024, 5, 20), by=official)
    sweep(D(2024, 6, 1))
    c.refresh_from_db()
    assert c.status == Commitment.Status.DELIVERED_LATE
    assert not c.is_overdue
    assert c.overdue_since == D(2024, 4, 1)  # it was overdue from then: kept
    assert c.was_delivered_late
    assert flagged_events(c).count() == 1


def test_a_final_state_set_behind_the_sweeps_back_is_unflagged_keeping_overdue_since(sweep):
    c = due(D(2024, 3, 31))
    sweep(D(2024, 5, 1))
    Commitment.objects.filter(pk=c.pk).update(
        status=Commitment.Status.NO_LONGER_APPLICABLE, status_reason="Law repealed"
    )
    result = sweep(D(2024, 5, 2))
    c.refresh_from_db()
    assert result.commitments_unflagged == 1
    assert not c.is_overdue and c.overdue_since == D(2024, 4, 1)
    assert c.events.get(kind=CommitmentEvent.Kind.UNFLAGGED_OVERDUE).note == overdue.REACHED_FINAL_STATE


def test_events_record_the_sweep_time(sweep):
    c = due(D(2024, 3, 31))
    moment = datetime.datetime(2024, 4, 1, 6, 0, tzinfo=LONDON)
    with time_machine.travel(moment, tick=False):
        sweep()
    event = flagged_events(c).get()
    assert event.created_at == moment
    assert event.new_due_latest == D(2024, 3, 31)
    assert event.by is None


def test_the_sweep_is_a_fixed_number_of_statements(sweep, django_assert_max_num_queries):
    for n in range(60):
        due(D(2024, 1, 1) + datetime.timedelta(days=n))
    AddresseeFactory.create_batch(5)
    with django_assert_max_num_queries(12):  # 5 statements (9 in the portable form) + savepoints
        result = sweep(D(2025, 1, 1))
    assert result.commitments_flagged == 60
    assert result.responses_flagged_missing == 5


# Missing responses


def test_pfd_response_is_missing_from_the_57th_day(sweep):
    # A PFD report dated 29 May 2024 stating no deadline: 56 days, due 24 July 2024.
    addressee = AddresseeFactory(report=ReportFactory(kind=Report.Kind.PFD, date_issued=D(2024, 5, 29)))
    assert addressee.response_due == D(2024, 7, 24)
    sweep(D(2024, 7, 24))
    addressee.refresh_from_db()
    assert addressee.missing_since is None
    result = sweep(D(2024, 7, 25))
    addressee.refresh_from_db()
    assert addressee.missing_since == D(2024, 7, 25)
    assert result.responses_flagged_missing == 1
    event = addressee.events.get(kind=AddresseeEvent.Kind.FLAGGED_MISSING)
    assert event.happened_on == D(2024, 7, 25) and event.old_deadline == D(2024, 7, 24)
    assert addressee.response_state(D(2024, 7, 25)) == addressee.ResponseState.NO_RESPONSE_IDENTIFIED


def test_committee_response_is_due_two_months_after_the_report(sweep):
    report = ReportFactory(kind=Report.Kind.COMMITTEE, date_issued=D(2025, 1, 23), deceased="")
    addressee = AddresseeFactory(report=report)
    sweep(D(2025, 3, 23))
    addressee.refresh_from_db()
    assert addressee.missing_since is None
    sweep(D(2025, 3, 24))
    addressee.refresh_from_db()
    assert addressee.missing_since == D(2025, 3, 24)


def test_reports_without_a_deadline_are_never_missing(sweep):
    addressee = AddresseeFactory(report=ReportFactory(kind=Report.Kind.INQUIRY, date_issued=D(2020, 1, 1)))
    sweep(D(2025, 1, 1))
    addressee.refresh_from_db()
    assert addressee.response_due is None and addressee.missing_since is None


def test_an_extension_moves_the_deadline(sweep):
    addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
    sweep(D(2024, 7, 26))
    addressee.refresh_from_db()
    addressee.grant_extension(D(2024, 8, 30), granted_on=D(2024, 7, 26), reason="Coroner agreed 5 weeks")
    sweep(D(2024, 7, 27))
    addressee.refresh_from_db()
    assert addressee.missing_since is None
    sweep(D(2024, 8, 31))
    addressee.refresh_from_db()
    assert addressee.missing_since == D(2024, 8, 31)
    assert addressee.events.filter(kind=AddresseeEvent.Kind.FLAGGED_MISSING).count() == 2


def test_a_response_recorded_or_set_directly_unflags(sweep):
    recorded, set_directly, not_required = [
        AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29))) for _ in range(3)
    ]
    sweep(D(2024, 8, 1))
    recorded.refresh_from_db()
    recorded.record_response(D(2024, 9, 16))
    type(set_directly).objects.filter(pk=set_directly.pk).update(response_received_on=D(2024, 9, 16))
    type(not_required).objects.filter(pk=not_required.pk).update(response_required=False)
    result = sweep(D(2024, 9, 17))
    assert result.responses_unflagged_missing == 2  # record_response already cleared its own flag
    for a in (recorded, set_directly, not_required):
        a.refresh_from_db()
        assert a.missing_since is None
    assert set_directly.events.filter(kind=AddresseeEvent.Kind.UNFLAGGED_MISSING).count() == 1
    assert recorded.days_late() == 54


def test_missing_responses_sweep_is_idempotent(sweep):
    AddresseeFactory.create_batch(3, report=ReportFactory(date_issued=D(2024, 5, 29)))
    assert sweep(D(2024, 8, 1)).responses_flagged_missing == 3
    assert sweep(D(2024, 8, 1)).responses_flagged_missing == 0
    assert AddresseeEvent.objects.filter(kind=AddresseeEvent.Kind.FLAGGED_MISSING).count() == 3


# Issue 12, failure 9: the sweep and the edits must not undo each other.


def test_an_edit_read_before_the_sweep_and_saved_after_it_keeps_the_flag_and_makes_no_second_event(sweep):
    official = UserFactory()
    c = due(D(2024, 3, 31))
    stale = Commitment.objects.get(pk=c.pk)  # an official opens the form: not flagged yet, version 1
    sweep(D(2024, 4, 1))  # the morning sweep flags it (and changes no version: it edits nobody's fields)
    stale.change_status(
        Commitment.Status.IN_PROGRESS, by=official, note="Drafting", expected_version=stale.version
    )
    c.refresh_from_db()
    assert c.status == Commitment.Status.IN_PROGRESS  # the official's change is saved ...
    assert c.is_overdue and c.overdue_since == D(2024, 4, 1)  # ... and the sweep's flag with it
    sweep(D(2024, 4, 2))
    assert flagged_events(c).count() == 1


def test_a_stale_redate_of_an_overdue_commitment_is_unflagged_by_the_next_sweep_with_its_event(sweep):
    official = UserFactory()
    c = due(D(2024, 3, 31))
    stale = Commitment.objects.get(pk=c.pk)
    sweep(D(2024, 4, 1))
    stale.revise_due_date(due_latest=D(2024, 9, 30), by=official, reason="Consultation extended")
    result = sweep(D(2024, 4, 2))
    c.refresh_from_db()
    assert result.commitments_unflagged == 1 and not c.is_overdue
    assert c.events.get(kind=CommitmentEvent.Kind.UNFLAGGED_OVERDUE).note == overdue.REDATED


def test_a_model_save_of_an_object_read_before_the_sweep_does_not_clear_the_flag(sweep):
    c = due(D(2024, 3, 31))
    stale = Commitment.objects.get(pk=c.pk)
    sweep(D(2024, 4, 1))
    stale.text = "We will publish the guidance by March 2024 (corrected quote)."
    stale.save()  # as a plain admin save does
    c.refresh_from_db()
    assert c.is_overdue and c.text.endswith("(corrected quote).")
    assert sweep(D(2024, 4, 2)).commitments_flagged == 0 and flagged_events(c).count() == 1


def test_the_database_refuses_a_second_became_overdue_event_for_the_same_spell():
    from django.db import IntegrityError, transaction

    c = due(D(2024, 3, 31))
    kind = CommitmentEvent.Kind.FLAGGED_OVERDUE
    CommitmentEvent.objects.create(commitment=c, kind=kind, new_due_latest=D(2024, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentEvent.objects.create(commitment=c, kind=kind, new_due_latest=D(2024, 3, 31))
    # Another spell (re-dated, then passed again) is another event.
    CommitmentEvent.objects.create(commitment=c, kind=kind, new_due_latest=D(2024, 9, 30))


def test_a_flag_lost_to_a_write_around_the_models_is_restored_without_a_second_event(sweep):
    c = due(D(2024, 3, 31))
    sweep(D(2024, 4, 1))
    Commitment.objects.filter(pk=c.pk).update(is_overdue=False, overdue_since=None)  # raw SQL, a bad fix
    result = sweep(D(2024, 4, 2))
    c.refresh_from_db()
    assert c.is_overdue and c.overdue_since == D(2024, 4, 1)
    assert result.commitments_flagged == 0  # no "became overdue" recorded twice for one spell
    assert flagged_events(c).count() == 1
