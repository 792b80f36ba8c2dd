"""The real tasks on a real Celery worker (in a thread) with the real Redis as broker and result backend.

Redis database 5 (or TEST_REDIS_URL's host with database 5) and a queue private to this run, so other test
runs sharing the Redis server never take these messages.
"""

import datetime
import os
import socket
import time
import uuid
import zoneinfo
from urllib.parse import urlparse, urlunparse

import pytest
from celery.app import autoretry
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connections

from responses.models import Commitment, CommitmentEvent
from tests.factories import (
    CommitmentFactory,
    DepartmentFactory,
    DigestSubscriptionFactory,
    ReportFactory,
    UserFactory,
)
from tracker import tasks
from tracker.celery import app
from tracker.models import DigestDelivery, Report

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
LONDON = zoneinfo.ZoneInfo("Europe/London")
WEEK = "2025-W08"
# One queue for the whole run (Celery caches its queue declarations), private to this run.
QUEUE = f"tracker-test-{uuid.uuid4().hex[:12]}"


def redis_url_for_tests():
    base = urlparse(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    return urlunparse(base._replace(path="/5"))


@pytest.fixture
def worker(settings):
    url = redis_url_for_tests()
    parts = urlparse(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
    except OSError:
        pytest.fail(
            f"Redis is not answering at {parts.hostname}:{parts.port or 6379}; start it (see DEVELOPERS.md)."
        )
    # The worker thread opens its own connection; do not keep it past each task, or the test database
    # cannot be dropped at the end of the run.
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    saved = {
        key: app.conf.get(key)
        for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=url,
        result_backend=url,
        task_always_eager=False,
        task_default_queue=QUEUE,
        broker_connection_retry_on_startup=True,
    )
    forget_connections()
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20
        ) as w:
            yield w
    finally:
        # Retries scheduled for later must not reach the next test's worker.
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(QUEUE)
        app.conf.update(saved)
        forget_connections()


def forget_connections():
    """Earlier tests ran the tasks eagerly, caching a broker pool and a disabled result backend."""
    app._pool = None
    app.__dict__.pop("amqp", None)  # a cached property holding the queues declared for the old settings
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend


class FailFirstBackend(LocmemBackend):
    """Refuses the first `failures` messages (as an SMTP server that is down would), then delivers."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).attempts <= type(self).failures:
            raise ConnectionRefusedError("SMTP server unavailable")
        return super().send_messages(messages)


@pytest.fixture
def fail_first(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailFirstBackend"
    FailFirstBackend.failures = 0
    FailFirstBackend.attempts = 0
    return FailFirstBackend


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def subscribers():
    department = DepartmentFactory()
    CommitmentFactory(
        department=department,
        due_latest=datetime.date(2024, 12, 31),
        due_earliest=None,
        recorded_at=datetime.datetime(2024, 1, 8, 9, tzinfo=LONDON),
    )
    result = []
    for n in range(3):
        subscription = DigestSubscriptionFactory(user=UserFactory(email=f"subscriber{n}@example.gov.uk"))
        subscription.departments.add(department)
        result.append(subscription)
    return result


def test_flag_overdue_runs_on_the_worker(worker):
    late = CommitmentFactory(due_latest=datetime.date(2020, 1, 31), due_earliest=None)
    future = CommitmentFactory(due_latest=datetime.date(2999, 1, 31), due_earliest=None)
    result = tasks.flag_overdue.delay().get(timeout=30)
    assert result["commitments_flagged"] == 1
    assert Commitment.objects.get(pk=late.pk).is_overdue
    assert not Commitment.objects.get(pk=future.pk).is_overdue
    assert tasks.flag_overdue.delay().get(timeout=30)["commitments_flagged"] == 0
    assert CommitmentEvent.objects.filter(kind=CommitmentEvent.Kind.FLAGGED_OVERDUE).count() == 1


def test_check_report_due_dates_runs_on_the_worker(worker):
    commitment = CommitmentFactory(due_latest=datetime.date(2025, 1, 31), due_earliest=None)
    report = ReportFactory()
    commitment.letter.reports.add(report)
    Report.objects.filter(pk=report.pk).update(earliest_open_due=None)  # around the signals
    assert tasks.check_report_due_dates.delay().get(timeout=30) == 1
    assert Report.objects.get(pk=report.pk).earliest_open_due == datetime.date(2025, 1, 31)


def sent_count():
    return DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count()


def test_the_weekly_fan_out_run_twice_sends_one_email_per_subscriber(worker, subscribers):
    tasks.flag_overdue.delay().get(timeout=30)
    assert tasks.send_weekly_digests.delay(WEEK).get(timeout=30) == 3
    assert wait_for(lambda: sent_count() == 3)
    assert tasks.send_weekly_digests.delay(WEEK).get(timeout=30) == 3
    # The second run's three tasks find their digests sent; give them time to (not) send.
    assert wait_for(lambda: DigestDelivery.objects.filter(attempts__gt=1).exists(), timeout=3) is False
    time.sleep(1)
    assert sorted(m.to[0] for m in mail.outbox) == [f"subscriber{n}@example.gov.uk" for n in range(3)]
    assert set(DigestDelivery.objects.values_list("week", flat=True)) == {WEEK}


def test_smtp_failures_are_retried_with_backoff_and_the_digest_sent_once(
    worker, subscribers, fail_first, monkeypatch
):
    backoffs = []

    def short_backoff(factor, retries, maximum, full_jitter=False):
        backoffs.append((factor, retries, maximum))
        return 0.2  # the real schedule would wait factor * 2**retries seconds (with jitter)

    monkeypatch.setattr(autoretry, "get_exponential_backoff_interval", short_backoff)
    fail_first.failures = 2
    subscription = subscribers[0]
    tasks.flag_overdue.delay().get(timeout=30)
    tasks.send_digest_to.delay(subscription.pk, WEEK)
    assert wait_for(lambda: sent_count() == 1)
    delivery = DigestDelivery.objects.get(subscription=subscription)
    assert delivery.attempts == 3 and delivery.error == ""
    assert [(f, r) for f, r, _ in backoffs] == [(30, 0), (30, 1)]  # exponential: factor * 2**retries
    # A redelivered copy of the same task (a worker lost mid-task) does not send again.
    tasks.send_digest_to.delay(subscription.pk, WEEK).get(timeout=30)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [subscription.user.email]


def test_one_subscribers_failure_does_not_hold_up_the_others(worker, subscribers, settings, monkeypatch):
    monkeypatch.setattr(autoretry, "get_exponential_backoff_interval", lambda *a, **k: 60)  # retry later
    settings.EMAIL_BACKEND = f"{__name__}.RefuseOneBackend"
    tasks.flag_overdue.delay().get(timeout=30)
    tasks.send_weekly_digests.delay(WEEK).get(timeout=30)
    assert wait_for(lambda: sent_count() == 2)
    assert wait_for(
        lambda: DigestDelivery.objects.filter(status=DigestDelivery.Status.FAILED).count() == 1, timeout=10
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "subscriber1@example.gov.uk",
        "subscriber2@example.gov.uk",
    ]


class RefuseOneBackend(LocmemBackend):
    def send_messages(self, messages):
        if any("subscriber0@" in address for m in messages for address in m.to):
            raise ConnectionRefusedError("mailbox server down")
        return super().send_messages(messages)


def test_the_digest_task_is_configured_for_exponential_backoff():
    assert tasks.send_digest_to.autoretry_for == (OSError,)
    assert tasks.send_digest_to.retry_backoff == 30 and tasks.send_digest_to.retry_jitter
    assert tasks.send_digest_to.max_retries >= 5
