"""The editor's ingestion screens in the admin: upload or paste a letter, review what was found, confirm.

Hooked into ResponseLetterAdmin.get_urls(); the work itself is in responses.ingestion.
"""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from responses import ingestion, reviewed, uploads
from responses.extraction import MAX_LETTER_BYTES
from responses.ingestion import (
    DuplicateLetter,
    IngestionError,
    UnreadableLetter,
    discard_draft,
    draft_of,
    set_letter_date,
)
from responses.models import LetterUpload, ResponseLetter
from responses.review_forms import (
    DEPARTMENT_LIST_ID,
    commitment_formset_class,
    initial_of,
    item_from_form,
    letter_form_class,
    owner_choices,
    recommendation_formset_class,
    report_formset_class,
)
from responses.tasks import read_uploaded_letter
from tracker.models import Department, Recommendation, Report
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
    """Take the file or text, store it and queue its reading; the editor then watches the status page.

    Reading (OCR of a scan can take a minute) happens in the read_uploaded_letter task, never here."""
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
                stored = uploads.start_upload(upload.read(), upload.name, user=request.user)
            else:
                stored = uploads.start_upload(text=text, user=request.user)
        except DuplicateLetter as exc:
            form.add_error(
                None,
                format_html(
                    '{} <a href="{}">Open the existing letter</a>. Nothing was saved.',
                    exc.message,
                    _letter_link(exc.existing),
                ),
            )
        except uploads.UploadInProgress as exc:
            form.add_error(
                None,
                format_html(
                    'This file is being read already. <a href="{}">See how far it has got</a>.',
                    _status_link(exc.upload),
                ),
            )
        except UnreadableLetter as exc:
            form.add_error("file" if upload else "text", f"{exc.message} Nothing was saved.")
        else:
            try:
                read_uploaded_letter.delay(stored.pk)
            except Exception:
                # With a broker this is the broker not answering; without one (the quick start runs tasks
                # in-process) it is the reading's own error, already recorded on the upload by read_upload.
                # Either way the log has the traceback and the status page says what happened.
                logger.exception("reading upload %s failed or could not be queued", stored.pk)
                stored.refresh_from_db()
                if not stored.is_finished:
                    uploads.fail(
                        stored.pk,
                        "The service that reads letters is not answering; nothing was saved. Try again in a "
                        "few minutes.",
                        "queue",
                    )
            return redirect("admin:responses_responseletter_upload", stored.pk)
    return TemplateResponse(
        request,
        "admin/responses/ingest.html",
        _context(
            model_admin, request, "Ingest a response letter", form=form, media=model_admin.media + form.media
        ),
    )


def _status_link(upload):
    return reverse("admin:responses_responseletter_upload", args=[upload.pk])


# Seconds between reloads of the status page while the reading is under way (no JavaScript needed).
STATUS_REFRESH_SECONDS = 2


def upload_status_view(model_admin, request, pk):
    """Where the reading of an upload has got to; on success, straight on to the review page."""
    _require_editor(request)
    upload = get_object_or_404(LetterUpload, pk=pk)
    if upload.state == LetterUpload.State.READY and upload.letter_id:
        messages.success(request, "Letter read. Check what was found, then confirm.")
        return redirect("admin:responses_responseletter_review", upload.letter_id)
    stalled = upload.is_stalled()
    return TemplateResponse(
        request,
        "admin/responses/upload_status.html",
        _context(
            model_admin,
            request,
            "Reading the letter" if not (upload.is_finished or stalled) else "The letter could not be read",
            upload=upload,
            stalled=stalled,
            refresh=None if (upload.is_finished or stalled) else STATUS_REFRESH_SECONDS,
            existing_link=_letter_link(upload.letter) if upload.letter_id else None,
        ),
    )


def _report_choices(reports):
    choices = [
        (i, f"{i + 1}. {r.title or (f'Report #{r.report_id}' if r.report_id else 'Report')}"[:90])
        for i, r in enumerate(reports)
    ]
    choices.append((len(reports), f"{len(reports) + 1}. (the report added below)"))
    return choices


def _recommendation_choices(recommendations):
    choices = []
    for i, r in enumerate(recommendations):
        kind = Recommendation.Kind(r.kind).label if r.kind in Recommendation.Kind.values else "Item"
        label = f"{kind} {r.label}" if r.label else f"Item {i + 1}"
        choices.append((i, f"{label}: {(r.text or '')[:60]}"))
    choices.append((len(recommendations), "The recommendation added below"))
    return choices


