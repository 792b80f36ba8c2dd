from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from tracker import permissions

from . import admin_ingestion, report_due_dates
from .models import (
    Commitment,
    CommitmentEvent,
    LetterUpload,
    Position,
    ResponseLetter,
    Signatory,
    StaleCommitment,
)

STALE_ADMIN_MESSAGE = (
    "Someone else changed this commitment after you opened this page, so nothing was saved. "
    "Reload the page to see its current state, then make your change again if it is still needed."
)


class CommitmentAdminForm(forms.ModelForm):
    """Carries the version the page was opened at: a save from a stale page is refused, never overwrites."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = ["text"]  # ModelAdmin.get_form passes the full list

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = Commitment.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if data.get("expected_version") is None or data["expected_version"] != current:
                raise ValidationError(STALE_ADMIN_MESSAGE, code="stale")
        return data


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ["department"]


class CommitmentInline(admin.StackedInline):
    """The letter's commitments, to read: each is changed on its own admin page, where the version is checked
    and status and due dates change only through the forms that record why (see CommitmentAdmin)."""

    model = Commitment
    extra = 0
    show_change_link = True
    fields = ["text", ("department", "time_phrase"), ("due_earliest", "due_latest", "precision"), "status"]
    readonly_fields = [
        "text",
        "department",
        "time_phrase",
        "due_earliest",
        "due_latest",
        "precision",
        "status",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ResponseLetter)
class ResponseLetterAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "date",
        "review_state",
        "review_link",
        "source",
        "commitment_count",
        "ingested_at",
    ]
    list_filter = ["review_state", "source", "departments"]
    search_fields = ["text", "original_filename", "addressed_to_name"]
    date_hierarchy = "date"
    filter_horizontal = ["departments", "reports", "recommendations"]
    readonly_fields = ["content_hash", "ingested_by", "ingested_at", "confirmed_by", "confirmed_at"]
    inlines = [SignatoryInline, CommitmentInline]
    change_list_template = "admin/responses/responseletter/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "ingest/",
                wrap(lambda r: admin_ingestion.ingest_view(self, r)),
                name="responses_responseletter_ingest",
            ),
            path(
                "upload/<int:pk>/",
                wrap(lambda r, pk: admin_ingestion.upload_status_view(self, r, pk)),
                name="responses_responseletter_upload",
            ),
            path(
                "<int:pk>/review/",
                wrap(lambda r, pk: admin_ingestion.review_view(self, r, pk)),
                name="responses_responseletter_review",
            ),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if admin_ingestion.can_ingest(request.user) else [f for f in shown if f != "review_link"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_ingest": admin_ingestion.can_ingest(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description="Review")
    def review_link(self, obj):
        if obj.review_state != ResponseLetter.ReviewState.DRAFT:
            return ""
        return format_html(
            '<a href="{}">Review</a>', reverse("admin:responses_responseletter_review", args=[obj.pk])
        )

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).prefetch_related("departments").annotate(n=Count("commitments"))

    @admin.display(description="Commitments", ordering="n")
    def commitment_count(self, obj):
        if obj.review_state == ResponseLetter.ReviewState.DRAFT:
            return f"{len((obj.extraction or {}).get('commitments') or [])} proposed"
        return obj.n


class CommitmentEventInline(admin.TabularInline):
    model = CommitmentEvent
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "kind",
        "by",
        "old_status",
        "new_status",
        "old_due_latest",
        "new_due_latest",
        "note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The history is part of the commitment: whoever may see the commitment here sees it (editors hold no
        # permission on the events' own admin pages).
        return request.user.has_perm("responses.view_commitment") or request.user.has_perm(
            "responses.change_commitment"
        )


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue().values("pk"))
        return queryset


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = [
        "short_text",
        "department",
        "time_phrase",
        "due_latest",
        "days_overdue",
        "status",
        "evidence_state",
    ]
    list_filter = [
        OverdueFilter,
        "status",
        "precision",
        "evidence_state",
        "department",
        "letter__reports__kind",
    ]
    search_fields = ["text", "time_phrase"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]
    raw_id_fields = ["letter"]
    filter_horizontal = ["recommendations"]
    form = CommitmentAdminForm
    readonly_fields = [
        "original_due_earliest",
        "original_due_latest",
        "original_time_phrase",
        "is_overdue",
        "overdue_since",
        "version",
    ]
    inlines = [CommitmentEventInline]

    # Changed only through the model's methods, from the service's forms linked at the top of the change page
    # (a reason where the rules need one, a history row, the version checked): never by editing the field.
    RECORDED = ["status", "status_reason", "delivered_on", "evidence_state", "evidence_url"]
    DUE = ["due_earliest", "due_latest", "time_phrase", "precision"]

    def get_readonly_fields(self, request, obj=None):
        # A new commitment is entered with the due date as promised; its delivery starts unassessed.
        recorded = self.RECORDED + (self.DUE if obj is not None else [])
        return [*recorded, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        concrete = {f.name: f.attname for f in obj._meta.concrete_fields}
        changed = [concrete[name] for name in form.changed_data if name in concrete]
        obj._save_new_version(form.cleaned_data["expected_version"], *changed)
        report_due_dates.refresh_for_letters({obj.letter_id, obj.loaded_letter_id})
        obj.loaded_letter_id = obj.letter_id
        edited = [
            str(obj._meta.get_field(name).verbose_name)
            for name in form.changed_data
            if name != "expected_version"
        ]
        if edited:
            obj.events.create(
                kind=CommitmentEvent.Kind.NOTE,
                by=request.user,
                note=f"Edited in the admin: {', '.join(edited)}.",
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id:
            obj = self.get_object(request, object_id)
            if obj is not None:
                extra_context = {
                    "can_change_commitment": permissions.can_change_commitment(request.user, obj),
                    "can_assess_evidence": permissions.can_assess_evidence(request.user, obj),
                    **(extra_context or {}),
                }
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except StaleCommitment:  # saved by someone else between the form's check and the UPDATE
            self.message_user(request, STALE_ADMIN_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.path)
        adminform = getattr(response, "context_data", {}).get("adminform")
        if request.method == "POST" and adminform and adminform.form.has_error(NON_FIELD_ERRORS, "stale"):
            response.status_code = 409
        return response

    @admin.display(description="Promise")
    def short_text(self, obj):
        return obj.text[:90]

    @admin.display(description="Days overdue")
    def days_overdue(self, obj):
        return obj.days_overdue(timezone.localdate()) or ""


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(admin.ModelAdmin):
    """The commitments' histories, to read and search: rows are written by Commitment's methods and the sweep,
    never added, edited or deleted by hand (a history that can be rewritten records nothing)."""

    list_display = ["commitment", "kind", "created_at", "by", "old_status", "new_status"]
    list_filter = ["kind"]
    list_select_related = ["commitment", "by"]
    search_fields = ["note", "commitment__text"]
    raw_id_fields = ["commitment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "letter"]
    search_fields = ["name", "role"]
    raw_id_fields = ["letter"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "department", "stance"]
    list_filter = ["stance", "department"]
    search_fields = ["recommendation__text", "quote"]
    list_select_related = ["recommendation", "department"]
    raw_id_fields = ["recommendation", "letter"]


@admin.register(LetterUpload)
class LetterUploadAdmin(admin.ModelAdmin):
    """Files handed over for reading, to follow: each opens its status page. Nothing here is edited."""

    list_display = ["original_filename_or_paste", "state_shown", "uploaded_by", "created_at", "status_link"]
    list_filter = ["state", "source"]
    search_fields = ["original_filename"]
    list_select_related = ["letter", "uploaded_by"]

    def has_module_permission(self, request):
        return admin_ingestion.can_ingest(request.user)

    def has_view_permission(self, request, obj=None):
        return admin_ingestion.can_ingest(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="File")
    def original_filename_or_paste(self, obj):
        return obj.original_filename or "Pasted text"

    def _read_into(self, obj):
        """The letter a finished reading became, and whether an editor has confirmed it (None: no letter)."""
        if obj.state != LetterUpload.State.READY or obj.letter is None:
            return None, None
        return obj.letter, obj.letter.review_state != ResponseLetter.ReviewState.DRAFT

    @admin.display(description="State", ordering="state")
    def state_shown(self, obj):
        # The upload's own state stops at "ready for review"; what happened next is the letter's.
        letter, confirmed = self._read_into(obj)
        if letter is None and obj.state == LetterUpload.State.READY:
            return "Read; the draft was discarded"
        if confirmed:
            return "Read and confirmed"
        return obj.get_state_display()

    @admin.display(description="Progress")
    def status_link(self, obj):
        letter, confirmed = self._read_into(obj)
        if confirmed:
            return format_html(
                '<a href="{}">Open the letter</a>',
                reverse("admin:responses_responseletter_change", args=[letter.pk]),
            )
        if letter is not None:
            return format_html(
                '<a href="{}">Review it</a>',
                reverse("admin:responses_responseletter_review", args=[letter.pk]),
            )
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:responses_responseletter_upload", args=[obj.pk]),
            "Open" if not obj.is_finished else "See what happened",
        )
