"""Issue 12, failure 8: a Celery worker killed mid-send must not leave the digest claimed and never sent.

A real worker process (celery -A tracker worker, against the real Redis) sends to a real SMTP server (aiosmtpd)
that holds the first connection at RCPT; the worker is killed with SIGKILL while it waits. The scheduled run
(tracker.tasks.send_unsent_digests, every 15 minutes) picks the delivery up once its claim has expired, and the
subscriber receives that week's digest exactly once.
"""

import asyncio
import datetime
import importlib
import os
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from tests.factories import CommitmentFactory, DepartmentFactory, DigestSubscriptionFactory, UserFactory
from tests.tracker.test_smtp_integration import free_port
from tests.tracker.test_tasks_celery import QUEUE, forget_connections, redis_url_for_tests, wait_for
from tracker import digests, tasks
from tracker.celery import app
from tracker.models import DigestDelivery

schedule = importlib.import_module("tracker.migrations.0011_resend_unsent_digests_schedule")

LONDON = zoneinfo.ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parents[2]
# The claim's lifetime, shortened from 15 minutes so the test waits seconds (the worker reads it too).
CLAIM_SECONDS = 6


class HoldFirstInbox:
    """Holds the first connection at RCPT (the message is not accepted) until released; accepts the rest."""

    def __init__(self):
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held = False
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self.held:
            self.held = True
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def start_worker_process(smtp_port, log_path):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url_for_tests(),
        "CELERY_RESULT_BACKEND": redis_url_for_tests(),
        # Tasks that the worker itself queues (the scheduled run queues the sends) must reach this run's
        # private queue, not the default one nobody here reads.
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "60",
        "DIGEST_CLAIM_EXPIRES_SECONDS": str(CLAIM_SECONDS),
        "SITE_URL": "https://tracker.example.gov.uk",
    }
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tracker", "worker", "--pool=solo", "-Q", QUEUE,
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def tail(path, lines=30):
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def kill(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def broker(settings):
    settings.DIGEST_CLAIM_EXPIRES_SECONDS = CLAIM_SECONDS
    saved = {
        k: app.conf.get(k)
        for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=redis_url_for_tests(),
        result_backend=redis_url_for_tests(),
        task_always_eager=False,
        task_default_queue=QUEUE,
    )
    forget_connections()
    yield
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)
    app.conf.update(saved)
    forget_connections()


@pytest.mark.celery
@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_and_the_scheduled_run_send_the_digest_exactly_once(broker, tmp_path):
    department = DepartmentFactory()
    CommitmentFactory(department=department, due_latest=datetime.date(2024, 12, 31), due_earliest=None,
                      recorded_at=datetime.datetime(2024, 1, 8, 9, tzinfo=LONDON))  # fmt: skip
    subscription = DigestSubscriptionFactory(user=UserFactory(email="clerk@example.gov.uk"))
    subscription.departments.add(department)
    week = digests.current_week()

    inbox = HoldFirstInbox()
    port = free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    first = start_worker_process(port, tmp_path / "first.log")
    second = None
    try:
        tasks.send_digest_to.delay(subscription.pk, week)
        assert inbox.holding.wait(60), "the worker never reached the SMTP server:\n" + tail(
            tmp_path / "first.log"
        )
        delivery = DigestDelivery.objects.get(subscription=subscription, week=week)
        assert delivery.status == DigestDelivery.Status.SENDING  # claimed by the worker now waiting on SMTP
        kill(first)  # mid-send: SIGKILL, no clean-up of any kind
        inbox.release.set()

        # While the dead worker's claim is fresh (a second after it was taken), the scheduled run leaves it
        # alone, and so does the task redelivered at once (a prefork worker rejects a lost task back to the
        # queue): that is the failure as found, nothing sent and nothing left to pick it up later.
        fresh = delivery.claimed_at + datetime.timedelta(seconds=1)
        assert digests.unsent_deliveries(fresh) == []
        assert digests.deliver_digest(subscription.pk, week, now=fresh) == DigestDelivery.Status.SENDING
        second = start_worker_process(port, tmp_path / "second.log")
        assert inbox.messages == []
        expires = delivery.claimed_at + datetime.timedelta(seconds=CLAIM_SECONDS + 0.5)
        time.sleep(max(0, (expires - timezone.now()).total_seconds()))
        # Once the claim has expired, the scheduled run (the task its beat entry names) queues it again, once.
        assert app.send_task(schedule.TASK).get(timeout=60) == 1
        sent = wait_for(
            lambda: DigestDelivery.objects.get(pk=delivery.pk).status == DigestDelivery.Status.SENT,
            timeout=30,
        )
        row = DigestDelivery.objects.get(pk=delivery.pk)
        assert sent, (row.status, row.attempts, row.error, len(inbox.messages), tail(tmp_path / "second.log"))
        # Sent: neither the next scheduled run nor the dead worker's own task (redelivered by Redis after its
        # visibility timeout) sends it again.
        assert app.send_task(schedule.TASK).get(timeout=60) == 0
        assert tasks.send_digest_to.delay(subscription.pk, week).get(timeout=60) == DigestDelivery.Status.SENT
    finally:
        kill(first)
        if second is not None:
            kill(second)
        server.stop()
    assert [to for to, _ in inbox.messages] == [["clerk@example.gov.uk"]]
    assert f"X-Tracker-Digest-Week: {week}".encode() in inbox.messages[0][1]
    assert DigestDelivery.objects.get(pk=delivery.pk).attempts == 2


