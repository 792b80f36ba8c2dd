import datetime

import pytest

from tests.factories import CommitmentFactory, DepartmentFactory, ReportFactory, ResponseLetterFactory
from tracker.models import Report, london_today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def home_office():
    return DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")


def listed(response):
    return [letter.pk for letter in response.context["rows"]]


def test_each_letter_with_its_date_department_reports_and_promises(client, home_office):
    today = london_today()
    report = ReportFactory(title="The report it answers", slug="the-report")
    letter = ResponseLetterFactory(departments=[home_office], date=datetime.date(2024, 9, 16))
    letter.reports.add(report)
    CommitmentFactory(letter=letter, department=home_office, due_latest=today - DAY)
    CommitmentFactory(letter=letter, department=home_office, due_latest=today + DAY)
    response = client.get("/letters/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "16 Sep 2024" in html and "The report it answers" in html
    assert f'href="/commitments/?letter={letter.pk}"' in html
    (row,) = response.context["rows"]
    assert (row.commitment_count, row.overdue_count) == (2, 1)


def test_drafts_are_not_listed(client, home_office):
    ResponseLetterFactory(departments=[home_office], review_state="draft")
    assert listed(client.get("/letters/")) == []


def test_filters_by_department_year_kind_report_and_overdue(client, home_office):
    today = london_today()
    education = DepartmentFactory(name="Department for Education", slug="department-for-education")
    pfd = ReportFactory(kind=Report.Kind.PFD, slug="a-pfd")
    inquiry = ReportFactory(kind=Report.Kind.INQUIRY, slug="an-inquiry")
    old = ResponseLetterFactory(departments=[home_office], date=datetime.date(2022, 5, 1))
    old.reports.add(pfd)
    recent = ResponseLetterFactory(departments=[home_office], date=datetime.date(2024, 5, 1))
    recent.reports.add(inquiry)
    CommitmentFactory(letter=recent, department=home_office, due_latest=today - DAY)
    other = ResponseLetterFactory(departments=[education], date=datetime.date(2024, 6, 1))
    other.reports.add(inquiry)
    assert set(listed(client.get("/letters/?department=home-office"))) == {old.pk, recent.pk}
    assert listed(client.get("/letters/?year=2022")) == [old.pk]
    assert listed(client.get("/letters/?report_kind=pfd")) == [old.pk]
    assert set(listed(client.get("/letters/?report=an-inquiry"))) == {recent.pk, other.pk}
    assert listed(client.get("/letters/?has_overdue=1")) == [recent.pk]
    assert listed(client.get("/letters/?sort=date")) == [old.pk, recent.pk, other.pk]
    assert listed(client.get("/letters/")) == [other.pk, recent.pk, old.pk]


def test_active_filters_are_tags_that_remove_themselves(client, home_office):
    report = ReportFactory(title="Report on prisons", slug="prisons")
    letter = ResponseLetterFactory(departments=[home_office])
    letter.reports.add(report)
    response = client.get("/letters/?department=home-office&report=prisons&has_overdue=1&sort=date")
    tags = {tag["text"]: tag["href"] for tag in response.context["active_filters"]["tags"]}
    assert tags == {
        "From: Home Office": "?report=prisons&has_overdue=1&sort=date",
        "Has overdue commitments": "?department=home-office&report=prisons&sort=date",
        "Report: Report on prisons": "?department=home-office&has_overdue=1&sort=date",
    }
    assert response.context["active_filters"]["clear"] == "?sort=date"
    html = response.content.decode()
    assert "Remove this filter: </span>Report: Report on prisons" in html


def test_an_unknown_department_is_an_error_not_every_letter(client, home_office):
    ResponseLetterFactory(departments=[home_office])
    response = client.get("/letters/?department=no-such-department")
    assert listed(response) == []
    assert "govuk-error-summary" in response.content.decode()


def test_queries_do_not_grow_with_rows(client, home_office, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            letter = ResponseLetterFactory(departments=[home_office])
            letter.reports.add(ReportFactory())
            CommitmentFactory(letter=letter, department=home_office)

    add(5)
    with django_assert_max_num_queries(7) as few:
        client.get("/letters/?department=home-office")
    add(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/letters/?department=home-office")
