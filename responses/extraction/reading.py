"""File bytes -> letter text, with a specific LetterError for everything we cannot read."""

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from . import ocr
from .errors import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    MAX_DOCX_ENTRIES,
    MAX_DOCX_UNPACKED_BYTES,
    MAX_LETTER_BYTES,
    MAX_PDF_PAGES,
    TOO_LARGE,
    UNDECODABLE,
    UNSUPPORTED_FORMAT,
    LetterError,
)
from .normalise import normalise

TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md"})
SUPPORTED = "a .txt, .pdf or .docx file"
# Too little text for a letter: a scanned PDF usually yields nothing or a stray page number.
MIN_PDF_TEXT_CHARS = 40
# A page with less text than this that shows an image is a scanned page (a stray page number or a
# running header may sit in a text layer over the scan).
MIN_PAGE_TEXT_CHARS = 40

# on_progress(stage, done, total): stage is "reading" (pages read) or "ocr" (scanned pages OCR'd).
Progress = Callable[[str, int, int], None]

_MAGIC = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x7fELF", "binary"),
    (b"MZ", "binary"),
    (b"\x1f\x8b", "binary"),
)


def _sniff(data: bytes) -> str | None:
    head = data[:8].lstrip()
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # PDFs may carry junk before the header; the spec allows it within the first KB.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return None


def read_letter(data: bytes, filename: str, on_progress: Progress | None = None) -> str:
    """Return the normalised text of a letter file, or raise LetterError saying why not.

    Bounded: a file past one of the limits in errors.py is refused before it is parsed; a scanned PDF is read
    with OCR within ocr.OcrLimits (time, memory, pages). `on_progress` hears how far a long read has got."""
    name = PurePath(filename or "").name or "the file"
    if len(data) > MAX_LETTER_BYTES:
        size_mb = len(data) / (1024 * 1024)
        raise LetterError(
            f"{name} is {size_mb:.1f} MB; letters over {MAX_LETTER_BYTES // (1024 * 1024)} MB are not accepted.",
            TOO_LARGE,
        )
    if not data.strip():
        raise LetterError(f"{name} is empty.", EMPTY)
    suffix = PurePath(filename or "").suffix.lower()
    kind = _sniff(data)
    if kind == "pdf":
        text = _read_pdf(data, name, on_progress)
    elif kind == "zip":
        if suffix not in {".docx", ".docm", ""}:
            raise LetterError(
                f"{name} is a zip archive, not a letter; upload {SUPPORTED}.", UNSUPPORTED_FORMAT
            )
        text = _read_docx(data, name)
    elif kind == "ole":
        if suffix == ".docx":
            raise LetterError(
                f"{name} is a password-protected Word document; remove the password and upload it again.",
                ENCRYPTED,
            )
        raise LetterError(
            f"{name} is an old-style Word (.doc) or Office file; save it as .docx or PDF and upload it again.",
            UNSUPPORTED_FORMAT,
        )
    elif kind == "rtf":
        raise LetterError(f"{name} is a Rich Text (.rtf) file; save it as .docx or PDF.", UNSUPPORTED_FORMAT)
    elif kind in {"image", "binary"}:
        what = "an image" if kind == "image" else "a binary file"
        raise LetterError(f"{name} is {what}, not a letter; upload {SUPPORTED}.", UNSUPPORTED_FORMAT)
    elif suffix == ".pdf":
        raise LetterError(f"{name} is not a valid PDF (no PDF header); the file may be corrupt.", CORRUPT)
    elif suffix == ".docx":
        raise LetterError(f"{name} is not a valid Word document; the file may be corrupt.", CORRUPT)
    elif suffix in TEXT_SUFFIXES:
        text = _read_text(data, name)
    else:
        raise LetterError(
            f"{name}: files of type {suffix} are not supported; upload {SUPPORTED}.", UNSUPPORTED_FORMAT
        )
    text = normalise(text)
    if not text.strip():
        raise LetterError(f"{name} contains no text.", EMPTY)
    return text


