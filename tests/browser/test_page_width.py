"""No page scrolls sideways: every page (public, signed-in, admin, error pages) at 320 px, a small phone, and in
a 1280 px window. A table wider than the window stacks or scrolls inside its own box, never the page."""

import pytest

from tests.browser.pages import ERROR_URLCONF, Personas, every_browser_page
from tests.every_page import make_samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (320, 1280)

# What sticks out past the right edge of the window, for the failure message: the outermost such elements.
OVERFLOWING = """() => {
    const width = window.innerWidth;
    const wide = Array.from(document.querySelectorAll('body *')).filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 0.5;
    });
    return wide.filter(el => !wide.includes(el.parentElement)).slice(0, 4).map(el => {
        const id = el.id ? '#' + el.id : '';
        const cls = el.classList.length ? '.' + Array.from(el.classList).join('.') : '';
        return `${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(el.getBoundingClientRect().right)}`;
    });
}"""


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_no_page_is_wider_than_the_window_at_320_and_1280_px(browser, live_server, fast_passwords, settings):
    settings.ROOT_URLCONF = ERROR_URLCONF
    samples = make_samples()
    visitor = Personas(browser, live_server.url, samples)
    entries = every_browser_page(samples)
    too_wide, wrong_status = [], []
    try:
        for width in WIDTHS:
            visitor.resize(width)
            for entry in entries:
                page, response = visitor.visit(entry)
                status = response.status
                if response.request.redirected_from is not None:  # the browser followed the redirect
                    status = 302
                if status != entry.status:
                    wrong_status.append(f"{entry.id}: {status}, expected {entry.status}")
                scroll_width, window_width = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll_width > window_width:
                    culprits = ", ".join(page.evaluate(OVERFLOWING))
                    too_wide.append(f"{width} px: {entry.id} is {scroll_width} px wide ({culprits})")
    finally:
        visitor.close()
    assert len(entries) > 100  # the list really is every page (public, signed-in, admin, errors)
    assert not too_wide, f"{len(too_wide)} pages scroll sideways:\n" + "\n".join(too_wide)
    # What each persona gets is asserted by tests/test_every_page.py (Django's client). Here, after other
    # transactional tests of the session, editors were seen refused (403) on the admin's PFD pages whose
    # permissions the migrations grant: reported, not asserted, until that isolation problem is found.
    if wrong_status:
        print(
            "pages that did not answer as expected (their error page was measured):\n"
            + "\n".join(wrong_status)
        )


def test_the_seed_data_pages_fit_a_phone(page):
    """The quick start's own data (long titles, real letters, many rows), where the issue found 801 px at 375."""
    from tests.browser.test_accessibility import main_pages

    too_wide = []
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for name, url in {**main_pages(), "letters": "/letters/", "departments": "/departments/"}.items():
            page.goto(url)
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(
                    f"{width} px: {name} is {scroll_width} px wide ({', '.join(page.evaluate(OVERFLOWING))})"
                )
    assert not too_wide, "\n".join(too_wide)
