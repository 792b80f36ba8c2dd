"""Forms of the pages that change things. Each carries the commitment's version in a hidden field so a
save made on a stale page is refused by Commitment's optimistic locking rather than overwriting."""

import datetime

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.db.models import Q

from responses.models import Commitment
from tracker import search
from tracker.models import Department, DigestSubscription, Report, london_today
from tracker.validators import WebAddressField


class DateInputWidget(forms.MultiWidget):
    """The GOV.UK date input: three boxes named <name>-day, <name>-month, <name>-year."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class DateField(forms.MultiValueField):
    widget = DateInputWidget

    def __init__(self, **kwargs):
        error = {"incomplete": "Enter a day, month and year"}
        fields = [forms.IntegerField(), forms.IntegerField(), forms.IntegerField()]
        super().__init__(fields, error_messages=error, require_all_fields=False, **kwargs)

    def clean(self, value):
        if not any(value or []):
            if self.required:
                raise ValidationError(f"Enter {self.label.lower()}", code="required")
            return None
        if not all(value):
            raise ValidationError(f"{self.label} must include a day, month and year", code="incomplete")
        try:
            day, month, year = (int(part) for part in value)
            if year < 1900:
                raise ValueError
            return datetime.date(year, month, day)
        except (ValueError, OverflowError) as error:  # not a date, or numbers too big for one
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from error

    def compress(self, data_list):  # clean() above does the work
        return data_list


class VersionedForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The form was sent without the commitment's version: reload the page and try again",
            "invalid": "The form was sent without the commitment's version: reload the page and try again",
        },
    )


STATUS_CHOICES = [
    (value, label) for value, label in Commitment.Status.choices if value != Commitment.Status.DELIVERED_LATE
]


class StatusChangeForm(VersionedForm):
    status = forms.ChoiceField(
        label="Delivery status",
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the delivery status"},
        help_text="Choose 'Delivered' for late delivery too: the date decides whether it was late.",
    )
    delivered_on = DateField(
        label="Date delivered", required=False, help_text="Needed for 'Delivered'. For example, 27 3 2025"
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea,
        help_text="Needed for 'Not delivered', 'Superseded' and 'No longer applicable'.",
    )
    evidence_url = WebAddressField(
        label="Evidence link",
        required=False,
        help_text="A published page that shows it.",
    )
    note = forms.CharField(
        label="Internal note",
        required=False,
        widget=forms.Textarea,
        help_text="Shown only to signed-in users.",
    )

    def __init__(self, *args, current=None, **kwargs):
        self.current = current
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        status = data.get("status")
        unchanged = self.current is not None and status == self.current.status
        if unchanged and not (data.get("note") or "").strip() and not data.get("evidence_url"):
            self.add_error("status", "Choose a different status, or add a note or an evidence link")
        if status == Commitment.Status.DELIVERED:
            delivered_on = data.get("delivered_on")
            if not delivered_on and "delivered_on" not in self.errors:
                self.add_error("delivered_on", "Enter the date it was delivered")
            elif delivered_on and delivered_on > london_today():
                self.add_error("delivered_on", "Date delivered must be today or in the past")
        if status in Commitment.STATUSES_NEEDING_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", f"Enter a reason for '{Commitment.Status(status).label}'")
        return data


class DueDateRevisionForm(VersionedForm):
    due_latest = DateField(
        label="New due date", help_text="The last day by which it is now due. For example, 30 9 2025"
    )
    time_phrase = forms.CharField(
        label="New time phrase (optional)",
        required=False,
        help_text="As the department put it, e.g. 'by Autumn 2025'.",
    )
    reason = forms.CharField(
        label="Reason for the new date",
        widget=forms.Textarea,
        help_text="Shown to everyone on the commitment's page and in the weekly digests.",
        error_messages={"required": "Enter the reason for the new date"},
    )


class EvidenceAssessmentForm(VersionedForm):
    evidence_state = forms.ChoiceField(
        label="Is the delivery claim backed by evidence?",
        choices=[
            (Commitment.EvidenceState.VERIFIED, "Verified: the evidence shows it was delivered"),
            (Commitment.EvidenceState.DISPUTED, "Disputed: the evidence does not show it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the evidence backs the delivery claim"},
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)


class DigestSubscriptionForm(forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Departments to follow",
        help_text="Government departments and their bodies, and any other organisation you already follow.",
    )
    reports = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Reports you follow",
        help_text="Untick to stop following. Follow more from a report's page.",
    )
    send_when_empty = forms.BooleanField(
        required=False,
        label="Email me when there is nothing to report",
        help_text="Otherwise no email is sent in a week with nothing overdue.",
    )

    class Meta:
        model = DigestSubscription
        fields = ["departments", "reports", "send_when_empty"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Government departments only (not the ~450 trusts, care homes and companies coroners also write to:
        # a page of checkboxes nobody reads), plus whatever this user already follows, so saving never drops it.
        offered = Q(kind__in=Department.GOVERNMENT_KINDS)
        if self.instance.pk:
            offered |= Q(pk__in=self.instance.departments.values("pk"))
        if self.instance.user_id:
            offered |= Q(officials=self.instance.user_id)  # the user's own organisation, whatever its kind
        self.fields["departments"].queryset = Department.objects.filter(offered).distinct().order_by("name")
        followed = self.instance.reports.all() if self.instance.pk else Report.objects.none()
        self.fields["reports"].queryset = followed.order_by("title")


# Sign-in and password forms: Django's, with error messages that say what to do (GOV.UK error messages)
# rather than "This field is required."


def _messages(form, **by_field):
    for name, messages in by_field.items():
        form.fields[name].error_messages.update(messages)


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password (both are case-sensitive)",
        "inactive": "This account is not active: ask an administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(
            self,
            username={"required": "Enter your username"},
            password={"required": "Enter your password"},
        )


class NewPasswordMessages:
    error_messages = {"password_mismatch": "The two new passwords do not match: enter the same one twice"}

    def _new_password_messages(self):
        _messages(
            self,
            new_password1={"required": "Enter a new password"},
            new_password2={"required": "Enter the new password again to confirm it"},
        )


class AccountPasswordChangeForm(NewPasswordMessages, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        **NewPasswordMessages.error_messages,
        "password_incorrect": "Your current password is not correct: enter it again",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, old_password={"required": "Enter your current password"})
        self._new_password_messages()


class NewPasswordForm(NewPasswordMessages, SetPasswordForm):
    error_messages = {**SetPasswordForm.error_messages, **NewPasswordMessages.error_messages}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._new_password_messages()


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(
            self,
            email={
                "required": "Enter the email address of your account",
                "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
            },
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search reports, recommendations, commitments and letters",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search words must be 200 characters or fewer"},
    )
    type = forms.ChoiceField(
        required=False,
        choices=[("", "Everything"), *((kind.key, kind.label.capitalize()) for kind in search.KINDS)],
        label="Show",
    )
