import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from responses.models import Commitment, ResponseLetter
from tests.factories import DepartmentFactory
from tests.responses import letter_files
from tracker.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def moj():
    return DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")


@pytest.fixture
def letters(tmp_path):
    """A folder of three good letters, one of each kind, one of them in a subfolder."""
    folder = tmp_path / "letters"
    (folder / "2025").mkdir(parents=True)
    (folder / "price.txt").write_text(letter_files.pfd_reply(deceased="Samuel Price"))
    (folder / "jones.pdf").write_bytes(letter_files.make_pdf(letter_files.pfd_reply(deceased="Ann Jones")))
    (folder / "2025" / "smith.docx").write_bytes(
        letter_files.make_docx(letter_files.pfd_reply(deceased="Tom Smith"))
    )
    (folder / "notes.md").write_text("not a letter, and not looked at")
    (folder / "~$smith.docx").write_bytes(b"\x00word lock file")
    (folder / ".hidden.txt").write_bytes(b"\x00\x01")
    return folder


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_letters", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue()


def test_a_folder_becomes_drafts_for_review(letters):
    summary = run(letters)

    assert ResponseLetter.objects.count() == 3
    assert set(ResponseLetter.objects.values_list("review_state", flat=True)) == {"draft"}
    assert set(ResponseLetter.objects.values_list("source", flat=True)) == {"command"}
    assert sorted(ResponseLetter.objects.values_list("original_filename", flat=True)) == [
        "jones.pdf",
        "price.txt",
        "smith.docx",
    ]
    assert Commitment.objects.count() == 0 and Report.objects.count() == 0
    assert "Letters ingested: 3 (stored as drafts for review)" in summary
    assert "Commitments: 9 (dated 6, vague 3, undated 0)" in summary
    assert "Failures: 0" in summary


def test_approve_confirms_what_the_extractor_found(letters):
    summary = run(letters, "--approve")

    assert set(ResponseLetter.objects.values_list("review_state", flat=True)) == {"confirmed"}
    assert Commitment.objects.count() == 9
    assert sorted(Report.objects.values_list("deceased", flat=True)) == [
        "Ann Jones",
        "Samuel Price",
        "Tom Smith",
    ]
    assert "Letters ingested: 3 (confirmed)" in summary


def test_bad_files_are_reported_and_skipped_and_the_run_fails(letters, tmp_path):
    (letters / "empty.txt").write_bytes(b"")
    (letters / "drawing.pdf").write_bytes(letter_files.make_drawing_pdf())
    (letters / "2025" / "broken.docx").write_bytes(b"PK\x03\x04 not really a word document")
    (letters / "undated.txt").write_text(letter_files.undated_reply())
    out = io.StringIO()

    with pytest.raises(CommandError, match="4 of 7 file"):
        call_command("ingest_letters", str(letters), "--approve", "--no-progress", stdout=out)

    summary = out.getvalue()
    assert ResponseLetter.objects.count() == 3  # the good ones
    assert "Failures: 4" in summary
    assert "empty.txt: empty.txt is empty. [empty]" in summary
    assert "drawing.pdf:" in summary and "contains no text" in summary and "[empty]" in summary
    assert "broken.docx:" in summary and "[corrupt]" in summary
    assert "undated.txt: No recognisable letter date" in summary and "[no_date]" in summary


def test_a_scanned_letter_is_read_with_ocr_in_bulk(tmp_path):
    """Older PFD responses are often scans: the bulk command reads them with Tesseract in its workers."""
    path = tmp_path / "scanned-reply.pdf"
    path.write_bytes(letter_files.make_scanned_pdf(letter_files.pfd_reply(deceased="Ann Jones")))

    summary = run(path, "--approve")

    letter = ResponseLetter.objects.get()
    assert "Letters ingested: 1 (confirmed)" in summary
    assert str(letter.date) == "2025-03-14"
    assert "transfer of healthcare records" in letter.text
    assert letter.commitments.filter(due_latest="2025-06-30").exists()


