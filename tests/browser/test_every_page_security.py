"""Every page in real Chromium: no stored or reflected text runs as script, and every page works under the
Content-Security-Policy with no violation.

The pages are those of tests/every_page.py (public, signed-in and admin), each visited as the persona that may
see it; the weekly digest's two email parts are loaded too.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.every_page import list_pages, make_samples, pages
from tracker import digests, emails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MARKER = "xssFired"


def payload(field):
    """Script in every form a page could let through: a new element, an attribute, a closed tag of the kind
    that holds raw text (title, textarea, style, script), and a dialog. The first vector fits in 30 characters,
    the length of the shortest free-text fields, which make_samples cuts to their limit."""
    return (
        f"<svg/onload={MARKER}(1)>{field} \"'><script>{MARKER}('{field}')</script>"
        f"<img src=x onerror=\"{MARKER}('{field}')\"><img src=y onerror=alert(1)>"
        f"</textarea></title></style></script><script>{MARKER}('{field}')</script>"
    )


def javascript_url(field):
    return f"javascript:{MARKER}('{field}')"


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Visitor:
    """One browser context per persona, signed in with a session cookie (no sign-in form, so no throttling),
    recording every call of the page-side marker and every dialog."""

    def __init__(self, browser, base_url, samples):
        self.browser, self.base_url, self.samples = browser, base_url, samples
        self.contexts = {}
        self.fired = []  # (page id, what ran)
        self.current = None

    def page_for(self, persona):
        if persona not in self.contexts:
            context = self.browser.new_context(base_url=self.base_url)
            if persona != "anonymous":
                client = Client()
                client.force_login(self.samples.users[persona])
                cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
                context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])
            context.expose_binding(
                MARKER, lambda source, what=None: self.fired.append((self.current, f"{MARKER}({what})"))
            )
            context.add_init_script(
                "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
                "window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at "
                "${e.sourceFile || ''}:${e.lineNumber}`));"
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on(
                "dialog",
                lambda dialog: (
                    self.fired.append((self.current, f"dialog {dialog.message}")),
                    dialog.dismiss(),
                ),
            )
            self.contexts[persona] = page
        return self.contexts[persona]

    def visit(self, persona, url, label):
        self.current = label
        page = self.page_for(persona)
        response = page.goto(url)
        page.wait_for_load_state("load")
        return page, response

    def close(self):
        for page in self.contexts.values():
            page.context.close()


def javascript_links(page):
    """Attributes that would run script when followed: javascript: (and data:) in href, src, action..."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[href],[src],[action],[formaction],[data],[xlink\\\\:href]'))
            .flatMap(el => ['href', 'src', 'action', 'formaction', 'data', 'xlink:href']
                .map(a => [el.tagName, a, (el.getAttribute(a) || '').replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase()]))
            .filter(([tag, a, v]) => v.startsWith('javascript:') || v.startsWith('vbscript:')
                || (v.startsWith('data:') && !v.startsWith('data:image/') && v !== 'data:,'))
            .map(([tag, a, v]) => `${tag} ${a}=${v.slice(0, 60)}`)"""
    )


def test_no_stored_or_reflected_text_runs_as_script_on_any_page(
    browser, live_server, fast_passwords, settings
):
    # Escaping is what is tested here, not the CSP, which would block inline script even if escaping failed.
    settings.CONTENT_SECURITY_POLICY = None
    samples = make_samples(text=payload, url=javascript_url)
    visitor = Visitor(browser, live_server.url, samples)
    problems, shown_as_text = [], []
    try:
        visits = [(p.user, p.url, p.id) for p in pages(samples)]
        # Reflected: every query parameter of every list page set to a payload.
        for page in list_pages(samples):
            names = list(page.params) + (list(page.filterset.base_filters) if page.filterset else [])
            query = "&".join(f"{name}={payload('query.' + name)}" for name in names)
            if page.content == "html":
                visits.append(
                    (page.user, f"{page.url.split('?')[0]}?{_quote(query)}", f"{page.id}-reflected")
                )
        for persona, url, label in visits:
            browser_page, response = visitor.visit(persona, url, label)
            if response.status >= 500:
                problems.append(f"{label}: answered {response.status}")
            for link in javascript_links(browser_page):
                problems.append(f"{label}: {link}")
            if MARKER in browser_page.inner_text("body"):
                shown_as_text.append(label)
        # The weekly digest's two parts, as a mail client shows them.
        digest = digests.build_digest(samples.subscription)
        message = emails.digest_message(digest)
        html_part = message.alternatives[0][0]
        email_page = visitor.page_for("anonymous")
        visitor.current = "digest email, HTML part"
        email_page.set_content(html_part)
        for link in javascript_links(email_page):
            problems.append(f"digest email, HTML part: {link}")
        assert MARKER in email_page.inner_text("body"), "the payloads are not in the HTML email"
        visitor.current = "digest email, plain-text part"
        email_page.route(
            "**/digest.txt",
            lambda route: route.fulfill(
                status=200, content_type="text/plain; charset=utf-8", body=message.body
            ),
        )
        email_page.goto(f"{live_server.url}/digest.txt")
        # Plain text shows the words as written, not as HTML entities.
        assert payload("commitment.text")[:40] in email_page.inner_text("body")
    finally:
        visitor.close()
    assert not visitor.fired, "script ran:\n" + "\n".join(f"{label}: {what}" for label, what in visitor.fired)
    assert not problems, "\n".join(problems)
    # The payloads reached the pages (as text): the test saw what it meant to test.
    for expected in (
        "commitment_detail",
        "report_detail",
        "letter_detail",
        "digest_preview-subscriber",
        "admin:responses_responseletter_review",
        "admin:responses_commitment_change",
    ):
        assert expected in shown_as_text, f"no payload shown on {expected}"


def _quote(query):
    from urllib.parse import quote

    return "&".join(
        "=".join(quote(part, safe="") for part in pair.split("=", 1)) for pair in query.split("&")
    )


def test_every_page_works_under_the_content_security_policy(browser, live_server, fast_passwords):
    assert django_settings.CONTENT_SECURITY_POLICY, "the CSP is off"
    samples = make_samples()
    visitor = Visitor(browser, live_server.url, samples)
    violations, missing_header, not_initialised = [], [], []
    try:
        for page in pages(samples):
            browser_page, response = visitor.visit(page.user, page.url, page.id)
            if "content-security-policy" not in response.all_headers():
                missing_header.append(page.id)
            for violation in browser_page.evaluate("() => window.__csp"):
                violations.append(f"{page.id}: {violation}")
            if page.layout == "service" and page.status == 200:
                # GOV.UK Frontend's inline script (nonce) and its initAll module both ran.
                ready = browser_page.evaluate(
                    "() => document.body.classList.contains('js-enabled') && "
                    "document.body.classList.contains('govuk-frontend-supported') && "
                    "!!document.querySelector('[data-module=govuk-skip-link][data-govuk-skip-link-init]')"
                )
                if not ready:
                    not_initialised.append(page.id)
    finally:
        visitor.close()
    assert not missing_header, f"pages without the CSP header: {missing_header}"
    assert not violations, "CSP violations:\n" + "\n".join(violations)
    assert not not_initialised, f"GOV.UK Frontend did not start under the CSP on: {not_initialised}"
