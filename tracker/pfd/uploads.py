"""An editor's PFD report upload, read off the web worker: store it, let the task read it, report progress.

start_upload() runs in the web request: it checks what can be checked at once (size, emptiness, the same file
already being read), stores the bytes and a PfdReportUpload row, and returns; the caller queues
tracker.tasks.read_uploaded_pfd_report. read_upload() runs in the task: it claims the row with a conditional
UPDATE (a redelivered task, or two workers, never read it twice), reads the file in a bounded child process
(responses.extraction.bounded: memory ceiling, time limit, .docx unpack limits), parses it
(tracker.pfd.report_pdf) and records the report and the row's outcome in one transaction
(import_report_document). A failure leaves no report change and no stored file, only the row with the reason.
"""

import hashlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from responses.extraction import LetterError, read_letter_bounded
from tracker.models import PfdReportUpload
from tracker.pfd.importer import import_report_document
from tracker.pfd.report_pdf import parse_report

logger = logging.getLogger(__name__)
State = PfdReportUpload.State

MAX_REPORT_BYTES = 20 * 1024 * 1024
# Progress is written at most this often: a 60-page OCR should not cost 60 UPDATEs a second.
PROGRESS_EVERY_SECONDS = 1.0


class UnreadableReport(Exception):
    def __init__(self, message, code=""):
        super().__init__(message)
        self.message, self.code = message, code


class UploadInProgress(Exception):
    """The same bytes are being read already; `upload` is that reading."""

    def __init__(self, upload):
        super().__init__("This file is being read already.")
        self.upload = upload


def too_large_message(filename, size):
    return (
        f"{filename} is {size / (1024 * 1024):.1f} MB; PFD reports over "
        f"{MAX_REPORT_BYTES // (1024 * 1024)} MB are not accepted. Nothing was saved."
    )


def start_upload(data, filename, *, user=None) -> PfdReportUpload:
    """Store an uploaded report for reading. Raises UnreadableReport (too large, empty) or UploadInProgress;
    stores nothing then."""
    filename = (filename or "report")[:255]
    if len(data) > MAX_REPORT_BYTES:
        raise UnreadableReport(too_large_message(filename, len(data)), "too_large")
    if not data.strip():
        raise UnreadableReport(f"{filename} is empty. Nothing was saved.", "empty")
    digest = hashlib.sha256(data).hexdigest()
    upload = PfdReportUpload(original_filename=filename, content_hash=digest, uploaded_by=user)
    upload.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            upload.save()
    except IntegrityError:
        _delete_file(upload)
        under_way = PfdReportUpload.objects.filter(content_hash=digest).exclude(
            state__in=PfdReportUpload.FINISHED
        )
        if under_way.exists():
            raise UploadInProgress(under_way.first()) from None
        raise
    return upload


def claim(upload_id, now=None) -> bool:
    """Take an upload for reading: queued, or left reading by a worker that died (untouched for longer than a
    reading may last). One conditional UPDATE, so only one task ever wins."""
    now = now or timezone.now()
    stalled_before = now - timedelta(seconds=settings.LETTER_READING_STALLED_AFTER_SECONDS)
    return bool(
        PfdReportUpload.objects.filter(pk=upload_id)
        .filter(Q(state=State.QUEUED) | Q(state=State.READING, updated_at__lt=stalled_before))
        .update(state=State.READING, stage="", pages_done=0, pages_total=0, updated_at=now)
    )


def fail(upload_id, message, code="") -> None:
    """Record why an upload could not be read, and drop its stored bytes (nothing half-kept)."""
    upload = PfdReportUpload.objects.get(pk=upload_id)
    _delete_file(upload)
    PfdReportUpload.objects.filter(pk=upload_id).update(
        state=State.FAILED, message=message, error_code=code[:32], file="", updated_at=timezone.now()
    )


def read_upload(upload_id) -> PfdReportUpload:
    """Read a claimed upload and record the report it is. Safe to run twice."""
    if not claim(upload_id):
        return PfdReportUpload.objects.get(pk=upload_id)
    upload = PfdReportUpload.objects.get(pk=upload_id)
    name = upload.original_filename
    try:
        with upload.file.open("rb") as stored:
            data = stored.read()
        text = read_letter_bounded(data, name, _progress_writer(upload_id))
        parsed = parse_report(text, name)
        with transaction.atomic():
            result = import_report_document(parsed, source_name=name)
            PfdReportUpload.objects.filter(pk=upload_id).update(
                state=State.DONE,
                report=result.report,
                outcome={
                    "created": result.created,
                    "filled": result.filled,
                    "addressees_added": result.addressees_added,
                    "concerns_added": result.concerns_added,
                    "warnings": list(parsed.warnings),
                },
                file="",
                updated_at=timezone.now(),
            )
    except LetterError as error:
        fail(upload_id, f"{error.message} Nothing was saved.", error.code)
        return PfdReportUpload.objects.get(pk=upload_id)
    except ValueError as error:  # the document is not a PFD report the tracker can record
        message = str(error)
        fail(
            upload_id,
            message if "nothing" in message.lower() else f"{message} Nothing was saved.",
            "not_a_report",
        )
        return PfdReportUpload.objects.get(pk=upload_id)
    except Exception as exc:
        # A bug, not bad input: the editor is told plainly, and the error goes on up to the task's log.
        fail(
            upload_id,
            f"The report could not be read (unexpected error: {exc.__class__.__name__}). Nothing was saved.",
            "error",
        )
        raise
    _delete_file(upload)
    return PfdReportUpload.objects.get(pk=upload_id)


def _progress_writer(upload_id):
    """on_progress(stage, done, total) of the reader, written to the row at most once a second a stage."""
    last = {"stage": None, "at": 0.0}

    def write(stage, done, total):
        now = time.monotonic()
        if stage == last["stage"] and now - last["at"] < PROGRESS_EVERY_SECONDS and done < total:
            return
        last.update(stage=stage, at=now)
        PfdReportUpload.objects.filter(pk=upload_id, state=State.READING).update(
            stage=stage[:10], pages_done=done, pages_total=total, updated_at=timezone.now()
        )

    return write


def _delete_file(upload):
    if upload.file:
        try:
            upload.file.storage.delete(upload.file.name)
        except OSError:  # a stray file is harmless; losing the real error is not
            logger.warning("could not delete %s", upload.file.name)
