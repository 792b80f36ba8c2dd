"""Report.earliest_open_due follows every write that can change it, and the weekly check repairs any drift.

Each test compares the stored column with a value worked out here in Python from the commitments
(`expected`), not with the SQL that maintains it.
"""

import datetime
import importlib
import random
import threading
import time

import pytest
from django.db import connection, transaction
from django_celery_beat.models import PeriodicTask

from responses import report_due_dates
from responses.models import Commitment, ResponseLetter, StaleCommitment
from tests.factories import CommitmentFactory, ReportFactory, ResponseLetterFactory, UserFactory
from tracker import tasks
from tracker.models import Report

pytestmark = pytest.mark.django_db
D = datetime.date
migration = importlib.import_module("tracker.migrations.0007_report_earliest_open_due")


def expected(report):
    dates = [
        commitment.due_latest
        for letter in report.response_letters.all()
        if letter.review_state == ResponseLetter.ReviewState.CONFIRMED
        for commitment in letter.commitments.all()
        if not commitment.is_final and commitment.due_latest is not None
    ]
    return min(dates, default=None)


def stored(report):
    return Report.objects.values_list("earliest_open_due", flat=True).get(pk=report.pk)


@pytest.fixture
def report():
    return ReportFactory()


@pytest.fixture
def letter(report):
    letter = ResponseLetterFactory()
    letter.reports.add(report)
    return letter


def test_a_new_report_has_none(report):
    assert stored(report) is None


def test_the_earliest_open_dated_commitment_counts(report, letter):
    CommitmentFactory(letter=letter, due_latest=D(2025, 6, 30))
    assert stored(report) == D(2025, 6, 30)
    CommitmentFactory(letter=letter, due_latest=D(2025, 3, 31))
    CommitmentFactory(letter=letter, due_latest=None, due_earliest=None)  # undated: never overdue
    CommitmentFactory(
        letter=letter, due_latest=D(2024, 1, 31), status=Commitment.Status.DELIVERED, delivered_on=D(2024, 1, 5)
    )  # fmt: skip
    assert stored(report) == D(2025, 3, 31) == expected(report)


def test_closing_the_earliest_moves_to_the_next_then_to_none(report, letter):
    first = CommitmentFactory(letter=letter, due_latest=D(2025, 3, 31))
    second = CommitmentFactory(letter=letter, due_latest=D(2025, 9, 30))
    user = UserFactory()
    first.change_status(Commitment.Status.DELIVERED, by=user, delivered_on=D(2025, 3, 1))
    assert stored(report) == D(2025, 9, 30)
    second.change_status(Commitment.Status.NO_LONGER_APPLICABLE, by=user, reason="Policy withdrawn.")
    assert stored(report) is None
    first.refresh_from_db()
    first.change_status(Commitment.Status.IN_PROGRESS, by=user)  # reopened
    assert stored(report) == D(2025, 3, 31)


def test_revising_a_due_date(report, letter):
    commitment = CommitmentFactory(letter=letter, due_latest=D(2025, 3, 31))
    commitment.revise_due_date(due_latest=D(2026, 3, 31), by=UserFactory(), reason="Consultation extended.")
    assert stored(report) == D(2026, 3, 31)


def test_a_refused_stale_edit_changes_nothing(report, letter):
    commitment = CommitmentFactory(letter=letter, due_latest=D(2025, 3, 31))
    with pytest.raises(StaleCommitment):
        commitment.revise_due_date(
            due_latest=D(2026, 3, 31), by=UserFactory(), reason="Later.", expected_version=commitment.version - 1
        )  # fmt: skip
    assert stored(report) == D(2025, 3, 31)


def test_an_edit_saved_directly_as_in_the_admin(report, letter):
    commitment = CommitmentFactory(letter=letter, due_latest=D(2025, 3, 31))
    commitment.due_latest = D(2025, 1, 31)
    commitment.due_earliest = None
    commitment.save()
    assert stored(report) == D(2025, 1, 31)


def test_deleting_a_commitment(report, letter):
    early = CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
    CommitmentFactory(letter=letter, due_latest=D(2025, 5, 31))
    early.delete()
    assert stored(report) == D(2025, 5, 31)


