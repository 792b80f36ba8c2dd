"""Reading files: the 68-page Infected Blood response (PDF text), the 16-page Post Office scan (OCR), and
the hostile-file corpus. Writes the "Reading PDFs and scans" and "Hostile files" sections of
docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_reading.py [--repeat 7] [--no-hostile]

Targets (issue 10 and 12): reading plus extraction of the 68-page response under 300 ms; OCR of the 16-page
scan under 60 s on 2 cores and under 500 MB; every hostile file refused clearly or read in seconds and
under 500 MB.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import hostile_files  # noqa: E402
from benchmarks.docs_section import replace_section  # noqa: E402

BLOOD = Path("/work/shared/real/letters/Volume_1-Blood-Inquiry-Response.pdf")
SCAN = REPO / "tests" / "real" / "letters" / "PostOfficeHorizon-IT-Inquiry-Response-scanned.pdf"
OCR_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from responses.extraction import read_letter_bounded
data = open({path!r}, "rb").read()
pages = []
started = time.perf_counter()
text = read_letter_bounded(data, "scan.pdf", on_progress=lambda stage, done, total: pages.append(total))
print(json.dumps({{"seconds": time.perf_counter() - started, "chars": len(text), "pages": max(pages or [0]),
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def _blood(repeat: int) -> list[str]:
    from responses.extraction import extract, read_letter, read_letter_bounded

    path = BLOOD if BLOOD.exists() else None
    if path is None:
        return ["The Infected Blood response is read from /work/shared (absent here): not measured."]
    data = path.read_bytes()
    rows = []
    for reader in (read_letter, read_letter_bounded):
        reads, extracts = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            text = reader(data, path.name)
            read_at = time.perf_counter()
            extract(text, source=path.name)
            reads.append((read_at - started) * 1000)
            extracts.append((time.perf_counter() - read_at) * 1000)
        rows.append(
            f"| `{reader.__name__}` + `extract` | {statistics.median(reads):.0f} ms | "
            f"{statistics.median(extracts):.0f} ms | {statistics.median(reads) + statistics.median(extracts):.0f} ms |"
        )
    return [
        f"68-page Infected Blood response ({len(data) // 1024} KB), medians of {repeat} runs "
        "(target: reading plus extraction under 300 ms; pdfplumber took 3.4 s to read it):",
        "",
        "| reader | read | extract | total |",
        "|---|---|---|---|",
        *rows,
    ]


def _scan() -> list[str]:
    code = OCR_CHILD.format(repo=str(REPO), path=str(SCAN))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    workers = os.environ.get("OCR_WORKERS", "2")
    return [
        f"OCR of the {result['pages']}-page Post Office scan ({SCAN.stat().st_size // 1024} KB, no text layer; "
        f"Tesseract 300 dpi, {workers} pages at a time): **{result['seconds']:.1f} s** "
        f"({result['seconds'] / max(result['pages'], 1):.1f} s a page), {result['chars']:,} characters read. "
        f"Peak memory: {result['self_mb']:.0f} MB for the process that asked, "
        f"{result['children_mb']:.0f} MB for the largest child (the bounded reader with its Tesseracts). "
        "Targets: under 60 s on 2 cores and under 500 MB.",
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-hostile", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    lines = [
        "## Reading PDFs and scans",
        "",
        f"`benchmarks/bench_reading.py`, load average at the start {load:.1f} on 2 cores.",
        "",
    ]
    lines += _blood(args.repeat) + [""] + _scan()
    replace_section("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not args.no_hostile:
        with tempfile.TemporaryDirectory() as folder:
            table = hostile_files.table(Path(folder))
        replace_section(
            "## Hostile files\n\n`benchmarks/hostile_files.py` builds the corpus (nothing of it is committed); "
            "each file is read (in the bounded child, `read_letter_bounded`) and extracted in a fresh process. "
            "Peak memory is the larger of that process's and its children's resident peaks.\n\n"
            + table
            + "\n"
        )


if __name__ == "__main__":
    main()
