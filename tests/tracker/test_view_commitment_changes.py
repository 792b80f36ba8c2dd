"""Updating a commitment from the pages: who may, what each change needs, and stale saves refused."""

import datetime

import pytest

from responses.models import Commitment, CommitmentEvent
from tests.factories import CommitmentFactory, DepartmentFactory, UserFactory, official_of
from tracker import permissions
from tracker.models import london_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Four users a test: the default hasher's deliberate slowness would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def home_office():
    return DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")


@pytest.fixture
def commitment(home_office):
    return CommitmentFactory(department=home_office, due_latest=datetime.date(2025, 4, 20), due_earliest=None)


@pytest.fixture
def users(home_office):
    other = DepartmentFactory(
        name="Department for Transport", short_name="DfT", slug="department-for-transport"
    )
    return {
        "owner": official_of(home_office, username="owner"),
        "other_official": official_of(other, username="other"),
        "clerk": UserFactory(username="clerk", role=permissions.COMMITTEE_CLERKS),
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
        "anonymous": None,
    }


def status_post(commitment, **overrides):
    data = {
        "version": commitment.version,
        "status": "delivered",
        "delivered_on-day": "3",
        "delivered_on-month": "4",
        "delivered_on-year": "2025",
        "evidence_url": "https://www.gov.uk/government/publications/example",
        "note": "Published on GOV.UK",
        "reason": "",
    }
    data.update(overrides)
    return data


def due_date_post(commitment, **overrides):
    data = {
        "version": commitment.version,
        "due_latest-day": "30",
        "due_latest-month": "9",
        "due_latest-year": "2025",
        "time_phrase": "by Autumn 2025",
        "reason": "The consultation was extended",
    }
    data.update(overrides)
    return data


def evidence_post(commitment, **overrides):
    return {"version": commitment.version, "evidence_state": "verified", "note": "Checked", **overrides}


