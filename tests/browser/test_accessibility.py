"""axe-core on every page, and on the main pages of the seed data: no serious or critical violations.
Screenshots for the reviewer."""

import pytest

from responses.models import Commitment, ResponseLetter
from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.browser.pages import ERROR_URLCONF, Personas, every_browser_page
from tests.every_page import make_samples
from tracker.models import Report

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_has_no_serious_accessibility_violations(browser, live_server, settings):
    """Every page of tests/every_page.py (public, signed-in, admin) and the error pages, as its persona."""
    settings.ROOT_URLCONF = ERROR_URLCONF
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    samples = make_samples()
    # bypass_csp: axe-core is injected as an inline script (the CSP is tested by test_every_page_security.py).
    visitor = Personas(browser, live_server.url, samples, bypass_csp=True)
    entries = every_browser_page(samples)
    failures = {}
    try:
        for entry in entries:
            page, _ = visitor.visit(entry)
            if violations := axe_violations(page):
                failures[entry.id] = describe(violations)
    finally:
        visitor.close()
    assert len(entries) > 100
    assert not failures, f"{len(failures)} pages:\n" + "\n\n".join(
        f"{name}:\n{text}" for name, text in failures.items()
    )


def main_pages():
    report = Report.objects.get(title__contains="IICSA")
    letter = ResponseLetter.objects.filter(reports=report).first()
    commitment = Commitment.objects.filter(letter=letter, time_phrase="by Easter").first()
    return {
        "dashboard": "/",
        "reports": "/reports/",
        "report-detail": report.get_absolute_url(),
        "letter": letter.get_absolute_url(),
        "commitments": "/commitments/",
        "commitment": commitment.get_absolute_url(),
        "department": "/departments/home-office/",
        "login": "/accounts/login/",
    }


def describe(violations):
    return "\n".join(
        f"{v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in violations
    )


def test_main_pages_have_no_serious_accessibility_violations(page):
    failures = {}
    for name, url in main_pages().items():
        page.goto(url)
        screenshot(page, name)
        violations = axe_violations(page)
        if violations:
            failures[name] = describe(violations)
    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())


def test_signed_in_forms_have_no_serious_accessibility_violations(page):
    sign_in(page, "official")
    commitment = Commitment.objects.filter(department__slug="home-office").first()
    failures = {}
    for name, url in {
        "status-form": f"/commitments/{commitment.pk}/status/",
        "due-date-form": f"/commitments/{commitment.pk}/due-date/",
        "account-settings": "/accounts/settings/",
    }.items():
        page.goto(url)
        screenshot(page, name)
        violations = axe_violations(page)
        if violations:
            failures[name] = describe(violations)
    # an error summary page too
    page.goto(f"/commitments/{commitment.pk}/status/")
    page.get_by_role("button", name="Save").click()
    screenshot(page, "status-form-errors")
    if violations := axe_violations(page):
        failures["status-form-errors"] = describe(violations)
    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())


def test_pages_work_without_javascript(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/commitments/")
    page.get_by_label("Department").select_option("home-office")
    page.get_by_label("Overdue only").select_option("1")
    page.get_by_role("button", name="Apply filters").click()
    assert "department=home-office" in page.url and "overdue=1" in page.url
    assert page.locator("table.govuk-table tbody tr").count() > 0
    context.close()
