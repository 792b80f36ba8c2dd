import mimetypes

from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from responses.models import Commitment, Signatory
from tracker import rules
from tracker.filters import LetterFilter
from tracker.models import Department, Report, london_today
from tracker.views.active_filters import active_filters
from tracker.views.common import paginate
from tracker.visibility import published_letters


def letter_list(request):
    """Every confirmed response letter: date, departments, the reports it answers and its promises."""
    today = london_today()
    letters = (
        published_letters()
        .only("id", "date")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.only("name", "short_name", "slug")),
            Prefetch("reports", queryset=Report.objects.only("title", "slug", "kind")),
        )
    )
    filterset = LetterFilter(request.GET or None, queryset=letters, today=today)
    queryset = filterset.qs if not filterset.errors else letters.none()
    page, pagination = paginate(request, queryset)
    rows = list(page.object_list)
    # The promises of the page's letters, counted in one grouped query (rules.is_overdue in SQL).
    is_open = ~Q(status__in=rules.FINAL_STATUSES)
    counts = {
        row["letter_id"]: row
        for row in Commitment.objects.filter(letter_id__in=[letter.id for letter in rows])
        .values("letter_id")
        .annotate(total=Count("id"), overdue=Count("id", filter=is_open & Q(due_latest__lt=today)))
        .order_by()
    }
    for letter in rows:
        found = counts.get(letter.id, {})
        letter.commitment_count = found.get("total", 0)
        letter.overdue_count = found.get("overdue", 0)
    return render(
        request,
        "tracker/letter_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "pagination": pagination,
            "active_filters": active_filters(request, filterset),
        },
    )


def highlighted_segments(text, commitments):
    """The letter's text cut into plain and commitment pieces, using each commitment's offsets.

    Commitments without offsets, or whose offsets overlap one already placed, are listed but not marked.
    """
    placed, segments, cursor = [], [], 0
    located = sorted(
        (c for c in commitments if c.text_start is not None and c.text_end and c.text_end <= len(text)),
        key=lambda c: (c.text_start, c.text_end),
    )
    for commitment in located:
        if commitment.text_start < cursor or commitment.text_end <= commitment.text_start:
            continue
        if commitment.text_start > cursor:
            segments.append({"text": text[cursor : commitment.text_start]})
        segments.append({"text": text[commitment.text_start : commitment.text_end], "commitment": commitment})
        placed.append(commitment.pk)
        cursor = commitment.text_end
    if cursor < len(text):
        segments.append({"text": text[cursor:]})
    if segments and "commitment" not in segments[0]:
        segments[0]["text"] = segments[0]["text"].lstrip("\r\n")  # blank lines above the letterhead
    return segments, set(placed)


def letter_detail(request, pk):
    letter = get_object_or_404(published_letters().prefetch_related("departments", "reports"), pk=pk)
    today = london_today()
    commitments = list(letter.commitments.select_related("department").order_by("text_start", "id"))
    for number, commitment in enumerate(commitments, start=1):
        commitment.number = number
        commitment.overdue_days = commitment.days_overdue(today)
    segments, placed = highlighted_segments(letter.text, commitments)
    context = {
        "letter": letter,
        "segments": segments,
        "commitments": commitments,
        "not_placed": [c for c in commitments if c.pk not in placed],
        "signatories": Signatory.objects.filter(letter=letter).order_by("order"),
    }
    return render(request, "tracker/letter_detail.html", context)


def letter_original(request, pk):
    """The file as uploaded, for download (media files are not otherwise served by the app)."""
    letter = get_object_or_404(published_letters(), pk=pk)
    if not letter.original_file:
        raise Http404("No original file was kept for this letter.")
    try:
        handle = letter.original_file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The original file is missing from storage.") from error
    filename = letter.original_filename or letter.original_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
