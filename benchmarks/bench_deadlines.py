"""Benchmark: resolve 10,000 varied government-letter sentences with responses.deadlines.resolve.

    .venv/bin/python benchmarks/bench_deadlines.py

Target (issue 5): under 2 seconds for 10,000 sentences. Prints the best of three runs, wall clock and CPU
time, and writes them to the "Deadline resolver" section of docs/benchmarks.md; the exit status follows CPU
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


def main():
    batch = sentences()
    wall, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        for text, ref in batch:
            resolve(text, ref)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    best = min(wall)
    print(
        f"resolved {len(batch):,} sentences in {best:.2f} s wall (best of 3; {best / len(batch) * 1e6:.0f} µs each), "
        f"{min(cpu):.2f} s CPU; target < 2 s"
    )
    write_section(len(batch), best, min(cpu))
    return 0 if min(cpu) < 2.0 else 1


def write_section(count, wall, cpu):
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"## {SECTION}",
        "",
        "`responses.deadlines.resolve` on 10,000 varied sentences in the style of government letters (a quarter",
        'of them untimed, the rest timed by one of 34 phrasings, with traps such as "Theresa May", "page 1/2"',
        'and "published in April" mixed in), each with a random letter date between 2019 and 2026.',
        "",
        "```",
        ".venv/bin/python benchmarks/bench_deadlines.py",
        "```",
        "",
        "| Measured (UTC) | Sentences | Best of 3, wall | CPU | Load average (1 min) | Target |",
        "|---|---|---|---|---|---|",
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {count:,} | {wall:.2f} s | {cpu:.2f} s | {load:.1f} | < 2 s |",
        "",
        f"{cpu / count * 1e6:.0f} µs of CPU a sentence. On a busy machine (load average above the number of",
        "cores) the wall clock mostly measures the wait for a core; CPU time is the figure to compare.",
        "",
        "How it stays fast: every regular expression is compiled once at import; each rule runs only when one",
        "of its key words is in the sentence (plain substring tests, cheaper than one big alternation); the",
        'words before a phrase ("by the end of", "early", "the first half of") are matched backwards from',
        "the phrase's core instead of being an optional prefix that every regex would try at every word; rule",
        "regexes start with a first-character lookahead so the engine skips most positions cheaply; and clause",
        "boundaries are found once per sentence.",
        "",
    ]
    replace_section("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
