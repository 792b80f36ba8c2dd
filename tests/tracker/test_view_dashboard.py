import datetime

import pytest
import time_machine

from responses.models import Commitment
from tests.factories import AddresseeFactory, CommitmentFactory, DepartmentFactory, ReportFactory
from tracker.models import london_today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_dashboard_counts_and_lists(client):
    today = london_today()
    home_office = DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")
    oldest = CommitmentFactory(
        department=home_office, due_latest=today - 400 * DAY, text="The oldest promise"
    )
    CommitmentFactory(department=home_office, due_latest=today - 3 * DAY)
    CommitmentFactory(department=home_office, due_latest=today + 10 * DAY)
    CommitmentFactory(department=home_office, due_latest=None, due_earliest=None, precision="vague")
    CommitmentFactory(
        department=home_office, status=Commitment.Status.DELIVERED, delivered_on=today - 30 * DAY,
        due_latest=today - 20 * DAY,
    )  # fmt: skip
    report = ReportFactory(title="A report nobody answered")
    AddresseeFactory(report=report, department=home_office, response_due=today - 7 * DAY)

    response = client.get("/")
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["open"], counts["overdue"], counts["due_soon"], counts["delivered"], counts["undated"]) == (
        4, 2, 1, 1, 1,
    )  # fmt: skip
    assert list(response.context["oldest_overdue"])[0] == oldest
    html = response.content.decode()
    assert "A report nobody answered" in html and "No response identified" in html
    # each chart is an image with a text alternative and a table of the same figures
    assert html.count('<svg class="tracker-chart" role="img"') == 2
    assert "Overdue commitments by department</title>" in html
    assert "Commitments by department (the figures of the chart above)" in html
    assert "Open commitments falling due each month" in html


def test_dashboard_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    today = london_today()
    departments = [DepartmentFactory() for _ in range(3)]

    def make(n):
        for i in range(n):
            CommitmentFactory(department=departments[i % 3], due_latest=today - (i + 1) * DAY)
            AddresseeFactory(department=departments[i % 3], response_due=today - (i + 1) * DAY)

    make(5)
    with django_assert_max_num_queries(8) as few:
        client.get("/")
    make(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


@time_machine.travel(datetime.datetime(2022, 1, 15, 12, 0, tzinfo=datetime.UTC))
def test_month_chart_spans_the_open_due_dates_and_this_month(client):
    department = DepartmentFactory()
    CommitmentFactory(department=department, due_latest=datetime.date(2021, 4, 30))
    CommitmentFactory(department=department, due_latest=datetime.date(2021, 6, 30))
    CommitmentFactory(
        department=department, due_latest=datetime.date(2019, 1, 31), status=Commitment.Status.DELIVERED,
        delivered_on=datetime.date(2019, 1, 1),
    )  # fmt: skip
    months = client.get("/").context["months"]
    # from the earliest open due month (the delivered 2019 one does not count) to this month, gaps as 0
    assert [m for m, _ in months][0] == datetime.date(2021, 4, 1)
    assert [m for m, _ in months][-1] == datetime.date(2022, 1, 1)
    assert len(months) == 10
    assert dict(months)[datetime.date(2021, 6, 1)] == 1 and dict(months)[datetime.date(2021, 5, 1)] == 0
