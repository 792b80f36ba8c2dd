"""Celery tasks: thin wrappers around tracker.overdue, tracker.digests and responses.report_due_dates."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from responses import report_due_dates
from tracker import digests, overdue
from tracker.pfd import uploads as pfd_uploads

log = logging.getLogger(__name__)


@shared_task
def flag_overdue():
    return overdue.sweep().as_dict()


@shared_task
def check_report_due_dates():
    """Weekly safety net for the reports list's "has overdue" column; the count should always be 0."""
    corrected = report_due_dates.refresh_stale()
    if corrected:
        log.warning(
            "%s reports had a stale earliest open due date: a write went around the signals.", corrected
        )
    return corrected


@shared_task
def send_weekly_digests(week=None):
    """Fan out in batches (digests.batches): each batch's digests are built together, in a fixed number of
    queries, and each is sent exactly once; a failed send is retried alone (send_digest_to, with backoff), so
    one failure holds up nobody else.

    Safe to run twice: the delivery rows make the second run's tasks find their digest already sent.
    """
    week = week or digests.current_week()
    subscription_ids = digests.prepare_deliveries(week)
    for batch in digests.batches(subscription_ids):
        try:
            send_digest_batch.delay(batch, week)
        except Exception:
            # Without a broker the task runs here and its error surfaces here: record it and carry on with
            # the others. The delivery rows stay unsent, so the next run (or send_digests) picks them up.
            log.exception(
                "Digests for subscriptions %s..%s could not be sent or queued.", batch[0], batch[-1]
            )
    return len(subscription_ids)


@shared_task
def send_digest_batch(subscription_ids, week):
    """One batch of the weekly run; its failed sends are queued again one by one, after the first backoff."""
    outcome = digests.deliver_digests(subscription_ids, week)
    for subscription_id, status in outcome.items():
        if status == digests.DigestDelivery.Status.FAILED:
            try:
                send_digest_to.apply_async((subscription_id, week), countdown=send_digest_to.retry_backoff)
            except Exception:  # eager (no broker): the retries ran here and failed; the row stays FAILED
                log.exception("Digest for subscription %s could not be sent or queued.", subscription_id)
    return {str(status): list(outcome.values()).count(status) for status in set(outcome.values())}


@shared_task
def send_unsent_digests():
    """Every 15 minutes (a default schedule): queue again the digests of this week and last week that a dead
    worker left claimed and unsent, whose retries are over, or whose task was lost (digests.unsent_deliveries).
    Returns how many were queued."""
    queued = 0
    for subscription_id, week in digests.unsent_deliveries():
        try:
            send_digest_to.delay(subscription_id, week)
        except Exception:  # eager (no broker): the error surfaces here; the row stays unsent for the next run
            log.exception("Digest for subscription %s could not be sent or queued.", subscription_id)
        queued += 1
    return queued


@shared_task(
    autoretry_for=(OSError,),  # smtplib.SMTPException, refused connections and timeouts are all OSErrors
    retry_backoff=30,
    retry_backoff_max=int(digests.RETRY_WAIT_MAX.total_seconds()),
    retry_jitter=True,
    max_retries=8,
)
def send_digest_to(subscription_id, week):
    return str(digests.deliver_digest(subscription_id, week))


@shared_task(
    soft_time_limit=settings.LETTER_READING_SOFT_TIME_LIMIT,
    time_limit=settings.LETTER_READING_TIME_LIMIT,
)
def read_uploaded_pfd_report(upload_id):
    """Read an editor's PFD report upload and record it; its PfdReportUpload row says how far it has got."""
    try:
        return pfd_uploads.read_upload(upload_id).state
    except SoftTimeLimitExceeded:
        minutes = settings.LETTER_READING_SOFT_TIME_LIMIT // 60
        pfd_uploads.fail(
            upload_id,
            f"Reading the file took longer than {minutes} minutes and was stopped; it is too long or too "
            "complex to read here. Nothing was saved.",
            "timeout",
        )
        return "failed"
