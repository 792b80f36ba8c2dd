"""manage.py refresh_report_due_dates: repairs what writes around the models left stale."""

import datetime
import io

import pytest
from django.core.management import call_command

from tests.factories import CommitmentFactory, ReportFactory, ResponseLetterFactory
from tracker.models import Report

pytestmark = pytest.mark.django_db


def run():
    out = io.StringIO()
    call_command("refresh_report_due_dates", stdout=out)
    return out.getvalue()


def test_reports_what_it_corrected_and_then_nothing():
    report = ReportFactory()
    letter = ResponseLetterFactory()
    letter.reports.add(report)
    CommitmentFactory(letter=letter, due_latest=datetime.date(2025, 1, 31))
    Report.objects.filter(pk=report.pk).update(earliest_open_due=None)  # as a raw UPDATE would leave it
    assert "Corrected the earliest open due date of 1 reports." in run()
    assert Report.objects.get(pk=report.pk).earliest_open_due == datetime.date(2025, 1, 31)
    assert "Corrected the earliest open due date of 0 reports." in run()
