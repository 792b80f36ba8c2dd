"""The agreement figure of issue 14, on the real files (fixtures/pfd/, as published): at least 98% of the
Preventable Deaths Tracker's statuses of 24 July 2025, computed for that day."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from tracker.models import Report
from tracker.pfd.agreement import compare
from tracker.pfd.importer import import_file

pytestmark = pytest.mark.django_db
CORPUS = Path(settings.BASE_DIR) / "fixtures" / "pfd"


def test_our_categories_agree_with_the_published_statuses():
    statuses = import_file(CORPUS / "pdt-statuses-2025-07-24.csv")
    scrape = import_file(CORPUS / "pdt-reports-2024-02-11.csv")
    assert (statuses.created, len(statuses.bad_rows), statuses.failed) == (5719, 99, [])
    assert (len(scrape.bad_rows), scrape.failed) == (958, [])
    result = compare(datetime.date(2025, 7, 24))
    assert result.compared == Report.objects.exclude(pdt_status="").count() == 5719
    assert result.share >= 0.98, result.confusion
