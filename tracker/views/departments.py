from collections import defaultdict

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, render

from responses.models import Commitment, Position
from tracker import rules
from tracker.models import Addressee, Department, london_today, response_state_q
from tracker.visibility import published_commitments, published_positions

OVERDUE_LISTED = 20
NOT_JUDGED = (Commitment.Status.SUPERSEDED, Commitment.Status.NO_LONGER_APPLICABLE)


def _buckets(commitments, today, *group):
    """(*group, status, past due, count) rows: one grouped query the (department, status, due_latest) index
    answers alone."""
    return (
        commitments.annotate(past=ExpressionWrapper(Q(due_latest__lt=today), output_field=BooleanField()))
        .values_list(*group, "status", "past")
        .annotate(n=Count("*"))
        .order_by()
    )


def scorecard_totals(buckets):
    """Overdue, delivered on time, delivered late, judged and total, from (status, past due, count) rows.

    Judged: the commitments whose delivery can be judged, delivered at all or past their due date (superseded
    and no longer applicable ones are not). The share delivered on time is on_time / judged."""
    totals = dict.fromkeys(("overdue", "on_time", "late", "judged", "total"), 0)
    for status, past, n in buckets:
        totals["total"] += n
        if past and rules.is_open(status):  # rules.is_overdue, counted by (status, due before today)
            totals["overdue"] += n
        if status == Commitment.Status.DELIVERED:
            totals["on_time"] += n
        if status == Commitment.Status.DELIVERED_LATE:
            totals["late"] += n
        if status in (Commitment.Status.DELIVERED, Commitment.Status.DELIVERED_LATE) or (
            past and status not in NOT_JUDGED
        ):
            totals["judged"] += n
    totals["on_time_share"] = round(100 * totals["on_time"] / totals["judged"]) if totals["judged"] else None
    return totals


def status_rows(department, today):
    """Counts by status, the overdue ones first as their own row (they are open commitments past due)."""
    buckets = list(_buckets(published_commitments().filter(department=department), today))
    by_status = {}
    for status, _past, n in buckets:
        by_status[status] = by_status.get(status, 0) + n
    totals = scorecard_totals(buckets)
    rows = [
        {
            "status": None,
            "label": "Overdue (open and past the due date)",
            "count": totals["overdue"],
            "overdue": True,
        }
    ]
    for status in Commitment.Status:
        rows.append({"status": status.value, "label": status.label, "count": by_status.get(status.value, 0)})
    return rows, totals


# The scorecard's figures and the addressees' states they count (tracker.rules.RESPONSE_STATES). An interim
# reply past the deadline is missing (no full response identified); one not yet due, and 'not required', are
# counted apart as "other".
RECORD_STATES = {
    "on_time": ["received_on_time"],
    "late": ["received_late"],
    "date_unknown": ["received_date_unknown"],
    "missing": ["no_response_identified", "non_response_confirmed"],
    "not_yet_due": ["not_yet_due"],
    "other": ["interim_reply", "not_required"],
}


def response_records(addressees, today):
    """Per department: answered on time, late, date unknown, missing and not yet due on `today`, counted in
    SQL from the addressees' states by tracker.rules."""
    rows = (
        addressees.values("department_id")
        .annotate(
            **{
                key: Count("id", filter=response_state_q(states, today))
                for key, states in RECORD_STATES.items()
            }
        )
        .order_by()
    )
    records = {}
    for row in rows:
        department_id = row.pop("department_id")
        records[department_id] = row
    return records


EMPTY_RECORD = dict.fromkeys(RECORD_STATES, 0)


def response_record(department, today):
    addressees = Addressee.objects.filter(department=department)
    record = dict(response_records(addressees, today).get(department.id, EMPTY_RECORD))
    late_days = sorted(
        rules.response_days_late(rules.ResponseFacts(due=due, received_on=got), today)
        for got, due in addressees.in_state(["received_late"], today)
        .order_by()
        .values_list("response_received_on", "response_due")
    )
    record["median_days_late"] = late_days[len(late_days) // 2] if late_days else None
    return record


def department_list(request):
    """Every department with its scorecard figures: three queries whatever the number of departments."""
    today = london_today()
    buckets = defaultdict(list)
    for department_id, status, past, n in _buckets(published_commitments(), today, "department_id"):
        buckets[department_id].append((status, past, n))
    records = response_records(Addressee.objects.all(), today)
    recorded, nothing = [], []
    for department in Department.objects.only("name", "short_name", "slug", "kind").order_by("name"):
        if department.id not in buckets and department.id not in records:
            nothing.append(department)
            continue
        department.totals = scorecard_totals(buckets.get(department.id, []))
        department.record = records.get(department.id, EMPTY_RECORD)
        recorded.append(department)
    return render(
        request,
        "tracker/department_list.html",
        {"departments": recorded, "nothing_recorded": nothing, "today": today},
    )


def department_detail(request, slug):
    today = london_today()
    department = get_object_or_404(Department, slug=slug)
    rows, totals = status_rows(department, today)
    stances = dict(
        published_positions(Position.objects.filter(department=department))
        .values_list("stance")
        .annotate(n=Count("id"))
        .values_list("stance", "n")
    )
    overdue = (
        published_commitments(Commitment.objects.overdue(today))
        .filter(department=department)
        .order_by("due_latest", "id")[:OVERDUE_LISTED]
    )
    overdue = list(overdue)
    for commitment in overdue:
        commitment.overdue_days = commitment.days_overdue(today)
    context = {
        "department": department,
        "today": today,
        "status_rows": rows,
        "totals": totals,
        "on_time_share": totals["on_time_share"],
        "record": response_record(department, today),
        "stances": [(label, stances.get(value, 0)) for value, label in Position.Stance.choices],
        "positions_total": sum(stances.values()),
        "overdue": overdue,
        "overdue_listed": OVERDUE_LISTED,
        "missing": Addressee.objects.missing_response(today)
        .filter(department=department)
        .select_related("report")
        .order_by("response_due")[:20],
    }
    return render(request, "tracker/department_detail.html", context)