def _read_text(data: bytes, name: str) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise LetterError(f"{name} could not be decoded as {codec} text.", UNDECODABLE) from exc
    if b"\x00" in data:
        raise LetterError(f"{name} is a binary file, not text; upload {SUPPORTED}.", UNSUPPORTED_FORMAT)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise LetterError(
                f"{name} is not UTF-8 or Windows-1252 text (undecodable byte at position {exc.start}); "
                "save it as UTF-8 and upload it again.",
                UNDECODABLE,
            ) from exc
    controls = len(re.findall(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text))
    if controls > max(3, len(text) // 50):
        raise LetterError(
            f"{name} looks like a binary file, not text; upload {SUPPORTED}.", UNSUPPORTED_FORMAT
        )
    return text


def _read_pdf(data: bytes, name: str, on_progress: Progress | None) -> str:
    """Each page's text layer through pdfium, pages joined by a form feed on a line of its own, and a blank
    line where the gap between two lines marks a paragraph; pages that are only images or drawings (a scan)
    are read with OCR. Same words, line for line, as pypdfium2 gives for the page."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise LetterError(
                f"{name} is an encrypted (password-protected) PDF; upload an unprotected copy.", ENCRYPTED
            ) from exc
        raise LetterError(f"{name} is a corrupt or damaged PDF and cannot be read ({exc}).", CORRUPT) from exc
    try:
        page_count = len(document)
        if page_count == 0:
            raise LetterError(f"{name} is a PDF with no pages; the file may be corrupt.", CORRUPT)
        if page_count > MAX_PDF_PAGES:
            raise LetterError(
                f"{name} has {page_count:,} pages; documents over {MAX_PDF_PAGES:,} pages are not accepted.",
                TOO_LARGE,
            )
        page_lines: list[list[tuple[str, float]]] = []
        scanned: list[int] = []
        for number in range(page_count):
            page = document[number]
            try:
                lines = _lines_with_tops(page.get_textpage())
            except pdfium.PdfiumError as exc:
                raise LetterError(
                    f"{name}: page {number + 1} is damaged and cannot be read ({exc}).", CORRUPT
                ) from exc
            if sum(_visible_chars(line) for line, _ in lines) < MIN_PAGE_TEXT_CHARS and _looks_scanned(
                page, pdfium
            ):
                scanned.append(number)
            page_lines.append(lines)
            if on_progress and number % 20 == 19:
                on_progress("reading", number + 1, page_count)
        pages = _pages_with_paragraph_gaps(page_lines)
        if scanned:
            if on_progress:
                on_progress("ocr", 0, len(scanned))

            def render(number: int) -> bytes:
                page = document[number]
                width, height = page.get_size()
                bitmap = page.render(scale=ocr.scale_for(width, height, limits), grayscale=True)
                return ocr.pgm(bitmap.width, bitmap.height, bitmap.stride, bitmap.buffer)

            limits = ocr.OcrLimits.from_environment()
            progress = (lambda done, total: on_progress("ocr", done, total)) if on_progress else None
            for number, text in ocr.ocr_pages(scanned, render, name, limits, progress).items():
                pages[number] = text.replace("\x0c", "").rstrip("\n")
    finally:
        document.close()
    if sum(_visible_chars(page) for page in pages) < MIN_PDF_TEXT_CHARS:
        raise LetterError(f"{name} contains no text (its pages are blank or drawings).", EMPTY)
    return "\n\f\n".join(pages) + "\n"


def _lines_with_tops(textpage) -> list[tuple[str, float]]:
    """The page's text lines as pdfium gives them, each with the top of its first character (in points
    from the page's foot). pdfium's text and its character indices agree one to one (its line breaks are
    generated characters), so a line's first character is found by its offset."""
    text = textpage.get_text_range()
    lines: list[tuple[str, float]] = []
    offset = 0
    for line in text.split("\r\n"):
        top = textpage.get_charbox(offset)[3] if line else None
        lines.append((line.replace("\r", "").replace("\n", " "), top))
        offset += len(line) + 2
    while lines and not lines[-1][0].strip():
        lines.pop()
    return lines


def _pages_with_paragraph_gaps(page_lines: list[list[tuple[str, float | None]]]) -> list[str]:
    """Page texts with a blank line wherever the vertical gap between two lines marks a new paragraph.

    The line pitch is the lower quartile of the gaps over the whole document, so a short last page made
    mostly of gaps still has its paragraphs told apart; the words and lines are pdfium's, unchanged."""
    gaps = sorted(
        a_top - b_top
        for lines in page_lines
        for (_, a_top), (_, b_top) in zip(lines, lines[1:], strict=False)
        if a_top is not None and b_top is not None and a_top - b_top > 1
    )
    pitch = gaps[len(gaps) // 4] if gaps else 0
    pages = []
    for lines in page_lines:
        out: list[str] = []
        previous_top = None
        for line, top in lines:
            if pitch and previous_top is not None and top is not None and previous_top - top > 1.45 * pitch:
                out.append("")
            out.append(line)
            if top is not None:
                previous_top = top
        pages.append("\n".join(out))
    return pages


def _visible_chars(text: str) -> int:
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t")


# A page with little text is read with OCR only when it looks like a scan: an image covering much of it, or
# glyph outlines drawn as paths by the hundred (a scan printed to PDF and vectorised). Covers, blank pages
# with a rule or a logo, and the back page of a command paper are not scans.
SCAN_IMAGE_SHARE = 0.4
SCAN_MIN_PATHS = 100


def _looks_scanned(page, pdfium) -> bool:
    width, height = page.get_size()
    area = max(width * height, 1.0)
    paths = 0
    for obj in page.get_objects(max_depth=4):  # form XObjects are looked into
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= SCAN_IMAGE_SHARE * area:
                return True
        elif obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths >= SCAN_MIN_PATHS:
                return True
    return False


def _read_docx(data: bytes, name: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if "word/document.xml" not in {entry.filename for entry in entries}:
                raise LetterError(
                    f"{name} is a zip file but not a Word document; upload {SUPPORTED}.", UNSUPPORTED_FORMAT
                )
            _check_unpacked_size(entries, name)
        document = docx.Document(io.BytesIO(data))
    except LetterError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise LetterError(f"{name} is a corrupt Word document and cannot be read ({exc}).", CORRUPT) from exc
    except Exception as exc:  # lxml and python-docx raise assorted errors on damaged XML
        raise LetterError(f"{name} is a corrupt Word document and cannot be read ({exc}).", CORRUPT) from exc
    paragraphs: list[str] = []
    # The letterhead often sits in the page header; footers hold references and addresses we don't need.
    for section in document.sections[:1]:
        try:
            paragraphs.extend(p.text for p in section.header.paragraphs)
        except Exception:  # a damaged header part should not lose the letter body
            pass
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(docx.text.paragraph.Paragraph(child, document).text)
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(p.text for p in cell.paragraphs)
    return _join_docx_paragraphs(paragraphs)


def _check_unpacked_size(entries: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse an archive that would unpack past the limit, before python-docx unpacks any of it.

    The sizes are the archive's own claims; zipfile stops reading an entry at its declared size, so a lying
    header cannot make python-docx unpack more than what is checked here."""
    if len(entries) > MAX_DOCX_ENTRIES:
        raise LetterError(
            f"{name} holds {len(entries):,} files inside; a Word letter holds a few dozen. It is not accepted.",
            TOO_LARGE,
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise LetterError(
            f"{name} unpacks to {unpacked / (1024 * 1024):,.0f} MB; Word documents that unpack to more than "
            f"{MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)} MB are not accepted (a letter is far smaller: "
            "remove embedded files or images, or save it as PDF).",
            TOO_LARGE,
        )


def _join_docx_paragraphs(paragraphs: list[str]) -> str:
    """Keep short consecutive lines (addresses, signature blocks) together; give prose its own paragraph."""

    def is_prose(text: str) -> bool:
        return len(text) > 80 or (len(text.split()) > 8 and text.rstrip()[-1:] in ".!?:")

    out: list[str] = []
    prev = ""
    for para in paragraphs:
        text = para.strip()
        if not text:
            if out and out[-1] != "":
                out.append("")
            prev = ""
            continue
        if out and out[-1] != "" and (is_prose(text) or is_prose(prev)):
            out.append("")
        out.append(text)
        prev = text
    return "\n".join(out)
