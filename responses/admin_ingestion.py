"""The editor's ingestion screens in the admin: upload or paste a letter, review what was found, confirm.

Hooked into ResponseLetterAdmin.get_urls(); the work itself is in responses.ingestion.
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from responses.extraction import MAX_LETTER_BYTES
from responses.ingestion import (
    DepartmentDirectory,
    DuplicateLetter,
    IngestionError,
    ReviewedCommitment,
    ReviewedLetter,
    ReviewedRecommendation,
    ReviewedReport,
    UnreadableLetter,
    confirm,
    create_draft,
    create_draft_from_text,
    discard_draft,
    reviewed_from_proposals,
    set_letter_date,
)
from responses.models import Commitment, Position, ResponseLetter
from tracker.models import Addressee, Department, Recommendation, Report
from tracker.permissions import can_ingest

logger = logging.getLogger(__name__)


class IngestForm(forms.Form):
    file = forms.FileField(
        required=False,
        allow_empty_file=True,
        label="Letter file",
        help_text="A .txt, .pdf or .docx file, up to 20 MB.",
    )
    text = forms.CharField(
        required=False,
        label="Or paste the letter's text",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") and cleaned.get("text", "").strip():
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if not cleaned.get("file") and not cleaned.get("text", "").strip() and not self.errors:
            raise forms.ValidationError("Choose a file to upload or paste the letter's text.")
        return cleaned


class LetterReviewForm(forms.Form):
    date = forms.DateField(
        widget=AdminDateWidget,
        label="Letter date",
        error_messages={"required": "The letter has no recognisable date; enter it by hand."},
    )
    departments = forms.ModelMultipleChoiceField(
        Department.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Responding departments",
        help_text="Ctrl- or Cmd-click to choose several (joint letters).",
        error_messages={"required": "Choose at least one responding department."},
    )
    addressee_name = forms.CharField(required=False, max_length=200, label="Addressed to")
    addressee_role = forms.CharField(required=False, max_length=300, label="Addressee's role")


class ReportReviewForm(forms.Form):
    keep = forms.BooleanField(required=False, initial=True)
    report = forms.ModelChoiceField(
        Report.objects.all(),
        required=False,
        label="Existing report",
        widget=ForeignKeyRawIdWidget(Addressee._meta.get_field("report").remote_field, admin.site),
        help_text="Link to this report; leave empty to create a new one from the fields below.",
    )
    kind = forms.ChoiceField(choices=Report.Kind.choices, initial=Report.Kind.OTHER)
    title = forms.CharField(required=False, max_length=500, widget=forms.TextInput(attrs={"size": 70}))
    deceased = forms.CharField(required=False, max_length=200)
    report_date = forms.DateField(required=False, widget=AdminDateWidget)
    author = forms.CharField(required=False, max_length=200)
    author_role = forms.CharField(required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and not cleaned.get("report") and not (cleaned.get("title") or "").strip():
            raise forms.ValidationError("Give the new report a title, or choose an existing report.")
        return cleaned


class RecommendationReviewForm(forms.Form):
    keep = forms.BooleanField(required=False, initial=True)
    report = forms.TypedChoiceField(coerce=int, label="Belongs to", choices=())
    recommendation = forms.ModelChoiceField(
        Recommendation.objects.all(),
        required=False,
        label="Existing recommendation",
        widget=ForeignKeyRawIdWidget(Position._meta.get_field("recommendation").remote_field, admin.site),
    )
    kind = forms.ChoiceField(choices=Recommendation.Kind.choices, initial=Recommendation.Kind.RECOMMENDATION)
    number = forms.IntegerField(required=False, min_value=0)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))

    def __init__(self, *args, report_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = report_choices
        # A fixed initial value, so an untouched blank form does not count as changed.
        self.fields["report"].initial = report_choices[0][0] if report_choices else None

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("keep")
            and not cleaned.get("recommendation")
            and not (cleaned.get("text") or "").strip()
        ):
            raise forms.ValidationError("Give the new recommendation its text, or choose an existing one.")
        return cleaned


class CommitmentReviewForm(forms.Form):
    keep = forms.BooleanField(required=False, initial=True)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))
    department = forms.ModelChoiceField(Department.objects.all(), required=False)
    time_phrase = forms.CharField(required=False, max_length=300)
    due_earliest = forms.DateField(required=False, widget=AdminDateWidget)
    due_latest = forms.DateField(required=False, widget=AdminDateWidget)
    precision = forms.ChoiceField(choices=Commitment.Precision.choices, initial=Commitment.Precision.NONE)
    recommendations = forms.TypedMultipleChoiceField(
        coerce=int, required=False, choices=(), widget=forms.CheckboxSelectMultiple, label="Answers"
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, recommendation_choices=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].choices = recommendation_choices
        if departments is not None:
            self.fields["department"].queryset = departments

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("keep"):
            return cleaned
        if not (cleaned.get("text") or "").strip():
            self.add_error("text", "A kept commitment needs its text (untick 'keep' to drop it).")
        if not cleaned.get("department"):
            self.add_error("department", "Choose the department that owns this commitment.")
        earliest, latest = cleaned.get("due_earliest"), cleaned.get("due_latest")
        if earliest and latest and earliest > latest:
            self.add_error("due_earliest", "The earliest due date is after the latest.")
        if earliest and not latest:
            self.add_error("due_latest", "Give the latest due date too (the overdue check uses it).")
        return cleaned


ReportFormSet = forms.formset_factory(ReportReviewForm, extra=1)
RecommendationFormSet = forms.formset_factory(RecommendationReviewForm, extra=1)
CommitmentFormSet = forms.formset_factory(CommitmentReviewForm, extra=1)


def _require_editor(request):
    if not can_ingest(request.user):
        raise PermissionDenied("Only ingestion editors may ingest letters.")


def _letter_link(letter):
    if letter.review_state == ResponseLetter.ReviewState.DRAFT:
        return reverse("admin:responses_responseletter_review", args=[letter.pk])
    return reverse("admin:responses_responseletter_change", args=[letter.pk])


def _context(model_admin, request, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": ResponseLetter._meta,
        "title": title,
        **extra,
    }


def ingest_view(model_admin, request):
    _require_editor(request)
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, text = form.cleaned_data.get("file"), form.cleaned_data.get("text")
        try:
            if upload and upload.size > MAX_LETTER_BYTES:
                # Said before reading it into memory; the same words as the reader's.
                raise UnreadableLetter(
                    f"{upload.name} is {upload.size / (1024 * 1024):.1f} MB; letters over "
                    f"{MAX_LETTER_BYTES // (1024 * 1024)} MB are not accepted.",
                    "too_large",
                )
            if upload:
                letter = create_draft(
                    upload.read(), upload.name, user=request.user, source=ResponseLetter.Source.UPLOAD
                )
            else:
                letter = create_draft_from_text(text, user=request.user)
        except DuplicateLetter as exc:
            form.add_error(
                None,
                format_html(
                    '{} <a href="{}">Open the existing letter</a>. Nothing was saved.',
                    exc.message,
                    _letter_link(exc.existing),
                ),
            )
        except UnreadableLetter as exc:
            form.add_error("file" if upload else "text", f"{exc.message} Nothing was saved.")
        except Exception as exc:  # a reader bug must not lose the editor's page; the log has the details
            logger.exception("ingesting an uploaded letter failed")
            form.add_error(
                "file" if upload else "text",
                f"The letter could not be read (unexpected error: {exc.__class__.__name__}). Nothing was saved.",
            )
        else:
            messages.success(request, "Letter read. Check what was found, then confirm.")
            return redirect("admin:responses_responseletter_review", letter.pk)
    return TemplateResponse(
        request,
        "admin/responses/ingest.html",
        _context(
            model_admin, request, "Ingest a response letter", form=form, media=model_admin.media + form.media
        ),
    )


def _initial(proposal: ReviewedLetter):
    letter = {
        "date": proposal.date,
        "departments": proposal.departments,
        "addressee_name": proposal.addressee_name,
        "addressee_role": proposal.addressee_role,
    }
    reports = [
        {
            "keep": True,
            "report": r.report,
            "kind": r.kind,
            "title": r.title,
            "deceased": r.deceased,
            "report_date": r.report_date,
            "author": r.author,
            "author_role": r.author_role,
        }
        for r in proposal.reports
    ]
    recommendations = [
        {
            "keep": True,
            "report": r.report_index,
            "recommendation": r.recommendation,
            "kind": r.kind,
            "number": r.number,
            "text": r.text,
        }
        for r in proposal.recommendations
    ]
    commitments = [
        {
            "keep": True,
            "text": c.text,
            "department": c.department,
            "time_phrase": c.time_phrase,
            "due_earliest": c.due_earliest,
            "due_latest": c.due_latest,
            "precision": c.precision,
            "recommendations": c.recommendation_indexes,
            "start": c.start,
            "end": c.end,
        }
        for c in proposal.commitments
    ]
    return letter, reports, recommendations, commitments


def _report_choices(initial_reports):
    choices = [
        (i, f"{i + 1}. {r['title'] or r['report'] or 'Report'}"[:90]) for i, r in enumerate(initial_reports)
    ]
    choices.append((len(initial_reports), f"{len(initial_reports) + 1}. (the report added below)"))
    return choices


def _recommendation_choices(initial_recommendations):
    choices = []
    for i, r in enumerate(initial_recommendations):
        label = (
            f"{Recommendation.Kind(r['kind']).label} {r['number']}"
            if r["number"] is not None
            else f"Item {i + 1}"
        )
        choices.append((i, f"{label}: {(r['text'] or '')[:60]}"))
    choices.append((len(initial_recommendations), "The recommendation added below"))
    return choices


def _kept(formset):
    """(index, cleaned_data) of the forms the editor kept: not unticked, and for the blank extra forms, filled."""
    for index, form in enumerate(formset.forms):
        if index >= formset.initial_form_count() and not form.has_changed():
            continue
        if form.cleaned_data.get("keep"):
            yield index, form


def reviewed_from_forms(letter, letter_form, report_formset, recommendation_formset, commitment_formset):
    """The editor's reading as a ReviewedLetter, or None when a cross-form check fails (errors are added
    to the forms)."""
    ok = True
    reports, report_index = [], {}
    for index, form in _kept(report_formset):
        cd = form.cleaned_data
        report_index[index] = len(reports)
        reports.append(
            ReviewedReport(
                report=cd.get("report"),
                kind=cd["kind"],
                title=cd.get("title") or "",
                deceased=cd.get("deceased") or "",
                report_date=cd.get("report_date"),
                author=cd.get("author") or "",
                author_role=cd.get("author_role") or "",
                link_if_found=not form.initial.get("report"),  # the editor unlinked the proposed one
            )
        )
    recommendations, recommendation_index = [], {}
    for index, form in _kept(recommendation_formset):
        cd = form.cleaned_data
        if cd["report"] not in report_index:
            form.add_error("report", "That report is not kept: keep it, or drop this recommendation.")
            ok = False
            continue
        recommendation_index[index] = len(recommendations)
        recommendations.append(
            ReviewedRecommendation(
                report_index=report_index[cd["report"]],
                recommendation=cd.get("recommendation"),
                kind=cd["kind"],
                number=cd.get("number"),
                label="" if cd.get("number") is None else str(cd["number"]),
                text=cd.get("text") or "",
            )
        )
    commitments = []
    for _index, form in _kept(commitment_formset):
        cd = form.cleaned_data
        dropped = [i for i in cd.get("recommendations") or [] if i not in recommendation_index]
        if dropped:
            form.add_error("recommendations", "It answers a recommendation that is not kept.")
            ok = False
            continue
        text = cd["text"].strip()
        start, end = cd.get("start"), cd.get("end")
        if start is None or letter.text[start:end] != text:
            # Edited: quote offsets are kept only while the text is still the letter's own words.
            found = letter.text.find(text)
            start, end = (found, found + len(text)) if found >= 0 else (None, None)
        commitments.append(
            ReviewedCommitment(
                text=text,
                department=cd["department"],
                time_phrase=cd.get("time_phrase") or "",
                due_earliest=cd.get("due_earliest"),
                due_latest=cd.get("due_latest"),
                precision=cd["precision"],
                start=start,
                end=end,
                recommendation_indexes=[recommendation_index[i] for i in cd.get("recommendations") or []],
            )
        )
    if not ok:
        return None
    return ReviewedLetter(
        date=letter_form.cleaned_data["date"],
        departments=list(letter_form.cleaned_data["departments"]),
        addressee_name=letter_form.cleaned_data.get("addressee_name") or "",
        addressee_role=letter_form.cleaned_data.get("addressee_role") or "",
        signatories=(letter.extraction or {}).get("signatories") or [],
        reports=reports,
        recommendations=recommendations,
        commitments=commitments,
    )


def _highlighted(text, commitments):
    """The letter as segments, with the proposed commitments marked, for the left-hand column."""
    spans = sorted(
        (c["start"], c["end"], n)
        for n, c in enumerate(commitments, 1)
        if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)
    )
    segments, position = [], 0
    for start, end, number in spans:
        if start < position or end > len(text):
            continue
        segments.append({"text": text[position:start]})
        segments.append({"text": text[start:end], "number": number})
        position = end
    segments.append({"text": text[position:]})
    return segments


def review_view(model_admin, request, pk):
    _require_editor(request)
    letter = get_object_or_404(ResponseLetter, pk=pk)
    if letter.review_state != ResponseLetter.ReviewState.DRAFT:
        messages.info(request, "This letter is already confirmed.")
        return redirect("admin:responses_responseletter_change", letter.pk)

    directory = DepartmentDirectory.load()
    proposal = reviewed_from_proposals(letter, directory)
    letter_initial, reports_initial, recommendations_initial, commitments_initial = _initial(proposal)
    data = request.POST if request.method == "POST" else None
    letter_form = LetterReviewForm(data, initial=letter_initial, prefix="letter")

    if data is not None and data.get("action") == "discard":
        discard_draft(letter)
        messages.success(request, "Draft discarded: nothing from it was kept.")
        return redirect("admin:responses_responseletter_changelist")

    if data is not None and data.get("action") == "set_date":
        letter_form.is_valid()
        if "date" not in letter_form.errors:
            set_letter_date(letter, letter_form.cleaned_data["date"])
            messages.success(request, "Date set; time phrases relative to it have been resolved.")
            return redirect("admin:responses_responseletter_review", letter.pk)

    departments = Department.objects.order_by("name")
    report_formset = ReportFormSet(data, initial=reports_initial, prefix="reports")
    recommendation_formset = RecommendationFormSet(
        data,
        initial=recommendations_initial,
        prefix="recommendations",
        form_kwargs={"report_choices": _report_choices(reports_initial)},
    )
    commitment_formset = CommitmentFormSet(
        data,
        initial=commitments_initial,
        prefix="commitments",
        form_kwargs={
            "recommendation_choices": _recommendation_choices(recommendations_initial),
            "departments": departments,
        },
    )
    problems = []
    if data is not None and data.get("action") == "confirm":
        valid = all(
            [
                letter_form.is_valid(),
                report_formset.is_valid(),
                recommendation_formset.is_valid(),
                commitment_formset.is_valid(),
            ]
        )
        reviewed = (
            reviewed_from_forms(
                letter, letter_form, report_formset, recommendation_formset, commitment_formset
            )
            if valid
            else None
        )
        if reviewed is not None:
            try:
                confirm(letter, reviewed, user=request.user)
            except IngestionError as exc:
                problems = getattr(exc, "problems", None) or [exc.message]
            else:
                messages.success(
                    request,
                    f"Confirmed: {len(reviewed.commitments)} commitment(s), {len(reviewed.reports)} report(s).",
                )
                return redirect("admin:responses_responseletter_change", letter.pk)
        else:
            problems = ["Nothing was saved: correct the errors below."]

    payload = letter.extraction or {}
    media = model_admin.media + letter_form.media + report_formset.media + commitment_formset.media
    return TemplateResponse(
        request,
        "admin/responses/review.html",
        _context(
            model_admin,
            request,
            f"Review {letter}",
            letter=letter,
            letter_form=letter_form,
            report_formset=report_formset,
            recommendation_formset=recommendation_formset,
            commitment_formset=commitment_formset,
            warnings=payload.get("warnings") or [],
            signatories=payload.get("signatories") or [],
            segments=_highlighted(letter.text, payload.get("commitments") or []),
            undated=letter.date is None,
            problems=problems,
            media=media,
        ),
    )
