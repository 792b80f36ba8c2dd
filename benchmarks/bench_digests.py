"""Benchmark building the weekly digests for 5,000 subscribers over 1,000,000 commitments (issue 6).

    .venv/bin/python benchmarks/bench_digests.py [--sample 200] [--no-docs]

Uses the database bench_overdue.py fills (BENCH_DATABASE_URL, default tracker_bench); run that first. Runs the
sweep (idempotent), then measures:

- `build_digests` for every subscriber, as the weekly run does it (subscribers with the same scope share
  their section queries), with the total number of queries;
- rendering each digest's text and HTML parts;
- `build_digest` one subscriber at a time (no sharing) for a sample, with queries per subscriber.

Writes the figures to the "Overdue sweep and digests" section of docs/benchmarks.md.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_overdue  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    url = bench_overdue.bench_url()
    if not bench_overdue._filled(url, 1):
        sys.exit(f"{url} has no commitments: run benchmarks/bench_overdue.py first.")
    bench_overdue.setup_django(url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from responses.models import Commitment
    from tracker import digests, emails
    from tracker.overdue import sweep

    print(sweep(), flush=True)
    subscriptions = digests.subscriptions_to_send()
    count = subscriptions.count()
    commitments = Commitment.objects.count()
    week = digests.current_week()

    with CaptureQueriesContext(connection) as batch_queries:
        started = time.monotonic()
        built = list(digests.build_digests(subscriptions, week))
        batch_s = time.monotonic() - started
    print(f"build_digests: {len(built)} digests in {batch_s:.1f} s, {len(batch_queries)} queries", flush=True)

    started = time.monotonic()
    for digest in built:
        message = emails.digest_message(digest)
        assert message.body and message.alternatives
    render_s = time.monotonic() - started
    print(f"rendered in {render_s:.1f} s", flush=True)

    sample = list(subscriptions.order_by("?")[: args.sample])
    per_subscriber = []
    started = time.monotonic()
    for subscription in sample:
        with CaptureQueriesContext(connection) as queries:
            digests.build_digest(subscription, week)
        per_subscriber.append(len(queries))
    single_s = time.monotonic() - started
    print(
        f"build_digest x{len(sample)}: {single_s:.1f} s, {sum(per_subscriber)} queries, max {max(per_subscriber)}",
        flush=True,
    )
    data = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "subscribers": count,
        "commitments": commitments,
        "batch_s": batch_s,
        "batch_queries": len(batch_queries),
        "batch_ms_per": batch_s * 1000 / max(1, count),
        "batch_queries_per": len(batch_queries) / max(1, count),
        "render_s": render_s,
        "render_ms_per": render_s * 1000 / max(1, count),
        "sample": len(sample),
        "single_s": single_s,
        "single_queries": sum(per_subscriber),
        "single_ms_per": single_s * 1000 / max(1, len(sample)),
        "single_max_queries": max(per_subscriber),
    }
    bench_overdue.write_json("digests", data)
    if not args.no_docs:
        bench_overdue.write_docs()


if __name__ == "__main__":
    main()
