"""The service's own chrome around every page: service navigation, phase banner, breadcrumbs, footer links.

Every tag works without a request in the context, because the 500 page is rendered with none (Django's
server_error view uses no context processors, so a failing database or session cannot break the error page).
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from tracker.templatetags.govuk import render_component

register = template.Library()

# (text, URL name, the path prefixes that make the item active). The dashboard is current only on "/".
NAVIGATION = [
    ("Dashboard", "dashboard", ()),
    ("Reports", "report_list", ("/reports/",)),
    ("Letters", "letter_list", ("/letters/",)),
    ("Commitments", "commitment_list", ("/commitments/",)),
    ("Departments", "department_list", ("/departments/",)),
    ("PFD non-responses", "pfd_non_responses", ("/pfd/",)),
    ("Search", "search", ("/search/",)),
]


def _href(name):
    try:
        return reverse(name)
    except NoReverseMatch:  # a page another part of the service has not added yet
        return None


@register.simple_tag
def service_name():
    return settings.SERVICE_NAME


@register.simple_tag(takes_context=True)
def service_navigation(context):
    request = context.get("request")
    path = request.path if request is not None else ""
    items = []
    for text, name, prefixes in NAVIGATION:
        href = _href(name)
        if href is None:
            continue
        current = path == href
        items.append(
            {"text": text, "href": href, "current": current, "active": current or path.startswith(prefixes)}
        )
    sign_out = ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items.append(
            {
                "text": "Your account",
                "href": reverse("account_settings"),
                "current": path == reverse("account_settings"),
                "active": path.startswith("/accounts/"),
            }
        )
        sign_out = format_html(
            '<li class="govuk-service-navigation__item"><form method="post" action="{}" class="tracker-inline-form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="govuk-service-navigation__link tracker-link-button">'
            'Sign out<span class="govuk-visually-hidden"> ({})</span></button></form></li>',
            reverse("logout"),
            get_token(request),
            user.get_username(),
        )
    elif request is not None:
        next_path = "/" if path.startswith("/accounts/") else path
        items.append({"text": "Sign in", "href": f"{reverse('login')}?{urlencode({'next': next_path})}"})
    return render_component(
        "govukServiceNavigation",
        {
            "serviceName": settings.SERVICE_NAME,
            "serviceUrl": "/",
            "navigation": items,
            "navigationLabel": "Menu",
            "slots": {"navigationEnd": sign_out} if sign_out else None,
        },
    )


@register.simple_tag
def phase_banner():
    feedback = settings.FEEDBACK_URL
    return render_component(
        "govukPhaseBanner",
        {
            "tag": {"text": settings.SERVICE_PHASE},
            "html": format_html(
                'This is a new service. Help us improve it and <a class="govuk-link" href="{}">give your '
                "feedback</a>.",
                feedback,
            ),
        },
    )


@register.simple_tag
def breadcrumbs(*pairs):
    """GOV.UK breadcrumbs from Home to the current page's parent: {% breadcrumbs "Reports" "report_list" %}.

    Arguments come in pairs of text and link; a link is a URL name or a path ("/reports/?kind=pfd"). The
    Design System ends the trail at the parent section, so the current page is never in it.
    """
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of text and link")
    items = [{"text": "Home", "href": reverse("dashboard")}]
    for text, link in zip(pairs[::2], pairs[1::2], strict=True):
        href = link if str(link).startswith("/") else reverse(link)
        items.append({"text": str(text), "href": href})
    return render_component("govukBreadcrumbs", {"items": items, "collapseOnMobile": True})


@register.simple_tag
def footer_links():
    links = [(text, _href(name)) for text, name, _ in NAVIGATION if name != "dashboard"]
    links.append(("All commitments as CSV", _href("commitment_export")))
    return [(text, href) for text, href in links if href]
