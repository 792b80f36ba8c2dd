from django.contrib import admin
from django.urls import path

from tracker import admin_pfd, permissions

from .models import (
    Addressee,
    AddresseeEvent,
    Department,
    DigestDelivery,
    DigestSubscription,
    Recommendation,
    Report,
)


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
    model = Addressee
    extra = 0
    autocomplete_fields = ["department"]
    fields = ["department", "response_required", "response_due", "response_received_on", "interim_reply_on"]


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
    inlines = [AddresseeInline, RecommendationInline]
    change_list_template = "admin/tracker/report/change_list.html"
    filter_horizontal = ["categories"]

    def get_urls(self):
        upload = self.admin_site.admin_view(lambda request: admin_pfd.upload_pfd_report(self, request))
        return [path("upload-pfd/", upload, name="tracker_report_upload_pfd"), *super().get_urls()]


class AddresseeEventInline(admin.TabularInline):
    model = AddresseeEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "happened_on", "recorded_at", "old_deadline", "new_deadline", "note", "by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Addressee)
class AddresseeAdmin(admin.ModelAdmin):
    list_display = ["report", "department", "response_due", "response_received_on", "state", "days_late"]
    list_filter = ["department", "report__kind", "response_required"]
    search_fields = ["report__title", "report__deceased", "department__name"]
    list_select_related = ["report", "department"]
    autocomplete_fields = ["report", "department"]
    readonly_fields = [
        "original_response_due",
        "missing_since",
        "non_response_confirmed_at",
        "non_response_confirmed_by",
    ]
    raw_id_fields = ["response_letter"]
    inlines = [AddresseeEventInline]

    @admin.display(description="Response")
    def state(self, obj):
        return obj.response_state().label

    @admin.display(description="Days late")
    def days_late(self, obj):
        return obj.days_late() or ""


@admin.register(AddresseeEvent)
class AddresseeEventAdmin(admin.ModelAdmin):
    list_display = ["addressee", "kind", "happened_on", "old_deadline", "new_deadline", "by"]
    list_filter = ["kind"]
    list_select_related = ["addressee__report", "addressee__department", "by"]
    search_fields = ["addressee__report__title", "note"]


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
