import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from responses.models import Commitment
from tests.factories import AddresseeFactory, CommitmentFactory, ReportFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("flag_overdue", *args, stdout=out)
    return out.getvalue()


def test_flags_reports_and_is_safe_to_run_twice():
    late = CommitmentFactory(due_latest=datetime.date(2025, 1, 31), due_earliest=None)
    CommitmentFactory(due_latest=datetime.date(2025, 2, 1), due_earliest=None)
    AddresseeFactory(report=ReportFactory(date_issued=datetime.date(2024, 12, 1)))
    first = run("--today", "2025-02-01")
    assert "Overdue sweep for 2025-02-01 (London): 1 commitments newly overdue" in first
    assert "1 responses newly missing" in first
    assert Commitment.objects.get(is_overdue=True) == late
    second = run("--today", "2025-02-01")
    assert "0 commitments newly overdue, 0 no longer overdue; 0 responses newly missing" in second


def test_defaults_to_today_in_london():
    CommitmentFactory(due_latest=datetime.date(2000, 1, 1), due_earliest=None)
    assert "1 commitments newly overdue" in run()


def test_rejects_a_malformed_date():
    with pytest.raises(CommandError):
        call_command("flag_overdue", "--today", "1 Feb 2025", stdout=io.StringIO())
