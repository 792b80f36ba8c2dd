"""Benchmark the PFD corpus (issue 14): importing the real files, the matching figures, the agreement with the
Preventable Deaths Tracker's statuses, and the PFD pages with the corpus loaded beside 100,000 commitments.

    .venv/bin/python benchmarks/bench_pfd.py [--commitments 100000] [--rounds 8] [--no-docs]

Uses its own database (BENCH_PFD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_pfd),
recreated. Steps, each timed:

1. `import_pfd_reports fixtures/pfd/pdt-statuses-2025-07-24.csv` into the empty database (5,818 rows);
   target < 30 s. Then the same file again, nothing changed; target < 10 s.
2. `import_pfd_reports fixtures/pfd/pdt-reports-2024-02-11.csv` (responses, concerns, stated dates).
3. The matching figures and the agreement with the published statuses of 2025-07-24 (tracker.pfd.agreement).
4. `generate_demo_data --commitments N` beside the corpus, then the PFD list pages under gunicorn; target
   p95 <= 100 ms.

Writes the "PFD corpus" section of docs/benchmarks.md.
"""

import argparse
import collections
import csv
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_pages import PORT, get, load, manage, psql, recreate, summarise
from docs_section import replace_section

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_pfd"
STATUSES = ROOT / "fixtures" / "pfd" / "pdt-statuses-2025-07-24.csv"
SCRAPE = ROOT / "fixtures" / "pfd" / "pdt-reports-2024-02-11.csv"
IMPORT_TARGET_S, REIMPORT_TARGET_S, PAGE_TARGET_MS = 30, 10, 100
SECTION = "## PFD corpus"


def raw_spellings():
    with STATUSES.open(encoding="utf-8") as f:
        mentions = [
            name.strip() for row in csv.DictReader(f) for name in row["Sent to"].split("|") if name.strip()
        ]
    return len(set(mentions)), len(mentions)


def figures(env):
    """The matching and agreement figures, read in a Django shell against the benchmark database."""
    code = r"""
import collections, datetime, json
from tracker.models import Addressee, AddresseeName, Department, Report
from tracker.pfd import names
from tracker.pfd.agreement import compare
match_by_key = dict(AddresseeName.objects.values_list("key", "match"))
mentions = collections.Counter()
for named_as, in Addressee.objects.filter(report__pdt_status__gt="").values_list("named_as"):
    mentions[match_by_key.get(names.name_key(named_as) or "redacted", "?")] += 1
organisations = Addressee.objects.filter(report__pdt_status__gt="").values("department").distinct().count()
government = Addressee.objects.filter(report__pdt_status__gt="", department__kind__in=Department.GOVERNMENT_KINDS).count()
result = compare(datetime.date(2025, 7, 24))
print(json.dumps({
    "mentions": dict(mentions),
    "organisations": organisations,
    "all_organisations": Department.objects.count(),
    "spellings": AddresseeName.objects.count(),
    "to_review": AddresseeName.objects.to_review().count(),
    "government_mentions": government,
    "compared": result.compared,
    "agreeing": result.agreeing,
    "confusion": [[a, b, n] for (a, b), n in sorted(result.confusion.items(), key=lambda i: -i[1])],
}))
"""
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


