"""Helpers shared by the page views: pagination that keeps the filters, figures over every commitment kept
while commitments are unchanged, and role checks that answer 403."""

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Subquery, Window

from responses.models import Commitment, CommitmentEvent
from tracker.visibility import draft_letter_ids

PAGE_SIZE = 50
# Figures drawn from every commitment are kept at most this long (see cached_while_commitments_unchanged).
FIGURES_CACHE_SECONDS = 60
MAX_PAGE_NUMBER = 10**9  # far beyond any list, well inside PostgreSQL's OFFSET (bigint)


def commitments_version():
    """What changes whenever a commitment is added, an event recorded (every status change, due date revision
    or evidence assessment made through the pages writes one) or a draft letter confirmed or discarded: the
    last commitment id, the last event id and the number of drafts. One query on three small index reads."""
    return (
        Commitment.objects.order_by("-id")
        .values_list("id")
        .annotate(
            event=Subquery(CommitmentEvent.objects.order_by("-id").values("id")[:1]),
            drafts=Subquery(
                draft_letter_ids().order_by().values("review_state").annotate(n=Count("*")).values("n")
            ),
        )
        .values_list("id", "event", "drafts")
        .first()
    )


def cached_while_commitments_unchanged(name, today, compute):
    """compute(), which reads every commitment, kept for FIGURES_CACHE_SECONDS under a key made of `name`,
    the day and commitments_version(): what changes through the service shows at once; an edit made
    directly in the admin, or a deletion, can take up to FIGURES_CACHE_SECONDS to show."""
    version = commitments_version()
    if version is None:  # no commitment at all: nothing worth keeping
        return compute()
    key = "{}:{}:{}:{}:{}".format(name, today.isoformat(), *version)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return found


def _page_counted_with_rows(paginator, number):
    """The page, with the total counted by the page's own query (COUNT(*) OVER ()), or None to fall back.

    For filters whose cost is finding the rows (a semi-join over every overdue commitment), the separate
    COUNT(*) of Paginator would find them all a second time. The window count runs before LIMIT, so it is the
    count of every row the filters match. Page numbers that are not plain positive numbers, and pages past
    the end, fall back to Paginator.get_page (which answers the first or last page).
    """
    try:
        number = int(number or 1)
    except (TypeError, ValueError):
        return None
    if number < 1 or number > MAX_PAGE_NUMBER:  # past the database's OFFSET range: Paginator answers instead
        return None
    bottom = (number - 1) * paginator.per_page
    rows = list(
        paginator.object_list.annotate(rows_matching=Window(Count("*")))[bottom : bottom + paginator.per_page]
    )
    if not rows and number > 1:
        return None
    paginator.count = rows[0].rows_matching if rows else 0  # Paginator.count is a cached property
    return paginator._get_page(rows, number, paginator)


def paginate(request, queryset, per_page=PAGE_SIZE, count_with_rows=False, count=None):
    """A page of `queryset` and the govukPagination params, with every other query parameter kept.

    count_with_rows: count the matching rows in the page's query rather than in a query of its own (worth it
    when matching is the expensive part; not when an index gives a page cheaply but the count must read
    every row, as on an unfiltered list of 100,000). count: the number of rows, when already known.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property
    page = _page_counted_with_rows(paginator, request.GET.get("page")) if count_with_rows else None
    if page is None:
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()

    def href(number):
        query["page"] = number
        return f"?{query.urlencode()}"

    params = {"items": []}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    if paginator.num_pages > 1:
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
            if number == paginator.ELLIPSIS:
                params["items"].append({"ellipsis": True})
            else:
                params["items"].append(
                    {"number": number, "href": href(number), "current": number == page.number}
                )
    return page, (params if paginator.num_pages > 1 else None)


def deny(request):
    """Anonymous visitors are sent to sign in; signed-in users without the right get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied
