"""Figures read from every commitment (the dashboard's counts, the whole list's count) are cached briefly;
changes made through the service show at once."""

import datetime

import pytest

from responses.models import Commitment
from tests.factories import CommitmentFactory, DepartmentFactory, UserFactory
from tracker.models import london_today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def overdue_on_dashboard(client):
    return client.get("/").context["counts"]["overdue"]


def test_a_status_change_shows_at_once(client):
    department = DepartmentFactory()
    late = CommitmentFactory(department=department, due_latest=london_today() - 10 * DAY)
    CommitmentFactory(department=department, due_latest=london_today() - 5 * DAY)
    assert overdue_on_dashboard(client) == 2
    late.change_status(Commitment.Status.DELIVERED, by=UserFactory(), delivered_on=london_today() - DAY)
    assert overdue_on_dashboard(client) == 1


def test_a_new_commitment_shows_at_once(client):
    department = DepartmentFactory()
    CommitmentFactory(department=department, due_latest=london_today() - 10 * DAY)
    assert overdue_on_dashboard(client) == 1
    CommitmentFactory(department=department, due_latest=london_today() - 3 * DAY)
    assert overdue_on_dashboard(client) == 2


def test_figures_are_reused_while_nothing_changed(client, django_assert_max_num_queries):
    CommitmentFactory(due_latest=london_today() - 10 * DAY)
    with django_assert_max_num_queries(20) as first:
        client.get("/")
    with django_assert_max_num_queries(len(first.captured_queries) - 3):  # counts, names, months
        client.get("/")


def test_whole_commitment_list_count_follows_new_and_hidden_commitments(client):
    CommitmentFactory.create_batch(3)
    assert client.get("/commitments/").context["page"].paginator.count == 3
    CommitmentFactory()
    assert client.get("/commitments/").context["page"].paginator.count == 4
    draft = CommitmentFactory().letter
    draft.review_state = draft.ReviewState.DRAFT
    draft.save(update_fields=["review_state"])
    assert client.get("/commitments/").context["page"].paginator.count == 4
    assert client.get("/commitments/?sort=-due").context["page"].paginator.count == 4
