"""The admin screens of the PFD corpus: the review queue of addressee names (suggested matches, merge), the
published responses not yet attributed, merging organisations, and uploading PFD report documents.

Every change goes through tracker.pfd.organisations or the models' methods, which write the addressees'
event rows; nothing here saves an addressee directly.
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from tracker.models import (
    AddresseeName,
    AddresseeNameToReview,
    Department,
    PfdReportUpload,
    PublishedResponse,
    Report,
    ReportCategory,
)
from tracker.pfd import organisations
from tracker.pfd import uploads as pfd_uploads
from tracker.tasks import read_uploaded_pfd_report
from tracker.templatetags.govuk import web_link

logger = logging.getLogger(__name__)


@admin.register(ReportCategory)
class ReportCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


def _suggestions_html(spelling):
    if not spelling.suggestions:
        return "—"
    return format_html_join(
        ", ",
        "{} ({})",
        ((s["name"], f"{s['score']:.2f}") for s in spelling.suggestions),
    )


@admin.register(AddresseeName)
class AddresseeNameAdmin(admin.ModelAdmin):
    """The alias table: every spelling met and the organisation it means. Changed through the review page."""

    list_display = ["spelling", "department", "match", "score", "mentions", "reviewed"]
    list_filter = ["match", ("reviewed_at", admin.EmptyFieldListFilter), "department__kind"]
    search_fields = ["spelling", "department__name"]
    list_select_related = ["department"]
    readonly_fields = [
        "key",
        "spelling",
        "department",
        "match",
        "score",
        "suggested",
        "mentions",
        "created_at",
        "reviewed_at",
        "reviewed_by",
    ]
    fields = readonly_fields
    actions = ["keep_as_new", "merge_into_first_suggestion"]
    change_form_template = "admin/tracker/addresseename/change_form.html"

    @admin.display(boolean=True, description="Reviewed")
    def reviewed(self, obj):
        return obj.reviewed_at is not None

    @admin.display(description="Suggested matches")
    def suggested(self, obj):
        return _suggestions_html(obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("<int:pk>/review/", review, name="tracker_addresseename_review"), *super().get_urls()]

    @admin.action(description="Keep as organisations of their own (reviewed)", permissions=["change"])
    def keep_as_new(self, request, queryset):
        n = organisations.keep_as_new(list(queryset), by=request.user)
        self.message_user(request, f"{n} spelling(s) marked reviewed.")

    @admin.action(description="Merge each into its first suggested match", permissions=["change"])
    def merge_into_first_suggestion(self, request, queryset):
        done, refused = 0, []
        for spelling in queryset.select_related("department"):
            if not spelling.suggestions:
                refused.append(f"{spelling.spelling}: no suggestion")
                continue
            target = Department.objects.filter(pk=spelling.suggestions[0]["id"]).first()
            if target is None or not Department.objects.filter(pk=spelling.department_id).exists():
                refused.append(f"{spelling.spelling}: already merged")
                continue
            try:
                organisations.merge_organisations(spelling.department, target, by=request.user)
                done += 1
            except organisations.MergeRefused as error:
                refused.append(str(error))
        self.message_user(request, f"{done} merged.")
        for reason in refused:
            self.message_user(request, reason, level=messages.WARNING)

    def review_view(self, request, pk):
        """One spelling: merge its organisation into the right one, point only this spelling there, or keep it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        spelling = get_object_or_404(AddresseeName.objects.select_related("department"), pk=pk)
        form = ReviewForm(request.POST or None, spelling=spelling)
        if request.method == "POST" and form.is_valid():
            decision, target = form.cleaned_data["decision"], form.cleaned_data.get("target")
            try:
                if decision == "merge":
                    moved = organisations.merge_organisations(spelling.department, target, by=request.user)
                    self.message_user(
                        request,
                        f"{spelling.department.name} merged into {target.name}: {moved} addressee(s) moved.",
                    )
                elif decision == "repoint":
                    moved = organisations.repoint_spelling(spelling, target, by=request.user)
                    self.message_user(
                        request, f"'{spelling.spelling}' now means {target.name}: {moved} addressee(s) moved."
                    )
                else:
                    organisations.keep_as_new([spelling], by=request.user)
                    self.message_user(request, f"'{spelling.spelling}' kept as {spelling.department.name}.")
            except organisations.MergeRefused as error:
                form.add_error(None, str(error))
            else:
                return redirect(reverse("admin:tracker_addresseenametoreview_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review '{spelling.spelling}'",
            "spelling": spelling,
            "form": form,
            "reports": spelling.department.addressees.select_related("report")[:20],
        }
        return TemplateResponse(request, "admin/tracker/addresseename/review.html", context)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (
                "merge",
                "Merge its organisation into the organisation chosen below (every spelling and report moves)",
            ),
            ("repoint", "This spelling only means the organisation chosen below"),
            ("keep", "It is an organisation of its own: keep it"),
        ],
        widget=forms.RadioSelect,
    )
    target = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, label="Organisation", widget=forms.RadioSelect
    )
    other = forms.CharField(
        required=False,
        label="Or another organisation (its exact name or address slug)",
        help_text="For a match not among the suggestions.",
    )

    def __init__(self, *args, spelling, **kwargs):
        super().__init__(*args, **kwargs)
        self.spelling = spelling
        ids = [s["id"] for s in spelling.suggestions]
        self.fields["target"].queryset = Department.objects.filter(pk__in=ids).exclude(
            pk=spelling.department_id
        )

    def clean(self):
        data = super().clean()
        other = (data.get("other") or "").strip()
        if other:
            found = (
                Department.objects.filter(slug=other).first() or Department.objects.filter(name=other).first()
            )
            if found is None:
                self.add_error("other", f"No organisation is named or addressed '{other}'.")
            data["target"] = found
        if data.get("decision") in ("merge", "repoint") and not data.get("target"):
            self.add_error("target", "Choose the organisation it means.")
        if data.get("target") and data["target"].pk == self.spelling.department_id:
            self.add_error("target", "That is the organisation it is matched to already.")
        return data


