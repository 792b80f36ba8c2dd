from collections import defaultdict

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from responses.models import Commitment, Position, ResponseLetter, Signatory
from tracker.filters import ReportFilter
from tracker.models import (
    Addressee,
    AddresseeEvent,
    Department,
    DigestSubscription,
    PublishedResponse,
    Recommendation,
    Report,
    london_today,
)
from tracker.pfd import statuses as pfd_statuses
from tracker.views.active_filters import active_filters
from tracker.views.common import paginate
from tracker.visibility import published_commitments, published_letters, published_positions


def report_list(request):
    today = london_today()
    reports = Report.objects.only("id", "slug", "title", "kind", "date_issued", "issuing_body", "deceased")
    filterset = ReportFilter(request.GET or None, queryset=reports, today=today)
    queryset = filterset.qs if not filterset.errors else reports.none()
    # Search matches through a semi-join that finds every matching report: counting them in the page's own
    # query spares doing that twice. Otherwise a page comes in index order and a separate count is cheaper
    # than reading every row for a window count.
    filters = getattr(filterset.form, "cleaned_data", None) or {}  # none when no filter was given
    semi_join = bool((filters.get("q") or "").strip())
    page, pagination = paginate(request, queryset, count_with_rows=semi_join)
    rows = list(page.object_list)
    # A commitment has one letter, and a letter is linked to a report once: no DISTINCT needed.
    overdue = dict(
        published_commitments(Commitment.objects.overdue(today))
        .filter(letter__reports__in=[r.id for r in rows])
        .values_list("letter__reports")
        .annotate(n=Count("id"))
        .values_list("letter__reports", "n")
    )
    # Whom each was sent to: one light query, no model per addressee. Departments by their short names,
    # other organisations (NHS trusts, councils: their short names are initials) by their names.
    sent_to = defaultdict(list)
    for report_id, department_id, short_name, name, kind in (
        Addressee.objects.filter(report_id__in=[r.id for r in rows])
        .order_by("department__name")
        .values_list(
            "report_id", "department_id", "department__short_name", "department__name", "department__kind"
        )
    ):
        label = short_name if kind in Department.GOVERNMENT_KINDS else name
        sent_to[report_id].append(Department(id=department_id, short_name=label))
    # The PFD reports' categories (pending, overdue, partial, completed): one query for the page.
    pfd_ids = [r.id for r in rows if r.kind == Report.Kind.PFD]
    categories = dict(
        Report.objects.filter(pk__in=pfd_ids).with_pfd_category(today).values_list("pk", "pfd_category")
        if pfd_ids
        else []
    )
    for report in rows:
        report.overdue_count = overdue.get(report.id, 0)
        report.departments_named = sent_to[report.id]
        report.pfd_category = categories.get(report.id)
        report.pfd_category_label = pfd_statuses.LABELS.get(report.pfd_category, "")
    return render(
        request,
        "tracker/report_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "pagination": pagination,
            "today": today,
            "active_filters": active_filters(request, filterset),
        },
    )


