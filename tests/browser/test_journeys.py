"""The two main journeys, in a real browser on the seed data."""

import re

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_clerk_finds_iicsa_commitments_due_by_easter_2025_and_sees_them_overdue(page):
    sign_in(page, "clerk")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    page.get_by_label("Search titles, recommendations and letters").fill("IICSA")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=re.compile("Independent Inquiry into Child Sexual Abuse")).click()
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Independent Inquiry into Child Sexual Abuse")
    )
    screenshot(page, "report-detail")

    page.get_by_role("link", name=re.compile(r"\d+ in the responses")).click()
    due_by = page.get_by_role("group", name="Due on or before")
    due_by.get_by_label("Day").fill("20")
    due_by.get_by_label("Month").fill("4")
    due_by.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    screenshot(page, "commitments-iicsa-by-easter")

    rows = page.locator("table.govuk-table tbody tr")
    easter_rows = rows.filter(has_text="Easter")
    assert easter_rows.count() == 3  # "by Easter" and twice "before Easter" in the Home Secretary's letter
    for index in range(easter_rows.count()):
        row = easter_rows.nth(index)
        assert "20 Apr 2025" in row.inner_text()
        assert int(row.locator("td[data-label='Days overdue']").inner_text()) > 0
    # every row listed is due on or before Easter Day 2025
    assert rows.count() >= easter_rows.count()


def test_official_marks_a_commitment_delivered_with_evidence_and_sees_the_history(page):
    sign_in(page, "official")
    page.goto("/commitments/?overdue=1&department=home-office")
    screenshot(page, "commitments-overdue-home-office")
    page.locator("table.govuk-table tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("link", name="Update delivery status").click()

    page.get_by_label("Delivered", exact=True).check()
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Evidence link").fill("https://www.gov.uk/government/publications/example-update")
    page.get_by_label("Internal note").fill("Update published before the Easter recess")
    page.get_by_role("button", name="Save").click()

    assert page.get_by_text("Your change was saved.").is_visible()
    history = page.locator("table", has_text="Every change, newest first")
    assert "Not yet assessed → Delivered" in history.inner_text()
    assert "Update published before the Easter recess" in history.inner_text()
    assert history.get_by_role("link", name="Evidence").get_attribute("href").endswith("example-update")
    screenshot(page, "commitment-after-update")


def test_official_of_another_department_cannot_open_the_form(page):
    sign_in(page, "official")
    page.goto("/commitments/?department=department-for-education")
    page.locator("table.govuk-table tbody tr").first.get_by_role("link").first.click()
    assert page.get_by_role("link", name="Update delivery status").count() == 0
    response = page.goto(page.url + "status/")
    assert response.status == 403
