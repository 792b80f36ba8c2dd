import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.views import defaults

# Paths that must answer without sign-in even on an internal deployment.
OPEN_PREFIXES = ("/accounts/", "/healthz", "/static/", "/admin/")

logger = logging.getLogger("django.request")


class LoginRequiredEverywhereMiddleware:
    """With LOGIN_REQUIRED_EVERYWHERE on, every page needs sign-in (internal deployments)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.LOGIN_REQUIRED_EVERYWHERE
            and not request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ServiceErrorPagesMiddleware:
    """The service's own 404, 400 and 500 pages when DEBUG is on, as the quick start (`make run`) runs.

    With DEBUG on, Django answers an unknown address, a missing object and an error with its technical pages
    (the URL patterns it tried, a traceback) instead of 404.html, 400.html and 500.html; 403.html it uses
    either way. People trying the service from a fresh clone should see what its users see, so this hands
    those cases to Django's own error views, which render the templates exactly as with DEBUG off. The error
    is still logged (logger django.request) and signalled. TECHNICAL_ERROR_PAGES=1 turns this off for
    debugging. With DEBUG off it does nothing: Django already does the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def active():
        return settings.DEBUG and not settings.TECHNICAL_ERROR_PAGES

    def __call__(self, request):
        response = self.get_response(request)
        if self.active() and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            # No URL pattern matched: the resolver's Http404 never reaches process_exception.
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not self.active() or isinstance(exception, PermissionDenied):
            return None  # Django renders 403.html whatever DEBUG says
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            logger.warning("Bad request: %s (%s)", request.path, exception)
            return defaults.bad_request(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        signals.got_request_exception.send(sender=None, request=request)
        return defaults.server_error(request)
