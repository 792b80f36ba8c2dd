"""Hostile files (made by benchmarks/hostile_files.py, never committed): each refused clearly or read.

Time and peak memory per file are measured by the benchmark (docs/benchmarks.md, "Hostile files"), not
here; these tests hold what comes of each file, and that the worst of them cannot take the process down.
"""

import pytest

from benchmarks.hostile_files import CORPUS, build
from responses.extraction import LetterError, extract, read_letter_bounded

# The 18 MB Word file (9 s) and the 20 MB texts are left to the benchmark; everything else is here.
NAMES = [
    "zip-bomb.docx",
    "expands-200mb.docx",
    "many-entries.docx",
    "200k-short-lines.txt",
    "over-20mb.txt",
    "utf16-letter.txt",
    "nul-bytes.txt",
    "random-binary.bin",
    "5000-blank-pages.pdf",
    "1000-blank-pages.pdf",
    "100-scanned-pages.pdf",
    "stream-bomb-300mb.pdf",
    "broken-xref.pdf",
    "truncated.pdf",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("hostile"), NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_hostile_file_is_refused_clearly_or_read(corpus, name):
    expected = CORPUS[name][1]
    data = corpus[name].read_bytes()
    if expected == "read":
        text = read_letter_bounded(data, name)
        assert text.strip()
        extract(text, source=name)
        return
    with pytest.raises(LetterError) as caught:
        read_letter_bounded(data, name)
    assert caught.value.code == expected
    assert name in caught.value.message


def test_a_file_that_needs_too_much_memory_is_stopped_with_a_clear_message(corpus):
    """A 600 KB PDF whose page inflates to 300 MB of drawing: without the ceiling, pdfium took 11 GB."""
    with pytest.raises(LetterError) as caught:
        read_letter_bounded(corpus["stream-bomb-300mb.pdf"].read_bytes(), "stream-bomb-300mb.pdf")
    assert "needs more than" in caught.value.message and "MB of memory" in caught.value.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(corpus):
    with pytest.raises(LetterError) as caught:
        read_letter_bounded(corpus["zip-bomb.docx"].read_bytes(), "zip-bomb.docx")
    assert "unpacks to" in caught.value.message and "not accepted" in caught.value.message