@admin.register(AddresseeNameToReview)
class AddresseeNameToReviewAdmin(AddresseeNameAdmin):
    """The review queue: spellings that matched nothing well, most mentioned first, with suggested matches."""

    list_display = ["spelling", "kind", "mentions", "suggested", "review"]
    list_filter = ["department__kind"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(match=AddresseeName.Match.NEW, reviewed_at__isnull=True)

    @admin.display(description="Kind")
    def kind(self, obj):
        return obj.department.get_kind_display()

    @admin.display(description="")
    def review(self, obj):
        return format_html(
            '<a href="{}">Review</a>', reverse("admin:tracker_addresseename_review", args=[obj.pk])
        )


class PublishedResponseForm(forms.ModelForm):
    addressees = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PublishedResponse
        fields = ["addressees"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["addressees"]
        field.queryset = self.instance.report.addressees.select_related("department")
        field.label_from_instance = lambda a: a.department.name
        field.help_text = (
            "Who sent it. Each one ticked has its response recorded (dated by the month it was published)."
        )


@admin.register(PublishedResponse)
class PublishedResponseAdmin(admin.ModelAdmin):
    list_display = ["report", "sender", "attribution", "sent_by", "published_by", "file"]
    list_filter = ["attribution"]
    search_fields = ["url", "sender", "report__title", "report__reference"]
    list_select_related = ["report"]
    form = PublishedResponseForm
    readonly_fields = ["report", "file", "sender", "published_by", "attribution", "attributed_by"]

    @admin.display(description="From")
    def sent_by(self, obj):
        return ", ".join(a.department.name for a in obj.addressees.all()) or "—"

    @admin.display(description="Document")
    def file(self, obj):
        name = obj.url.rsplit("/", 1)[-1]
        href = web_link(obj.url)  # a link only for a web address: never javascript: or data:
        return format_html('<a href="{}" rel="noopener">{}</a>', href, name) if href else name

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("addressees__department")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        pass  # saved by save_related, through attribute_to (which writes the addressees' events)

    def save_related(self, request, form, formsets, change):
        form.instance.attribute_to(list(form.cleaned_data["addressees"]), by=request.user)


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Department.objects.none(), widget=forms.RadioSelect, label="Keep"
    )

    def __init__(self, *args, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = chosen


def merge_selected(modeladmin, request, queryset):
    """Admin action on organisations: merge the selected into the one chosen on the next page."""
    if queryset.count() < 2:
        modeladmin.message_user(request, "Choose two organisations or more to merge.", level=messages.WARNING)
        return None
    form = MergeForm(request.POST if "target" in request.POST else None, chosen=queryset)
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            with transaction.atomic():
                moved = sum(
                    organisations.merge_organisations(source, target, by=request.user)
                    for source in queryset.exclude(pk=target.pk)
                )
        except organisations.MergeRefused as error:
            modeladmin.message_user(request, str(error), level=messages.ERROR)
            return None
        modeladmin.message_user(request, f"Merged into {target.name}: {moved} addressee(s) moved.")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": "Merge organisations",
        "form": form,
        "queryset": queryset,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/tracker/department/merge.html", context)


merge_selected.short_description = "Merge the selected organisations into one"
merge_selected.allowed_permissions = ["change"]


class PfdUploadForm(forms.Form):
    document = forms.FileField(label="PFD report (.pdf, .docx or .txt, up to 20 MB)")


# Seconds between reloads of the status page while the reading is under way (no JavaScript needed).
STATUS_REFRESH_SECONDS = 2


def upload_pfd_report(model_admin, request):
    """Take a PFD report document, store it and queue its reading; the editor then watches the status page.

    Reading (a scan's OCR can take a minute) happens in the read_uploaded_pfd_report task, never here."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = PfdUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        try:
            if document.size > pfd_uploads.MAX_REPORT_BYTES:  # said before reading it into memory
                raise pfd_uploads.UnreadableReport(
                    pfd_uploads.too_large_message(document.name, document.size)
                )
            stored = pfd_uploads.start_upload(document.read(), document.name, user=request.user)
        except pfd_uploads.UnreadableReport as error:
            form.add_error("document", error.message)
        except pfd_uploads.UploadInProgress as error:
            form.add_error(
                None,
                format_html(
                    'This file is being read already. <a href="{}">See how far it has got</a>.',
                    reverse("admin:tracker_report_upload_pfd_status", args=[error.upload.pk]),
                ),
            )
        else:
            try:
                read_uploaded_pfd_report.delay(stored.pk)
            except Exception:
                # With a broker this is the broker not answering; without one (the quick start runs tasks
                # in-process) it is the reading's own error, already recorded on the upload by read_upload.
                logger.exception("reading PFD upload %s failed or could not be queued", stored.pk)
                stored.refresh_from_db()
                if not stored.is_finished:
                    pfd_uploads.fail(
                        stored.pk,
                        "The service that reads reports is not answering; nothing was saved. Try again in a "
                        "few minutes.",
                        "queue",
                    )
            return redirect("admin:tracker_report_upload_pfd_status", stored.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Report._meta,
        "title": "Upload a PFD report",
        "form": form,
    }
    return TemplateResponse(request, "admin/tracker/report/upload_pfd.html", context)


def upload_pfd_status(model_admin, request, pk):
    """Where the reading of an uploaded report has got to; once recorded, straight on to the report."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    upload = get_object_or_404(PfdReportUpload, pk=pk)
    if upload.state == PfdReportUpload.State.DONE and upload.report_id:
        outcome = upload.outcome or {}
        model_admin.message_user(
            request,
            f"{'New report' if outcome.get('created') else 'Report completed'}: {upload.report.title}. "
            f"Filled: {', '.join(outcome.get('filled') or []) or 'nothing'}; "
            f"{outcome.get('addressees_added', 0)} addressee(s) and {outcome.get('concerns_added', 0)} concern(s) "
            "added.",
        )
        for warning in outcome.get("warnings") or []:
            model_admin.message_user(request, f"Check: {warning}.", level=messages.WARNING)
        return redirect(reverse("admin:tracker_report_change", args=[upload.report_id]))
    stalled = upload.is_stalled()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Report._meta,
        "title": "Reading the report"
        if not (upload.is_finished or stalled)
        else "The report could not be read",
        "upload": upload,
        "stalled": stalled,
        "refresh": None if (upload.is_finished or stalled) else STATUS_REFRESH_SECONDS,
    }
    return TemplateResponse(request, "admin/tracker/report/upload_pfd_status.html", context)


@admin.register(PfdReportUpload)
class PfdReportUploadAdmin(admin.ModelAdmin):
    """PFD report documents handed over for reading, to follow: each opens its status page. Nothing is edited."""

    list_display = ["original_filename", "state", "report", "uploaded_by", "created_at", "status_link"]
    list_filter = ["state"]
    search_fields = ["original_filename"]
    list_select_related = ["report", "uploaded_by"]

    def _may_upload(self, request):
        return request.user.has_perm("tracker.add_report")

    def has_module_permission(self, request):
        return self._may_upload(request)

    def has_view_permission(self, request, obj=None):
        return self._may_upload(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Progress")
    def status_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:tracker_report_upload_pfd_status", args=[obj.pk]),
            "Open" if not obj.is_finished else obj.get_state_display(),
        )
