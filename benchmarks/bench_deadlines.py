"""Benchmark: resolve 10,000 varied government-letter sentences with responses.deadlines.resolve.

    .venv/bin/python benchmarks/bench_deadlines.py

Target (issue 5): under 2 seconds for 10,000 sentences; issue 10: no slower than before its rules were added.
Also times the real-sentence set (tests/real/deadline_sentences.tsv). Prints the best of three runs, wall clock
and CPU time, and writes them to the "Deadline resolver" section of docs/benchmarks.md; the exit status follows CPU
time, because on a shared machine the wall clock mostly measures the wait for a core.
"""

import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from docs_section import replace_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SECTION = "Deadline resolver"

from responses.deadlines import resolve  # noqa: E402

PHRASES = [
    "by Easter", "before Christmas", "in Summer 2023", "by Autumn 2021", "later this year", "this year",
    "by the end of March", "By July this year", "From April 2021", "in 2024/25", "by the end of the financial year",
    "within six months", "within 28 days", "in the next three months", "over the next two years", "shortly",
    "in due course", "in the coming months", "by the end of this Parliament", "in Q3 2024", "early next year",
    "in the first half of 2025", "by 31 March 2024", "on 1 December 2023", "next summer", "this autumn",
    "in a year's time", "when parliamentary time allows", "annually", "next financial year", "in mid-2025",
    "by the 35th anniversary of the disaster on 15 April 2025", "later this month", "next month",
]  # fmt: skip
TEMPLATES = [
    "We will publish the revised guidance {}.",
    "{}, the Department will write to all NHS trusts setting out the expectations on information sharing.",
    "The Government intends to respond in detail to the Panel's recommendations on multi-agency working {}.",
    "Since 2019 we have invested £5m in this programme, and we will set out the next steps {}.",
    "The Tackling Domestic Abuse Plan, published in April, committed to consider a register, and we will report {}.",
    "I can confirm that officials expect the independent review to conclude and report to Ministers {}.",
]
UNTIMED = [
    "We will continue to work closely with the College of Policing and the NPCC to improve training for officers.",
    "The Department remains absolutely committed to tackling all forms of harm and to working with you.",
    "As Theresa May said, we may need to look again at the evidence in paragraph 3.2 and page 1/2 of annex Q3.",
    "These complex policy questions will be kept under constant review by officials across government.",
]


def sentences(n=10_000, seed=5):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ref = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 8))
        if i % 4 == 3:
            out.append((rng.choice(UNTIMED), ref))
            continue
        phrase, template = rng.choice(PHRASES), rng.choice(TEMPLATES)
        if template.startswith("{}"):
            phrase = phrase[0].upper() + phrase[1:]
        out.append((template.format(phrase), ref))
    return out


def real_sentences():
    """The real-sentence set (tests/real/deadline_sentences.tsv) with each row's letter date and its precision."""
    rows = (ROOT / "tests" / "real" / "deadline_sentences.tsv").read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for line in rows:
        cells = line.split("\t")
        out.append((cells[3], date.fromisoformat(cells[1]), cells[2]))
    return out


def timed(batch, passes=3):
    """Best of `passes`: (wall, cpu) seconds, and the first (cold) pass's CPU."""
    wall, cpu = [], []
    for _ in range(passes):
        started, started_cpu = time.perf_counter(), time.process_time()
        for text, ref, *precision in batch:
            resolve(text, ref, reference_precision=precision[0] if precision else "day")
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(wall), min(cpu), cpu[0]


def main():
    batch = sentences()
    best, best_cpu, cold_cpu = timed(batch)
    print(
        f"resolved {len(batch):,} sentences in {best:.2f} s wall (best of 3; {best / len(batch) * 1e6:.0f} µs each), "
        f"{best_cpu:.2f} s CPU (first pass {cold_cpu:.2f} s); target < 2 s"
    )
    real = real_sentences()
    real_wall, real_cpu, _ = timed(real * 10)
    print(
        f"real sentences: {len(real):,} x 10 in {real_cpu:.2f} s CPU ({real_cpu / len(real) / 10 * 1e6:.0f} µs each)"
    )
    write_section(len(batch), best, best_cpu, cold_cpu, len(real), real_cpu)
    return 0 if best_cpu < 2.0 else 1


def write_section(count, wall, cpu, cold_cpu, real_count, real_cpu):
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"## {SECTION}",
        "",
        "`responses.deadlines.resolve` on 10,000 varied sentences in the style of government letters (a quarter",
        'of them untimed, the rest timed by one of 34 phrasings, with traps such as "Theresa May", "page 1/2"',
        'and "published in April" mixed in), each with a random letter date between 2019 and 2026; and on the',
        f"{real_count:,} real sentences of tests/real/deadline_sentences.tsv (ten passes), each with its letter's date.",
        "",
        "```",
        ".venv/bin/python benchmarks/bench_deadlines.py",
        "```",
        "",
        "| Measured (UTC) | Sentences | Best of 3, wall | CPU (first pass) | Real sentences, CPU each | Load average (1 min) | Target |",
        "|---|---|---|---|---|---|---|",
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {count:,} | {wall:.2f} s | {cpu:.2f} s ({cold_cpu:.2f} s) | "
        f"{real_cpu / real_count / 10 * 1e6:.0f} µs | {load:.1f} | < 2 s |",
        "",
        f"{cpu / count * 1e6:.0f} µs of CPU a sentence. On a busy machine (load average above the number of",
        "cores) the wall clock mostly measures the wait for a core; CPU time is the figure to compare.",
        "",
        "Against the resolver at the start of issue 10's work (main 3c9307d), same machine, same moment, best of 5",
        "CPU on the 10,000 sentences: 0.75-0.79 s then, 0.75-0.78 s now (first, cold pass: 0.75 s and 0.74-0.77 s),",
        "with the package's tables, the Commons recess dates, month-precision references and the rules learnt from",
        "real sentences added.",
        "",
        "How it stays fast: every regular expression is compiled once at import; each rule runs only when one",
        "of its key words is in the sentence, and the words of a sentence are looked up in a remembered map from",
        "word to the rules it opens (a letter's vocabulary repeats, so this costs a dictionary look-up a word",
        'instead of a substring test a key); the words before a phrase ("by the end of", "early", "the first',
        "half of\") are matched backwards from the phrase's core instead of being an optional prefix that every",
        "regex would try at every word; rule regexes start with a first-character lookahead so the engine skips",
        'most positions cheaply; rare forms (days in words, "between now and") are patterns of their own; and',
        "clause boundaries are found once per sentence.",
        "",
    ]
    replace_section("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
