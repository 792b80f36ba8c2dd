"""A digest delivered to a real SMTP server (aiosmtpd on a free loopback port) and read back."""

import datetime
import email
import email.policy
import smtplib
import socket
import zoneinfo

import pytest
import time_machine
from aiosmtpd.controller import Controller

from tests.factories import CommitmentFactory, DepartmentFactory, DigestSubscriptionFactory, UserFactory
from tracker import digests, overdue
from tracker.models import DigestDelivery

pytestmark = [pytest.mark.smtp, pytest.mark.django_db]
LONDON = zoneinfo.ZoneInfo("Europe/London")
WEEK = "2025-W08"
SEND_TIME = datetime.datetime(2025, 2, 17, 7, 0, tzinfo=LONDON)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An SMTP handler that keeps what it accepts; it can answer 451 ("try again later") a few times first."""

    def __init__(self, refuse_first=0):
        self.refuse_first = refuse_first
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_first:
            self.refuse_first -= 1
            return "451 4.3.0 Temporary failure, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "tracker@tracker.example.gov.uk"
    settings.SITE_URL = "https://tracker.example.gov.uk"
    return port


def start_server(inbox, port):
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def subscription():
    department = DepartmentFactory(short_name="DfE")
    CommitmentFactory(
        department=department,
        text="We will respond in detail on a national practice framework by Autumn 2021.",
        time_phrase="by Autumn 2021",
        due_earliest=datetime.date(2021, 9, 1),
        due_latest=datetime.date(2021, 11, 30),
        recorded_at=datetime.datetime(2021, 1, 4, 9, tzinfo=LONDON),
    )
    with time_machine.travel(SEND_TIME - datetime.timedelta(hours=1), tick=False):
        overdue.sweep()
    subscription = DigestSubscriptionFactory(user=UserFactory(email="policy.lead@example.gov.uk"))
    subscription.departments.add(department)
    return subscription


def deliver(subscription, minutes_later=0):
    with time_machine.travel(SEND_TIME + datetime.timedelta(minutes=minutes_later), tick=False):
        return digests.deliver_digest(subscription.pk, WEEK)


def test_a_digest_arrives_with_text_and_html_parts(smtp_port, subscription):
    inbox = Inbox()
    controller = start_server(inbox, smtp_port)
    try:
        assert deliver(subscription) == DigestDelivery.Status.SENT
    finally:
        controller.stop()
    [message] = inbox.messages
    assert message["To"] == "policy.lead@example.gov.uk"
    assert message["From"] == "tracker@tracker.example.gov.uk"
    assert message["Subject"] == "Tracker digest 2025-W08: 1 still overdue"
    assert message["Message-ID"].startswith("<digest-") and message["Message-ID"].endswith(
        "@tracker.example.gov.uk>"
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "“by Autumn 2021”, due by 30 November 2021; 1175 days overdue" in text
    assert "https://tracker.example.gov.uk/commitments/" in text
    assert "by Autumn 2021" in html and "1175 days overdue" in html and "<table" in html
    assert DigestDelivery.objects.get().status == DigestDelivery.Status.SENT


def test_a_server_that_refuses_then_accepts_gets_one_copy(smtp_port, subscription):
    inbox = Inbox(refuse_first=1)
    controller = start_server(inbox, smtp_port)
    try:
        with pytest.raises(smtplib.SMTPDataError):
            deliver(subscription)
        failed = DigestDelivery.objects.get()
        assert failed.status == DigestDelivery.Status.FAILED and "451" in failed.error
        assert deliver(subscription, minutes_later=1) == DigestDelivery.Status.SENT
        assert deliver(subscription, minutes_later=2) == DigestDelivery.Status.SENT
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert DigestDelivery.objects.get().attempts == 2


def test_a_server_that_is_down_then_started(smtp_port, subscription):
    with pytest.raises(ConnectionRefusedError):
        deliver(subscription)
    assert DigestDelivery.objects.get().status == DigestDelivery.Status.FAILED
    inbox = Inbox()
    controller = start_server(inbox, smtp_port)
    try:
        assert deliver(subscription, minutes_later=5) == DigestDelivery.Status.SENT
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