@pytest.mark.django_db
def test_the_scheduled_run_is_scheduled_every_15_minutes():
    task = PeriodicTask.objects.get(name=schedule.NAME)
    assert (task.task, task.enabled, task.interval.every, task.interval.period) == (
        "tracker.tasks.send_unsent_digests", True, 15, "minutes"
    )  # fmt: skip
    assert task.task in app.tasks


@pytest.mark.django_db
def test_the_scheduled_run_takes_the_current_and_the_previous_week_only(settings):
    settings.DIGEST_CLAIM_EXPIRES_SECONDS = 900
    now = timezone.now()
    this_week = digests.current_week(now)
    last_week = digests.iso_week(timezone.localdate(now) - datetime.timedelta(days=7))
    older = digests.iso_week(timezone.localdate(now) - datetime.timedelta(days=14))
    minutes = lambda n: now - datetime.timedelta(minutes=n)  # noqa: E731
    status = DigestDelivery.Status
    rows = {}
    for name, week, state, claimed_at, created_at in [
        ("stuck_now", this_week, status.SENDING, minutes(16), minutes(16)),  # claim expired: the worker died
        ("stuck_last", last_week, status.SENDING, minutes(16), minutes(16)),
        ("stuck_older", older, status.SENDING, minutes(16), minutes(16)),  # too old: left alone
        ("live", this_week, status.SENDING, minutes(14), minutes(16)),  # still claimed by a live attempt
        ("sent", last_week, status.SENT, minutes(90), minutes(90)),
        ("nothing", this_week, status.NOTHING_TO_REPORT, minutes(90), minutes(90)),
        ("retrying", this_week, status.FAILED, minutes(30), minutes(90)),  # its task retries it soon
        ("retries_over", this_week, status.FAILED, minutes(61), minutes(90)),
        ("queued", last_week, status.PENDING, None, minutes(30)),  # its task may be waiting in the queue
        ("lost", last_week, status.PENDING, None, minutes(61)),  # its task was lost
    ]:
        subscription = DigestSubscriptionFactory(user=UserFactory())
        rows[name] = DigestDelivery.objects.create(
            subscription=subscription, user=subscription.user, week=week, status=state,
            claimed_at=claimed_at, created_at=created_at,
        )  # fmt: skip
    found = {(sid, week) for sid, week in digests.unsent_deliveries(now)}
    taken = {name for name, row in rows.items() if (row.subscription_id, row.week) in found}
    assert taken == {"stuck_now", "stuck_last", "retries_over", "lost"}
    assert len(found) == 4
