"""The PFD corpus pages: the non-responses list (like the Chief Coroner's) and a department's PFD queue, each
with its CSV (the same filters, every row)."""

from django.conf import settings
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, render

from tracker import rules
from tracker.csv_export import csv_response
from tracker.filters import NonResponseFilter, PfdQueueFilter
from tracker.models import CLOCK_LABELS, Addressee, Department, Report, london_today
from tracker.views.common import paginate

NON_RESPONSE_COLUMNS = [
    "Reference",
    "Report",
    "Report date",
    "Coroner area",
    "Addressee",
    "Named in the report as",
    "Kind of organisation",
    "Part of",
    "Response due",
    "Days overdue",
    "Address",
]
QUEUE_COLUMNS = [
    "Reference",
    "Report",
    "Report date",
    "Coroner area",
    "Sent to",
    "Response due",
    "State",
    "Days overdue",
    "Response received (on or before)",
    "Response",
    "Address",
]


def _non_responses(request, today):
    queryset = (
        Addressee.objects.missing_response(today)
        .filter(report__kind=Report.Kind.PFD)
        .with_unattributed_responses()
        .select_related("report", "department", "department__parent")
        .only(
            "id",
            "named_as",
            "response_due",
            "report__slug",
            "report__title",
            "report__reference",
            "report__date_issued",
            "report__issuing_body",
            "department__name",
            "department__slug",
            "department__kind",
            "department__parent__name",
        )  # fmt: skip
        .order_by("response_due", "id")
    )
    filterset = NonResponseFilter(request.GET or None, queryset=queryset, today=today)
    return filterset, (filterset.qs if not filterset.errors else queryset.none())


def non_responses(request):
    today = london_today()
    filterset, queryset = _non_responses(request, today)
    page, pagination = paginate(request, queryset)
    rows = list(page.object_list)
    for addressee in rows:
        addressee.overdue_days = rules.days_past_deadline(addressee.response_due, today)
    return render(
        request,
        "tracker/pfd_non_responses.html",
        {"filter": filterset, "page": page, "rows": rows, "pagination": pagination, "today": today},
    )


def non_responses_export(request):
    today = london_today()
    _, queryset = _non_responses(request, today)
    rows = (
        [
            a.report.reference,
            a.report.title,
            a.report.date_issued,
            a.report.issuing_body,
            a.department.name,
            a.named_as,
            a.department.get_kind_display(),
            a.department.parent.name if a.department.parent else "",
            a.response_due,
            rules.days_past_deadline(a.response_due, today),
            f"{settings.SITE_URL}{a.report.get_absolute_url()}",
        ]
        for a in queryset.iterator(chunk_size=2000)
    )
    return csv_response(f"pfd-non-responses-{today:%Y-%m-%d}.csv", NON_RESPONSE_COLUMNS, rows)


def _queue(request, organisation_ids, today):
    queryset = (
        Addressee.objects.filter(department_id__in=organisation_ids, report__kind=Report.Kind.PFD)
        .with_clock(today)
        .select_related("report", "department")
        .only(
            "id",
            "named_as",
            "response_due",
            "response_received_on",
            "response_date_known",
            "response_url",
            "response_required",
            "interim_reply_on",
            "non_response_confirmed_at",
            "report__slug",
            "report__title",
            "report__reference",
            "report__date_issued",
            "report__issuing_body",
            "department__name",
            "department__slug",
        )  # fmt: skip
        .order_by(F("response_due").desc(nulls_last=True), "-id")
    )
    filterset = PfdQueueFilter(request.GET or None, queryset=queryset, today=today)
    return filterset, (filterset.qs if not filterset.errors else queryset.none())


def department_pfd_queue(request, slug):
    today = london_today()
    department = get_object_or_404(Department, slug=slug)
    organisation_ids = department.with_bodies_ids()
    filterset, queryset = _queue(request, organisation_ids, today)
    counts = dict.fromkeys(CLOCK_LABELS, 0)
    base = Addressee.objects.filter(
        department_id__in=organisation_ids, report__kind=Report.Kind.PFD
    ).with_clock(today)
    for clock, n in base.order_by().values_list("clock").annotate(n=Count("*")).values_list("clock", "n"):
        counts[clock] = n
    page, pagination = paginate(request, queryset)
    rows = list(page.object_list)
    for addressee in rows:
        addressee.overdue_days = addressee.days_late(today) if addressee.clock == "overdue" else 0
        addressee.late_by = addressee.days_late(today)
        addressee.state = addressee.response_state(today)
    bodies = Department.objects.filter(pk__in=organisation_ids).exclude(pk=department.pk).order_by("name")
    return render(
        request,
        "tracker/department_pfd_queue.html",
        {
            "department": department,
            "bodies": bodies,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "pagination": pagination,
            "counts": [
                (key, label, counts[key])
                for key, label in CLOCK_LABELS.items()
                if key != "not_required" or counts[key]
            ],
            "today": today,
        },
    )


def department_pfd_queue_export(request, slug):
    today = london_today()
    department = get_object_or_404(Department, slug=slug)
    _, queryset = _queue(request, department.with_bodies_ids(), today)
    rows = (
        [
            a.report.reference,
            a.report.title,
            a.report.date_issued,
            a.report.issuing_body,
            a.department.name,
            a.response_due,
            CLOCK_LABELS[a.clock],
            a.days_late(today) if a.clock == "overdue" else 0,
            a.response_received_on,
            a.response_url,
            f"{settings.SITE_URL}{a.report.get_absolute_url()}",
        ]
        for a in queryset.iterator(chunk_size=2000)
    )
    return csv_response(f"pfd-queue-{department.slug}-{today:%Y-%m-%d}.csv", QUEUE_COLUMNS, rows)
