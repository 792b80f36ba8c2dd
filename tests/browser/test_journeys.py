"""The two main journeys, in a real browser on the seed data."""

import csv
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


# ------------------------------------------------------------------------------------------------------------
# The three journeys of issue 13, end to end, on the seed data of `make run`.


def test_clerk_browses_departments_letters_and_search_then_the_report_its_positions_and_the_csv(page):
    sign_in(page, "clerk")
    menu = page.get_by_role("navigation", name="Menu")

    # Departments: each with its scorecard; the Home Office's page.
    menu.get_by_role("link", name="Departments").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Departments"
    page.get_by_role("link", name="Home Office", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Home Office"
    assert page.get_by_role("heading", name="Commitments by status").is_visible()

    # Letters: filtered to the Home Office; the IICSA reply is listed with its promises.
    menu.get_by_role("link", name="Letters").click()
    page.get_by_label("From").select_option("home-office")
    page.get_by_role("button", name="Apply filters").click()
    assert "department=home-office" in page.url
    iicsa_row = page.locator("table tbody tr", has_text="Independent Inquiry into Child Sexual Abuse")
    assert iicsa_row.count() == 1
    assert int(iicsa_row.locator("td[data-label='Promises'] a").first.inner_text().split()[0]) >= 10
    assert page.locator(".tracker-filter-tag", has_text="Home Office").count() == 1

    # Search everything: a phrase of a recommendation finds it, and the report it belongs to.
    menu.get_by_role("link", name="Search").click()
    page.get_by_label("Search reports, recommendations, commitments and letters").fill("redress scheme")
    page.get_by_role("button", name="Search").click()
    results = page.locator("main")
    assert "redress scheme" in results.inner_text().lower()
    page.get_by_role("link", name=re.compile("Independent Inquiry into Child Sexual Abuse")).first.click()
    screenshot(page, "journey-clerk-report")

    # The report: each recommendation with the government's position and the promises answering it.
    def recommendation(words):
        heading = page.get_by_role("heading", level=3, name=re.compile(words))
        return page.locator("[id^=recommendation-]").filter(has=heading)

    redress = recommendation("redress scheme")
    assert redress.get_by_text("Under consideration").is_visible()
    assert "cross-government responsibility" in redress.locator("blockquote").inner_text()
    answering = redress.locator("ul.govuk-list > li")
    assert answering.count() == 1
    assert "further update on the response to this recommendation" in answering.inner_text()
    mandatory = recommendation("mandatory reporting")
    assert mandatory.get_by_text("Accepted", exact=True).is_visible()

    # Its commitments, filtered to overdue ones, then the CSV of exactly those.
    page.get_by_role("link", name=re.compile(r"\d+ in the responses")).click()
    page.get_by_label("Overdue only").select_option("1")
    page.get_by_role("button", name="Apply filters").click()
    assert "overdue=1" in page.url and "report=" in page.url
    listed = page.locator("table.govuk-table tbody tr").count()
    assert listed > 0
    assert page.locator(".tracker-filter-tag").count() >= 2  # the report and "overdue only", each removable
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download these .* as CSV")).click()
    rows = list(csv.DictReader(open(download.value.path(), encoding="utf-8")))
    assert len(rows) == listed
    assert all(int(row["days_overdue"]) > 0 for row in rows)
    assert all("Independent Inquiry into Child Sexual Abuse" in row["report"] for row in rows)
    assert all(
        row["letter_url"].endswith(f"/letters/{row['letter_url'].rstrip('/').split('/')[-1]}/")
        for row in rows
    )


def test_official_re_dates_a_commitment_with_a_reason_that_the_public_history_shows(
    page, browser, live_server
):
    sign_in(page, "official")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Commitments").click()
    page.get_by_label("Department").select_option("home-office")
    page.get_by_label("Overdue only").select_option("1")
    page.get_by_role("button", name="Apply filters").click()
    row = page.locator("table.govuk-table tbody tr", has_text="Easter").first
    row.get_by_role("link").first.click()
    commitment_url = page.url
    assert "How it was derived: from the time phrase" in page.locator("main").inner_text()

    page.get_by_role("link", name="Revise the due date").click()
    page.get_by_role("button", name="Save").click()  # nothing filled in: specific messages, not "required"
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "This field is required" not in summary.inner_text()
    new_date = page.get_by_role("group", name="New due date")
    new_date.get_by_label("Day").fill("30")
    new_date.get_by_label("Month").fill("9")
    new_date.get_by_label("Year").fill("2025")
    page.get_by_label("New time phrase (optional)").fill("by the end of September")
    page.get_by_label("Reason for the new date").fill("The statement moved to after the spending review")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your change was saved.").is_visible()
    main = page.locator("main").inner_text()
    assert "How it was set: revised on" in main and "30 September 2025" in main
    assert "The statement moved to after the spending review" in main
    screenshot(page, "journey-official-redated")

    # Signed out, the reason is on the public record too.
    context = browser.new_context(base_url=live_server.url)
    public = context.new_page()
    public.goto(commitment_url)
    history = public.locator("table", has_text="Every change, newest first")
    assert "Reason given: The statement moved to after the spending review" in history.inner_text()
    context.close()


def test_editor_uploads_a_letter_reviews_it_confirms_a_suggested_link_and_it_appears_on_the_pages(
    page, tmp_path
):
    from tests.responses import letter_files

    sign_in(page, "editor")
    letter_file = tmp_path / "moj-reply-price.txt"
    letter_file.write_text(letter_files.pfd_reply(deceased="Samuel Price"), encoding="utf-8")
    page.goto("/admin/responses/responseletter/ingest/")
    page.get_by_label("Letter file").set_input_files(str(letter_file))
    page.get_by_role("button", name="Read the letter").click()
    page.wait_for_url(re.compile(r"/review/$"))
    # It went through the upload's status page (reading is a task), which handed over to the review page.
    assert page.get_by_role("heading", level=1).count() == 1
    assert "Samuel Price" in page.locator("#content").inner_text()

    # The first promise is suggested as answering concern 1, ticked for the editor to confirm, with why.
    first = page.locator(".item", has_text="revised guidance on the transfer of healthcare records")
    assert "Suggested (ticked above; untick if wrong)" in first.inner_text()
    assert "Matter of concern 1" in first.locator(".suggestions").inner_text()
    assert first.locator("input[name$='recommendation_indexes'][value='0']").is_checked()
    # No blank "add one the reader missed" row is ticked.
    for blank in page.locator("input[name$='-keep']").all():
        item = blank.locator("xpath=ancestor::div[contains(@class, 'item')][1]")
        if "the reader missed" in item.inner_text():
            assert not blank.is_checked()
    screenshot(page, "journey-editor-review")
    page.get_by_role("button", name="Confirm and save everything").click()
    page.wait_for_load_state()
    assert "/admin/responses/responseletter/" in page.url

    # The letter and its promises on the public pages.
    page.goto("/letters/?department=ministry-of-justice")
    page.locator("table tbody tr", has_text="Samuel Price").get_by_role("link").first.click()
    assert "revised guidance on the transfer of healthcare records" in page.locator("main").inner_text()
    page.get_by_role("link", name=re.compile("Samuel Price")).first.click()
    concern = page.locator("[id^=recommendation-]", has_text="healthcare records when the prisoner")
    assert (
        "revised guidance on the transfer of healthcare records"
        in concern.locator("ul.govuk-list").inner_text()
    )
    # And in the admin's history ("Recent actions").
    page.goto("/admin/")
    assert "MoJ letter of 14 March 2025" in page.locator("#recent-actions-module").inner_text()
