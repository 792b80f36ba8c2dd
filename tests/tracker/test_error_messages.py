"""Error summaries say what to do about each field (GOV.UK error messages), never "This field is required."."""

import re

import pytest
from django.test import Client

from tests.every_page import make_samples, pages

pytestmark = pytest.mark.django_db

GENERIC = ("This field is required", "Enter a valid", "Select a valid choice")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def summary_rows(html):
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return [
        re.sub(r"<[^>]+>|\s+", " ", row).strip() for row in re.findall(r"<li>(.*?)</li>", summary[0], re.S)
    ]


def test_the_due_date_form_names_what_is_missing(client):
    samples = make_samples()
    client.force_login(samples.users["official"])
    response = client.post(
        f"/commitments/{samples.commitment.pk}/due-date/", {"version": samples.commitment.version}
    )
    rows = summary_rows(response.content.decode())
    assert rows == ["Enter new due date", "Enter the reason for the new date"]


def test_the_password_change_form_names_what_is_missing(client):
    samples = make_samples()
    client.force_login(samples.users["official"])
    rows = summary_rows(client.post("/accounts/password_change/", {}).content.decode())
    assert rows == [
        "Enter your current password",
        "Enter a new password",
        "Enter the new password again to confirm it",
    ]


def test_a_wrong_current_password_and_mismatched_new_ones_are_explained(client):
    samples = make_samples()
    client.force_login(samples.users["official"])
    html = client.post(
        "/accounts/password_change/",
        {"old_password": "not-it", "new_password1": "a-long-passphrase-1", "new_password2": "another-one-2"},
    ).content.decode()
    rows = summary_rows(html)
    assert "Your current password is not correct: enter it again" in rows
    assert "The two new passwords do not match: enter the same one twice" in rows


def test_sign_in_names_what_is_missing(client):
    rows = summary_rows(client.post("/accounts/login/", {}).content.decode())
    assert rows == ["Enter your username", "Enter your password"]


def test_no_form_page_answers_an_empty_post_with_a_generic_message():
    """Every page with a form, posted empty as the persona that may use it."""
    samples = make_samples()
    checked = []
    for page in pages(samples):
        if page.is_admin or page.status != 200:
            continue
        client = Client()
        if page.user != "anonymous":
            client.force_login(samples.users[page.user])
        html = client.get(page.url).content.decode()
        if '<form method="post"' not in html.replace('method="post" action="/accounts/logout/"', ""):
            continue
        response = client.post(page.url, {})
        body = response.content.decode()
        checked.append(page.id)
        for generic in GENERIC:
            assert generic not in body, f"{page.id}: '{generic}'"
    assert {"commitment_change_status", "commitment_revise_due_date", "password_change", "login"} <= set(
        checked
    ), checked
