"""Pages. Placeholder versions until the web application issue replaces them with GOV.UK pages."""

from django.shortcuts import get_object_or_404, render

from responses.models import Commitment, ResponseLetter
from tracker.models import Department, Report, london_today


def dashboard(request):
    today = london_today()
    commitments = Commitment.objects.all()
    context = {
        "open_count": commitments.open().count(),
        "overdue_count": commitments.overdue(today).count(),
        "delivered_count": commitments.filter(status__in=Commitment.DELIVERED_STATUSES).count(),
        "undated_count": commitments.undated().count(),
        "reports": Report.objects.order_by("-date_issued")[:20],
    }
    return render(request, "tracker/dashboard.html", context)


def report_list(request):
    return render(request, "tracker/report_list.html", {"reports": Report.objects.all()[:100]})


def report_detail(request, slug):
    report = get_object_or_404(Report, slug=slug)
    return render(request, "tracker/report_detail.html", {"report": report})


def letter_detail(request, pk):
    letter = get_object_or_404(ResponseLetter, pk=pk)
    return render(request, "tracker/letter_detail.html", {"letter": letter})


def commitment_list(request):
    commitments = Commitment.objects.select_related("department")[:200]
    return render(
        request, "tracker/commitment_list.html", {"commitments": commitments, "today": london_today()}
    )


def commitment_detail(request, pk):
    commitment = get_object_or_404(Commitment.objects.select_related("department", "letter"), pk=pk)
    return render(request, "tracker/commitment_detail.html", {"commitment": commitment})


def department_detail(request, slug):
    department = get_object_or_404(Department, slug=slug)
    return render(request, "tracker/department_detail.html", {"department": department})
