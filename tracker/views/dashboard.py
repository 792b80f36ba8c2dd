import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.shortcuts import render
from django.template.loader import render_to_string

from responses.models import Commitment
from tracker import charts, rules
from tracker.models import Addressee, Department, london_today
from tracker.views.common import cached_while_commitments_unchanged
from tracker.visibility import published_commitments

MONTHS_SHOWN = 72  # six years


COUNTS = ("total", "open", "overdue", "due_soon", "delivered", "undated")


def counts_by_department(today):
    """Open, overdue, due within 30 days, delivered and undated, per department.

    One pass of conditional counts grouped by department, which PostgreSQL answers from the (department,
    status, due_latest, letter) index alone, in index order, without hashing.
    """
    # tracker.rules' definitions as conditional counts (the same as CommitmentQuerySet.open/overdue/due_soon).
    soon_from, soon_to = rules.due_soon_window(today)
    is_open = ~Q(status__in=rules.FINAL_STATUSES)

    def counted(condition=None):
        # COUNT(*) takes no FILTER in Django; `letter` is never null and is in the index, so counting it
        # counts rows without reading the table.
        return Count("letter", filter=condition)

    counts = (
        published_commitments()
        .values("department_id")
        .annotate(
            total=counted(),
            open=counted(is_open),
            overdue=counted(is_open & Q(due_latest__lt=today)),
            due_soon=counted(is_open & Q(due_latest__gte=soon_from, due_latest__lte=soon_to)),
            delivered=counted(Q(status__in=rules.DELIVERED_STATUSES)),
            undated=counted(Q(due_latest__isnull=True)),
        )
        .order_by()
    )
    rows = {row.pop("department_id"): row for row in counts}
    departments = Department.objects.filter(id__in=rows).only("name", "short_name", "slug")
    result = []
    for department in departments:
        result.append(
            {
                "department__name": department.name,
                "department__short_name": department.short_name,
                "department__slug": department.slug,
                **rows[department.id],
            }
        )
    result.sort(key=lambda row: (-row["overdue"], row["department__name"]))
    return result


def totals(departments):
    return {key: sum(row[key] for row in departments) for key in COUNTS}


def by_due_month(today):
    """Open commitments by the month they fall due (months with none: 0).

    The window runs from the earliest open due date to the latest, and always includes the current month;
    at most MONTHS_SHOWN months, the most recent ones, so a long tail of old promises does not squash the chart.
    Counted per due date (a few thousand dates, read in order from the open-commitments index) and added up
    into months here: truncating each date to its month in SQL costs a time-zone conversion per row.
    """
    counts = {}
    per_date = (
        published_commitments(Commitment.objects.open())
        .filter(due_latest__isnull=False)
        .values_list("due_latest")
        .annotate(n=Count("*"))
        .values_list("due_latest", "n")
        .order_by()
    )
    for due, n in per_date:
        key = (due.year, due.month)
        counts[key] = counts.get(key, 0) + n
    this_month = today.replace(day=1)
    first = min([datetime.date(y, m, 1) for y, m in counts] + [this_month])
    last = max([datetime.date(y, m, 1) for y, m in counts] + [this_month])
    first = max(first, last - relativedelta(months=MONTHS_SHOWN - 1))
    months, month = [], first
    while month <= last:
        months.append((month, counts.get((month.year, month.month), 0)))
        month += relativedelta(months=1)
    return months


def figures(today):
    """Everything on the dashboard drawn from all commitments: the counts, the two charts and their tables."""
    departments = counts_by_department(today)
    months = by_due_month(today)
    this_month = today.replace(day=1)
    overdue_rows = [(d["department__short_name"], d["overdue"]) for d in departments if d["overdue"]][:15]
    return {
        "departments": departments,
        "counts": totals(departments),
        "months": months,
        "month_table": render_to_string("tracker/includes/month_table.html", {"months": months}),
        "overdue_chart": charts.horizontal_bars(
            overdue_rows,
            title="Overdue commitments by department",
            description="Bar chart of open commitments past their due date, per department; "
            "the table below gives the same figures.",
        ),
        "month_chart": charts.vertical_bars(
            [(m.strftime("%b %Y"), n) for m, n in months],
            title="Open commitments by due month",
            description=f"Column chart of open commitments falling due each month from "
            f"{months[0][0]:%B %Y} to {months[-1][0]:%B %Y}; the current month is red; the table below "
            f"gives the same figures.",
            highlight=lambda label: label == this_month.strftime("%b %Y"),
        ),
    }


def dashboard(request):
    today = london_today()
    context = {
        "today": today,
        **cached_while_commitments_unchanged("dashboard-figures", today, lambda: figures(today)),
        "due_soon_to": rules.due_soon_window(today)[1],
        "oldest_overdue": published_commitments(Commitment.objects.overdue(today))
        .select_related("department")
        .order_by("due_latest", "id")[:10],
        **missing_responses(today),
    }
    return render(request, "tracker/dashboard.html", context)


MISSING_LISTED = 10


def missing_responses(today):
    """Responses not identified by their deadline, at the scale of the whole PFD corpus: how many, the
    government departments they fall to (a body's count goes to its department), the most recently missed."""
    missing = Addressee.objects.missing_response(today)
    by_organisation = dict(missing.order_by().values_list("department_id").annotate(n=Count("*")))
    # Departments and their bodies in one query (a body with a parent is a government body).
    organisations = Department.objects.filter(
        Q(kind__in=Department.GOVERNMENT_KINDS) | Q(parent__isnull=False)
    )
    parents, government = {}, {}
    for d in organisations.only("id", "name", "short_name", "slug", "kind", "parent_id"):
        if d.parent_id:
            parents[d.pk] = d.parent_id
        if d.is_government:
            government[d.pk] = d
    by_department = {}
    for organisation, n in by_organisation.items():
        top, seen = organisation, set()
        while top in parents and top not in seen:  # up to the department at the top
            seen.add(top)
            top = parents[top]
        if top in government:
            by_department[top] = by_department.get(top, 0) + n
    rows = sorted(
        ((government[pk], n) for pk, n in by_department.items()), key=lambda row: (-row[1], row[0].name)
    )
    return {
        "missing_total": sum(by_organisation.values()),
        "missing_government": sum(by_department.values()),
        "missing_by_department": rows[:MISSING_LISTED],
        "missing_responses": missing.select_related("report", "department").order_by("-response_due", "-id")[
            :MISSING_LISTED
        ],
    }
