from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Paths that must answer without sign-in even on an internal deployment.
OPEN_PREFIXES = ("/accounts/", "/healthz", "/static/", "/admin/")


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
