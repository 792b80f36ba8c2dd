"""Bulk ingestion of letter files and folders: drafts for review, or confirmed with --approve."""

import datetime
import logging
import multiprocessing
import os
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from responses.ingestion import (
    DepartmentDirectory,
    DuplicateLetter,
    IngestionError,
    ReadLetter,
    ingest,
    read_and_extract,
)

LETTER_SUFFIXES = {".txt", ".pdf", ".docx"}
logger = logging.getLogger(__name__)


def _is_letter_file(path):
    # Hidden files and Word's lock files ("~$letter.docx") sit beside letters but are not letters.
    return path.is_file() and path.suffix.lower() in LETTER_SUFFIXES and not path.name.startswith((".", "~$"))


def letter_files(paths):
    """Files named on the command line (whatever their type: the reader says why a file is refused) and
    the .txt, .pdf and .docx files found by recursing into folders, in a stable order."""
    found, missing = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if _is_letter_file(p)))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(path)
    return list(dict.fromkeys(found)), missing


# Reading and extraction are CPU work with no database: worker processes do them while this process writes
# the previous letters to the database. Small runs are not worth the workers' start-up.
MIN_FILES_FOR_WORKERS = 20
_worker_rows = None


def _start_worker(department_rows):
    global _worker_rows
    _worker_rows = department_rows


def _read_in_worker(path):
    try:
        return read_and_extract(Path(path).read_bytes(), Path(path).name, _worker_rows)
    except Exception:  # the main process reads it again and reports why
        return None


def read_files(files, department_rows, jobs):
    """(path, ReadLetter or None) for each file, in order; read by `jobs` worker processes when asked."""
    if jobs < 1 or len(files) < MIN_FILES_FOR_WORKERS:
        yield from ((path, None) for path in files)
        return
    if not any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        # A forked worker must not share this process's database connection: close it, and the next query
        # reconnects. (Inside a transaction, as under a test, it stays open; workers never touch it.)
        connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_worker, initargs=(department_rows,)) as pool:
        yield from zip(files, pool.imap(_read_in_worker, [str(p) for p in files], chunksize=4), strict=True)


class Command(BaseCommand):
    help = (
        "Ingest response letters (.txt, .pdf, .docx; folders are searched recursively). Without --approve "
        "each letter is stored as a draft for an editor to review in the admin; with --approve the "
        "extractor's proposals are confirmed as they are. Exits non-zero when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--approve", action="store_true", help="Confirm what the extractor found, without review."
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Letter date for letters in which no date is recognised (otherwise they fail).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="Worker processes that read and extract files while this one writes (0: none).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        files, missing = letter_files(options["paths"])
        failures = [(path, "no such file or folder") for path in missing]
        totals = Counter()
        duplicates = []
        directory = DepartmentDirectory.load()
        progress = tqdm(
            read_files(files, directory.rows, options["jobs"]),
            total=len(files),
            desc="Ingesting",
            unit="letter",
            file=sys.stderr,
            disable=options["no_progress"] or None,
        )
        for path, read in progress:
            try:
                data = path.read_bytes()
            except OSError as exc:
                failures.append((path, f"cannot be opened: {exc.strerror or exc}"))
                continue
            try:
                result = ingest(
                    data,
                    path.name,
                    approve=options["approve"],
                    directory=directory,
                    default_date=options["date"],
                    read=read if isinstance(read, ReadLetter) else None,
                )
            except DuplicateLetter as exc:
                duplicates.append((path, exc.existing))
                continue
            except IngestionError as exc:
                failures.append((path, f"{exc.message} [{exc.code}]"))
                continue
            except Exception as exc:  # one file must not stop the run; its transaction was rolled back
                logger.exception("ingesting %s failed", path)
                failures.append((path, f"unexpected error: {exc.__class__.__name__}: {exc}"))
                continue
            totals["letters"] += 1
            totals["commitments"] += result.commitments
            totals["dated"] += result.dated
            totals["vague"] += result.vague
        progress.close()
        self._summary(totals, duplicates, failures, options["approve"])
        if failures:
            raise CommandError(f"{len(failures)} of {len(files) + len(missing)} file(s) failed")

    def _summary(self, totals, duplicates, failures, approve):
        state = "confirmed" if approve else "stored as drafts for review"
        lines = [
            f"Letters ingested: {totals['letters']} ({state})",
            f"Commitments: {totals['commitments']} (dated {totals['dated']}, vague {totals['vague']}, "
            f"undated {totals['commitments'] - totals['dated'] - totals['vague']})",
            f"Duplicates skipped: {len(duplicates)}",
        ]
        lines += [f"  {path}: already ingested as letter {existing.pk}" for path, existing in duplicates]
        lines.append(f"Failures: {len(failures)}")
        lines += [f"  {path}: {reason}" for path, reason in failures]
        self.stdout.write("\n".join(lines))
