"""Held-out evaluation of letter extraction and the deadline resolver (prints figures; it is not a test).

    .venv/bin/python benchmarks/eval_heldout.py            # both parts
    .venv/bin/python benchmarks/eval_heldout.py letters    # only the extractor on tests/heldout/letters
    .venv/bin/python benchmarks/eval_heldout.py deadlines  # only the resolver on tests/heldout/deadline_cases.tsv
    .venv/bin/python benchmarks/eval_heldout.py fields     # fields the scorer does not score (names, report types)

The letters and the deadline cases were written blind to the implementation, in the style of letters from
departments and kinds of report the seed set does not cover. Part (a) runs the shared scorer
(../shared/tools/score_extraction.py) with the extractor command; part (b) calls responses.deadlines.resolve
in-process on each case and compares due_latest, precision (the TSV may list accepted alternatives with "|",
where the conventions leave precision open, e.g. for durations) and the phrase, loosely: right when one of
expected/predicted contains the other, ignoring case.
"""

import json
import re
import shlex
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HELDOUT = ROOT / "tests" / "heldout"
SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"
COMMAND = f"{ROOT / '.venv' / 'bin' / 'python'} manage.py extract_letter {{file}} --format json"


def run_letters():
    print("== (a) extraction on held-out letters", flush=True)
    done = subprocess.run(
        [sys.executable, str(SCORER), "--letters", str(HELDOUT / "letters"), "--gold", str(HELDOUT / "gold"),
         "--command", COMMAND, "-v"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    print(done.stdout, end="")
    if done.returncode:
        print(done.stderr[-2000:], end="")


def canon(text):
    return " ".join(re.findall(r"[a-z0-9]+", (text or "").lower()))


def dice(a, b):
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def run_fields():
    """Signatory and addressee names, report types and dates, concern numbers and texts: the scorer skips these."""
    print("== (c) fields the scorer does not score", flush=True)
    totals = defaultdict(lambda: [0, 0])
    for gold_path in sorted((HELDOUT / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text())
        letter = HELDOUT / "letters" / gold["source"]
        done = subprocess.run(COMMAND.replace("{file}", shlex.quote(str(letter))), shell=True, cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
        try:
            pred = json.loads(done.stdout)
        except ValueError:
            print(f"{gold_path.stem}: extractor failed: {done.stderr.strip()[-300:]}")
            pred = {}
        problems = []

        def check(name, expected, got, problems=problems):
            totals[name][1] += 1
            if expected == got:
                totals[name][0] += 1
            else:
                problems.append(f"{name}: expected {expected!r} got {got!r}")

        check("signatory names", sorted(canon(s["name"]) for s in gold["signatories"]),
              sorted(canon(s.get("name")) for s in pred.get("signatories") or []))  # fmt: skip
        check("signatory roles", sorted(canon(s["role"]) for s in gold["signatories"]),
              sorted(canon(s.get("role")) for s in pred.get("signatories") or []))  # fmt: skip
        check(
            "addressee name",
            canon(gold["addressee"]["name"]),
            canon((pred.get("addressee") or {}).get("name")),
        )
        check(
            "addressee role",
            canon(gold["addressee"]["role"]),
            canon((pred.get("addressee") or {}).get("role")),
        )
        check("report types", sorted(r["type"] for r in gold["reports"]),
              sorted(r.get("type") for r in pred.get("reports") or []))  # fmt: skip
        check("report dates", sorted(r["report_date"] or "" for r in gold["reports"]),
              sorted(r.get("report_date") or "" for r in pred.get("reports") or []))  # fmt: skip
        pred_concerns = pred.get("concerns") or []
        check("concern numbers", sorted(str(c["number"]) for c in gold["concerns"]),
              sorted(str(c.get("number")) for c in pred_concerns))  # fmt: skip
        # a concern's text counts as right when its words overlap the gold text's by 80% (Dice), so a trailing
        # "; and" or a dropped quotation mark does not count against it
        pred_texts = [set(canon(c.get("text")).split()) for c in pred_concerns]
        right = sum(
            1
            for c in gold["concerns"]
            if any(dice(set(canon(c["text"]).split()), p) >= 0.8 for p in pred_texts)
        )
        check("concern texts", len(gold["concerns"]), right)
        print(f"{gold_path.stem}: " + ("ok" if not problems else "\n    " + "\n    ".join(problems)))
    print("  ".join(f"{name} {ok}/{n}" for name, (ok, n) in totals.items()))


def field(result, name):
    value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
    return value.isoformat() if isinstance(value, date) else (value or "")


def load_cases():
    cases = []
    for n, line in enumerate((HELDOUT / "deadline_cases.tsv").read_text().splitlines(), 1):
        if not line.strip():
            continue
        ref, sentence, phrase, due, precision = line.split("\t")
        cases.append((n, date.fromisoformat(ref), sentence, phrase, due, set(precision.split("|"))))
    return cases


def phrase_ok(expected, got):
    e, g = expected.lower().strip(" ."), got.lower().strip(" .")
    if not e:
        return not g
    return bool(g) and (e in g or g in e)


def run_deadlines():
    from responses.deadlines import resolve

    print("== (b) deadline resolver on held-out sentences", flush=True)
    cases = load_cases()
    due_right = prec_right = phrase_right = all_right = 0
    misses = defaultdict(list)
    for n, ref, sentence, phrase, due, precisions in cases:
        try:
            got = resolve(sentence, ref)
        except Exception as exc:  # a crash counts as a miss on every field
            got = {"phrase": f"<raised {exc!r}>", "due_latest": "", "precision": ""}
        g_due, g_prec, g_phrase = field(got, "due_latest"), field(got, "precision"), field(got, "phrase")
        d_ok, p_ok, ph_ok = g_due == due, g_prec in precisions, phrase_ok(phrase, g_phrase)
        due_right += d_ok
        prec_right += p_ok
        phrase_right += ph_ok
        all_right += d_ok and p_ok and ph_ok
        if not (d_ok and p_ok and ph_ok):
            kind = "/".join(sorted(precisions)) if len(precisions) == 1 else "|".join(sorted(precisions))
            misses[kind].append(
                f"  line {n} [{ref}] {sentence}\n"
                f"      expected {phrase or '-'!r} {due or '-'} {'|'.join(sorted(precisions))}"
                f"   got {g_phrase or '-'!r} {g_due or '-'} {g_prec or '-'}"
                f"   ({', '.join(x for x, ok in (('due', d_ok), ('precision', p_ok), ('phrase', ph_ok)) if not ok)})"
            )
    total = len(cases)
    for kind in sorted(misses):
        print(f"-- misses, expected precision {kind}: {len(misses[kind])}")
        print("\n".join(misses[kind]))
    print(
        f"deadline cases {total}  due_latest {due_right}/{total} ({due_right / total:.2f})"
        f"  precision {prec_right}/{total} ({prec_right / total:.2f})"
        f"  phrase {phrase_right}/{total} ({phrase_right / total:.2f})"
        f"  all three {all_right}/{total} ({all_right / total:.2f})"
    )


def main():
    parts = set(sys.argv[1:]) or {"letters", "deadlines", "fields"}
    if "letters" in parts:
        run_letters()
    if "fields" in parts:
        run_fields()
    if "deadlines" in parts:
        run_deadlines()


if __name__ == "__main__":
    main()