def sample_paths(url, rng):
    dhsc = "department-of-health-and-social-care"
    reports = [
        r[0]
        for r in psql(
            url,
            "SELECT slug FROM tracker_report WHERE kind='pfd' AND source_url <> '' ORDER BY random() LIMIT 60",
        )
    ]
    areas = [
        r[0]
        for r in psql(
            url,
            "SELECT DISTINCT issuing_body FROM tracker_report WHERE kind='pfd' AND issuing_body <> '' LIMIT 40",
        )
    ]
    categories = [r[0] for r in psql(url, "SELECT slug FROM tracker_reportcategory")]
    return {
        "non-responses /pfd/non-responses/": lambda: "/pfd/non-responses/",
        "non-responses ?department=DHSC": lambda: f"/pfd/non-responses/?department={dhsc}",
        "non-responses ?kind=nhs&sort=organisation, page 5": lambda: (
            "/pfd/non-responses/?kind=nhs&sort=organisation&page=5"
        ),
        "non-responses ?uncertain=1&year=2022": lambda: "/pfd/non-responses/?uncertain=1&year=2022",
        "DHSC queue /departments/<dhsc>/pfd/": lambda: f"/departments/{dhsc}/pfd/",
        "MoJ queue ?clock=overdue&sort=due": lambda: (
            "/departments/ministry-of-justice/pfd/?clock=overdue&sort=due"
        ),
        "reports ?area": lambda: f"/reports/?area={rng.choice(areas).replace(' ', '+')}",
        "reports ?category": lambda: f"/reports/?category={rng.choice(categories)}",
        "reports ?status=partial": lambda: "/reports/?status=partial",
        "reports ?addressee=police&year=2023": lambda: "/reports/?addressee=police&year=2023",
        "reports ?department=MoJ (with its bodies)": lambda: "/reports/?department=ministry-of-justice",
        "report /reports/<pfd slug>/": lambda: f"/reports/{rng.choice(reports)}/",
        "dashboard /": lambda: "/",
    }, {
        "CSV /pfd/non-responses.csv (every row)": lambda: "/pfd/non-responses.csv",
        "CSV DHSC queue /departments/<dhsc>/pfd.csv": lambda: f"/departments/{dhsc}/pfd.csv",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("BENCH_PFD_DATABASE_URL", DEFAULT_URL)
    var_dir = Path(tempfile.mkdtemp(prefix="bench-pfd-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1 (production redirects to HTTPS)
        "VAR_DIR": str(var_dir),
        "DATABASE_CONN_MAX_AGE": "600",
    }
    env.pop("CELERY_BROKER_URL", None)
    recreate(url)
    manage(env, "migrate", "--noinput")
    load_before_import = os.getloadavg()[0]
    first = manage(env, "import_pfd_reports", str(STATUSES), "--no-progress", "--quiet-rows")
    again = manage(env, "import_pfd_reports", str(STATUSES), "--no-progress", "--quiet-rows")
    scrape = manage(env, "import_pfd_reports", str(SCRAPE), "--no-progress", "--quiet-rows")
    scrape_again = manage(env, "import_pfd_reports", str(SCRAPE), "--no-progress", "--quiet-rows")
    found = figures(env)
    generated = manage(
        env, "generate_demo_data", "--reports", "1000", "--commitments", str(args.commitments), "--seed", "1"
    )
    psql(url, "VACUUM ANALYZE")
    manage(env, "collectstatic", "--noinput", "-v0")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "tracker.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(args.clients), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                get("/healthz")
                break
            except Exception:
                time.sleep(0.2)
        rng = random.Random(1)
        pages, exports = sample_paths(url, rng)
        load(pages, 1, seed=100)  # warm-up
        load_before = os.getloadavg()[0]
        timings, wall = load(pages, args.rounds, seed=1, clients=args.clients)
        export_timings, _ = load(exports, 2, seed=3, clients=1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)

    rows = summarise(timings)
    export_rows = summarise(export_timings)
    worst = max(row[3] for row in rows)
    spellings, mentions = raw_spellings()
    by_match = collections.Counter(found["mentions"])
    total = sum(by_match.values())
    matched = by_match["known"] + by_match["rule"] + by_match["similar"] + by_match["editor"]
    share = found["agreeing"] / found["compared"]
    print(
        f"import {first:.1f} s, again {again:.1f} s, scrape {scrape:.1f} s, scrape again {scrape_again:.1f} s"
    )
    print(f"agreement {found['agreeing']}/{found['compared']} = {share:.2%}; worst page p95 {worst:.0f} ms")
    for name, n, p50, p95_ms, top in rows + export_rows:
        print(f"{name:50} {n:4d} {p50:8.1f} {p95_ms:8.1f} {top:8.1f}")
    ok = first < IMPORT_TARGET_S and again < REIMPORT_TARGET_S and worst <= PAGE_TARGET_MS and share >= 0.98
    if args.no_docs:
        sys.exit(0 if ok else 1)

    def verdict(value, target, unit):
        return f"{value:.1f} {unit} (target < {target} {unit}: {'met' if value < target else '**not met**'})"

    table = "\n".join(
        f"| {name} | {n} | {p50:.0f} | {p95_ms:.0f} | {top:.0f} |"
        for name, n, p50, p95_ms, top in rows + export_rows
    )
    confusion = "\n".join(f"| {a} | {b} | {n} |" for a, b, n in found["confusion"])
    text = f"""{SECTION}

The real files of `fixtures/pfd/` imported into an empty PostgreSQL database, then the PFD pages under gunicorn
({args.clients} sync workers, DEBUG off, {args.clients} concurrent clients) with the corpus loaded beside
{args.commitments:,} commitments (and 1,000 synthetic reports) from `generate_demo_data --seed 1` (generated in
{generated:.0f} s).

```
.venv/bin/python benchmarks/bench_pfd.py            # or: make bench
```

Run on {time.strftime("%Y-%m-%d %H:%M", time.gmtime())} (UTC), {platform.python_implementation()} {platform.python_version()},
{os.cpu_count()} cores shared with other work (1-minute load average {load_before_import:.1f} before the imports,
{load_before:.1f} before the page runs).

| Step | Time |
|---|---|
| Import the 5,818-row status export into an empty database | {verdict(first, IMPORT_TARGET_S, "s")} |
| The same file again, nothing changed | {verdict(again, REIMPORT_TARGET_S, "s")} |
| Then the 4,816-row scrape (responses, concerns, stated dates) | {scrape:.1f} s |
| The scrape again, nothing changed | {scrape_again:.1f} s |

Times are wall-clock for the whole command (Python start-up, reading the file, resolving every addressee name,
writing), measured while the machine was shared.

**Matching** (the 2025 status export): {spellings:,} raw spellings in {mentions:,} addressee mentions (after
the import: {found["spellings"]:,} spellings in the alias table, both files). The corpus's addressees are
{found["organisations"]:,} organisations ({found["all_organisations"]:,} organisations in the tracker with the
departments and known bodies). Of the {total:,} addressee mentions of the imported reports, {matched:,}
({matched / total:.1%}) were matched to an organisation the tracker knew (a name or alias of the curated
organisations, a naming rule such as a minister's role or a prison, or a close spelling of one), and
{by_match["new"]:,} ({by_match["new"] / total:.1%}) named an organisation seen for the first time (NHS trusts,
care homes, companies: made organisations of their kind); {found["to_review"]:,} spellings wait in the admin's
review queue. {found["government_mentions"]:,} mentions are government departments or their bodies.

**Agreement** with the Preventable Deaths Tracker's published statuses of 2025-07-24, computed for that day:
{found["agreeing"]:,} of {found["compared"]:,} reports ({share:.2%}; target >= 98%). The classes of disagreement
are explained, with examples, in [pfd-statuses.md](pfd-statuses.md).

| Theirs | Ours | Reports |
|---|---|---|
{confusion}

**Pages** (target p95 <= {PAGE_TARGET_MS} ms; CSV exports of every row reported apart):

| Page | Requests | p50 ms | p95 ms | max ms |
|---|---|---|---|---|
{table}

Worst list page p95: {worst:.0f} ms ({"met" if worst <= PAGE_TARGET_MS else "**not met**"}); {sum(len(v) for v in timings.values())}
requests in {wall:.0f} s.
"""
    replace_section(text)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
