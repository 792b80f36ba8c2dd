"""Sign-in throttling (django-axes) on both sign-in pages: after SIGNIN_FAILURE_LIMIT wrong passwords for one
username from one address, that pair is refused (429, the service's lock-out page) until the cool-off passes."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["/accounts/login/", "/admin/login/"]
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user():
    return UserFactory(username="pat", is_staff=True, password=PASSWORD)


def attempt(client, url, username, password, address="198.51.100.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_limits_are_the_documented_ones():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)


@pytest.mark.parametrize("url", PAGES)
def test_wrong_passwords_lock_that_username_from_that_address(client, user, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, url, "pat", "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, url, "pat", "wrong")
    assert locked.status_code == 429
    # Even the right password is refused now, with the service's own page saying why and for how long.
    again = attempt(client, url, "pat", PASSWORD)
    assert again.status_code == 429
    page = again.content.decode()
    assert "Signing in is locked for now" in page
    assert "Try again in 15 minutes" in page
    assert 'class="govuk-template__body"' in page  # the service's layout
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", PAGES)
def test_sixty_wrong_passwords_in_a_row_are_refused_after_the_limit(client, user, url):
    codes = [attempt(client, url, "pat", f"guess-{n}").status_code for n in range(60)]
    assert codes.count(429) == 60 - (settings.AXES_FAILURE_LIMIT - 1)


def test_the_lock_is_shared_by_both_sign_in_pages(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "/accounts/login/", "pat", "wrong")
    assert attempt(client, "/admin/login/", "pat", PASSWORD).status_code == 429


def test_colleagues_at_the_same_address_and_the_user_elsewhere_can_still_sign_in(client, user):
    UserFactory(username="sam", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "/accounts/login/", "pat", "wrong")
    assert attempt(Client(), "/accounts/login/", "sam", PASSWORD).status_code == 302
    assert attempt(Client(), "/accounts/login/", "pat", PASSWORD, address="203.0.113.9").status_code == 302


def test_after_the_cool_off_the_right_password_works(client, user):
    start = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "/accounts/login/", "pat", "wrong")
        assert attempt(client, "/accounts/login/", "pat", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert attempt(client, "/accounts/login/", "pat", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_count(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "/accounts/login/", "pat", "wrong")
    assert attempt(client, "/accounts/login/", "pat", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "/accounts/login/", "pat", "wrong").status_code == 200
