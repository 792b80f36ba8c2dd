"""Scanned pages read with Tesseract (Debian's `tesseract-ocr`), each page in its own bounded child process.

Why the Tesseract command line rather than pytesseract: every page runs as a child process with a memory
ceiling (RLIMIT_AS) and a timeout, and the whole document has a time budget; pytesseract offers the timeout
but no way to bound memory, and brings Pillow for images we already have as raw grey pixels (pdfium renders
them, and a PGM header is all Tesseract needs).

Pages are rendered one at a time in the calling thread (pdfium is not thread-safe) and OCR'd by at most
`workers` child processes at once, so memory stays at a few rendered pages whatever the document's length.
"""

import os
import resource
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from .errors import NEEDS_OCR, OCR_FAILED, TOO_LARGE, LetterError

INSTALL_HINT = "install it on the server with `apt-get install tesseract-ocr` (Debian or Ubuntu)"


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class OcrLimits:
    """How much OCR one document may cost. Defaults suit a 2-core server; the environment can change them."""

    max_pages: int = 60  # scanned responses run to a few dozen pages; a 300-page scan is not a letter
    seconds_per_page: int = 90
    total_seconds: int = 300  # under the extraction task's time limit
    memory_mb_per_process: int = 1024  # address space; a 300 dpi A4 page peaks at about 80 MB resident
    dpi: int = 300  # Tesseract's sweet spot for body text
    max_pixels: int = 12_000_000  # an oversized page is rendered at a lower resolution, never bigger
    workers: int = 2

    @classmethod
    def from_environment(cls) -> "OcrLimits":
        return cls(
            max_pages=_env_int("OCR_MAX_PAGES", cls.max_pages),
            seconds_per_page=_env_int("OCR_SECONDS_PER_PAGE", cls.seconds_per_page),
            total_seconds=_env_int("OCR_TOTAL_SECONDS", cls.total_seconds),
            workers=_env_int("OCR_WORKERS", min(cls.workers, os.cpu_count() or 1)),
        )


def tesseract_binary() -> str | None:
    return shutil.which("tesseract")


def scale_for(width_pt: float, height_pt: float, limits: OcrLimits) -> float:
    """Render scale (pixels per point) for a page: the OCR resolution, lowered for oversized pages."""
    scale = limits.dpi / 72
    pixels = width_pt * scale * height_pt * scale
    if pixels > limits.max_pixels:
        scale *= (limits.max_pixels / pixels) ** 0.5
    return scale


def pgm(width: int, height: int, stride: int, grey: bytes | memoryview) -> bytes:
    """Raw 8-bit grey pixels (rows `stride` bytes apart) as a binary PGM image, which Tesseract reads."""
    header = b"P5\n%d %d\n255\n" % (width, height)
    if stride == width:
        return header + bytes(grey[: width * height])
    view = memoryview(grey)
    return header + b"".join(view[row * stride : row * stride + width] for row in range(height))


def ocr_pages(
    page_numbers: list[int],
    render: Callable[[int], bytes],
    name: str,
    limits: OcrLimits | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> dict[int, str]:
    """OCR the given pages (render(n) -> PGM bytes); return {page number: text}.

    Raises LetterError: NEEDS_OCR when Tesseract is not installed, TOO_LARGE past the page limit,
    OCR_FAILED when a page or the document runs out of time or Tesseract fails.
    """
    limits = limits or OcrLimits.from_environment()
    binary = tesseract_binary()
    if binary is None:
        raise LetterError(
            f"{name} is scanned (its pages are images with no text layer) and needs OCR, but Tesseract is not "
            f"installed: {INSTALL_HINT}, then upload the file again.",
            NEEDS_OCR,
        )
    if len(page_numbers) > limits.max_pages:
        raise LetterError(
            f"{name} has {len(page_numbers)} scanned pages; at most {limits.max_pages} pages are read by OCR. "
            "Upload the pages that hold the response.",
            TOO_LARGE,
        )
    deadline = time.monotonic() + limits.total_seconds
    total = len(page_numbers)
    results: dict[int, str] = {}
    queue: Iterable[int] = iter(page_numbers)
    with ThreadPoolExecutor(max_workers=limits.workers) as pool:
        pending: dict[Future, int] = {}

        def submit_next() -> None:
            number = next(queue, None)
            if number is not None:
                pending[pool.submit(_tesseract, binary, render(number), number, name, limits, deadline)] = (
                    number
                )

        for _ in range(limits.workers):
            submit_next()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                number = pending.pop(future)
                results[number] = future.result()  # a LetterError ends the document here
                if on_page:
                    on_page(len(results), total)
                submit_next()
    return results


def _limit_memory(pid: int, megabytes: int) -> None:
    ceiling = megabytes * 1024 * 1024
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (ceiling, ceiling))
    except (OSError, ValueError):  # not Linux, or the child already gone: the timeout still bounds it
        pass


def _tesseract(binary: str, image: bytes, number: int, name: str, limits: OcrLimits, deadline: float) -> str:
    timeout = min(limits.seconds_per_page, deadline - time.monotonic())
    if timeout <= 0:
        raise LetterError(
            f"{name}: OCR stopped after {limits.total_seconds} seconds, before page {number + 1}; "
            "the scan is too long or too detailed to read here.",
            OCR_FAILED,
        )
    # One thread per Tesseract: the pool already runs `workers` of them side by side.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1", "LC_ALL": "C"}
    # Tesseract waits for its image on stdin before allocating anything, so the ceiling set just after the
    # start applies to all of its work (a preexec_fn would do the same but is unsafe with threads).
    process = subprocess.Popen(
        [binary, "stdin", "stdout", "-l", "eng", "--psm", "3"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    _limit_memory(process.pid, limits.memory_mb_per_process)
    try:
        out, err = process.communicate(image, timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise LetterError(
            f"{name}: OCR of page {number + 1} took longer than {int(timeout)} seconds and was stopped; "
            "the scan cannot be read here.",
            OCR_FAILED,
        ) from None
    if process.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {process.returncode}"]
        raise LetterError(f"{name}: OCR failed on page {number + 1} ({detail[0][:200]}).", OCR_FAILED)
    return out.decode("utf-8", "replace")