CHANGES = {
    "status": (status_post, {"owner", "admin"}),
    "due-date": (due_date_post, {"owner", "admin"}),
    "evidence": (evidence_post, {"clerk", "admin"}),
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("who", ["owner", "other_official", "clerk", "admin", "anonymous"])
def test_permissions_matrix(client, users, commitment, change, who):
    post_data, allowed = CHANGES[change]
    if change == "evidence":  # there must be a delivery claim to assess
        Commitment.objects.filter(pk=commitment.pk).update(
            evidence_state=Commitment.EvidenceState.SELF_REPORTED
        )
    if users[who]:
        client.force_login(users[who])
    url = f"/commitments/{commitment.pk}/{change}/"
    get = client.get(url)
    post = client.post(url, post_data(commitment))
    commitment.refresh_from_db()
    if who in allowed:
        assert get.status_code == 200
        assert post.status_code == 302 and post["Location"] == commitment.get_absolute_url()
        assert commitment.version == 2
        assert commitment.events.count() == 1
    else:
        expected = 302 if who == "anonymous" else 403
        assert get.status_code == expected and post.status_code == expected
        if who == "anonymous":
            assert post["Location"].startswith("/accounts/login/")
        assert commitment.version == 1
        assert not commitment.events.exists()


def test_detail_page_offers_only_the_allowed_changes(client, users, commitment):
    client.force_login(users["owner"])
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Update delivery status" in html and "Assess the delivery claim" not in html
    client.force_login(users["clerk"])
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Update delivery status" not in html and "no claim to assess" in html
    commitment.change_status("delivered", by=users["owner"], delivered_on=datetime.date(2025, 4, 1))
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Assess the delivery claim" in html


def test_marking_delivered_records_date_evidence_and_history(client, users, commitment):
    client.force_login(users["owner"])
    response = client.post(f"/commitments/{commitment.pk}/status/", status_post(commitment), follow=True)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DELIVERED
    assert commitment.delivered_on == datetime.date(2025, 4, 3)
    assert commitment.evidence_state == Commitment.EvidenceState.EVIDENCE_LINKED
    event = commitment.events.get()
    assert event.by == users["owner"] and event.new_status == "delivered"
    html = response.content.decode()
    assert "Your change was saved." in html
    assert "Not yet assessed → Delivered" in html
    assert "Published on GOV.UK" in html  # the note, to a signed-in user


def test_delivered_after_due_date_is_recorded_as_late(client, users, commitment):
    client.force_login(users["owner"])
    client.post(
        f"/commitments/{commitment.pk}/status/",
        status_post(commitment, **{"delivered_on-day": "1", "delivered_on-month": "6"}),
    )
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DELIVERED_LATE


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"delivered_on-day": "", "delivered_on-month": "", "delivered_on-year": ""},
            "delivered_on",
            "Enter the date",
        ),
        ({"delivered_on-day": "31", "delivered_on-month": "2"}, "delivered_on", "must be a real date"),
        ({"status": "not_delivered"}, "reason", "Enter a reason"),
        ({"status": "superseded"}, "reason", "Enter a reason"),
        ({"status": "no_longer_applicable"}, "reason", "Enter a reason"),
        ({"evidence_url": "not a link at all"}, "evidence_url", "Enter a web address"),
        ({"evidence_url": "javascript:alert(document.cookie)"}, "evidence_url", "Enter a web address"),
        ({"evidence_url": "data:text/html,<script>alert(1)</script>"}, "evidence_url", "Enter a web address"),
    ],
)
def test_status_change_needs_what_each_status_needs(client, users, commitment, overrides, field, message):
    client.force_login(users["owner"])
    response = client.post(f"/commitments/{commitment.pk}/status/", status_post(commitment, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    commitment.refresh_from_db()
    assert commitment.version == 1 and commitment.status == Commitment.Status.NOT_YET_ASSESSED


def test_future_delivery_date_is_refused(client, users, commitment):
    client.force_login(users["owner"])
    tomorrow = london_today() + datetime.timedelta(days=1)
    data = status_post(
        commitment,
        **{
            "delivered_on-day": tomorrow.day,
            "delivered_on-month": tomorrow.month,
            "delivered_on-year": tomorrow.year,
        },
    )
    response = client.post(f"/commitments/{commitment.pk}/status/", data)
    assert "delivered_on" in response.context["form"].errors


def test_closing_with_a_reason_is_saved(client, users, commitment):
    client.force_login(users["owner"])
    client.post(
        f"/commitments/{commitment.pk}/status/",
        status_post(commitment, status="superseded", reason="Replaced by the 2025 strategy"),
    )
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.SUPERSEDED
    assert commitment.status_reason == "Replaced by the 2025 strategy"


def test_second_save_of_a_stale_page_is_refused_and_shows_current_state(client, users, commitment):
    client.force_login(users["owner"])
    first = status_post(commitment, status="in_progress")
    stale = status_post(commitment, status="superseded", reason="Overwrite attempt")  # same version 1
    assert client.post(f"/commitments/{commitment.pk}/status/", first).status_code == 302
    response = client.post(f"/commitments/{commitment.pk}/status/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this commitment" in html
    assert "In progress" in html  # the current state is shown
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.IN_PROGRESS
    assert commitment.version == 2
    assert commitment.events.count() == 1
    # the form offered back carries the current version, so a deliberate retry works
    assert response.context["form"].initial["version"] == 2


def test_due_date_revision_needs_a_reason_and_keeps_the_original(client, users, commitment):
    client.force_login(users["owner"])
    refused = client.post(f"/commitments/{commitment.pk}/due-date/", due_date_post(commitment, reason=""))
    assert "reason" in refused.context["form"].errors
    client.post(f"/commitments/{commitment.pk}/due-date/", due_date_post(commitment))
    commitment.refresh_from_db()
    assert commitment.due_latest == datetime.date(2025, 9, 30)
    assert commitment.original_due_latest == datetime.date(2025, 4, 20)
    event = commitment.events.get()
    assert (
        event.kind == CommitmentEvent.Kind.DUE_DATE_REVISED and event.note == "The consultation was extended"
    )


def test_clerk_disputes_a_delivery_claim(client, users, commitment):
    commitment.change_status("delivered", by=users["owner"], delivered_on=datetime.date(2025, 4, 1))
    client.force_login(users["clerk"])
    client.post(
        f"/commitments/{commitment.pk}/evidence/",
        evidence_post(commitment, evidence_state="disputed", version=2),
    )
    commitment.refresh_from_db()
    assert commitment.evidence_state == Commitment.EvidenceState.DISPUTED
    assert commitment.events.filter(kind=CommitmentEvent.Kind.EVIDENCE_ASSESSED, by=users["clerk"]).exists()


def test_saving_the_same_status_with_nothing_new_is_refused(client, users, commitment):
    client.force_login(users["owner"])
    response = client.post(
        f"/commitments/{commitment.pk}/status/",
        status_post(commitment, status="not_yet_assessed", note="", evidence_url=""),
    )
    assert "status" in response.context["form"].errors
    assert not commitment.events.exists()


def test_there_is_nothing_to_assess_before_a_delivery_is_claimed(client, users, commitment):
    client.force_login(users["clerk"])
    response = client.post(f"/commitments/{commitment.pk}/evidence/", evidence_post(commitment))
    assert response.status_code == 200
    assert "No delivery has been claimed yet" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.evidence_state == Commitment.EvidenceState.NO_CLAIM and commitment.version == 1


def test_a_new_due_dates_reason_is_public_on_the_page_and_in_the_digest_and_the_derivation_follows_it(
    client, commitment, users
):
    """Issue 13 item 5, decided: the reason for moving a public promise's date is part of the public record
    (the form says so), shown to anonymous readers on the page and to subscribers in the digest. Internal
    notes of other changes stay for signed-in users."""
    from tracker import digests, emails
    from tracker.models import DigestSubscription

    client.force_login(users["owner"])
    form = client.get(f"/commitments/{commitment.pk}/due-date/").content.decode()
    assert "Shown to everyone on the commitment" in form
    response = client.post(
        f"/commitments/{commitment.pk}/due-date/",
        {
            "version": commitment.version,
            "due_latest-day": "30",
            "due_latest-month": "9",
            "due_latest-year": "2025",
            "time_phrase": "by the end of September 2025",
            "reason": "Awaiting the spending review",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    commitment.change_status(Commitment.Status.IN_PROGRESS, by=users["owner"], note="Ask Sam before replying")
    client.logout()

    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "Reason given: Awaiting the spending review" in page
    assert "Ask Sam before replying" not in page  # an internal note
    assert "How it was set: revised on" in page and "to 30 September 2025" in page
    assert (
        "How it was derived: from the time phrase" not in page
    )  # the old phrase no longer explains the date

    subscription = DigestSubscription.objects.create(user=users["clerk"], send_when_empty=True)
    subscription.departments.add(commitment.department)
    text = emails.digest_text(digests.build_digest(subscription, digests.current_week()))
    assert "Why: Awaiting the spending review" in text
