"""An editor's upload read by a real Celery worker (Redis broker), scan included: the web request only queues.

The worker fixture (tests/tracker/test_tasks_celery.py) runs a worker in a thread against Redis database 5
with a queue private to this run.
"""

import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responses import tasks, uploads
from responses.models import LetterUpload, ResponseLetter
from tests.factories import DepartmentFactory, UserFactory
from tests.responses import letter_files
from tests.tracker.test_tasks_celery import wait_for, worker  # noqa: F401  (the worker fixture)
from tracker import permissions

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
INGEST_URL = reverse("admin:responses_responseletter_ingest")


@pytest.fixture
def editor(client):
    DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")
    user = UserFactory(username="editor", is_staff=True, role=permissions.INGESTION_EDITORS)
    client.force_login(user)
    return user


@pytest.mark.usefixtures("worker")
def test_a_scanned_upload_is_read_by_the_worker_while_the_page_reports_progress(client, editor):
    scan = letter_files.make_scanned_pdf(letter_files.pfd_reply(deceased="Ann Jones"))

    started = time.monotonic()
    response = client.post(INGEST_URL, {"file": SimpleUploadedFile("scan.pdf", scan), "text": ""})
    answered_in = time.monotonic() - started

    upload = LetterUpload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:responses_responseletter_upload", args=[upload.pk])
    # The request only stored the file: the reading (OCR) happens on the worker.
    assert answered_in < 5
    assert wait_for(lambda: LetterUpload.objects.get(pk=upload.pk).is_finished, timeout=120)

    status = client.get(response.url)
    letter = ResponseLetter.objects.get()
    assert status.status_code == 302
    assert status.url == reverse("admin:responses_responseletter_review", args=[letter.pk])
    assert "transfer of healthcare records" in letter.text
    assert letter.review_state == ResponseLetter.ReviewState.DRAFT


@pytest.mark.usefixtures("worker")
def test_a_bad_file_fails_on_the_worker_with_its_reason(client, editor):
    response = client.post(
        INGEST_URL, {"file": SimpleUploadedFile("photo.png", letter_files.PNG_BYTES), "text": ""}
    )

    upload = LetterUpload.objects.get()
    assert wait_for(lambda: LetterUpload.objects.get(pk=upload.pk).is_finished, timeout=60)
    content = client.get(response.url).content.decode()
    assert "is an image, not a letter" in content
    assert ResponseLetter.objects.count() == 0


def test_a_reading_past_its_time_limit_is_recorded_as_failed(monkeypatch):
    """The soft time limit interrupts the task with SoftTimeLimitExceeded (a signal the solo test worker
    cannot send): the upload says so instead of staying "reading" for ever."""
    DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt")

    def interrupted(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(uploads, "read_and_extract", interrupted)

    assert tasks.read_uploaded_letter(upload.pk) == "failed"
    upload.refresh_from_db()
    assert upload.state == LetterUpload.State.FAILED and upload.error_code == "timeout"
    assert "took longer than" in upload.message
    assert ResponseLetter.objects.count() == 0
