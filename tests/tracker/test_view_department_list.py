import datetime

import pytest

from responses.models import Commitment
from tests.factories import AddresseeFactory, CommitmentFactory, DepartmentFactory, ResponseLetterFactory
from tracker.models import london_today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def row_of(response, name):
    return next(d for d in response.context["departments"] if d.name == name)


def test_each_department_has_the_figures_of_its_scorecard(client):
    today = london_today()
    home_office = DepartmentFactory(name="Home Office", slug="home-office")
    DepartmentFactory(name="Department of Nothing Yet", slug="nothing-yet")
    CommitmentFactory(department=home_office, due_latest=today - 10 * DAY)  # overdue
    CommitmentFactory(department=home_office, due_latest=today + 10 * DAY)  # open, not due
    CommitmentFactory(department=home_office, due_latest=today - 30 * DAY, status=Commitment.Status.DELIVERED)
    CommitmentFactory(
        department=home_office, due_latest=today - 30 * DAY, status=Commitment.Status.DELIVERED_LATE
    )
    AddresseeFactory(department=home_office, response_due=today - 5 * DAY)  # no response identified
    AddresseeFactory(
        department=home_office, response_due=today - 50 * DAY, response_received_on=today - 60 * DAY
    )
    response = client.get("/departments/")
    assert response.status_code == 200
    row = row_of(response, "Home Office")
    assert row.totals["total"] == 4 and row.totals["overdue"] == 1
    # judged: the two delivered and the overdue one; delivered on time: one of them
    assert (row.totals["on_time"], row.totals["judged"], row.totals["on_time_share"]) == (1, 3, 33)
    assert (row.record["on_time"], row.record["missing"]) == (1, 1)
    html = response.content.decode()
    assert 'href="/commitments/?overdue=1&amp;department=home-office"' in html
    assert "33%" in html
    # the department with nothing recorded is listed apart
    assert [d.name for d in response.context["nothing_recorded"]] == ["Department of Nothing Yet"]


def test_the_figures_agree_with_the_department_page(client):
    today = london_today()
    department = DepartmentFactory(name="Home Office", slug="home-office")
    for days, status in [
        (-3, "not_yet_assessed"),
        (-40, "delivered"),
        (5, "in_progress"),
        (-9, "superseded"),
    ]:
        reason = "Replaced by a wider review" if status == "superseded" else ""
        CommitmentFactory(
            department=department, due_latest=today + days * DAY, status=status, status_reason=reason
        )
    listed = row_of(client.get("/departments/"), "Home Office")
    detail = client.get("/departments/home-office/").context
    assert listed.totals["overdue"] == detail["totals"]["overdue"]
    assert listed.totals["on_time_share"] == detail["on_time_share"]
    assert listed.totals["total"] == detail["totals"]["total"]


def test_commitments_of_draft_letters_are_not_counted(client):
    department = DepartmentFactory(name="Home Office", slug="home-office")
    CommitmentFactory(department=department, letter=ResponseLetterFactory(review_state="draft"))
    response = client.get("/departments/")
    assert response.context["departments"] == []


def test_queries_do_not_grow_with_departments(client, django_assert_max_num_queries):
    today = london_today()
    for _ in range(3):
        CommitmentFactory(department=DepartmentFactory(), due_latest=today - DAY)
    with django_assert_max_num_queries(4) as few:
        client.get("/departments/")
    for _ in range(30):
        department = DepartmentFactory()
        CommitmentFactory(department=department, due_latest=today - DAY)
        AddresseeFactory(department=department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/departments/")
