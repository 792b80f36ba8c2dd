import datetime

import pytest
from django.conf import settings

from responses.models import Commitment, Position
from tests.factories import (
    AddresseeFactory,
    CommitmentFactory,
    DepartmentFactory,
    PositionFactory,
    RecommendationFactory,
    ReportFactory,
    ResponseLetterFactory,
)
from tracker.models import Report, london_today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def home_office():
    return DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")


@pytest.fixture
def health():
    return DepartmentFactory(
        name="Department of Health and Social Care",
        short_name="DHSC",
        slug="department-of-health-and-social-care",
    )


def listed(response):
    return {r.pk for r in response.context["rows"]}


def test_list_filters_by_kind_department_and_year(client, home_office, health):
    pfd = ReportFactory(kind=Report.Kind.PFD, date_issued=datetime.date(2024, 5, 29))
    AddresseeFactory(report=pfd, department=home_office)
    inquiry = ReportFactory(
        kind=Report.Kind.INQUIRY, title="An inquiry", date_issued=datetime.date(2022, 10, 20)
    )
    AddresseeFactory(report=inquiry, department=health)
    assert listed(client.get("/reports/?kind=inquiry")) == {inquiry.pk}
    assert listed(client.get("/reports/?department=home-office")) == {pfd.pk}
    assert listed(client.get("/reports/?year=2022")) == {inquiry.pk}
    assert listed(client.get("/reports/")) == {pfd.pk, inquiry.pk}


def test_has_overdue_filter_and_count(client, home_office):
    today = london_today()
    late = ReportFactory(title="Late one")
    letter = ResponseLetterFactory()
    letter.reports.add(late)
    CommitmentFactory.create_batch(2, letter=letter, department=home_office, due_latest=today - 5 * DAY)
    on_track = ReportFactory(title="On track")
    other_letter = ResponseLetterFactory()
    other_letter.reports.add(on_track)
    CommitmentFactory(letter=other_letter, department=home_office, due_latest=today + 5 * DAY)
    CommitmentFactory(
        letter=other_letter, department=home_office, due_latest=today - 5 * DAY,
        status=Commitment.Status.DELIVERED, delivered_on=today - 9 * DAY,
    )  # fmt: skip
    response = client.get("/reports/?has_overdue=1")
    assert listed(response) == {late.pk}
    assert "2 overdue" in response.content.decode()


@pytest.mark.parametrize("field", ["title", "recommendation", "letter"])
def test_search_finds_words_in_titles_recommendations_and_letters(client, field):
    report = ReportFactory(title="Report into river safety")
    ReportFactory(title="Something else entirely")
    if field == "recommendation":
        RecommendationFactory(report=report, text="Install lifebuoys along the towpaths of canals.")
        query = "lifebuoy"  # PostgreSQL stems; SQLite matches the substring
    elif field == "letter":
        letter = ResponseLetterFactory(text="We will fund swimming lessons for every primary school pupil.")
        letter.reports.add(report)
        query = "swimming"
    else:
        query = "river"
    assert listed(client.get(f"/reports/?q={query}")) == {report.pk}


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL full-text search")
def test_postgres_search_uses_stemming(client):
    report = ReportFactory(title="Deaths in custody")
    ReportFactory(title="Another report")
    assert listed(client.get("/reports/?q=death")) == {report.pk}


def test_sorting_and_pagination_keep_the_filters(client):
    for n in range(55):
        ReportFactory(kind=Report.Kind.PFD, title=f"Report {n:02d}")
    response = client.get("/reports/?kind=pfd&sort=title")
    titles = [r.title for r in response.context["rows"]]
    assert titles == sorted(titles) and titles[0] == "Report 00"
    assert "kind=pfd&amp;sort=title&amp;page=2" in response.content.decode()


def test_detail_shows_response_state_per_department(client, home_office, health):
    today = london_today()
    report = ReportFactory(date_issued=datetime.date(2024, 5, 29))
    late = AddresseeFactory(report=report, department=home_office)
    late.record_response(datetime.date(2024, 9, 16))
    AddresseeFactory(report=report, department=health, response_due=today - 10 * DAY)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Late by 54 days" in html
    assert "No response identified" in html
    assert "no action" not in html.lower()


def test_detail_puts_each_recommendation_beside_position_quote_and_commitments(client, home_office, health):
    report = ReportFactory()
    AddresseeFactory(report=report, department=home_office)
    recommendation = RecommendationFactory(report=report, text="Review the guidance on restraint.")
    recommendation.departments.add(home_office, health)
    PositionFactory(
        recommendation=recommendation, department=home_office, stance=Position.Stance.ACCEPTED_IN_PART,
        quote="We accept the need to review the guidance.",
    )  # fmt: skip
    letter = ResponseLetterFactory()
    letter.reports.add(report)
    commitment = CommitmentFactory(
        letter=letter, department=home_office, text="We will publish revised guidance."
    )
    commitment.recommendations.add(recommendation)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Review the guidance on restraint." in html
    assert "Accepted in part" in html
    assert "We accept the need to review the guidance." in html
    assert "We will publish revised guidance." in html and commitment.get_absolute_url() in html
    assert "Not yet assessed" in html  # DHSC has stated no position
    assert "Timeline" in html


def test_unknown_report_is_404(client):
    assert client.get("/reports/no-such-report/").status_code == 404


def test_report_list_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, home_office):
    def make(n):
        for _ in range(n):
            report = ReportFactory()
            AddresseeFactory(report=report, department=home_office)
            letter = ResponseLetterFactory()
            letter.reports.add(report)
            CommitmentFactory(letter=letter, department=home_office)

    make(5)
    with django_assert_max_num_queries(8) as few:
        client.get("/reports/")
    make(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/reports/")
