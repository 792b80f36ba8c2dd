"""Score the deadline resolver on real sentences (tests/real/deadline_sentences.tsv) and the held-out cases.

    .venv/bin/python benchmarks/eval_deadlines_real.py          # summary, misses and the held-out figure
    .venv/bin/python benchmarks/eval_deadlines_real.py -q       # summary only

A sentence counts as right when the three things the tracker keeps are right, as in benchmarks/eval_heldout.py:
``due_latest`` equal, ``precision`` one of the accepted values (the TSV lists alternatives with "|" where the
conventions leave it open; see ``alternatives``) and the phrase, loosely (one of expected/found contains the other, ignoring case;
an expected empty phrase needs an empty one; leading prepositions and articles are
not compared). ``due_earliest`` is reported apart: it is not scored.

The TSV's columns: source (where the sentence comes from: ``gold:<file>`` a gold commitment, ``text:<file>``
another sentence of that document, ``pfd-response:<ref>`` / ``pfd-concerns:<ref>`` a PFD report's section),
ref_date and ref_precision (the letter's date and whether the letter gives a day, only a month or only a
year), sentence, phrase, due_earliest, due_latest, precision, note, batch (1: the sentences collected first, 2: those
of the real letters landed later, each scored before any rule was changed for it). Expected values were written by hand (or
copied from the gold annotations) before the resolver was run on them; see docs/real-letters.md.
"""

import inspect
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL = ROOT / "tests" / "real" / "deadline_sentences.tsv"


def load(path=REAL):
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        row = dict(zip(header, line.split("\t"), strict=True))
        row["line"] = n
        rows.append(row)
    return rows


# Words that join a phrase to its sentence rather than time it ("by", "in the", "due for publication in"): the
# annotators and the resolver draw the phrase's left edge differently, so the comparison starts after them.
_LEAD = re.compile(
    r"^(?:(?:by|in|on|at|from|for|to|until|before|during|over|within|the|a|an|due|and|this)\s+)+"
)


def phrase_ok(expected, got):
    e, g = (expected or "").lower().strip(" ."), (got or "").lower().strip(" .")
    if not e:
        return not g
    if not g:
        return False
    e, g = _LEAD.sub("", e) or e, _LEAD.sub("", g) or g
    return e in g or g in e


def _iso(value):
    return value.isoformat() if isinstance(value, date) else (value or "")


def resolver():
    from responses.deadlines import resolve

    takes_precision = "reference_precision" in inspect.signature(resolve).parameters

    def run(text, ref, ref_precision):
        if takes_precision:
            return resolve(text, ref, reference_precision=ref_precision)
        return resolve(text, ref)

    return run


def alternatives(row):
    """The expected answers of a row: (phrase, due_earliest, due_latest, precision) tuples.

    A column may list alternatives separated by "|" where the conventions leave the answer open ("-" for an
    empty value); alternatives are paired by position, and a column with one value holds for all of them. The
    old form, one phrase and due date with precisions "day|year", is the same rule.
    """
    columns = [row[c].split("|") for c in ("phrase", "due_earliest", "due_latest", "precision")]
    n = max(len(c) for c in columns)
    for c in columns:
        if len(c) not in (1, n):
            raise ValueError(f"line {row['line']}: alternatives of different lengths")
    return [
        tuple(
            "" if (c[i if len(c) > 1 else 0]).strip() == "-" else c[i if len(c) > 1 else 0].strip()
            for c in columns
        )
        for i in range(n)
    ]


def score(rows, run):
    results = []
    for row in rows:
        ref = date.fromisoformat(row["ref_date"])
        try:
            got = run(row["sentence"], ref, row.get("ref_precision") or "day")
            g = {
                "phrase": got.phrase or "",
                "due_earliest": _iso(got.due_earliest),
                "due_latest": _iso(got.due_latest),
                "precision": got.precision,
            }
        except Exception as exc:  # a crash is a miss on every field, and is shown
            g = {"phrase": f"<raised {exc!r}>", "due_earliest": "", "due_latest": "", "precision": ""}
        ok = {"due": False, "precision": False, "phrase": False, "all": False, "earliest": False}
        for phrase, earliest, latest, precision in alternatives(row):
            this = {
                "due": g["due_latest"] == latest,
                "precision": g["precision"] == precision,
                "phrase": phrase_ok(phrase, g["phrase"]),
            }
            this["all"] = all(this.values())
            this["earliest"] = g["due_earliest"] == earliest
            if this["all"] or not ok["all"] and sum(this.values()) > sum(ok.values()):
                ok = this
        results.append((row, g, ok))
    return results


def group(row):
    kind = row["source"].split(":")[0]
    timed = "timed" if row["precision"].split("|")[0] != "none" else "untimed"
    return kind, timed, f"batch {row.get('batch') or '-'}"


def report(results, quiet=False, title="real sentences"):
    total = len(results)
    counts = Counter()
    by = defaultdict(Counter)
    for row, _g, ok in results:
        for k, v in ok.items():
            counts[k] += v
        for key in group(row):
            by[key]["n"] += 1
            by[key]["all"] += ok["all"]
    if not quiet:
        for row, g, ok in results:
            if ok["all"]:
                continue
            wrong = ", ".join(k for k in ("due", "precision", "phrase") if not ok[k])
            print(
                f"  line {row['line']} [{row['source']} {row['ref_date']} {row['ref_precision']}] {row['sentence'][:160]}\n"
                f"      expected {row['phrase'] or '-'!r} {row['due_latest'] or '-'} {row['precision']}"
                f"   got {g['phrase'] or '-'!r} {g['due_latest'] or '-'} {g['precision'] or '-'}   ({wrong})"
            )
    print(
        f"{title}: {total}  all three {counts['all']}/{total} ({counts['all'] / total:.3f})"
        f"  due_latest {counts['due']}/{total}  precision {counts['precision']}/{total}"
        f"  phrase {counts['phrase']}/{total}  (due_earliest, not scored: {counts['earliest']}/{total})"
    )
    print("  by group: " + "  ".join(f"{k} {v['all']}/{v['n']}" for k, v in sorted(by.items())))
    return counts["all"], total


def heldout(run):
    rows = []
    for n, line in enumerate((ROOT / "tests" / "heldout" / "deadline_cases.tsv").read_text().splitlines(), 1):
        if not line.strip():
            continue
        ref, sentence, phrase, due, precision = line.split("\t")
        rows.append(
            {"line": n, "source": "heldout", "ref_date": ref, "ref_precision": "day", "sentence": sentence,
             "phrase": phrase, "due_earliest": "", "due_latest": due, "precision": precision}
        )  # fmt: skip
    return rows


def main(argv):
    quiet = "-q" in argv
    run = resolver()
    right, total = report(score(load(), run), quiet=quiet)
    report(score(heldout(run), run), quiet=quiet, title="held-out cases (tests/heldout/deadline_cases.tsv)")
    return 0 if right / total >= 0.97 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
