import datetime

import pytest
import time_machine

from tests.factories import CommitmentFactory, DepartmentFactory, DigestSubscriptionFactory, UserFactory
from tracker.models import DigestDelivery
from tracker.overdue import sweep

pytestmark = pytest.mark.django_db
URL = "/digests/preview/"


@pytest.fixture
def subscription():
    department = DepartmentFactory()
    CommitmentFactory(
        department=department,
        text="We will publish the framework.",
        time_phrase="by Autumn 2021",
        due_earliest=datetime.date(2021, 9, 1),
        due_latest=datetime.date(2021, 11, 30),
        recorded_at=datetime.datetime(2021, 1, 4, 9, tzinfo=datetime.UTC),
    )
    sweep()
    subscription = DigestSubscriptionFactory(user=UserFactory(username="pat", email="pat@example.gov.uk"))
    subscription.departments.add(department)
    return subscription


def test_staff_see_what_a_subscriber_would_receive_and_nothing_is_sent(client, subscription, mailoutbox):
    client.force_login(UserFactory(is_staff=True))
    with time_machine.travel(datetime.datetime(2025, 2, 19, 12, tzinfo=datetime.UTC), tick=False):
        response = client.get(URL, {"subscription": subscription.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tracker digest 2025-W08" in page
    assert "We will publish the framework." in page and "by Autumn 2021" in page
    assert "pat@example.gov.uk" in page
    assert mailoutbox == [] and not DigestDelivery.objects.exists()


def test_a_given_week_can_be_previewed(client, subscription):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL, {"subscription": subscription.pk, "week": "2024-W10"})
    assert "Tracker digest 2024-W10" in response.content.decode()


def test_the_page_says_when_nothing_would_be_sent(client):
    quiet = DigestSubscriptionFactory(user=UserFactory(username="quiet"))
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL, {"subscription": quiet.pk})
    assert "This digest would not be sent" in response.content.decode()


def test_only_staff_may_preview(client, subscription):
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(UserFactory(is_staff=False))
    assert client.get(URL, {"subscription": subscription.pk}).status_code == 403


def test_an_unknown_subscription_is_not_found(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL, {"subscription": 999999}).status_code == 404
