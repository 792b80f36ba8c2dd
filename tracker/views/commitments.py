from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from responses.models import Commitment, CommitmentEvent, StaleCommitment
from tracker import permissions
from tracker.csv_export import csv_response
from tracker.filters import CommitmentFilter
from tracker.forms import DueDateRevisionForm, EvidenceAssessmentForm, StatusChangeForm
from tracker.models import Report, london_today
from tracker.views.active_filters import active_filters
from tracker.views.common import cached_while_commitments_unchanged, deny, paginate
from tracker.visibility import published_commitments

QUOTE_CONTEXT_CHARS = 400
STALE_MESSAGE = (
    "Someone else changed this commitment after you opened this page, so your change was not saved. "
    "Check its current state below and make your change again if it is still needed."
)


def filtered_commitments(request, today):
    commitments = published_commitments().select_related("department").only(
        "id", "text", "time_phrase", "due_latest", "precision", "status", "evidence_state",
        "department__name", "department__short_name", "department__slug",
    )  # fmt: skip
    filterset = CommitmentFilter(request.GET or None, queryset=commitments, today=today)
    queryset = filterset.qs if not filterset.errors else commitments.none()
    return filterset, queryset


def unfiltered(filterset):
    """No filter narrows the list (sorting does not change how many rows there are)."""
    values = getattr(filterset.form, "cleaned_data", None) or {}
    return not filterset.errors and not any(v not in (None, "") for k, v in values.items() if k != "sort")


def commitment_list(request):
    today = london_today()
    filterset, queryset = filtered_commitments(request, today)
    # Counting every commitment costs a read of 100,000 index entries: the whole list's count is kept like
    # the dashboard's figures (exact after any change made through the service).
    total = (
        cached_while_commitments_unchanged("commitment-total", today, published_commitments().count)
        if unfiltered(filterset)
        else None
    )
    page, pagination = paginate(request, queryset, count=total)
    for commitment in page.object_list:
        commitment.overdue_days = commitment.days_overdue(today)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "tracker/commitment_list.html",
        {
            "filter": filterset,
            "page": page,
            "pagination": pagination,
            "today": today,
            "export_query": export_query.urlencode(),
            "active_filters": active_filters(request, filterset),
        },
    )


CSV_COLUMNS = [
    "id", "url", "promise", "department", "time_phrase", "due_earliest", "due_latest", "precision",
    "days_overdue", "status", "evidence", "letter_date", "letter_url", "report", "report_url",
]  # fmt: skip
REPORTS_JOINED_BY = " | "  # a letter may answer several reports: titles and links in the same order


def commitment_export(request):
    """Exactly the rows the same query parameters show on /commitments/, all pages, streamed."""
    today = london_today()
    _, queryset = filtered_commitments(request, today)
    queryset = (
        queryset.select_related("letter")
        .only(*[f.attname for f in Commitment._meta.concrete_fields], "department__name", "letter__date")
        # The reports of each chunk's letters: one query a chunk of 2,000 rows.
        .prefetch_related(Prefetch("letter__reports", queryset=Report.objects.only("title", "slug")))
    )

    def reports(c):
        return list(c.letter.reports.all())

    rows = (
        [
            c.pk,
            f"{settings.SITE_URL}{c.get_absolute_url()}",
            c.text,
            c.department.name,
            c.time_phrase,
            c.due_earliest,
            c.due_latest,
            c.get_precision_display(),
            c.days_overdue(today),
            c.get_status_display(),
            c.get_evidence_state_display(),
            c.letter.date,
            f"{settings.SITE_URL}{c.letter.get_absolute_url()}",
            REPORTS_JOINED_BY.join(r.title for r in reports(c)),
            REPORTS_JOINED_BY.join(f"{settings.SITE_URL}{r.get_absolute_url()}" for r in reports(c)),
        ]  # fmt: skip
        for c in queryset.iterator(chunk_size=2000)
    )
    return csv_response(f"commitments-{today:%Y-%m-%d}.csv", CSV_COLUMNS, rows)


def quote_in_context(commitment):
    """(before, quote, after) from the letter's text around the commitment's offsets, or None."""
    text = commitment.letter.text
    start, end = commitment.text_start, commitment.text_end
    if start is None or not end or end > len(text) or end <= start:
        return None
    before_start = max(0, start - QUOTE_CONTEXT_CHARS)
    after_end = min(len(text), end + QUOTE_CONTEXT_CHARS)
    before = ("…" if before_start else "") + text[before_start:start]
    after = text[end:after_end] + ("…" if after_end < len(text) else "")
    return before, text[start:end], after


