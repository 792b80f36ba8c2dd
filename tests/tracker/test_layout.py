"""The chrome around every page: phase banner, navigation, breadcrumbs, icons, the admin's name."""

import re

import pytest
from django.conf import settings

from tests.factories import CommitmentFactory, ReportFactory, UserFactory
from tracker import permissions

pytestmark = pytest.mark.django_db


def test_every_public_page_has_the_phase_banner_and_the_service_navigation(client):
    html = client.get("/").content.decode()
    assert 'class="govuk-phase-banner' in html
    assert re.search(r"govuk-phase-banner__content__tag[^>]*>\s*Beta\s*<", html)
    assert "give your feedback" in html
    nav = re.search(r'<nav aria-label="Menu".*?</nav>', html, re.S)[0]
    links = [re.sub(r"<[^>]+>|\s+", "", text) for text in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]
    assert links[:3] == ["Dashboard", "Reports", "Commitments"] or links[:4] == [
        "Dashboard", "Reports", "Letters", "Commitments"
    ]  # fmt: skip
    assert links[-1] == "Signin"
    # the dashboard is the current page, and has no breadcrumbs (it is Home)
    assert 'aria-current="page"' in nav
    assert "govuk-breadcrumbs" not in html


def test_a_report_page_has_breadcrumbs_to_its_section_not_a_back_link(client):
    report = ReportFactory(title="A report")
    html = client.get(report.get_absolute_url()).content.decode()
    crumbs = re.search(
        r'<nav class="govuk-breadcrumbs[^"]*"[^>]*aria-label="Breadcrumb">(.*?)</nav>', html, re.S
    )
    assert crumbs, "no breadcrumbs"
    links = re.findall(r'<a class="govuk-breadcrumbs__link" href="([^"]+)">\s*([^<]+?)\s*</a>', crumbs[1])
    assert links == [("/", "Home"), ("/reports/", "Reports")]
    assert "govuk-back-link" not in html
    # the Reports item of the navigation is marked active on a report's page
    assert re.search(r'href="/reports/"\s+aria-current="true"', html)


def test_pages_name_their_icons_and_the_root_favicon_is_served(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" sizes="48x48" href="/static/tracker/icons/favicon.ico"' in html
    assert 'type="image/svg+xml"' in html and 'rel="apple-touch-icon"' in html
    assert 'href="data:,"' not in html


def test_favicon_files_exist_and_are_what_they_say():
    icons = settings.BASE_DIR / "static" / "tracker" / "icons"
    ico = (icons / "favicon.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and ico[4] >= 1  # an icon resource with at least one image
    assert (icons / "apple-touch-icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (icons / "favicon.svg").read_text().startswith("<svg")
    assert settings.WHITENOISE_ROOT == icons  # /favicon.ico at the root, for browsers that ask there


def test_signed_in_navigation_has_the_account_and_a_sign_out_button(client):
    client.force_login(UserFactory(username="someone"))
    html = client.get("/").content.decode()
    nav = re.search(r'<nav aria-label="Menu".*?</nav>', html, re.S)[0]
    assert re.search(r'href="/accounts/settings/"[^>]*>\s*Your account\s*</a>', nav)
    assert 'action="/accounts/logout/"' in html and "Sign out" in html


def test_the_admin_carries_the_service_name(client):
    client.force_login(UserFactory(role=permissions.ADMINISTRATORS, is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert "Django administration" not in html and "Django site admin" not in html
    assert f"{settings.SERVICE_NAME}: administration" in html
    assert f"| {settings.SERVICE_NAME}</title>" in html
    assert "/static/tracker/icons/favicon.svg" in html


def test_the_change_forms_keep_a_back_link_and_have_no_breadcrumbs(client):
    commitment = CommitmentFactory()
    client.force_login(UserFactory(role=permissions.ADMINISTRATORS, is_superuser=True))
    html = client.get(f"/commitments/{commitment.pk}/due-date/").content.decode()
    assert "govuk-back-link" in html and "govuk-breadcrumbs" not in html
