"""What the app sends over HTTP in production: HTTPS redirect, HSTS, and on every page the CSP with a nonce that
the page's own inline scripts carry (and no other inline script)."""

import re

import pytest
from django.test import Client

from tests.every_page import make_samples, pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    # What tracker/settings.py sets with DEBUG=0 (tests/tracker/test_settings.py checks it does).
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_plain_http_is_redirected_to_https(production):
    response = Client().get("/reports/?kind=pfd")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/reports/?kind=pfd"


def test_https_through_the_proxy_gets_hsts(production):
    response = Client().get("/reports/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_health_check_answers_plain_http(production):
    assert Client().get("/healthz").status_code in (200, 503)


def test_every_page_sends_the_csp_and_only_nonced_inline_scripts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    samples = make_samples()
    problems = []
    for page in pages(samples):
        client = Client()
        if page.user != "anonymous":
            client.force_login(samples.users[page.user])
        response = client.get(page.url, follow=page.status == 302)
        policy = response.get("Content-Security-Policy", "")
        if "default-src 'self'" not in policy or "object-src 'none'" not in policy:
            problems.append(f"{page.id}: policy {policy!r}")
            continue
        nonce = re.search(r"'nonce-([^']+)'", policy)
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            if "src=" in tag or 'type="application/json"' in tag:
                continue
            if not nonce or f'nonce="{nonce[1]}"' not in tag:
                problems.append(f"{page.id}: inline script without the response's nonce: {tag}")
        if re.search(r"<[^>]+\son[a-z]+\s*=", html):
            problems.append(f"{page.id}: an inline event handler attribute")
    assert not problems, "\n".join(problems)
