"""A PFD report uploaded in the admin is read by a task, never in the web request: the request stores it and
queues; the reading is bounded like letters' (memory, time, Word unpack limits); a file that cannot be read,
or a recording that fails half-way, saves nothing but the upload row with its reason. Run eagerly (no
broker) and on a real Celery worker (Redis)."""

import time
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarks.hostile_files import build
from tests.factories import UserFactory
from tests.responses import letter_files
from tests.tracker.test_tasks_celery import wait_for, worker  # noqa: F401  (the worker fixture)
from tracker import permissions, tasks
from tracker.models import Addressee, PfdReportUpload, Recommendation, Report
from tracker.pfd import importer
from tracker.pfd import uploads as pfd_uploads
from tracker.pfd.organisations import load_known_organisations
from tracker.roles import sync_roles

UPLOAD_URL = reverse("admin:tracker_report_upload_pfd")
REPORT_PDF = Path(settings.BASE_DIR) / "fixtures" / "pfd" / "reports" / "Jodie_McCann.pdf"


def status_url(upload):
    return reverse("admin:tracker_report_upload_pfd_status", args=[upload.pk])


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(client, db):
    sync_roles()  # a transactional test's flush emptied the roles' permissions
    user = UserFactory(username="editor", is_staff=True, role=permissions.INGESTION_EDITORS)
    client.force_login(user)
    return user


def nothing_saved():
    return not (Report.objects.exists() or Addressee.objects.exists() or Recommendation.objects.exists())


def post(client, name, data):
    return client.post(UPLOAD_URL, {"document": SimpleUploadedFile(name, data)})


