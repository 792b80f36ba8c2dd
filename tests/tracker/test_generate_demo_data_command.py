import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F, Max, Min

from responses import report_due_dates
from responses.models import Commitment, ResponseLetter
from tracker.models import Addressee, Department, DigestSubscription, Report
from tracker.overdue import sweep

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    return out.getvalue()


def test_generates_the_requested_volumes_with_realistic_spread():
    out = generate("--reports", "40", "--commitments", "3000", "--subscribers", "30", "--seed", "3")
    assert "40 reports" in out and "3000 commitments" in out
    assert Report.objects.count() == 40
    assert ResponseLetter.objects.count() == 40
    assert Commitment.objects.count() == 3000
    assert DigestSubscription.objects.count() == 30
    assert get_user_model().objects.filter(email__endswith="@example.gov.uk").count() == 30
    assert Department.objects.count() > 20  # the fixture's departments are loaded first
    assert set(Report.objects.values_list("kind", flat=True)) >= {Report.Kind.PFD, Report.Kind.COMMITTEE}
    assert Addressee.objects.count() >= 40

    span = Commitment.objects.aggregate(first=Min("due_latest"), last=Max("due_latest"))
    assert (span["last"] - span["first"]).days > 365 * 8
    assert span["last"] > datetime.date.today()
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert {
        Commitment.Status.NOT_YET_ASSESSED,
        Commitment.Status.IN_PROGRESS,
        Commitment.Status.DELIVERED,
    } <= statuses
    precisions = set(Commitment.objects.values_list("precision", flat=True))
    assert {"month", "season", "year", "day"} <= precisions
    assert Commitment.objects.filter(due_latest__isnull=True).exists()
    assert not Commitment.objects.filter(is_overdue=True).exists()  # the sweep's job, not the generator's
    # Rows are valid for the domain rules and the constraints: every commitment's department answers its letter.
    mismatched = Commitment.objects.exclude(department__response_letters=F("letter"))
    assert not mismatched.exists()
    assert (
        Commitment.objects.filter(status__in=Commitment.STATUSES_NEEDING_REASON, status_reason="").count()
        == 0
    )


def test_the_generated_data_sweeps_and_ids_continue_afterwards():
    generate("--reports", "20", "--commitments", "500", "--subscribers", "5", "--seed", "4")
    result = sweep()
    open_past = Commitment.objects.open().filter(due_latest__lt=datetime.date.today()).count()
    assert result.commitments_flagged == open_past > 0
    # The sequences were reset: ordinary inserts after a COPY with explicit ids do not collide.
    generate("--reports", "5", "--commitments", "50", "--subscribers", "2")
    assert Commitment.objects.count() == 550
    report = Report.objects.create(title="A report created the ordinary way", kind=Report.Kind.OTHER)
    assert report.pk > Report.objects.exclude(pk=report.pk).aggregate(m=Max("pk"))["m"]


def test_reports_know_their_earliest_open_due_date():
    """COPY sends no signals: the command fills Report.earliest_open_due itself, and it is right."""
    generate("--reports", "30", "--commitments", "600", "--subscribers", "0", "--seed", "4")
    assert report_due_dates.refresh_stale() == 0  # nothing left to correct
    today = datetime.date.today()
    with_overdue = {
        report_id
        for report_id, letter_state in Commitment.objects.overdue(today).values_list(
            "letter__reports", "letter__review_state"
        )
        if letter_state == ResponseLetter.ReviewState.CONFIRMED
    }
    assert with_overdue  # the generated data has overdue commitments
    assert set(Report.objects.with_overdue_commitments(today).values_list("pk", flat=True)) == with_overdue
