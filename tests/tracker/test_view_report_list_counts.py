"""The reports list counts "has overdue" matches in the page's own query: same pages, same totals."""

import datetime

import pytest

from tests.factories import CommitmentFactory, ReportFactory, ResponseLetterFactory
from tracker.models import london_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_reports():
    reports = []
    for n in range(53):
        report = ReportFactory(title=f"Report {n:02d}")
        letter = ResponseLetterFactory()
        letter.reports.add(report)
        CommitmentFactory(letter=letter, due_latest=london_today() - datetime.timedelta(days=n + 1))
        reports.append(report)
    ReportFactory(title="Report with nothing overdue")
    return reports


def titles(response):
    return [r.title for r in response.context["rows"]]


def test_pages_and_total_of_a_has_overdue_list(client, overdue_reports):
    first = client.get("/reports/?has_overdue=1&sort=title")
    assert first.context["page"].paginator.count == 53
    assert titles(first) == [f"Report {n:02d}" for n in range(50)]
    assert "53 reports" in first.content.decode()
    second = client.get("/reports/?has_overdue=1&sort=title&page=2")
    assert titles(second) == ["Report 50", "Report 51", "Report 52"]
    assert second.context["page"].paginator.num_pages == 2


@pytest.mark.parametrize(("page", "expected_number"), [("99", 2), ("0", 2), ("abc", 1), ("", 1)])
def test_pages_out_of_range_answer_as_elsewhere(client, overdue_reports, page, expected_number):
    response = client.get(f"/reports/?has_overdue=1&sort=title&page={page}")
    assert response.status_code == 200
    assert response.context["page"].number == expected_number
    assert response.context["page"].paginator.count == 53


def test_no_match_is_an_empty_first_page(client):
    ReportFactory(title="Nothing overdue here")
    response = client.get("/reports/?has_overdue=1")
    assert response.context["page"].paginator.count == 0 and response.context["rows"] == []
