from django.conf import settings
from django.shortcuts import render

from tracker import search
from tracker.forms import SearchForm
from tracker.models import london_today
from tracker.views.common import paginate

FIRST_OF_EACH = 5
PAGE_SIZE = 20


def _prepare(key, rows, query, today):
    for row in rows:
        if key in ("recommendations", "letters"):
            row.snippet = search.snippet(row.text, query)
        if key == "commitments":
            row.overdue_days = row.days_overdue(today)
    return rows


def search_page(request):
    """/search/?q=...: the first results of each kind with how many match; &type=letters: all of one kind."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    kind = form.cleaned_data.get("type") if form.is_valid() else ""
    today = london_today()
    context = {"form": form, "query": query, "kind": kind, "kinds": search.KINDS, "groups": [], "page": None}
    context["search_is_full_text"] = settings.IS_POSTGRES
    if query and kind:
        page, pagination = paginate(
            request, search.matching(kind, query), per_page=PAGE_SIZE, count_with_rows=True
        )
        context.update(
            page=page,
            pagination=pagination,
            rows=_prepare(kind, list(page.object_list), query, today),
            kind_label=next(k.label for k in search.KINDS if k.key == kind),
        )
    elif query:
        for each in search.KINDS:
            rows, total = search.first_results(each.key, query, FIRST_OF_EACH)
            context["groups"].append(
                {"kind": each, "rows": _prepare(each.key, rows, query, today), "total": total}
            )
        context["total"] = sum(group["total"] for group in context["groups"])
    return render(request, "tracker/search.html", context)
