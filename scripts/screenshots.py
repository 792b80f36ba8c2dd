"""Screenshots of the service for the README: docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Self-contained: builds the quick start's demo site (seed letters, SQLite) in a temporary folder, adds one draft
letter for the editor's review page, serves it with `manage.py runserver` on a free port, and photographs the
pages with Playwright driving Debian's Chromium (/usr/bin/chromium, as the browser tests do). Nothing of the
`make run` database is touched. Takes a minute or two.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "tracker-demo-2025"

# A coroner's report answered by a ministry: read into a draft, so the review page has something to show
# (concerns as headings, a promise under each, suggested as answering it).
DRAFT_LETTER = """Ministry of Justice
102 Petty France
London SW1H 9AJ

Mr Daniel Okafor
HM Area Coroner for North Testshire

14 March 2025

Dear Mr Okafor,

Thank you for your Regulation 28 report to prevent future deaths dated 10 January 2025 following the inquest into the death of Samuel Price. I am grateful for the opportunity to respond.

Matter of concern 1

Prison staff did not receive the healthcare records when the prisoner was transferred.

We will issue revised guidance on the transfer of healthcare records to all prisons by June 2025.

Matter of concern 2

Night staff were not trained in the use of the emergency code system.

We will deliver refresher training on emergency codes to all night staff before the end of 2025. We will also review the training materials shortly.

Yours sincerely,

Lord Timpson
Minister of State for Prisons, Parole and Probation
"""

# name -> (path, window width, persona or None); "{report}" and "{draft}" are filled in once known.
# "#id": only that element; "@id": one phone screen (375 x 812) from that element ("@" alone: the top).
SHOTS = [
    ("departments", "/departments/", 1280, None),
    ("letters", "/letters/", 1280, None),
    ("search", "/search/?q=redress", 1280, None),
    ("report-positions", "{report}#recommendation-{recommendation}", 1280, None),
    ("review-page", "/admin/responses/responseletter/{draft}/review/", 1280, "editor"),
    ("phone-commitments", "/commitments/@results", 375, None),
    ("phone-report", "{report}@", 320, None),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else None


def build_site(folder):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder}/tracker.sqlite3",
        "VAR_DIR": str(folder),
        "MEDIA_ROOT": str(folder / "media"),
        "TECHNICAL_ERROR_PAGES": "0",
    }
    env.pop("CELERY_BROKER_URL", None)  # tasks run eagerly, as under `make run`
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    manage(env, "ingest_letters", "fixtures/letters", "--approve", "--no-progress")
    manage(env, "flag_overdue")
    drafts = folder / "drafts"
    drafts.mkdir()
    (drafts / "moj-reply-samuel-price.txt").write_text(DRAFT_LETTER, encoding="utf-8")
    manage(env, "ingest_letters", str(drafts), "--no-progress")
    found = manage(
        env,
        "shell",
        "-c",
        "from responses.models import ResponseLetter, Position\n"
        "from tracker.models import Report\n"
        "draft = ResponseLetter.objects.filter(review_state='draft').latest('pk')\n"
        "report = Report.objects.get(title__contains='IICSA')\n"
        "linked = Position.objects.filter(recommendation__report=report, recommendation__commitments__isnull=False)\n"
        "print(draft.pk, report.get_absolute_url(), linked.values_list('recommendation_id', flat=True).first())",
        capture=True,
    )
    draft, report, recommendation = found.split()[-3:]
    return env, {"draft": draft, "report": report, "recommendation": recommendation}


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def photograph(base_url, values, out):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        contexts = {}
        try:
            for name, path, width, persona in SHOTS:
                if persona not in contexts:
                    context = browser.new_context(base_url=base_url)
                    page = context.new_page()
                    if persona:
                        page.goto("/accounts/login/")
                        page.get_by_label("Username").fill(persona)
                        page.get_by_label("Password").fill(DEMO_PASSWORD)
                        page.get_by_role("button", name="Sign in").click()
                        page.wait_for_load_state()
                    contexts[persona] = page
                page = contexts[persona]
                path, phone, screen_from = path.partition("@")
                page.set_viewport_size({"width": width, "height": 812 if phone else 900})
                page.goto(path.format(**values))
                page.wait_for_load_state("load")
                target = out / f"{name}.png"
                if phone:
                    if screen_from:
                        page.evaluate(f"document.getElementById('{screen_from}').scrollIntoView()")
                    page.screenshot(path=str(target))
                elif "#" in path:  # only the part of the page the anchor points at
                    page.locator(f"#{path.split('#')[1].format(**values)}").screenshot(path=str(target))
                else:
                    page.screenshot(path=str(target), full_page=True)
                print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        finally:
            browser.close()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-screenshots-") as tmp:
        env, values = build_site(Path(tmp))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(f"{base_url}/healthz")
            photograph(base_url, values, args.out.resolve())
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
