"""Staff preview: what a given subscriber would receive in this week's digest (nothing is sent)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from tracker import digests, emails
from tracker.models import DigestSubscription
from tracker.permissions import can_preview_digests


@login_required
def digest_preview(request):
    if not can_preview_digests(request.user):
        raise PermissionDenied("Only staff may preview digests.")
    week = request.GET.get("week") or digests.current_week()
    try:
        digests.week_monday(week)
    except ValueError:
        week = digests.current_week()
    subscriptions = DigestSubscription.objects.select_related("user").order_by("user__username")
    context = {"subscriptions": subscriptions, "week": week, "digest": None}
    if request.GET.get("subscription"):
        chosen = request.GET["subscription"]
        if not chosen.isascii() or not chosen.isdigit():  # a bookmark typed by hand: not found, not a crash
            raise Http404("No such subscriber.")
        subscription = get_object_or_404(subscriptions, pk=int(chosen))
        digest = digests.build_digest(subscription, week)
        context.update(
            digest=digest,
            subject=emails.digest_message(digest).subject,
            text=emails.digest_text(digest),
            would_send=subscription.active and (not digest.is_empty or subscription.send_when_empty),
        )
    return render(request, "digests/preview.html", context)
