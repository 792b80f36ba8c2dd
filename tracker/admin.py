from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path

from tracker import admin_addressee, admin_pfd, permissions

from .models import (
    STALE_ADDRESSEE_MESSAGE,
    Addressee,
    AddresseeEvent,
    Department,
    DigestDelivery,
    DigestSubscription,
    Recommendation,
    Report,
    StaleAddressee,
)

# An addressee's clock: read-only wherever an addressee is shown, changed through tracker.admin_addressee's forms.
CLOCK_FIELDS = [
    "response_required",
    "response_due",
    "response_received_on",
    "response_letter",
    "interim_reply_on",
]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["officials", "senior_contacts"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    actions = [admin_pfd.merge_selected]

    # Who belongs to a department decides who may change its commitments: administrators only.
    MEMBERSHIP = ["officials", "senior_contacts"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if permissions.is_administrator(request.user) else [*readonly, *self.MEMBERSHIP]


class AddresseeInline(admin.TabularInline):
    """The report's addressees, to read: each one's clock changes on its own page, through the forms that record
    why (tracker.admin_addressee); see AddresseeAdmin."""

    model = Addressee
    extra = 0
    show_change_link = True
    fields = ["department", "named_as", *CLOCK_FIELDS, "state"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Response")
    def state(self, obj):
        return obj.response_state().label


class NewAddresseeInline(admin.TabularInline):
    """Adding who the report was sent to: the deadline defaults to the report's rule; a new addressee's facts
    are its first record, so nothing existing is edited here."""

    model = Addressee
    extra = 0
    verbose_name_plural = "add addressees"
    autocomplete_fields = ["department"]
    fields = ["department", "named_as", "response_required", "response_due"]

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = [("kind", "label", "number"), "text", "departments"]
    filter_horizontal = ["departments"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date_issued", "deceased", "issuing_body"]
    list_filter = ["kind", "date_issued"]
    search_fields = ["title", "deceased", "issuing_body", "author", "reference"]
    date_hierarchy = "date_issued"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["earliest_open_due"]  # derived from its letters' commitments (responses/signals.py)
    inlines = [AddresseeInline, NewAddresseeInline, RecommendationInline]
    change_list_template = "admin/tracker/report/change_list.html"
    filter_horizontal = ["categories"]

    # The report's facts its addressees' deadlines are computed from (tracker.rules.response_deadline).
    DEADLINE_BASIS = ("kind", "date_issued", "stated_response_deadline")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(self.DEADLINE_BASIS) & set(form.changed_data):
            self.correct_deadlines(request, obj)

    def correct_deadlines(self, request, report):
        """Deadlines still as the rules gave them follow the corrected report (each with its event, as the
        importer does); an extended deadline is kept: it was agreed, not computed."""
        due = report.default_response_deadline()
        if due is None:
            return
        corrected = 0
        for addressee in report.addressees.select_related("department"):
            if addressee.response_due == addressee.original_response_due and addressee.response_due != due:
                addressee.correct_deadline(
                    due,
                    by=request.user,
                    note="The report's date or stated response date was corrected in the admin.",
                )
                corrected += 1
        if corrected:
            self.message_user(
                request,
                f"The response deadline of {corrected} addressee(s) now follows the report: {due:%-d %B %Y}.",
            )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        upload = wrap(lambda request: admin_pfd.upload_pfd_report(self, request))
        status = wrap(lambda request, pk: admin_pfd.upload_pfd_status(self, request, pk))
        return [
            path("upload-pfd/", upload, name="tracker_report_upload_pfd"),
            path("upload-pfd/<int:pk>/", status, name="tracker_report_upload_pfd_status"),
            *super().get_urls(),
        ]


class AddresseeEventInline(admin.TabularInline):
    """The addressee's history: shown to whoever may see the addressee, never edited."""

    model = AddresseeEvent
    extra = 0
    can_delete = False
    fields = ["kind", "happened_on", "recorded_at", "old_deadline", "new_deadline", "note", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("tracker.view_addressee") or request.user.has_perm(
            "tracker.change_addressee"
        )


class AddresseeAdminForm(forms.ModelForm):
    """Carries the version the page was opened at: a save from a stale page is refused, never overwrites."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Addressee
        # Less the read-only fields of the page (AddresseeAdmin.get_readonly_fields): the clock on a change.
        fields = ["report", "department", "named_as", *CLOCK_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = Addressee.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if data.get("expected_version") is None or data["expected_version"] != current:
                raise ValidationError(STALE_ADDRESSEE_MESSAGE, code="stale")
        return data


@admin.register(Addressee)
class AddresseeAdmin(admin.ModelAdmin):
    list_display = ["report", "department", "response_due", "response_received_on", "state", "days_late"]
    list_filter = ["department", "report__kind", "response_required"]
    search_fields = ["report__title", "report__deceased", "department__name"]
    list_select_related = ["report", "department"]
    autocomplete_fields = ["report", "department"]
    form = AddresseeAdminForm
    readonly_fields = [
        "original_response_due",
        "response_url",
        "response_date_known",
        "missing_since",
        "non_response_confirmed_at",
        "non_response_confirmed_by",
        "version",
    ]
    raw_id_fields = ["response_letter"]
    inlines = [AddresseeEventInline]
    change_form_template = "admin/tracker/addressee/change_form.html"
    actions = [admin_addressee.confirm_non_responses]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is None:  # a new addressee: whether it must answer and by when are its first record
            return [*readonly, "response_received_on", "response_letter", "interim_reply_on"]
        # The clock changes only through the actions (reason, event row, version); the report stays its own.
        return [*readonly, "report", *CLOCK_FIELDS]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        expected = form.cleaned_data["expected_version"]
        changed = [name for name in form.changed_data if name != "expected_version"]
        if "department" in changed:
            current = Addressee.objects.select_related("department").get(pk=obj.pk)
            current.change_organisation(obj.department, by=request.user, expected_version=expected)
            expected = current.version
            changed.remove("department")
        if changed:
            obj._save_new_version(expected, *changed)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id:
            obj = self.get_object(request, object_id)
            if obj is not None and self.has_change_permission(request, obj):
                extra_context = {
                    "addressee_actions": admin_addressee.action_links(obj),
                    **(extra_context or {}),
                }
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except StaleAddressee:  # saved by someone else between the form's check and the UPDATE
            self.message_user(request, STALE_ADDRESSEE_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.path)
        adminform = getattr(response, "context_data", {}).get("adminform")
        if request.method == "POST" and adminform and adminform.form.has_error(NON_FIELD_ERRORS, "stale"):
            response.status_code = 409
        return response

    def get_urls(self):
        action = self.admin_site.admin_view(
            lambda request, pk, action: admin_addressee.action_view(self, request, pk, action)
        )
        return [
            path("<int:pk>/clock/<slug:action>/", action, name="tracker_addressee_action"),
            *super().get_urls(),
        ]

    @admin.display(description="Response")
    def state(self, obj):
        return obj.response_state().label

    @admin.display(description="Days late")
    def days_late(self, obj):
        return obj.days_late() or ""


@admin.register(AddresseeEvent)
class AddresseeEventAdmin(admin.ModelAdmin):
    """The addressees' histories, to read and search: rows are written by Addressee's methods and the sweep."""

    list_display = ["addressee", "kind", "happened_on", "old_deadline", "new_deadline", "by"]
    list_filter = ["kind"]
    list_select_related = ["addressee__report", "addressee__department", "by"]
    search_fields = ["addressee__report__title", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report", "kind", "label"]
    list_filter = ["kind", "report__kind"]
    search_fields = ["text", "label", "report__title"]
    list_select_related = ["report"]
    autocomplete_fields = ["report"]
    filter_horizontal = ["departments"]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "follow_everything", "send_when_empty", "active"]
    list_filter = ["active", "follow_everything", "send_when_empty"]
    search_fields = ["user__username", "user__email"]
    filter_horizontal = ["departments", "reports"]
    autocomplete_fields = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["week", "user", "status", "item_count", "attempts", "sent_at"]
    list_filter = ["status", "week"]
    search_fields = ["user__username", "user__email", "week"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return (
            False  # made by the weekly run (one per subscriber and week); deleting one lets it be sent again
        )

    readonly_fields = [
        "subscription",
        "user",
        "week",
        "claim",
        "claimed_at",
        "sent_at",
        "attempts",
        "item_count",
        "error",
        "created_at",
    ]
