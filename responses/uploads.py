"""An editor's upload, read off the web worker: store it, let the reading task read it, report progress.

start_upload() runs in the web request: it checks what can be checked at once (size, emptiness, a file
already in the tracker or already being read), stores the bytes and a LetterUpload row, and returns; the
caller queues responses.tasks.read_uploaded_letter. read_upload() runs in the task: it claims the row with a
conditional UPDATE (so a redelivered task, or two workers, never read it twice), reads and extracts with
progress written to the row, and stores the draft letter (responses.ingestion.create_draft) in one
transaction. A failure leaves no letter and no stored file, only the row with the reason.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from responses.extraction import MAX_LETTER_BYTES
from responses.ingestion import (
    PASTED_FILENAME,
    DepartmentDirectory,
    DuplicateLetter,
    UnreadableLetter,
    content_hash,
    create_draft,
    create_draft_from_text,
    find_duplicate,
    pasted_bytes,
    read_and_extract,
)
from responses.models import LetterUpload, ResponseLetter

logger = logging.getLogger(__name__)
State = LetterUpload.State

# Progress is written at most this often: a 60-page OCR should not cost 60 UPDATEs a second.
PROGRESS_EVERY_SECONDS = 1.0
_STAGE_STATE = {"reading": State.READING, "ocr": State.OCR, "extracting": State.EXTRACTING}


class UploadInProgress(Exception):
    """The same bytes are being read already; `upload` is that reading."""

    def __init__(self, upload):
        super().__init__("This file is being read already.")
        self.upload = upload


def start_upload(data=None, filename="", *, text=None, user=None) -> LetterUpload:
    """Store an uploaded file (or pasted text) for reading. Raises UnreadableLetter (too large, empty),
    DuplicateLetter (already in the tracker) or UploadInProgress; stores nothing then."""
    if text is not None:
        data, filename, source = pasted_bytes(text), "", ResponseLetter.Source.PASTE
    else:
        source = ResponseLetter.Source.UPLOAD
        if len(data) > MAX_LETTER_BYTES:
            raise UnreadableLetter(
                f"{filename} is {len(data) / (1024 * 1024):.1f} MB; letters over "
                f"{MAX_LETTER_BYTES // (1024 * 1024)} MB are not accepted.",
                "too_large",
            )
        if not data.strip():
            raise UnreadableLetter(f"{filename or 'The file'} is empty.", "empty")
    digest = content_hash(data)
    existing = find_duplicate(digest)
    if existing:
        raise DuplicateLetter(existing)
    upload = LetterUpload(
        original_filename=(filename or "")[:255],
        content_hash=digest,
        source=source,
        uploaded_by=user,
        pasted_text=data.decode("utf-8") if source == ResponseLetter.Source.PASTE else "",
    )
    if source == ResponseLetter.Source.UPLOAD:
        upload.file.save(filename or "letter", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            upload.save()
    except IntegrityError:
        _delete_file(upload)
        under_way = LetterUpload.objects.filter(content_hash=digest).exclude(state__in=LetterUpload.FINISHED)
        if under_way.exists():
            raise UploadInProgress(under_way.first()) from None
        raise
    return upload


def claim(upload_id, now=None) -> bool:
    """Take an upload for reading: queued, or left unfinished by a worker that died (untouched for longer
    than a reading may last). One conditional UPDATE, so only one task ever wins."""
    now = now or timezone.now()
    stalled_before = now - timedelta(seconds=settings.LETTER_READING_STALLED_AFTER_SECONDS)
    unfinished = [State.READING, State.OCR, State.EXTRACTING]
    return bool(
        LetterUpload.objects.filter(pk=upload_id)
        .filter(Q(state=State.QUEUED) | Q(state__in=unfinished, updated_at__lt=stalled_before))
        .update(state=State.READING, pages_done=0, pages_total=0, updated_at=now)
    )


def fail(upload_id, message, code="") -> None:
    """Record why an upload could not be read, and drop its stored bytes (nothing half-kept)."""
    upload = LetterUpload.objects.get(pk=upload_id)
    _delete_file(upload)
    LetterUpload.objects.filter(pk=upload_id).update(
        state=State.FAILED, message=message, error_code=code[:32], file="", updated_at=timezone.now()
    )


def read_upload(upload_id) -> LetterUpload:
    """Read and extract a claimed upload and store its draft letter. Safe to run twice."""
    if not claim(upload_id):
        return LetterUpload.objects.get(pk=upload_id)
    upload = LetterUpload.objects.get(pk=upload_id)
    try:
        if upload.source == ResponseLetter.Source.PASTE:
            data, filename = upload.pasted_text.encode("utf-8"), PASTED_FILENAME
        else:
            with upload.file.open("rb") as stored:
                data = stored.read()
            filename = upload.original_filename
        directory = DepartmentDirectory.load()
        read = read_and_extract(data, filename, directory.rows, _progress_writer(upload_id))
        if read.error:
            fail(upload_id, read.error[0], read.error[1])
            return LetterUpload.objects.get(pk=upload_id)
        try:
            if upload.source == ResponseLetter.Source.PASTE:
                letter = create_draft_from_text(
                    upload.pasted_text, user=upload.uploaded_by, directory=directory, read=read
                )
            else:
                letter = create_draft(
                    data,
                    filename,
                    user=upload.uploaded_by,
                    source=ResponseLetter.Source.UPLOAD,
                    directory=directory,
                    read=read,
                )
        except DuplicateLetter as exc:  # stored by someone else while this one was being read
            fail(upload_id, exc.message, "duplicate")
            LetterUpload.objects.filter(pk=upload_id).update(letter=exc.existing)
            return LetterUpload.objects.get(pk=upload_id)
    except Exception as exc:
        # A bug, not bad input: the editor is told plainly, and the error goes on up to the task's log.
        fail(
            upload_id, f"The letter could not be read (unexpected error: {exc.__class__.__name__}).", "error"
        )
        raise
    _delete_file(upload)  # the draft letter keeps its own copy of the original
    LetterUpload.objects.filter(pk=upload_id).update(
        state=State.READY, letter=letter, file="", updated_at=timezone.now()
    )
    return LetterUpload.objects.get(pk=upload_id)


def _progress_writer(upload_id):
    last = {"state": None, "at": 0.0}

    def write(stage, done, total):
        state = _STAGE_STATE[stage]
        now = time.monotonic()
        if state == last["state"] and now - last["at"] < PROGRESS_EVERY_SECONDS and done < total:
            return
        last.update(state=state, at=now)
        LetterUpload.objects.filter(pk=upload_id).update(
            state=state, pages_done=done, pages_total=total, updated_at=timezone.now()
        )

    return write


def _delete_file(upload):
    if upload.file:
        try:
            upload.file.storage.delete(upload.file.name)
        except OSError:  # a stray file is harmless; losing the real error is not
            logger.warning("could not delete %s", upload.file.name)
