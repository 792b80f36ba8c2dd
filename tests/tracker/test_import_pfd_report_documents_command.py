import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.factories import ReportFactory
from tracker.models import Report
from tracker.pfd.organisations import load_known_organisations

pytestmark = pytest.mark.django_db
REPORTS = Path(settings.BASE_DIR) / "fixtures" / "pfd" / "reports"


def run(*args):
    out = StringIO()
    call_command("import_pfd_report_documents", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_new_report_from_its_document():
    load_known_organisations()
    output = run(REPORTS / "Joseph_Maunick.pdf")
    assert "created Joseph Willy Maunick: Prevention of Future Deaths report" in output
    report = Report.objects.get()
    assert (report.date_issued, report.stated_response_deadline) == (
        datetime.date(2023, 4, 20),
        datetime.date(2023, 6, 15),
    )
    assert (report.issuing_body, report.author, report.author_role) == (
        "Suffolk",
        "Peter Taheri",
        "Assistant coroner",
    )
    assert sorted(report.addressees.values_list("department__short_name", flat=True)) == ["DHSC", "NHSE"]
    assert all(a.response_due == datetime.date(2023, 6, 15) for a in report.addressees.all())
    assert list(report.recommendations.values_list("label", flat=True)) == ["1", "2"]


def test_a_report_already_imported_is_completed():
    existing = ReportFactory(
        deceased="Joseph Maunick",
        reference="2023-0128",
        date_issued=datetime.date(2023, 4, 20),
        issuing_body="",
    )
    output = run(REPORTS / "Joseph_Maunick.pdf")
    assert "completed" in output
    assert Report.objects.count() == 1
    existing.refresh_from_db()
    assert existing.issuing_body == "Suffolk" and existing.reference == "2023-0128"
    assert existing.recommendations.count() == 2
    run(REPORTS / "Joseph_Maunick.pdf")  # again: nothing added twice
    assert existing.recommendations.count() == 2 and existing.addressees.count() == 2


def test_dry_run_prints_what_was_read_and_saves_nothing():
    output = run(REPORTS / "Amy_Henderson.pdf", "--dry-run")
    read = json.loads(output)
    assert (read["deceased"], read["date_issued"], read["area"]) == ("Amy Henderson", "2023-04-21", "Surrey")
    assert not Report.objects.exists()


def test_an_unreadable_file_is_reported_and_the_others_saved(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(CommandError, match="1 of 2 documents not saved"):
        run(tmp_path / "broken.pdf", REPORTS / "Peter_Lawrence.pdf")
    assert Report.objects.get().deceased == "Peter William Frederick Lawrence"
