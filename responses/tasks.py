"""Celery tasks of the responses app: thin wrappers around plain functions."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from responses import uploads


@shared_task(
    soft_time_limit=settings.LETTER_READING_SOFT_TIME_LIMIT,
    time_limit=settings.LETTER_READING_TIME_LIMIT,
)
def read_uploaded_letter(upload_id):
    """Read and extract an editor's upload; its LetterUpload row says how far it has got."""
    try:
        return uploads.read_upload(upload_id).state
    except SoftTimeLimitExceeded:
        minutes = settings.LETTER_READING_SOFT_TIME_LIMIT // 60
        uploads.fail(
            upload_id,
            f"Reading the file took longer than {minutes} minutes and was stopped; it is too long or too "
            "complex to read here. Nothing was saved.",
            "timeout",
        )
        return "failed"