def _kept(formset):
    """(index, form) of the forms the editor kept: not unticked, and for the blank extra forms, filled."""
    for index, form in enumerate(formset.forms):
        if index >= formset.initial_form_count() and not form.has_changed():
            continue
        if form.cleaned_data.get("keep"):
            yield index, form


def _unticked_additions(*formsets):
    """Blank rows the editor filled in but did not tick: an error on each (True when there is one), so nothing
    typed is silently dropped. A blank row is never ticked by default (issue 13: no blank row kept unasked)."""
    found = False
    for formset in formsets:
        for index, form in enumerate(formset.forms):
            if (
                index >= formset.initial_form_count()
                and form.has_changed()
                and not form.cleaned_data.get("keep")
            ):
                form.add_error(None, "Tick the box to add this, or clear what you typed in it.")
                found = True
    return found


def _original(items, index):
    return items[index] if index < len(items) else None


def reviewed_from_forms(
    letter, proposal, letter_form, report_formset, recommendation_formset, commitment_formset
):
    """The editor's reading as a ReviewedLetter (the shape the page was filled from, read back), or None when a
    cross-form check fails (errors are added to the forms)."""
    ok = not _unticked_additions(report_formset, recommendation_formset, commitment_formset)
    reports, report_index = [], {}
    for index, form in _kept(report_formset):
        original = _original(proposal.reports, index)
        report_index[index] = len(reports)
        reports.append(
            item_from_form(
                reviewed.ReviewedReport,
                form.cleaned_data,
                original,
                # The editor unlinked the proposed report: do not link it again behind their back.
                link_if_found=not form.initial.get("report_id"),
            )
        )
    recommendations, recommendation_index = [], {}
    for index, form in _kept(recommendation_formset):
        cd = form.cleaned_data
        if cd["report_index"] not in report_index:
            form.add_error("report_index", "That report is not kept: keep it, or drop this recommendation.")
            ok = False
            continue
        recommendation_index[index] = len(recommendations)
        recommendations.append(
            item_from_form(
                reviewed.ReviewedRecommendation,
                cd,
                _original(proposal.recommendations, index),
                report_index=report_index[cd["report_index"]],
            )
        )
    commitments = []
    for index, form in _kept(commitment_formset):
        cd = form.cleaned_data
        dropped = [i for i in cd.get("recommendation_indexes") or [] if i not in recommendation_index]
        if dropped:
            form.add_error("recommendation_indexes", "It answers a recommendation that is not kept.")
            ok = False
            continue
        original = _original(proposal.commitments, index)
        text = cd["text"].strip()
        start, end = (original.text_start, original.text_end) if original else (None, None)
        if start is None or letter.text[start:end] != text:
            # Edited: quote offsets are kept only while the text is still the letter's own words.
            found = letter.text.find(text)
            start, end = (found, found + len(text)) if found >= 0 else (None, None)
        commitments.append(
            item_from_form(
                reviewed.ReviewedCommitment,
                cd,
                original,
                text=text,
                text_start=start,
                text_end=end,
                recommendation_indexes=[
                    recommendation_index[i] for i in cd.get("recommendation_indexes") or []
                ],
            )
        )
    if not ok:
        return None
    return item_from_form(
        reviewed.ReviewedLetter,
        letter_form.cleaned_data,
        proposal,
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


def _commitments_initial(proposal):
    """The commitment rows as proposed. A row with no owner, in a letter from exactly one department, is
    given that department: a proposal the editor sees (the row says so) and may change. With several
    departments or none the owner stays empty for the editor to choose."""
    only = proposal.department_ids[0] if len(proposal.department_ids) == 1 else None
    rows = []
    for item in proposal.commitments:
        row = {**initial_of(item), "keep": True}
        if row.get("department_id") is None and only is not None:
            row.update(department_id=only, owner_proposed=True)
        rows.append(row)
    return rows


def _dated_against(data, letter_date):
    """The posted page with each commitment the editor left without a due date dated by its own words read
    against the letter's new date ("later this year"); every other field exactly as posted."""
    data = data.copy()
    prefix = "commitments"
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS") or 0), forms.formsets.DEFAULT_MAX_NUM)
    except ValueError:
        return data
    for index in range(total):

        def field(name, index=index):
            return f"{prefix}-{index}-{name}"

        if (data.get(field("due_latest")) or "").strip():
            continue
        deadline = ingestion.deadline_against(data.get(field("text")) or "", letter_date)
        if deadline is None:
            continue
        data[field("time_phrase")] = deadline.phrase
        data[field("due_earliest")] = deadline.due_earliest.isoformat() if deadline.due_earliest else ""
        data[field("due_latest")] = deadline.due_latest.isoformat()
        data[field("precision")] = deadline.precision
    return data


def _without_errors(*forms_and_formsets):
    for item in forms_and_formsets:
        for form in getattr(item, "forms", [item]):
            form._errors = ErrorDict()
        if hasattr(item, "forms"):
            item._non_form_errors = item.error_class()


def review_view(model_admin, request, pk):
    _require_editor(request)
    letter = get_object_or_404(ResponseLetter, pk=pk)
    if letter.review_state != ResponseLetter.ReviewState.DRAFT:
        messages.info(request, "This letter is already confirmed.")
        return redirect("admin:responses_responseletter_change", letter.pk)

    proposal = draft_of(letter)
    data = request.POST if request.method == "POST" else None
    letter_form = letter_form_class()(data, initial=initial_of(proposal), prefix="letter")

    if data is not None and data.get("action") == "discard":
        model_admin.log_deletions(request, [letter])  # the admin's history: who discarded what, when
        discard_draft(letter)
        messages.success(request, "Draft discarded: nothing from it was kept.")
        return redirect("admin:responses_responseletter_changelist")

    only_dating = False
    if data is not None and data.get("action") == "set_date":
        letter_form.is_valid()
        if "date" not in letter_form.errors:
            letter_date = letter_form.cleaned_data["date"]
            set_letter_date(letter, letter_date)
            proposal = draft_of(letter)
            # Nothing else the editor typed is lost: the page comes back with every field as posted, the
            # commitments they left undated now dated against the letter's date.
            data = _dated_against(data, letter_date)
            letter_form = letter_form_class()(data, initial=initial_of(proposal), prefix="letter")
            only_dating = True
            messages.success(
                request,
                "Date set; time phrases relative to it have been resolved. Your other changes are still on "
                "this page: confirm to save them.",
            )

    held = {*proposal.department_ids, *(c.department_id for c in proposal.commitments if c.department_id)}
    department_names = owner_choices(held)  # one query, one list for the whole page
    letter_form.fields["department_ids"].queryset = Department.objects.filter(pk__in=list(department_names))
    linked = Report.objects.in_bulk([r.report_id for r in proposal.reports if r.report_id])
    reports_initial = [
        {**initial_of(r), "keep": True, "linked": linked.get(r.report_id)} for r in proposal.reports
    ]
    report_formset = report_formset_class()(data, initial=reports_initial, prefix="reports")
    recommendation_formset = recommendation_formset_class()(
        data,
        initial=[{**initial_of(r), "keep": True} for r in proposal.recommendations],
        prefix="recommendations",
        form_kwargs={"report_choices": _report_choices(proposal.reports)},
    )
    commitment_formset = commitment_formset_class()(
        data,
        initial=_commitments_initial(proposal),
        prefix="commitments",
        form_kwargs={
            "recommendation_choices": _recommendation_choices(proposal.recommendations),
            "department_names": department_names,
        },
    )
    choices = dict(_recommendation_choices(proposal.recommendations))
    for form, item in zip(commitment_formset.forms, proposal.commitments, strict=False):
        form.suggestions = [(choices.get(s.recommendation_index), s.reason) for s in item.suggestions]
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
        edited = (
            reviewed_from_forms(
                letter, proposal, letter_form, report_formset, recommendation_formset, commitment_formset
            )
            if valid
            else None
        )
        if edited is not None:
            try:
                ingestion.confirm(letter, edited, user=request.user)
            except IngestionError as exc:
                problems = getattr(exc, "problems", None) or [exc.message]
            else:
                summary = f"{len(edited.commitments)} commitment(s), {len(edited.reports)} report(s)"
                # The admin's history ("Recent actions", the letter's history page) records the confirmation.
                model_admin.log_change(request, letter, f"Confirmed the draft after review: {summary}.")
                messages.success(request, f"Confirmed: {summary}.")
                return redirect("admin:responses_responseletter_change", letter.pk)
        else:
            problems = ["Nothing was saved: correct the errors below."]

    if only_dating:
        # The editor asked only to date the letter: what the forms would say on confirming is not shown yet.
        _without_errors(letter_form, report_formset, recommendation_formset, commitment_formset)

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
            signatories=proposal.signatories,
            segments=_highlighted(letter.text, payload.get("commitments") or []),
            # The letter and the fields side by side need the width the admin's menu would take (1280 px).
            is_nav_sidebar_enabled=False,
            undated=letter.date is None,
            department_names=department_names.values(),
            department_list_id=DEPARTMENT_LIST_ID,
            problems=problems,
            media=media,
        ),
    )
