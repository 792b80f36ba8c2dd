"""Reading letter files of every supported kind, and a specific error for every kind of bad input."""

import io
import os
import sys
import time

import pytest

from responses.extraction import MAX_LETTER_BYTES, LetterError, extract, read_letter
from tests.responses.letterfiles import encrypt_pdf, make_docx, make_pdf, scan_of, wrap

LETTER = """Ministry of Justice
102 Petty France
London SW1H 9AJ

Ms Priya Shah
HM Area Coroner for Inner North London

12 February 2024

Dear Ms Shah,

Thank you for your Regulation 28 report dated 4 December 2023 following the inquest into the death of Thomas Whitfield-Barnes. I am sorry for the loss suffered by his family, and I would like to set out how the Ministry of Justice is responding to each of the matters of concern you raised in considerable detail below.

HM Prison and Probation Service will publish revised guidance on the supervision of prisoners released on temporary licence by 31 July 2024, and the new guidance will be accompanied by mandatory training for all probation practitioners across England and Wales.

We have already strengthened the checks made before release. We will write to you again when the training has been completed.

Yours sincerely,

Edward Argar MP
Minister of State for Justice
"""


def _pdf_pages(text: str, per_page: int = 14) -> list[list[str]]:
    lines = wrap(text, 70)
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    total = len(chunks)
    return [
        ["OFFICIAL", "MoJ response to Regulation 28 report", ""] + chunk + ["", f"Page {n} of {total}"]
        for n, chunk in enumerate(chunks, 1)
    ]


def test_utf8_text_file_is_read_and_curly_quotes_normalised():
    data = LETTER.replace("Thank you", "\u201cThank you\u201d").encode("utf-8")
    text = read_letter(data, "letter.txt")
    assert '"Thank you"' in text
    assert "\u201c" not in text