class TestEager:
    pytestmark = pytest.mark.django_db

    def test_the_status_page_says_how_far_it_has_got_and_refreshes(self, client, editor):
        upload = pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "Jodie_McCann.pdf", user=editor)
        page = client.get(status_url(upload))
        assert page.status_code == 200
        html = page.content.decode()
        assert '<meta http-equiv="refresh" content="2">' in html and "Waiting to be read" in html
        assert nothing_saved()

    def test_the_same_file_while_it_is_being_read_points_to_that_reading(self, client, editor):
        under_way = pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "Jodie_McCann.pdf", user=editor)
        response = post(client, "again.pdf", REPORT_PDF.read_bytes())
        assert response.status_code == 200
        assert status_url(under_way) in response.content.decode()
        assert PfdReportUpload.objects.count() == 1

    @pytest.mark.parametrize(
        "name, data, message",
        [
            ("empty.pdf", b"  \n", "empty.pdf is empty. Nothing was saved."),
            (
                "big.txt",
                b"x" * (2 * 1024 * 1024 + 1),
                "PFD reports over 2 MB are not accepted. Nothing was saved.",
            ),
        ],
    )
    def test_too_large_or_empty_is_refused_in_the_request(
        self, client, editor, monkeypatch, name, data, message
    ):
        monkeypatch.setattr(pfd_uploads, "MAX_REPORT_BYTES", 2 * 1024 * 1024)
        response = post(client, name, data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not PfdReportUpload.objects.exists() and nothing_saved()

    @pytest.mark.parametrize(
        "name, data, says",
        [
            ("photo.png", letter_files.PNG_BYTES, "is an image"),
            ("cut.pdf", letter_files.make_corrupt_pdf(), "Nothing was saved."),
            ("locked.pdf", letter_files.make_encrypted_pdf("Regulation 28 report"), "Nothing was saved."),
            ("not-a-report.txt", b"Minutes of the parish council meeting.\n", "no deceased"),
        ],
    )
    def test_a_file_that_cannot_be_read_saves_nothing_and_says_why(self, client, editor, name, data, says):
        response = post(client, name, data)
        upload = PfdReportUpload.objects.get()
        assert response.status_code == 302 and response["Location"] == status_url(upload)
        status = client.get(status_url(upload))
        html = status.content.decode()
        assert status.status_code == 200 and 'role="alert"' in html and says in html
        assert "refresh" not in html
        assert upload.state == PfdReportUpload.State.FAILED and not upload.file
        assert nothing_saved()

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self, client, editor, tmp_path):
        bomb = build(tmp_path, ["zip-bomb.docx"])["zip-bomb.docx"].read_bytes()
        started = time.monotonic()
        post(client, "zip-bomb.docx", bomb)
        assert time.monotonic() - started < 30
        upload = PfdReportUpload.objects.get()
        assert upload.state == PfdReportUpload.State.FAILED and upload.error_code == "too_large"
        assert "zip-bomb.docx" in upload.message
        assert nothing_saved()

    def test_a_failure_half_way_through_recording_saves_nothing(self, client, editor, monkeypatch):
        load_known_organisations()

        def broken(*args, **kwargs):  # after the report row is written, before its addressees
            raise RuntimeError("database went away")

        monkeypatch.setattr(importer.organisations, "resolve_names", broken)
        with pytest.raises(RuntimeError):  # eager tasks propagate: the log gets the traceback
            tasks.read_uploaded_pfd_report(pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "r.pdf").pk)
        upload = PfdReportUpload.objects.get()
        assert upload.state == PfdReportUpload.State.FAILED
        assert "unexpected error: RuntimeError" in upload.message and "Nothing was saved" in upload.message
        assert nothing_saved()

    def test_the_status_page_shows_the_pages_read_while_reading(self, client, editor, monkeypatch):
        """The reader's progress (OCR page n of m) reaches the row, and the page says it."""
        load_known_organisations()
        upload = pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "Jodie_McCann.pdf", user=editor)
        real = pfd_uploads.read_letter_bounded
        seen = []

        def reading(data, name, on_progress=None):
            on_progress("ocr", 3, 16)
            seen.append(client.get(status_url(upload)).content.decode())
            return real(data, name)

        monkeypatch.setattr(pfd_uploads, "read_letter_bounded", reading)
        assert tasks.read_uploaded_pfd_report(upload.pk) == PfdReportUpload.State.DONE
        [during] = seen
        assert "Reading scanned pages with OCR: page 3 of 16" in during
        assert '<meta http-equiv="refresh" content="2">' in during
        assert Report.objects.count() == 1

    def test_a_redelivered_task_reads_once(self, editor):
        load_known_organisations()
        upload = pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "Jodie_McCann.pdf", user=editor)
        assert tasks.read_uploaded_pfd_report(upload.pk) == PfdReportUpload.State.DONE
        assert tasks.read_uploaded_pfd_report(upload.pk) == PfdReportUpload.State.DONE
        assert Report.objects.count() == 1 and Report.objects.get().recommendations.count() == 4

    def test_past_the_soft_time_limit_it_is_recorded_as_failed(self, monkeypatch):
        upload = pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "Jodie_McCann.pdf")

        def interrupted(*args, **kwargs):
            raise SoftTimeLimitExceeded()

        monkeypatch.setattr(pfd_uploads, "read_letter_bounded", interrupted)
        assert tasks.read_uploaded_pfd_report(upload.pk) == "failed"
        upload.refresh_from_db()
        assert upload.error_code == "timeout" and "took longer than" in upload.message
        assert nothing_saved()

    def test_a_reading_whose_worker_died_is_shown_stopped(self, client, editor):
        upload = pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "Jodie_McCann.pdf", user=editor)
        PfdReportUpload.objects.filter(pk=upload.pk).update(
            state=PfdReportUpload.State.READING, updated_at=upload.created_at.replace(year=2020)
        )
        html = client.get(status_url(upload)).content.decode()
        assert "stopped before it finished" in html and "refresh" not in html
        # and a redelivered task may take it up again
        assert pfd_uploads.claim(upload.pk)

    @pytest.mark.parametrize("who, status", [("official", 302), ("clerk", 302), ("staff", 403)])
    def test_only_editors_upload_or_see_uploads(self, client, who, status):
        users = {
            "official": UserFactory(username="o", role=permissions.POLICY_OFFICIALS),
            "clerk": UserFactory(username="c", role=permissions.COMMITTEE_CLERKS),
            "staff": UserFactory(username="s", is_staff=True),
        }
        upload = pfd_uploads.start_upload(REPORT_PDF.read_bytes(), "Jodie_McCann.pdf")
        client.force_login(users[who])
        assert client.get(UPLOAD_URL).status_code == status
        assert client.get(status_url(upload)).status_code == status
        assert post(client, "x.txt", b"Regulation 28").status_code == status
        assert PfdReportUpload.objects.count() == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
class TestOnTheWorker:
    @pytest.mark.usefixtures("worker")
    def test_the_request_only_queues_and_the_worker_records_the_report(self, client, editor):
        load_known_organisations()
        started = time.monotonic()
        response = post(client, "Jodie_McCann.pdf", REPORT_PDF.read_bytes())
        answered_in = time.monotonic() - started
        upload = PfdReportUpload.objects.get()
        assert response.status_code == 302 and response["Location"] == status_url(upload)
        assert answered_in < 5
        assert wait_for(lambda: PfdReportUpload.objects.get(pk=upload.pk).is_finished, timeout=120)
        report = Report.objects.get()
        status = client.get(status_url(upload))
        assert status.status_code == 302
        assert status["Location"] == reverse("admin:tracker_report_change", args=[report.pk])
        assert report.deceased == "Jodie Catherine McCann" and report.recommendations.count() == 4

    @pytest.mark.usefixtures("worker")
    def test_a_bad_file_fails_on_the_worker_with_its_reason(self, client, editor):
        response = post(client, "photo.png", letter_files.PNG_BYTES)
        upload = PfdReportUpload.objects.get()
        assert wait_for(lambda: PfdReportUpload.objects.get(pk=upload.pk).is_finished, timeout=60)
        html = client.get(response["Location"]).content.decode()
        assert "is an image" in html and "Nothing was saved" in html
        assert nothing_saved()
