"""The status page of an upload being read: progress while it runs, the reason when it fails, then review."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from responses import uploads
from responses.models import LetterUpload
from tests.factories import DepartmentFactory, UserFactory
from tests.responses import letter_files
from tracker import permissions

pytestmark = pytest.mark.django_db
State = LetterUpload.State


def status_url(upload):
    return reverse("admin:responses_responseletter_upload", args=[upload.pk])


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True, role=permissions.INGESTION_EDITORS)
    client.force_login(user)
    return user


@pytest.fixture
def queued(editor):
    DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")
    return uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt", user=editor)


def test_a_queued_upload_reloads_itself_and_says_it_is_waiting(client, queued):
    response = client.get(status_url(queued))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in content
    assert "Waiting to be read" in content and "reply.txt" in content


def test_ocr_progress_is_shown_page_by_page(client, queued):
    LetterUpload.objects.filter(pk=queued.pk).update(state=State.OCR, pages_done=3, pages_total=16)

    content = client.get(status_url(queued)).content.decode()

    assert "Reading scanned pages with OCR: page 3 of 16" in content
    assert 'http-equiv="refresh"' in content


def test_a_read_upload_goes_on_to_the_review_page(client, queued):
    done = uploads.read_upload(queued.pk)

    response = client.get(status_url(queued))

    assert response.status_code == 302
    assert response.url == reverse("admin:responses_responseletter_review", args=[done.letter.pk])


def test_a_failed_upload_gives_its_reason_and_stops_reloading(client, queued):
    uploads.fail(queued.pk, "reply.txt is an image, not a letter.", "unsupported_format")

    content = client.get(status_url(queued)).content.decode()

    assert "reply.txt is an image, not a letter." in content
    assert "Nothing was saved" in content
    assert 'http-equiv="refresh"' not in content


def test_a_reading_whose_worker_died_is_shown_as_stopped(client, queued, settings):
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.LETTER_READING_STALLED_AFTER_SECONDS + 1)
    LetterUpload.objects.filter(pk=queued.pk).update(state=State.READING, updated_at=long_ago)

    content = client.get(status_url(queued)).content.decode()

    assert "stopped before it finished" in content
    assert 'http-equiv="refresh"' not in content


def test_a_failure_for_a_file_already_in_the_tracker_links_to_it(client, editor, queued):
    letter = uploads.read_upload(queued.pk).letter
    other = LetterUpload.objects.create(content_hash="0" * 64, original_filename="again.txt")
    uploads.fail(other.pk, "This letter was already ingested.", "duplicate")
    LetterUpload.objects.filter(pk=other.pk).update(letter=letter)

    content = client.get(status_url(other)).content.decode()

    assert reverse("admin:responses_responseletter_review", args=[letter.pk]) in content


def test_only_ingestion_editors_see_uploads(client, queued):
    official = UserFactory(username="official", is_staff=True, role=permissions.POLICY_OFFICIALS)
    client.force_login(official)

    assert client.get(status_url(queued)).status_code == 403
    assert client.get(reverse("admin:responses_letterupload_changelist")).status_code == 403


def test_uploads_are_listed_for_editors_with_a_link_to_each_status(client, queued):
    content = client.get(reverse("admin:responses_letterupload_changelist")).content.decode()

    assert status_url(queued) in content
