import datetime

import pytest

from responses.models import Commitment, Position
from tests.factories import (
    AddresseeFactory,
    CommitmentFactory,
    DepartmentFactory,
    PositionFactory,
    ReportFactory,
)
from tracker.models import london_today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_scorecard(client):
    today = london_today()
    department = DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")
    other = DepartmentFactory()
    CommitmentFactory(department=department, due_latest=today - 5 * DAY, text="Late promise")
    CommitmentFactory(department=department, due_latest=today + 5 * DAY)
    CommitmentFactory(
        department=department, due_latest=today - 50 * DAY, status=Commitment.Status.DELIVERED,
        delivered_on=today - 60 * DAY,
    )  # fmt: skip
    CommitmentFactory(
        department=department, due_latest=today - 50 * DAY, status=Commitment.Status.DELIVERED_LATE,
        delivered_on=today - 10 * DAY,
    )  # fmt: skip
    CommitmentFactory(department=other, due_latest=today - 5 * DAY, text="Someone else's promise")
    on_time = AddresseeFactory(
        department=department, report=ReportFactory(date_issued=datetime.date(2024, 5, 29))
    )
    on_time.record_response(datetime.date(2024, 7, 1))
    late = AddresseeFactory(
        department=department, report=ReportFactory(date_issued=datetime.date(2024, 5, 29))
    )
    late.record_response(datetime.date(2024, 9, 16))
    AddresseeFactory(department=department, response_due=today - 3 * DAY)
    PositionFactory(department=department, stance=Position.Stance.ACCEPTED)
    PositionFactory(department=department, stance=Position.Stance.NOT_ACCEPTED, reason="Costs")

    response = client.get("/departments/home-office/")
    assert response.status_code == 200
    ctx = response.context
    assert ctx["status_rows"][0]["overdue"] and ctx["status_rows"][0]["count"] == 1
    # judged: delivered, delivered late, and the overdue one; on time: 1 of 3
    assert ctx["on_time_share"] == 33
    assert (ctx["record"]["on_time"], ctx["record"]["late"], ctx["record"]["missing"]) == (1, 1, 1)
    assert dict(ctx["stances"])["Accepted"] == 1 and dict(ctx["stances"])["Not accepted"] == 1
    html = response.content.decode()
    assert "Late promise" in html and "Someone else&#x27;s promise" not in html


def test_unknown_department_is_404(client):
    assert client.get("/departments/nowhere/").status_code == 404