def test_moving_a_commitment_to_another_letter_refreshes_both_reports(report, letter):
    other_report = ReportFactory()
    other_letter = ResponseLetterFactory()
    other_letter.reports.add(other_report)
    commitment = CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
    commitment = Commitment.objects.get(pk=commitment.pk)  # as the admin loads it
    commitment.letter = other_letter
    commitment.save()
    assert (stored(report), stored(other_report)) == (None, D(2025, 1, 31))


def test_a_draft_letter_counts_once_confirmed(report):
    draft = ResponseLetterFactory(review_state=ResponseLetter.ReviewState.DRAFT)
    draft.reports.add(report)
    CommitmentFactory(letter=draft, due_latest=D(2025, 1, 31))
    assert stored(report) is None
    draft.review_state = ResponseLetter.ReviewState.CONFIRMED
    draft.save()
    assert stored(report) == D(2025, 1, 31)


def test_linking_and_unlinking_letters_from_either_side(report):
    letter = ResponseLetterFactory()
    CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
    letter.reports.add(report)
    assert stored(report) == D(2025, 1, 31)
    letter.reports.remove(report)
    assert stored(report) is None
    report.response_letters.add(letter)
    assert stored(report) == D(2025, 1, 31)
    report.response_letters.clear()
    assert stored(report) is None
    letter.reports.set([report])
    assert stored(report) == D(2025, 1, 31)
    letter.reports.clear()
    assert stored(report) is None


def test_deleting_a_letter(report, letter):
    CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
    other = ResponseLetterFactory()
    other.reports.add(report)
    CommitmentFactory(letter=other, due_latest=D(2025, 8, 31))
    letter.delete()
    assert stored(report) == D(2025, 8, 31)
    other.delete()
    assert stored(report) is None


def test_a_rolled_back_change_leaves_the_report_as_it_was(report, letter):
    CommitmentFactory(letter=letter, due_latest=D(2025, 6, 30))
    with pytest.raises(RuntimeError), transaction.atomic():
        CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
        raise RuntimeError("the rest of the letter failed")
    assert stored(report) == D(2025, 6, 30)


def test_refresh_stale_repairs_drift_and_writes_nothing_when_all_agree(report, letter):
    CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
    other = ResponseLetterFactory()
    other.reports.add(report)
    CommitmentFactory(letter=other, due_latest=D(2025, 4, 30))
    untouched, later = ReportFactory(), ReportFactory()
    later_letter = ResponseLetterFactory()
    later_letter.reports.add(later)
    CommitmentFactory(letter=later_letter, due_latest=D(2026, 1, 31))
    assert report_due_dates.refresh_stale() == 0
    # Writes around the signals: a value lost, one invented, one wrong.
    Report.objects.filter(pk=report.pk).update(earliest_open_due=None)
    Report.objects.filter(pk=untouched.pk).update(earliest_open_due=D(2020, 1, 1))
    Report.objects.filter(pk=later.pk).update(earliest_open_due=D(2027, 1, 1))
    assert report_due_dates.refresh_stale() == 3
    assert [stored(r) for r in (report, untouched, later)] == [D(2025, 1, 31), None, D(2026, 1, 31)]
    assert report_due_dates.refresh_stale() == 0


def test_the_weekly_task_repairs_drift(report, letter):
    CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
    Report.objects.filter(pk=report.pk).update(earliest_open_due=D(2030, 1, 1))
    assert (
        tasks.check_report_due_dates.delay().get() == 1
    )  # eager here; test_tasks_celery runs it on a worker
    assert stored(report) == D(2025, 1, 31)


def test_the_weekly_check_is_scheduled():
    task = PeriodicTask.objects.get(task="tracker.tasks.check_report_due_dates")
    assert task.enabled and task.crontab.day_of_week == "0" and str(task.crontab.timezone) == "Europe/London"


