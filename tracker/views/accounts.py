from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tracker import permissions
from tracker.forms import DigestSubscriptionForm
from tracker.models import DigestSubscription, Report


@login_required
def account_settings(request):
    """The signed-in user's weekly digest: departments, reports and 'nothing to report' emails."""
    subscription, _ = DigestSubscription.objects.get_or_create(user=request.user)
    form = DigestSubscriptionForm(request.POST or None, instance=subscription)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your digest settings were saved.")
        return redirect("account_settings")
    context = {
        "form": form,
        "subscription": subscription,
        "roles": permissions.roles_of(request.user),
        "departments": request.user.departments.order_by("name"),
        "abilities": permissions.abilities(request.user),
    }
    return render(request, "tracker/account_settings.html", context)


@login_required
@require_POST
def follow_report(request, slug):
    report = get_object_or_404(Report, slug=slug)
    subscription, _ = DigestSubscription.objects.get_or_create(user=request.user)
    if request.POST.get("follow") == "0":
        subscription.reports.remove(report)
        messages.success(request, "You no longer follow this report in your digest.")
    else:
        subscription.reports.add(report)
        messages.success(request, "This report is now in your weekly digest.")
    return redirect(report.get_absolute_url())