def _detail_context(request, commitment, **forms):
    today = london_today()
    user = request.user
    commitment.overdue_days = commitment.days_overdue(today)
    events = list(commitment.events.select_related("by"))
    context = {
        "commitment": commitment,
        "today": today,
        "context": quote_in_context(commitment),
        "events": events,
        # The due date shown follows the last revision: say so, not how the first date was read.
        "last_revision": next((e for e in events if e.kind == CommitmentEvent.Kind.DUE_DATE_REVISED), None),
        "recommendations": commitment.recommendations.select_related("report"),
        "reports": commitment.letter.reports.all(),
        "show_notes": permissions.can_see_internal_notes(user),
        "can_change": permissions.can_change_commitment(user, commitment),
        "can_assess": permissions.can_assess_evidence(user, commitment),
    }
    context.update(forms)
    return context


def _load(pk):
    return get_object_or_404(published_commitments().select_related("department", "letter"), pk=pk)


def commitment_detail(request, pk):
    commitment = _load(pk)
    return render(request, "tracker/commitment_detail.html", _detail_context(request, commitment))


def _change_view(request, pk, *, form_class, allowed, apply, template, title, initial=None):
    """The pattern of every change form: check the right, validate, apply with the version, or show why not."""
    commitment = _load(pk)
    if not allowed(request.user, commitment):
        return deny(request)

    def make_form(data=None):
        extra = {"current": commitment} if form_class is StatusChangeForm else {}
        if data is not None:
            return form_class(data, **extra)
        values = initial(commitment) if initial else {}
        return form_class(initial={**values, "version": commitment.version}, **extra)

    stale = False
    if request.method == "POST":
        form = make_form(request.POST)
        if form.is_valid():
            try:
                apply(commitment, form.cleaned_data, request.user)
            except StaleCommitment:
                # Never overwrite: show what is saved now, with a fresh form carrying the current version.
                stale = True
                commitment = _load(pk)
                form = make_form()
            except ValueError as error:  # a rule of the model the form did not anticipate
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your change was saved.")
                return redirect(commitment.get_absolute_url())
    else:
        form = make_form()
    context = _detail_context(request, commitment, form=form, stale=stale, form_title=title)
    context["stale_rows"] = [{"text": STALE_MESSAGE, "href": "#current-state"}]
    return render(request, template, context, status=409 if stale else 200)


def _apply_status(commitment, data, user):
    commitment.change_status(
        data["status"],
        by=user,
        note=data["note"],
        evidence_url=data["evidence_url"],
        delivered_on=data["delivered_on"] if data["status"] == Commitment.Status.DELIVERED else None,
        reason=data["reason"],
        expected_version=data["version"],
    )


@require_http_methods(["GET", "POST"])
def commitment_change_status(request, pk):
    return _change_view(
        request,
        pk,
        form_class=StatusChangeForm,
        allowed=permissions.can_change_commitment,
        apply=_apply_status,
        template="tracker/commitment_change_status.html",
        title="Update delivery status",
        initial=lambda c: {
            "status": Commitment.Status.DELIVERED
            if c.status == Commitment.Status.DELIVERED_LATE
            else c.status,
            "delivered_on": c.delivered_on,
            "evidence_url": c.evidence_url,
            "reason": c.status_reason,
        },
    )


def _apply_due_date(commitment, data, user):
    commitment.revise_due_date(
        due_latest=data["due_latest"],
        time_phrase=data["time_phrase"] or None,
        by=user,
        reason=data["reason"],
        expected_version=data["version"],
    )


@require_http_methods(["GET", "POST"])
def commitment_revise_due_date(request, pk):
    return _change_view(
        request,
        pk,
        form_class=DueDateRevisionForm,
        allowed=permissions.can_change_commitment,
        apply=_apply_due_date,
        template="tracker/commitment_revise_due_date.html",
        title="Revise the due date",
    )


def _apply_evidence(commitment, data, user):
    if commitment.evidence_state == Commitment.EvidenceState.NO_CLAIM:
        raise ValueError("No delivery has been claimed yet, so there is no claim to assess")
    commitment.assess_evidence(
        data["evidence_state"], by=user, note=data["note"], expected_version=data["version"]
    )


def _may_assess(user, commitment):
    return permissions.can_assess_evidence(user, commitment)


@require_http_methods(["GET", "POST"])
def commitment_assess_evidence(request, pk):
    return _change_view(
        request,
        pk,
        form_class=EvidenceAssessmentForm,
        allowed=_may_assess,
        apply=_apply_evidence,
        template="tracker/commitment_assess_evidence.html",
        title="Assess the delivery claim",
    )
