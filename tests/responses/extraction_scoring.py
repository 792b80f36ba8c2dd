"""The shared scorer's matching and scoring (/work/shared/tools/score_extraction.py), for a clean clone.

CI's clean clone has no /work/shared, yet the regression test on tests/real must score the extractor the way the
shared scorer does. This is the same algorithm (word-overlap similarity, greedy one-to-one matching at 0.5,
recall over core commitments, a due date right when due_latest is equal); `test_extraction_real_letters.py`
checks it agrees with the shared scorer wherever that one is present.
"""

import importlib.util
import json
import re
from pathlib import Path

SHARED_SCORER = Path("/work/shared/tools/score_extraction.py")
WORD = re.compile(r"[a-z0-9£]+")


def words(text):
    return WORD.findall((text or "").lower().replace("\u2019", "'"))


def similarity(pred, gold):
    p, g = words(pred), words(gold)
    if not p or not g:
        return 0.0
    ps, gs = " ".join(p), " ".join(g)
    if gs in ps and len(p) <= 2.5 * len(g):
        return 1.0
    if ps in gs and len(p) >= 0.5 * len(g):
        return 0.9
    common = len(set(p) & set(g))
    return 2 * common / (len(set(p)) + len(set(g)))


def match(preds, golds, threshold=0.5):
    pairs = sorted(
        (
            (similarity(p.get("text", ""), g["text"]), i, j)
            for i, p in enumerate(preds)
            for j, g in enumerate(golds)
        ),
        reverse=True,
    )
    used_p, used_g, out = set(), set(), {}
    for score, i, j in pairs:
        if score < threshold:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out[j] = i
    return out


def canon(name):
    return " ".join(words(name))


def score_letter(pred, gold):
    r = {}
    r["date_ok"] = pred.get("letter_date") == gold.get("letter_date")
    gd = {canon(d) for d in gold.get("departments", [])}
    pd = {canon(d) for d in pred.get("departments", []) or []}
    r["dept_tp"], r["dept_fp"], r["dept_fn"] = len(gd & pd), len(pd - gd), len(gd - pd)
    gnum = {c["number"] for c in gold.get("concerns", []) if c.get("number") is not None}
    pnum = {c.get("number") for c in pred.get("concerns", []) or [] if c.get("number") is not None}
    r["concern_n"], r["concern_ok"] = len(gnum), len(gnum & pnum)
    golds = gold["commitments"]
    preds = pred.get("commitments", []) or []
    m = match(preds, golds)
    core = [j for j, g in enumerate(golds) if g.get("core")]
    r["core"] = len(core)
    r["core_found"] = sum(1 for j in core if j in m)
    r["pred"] = len(preds)
    r["pred_matched"] = len(m)
    dated = [j for j in core if golds[j].get("due_latest")]
    r["dated"] = len(dated)
    r["dated_right"] = sum(
        1 for j in dated if j in m and preds[m[j]].get("due_latest") == golds[j]["due_latest"]
    )
    r["missed"] = [golds[j]["text"][:110] for j in core if j not in m]
    r["wrong_dates"] = [
        (golds[j]["text"][:70], golds[j]["due_latest"], preds[m[j]].get("due_latest"))
        for j in dated
        if j in m and preds[m[j]].get("due_latest") != golds[j]["due_latest"]
    ]
    matched_preds = set(m.values())
    r["false"] = [p.get("text", "")[:110] for i, p in enumerate(preds) if i not in matched_preds]
    return r


def _label(number):
    return None if number is None else str(number).strip().lower()


def score_structure(pred, gold):
    """What the shared scorer does not score: the position stated on each numbered recommendation
    (`concerns[].position`, where the gold gives the key) and, for each matched commitment whose gold has
    `concerns`, whether the predicted `concerns` (the recommendations whose response section it sits in) are
    the same numbers."""
    r = {"positions_n": 0, "positions_ok": 0, "sections_n": 0, "sections_ok": 0, "wrong_positions": []}
    predicted = {
        _label(c.get("number")): c.get("position")
        for c in pred.get("concerns", []) or []
        if c.get("number") is not None
    }
    for concern in gold.get("concerns", []):
        if "position" not in concern or concern.get("number") is None:
            continue
        r["positions_n"] += 1
        got = predicted.get(_label(concern["number"]))
        if got == concern["position"]:
            r["positions_ok"] += 1
        else:
            r["wrong_positions"].append((concern["number"], concern["position"], got))
    golds = gold["commitments"]
    preds = pred.get("commitments", []) or []
    for j, i in match(preds, golds).items():
        if "concerns" not in golds[j]:
            continue
        r["sections_n"] += 1
        want = {_label(n) for n in golds[j]["concerns"] or []}
        got = {_label(n) for n in preds[i].get("concerns") or []}
        r["sections_ok"] += want == got
    return r


def shared_scorer():
    """The shared scorer's module when /work/shared is here, else None."""
    if not SHARED_SCORER.exists():
        return None
    spec = importlib.util.spec_from_file_location("score_extraction", SHARED_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def totals_of(results):
    totals = {}
    for result in results:
        for key, value in result.items():
            if isinstance(value, (int, bool)):
                totals[key] = totals.get(key, 0) + int(value)
    return totals


def summary(totals, letters):
    def ratio(a, b):
        return a / b if b else 1.0

    recall = ratio(totals["core_found"], totals["core"])
    precision = ratio(totals["pred_matched"], totals["pred"])
    return {
        "letters": letters,
        "letter_dates": totals["date_ok"],
        "dept_p": ratio(totals["dept_tp"], totals["dept_tp"] + totals["dept_fp"]),
        "dept_r": ratio(totals["dept_tp"], totals["dept_tp"] + totals["dept_fn"]),
        "recall": recall,
        "precision": precision,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "dated_right": totals["dated_right"],
        "dated": totals["dated"],
        "core_found": totals["core_found"],
        "core": totals["core"],
        "pred_matched": totals["pred_matched"],
        "pred": totals["pred"],
        "concerns": f"{totals['concern_ok']}/{totals['concern_n']}",
        "positions": f"{totals.get('positions_ok', 0)}/{totals.get('positions_n', 0)}",
        "sections": f"{totals.get('sections_ok', 0)}/{totals.get('sections_n', 0)}",
    }


def gold_files(gold_dir: Path):
    for path in sorted(Path(gold_dir).glob("*.json")):
        yield path, json.loads(path.read_text())
