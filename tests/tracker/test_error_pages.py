"""404, 403, 400 and 500 answer with the service's own pages, also with DEBUG on (the quick start)."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import path

from tests.factories import CommitmentFactory, UserFactory
from tracker import permissions
from tracker.urls import urlpatterns as tracker_urlpatterns

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("a forged header")


urlpatterns = [*tracker_urlpatterns, path("boom/", boom), path("suspicious/", suspicious)]


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = False
    settings.ROOT_URLCONF = __name__


def service_page(response):
    html = response.content.decode()
    return 'class="govuk-service-navigation' in html and 'class="govuk-phase-banner' in html


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_address_gets_the_service_404(client, settings, debug):
    settings.DEBUG = debug
    settings.TECHNICAL_ERROR_PAGES = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert service_page(response)
    html = response.content.decode()
    assert "Page not found" in html and "URLconf" not in html and "Using the URLconf" not in html


def test_a_missing_object_gets_the_service_404_with_debug_on(client, debug_on):
    response = client.get("/commitments/999999/")
    assert response.status_code == 404 and service_page(response)
    assert "Page not found" in response.content.decode()


def test_a_forbidden_page_gets_the_service_403(client, debug_on):
    commitment = CommitmentFactory()
    client.force_login(UserFactory(username="a-clerk", role=permissions.COMMITTEE_CLERKS))
    response = client.get(f"/commitments/{commitment.pk}/status/")
    assert response.status_code == 403 and service_page(response)
    html = response.content.decode()
    assert "You do not have permission" in html and "a-clerk" in html


def test_an_error_gets_the_service_500_with_debug_on_and_is_still_logged(debug_on, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html and "Traceback" not in html
    assert 'class="govuk-service-navigation' in html  # the layout, without a request
    assert any("boom" in record.getMessage() and record.exc_info for record in caplog.records)


def test_a_bad_request_gets_the_service_400_with_debug_on(client, debug_on):
    response = client.get("/suspicious/")
    assert response.status_code == 400 and service_page(response)


def test_technical_pages_can_be_asked_for(client, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and "URLconf" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_service_page(settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/accounts/settings/", {})
    assert response.status_code == 403 and service_page(response)
    assert "Your form could not be sent" in response.content.decode()
