"""File bytes -> letter text, with a specific LetterError for everything we cannot read."""

import io
import logging
import re
import zipfile
from pathlib import PurePath

from .errors import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    MAX_LETTER_BYTES,
    NEEDS_OCR,
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

logging.getLogger("pdfminer").setLevel(logging.ERROR)
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _sniff(data: bytes) -> str | None:
    head = data[:8].lstrip()
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # PDFs may carry junk before the header; the spec allows it within the first KB.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return None


def read_letter(data: bytes, filename: str) -> str:
    """Return the normalised text of a letter file, or raise LetterError saying why not."""
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
        text = _read_pdf(data, name)
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


def _read_pdf(data: bytes, name: str) -> str:
    import pdfplumber
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LetterError(
                f"{name} is an encrypted (password-protected) PDF; upload an unprotected copy.", ENCRYPTED
            )
        page_count = len(reader.pages)
    except LetterError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise LetterError(f"{name} is a corrupt or damaged PDF and cannot be read ({exc}).", CORRUPT) from exc
    except NotImplementedError as exc:
        raise LetterError(
            f"{name} uses PDF encryption we cannot open; upload an unprotected copy.", ENCRYPTED
        ) from exc
    if page_count == 0:
        raise LetterError(f"{name} is a PDF with no pages; the file may be corrupt.", CORRUPT)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = _pdf_pages_text(
                [page.extract_text_lines(strip=True, return_chars=False) for page in pdf.pages]
            )
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise LetterError(
                f"{name} is an encrypted (password-protected) PDF; upload an unprotected copy.", ENCRYPTED
            ) from exc
        raise LetterError(f"{name} is a corrupt or damaged PDF and cannot be read ({exc}).", CORRUPT) from exc
    if sum(len(re.sub(r"\s", "", page)) for page in pages) < MIN_PDF_TEXT_CHARS:
        raise LetterError(
            f"{name} has no text layer (it looks like a scanned image); it needs OCR before it can be read.",
            NEEDS_OCR,
        )
    return "\f".join(pages)


def _pdf_pages_text(page_lines: list[list[dict]]) -> list[str]:
    """Page texts with a blank line wherever the vertical gap between lines marks a new paragraph.

    The line pitch is measured over the whole document (lower quartile of gaps), so a short last page
    made mostly of gaps still has its paragraphs told apart.
    """
    gaps = [
        b["top"] - a["top"]
        for lines in page_lines
        for a, b in zip(lines, lines[1:], strict=False)
        if b["top"] - a["top"] > 1
    ]
    pitch = sorted(gaps)[len(gaps) // 4] if gaps else 0
    pages = []
    for lines in page_lines:
        if not lines:
            pages.append("")
            continue
        out = [lines[0]["text"]]
        for prev, line in zip(lines, lines[1:], strict=False):
            if pitch and line["top"] - prev["top"] > 1.45 * pitch:
                out.append("")
            out.append(line["text"])
        pages.append("\n".join(out))
    return pages


def _read_docx(data: bytes, name: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise LetterError(
                    f"{name} is a zip file but not a Word document; upload {SUPPORTED}.", UNSUPPORTED_FORMAT
                )
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
