"""An addressee's clock in the admin: changed only through forms that call Addressee's methods.

The deadline, the response, whether one is required, an interim reply and a confirmed non-response decide
whether a report is answered, late or missing (tracker.rules). In the admin they are read-only fields; each
change is one of the ACTIONS below, a small form that asks for what the rule needs (a date, a reason), calls
the model's method (which writes an AddresseeEvent row and a new version) and is refused when someone
changed the addressee after the form was opened (StaleAddressee: 409 with a clear message).
"""

import dataclasses
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from tracker.models import STALE_ADDRESSEE_MESSAGE, Addressee, StaleAddressee
from tracker.validators import WebAddressField

# A browser date picker; the value is YYYY-MM-DD, which DateField reads.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON_HELP = "Kept in the addressee's history with your name."


class AddresseeActionForm(forms.Form):
    """What every change carries: the version the page was opened at, and why."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=REASON_HELP,
        error_messages={"required": "Give a reason: it is kept in the addressee's history."},
    )

    def __init__(self, *args, addressee, **kwargs):
        super().__init__(*args, **kwargs)
        self.addressee = addressee
        self.fields["expected_version"].initial = addressee.version


class ExtendDeadlineForm(AddresseeActionForm):
    new_deadline = forms.DateField(label="New deadline", widget=DATE)
    field_order = ["new_deadline", "reason"]

    def clean_new_deadline(self):
        day = self.cleaned_data["new_deadline"]
        if self.addressee.response_due and day == self.addressee.response_due:
            raise forms.ValidationError("That is the deadline in force already.")
        return day


class RecordResponseForm(AddresseeActionForm):
    received_on = forms.DateField(label="Received on", widget=DATE)
    letter = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Response letter",
        help_text="One of the letters in the tracker answering this report, if it is one.",
    )
    url = WebAddressField(
        required=False,
        label="Published at",
        max_length=500,
        help_text="The response's web address, if published.",
    )
    date_known = forms.BooleanField(
        required=False,
        initial=True,
        label="The date is known",
        help_text="Untick when only the month it was published is known (give its last day).",
    )
    field_order = ["received_on", "letter", "url", "date_known", "reason"]

    def __init__(self, *args, addressee, **kwargs):
        super().__init__(*args, addressee=addressee, **kwargs)
        from responses.models import (
            ResponseLetter,
        )  # the records layer; imported here to keep this module light

        self.fields["letter"].queryset = ResponseLetter.objects.filter(reports=addressee.report_id)


class InterimReplyForm(AddresseeActionForm):
    received_on = forms.DateField(label="Interim reply received on", widget=DATE)
    field_order = ["received_on", "reason"]


class ResponseRequiredForm(AddresseeActionForm):
    required = forms.TypedChoiceField(
        choices=[("yes", "A response is required"), ("no", "No response is required (sent for information)")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Response",
    )
    field_order = ["required", "reason"]

    def __init__(self, *args, addressee, **kwargs):
        super().__init__(*args, addressee=addressee, **kwargs)
        self.fields["required"].initial = "no" if addressee.response_required else "yes"

    def clean_required(self):
        required = self.cleaned_data["required"]
        if required == self.addressee.response_required:
            raise forms.ValidationError("That is already the case.")
        return required


@dataclasses.dataclass(frozen=True)
class Action:
    title: str
    form: type
    apply: Callable  # (addressee, cleaned_data, user) -> the event written
    available: Callable = lambda addressee: True  # shown on the change page when this holds
    button: str = "Save"


ACTIONS = {
    "extend": Action(
        "Extend the deadline",
        ExtendDeadlineForm,
        lambda a, d, user: a.grant_extension(
            d["new_deadline"], reason=d["reason"], by=user, expected_version=d["expected_version"]
        ),
        button="Extend the deadline",
    ),
    "response": Action(
        "Record a response",
        RecordResponseForm,
        lambda a, d, user: a.record_response(
            d["received_on"],
            letter=d["letter"],
            url=d["url"],
            date_known=d["date_known"],
            note=d["reason"],
            by=user,
            expected_version=d["expected_version"],
        ),
        button="Record the response",
    ),
    "withdraw-response": Action(
        "Withdraw the recorded response",
        AddresseeActionForm,
        lambda a, d, user: a.withdraw_response(
            reason=d["reason"], by=user, expected_version=d["expected_version"]
        ),
        available=lambda a: a.response_received_on is not None,
        button="Withdraw the response",
    ),
    "interim-reply": Action(
        "Record an interim reply",
        InterimReplyForm,
        lambda a, d, user: a.record_interim_reply(
            d["received_on"], reason=d["reason"], by=user, expected_version=d["expected_version"]
        ),
        button="Record the interim reply",
    ),
    "non-response": Action(
        "Confirm that no response exists",
        AddresseeActionForm,
        lambda a, d, user: a.confirm_non_response(
            note=d["reason"], by=user, expected_version=d["expected_version"]
        ),
        available=lambda a: a.response_received_on is None and a.non_response_confirmed_at is None,
        button="Confirm the non-response",
    ),
    "required": Action(
        "Change whether a response is required",
        ResponseRequiredForm,
        lambda a, d, user: a.set_response_required(
            d["required"], reason=d["reason"], by=user, expected_version=d["expected_version"]
        ),
    ),
}


def action_links(addressee):
    """(title, address) of the actions open to this addressee, for its change page."""
    return [
        (action.title, reverse("admin:tracker_addressee_action", args=[addressee.pk, slug]))
        for slug, action in ACTIONS.items()
        if action.available(addressee)
    ]


def action_view(model_admin, request, pk, action):
    """One change to an addressee's clock: the form, then the model's method; a stale form is answered 409."""
    if action not in ACTIONS:
        raise Http404("No such change to an addressee.")
    addressee = get_object_or_404(Addressee.objects.select_related("report", "department"), pk=pk)
    if not model_admin.has_change_permission(request, addressee):
        raise PermissionDenied
    spec = ACTIONS[action]
    form = spec.form(request.POST or None, addressee=addressee)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            spec.apply(addressee, form.cleaned_data, request.user)
        except StaleAddressee:
            form.add_error(None, STALE_ADDRESSEE_MESSAGE)
            status = 409
        except ValueError as error:  # the model's own rule (e.g. no response to withdraw)
            form.add_error(None, str(error))
        else:
            model_admin.message_user(request, f"{spec.title}: done for {addressee}.", messages.SUCCESS)
            return redirect(reverse("admin:tracker_addressee_change", args=[addressee.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Addressee._meta,
        "title": f"{spec.title}: {addressee}",
        "addressee": addressee,
        "state": addressee.response_state().label,
        "form": form,
        "button": spec.button,
    }
    return TemplateResponse(request, "admin/tracker/addressee/action.html", context, status=status)


class ConfirmNonResponsesForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        label="How you know no response exists",
        help_text="Recorded on each addressee's history with your name, e.g. 'Asked the coroner's office; none "
        "received'.",
        error_messages={"required": "Give a reason: it is kept in each addressee's history."},
    )


def confirm_non_responses(model_admin, request, queryset):
    """Admin action: confirm, with one reason, that no response exists for each selected addressee still
    without one (each through Addressee.confirm_non_response: its own event row and new version)."""
    form = ConfirmNonResponsesForm(request.POST if "reason" in request.POST else None)
    eligible = queryset.filter(response_received_on__isnull=True, non_response_confirmed_at__isnull=True)
    if form.is_bound and form.is_valid():
        done = 0
        for addressee in eligible.select_related("report", "department"):
            addressee.confirm_non_response(by=request.user, note=form.cleaned_data["reason"])
            done += 1
        skipped = queryset.count() - done
        model_admin.message_user(
            request, f"Non-response confirmed for {done} addressee(s).", messages.SUCCESS
        )
        if skipped:
            model_admin.message_user(
                request,
                f"{skipped} left as they were: a response is recorded, or the non-response was confirmed already.",
                messages.WARNING,
            )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Addressee._meta,
        "title": "Confirm that no response exists",
        "form": form,
        "queryset": queryset,
        "eligible": eligible.select_related("report", "department"),
        "action_checkbox_name": "_selected_action",
    }
    return TemplateResponse(request, "admin/tracker/addressee/confirm_non_responses.html", context)


confirm_non_responses.short_description = "Confirm that no response exists (asks for the reason)"
confirm_non_responses.allowed_permissions = ["change"]
