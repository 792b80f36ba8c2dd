"""read_letter() in a child process with a memory ceiling and a time limit.

Why a child process: some files are small but cost enormous work inside a parser we do not control. A PDF
whose 600 KB content stream inflates to 300 MB of drawing commands made pdfium take 92 s and 11 GB; a
Python-level check cannot see that coming. The child gets an address-space ceiling (RLIMIT_AS) and a
deadline: past either, it is stopped and the file refused with a clear message, and the caller (a web
request's task, a bulk-ingestion worker) is unharmed. Progress from the reader (OCR page n of m) comes back
over the same pipe as the result.

The child is forked, so it starts at once with the parent's modules loaded (a few milliseconds).
"""

import faulthandler
import os
import resource
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from .errors import OCR_FAILED, TOO_LARGE, LetterError
from .ocr import OcrLimits
from .reading import Progress, read_letter


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class ReadingLimits:
    """Memory the reading may add to the process it starts from, and how long it may take in all."""

    memory_mb: int = 384  # over the interpreter it starts from: reading a 68-page PDF needs about 60 MB
    seconds: int = 360  # OCR's own budget (300 s by default) plus reading the text layer

    @classmethod
    def from_environment(cls) -> "ReadingLimits":
        ocr_seconds = OcrLimits.from_environment().total_seconds
        return cls(
            memory_mb=_env_int("READING_MEMORY_MB", cls.memory_mb),
            seconds=_env_int("READING_SECONDS", ocr_seconds + 60),
        )


def _address_space() -> int:
    """The current process's virtual size in bytes (the ceiling is set above it, not from zero)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: a generous guess at an interpreter with Django loaded
        return 512 * 1024 * 1024


def _child(connection, data: bytes, filename: str, memory_mb: int) -> None:
    # pdfium aborts when an allocation fails under the ceiling; that is an expected end here, so no dump of
    # Python's stack to the log (pytest and some servers turn faulthandler on).
    faulthandler.disable()
    ceiling = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    try:
        text = read_letter(data, filename, lambda *step: connection.send(("progress", step)))
        connection.send(("text", text))
    except LetterError as exc:
        connection.send(("refused", (exc.message, exc.code)))
    except MemoryError:
        connection.send(("memory", None))
    except BaseException as exc:  # a bug in the reader: carried to the parent, which raises it
        connection.send(("bug", f"{exc.__class__.__name__}: {exc}"))
    finally:
        connection.close()


def read_letter_bounded(
    data: bytes, filename: str, on_progress: Progress | None = None, limits: ReadingLimits | None = None
) -> str:
    """read_letter(), in a forked child bounded in memory and time. Same result, same LetterErrors, plus
    TOO_LARGE when the file needs more memory than allowed and OCR_FAILED when it runs out of time."""
    limits = limits or ReadingLimits.from_environment()
    name = os.path.basename(filename or "") or "the file"
    # os.fork, not multiprocessing.Process: the bulk command reads in a multiprocessing pool, whose daemonic
    # workers multiprocessing forbids to have children.
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        status = 0
        try:
            _child(Connection(write_end, readable=False), data, filename, limits.memory_mb)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    receiver = Connection(read_end, writable=False)
    outcome = None
    try:
        deadline = time.monotonic() + limits.seconds
        while outcome is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LetterError(
                    f"{name} took longer than {limits.seconds} seconds to read and was stopped; it is too "
                    "long or too complex to read here.",
                    OCR_FAILED,
                )
            if not receiver.poll(min(remaining, 1.0)):
                continue
            try:
                kind, value = receiver.recv()
            except EOFError:  # the child died without a word: killed by the ceiling inside native code
                break
            if kind == "progress":
                if on_progress:
                    on_progress(*value)
            else:
                outcome = (kind, value)
    finally:
        receiver.close()
        _reap(pid)
    if outcome is None or outcome[0] == "memory":
        raise LetterError(
            f"{name} needs more than {limits.memory_mb:,} MB of memory to read, so it was not read; it is too "
            "complex to be a letter (a page of millions of drawing commands, say). Save it again as a plain "
            "PDF or as text.",
            TOO_LARGE,
        )
    kind, value = outcome
    if kind == "text":
        return value
    if kind == "refused":
        raise LetterError(*value)
    raise RuntimeError(f"reading {name} failed in its child process: {value}")


def _reap(pid: int) -> None:
    """Make sure the child is gone (killed if still running, e.g. past the deadline) and reaped."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass
