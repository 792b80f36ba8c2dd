"""Every page in a real browser, as the persona that may see it: tests/every_page.py's pages plus the error pages.

Shared by the browser tests that must visit every page (page width at 320 and 1280 px, axe-core). Each persona
has one browser context signed in with a session cookie (no sign-in form, so no throttling). The error pages
are reached as a user would reach them: an unknown address (404), a form the persona may not open (403), a
request Django refuses (400) and a view that fails (500, through ERROR_URLCONF's failing view).
"""

from django.conf import settings as django_settings
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import path, reverse

from tests.every_page import Page, pages
from tracker.urls import urlpatterns as tracker_urlpatterns


def _fails(request):
    raise RuntimeError("a bug, to show the 500 page")


def _refused(request):
    raise SuspiciousOperation("a forged header, to show the 400 page")


# The service's URLs plus a failing and a refused view (set as ROOT_URLCONF by the tests that visit them).
urlpatterns = [
    *tracker_urlpatterns,
    path("test-only/fails/", _fails, name="test_fails"),
    path("test-only/refused/", _refused, name="test_refused"),
]
ERROR_URLCONF = __name__


def error_pages(samples):
    return [
        Page("404", "/no-such-page/", status=404, label="error-404"),
        Page("404", "/commitments/999999/", user="official", status=404, label="error-404-signed-in"),
        Page(
            "403",
            reverse("commitment_change_status", args=[samples.commitment.pk]),
            user="clerk",
            status=403,
            label="error-403",
        ),
        Page("400", "/test-only/refused/", status=400, label="error-400"),
        Page("500", "/test-only/fails/", status=500, label="error-500"),
    ]


def every_browser_page(samples):
    """Every HTML page with its persona, error pages included."""
    return [*pages(samples), *error_pages(samples)]


class Personas:
    """One browser page per persona, signed in by session cookie, in a window of the given size."""

    def __init__(self, browser, base_url, samples, *, width=1280, height=900, **context_options):
        self.browser, self.base_url, self.samples = browser, base_url, samples
        self.viewport = {"width": width, "height": height}
        self.context_options = context_options
        self.pages = {}

    def page_for(self, persona):
        if persona not in self.pages:
            context = self.browser.new_context(
                base_url=self.base_url, viewport=self.viewport, **self.context_options
            )
            if persona != "anonymous":
                client = Client()
                client.force_login(self.samples.users[persona])
                cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
                context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])
            page = context.new_page()
            page.set_default_timeout(20_000)
            self.pages[persona] = page
        return self.pages[persona]

    def resize(self, width, height=900):
        self.viewport = {"width": width, "height": height}
        for page in self.pages.values():
            page.set_viewport_size(self.viewport)

    def visit(self, entry):
        page = self.page_for(entry.user)
        response = page.goto(entry.url)
        page.wait_for_load_state("load")
        return page, response

    def close(self):
        for page in self.pages.values():
            page.context.close()
        self.pages = {}