def test_the_migrations_backfill_agrees_with_the_commitments(report, letter):
    CommitmentFactory(letter=letter, due_latest=D(2025, 1, 31))
    draft = ResponseLetterFactory(review_state=ResponseLetter.ReviewState.DRAFT)
    draft.reports.add(report)
    CommitmentFactory(letter=draft, due_latest=D(2024, 1, 31))
    empty = ReportFactory()
    Report.objects.update(earliest_open_due=D(2000, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    assert (stored(report), stored(empty)) == (D(2025, 1, 31), None)


def test_a_random_history_of_changes_always_agrees(report):
    """Many reports, letters and commitments, changed in random ways: the column always matches."""
    rng = random.Random(28)
    user = UserFactory()
    reports = [report, *ReportFactory.create_batch(3)]
    letters = ResponseLetterFactory.create_batch(4)
    letters.append(ResponseLetterFactory(review_state=ResponseLetter.ReviewState.DRAFT))
    for n, letter in enumerate(letters):
        letter.reports.add(reports[n % len(reports)])
    commitments = []
    dated_checks = 0
    for _ in range(150):
        action = rng.choice(
            ["create"] * 4 + ["link"] * 2 + ["unlink", "status", "redate", "delete", "review", "clear"]
        )
        if action == "create":
            due = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(400)) if rng.random() < 0.8 else None
            commitments.append(
                CommitmentFactory(letter=rng.choice(letters), due_latest=due, due_earliest=None)
            )
        elif action == "link":
            rng.choice(letters).reports.add(rng.choice(reports))
        elif action == "unlink":
            rng.choice(letters).reports.remove(rng.choice(reports))
        elif action == "review":
            letter = rng.choice(letters)
            letter.review_state = rng.choice(["confirmed"] * 3 + ["draft"])
            letter.save()
        elif action == "clear":
            rng.choice([rng.choice(letters).reports, rng.choice(reports).response_letters]).clear()
        elif commitments:
            commitment = Commitment.objects.get(pk=rng.choice(commitments).pk)
            if action == "status":
                status = rng.choice([Commitment.Status.DELIVERED, Commitment.Status.IN_PROGRESS])
                commitment.change_status(status, by=user, delivered_on=D(2025, 6, 1))
            elif action == "redate":
                day = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(400))
                commitment.revise_due_date(due_latest=day, by=user, reason="Moved.")
            else:
                gone = commitment.pk
                commitment.delete()
                commitments = [c for c in commitments if c.pk != gone]
        for each in reports:
            assert stored(each) == expected(each), f"after {action}"
            dated_checks += stored(each) is not None
    assert dated_checks > 300  # the history did give the reports dates to keep, not just None


def test_saving_a_report_read_earlier_keeps_the_date_a_commitment_change_set_since(report, letter):
    commitment = CommitmentFactory(letter=letter, due_latest=D(2025, 6, 30))
    opened = Report.objects.get(pk=report.pk)  # an admin form opened now, saved later
    commitment.revise_due_date(due_latest=D(2025, 2, 28), by=UserFactory(), reason="Brought forward.")
    opened.title = "A corrected title"
    opened.save()
    assert stored(report) == D(2025, 2, 28)
    assert Report.objects.get(pk=report.pk).title == "A corrected title"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent snapshots: PostgreSQL"
)
def test_two_officials_changing_commitments_of_one_report_at_once():
    """The second writer waits for the first's lock on the report, then counts the first writer's change."""
    report = ReportFactory()
    first_letter, second_letter = ResponseLetterFactory(), ResponseLetterFactory()
    first_letter.reports.add(report)
    second_letter.reports.add(report)
    first = CommitmentFactory(letter=first_letter, due_latest=D(2025, 6, 30))
    second = CommitmentFactory(letter=second_letter, due_latest=D(2025, 9, 30))
    user = UserFactory()
    first_refreshed, release_first = threading.Event(), threading.Event()
    errors = []

    def first_writer():
        try:
            with transaction.atomic():
                Commitment.objects.get(pk=first.pk).revise_due_date(
                    due_latest=D(2026, 1, 31), by=user, reason="Later."
                )
                first_refreshed.set()  # holds the lock on the report until released
                release_first.wait(20)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    def second_writer():
        try:
            Commitment.objects.get(pk=second.pk).revise_due_date(
                due_latest=D(2025, 12, 31), by=user, reason="Later too."
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    threads[0].start()
    assert first_refreshed.wait(20)
    threads[1].start()
    waiting = False
    for _ in range(200):  # until the second writer is blocked on the first's row lock
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            waiting = cursor.fetchone()[0] > 0
        if waiting:
            break
        time.sleep(0.05)
    release_first.set()
    for thread in threads:
        thread.join(30)
    assert waiting and not errors
    assert stored(report) == D(2025, 12, 31) == expected(report)
