"""Extraction speed: one letter's text -> Extraction, in-process (issue 3 target: under 50 ms a letter).

    .venv/bin/python benchmarks/bench_extraction.py [--repeat 20]

Letters: the seed letters (../shared/seeds, when present) and tests/letters/*.txt, plus one PDF built from
a test letter to time reading too. Reading (file -> text) is timed apart from extract() (text -> fields).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from responses.extraction import extract, read_letter  # noqa: E402


def _letters() -> list[Path]:
    paths = []
    for shared in (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")):
        if shared.exists():
            paths += sorted(shared.glob("*.txt"))
            break
    return paths + sorted((REPO / "tests" / "letters").glob("*.txt"))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    extract(
        "warm-up: Dear Sir, we will publish it by March 2025. Yours sincerely"
    )  # compile regexes, load tables
    rows, all_times, all_cpu = [], [], []
    for path in _letters():
        text = read_letter(path.read_bytes(), path.name)
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = extract(text, source=path.name)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        all_times += times
        all_cpu += cpu
        rows.append(
            (path.name, len(text), len(result.commitments), statistics.median(times), statistics.median(cpu))
        )
    print(f"{'letter':<40} {'chars':>6} {'commit.':>7} {'wall ms':>8} {'CPU ms':>7}  (medians)")
    for name, chars, commitments, wall, cpu_median in rows:
        print(f"{name:<40} {chars:>6} {commitments:>7} {wall:>8.1f} {cpu_median:>7.1f}")
    print(
        f"extract(), {len(rows)} letters x {args.repeat}: wall median {statistics.median(all_times):.1f} ms, "
        f"p95 {_percentile(all_times, 0.95):.1f} ms, max {max(all_times):.1f} ms | CPU median "
        f"{statistics.median(all_cpu):.1f} ms, p95 {_percentile(all_cpu, 0.95):.1f} ms, max {max(all_cpu):.1f} ms "
        f"(target < 50 ms) | load average {os.getloadavg()[0]:.1f}"
    )
    sys.path.insert(0, str(REPO / "tests" / "responses"))
    from letterfiles import make_pdf, wrap

    sample = (REPO / "tests" / "letters" / "moj_pfd_numbered_concerns.txt").read_text()
    lines = wrap(sample, 80)
    pdf = make_pdf([lines[i : i + 40] for i in range(0, len(lines), 40)])
    times = []
    for _ in range(max(3, args.repeat // 4)):
        started = time.process_time()
        read_letter(pdf, "letter.pdf")
        times.append((time.process_time() - started) * 1000)
    pages = (len(lines) + 39) // 40
    print(
        f"read_letter() on a {len(pdf) // 1024} KB {pages}-page PDF: CPU median {statistics.median(times):.1f} ms"
    )


if __name__ == "__main__":
    main()
