"""Score the extractor on every annotated set at once, in one process (prints figures; it is not a test).

    .venv/bin/python benchmarks/score_sets.py                 # every set, one line each
    .venv/bin/python benchmarks/score_sets.py real-a -v       # one set, with misses / false positives / dates
    .venv/bin/python benchmarks/score_sets.py --naive         # the naive baseline on the same sets
    .venv/bin/python benchmarks/score_sets.py --markdown      # a table for docs/real-letters.md

Sets: shared-real (/work/shared/real, when present), real-a (tests/real), real-b (tests/real_b), real-c
(tests/real_c), seeds (/work/shared/seeds), letters (tests/letters), heldout (tests/heldout). Scoring is the shared
scorer's (/work/shared/tools/score_extraction.py) when it is present, else the same algorithm from
tests/responses/extraction_scoring.py. The scanned Post Office response is read from its PDF (OCR) unless
--ocr-text is given, which reads Tesseract's stored text instead (tests/real/ocr/, the text it was annotated
from) to save a minute while iterating.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.responses import extraction_scoring as local  # noqa: E402

SHARED = Path("/work/shared")
SETS = {
    "shared-real": (SHARED / "real" / "letters", SHARED / "real" / "gold"),
    "real-a": (ROOT / "tests" / "real" / "letters", ROOT / "tests" / "real" / "gold"),
    "real-b": (ROOT / "tests" / "real_b" / "letters", ROOT / "tests" / "real_b" / "gold"),
    "real-c": (ROOT / "tests" / "real_c" / "letters", ROOT / "tests" / "real_c" / "gold"),
    "seeds": (SHARED / "seeds", SHARED / "gold"),
    "letters": (ROOT / "tests" / "letters", ROOT / "tests" / "letters" / "gold"),
    "heldout": (ROOT / "tests" / "heldout" / "letters", ROOT / "tests" / "heldout" / "gold"),
}


def predict(path: Path, naive: bool, ocr_text: bool) -> dict:
    if naive:
        import naive_baseline

        return naive_baseline.extract(path)
    from responses.extraction import extract, extract_file

    stored = ROOT / "tests" / "real" / "ocr" / f"{path.stem}.txt"
    if ocr_text and path.suffix.lower() == ".pdf" and stored.exists():
        return extract(stored.read_text(encoding="utf-8"), source=path.name).to_schema()
    return extract_file(path).to_schema()


def score_set(name, naive=False, ocr_text=False, verbose=False):
    letters, gold_dir = SETS[name]
    if not gold_dir.exists():
        return None
    scorer = local.shared_scorer() or local
    results, elapsed = [], 0.0
    for gold_path, gold in local.gold_files(gold_dir):
        started = time.perf_counter()
        pred = predict(letters / gold["source"], naive, ocr_text)
        elapsed += time.perf_counter() - started
        result = scorer.score_letter(pred, gold)
        structure = local.score_structure(pred, gold)
        result.update({k: v for k, v in structure.items() if k != "wrong_positions"})
        results.append(result)
        if verbose:
            print(
                f"  {gold_path.stem}: date {'ok' if result['date_ok'] else 'WRONG ' + str(pred.get('letter_date'))}"
                f"  depts {pred.get('departments')}  core {result['core_found']}/{result['core']}"
                f"  predicted {result['pred']} ({result['pred_matched']} matched)"
                f"  dates {result['dated_right']}/{result['dated']}"
            )
            for text in result["missed"]:
                print(f"      missed: {text}")
            for text in result["false"]:
                print(f"      not in gold: {text}")
            for text, want, got in result["wrong_dates"]:
                print(f"      wrong date: {text!r} gold {want} got {got}")
            for number, want, got in structure["wrong_positions"]:
                print(f"      wrong position: {number} gold {want} got {got}")
    figures = local.summary(local.totals_of(results), len(results))
    figures["seconds"] = elapsed
    return figures


def line(name, f):
    return (
        f"{name:<12} letters {f['letters']:>2}  letter dates {f['letter_dates']}/{f['letters']}"
        f"  depts P {f['dept_p']:.2f} R {f['dept_r']:.2f}  recall {f['recall']:.2f} ({f['core_found']}/{f['core']})"
        f"  precision {f['precision']:.2f} ({f['pred_matched']}/{f['pred']})  F1 {f['f1']:.2f}"
        f"  due dates {f['dated_right']}/{f['dated']}  concerns {f['concerns']}"
        f"  positions {f['positions']}  sections {f['sections']}  {f['seconds']:.1f}s"
    )


def markdown_row(name, f):
    return (
        f"| {name} | {f['letter_dates']}/{f['letters']} | {f['dept_p']:.2f} / {f['dept_r']:.2f} "
        f"| {f['recall']:.2f} ({f['core_found']}/{f['core']}) | {f['precision']:.2f} ({f['pred_matched']}/{f['pred']}) "
        f"| {f['f1']:.2f} | {f['dated_right']}/{f['dated']} ({f['dated_right'] / f['dated'] if f['dated'] else 1:.2f}) |"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sets", nargs="*", default=list(SETS))
    parser.add_argument("--naive", action="store_true", help="score the naive baseline instead")
    parser.add_argument(
        "--ocr-text", action="store_true", help="read the scan's stored OCR text, not its PDF"
    )
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.markdown:
        print("| set | letter dates | departments P / R | core recall | precision | F1 | due dates right |")
        print("|---|---|---|---|---|---|---|")
    for name in args.sets:
        figures = score_set(name, args.naive, args.ocr_text, args.verbose)
        if figures is None:
            print(f"{name:<12} (not here)")
        elif args.markdown:
            print(markdown_row(name, figures))
        else:
            print(line(name, figures), flush=True)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    main()
