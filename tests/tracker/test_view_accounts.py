import html as html_module
import re

import pytest

from tests.factories import DepartmentFactory, DigestSubscriptionFactory, ReportFactory, UserFactory
from tracker.models import DigestSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_login_page_is_govuk_styled_and_signs_in(client):
    UserFactory(username="official")
    page = client.get("/accounts/login/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="govuk-input' in html and 'for="id_username"' in html and 'for="id_password"' in html
    response = client.post("/accounts/login/", {"username": "official", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_failed_sign_in_shows_an_error_summary(client):
    UserFactory(username="official")
    response = client.post("/accounts/login/", {"username": "official", "password": "wrong"})
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-summary" in html


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-9")


def test_settings_need_sign_in(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_settings_save_departments_reports_and_empty_emails(client):
    user = UserFactory()
    home_office, education = DepartmentFactory(), DepartmentFactory()
    kept, dropped = ReportFactory(), ReportFactory()
    subscription = DigestSubscriptionFactory(user=user)
    subscription.reports.add(kept, dropped)
    client.force_login(user)
    assert client.get("/accounts/settings/").status_code == 200
    response = client.post(
        "/accounts/settings/",
        {"departments": [home_office.pk, education.pk], "reports": [kept.pk], "send_when_empty": "on"},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert set(subscription.departments.all()) == {home_office, education}
    assert list(subscription.reports.all()) == [kept]
    assert subscription.send_when_empty


def test_follow_and_unfollow_a_report(client):
    user = UserFactory()
    report = ReportFactory()
    client.force_login(user)
    client.post(f"/accounts/settings/reports/{report.slug}/", {"follow": "1"})
    assert list(DigestSubscription.objects.get(user=user).reports.all()) == [report]
    assert "Stop following" in client.get(report.get_absolute_url()).content.decode()
    client.post(f"/accounts/settings/reports/{report.slug}/", {"follow": "0"})
    assert not DigestSubscription.objects.get(user=user).reports.exists()


def test_anonymous_cannot_follow(client):
    report = ReportFactory()
    response = client.post(f"/accounts/settings/reports/{report.slug}/", {"follow": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not DigestSubscription.objects.exists()


@pytest.mark.parametrize("url", ["/", "/reports/", "/commitments/", "/commitments/export.csv"])
def test_login_required_everywhere_setting_closes_every_page(client, settings, url):
    settings.LOGIN_REQUIRED_EVERYWHERE = True
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200


def test_pages_are_open_to_anonymous_readers_by_default(client):
    for url in ["/", "/reports/", "/commitments/"]:
        assert client.get(url).status_code == 200


def test_settings_offer_several_departments_as_checkboxes_with_the_followed_ones_ticked(client):
    user = UserFactory()
    followed, other = DepartmentFactory(), DepartmentFactory()
    DigestSubscriptionFactory(user=user).departments.add(followed)
    client.force_login(user)
    body = client.get("/accounts/settings/").content.decode()
    # A multiple choice must be checkboxes: radios would let a user follow only one department.
    assert 'type="radio"' not in body
    inputs = {
        re.search(r'value="(\d+)"', tag).group(1): tag
        for tag in re.findall(r"<input[^>]*>", body)
        if 'name="departments"' in tag
    }
    assert all('type="checkbox"' in tag for tag in inputs.values())
    assert "checked" in inputs[str(followed.pk)]
    assert "checked" not in inputs[str(other.pk)]


def test_account_page_shows_role_department_and_what_the_user_may_do(client):
    from tests.factories import official_of

    home_office = DepartmentFactory(name="Home Office", slug="home-office")
    client.force_login(official_of(home_office, username="an-official"))
    html = client.get("/accounts/settings/").content.decode()

    def row(key):
        cell = html.split(f">{key}</dt>", 1)[1].split("</div>", 1)[0]
        return html_module.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip()

    assert row("Role") == "Policy officials"
    assert row("Department") == "Home Office"
    assert "Change the delivery status and due date of your departments' commitments" in row(
        "What you can do"
    )
    assert "verified or disputed" not in row("What you can do")


def test_a_clerk_and_an_editor_are_told_what_they_may_do(client):
    from tracker import permissions

    client.force_login(UserFactory(username="a-clerk", role=permissions.COMMITTEE_CLERKS))
    html = client.get("/accounts/settings/").content.decode()
    assert "Committee clerks" in html and "Mark a delivery claim verified or disputed" in html
    assert "Change the delivery status" not in html
    client.force_login(UserFactory(username="an-editor", role=permissions.INGESTION_EDITORS, is_staff=True))
    html = client.get("/accounts/settings/").content.decode()
    assert "Ingestion editors" in html and "Load response letters" in html


def _department_checkboxes(body):
    return {
        int(re.search(r'value="(\d+)"', tag).group(1)): tag
        for tag in re.findall(r"<input[^>]*>", body)
        if 'name="departments"' in tag
    }


def test_settings_offer_government_departments_not_every_organisation(client, django_assert_max_num_queries):
    """After the PFD import most organisations are trusts, care homes and companies: the page offers government
    departments and their bodies, plus any other organisation the user already follows or belongs to."""
    from tests.factories import official_of
    from tracker.models import Department

    ministerial = DepartmentFactory(kind=Department.Kind.MINISTERIAL)
    agency = DepartmentFactory(kind=Department.Kind.PUBLIC_BODY, parent=ministerial)
    non_ministerial = DepartmentFactory(kind=Department.Kind.NON_MINISTERIAL)
    companies = [DepartmentFactory(kind=Department.Kind.COMPANY) for _ in range(60)]
    followed_trust = DepartmentFactory(kind=Department.Kind.NHS)
    own_trust = DepartmentFactory(kind=Department.Kind.NHS)
    user = official_of(own_trust)
    DigestSubscriptionFactory(user=user).departments.add(followed_trust)
    client.force_login(user)

    with django_assert_max_num_queries(20):  # a fixed number, whatever the organisations
        body = client.get("/accounts/settings/").content.decode()

    offered = _department_checkboxes(body)
    assert set(offered) == {ministerial.pk, agency.pk, non_ministerial.pk, followed_trust.pk, own_trust.pk}
    assert "checked" in offered[followed_trust.pk]
    assert not any(company.pk in offered for company in companies)

    # Saving the page keeps the organisation followed that is not a government department.
    response = client.post("/accounts/settings/", {"departments": [followed_trust.pk, ministerial.pk]})
    assert response.status_code == 302
    assert set(DigestSubscription.objects.get(user=user).departments.all()) == {followed_trust, ministerial}
    # An organisation that is not offered cannot be followed by posting it.
    refused = client.post("/accounts/settings/", {"departments": [companies[0].pk]})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
