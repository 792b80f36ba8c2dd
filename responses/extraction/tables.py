"""The extractor's rule tables, read from the tab-separated files in ``data/``.

One row a line; lines starting with ``#`` are comments; the first other line names the columns. Each file's
header says what its columns mean, and every row has an ``example`` that the tests read as the row's test
(``tests/responses/test_extraction_tables.py``): adding a ministerial title, an address, a former name, a
position or a promise cue is one row here, and its example is its test.

A malformed row is an error at import, naming the file and line: a table nobody can load must not turn into
an extractor that quietly finds nothing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


# Columns a row may leave empty: a note, the example (checked by the tests where a table needs one), and the
# period a row holds for (ministerial_titles.tsv: a portfolio that moved between departments).
OPTIONAL_COLUMNS = frozenset({"note", "example", "since", "until"})


class TableError(ValueError):
    """A row of a data table that cannot be read."""


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    path = DATA / name
    rows, header = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise TableError(f"{name}:{number}: {len(cells)} columns, the header has {len(header)}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        for column in header:
            if column not in OPTIONAL_COLUMNS and not row[column]:
                raise TableError(f"{name}:{number}: no {column}")
        row["_where"] = f"{name}:{number}"
        rows.append(row)
    return tuple(rows)


def words_pattern(words: str) -> str:
    """A regular expression for a phrase written as plain words in a table.

    Any run of white space (line breaks included) between words, "and" or "&" alike, either apostrophe,
    a hyphen or a space alike ("Under-Secretary", "Under Secretary"). Whole words only.
    """
    parts = []
    for word in words.split():
        if word.lower() in {"and", "&"}:
            parts.append(r"(?:and|&)")
            continue
        piece = re.escape(word).replace("'", "['\u2019]?")
        piece = piece.replace(r"\-", r"[-\s]?")
        parts.append(piece)
    return r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])"


def compile_words(words: str, flags: int = re.IGNORECASE) -> re.Pattern:
    return re.compile(words_pattern(words), flags)