def test_an_undated_letter_is_ingested_with_a_date_given(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(letter_files.undated_reply())

    run(path, "--date", "2025-03-14", "--approve")

    letter = ResponseLetter.objects.get()
    assert str(letter.date) == "2025-03-14"
    assert letter.commitments.filter(due_latest__isnull=False).count() == 2


def test_files_named_on_the_command_line_are_read_whatever_their_type(tmp_path, letters):
    image = tmp_path / "photo.png"
    image.write_bytes(letter_files.PNG_BYTES)
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 of 3"):
        call_command(
            "ingest_letters", str(letters / "price.txt"), str(image), str(tmp_path / "missing.txt"),
            "--no-progress", stdout=out,
        )  # fmt: skip

    assert "photo.png: photo.png is an image, not a letter" in out.getvalue()
    assert "missing.txt: no such file or folder" in out.getvalue()
    assert ResponseLetter.objects.count() == 1


def test_a_second_run_skips_duplicates_and_succeeds(letters):
    run(letters, "--approve")

    summary = run(letters, "--approve")

    assert "Letters ingested: 0" in summary
    assert "Duplicates skipped: 3" in summary
    assert "Failures: 0" in summary
    assert ResponseLetter.objects.count() == 3 and Commitment.objects.count() == 9


def test_exit_status_from_the_command_line(letters, capsys, monkeypatch):
    # run_from_argv closes the database connections when done, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    execute_from_command_line(
        ["manage.py", "ingest_letters", str(letters), "--no-progress"]
    )  # no SystemExit: 0

    (letters / "empty.txt").write_bytes(b"")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "ingest_letters", str(letters), "--no-progress"])

    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "Duplicates skipped: 3" in captured.out
    assert "1 of 4 file(s) failed" in captured.err


def test_progress_goes_to_stderr(letters, capsys, monkeypatch):
    out = io.StringIO()
    # tqdm hides itself when stderr is not a terminal; pretend it is one.
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    call_command("ingest_letters", str(letters), stdout=out)

    assert "Ingesting" in capsys.readouterr().err
    assert "Ingesting" not in out.getvalue()


def test_worker_processes_read_a_large_batch_with_the_same_result(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    names = [
        f"{first} {last}"
        for first in ("Ann", "Tom", "Ruth", "Kofi", "Megan")
        for last in ("Hughes", "Patel", "Reid", "Walsh", "Begum")
    ]
    for n, deceased in enumerate(names):
        text = letter_files.pfd_reply(deceased=deceased)
        if n % 5 == 0:
            (folder / f"{n:02d}.pdf").write_bytes(letter_files.make_pdf(text))
        else:
            (folder / f"{n:02d}.txt").write_text(text)
    (folder / "99-empty.txt").write_bytes(b"")
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 of 26"):
        call_command("ingest_letters", str(folder), "--approve", "--jobs", "2", "--no-progress", stdout=out)

    assert "Letters ingested: 25 (confirmed)" in out.getvalue()
    assert "Commitments: 75 (dated 50, vague 25, undated 0)" in out.getvalue()
    assert sorted(Report.objects.values_list("deceased", flat=True)) == sorted(names)
    assert set(ResponseLetter.objects.values_list("original_filename", flat=True)) == {
        f"{n:02d}.{'pdf' if n % 5 == 0 else 'txt'}" for n in range(25)
    }


def test_read_files_hands_back_each_file_read_by_a_worker_in_order(tmp_path):
    from responses.ingestion import DepartmentDirectory, ReadLetter
    from responses.management.commands.ingest_letters import read_files

    paths = []
    for n in range(21):
        path = tmp_path / f"{n:02d}.txt"
        path.write_text(letter_files.pfd_reply(deceased=f"Person Number{n}"))
        paths.append(path)

    results = list(read_files(paths, DepartmentDirectory.load().rows, jobs=2))

    assert [path for path, _ in results] == paths
    assert all(isinstance(read, ReadLetter) for _, read in results)
    assert [read.extraction.reports[0]["deceased"] for _, read in results] == [
        f"Person Number{n}" for n in range(21)
    ]
    assert [read.extraction.departments for _, read in results] == [["Ministry of Justice"]] * 21


def test_an_unexpected_error_on_one_file_does_not_stop_the_run(letters, monkeypatch):
    from responses import ingestion

    real_extract = ingestion.extract

    def extract(text, source=None, departments=None):
        if source == "price.txt":
            raise MemoryError("out of memory")
        return real_extract(text, source=source, departments=departments)

    monkeypatch.setattr(ingestion, "extract", extract)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 3"):
        call_command("ingest_letters", str(letters), "--no-progress", stdout=out)

    assert "price.txt: unexpected error: MemoryError: out of memory" in out.getvalue()
    assert sorted(ResponseLetter.objects.values_list("original_filename", flat=True)) == [
        "jones.pdf",
        "smith.docx",
    ]
