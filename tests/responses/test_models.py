import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from responses.models import Commitment, CommitmentEvent, Position, ResponseLetter, StaleCommitment
from tests.factories import (
    CommitmentFactory,
    DepartmentFactory,
    PositionFactory,
    ResponseLetterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def official():
    return UserFactory(username="official")


class TestCommitmentRules:
    def test_original_due_date_is_kept_at_creation(self):
        commitment = CommitmentFactory(due_latest=D(2025, 3, 31), time_phrase="by March 2025")
        assert commitment.original_due_latest == D(2025, 3, 31)
        assert commitment.original_time_phrase == "by March 2025"

    def test_revised_due_date_keeps_the_original_and_records_who_when_why(self, official):
        commitment = CommitmentFactory(due_earliest=None, due_latest=D(2025, 3, 31))
        event = commitment.revise_due_date(
            due_latest=D(2025, 9, 30), by=official, reason="Consultation extended"
        )
        commitment.refresh_from_db()
        assert commitment.due_latest == D(2025, 9, 30)
        assert commitment.original_due_latest == D(2025, 3, 31)
        assert commitment.due_date_revised
        assert event.kind == CommitmentEvent.Kind.DUE_DATE_REVISED
        assert (event.old_due_latest, event.new_due_latest, event.by, event.note) == (
            D(2025, 3, 31),
            D(2025, 9, 30),
            official,
            "Consultation extended",
        )

    def test_revising_a_due_date_needs_a_reason(self, official):
        with pytest.raises(ValueError):
            CommitmentFactory().revise_due_date(due_latest=D(2026, 1, 1), by=official, reason="")

    def test_is_overdue_on_the_day_after_due_latest_only(self):
        commitment = CommitmentFactory(due_latest=D(2025, 3, 31))
        assert not commitment.is_overdue_on(D(2025, 3, 31))
        assert commitment.is_overdue_on(D(2025, 4, 1))
        assert commitment.days_overdue(D(2025, 4, 10)) == 10

    def test_undated_and_final_commitments_are_never_overdue(self, official):
        assert not CommitmentFactory(due_latest=None, due_earliest=None).is_overdue_on(D(2030, 1, 1))
        delivered = CommitmentFactory(due_latest=D(2025, 3, 31))
        delivered.change_status(Commitment.Status.DELIVERED, by=official, delivered_on=D(2025, 3, 1))
        assert not delivered.is_overdue_on(D(2030, 1, 1))

    def test_delivery_after_due_date_is_kept_as_delivered_late(self, official):
        commitment = CommitmentFactory(due_latest=D(2025, 3, 31))
        commitment.change_status(Commitment.Status.DELIVERED, by=official, delivered_on=D(2025, 5, 2))
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.DELIVERED_LATE
        assert commitment.was_delivered_late

    def test_status_change_is_an_event_with_who_old_new_note_and_evidence(self, official):
        commitment = CommitmentFactory()
        event = commitment.change_status(
            Commitment.Status.DELIVERED,
            by=official,
            delivered_on=D(2025, 3, 1),
            note="Published",
            evidence_url="https://www.gov.uk/guidance/x",
        )
        assert (event.old_status, event.new_status) == (
            Commitment.Status.NOT_YET_ASSESSED,
            Commitment.Status.DELIVERED,
        )
        assert event.by == official and event.note == "Published"
        commitment.refresh_from_db()
        assert commitment.evidence_state == Commitment.EvidenceState.EVIDENCE_LINKED

    @pytest.mark.parametrize(
        "status",
        [
            Commitment.Status.NOT_DELIVERED,
            Commitment.Status.SUPERSEDED,
            Commitment.Status.NO_LONGER_APPLICABLE,
        ],
    )
    def test_closing_statuses_need_a_reason(self, official, status):
        with pytest.raises(ValueError):
            CommitmentFactory().change_status(status, by=official, reason="")

    def test_delivered_needs_a_date(self, official):
        with pytest.raises(ValueError):
            CommitmentFactory().change_status(Commitment.Status.DELIVERED, by=official)

    def test_a_stale_edit_is_refused(self, official):
        commitment = CommitmentFactory()
        first_view = Commitment.objects.get(pk=commitment.pk)
        second_view = Commitment.objects.get(pk=commitment.pk)
        first_view.change_status(Commitment.Status.IN_PROGRESS, by=official)
        with pytest.raises(StaleCommitment):
            second_view.change_status(Commitment.Status.DELAYED, by=official)
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.IN_PROGRESS
        assert commitment.events.count() == 1

    def test_clerk_assessment_marks_evidence(self, official):
        commitment = CommitmentFactory()
        commitment.assess_evidence(Commitment.EvidenceState.DISPUTED, by=official, note="Guidance not found")
        commitment.refresh_from_db()
        assert commitment.evidence_state == Commitment.EvidenceState.DISPUTED
        with pytest.raises(ValueError):
            commitment.assess_evidence(Commitment.EvidenceState.SELF_REPORTED, by=official)

    def test_default_status_is_not_yet_assessed(self):
        commitment = CommitmentFactory()
        assert commitment.status == Commitment.Status.NOT_YET_ASSESSED
        assert commitment.get_status_display() == "Not yet assessed"


class TestCommitmentConstraints:
    def test_due_earliest_after_due_latest_is_refused_by_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            CommitmentFactory(due_earliest=D(2025, 5, 1), due_latest=D(2025, 4, 1))

    def test_closing_status_without_reason_is_refused_by_the_database(self):
        commitment = CommitmentFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Commitment.objects.filter(pk=commitment.pk).update(
                status=Commitment.Status.SUPERSEDED, status_reason=""
            )

    def test_one_letter_per_file_hash(self):
        letter = ResponseLetterFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            ResponseLetterFactory(content_hash=letter.content_hash)


class TestCommitmentQueries:
    @time_machine.travel(datetime.datetime(2025, 4, 2, 12, 0), tick=False)
    def test_overdue_open_and_undated(self, official):
        overdue = CommitmentFactory(due_latest=D(2025, 4, 1))
        CommitmentFactory(due_latest=D(2025, 4, 2))  # due today: not overdue yet
        delivered = CommitmentFactory(due_latest=D(2025, 1, 1))
        delivered.change_status(Commitment.Status.DELIVERED, by=official, delivered_on=D(2025, 1, 1))
        undated = CommitmentFactory(due_earliest=None, due_latest=None, precision=Commitment.Precision.NONE)
        assert list(Commitment.objects.overdue()) == [overdue]
        assert delivered not in Commitment.objects.open()
        assert list(Commitment.objects.undated()) == [undated]


class TestPosition:
    def test_not_accepted_needs_a_reason(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            PositionFactory(stance=Position.Stance.NOT_ACCEPTED, reason="")

    def test_one_position_per_department_and_recommendation(self):
        position = PositionFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            PositionFactory(recommendation=position.recommendation, department=position.department)


def test_letter_string_names_its_departments():
    department = DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")
    letter = ResponseLetterFactory(date=D(2025, 2, 20), departments=[department])
    assert str(letter) == "HO letter of 20 February 2025"
    assert ResponseLetter.objects.filter(departments=department).count() == 1


def test_database_status_lists_match_the_model_rules():
    from responses.models import FINAL_STATUS_VALUES, STATUS_VALUES_NEEDING_REASON

    assert set(FINAL_STATUS_VALUES) == {str(s) for s in Commitment.FINAL_STATUSES}
    assert set(STATUS_VALUES_NEEDING_REASON) == {str(s) for s in Commitment.STATUSES_NEEDING_REASON}
