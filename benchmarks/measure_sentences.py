"""Sentence boundaries on real letters: the extractor's splitter against maintained segmenters.

    .venv/bin/python benchmarks/measure_sentences.py [--repeat 5]

The segmenters are not dependencies of the project (the measurement kept the extractor's own splitter);
to re-run the comparison install them first: .venv/bin/pip install pysbd sentencex syntok nupunkt.
Those not installed are skipped.

For every annotated real letter (tests/real, tests/real_b, tests/real_c, /work/shared/real) the letter is
read and normalised as extract() does, split into paragraphs by the layout, and each paragraph into
sentences by each splitter. A gold quote "fits" when its words appear, in order, inside the words of one
predicted sentence (a quote split across two sentences cannot be matched whole by the extractor); since a
splitter that merges sentences fits everything, the telling figure is the second: of the gold quotes that
are whole sentences (capital first, full stop last), how many open a predicted sentence. Speed:
median time to split every paragraph of a letter, per splitter. It prints figures; it is not a test.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from responses.extraction import normalise, read_letter  # noqa: E402
from responses.extraction.layout import analyse, sentence_spans  # noqa: E402
from tests.responses import extraction_scoring as scoring  # noqa: E402

SETS = {
    "shared-real": (Path("/work/shared/real/letters"), Path("/work/shared/real/gold")),
    "real-a": (ROOT / "tests/real/letters", ROOT / "tests/real/gold"),
    "real-b": (ROOT / "tests/real_b/letters", ROOT / "tests/real_b/gold"),
    "real-c": (ROOT / "tests/real_c/letters", ROOT / "tests/real_c/gold"),
}
WORD = re.compile(r"[a-z0-9£]+")


def words(text: str) -> str:
    return " ".join(WORD.findall(text.lower().replace("\u2019", "'")))


def letter_text(letters: Path, source: str) -> str:
    path = letters / source
    stored = ROOT / "tests" / "real" / "ocr" / f"{path.stem}.txt"
    if path.suffix.lower() == ".pdf" and stored.exists():
        return normalise(stored.read_text(encoding="utf-8"))
    return normalise(read_letter(path.read_bytes(), path.name))


def _offsets(text: str, start: int, pieces) -> list[tuple[int, int]]:
    """Offsets of the pieces a segmenter returned as strings, found in order in the text."""
    spans, cursor = [], start
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:
            continue
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def pysbd_spans(text, start, end):
    import pysbd

    segmenter = pysbd_spans.__dict__.setdefault(
        "segmenter", pysbd.Segmenter(language="en", clean=False, char_span=True)
    )
    return [(start + s.start, start + s.end) for s in segmenter.segment(text[start:end])]


def sentencex_spans(text, start, end):
    import sentencex

    return _offsets(text, start, sentencex.segment("en", text[start:end]))


def syntok_spans(text, start, end):
    import syntok.segmenter as segmenter

    chunk, spans = text[start:end], []
    for paragraph in segmenter.analyze(chunk):
        for sentence in paragraph:
            first, last = sentence[0], sentence[-1]
            spans.append((start + first.offset, start + last.offset + len(last.value)))
    return spans


def nupunkt_spans(text, start, end):
    import nupunkt

    return [(start + a, start + b) for a, b in nupunkt.sent_spans(text[start:end])]


def split_all(layout, splitter) -> list[str]:
    out = []
    for para in layout.paragraphs:
        out += [layout.text[a:b] for a, b in splitter(layout.text, para.start, para.end)]
    return out


def _opens_sentence(quote: str) -> bool:
    """A quote that reads as a whole sentence: capital first letter, full stop last."""
    quote = quote.strip()
    return bool(quote) and quote[0].isupper() and quote.endswith(".")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    splitters = {
        "current": sentence_spans,
        "pysbd": pysbd_spans,
        "sentencex": sentencex_spans,
        "syntok": syntok_spans,
        "nupunkt": nupunkt_spans,
    }
    missing = set()
    for name, splitter in list(splitters.items()):
        try:
            splitter("Probe. Text.", 0, 12)
        except ImportError:
            missing.add(name)
            del splitters[name]
    starts = {name: 0 for name in splitters}
    fits = {name: 0 for name in splitters}
    fits_core = {name: 0 for name in splitters}
    times = {name: [] for name in splitters}
    quotes = core = letters_n = openers = 0
    for letters, gold_dir in SETS.values():
        if not gold_dir.exists():
            continue
        for _, gold in scoring.gold_files(gold_dir):
            layout = analyse(letter_text(letters, gold["source"]))
            letters_n += 1
            for name, splitter in splitters.items():
                elapsed = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    sentences = split_all(layout, splitter)
                    elapsed.append((time.perf_counter() - started) * 1000)
                times[name].append(statistics.median(elapsed))
                keys = [words(s) for s in sentences]
                for commitment in gold["commitments"]:
                    quote = words(commitment["text"])
                    inside = bool(quote) and any(quote in key for key in keys)
                    fits[name] += inside
                    fits_core[name] += inside and bool(commitment.get("core"))
                    if _opens_sentence(commitment["text"]):
                        starts[name] += any(key.startswith(quote) for key in keys)
            openers += sum(1 for c in gold["commitments"] if _opens_sentence(c["text"]))
            quotes += len(gold["commitments"])
            core += sum(1 for c in gold["commitments"] if c.get("core"))
    print(f"{letters_n} real letters, {quotes} gold quotes ({core} core)")
    for name in [*splitters, *sorted(missing)]:
        if name in missing:
            print(f"{name:<16} not installed")
            continue
        print(
            f"{name:<16} quotes inside one sentence {fits[name]}/{quotes} ({fits[name] / quotes:.3f}), "
            f"core {fits_core[name]}/{core}; whole-sentence quotes opening a sentence "
            f"{starts[name]}/{openers} ({starts[name] / openers:.3f}); splitting a letter: median "
            f"{statistics.median(times[name]):.2f} ms, max {max(times[name]):.1f} ms"
        )


if __name__ == "__main__":
    main()
