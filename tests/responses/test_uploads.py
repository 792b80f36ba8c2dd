"""responses.uploads: an upload stored by the web request, claimed and read by the task, with progress."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from responses import uploads
from responses.ingestion import DuplicateLetter, UnreadableLetter
from responses.models import LetterUpload, ResponseLetter
from tests.factories import DepartmentFactory, UserFactory
from tests.responses import letter_files

pytestmark = pytest.mark.django_db
State = LetterUpload.State


@pytest.fixture(autouse=True)
def moj():
    return DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")


def stored_files(settings):
    return (
        sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
        if settings.MEDIA_ROOT.exists()
        else []
    )


def test_an_upload_is_stored_and_waits_for_the_reading_task(settings):
    editor = UserFactory()
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt", user=editor)

    assert upload.state == State.QUEUED and upload.uploaded_by == editor
    assert stored_files(settings) == ["reply.txt"]
    assert ResponseLetter.objects.count() == 0


def test_reading_an_upload_makes_the_draft_and_keeps_one_copy_of_the_file(settings):
    upload = uploads.start_upload(letter_files.make_pdf(letter_files.pfd_reply()), "reply.pdf")

    done = uploads.read_upload(upload.pk)

    letter = ResponseLetter.objects.get()
    assert done.state == State.READY and done.letter == letter
    assert letter.review_state == ResponseLetter.ReviewState.DRAFT
    assert letter.date == datetime.date(2025, 3, 14)
    assert letter.original_filename == "reply.pdf"
    assert not done.file  # the draft letter holds the original now
    assert stored_files(settings) == ["reply.pdf"]


def test_pasted_text_is_read_the_same_way():
    upload = uploads.start_upload(text=letter_files.pfd_reply().replace("\n", "\r\n"))

    done = uploads.read_upload(upload.pk)

    assert done.state == State.READY
    assert done.letter.source == ResponseLetter.Source.PASTE
    assert not done.letter.original_file


def test_a_second_run_of_the_task_reads_nothing_twice():
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt")
    uploads.read_upload(upload.pk)

    again = uploads.read_upload(upload.pk)

    assert again.state == State.READY
    assert ResponseLetter.objects.count() == 1


def test_only_one_task_claims_an_upload():
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt")

    assert uploads.claim(upload.pk) is True
    assert uploads.claim(upload.pk) is False


def test_a_reading_whose_worker_died_is_claimed_again_only_after_it_stalled(settings):
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt")
    started = timezone.now()
    LetterUpload.objects.filter(pk=upload.pk).update(state=State.OCR, updated_at=started)

    soon = started + datetime.timedelta(seconds=settings.LETTER_READING_STALLED_AFTER_SECONDS - 5)
    later = started + datetime.timedelta(seconds=settings.LETTER_READING_STALLED_AFTER_SECONDS + 5)
    assert uploads.claim(upload.pk, now=soon) is False
    assert not LetterUpload.objects.get(pk=upload.pk).is_stalled(now=soon)
    assert LetterUpload.objects.get(pk=upload.pk).is_stalled(now=later)
    assert uploads.claim(upload.pk, now=later) is True


@pytest.mark.parametrize(
    "filename, data, code, words",
    [
        ("photo.png", letter_files.PNG_BYTES, "unsupported_format", "is an image"),
        ("drawing.pdf", letter_files.make_drawing_pdf(), "empty", "contains no text"),
        ("locked.pdf", letter_files.make_encrypted_pdf(letter_files.pfd_reply()), "encrypted", "encrypted"),
        ("broken.docx", b"PK\x03\x04 not really a word document", "corrupt", "corrupt"),
    ],
)
def test_a_file_that_cannot_be_read_fails_with_its_reason_and_keeps_nothing(
    settings, filename, data, code, words
):
    upload = uploads.start_upload(data, filename)

    done = uploads.read_upload(upload.pk)

    assert done.state == State.FAILED and done.error_code == code
    assert words in done.message
    assert ResponseLetter.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "data, code", [(b"", "empty"), (b" \n ", "empty"), (b"a" * (20 * 1024 * 1024 + 1), "too_large")]
)
def test_what_can_be_told_at_once_is_refused_before_anything_is_stored(settings, data, code):
    with pytest.raises(UnreadableLetter) as caught:
        uploads.start_upload(data, "letter.txt")
    assert caught.value.code == code
    assert LetterUpload.objects.count() == 0 and stored_files(settings) == []


def test_the_same_file_is_read_once_at_a_time(settings):
    data = letter_files.pfd_reply().encode()
    first = uploads.start_upload(data, "reply.txt")

    with pytest.raises(uploads.UploadInProgress) as caught:
        uploads.start_upload(data, "reply (copy).txt")

    assert caught.value.upload == first
    assert stored_files(settings) == ["reply.txt"]


def test_a_file_already_in_the_tracker_is_not_uploaded_again():
    data = letter_files.pfd_reply().encode()
    uploads.read_upload(uploads.start_upload(data, "reply.txt").pk)

    with pytest.raises(DuplicateLetter):
        uploads.start_upload(data, "reply.txt")


def test_a_failed_upload_can_be_tried_again():
    data = letter_files.pfd_reply().encode()
    upload = uploads.start_upload(data, "reply.txt")
    uploads.fail(upload.pk, "The service that reads letters is not answering.", "queue")

    again = uploads.start_upload(data, "reply.txt")

    assert uploads.read_upload(again.pk).state == State.READY


def test_the_database_keeps_one_reading_per_file_and_a_reason_for_each_failure():
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt")
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterUpload.objects.create(content_hash=upload.content_hash, original_filename="again.txt")
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterUpload.objects.filter(pk=upload.pk).update(state=State.FAILED, message="")


def test_progress_is_written_to_the_row_and_a_new_stage_at_once():
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt")
    write = uploads._progress_writer(upload.pk)

    write("ocr", 3, 16)
    assert LetterUpload.objects.values_list("state", "pages_done", "pages_total").get(pk=upload.pk) == (
        "ocr",
        3,
        16,
    )
    write("ocr", 4, 16)  # within the second: not written
    assert LetterUpload.objects.get(pk=upload.pk).pages_done == 3
    write("extracting", 0, 0)  # a new stage is always written
    assert LetterUpload.objects.get(pk=upload.pk).state == State.EXTRACTING


def test_a_scanned_letter_is_read_with_ocr_and_says_so_while_it_runs(monkeypatch):
    seen = []
    real_writer = uploads._progress_writer

    def spying_writer(upload_id):
        write = real_writer(upload_id)

        def spy(stage, done, total):
            write(stage, done, total)
            seen.append(
                LetterUpload.objects.values_list("state", "pages_done", "pages_total").get(pk=upload_id)
            )

        return spy

    monkeypatch.setattr(uploads, "_progress_writer", spying_writer)
    upload = uploads.start_upload(letter_files.make_scanned_pdf(letter_files.pfd_reply()), "scan.pdf")

    done = uploads.read_upload(upload.pk)

    assert done.state == State.READY
    assert ("ocr", 1, 1) in seen and seen[-1][0] == "extracting"
    assert done.letter.date == datetime.date(2025, 3, 14)
    assert done.letter.extraction["commitments"]