def test_cp1252_text_file_falls_back_from_utf8():
    data = (LETTER + "\nFunding of \u00a35 million was agreed \u2013 \u2018in principle\u2019.\n").encode(
        "cp1252"
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = read_letter(data, "letter.txt")
    assert "\u00a35 million" in text
    assert "'in principle'" in text
    assert extract(text).letter_date.isoformat() == "2024-02-12"


def test_utf16_text_with_bom_is_read():
    text = read_letter(LETTER.encode("utf-16"), "letter.txt")
    assert "Dear Ms Shah" in text


def test_pdf_with_running_headers_footers_and_page_numbers():
    data = make_pdf(_pdf_pages(LETTER))
    text = read_letter(data, "letter.pdf")
    assert "OFFICIAL" not in text
    assert "MoJ response to Regulation 28 report" not in text
    assert "Page 1 of" not in text and "Page 2 of" not in text
    # Wrapped lines are joined back into sentences, hyphenated words mended.
    assert (
        "HM Prison and Probation Service will publish revised guidance on the supervision of prisoners"
        in text
    )
    assert "practitioners across England and Wales." in text
    result = extract(text, source="letter.pdf")
    assert result.letter_date.isoformat() == "2024-02-12"
    assert result.departments == ["Ministry of Justice"]
    assert any(c.due_latest and c.due_latest.isoformat() == "2024-07-31" for c in result.commitments)


def test_pdf_paragraph_gaps_become_paragraph_breaks():
    text = read_letter(make_pdf(_pdf_pages(LETTER, per_page=60)), "letter.pdf")
    assert "\n\nYours sincerely," in text
    assert "Edward Argar MP\nMinister of State for Justice" in text


def test_docx_body_and_header_letterhead_are_read():
    paragraphs = LETTER.split("\n\n")[1:]
    lines = [line for para in paragraphs for line in (para.split("\n") if len(para) < 200 else [para])]
    data = make_docx(lines, header=["Ministry of Justice"])
    text = read_letter(data, "letter.docx")
    assert text.startswith("Ministry of Justice")
    result = extract(text, source="letter.docx")
    assert result.departments == ["Ministry of Justice"]
    assert result.signatories == [{"name": "Edward Argar", "role": "Minister of State for Justice"}]
    assert len(result.commitments) >= 2


@pytest.mark.parametrize(
    ("data", "filename", "code", "words"),
    [
        (b"", "letter.txt", "empty", "empty"),
        (b"  \n\n\t ", "letter.txt", "empty", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "letter.png", "unsupported_format", "image"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "letter.txt", "unsupported_format", "binary"),
        (b"some text", "letter.odt", "unsupported_format", ".odt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "letter.doc", "unsupported_format", ".docx"),
        (b"{\\rtf1\\ansi hello}", "letter.rtf", "unsupported_format", "Rich Text"),
        (b"Dear Sir,\n\x81\x8d\x8f\x90\x9d unreadable", "letter.txt", "undecodable", "UTF-8"),
        (b"text with\x00nul bytes inside", "letter.txt", "unsupported_format", "binary"),
        (b"%PDF-1.4\n1 0 obj garbage \x00\x01\x02", "letter.pdf", "corrupt", "corrupt"),
        (b"not a pdf at all", "letter.pdf", "corrupt", "PDF"),
        (b"PK\x03\x04broken zip", "letter.docx", "corrupt", "corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "letter.docx", "encrypted", "password"),
    ],
)
def test_bad_input_gets_a_specific_error(data, filename, code, words):
    with pytest.raises(LetterError) as caught:
        read_letter(data, filename)
    assert caught.value.code == code
    assert words.lower() in caught.value.message.lower()
    assert filename in caught.value.message


def test_a_scanned_pdf_is_read_with_ocr():
    progress = []
    scan = scan_of(make_pdf(_pdf_pages(LETTER, per_page=60)))

    text = read_letter(scan, "scan.pdf", on_progress=lambda *step: progress.append(step))

    assert "HM Prison and Probation Service will publish revised guidance" in text
    assert progress[0] == ("ocr", 0, 1) and progress[-1] == ("ocr", 1, 1)
    result = extract(text, source="scan.pdf")
    assert result.letter_date.isoformat() == "2024-02-12"
    assert any(c.due_latest and c.due_latest.isoformat() == "2024-07-31" for c in result.commitments)


def test_only_the_scanned_pages_of_a_pdf_are_read_with_ocr():
    """A text PDF with one scanned page (a signed last page, an annex): text pages as text, the scan by OCR."""
    import pypdfium2 as pdfium

    pages = _pdf_pages(LETTER, per_page=12)
    text_pdf = pdfium.PdfDocument(make_pdf(pages))
    scanned_last = pdfium.PdfDocument(scan_of(make_pdf(pages[-1:])))
    text_pdf.import_pages(scanned_last)
    text_pdf.del_page(len(pages) - 1)
    out = io.BytesIO()
    text_pdf.save(out)
    progress = []

    text = read_letter(out.getvalue(), "mixed.pdf", on_progress=lambda *step: progress.append(step))

    assert ("ocr", 1, 1) in progress and ("ocr", 0, len(pages)) not in progress
    assert "Ministry of Justice" in text and "Minister of State for Justice" in text


def test_a_pdf_of_drawings_only_contains_no_text():
    with pytest.raises(LetterError) as caught:
        read_letter(make_pdf([[""]], with_text=False), "drawing.pdf")
    assert caught.value.code == "empty"
    assert "contains no text" in caught.value.message


def test_without_tesseract_a_scan_is_refused_saying_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a server where tesseract-ocr is not installed
    with pytest.raises(LetterError) as caught:
        read_letter(scan_of(make_pdf([["Dear Ms Shah,"]])), "scan.pdf")
    assert caught.value.code == "needs_ocr"
    assert "apt-get install tesseract-ocr" in caught.value.message
    assert "scan.pdf" in caught.value.message


def _stand_in_tesseract(folder, body):
    """A program named tesseract that misbehaves as told: the way to test the limits around the real one."""
    program = folder / "tesseract"
    program.write_text(f"#!{sys.executable}\n{body}\n")
    program.chmod(0o755)


def test_a_page_whose_ocr_runs_too_long_is_stopped(monkeypatch, tmp_path):
    _stand_in_tesseract(tmp_path, "import time; time.sleep(30)")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setenv("OCR_SECONDS_PER_PAGE", "1")
    started = time.monotonic()
    with pytest.raises(LetterError) as caught:
        read_letter(scan_of(make_pdf([["Dear Ms Shah,"]])), "slow.pdf")
    assert caught.value.code == "ocr_failed"
    assert "took longer than 1 seconds" in caught.value.message
    assert time.monotonic() - started < 15


def test_ocr_runs_under_a_memory_ceiling(monkeypatch, tmp_path):
    # Asks for 2 GB: the address-space ceiling (1 GB a page) makes it fail instead of eating the server.
    _stand_in_tesseract(tmp_path, "import sys; sys.stdin.buffer.read(); block = bytearray(2 << 30)")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with pytest.raises(LetterError) as caught:
        read_letter(scan_of(make_pdf([["Dear Ms Shah,"]])), "greedy.pdf")
    assert caught.value.code == "ocr_failed"
    assert "MemoryError" in caught.value.message


def test_a_scan_past_the_ocr_page_limit_is_refused_before_any_ocr(monkeypatch):
    monkeypatch.setenv("OCR_MAX_PAGES", "2")
    with pytest.raises(LetterError) as caught:
        read_letter(scan_of(make_pdf([["page one"], ["page two"], ["page three"]]), dpi=50), "long.pdf")
    assert caught.value.code == "too_large"
    assert "3 scanned pages; at most 2" in caught.value.message


def test_encrypted_pdf_is_refused():
    with pytest.raises(LetterError) as caught:
        read_letter(encrypt_pdf(make_pdf(_pdf_pages(LETTER))), "secret.pdf")
    assert caught.value.code == "encrypted"
    assert "password" in caught.value.message


def test_zip_that_is_not_a_word_document():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(LetterError) as caught:
        read_letter(buffer.getvalue(), "letter.docx")
    assert caught.value.code == "unsupported_format"


def test_file_over_twenty_megabytes_is_refused_before_reading():
    data = b"a" * (MAX_LETTER_BYTES + 1)
    with pytest.raises(LetterError) as caught:
        read_letter(data, "huge.txt")
    assert caught.value.code == "too_large"
    assert "20 MB" in caught.value.message


def test_file_of_exactly_the_limit_is_accepted():
    data = (LETTER + "x" * (MAX_LETTER_BYTES - len(LETTER.encode()))).encode()
    assert len(data) == MAX_LETTER_BYTES
    assert read_letter(data, "big.txt").startswith("Ministry of Justice")


def test_letter_error_rejects_unknown_codes():
    with pytest.raises(ValueError):
        LetterError("message", "no_such_code")
