"""A corpus of hostile files, made on demand, and a benchmark of reading each (time and peak memory).

    .venv/bin/python benchmarks/hostile_files.py [--out DIR] [--only NAME ...]

Each file is read (read_letter, then extract) in a fresh child process, so its peak memory is its own; the
report gives, per file, what came of it (read, or refused with which code), the wall time and the peak
resident memory. Target (issue 12): every accepted file (up to 20 MB) read and extracted in seconds and
under 500 MB; everything else refused with a clear message. `build()` is also used by the tests
(tests/responses/test_hostile_files.py), so the corpus is never committed, only this script; `make bench`
(benchmarks/bench_reading.py) writes the table into docs/benchmarks.md.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_DOC_TAIL = "</w:body></w:document>"
_PARAGRAPH = (
    "<w:p><w:r><w:t>We will publish the guidance by 31 March 2026 and write to you again.</w:t></w:r></w:p>"
)


def _docx(document_xml_chunks, extra_entries=()) -> bytes:
    """A Word file whose document.xml is streamed from chunks (so a 200 MB part never sits in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for chunk in document_xml_chunks:
                part.write(chunk.encode())
        for name, data in extra_entries:
            archive.writestr(name, data)
    return out.getvalue()


def _paragraphs(total_bytes: int):
    yield _DOC_HEAD
    block = _PARAGRAPH * 1000
    for _ in range(max(1, total_bytes // len(block))):
        yield block
    yield _DOC_TAIL


def _text_pdf(pages: list[list[str]]) -> bytes:
    from tests.responses.letterfiles import make_pdf

    return make_pdf(pages)


def _pdfium_pdf(build) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    try:
        build(document, pdfium)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    finally:
        document.close()


def _blank_pages(count):
    def build(document, pdfium):
        for _ in range(count):
            document.new_page(595, 842)

    return build


def _image_pages(count, width_pt=595, height_pt=842, pixels=(800, 1100)):
    def build(document, pdfium):
        bitmap = pdfium.PdfBitmap.new_native(pixels[0], pixels[1], pdfium.raw.FPDFBitmap_Gray)
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, pixels[0], pixels[1])
        bitmap.fill_rect((0, 0, 0, 255), pixels[0] // 10, pixels[1] // 2, pixels[0] // 2, 8)
        for _ in range(count):
            page = document.new_page(width_pt, height_pt)
            image = pdfium.PdfImage.new(document)
            image.set_bitmap(bitmap)
            image.set_matrix(pdfium.PdfMatrix().scale(width_pt, height_pt))
            page.insert_obj(image)
            page.gen_content()

    return build


def _stream_bomb_pdf(expanded_bytes: int) -> bytes:
    """A one-page PDF whose content stream inflates from about 200 KB to `expanded_bytes` of drawing."""
    import zlib

    op = b"0 0 m 1 1 l S\n"
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(op * 100_000) for _ in range(expanded_bytes // (len(op) * 100_000)))
    body += compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _broken_xref_pdf() -> bytes:
    """Every cross-reference offset wrong (as a careless editor of the file leaves it): pdfium rebuilds it."""
    import re

    data = _text_pdf([["Dear Ms Shah,", "", "We will write to you by 31 March 2026."]])
    cut = data.rindex(b"xref")
    return data[:cut] + re.sub(rb"\d{10} 00000 n", b"0000000007 00000 n", data[cut:])


def _prose(total_bytes: int) -> bytes:
    paragraph = (
        "The department will publish revised guidance on the transfer of healthcare records by "
        "31 March 2026, and we will write to the coroner again when the training has been completed. "
    ) * 4
    count = max(1, total_bytes // (len(paragraph) + 2))
    return ("\n\n".join([paragraph] * count)).encode()


# name -> (how to make it, what should come of it: "read" or a LetterError code)
CORPUS = {
    "zip-bomb.docx": (lambda: _docx(_paragraphs(400 * MB)), "too_large"),
    "expands-200mb.docx": (lambda: _docx(_paragraphs(200 * MB)), "too_large"),
    "many-entries.docx": (
        lambda: _docx(_paragraphs(10_000), [(f"word/media/{n}.xml", "<x/>") for n in range(6_000)]),
        "too_large",
    ),
    "just-under-limit.docx": (lambda: _docx(_paragraphs(18 * MB)), "read"),
    "200k-short-lines.txt": (lambda: "\n".join(f"line {n} of it" for n in range(200_000)).encode(), "read"),
    "20mb-one-line.txt": (lambda: b"word " * (4 * MB - 1), "read"),
    "20mb-prose.txt": (lambda: _prose(20 * MB - 1024), "read"),
    "over-20mb.txt": (lambda: b"a" * (20 * MB + 1), "too_large"),
    "utf16-letter.txt": (
        lambda: "Dear Ms Shah,\n\nWe will write to you by 31 March 2026.\n".encode("utf-16"),
        "read",
    ),
    "nul-bytes.txt": (lambda: b"text\x00" * 1000, "unsupported_format"),
    "random-binary.bin": (lambda: os.urandom(MB), "unsupported_format"),
    "5000-blank-pages.pdf": (lambda: _pdfium_pdf(_blank_pages(5_000)), "too_large"),
    "1000-blank-pages.pdf": (lambda: _pdfium_pdf(_blank_pages(1_000)), "empty"),
    "100-scanned-pages.pdf": (lambda: _pdfium_pdf(_image_pages(100)), "too_large"),
    "huge-page-scan.pdf": (lambda: _pdfium_pdf(_image_pages(1, 14_400, 14_400, (3000, 3000))), "empty"),
    "stream-bomb-300mb.pdf": (lambda: _stream_bomb_pdf(300 * MB), "too_large"),
    "broken-xref.pdf": (_broken_xref_pdf, "read"),
    "truncated.pdf": (lambda: _text_pdf([["Dear Ms Shah,"]])[:200], "corrupt"),
}


def build(folder: Path, only=None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (make, _expected) in CORPUS.items():
        if only and name not in only:
            continue
        path = folder / name
        if not path.exists():
            path.write_bytes(make())
        paths[name] = path
    return paths


_CHILD = """
import json, sys, time, resource
sys.path.insert(0, {root!r})
from responses.extraction import LetterError, extract, read_letter_bounded
data = open({path!r}, "rb").read()
started = time.perf_counter()
try:
    text = read_letter_bounded(data, {name!r})
    result = extract(text, source={name!r})
    outcome = {{"outcome": "read", "chars": len(text), "commitments": len(result.commitments)}}
except LetterError as exc:
    outcome = {{"outcome": exc.code, "message": exc.message}}
outcome["seconds"] = time.perf_counter() - started
outcome["peak_mb"] = max(
    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
) / 1024
print(json.dumps(outcome))
"""


def measure(name: str, path: Path, timeout: int = 300) -> dict:
    """Read one file in a fresh interpreter; its peak memory includes Tesseract children, if any."""
    code = _CHILD.format(root=str(ROOT), path=str(path), name=name)
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"outcome": "TIMEOUT", "seconds": timeout, "peak_mb": None}
    if done.returncode != 0:
        return {
            "outcome": "CRASH",
            "message": done.stderr.strip()[-300:],
            "seconds": time.perf_counter() - started,
        }
    result = json.loads(done.stdout.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["children_peak_mb"] = max(before, after) / 1024
    return result


def table(folder: Path, only=None) -> str:
    """Build the corpus in `folder`, read every file in its own process, and give the results as a table."""
    rows = []
    for name, path in build(folder, only).items():
        expected = CORPUS[name][1]
        result = measure(name, path)
        ok = result["outcome"] == expected
        rows.append(
            f"| `{name}` | {path.stat().st_size / MB:,.2f} MB | {expected} | {result['outcome']}"
            f"{'' if ok else ' (UNEXPECTED)'} | {result['seconds']:.2f} s | {result.get('peak_mb') or 0:,.0f} MB |"
        )
        print(rows[-1], flush=True)
    return "\n".join(
        [
            "| file | size | expected | outcome | time (read + extract) | peak memory |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, help="folder for the corpus (default: a temporary one)")
    parser.add_argument("--only", nargs="*", help="file names to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        table(args.out or Path(temporary), args.only)


if __name__ == "__main__":
    main()