def report_detail(request, slug):
    today = london_today()
    report = get_object_or_404(Report, slug=slug)
    pfd = {}
    if report.kind == Report.Kind.PFD:

        def category_on(day):
            return (
                Report.objects.with_pfd_category(day).values_list("pfd_category", flat=True).get(pk=report.pk)
            )

        category = category_on(today)
        unattributed = list(
            report.published_responses.filter(attribution=PublishedResponse.Attribution.NONE).order_by("url")
        )
        # Compared with the Preventable Deaths Tracker's status on its own day (docs/pfd-statuses.md).
        then = category_on(report.pdt_status_on) if report.pdt_status_on else category
        pfd = {
            "pfd_category": category,
            "pfd_category_label": pfd_statuses.LABELS.get(category, ""),
            "pfd_category_then": then,
            "categories": list(report.categories.all()),
            "unattributed": unattributed,
            # Replies counted by the imported list beyond the documents we hold (Report.pfd_unattributed adds them).
            "unattributed_unlisted": max(0, report.pfd_unattributed - len(unattributed)),
        }
    letters = list(
        published_letters(report.response_letters.all())
        .defer("text", "extraction")
        .prefetch_related(
            "departments", Prefetch("signatories", queryset=Signatory.objects.order_by("order"))
        )
        .order_by("date", "id")
    )
    addressees = list(
        report.addressees.select_related("department", "department__parent", "response_letter")
        .defer("response_letter__text", "response_letter__extraction")
        .prefetch_related("events")
    )
    for addressee in addressees:
        addressee.state = addressee.response_state(today)
        addressee.late_by = addressee.days_late(today)
        if (
            addressee.response_letter
            and addressee.response_letter.review_state != ResponseLetter.ReviewState.CONFIRMED
        ):
            addressee.response_letter = None  # a draft: not linked until an editor confirms it
    # The commitments made in the report's (published) letters: by letter id, so no join and no DISTINCT.
    commitments = list(
        Commitment.objects.filter(letter_id__in=[letter.id for letter in letters])
        .select_related("department")
        # Only which recommendations each answers: no ordering (it would join every report to sort).
        .prefetch_related(Prefetch("recommendations", queryset=Recommendation.objects.order_by().only("id")))
    )
    by_recommendation = defaultdict(list)
    for commitment in commitments:
        commitment.overdue_days = commitment.days_overdue(today)
        for recommendation in commitment.recommendations.all():
            by_recommendation[recommendation.id].append(commitment)
    recommendations = list(
        report.recommendations.prefetch_related(
            "departments",
            Prefetch(
                "positions", queryset=published_positions(Position.objects.select_related("department"))
            ),
        )
    )
    for recommendation in recommendations:
        positions = {p.department_id: p for p in recommendation.positions.all()}
        departments = list(recommendation.departments.all()) or [a.department for a in addressees]
        recommendation.stances = [(d, positions.get(d.id)) for d in departments]
        recommendation.answering = by_recommendation.get(recommendation.id, [])
    context = {
        "report": report,
        "addressees": addressees,
        "recommendations": recommendations,
        "commitments": commitments,
        "unlinked_commitments": [c for c in commitments if not c.recommendations.all()],
        "letters": letters,
        "timeline": timeline(report, addressees, letters, commitments, today),
        "today": today,
        "following": _following(request.user, report),
        "state_labels": Addressee.ResponseState,
        **pfd,
    }
    return render(request, "tracker/report_detail.html", context)


def _following(user, report):
    if not user.is_authenticated:
        return None
    return DigestSubscription.objects.filter(user=user, reports=report).exists()


def timeline(report, addressees, letters, commitments, today):
    """What happened and what is due, in date order: issue, deadlines, extensions, responses, due dates."""
    events = []
    if report.date_issued:
        events.append((report.date_issued, "Report issued", report.issuing_body or report.get_kind_display()))
    for addressee in addressees:
        name = addressee.department.name
        if addressee.original_response_due:
            events.append((addressee.original_response_due, "Response due", name))
        for event in addressee.events.all():
            if event.kind == AddresseeEvent.Kind.EXTENSION_GRANTED:
                events.append(
                    (
                        event.happened_on,
                        "Extension granted",
                        f"{name}: now due {event.new_deadline:%-d %B %Y}",
                    )
                )
        if addressee.response_received_on and not addressee.response_date_known:
            events.append((addressee.response_received_on, "Response published (received by then)", name))
        elif addressee.response_received_on:
            late = f", {addressee.late_by} days late" if addressee.late_by else ", on time"
            events.append((addressee.response_received_on, "Response received", f"{name}{late}"))
        elif addressee.state == Addressee.ResponseState.NO_RESPONSE_IDENTIFIED:
            events.append((addressee.response_due, "No response identified by the deadline", name))
    for letter in letters:
        if letter.date:
            names = ", ".join(d.short_name for d in letter.departments.all())
            events.append((letter.date, "Response letter", names or "Letter"))
    for commitment in commitments:
        if commitment.due_latest:
            label = (
                "Commitment due"
                if commitment.due_latest >= today or commitment.is_final
                else "Commitment due (overdue)"
            )
            events.append((commitment.due_latest, label, commitment.text[:120]))
    events.sort(key=lambda e: e[0])
    return [{"date": d, "what": what, "detail": detail, "future": d > today} for d, what, detail in events]
