import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responses.models import Commitment, ResponseLetter
from tests.factories import DepartmentFactory, RecommendationFactory, ReportFactory, UserFactory
from tests.responses import letter_files
from tracker import permissions
from tracker.models import Addressee, Recommendation, Report

pytestmark = pytest.mark.django_db

INGEST_URL = reverse("admin:responses_responseletter_ingest")
UPLOADS_URL = INGEST_URL.replace("ingest/", "upload/")


def review_url(letter):
    return reverse("admin:responses_responseletter_review", args=[letter.pk])


@pytest.fixture
def moj():
    return DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True, role=permissions.INGESTION_EDITORS)
    client.force_login(user)
    return user


def upload(client, filename, data):
    """Upload a file as an editor would: the page answers with the reading's status page (reading runs as a
    task, in-process here), which goes on to the review page once the letter has been read."""
    response = client.post(INGEST_URL, {"file": SimpleUploadedFile(filename, data), "text": ""})
    if response.status_code == 302 and response.url.startswith(UPLOADS_URL):
        return client.get(response.url)
    return response


def review_post_data(response):
    """What the review page's form would submit untouched: every field at its proposed value."""
    data = {"action": "confirm"}
    forms = [response.context["letter_form"]]
    for name in ("report_formset", "recommendation_formset", "commitment_formset"):
        formset = response.context[name]
        for field in formset.management_form:
            data[field.html_name] = field.value()
        forms.extend(formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def test_upload_review_edit_drop_and_confirm(client, editor, moj):
    report = ReportFactory(deceased="Samuel Price")
    concern_one = RecommendationFactory(report=report, number=1, label="1", kind=Recommendation.Kind.CONCERN)
    page = client.get(INGEST_URL)
    assert page.status_code == 200

    response = upload(client, "reply.pdf", letter_files.make_pdf(letter_files.pfd_reply()))

    letter = ResponseLetter.objects.get()
    assert response.status_code == 302 and response.url == review_url(letter)
    review = client.get(review_url(letter))
    assert review.status_code == 200
    content = review.content.decode()
    assert "Thank you for your Regulation 28 report" in content  # the letter beside the fields
    assert "We will issue revised guidance on the transfer of healthcare records" in content
    assert f'value="{report.pk}"' in content  # linked to the existing report

    data = review_post_data(review)
    assert data["commitments-TOTAL_FORMS"] == 4  # three found, one blank to add
    data["commitments-0-text"] = "We will issue revised guidance on healthcare records to all prisons"
    data["commitments-0-due_earliest"] = ""
    data["commitments-0-due_latest"] = "2025-07-31"
    data["commitments-0-precision"] = "day"
    del data["commitments-2-keep"]  # drop the vague one
    response = client.post(review_url(letter), data)

    assert response.status_code == 302, response.context and response.context.get("problems")
    assert response.url == reverse("admin:responses_responseletter_change", args=[letter.pk])
    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.CONFIRMED
    assert letter.confirmed_by == editor
    assert list(letter.reports.all()) == [report]
    edited, kept = letter.commitments.order_by("id")
    assert letter.commitments.count() == 2
    assert edited.text == "We will issue revised guidance on healthcare records to all prisons"
    assert (edited.due_earliest, edited.due_latest, edited.precision) == (
        None,
        datetime.date(2025, 7, 31),
        "day",
    )
    assert edited.text_start is None  # no longer the letter's own words
    assert list(edited.recommendations.all()) == [concern_one]
    assert kept.text.startswith("We will deliver refresher training")
    assert letter.text[kept.text_start : kept.text_end] == kept.text
    assert not Commitment.objects.filter(text__contains="review the training materials").exists()
    assert Addressee.objects.get(report=report).response_letter == letter


def test_the_editor_can_add_a_missed_commitment_and_relink_recommendations(client, editor, moj):
    letter_response = upload(client, "reply.txt", letter_files.pfd_reply(deceased="Ann Jones").encode())
    letter = ResponseLetter.objects.get()
    assert letter_response.status_code == 302
    data = review_post_data(client.get(review_url(letter)))
    data["commitments-3-keep"] = "on"  # a blank row is added only when ticked (it is never ticked by default)
    data["commitments-3-text"] = "We will write to every governor"
    data["commitments-3-department_id"] = moj.pk
    data["commitments-3-precision"] = "none"
    data["commitments-3-recommendation_indexes"] = [0, 1]
    data["commitments-0-recommendation_indexes"] = []

    response = client.post(review_url(letter), data)

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.deceased == "Ann Jones"
    added = letter.commitments.get(text="We will write to every governor")
    assert set(added.recommendations.values_list("label", flat=True)) == {"1", "2"}
    assert not letter.commitments.get(text__startswith="We will issue").recommendations.exists()


def test_the_editor_can_unlink_the_proposed_report_and_create_a_new_one(client, editor, moj):
    existing = ReportFactory(deceased="Samuel Price")
    upload(client, "reply.txt", letter_files.pfd_reply().encode())
    letter = ResponseLetter.objects.get()
    data = review_post_data(client.get(review_url(letter)))
    assert data["reports-0-report_id"] == existing.pk
    data["reports-0-report_id"] = ""
    data["reports-0-title"] = "Regulation 28 report: Samuel Price (second inquest)"

    assert client.post(review_url(letter), data).status_code == 302

    created = letter.reports.get()
    assert created != existing
    assert created.title == "Regulation 28 report: Samuel Price (second inquest)"
    assert Report.objects.count() == 2


def test_a_dropped_recommendation_still_linked_to_a_commitment_is_an_error(client, editor, moj):
    upload(client, "reply.txt", letter_files.pfd_reply().encode())
    letter = ResponseLetter.objects.get()
    data = review_post_data(client.get(review_url(letter)))
    del data["recommendations-0-keep"]

    response = client.post(review_url(letter), data)

    assert response.status_code == 200
    assert "It answers a recommendation that is not kept." in response.content.decode()
    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.DRAFT
    assert Commitment.objects.count() == Report.objects.count() == 0


def test_pasted_text_goes_to_review(client, editor, moj):
    response = client.post(INGEST_URL, {"text": letter_files.pfd_reply()})
    status = client.get(response.url)

    letter = ResponseLetter.objects.get()
    assert response.url.startswith(UPLOADS_URL)
    assert status.url == review_url(letter)
    assert letter.source == ResponseLetter.Source.PASTE
    assert letter.date == datetime.date(2025, 3, 14)


def test_uploading_the_same_file_again_says_so_and_links_to_the_letter(client, editor, moj):
    data = letter_files.make_docx(letter_files.pfd_reply())
    upload(client, "reply.docx", data)
    letter = ResponseLetter.objects.get()

    response = upload(client, "reply (1).docx", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "This letter was already ingested" in content
    assert f'href="{review_url(letter)}"' in content
    assert ResponseLetter.objects.count() == 1


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("empty.txt", b"", "is empty"),
        ("photo.png", letter_files.PNG_BYTES, "is an image, not a letter"),
        ("latin.txt", letter_files.UNDECODABLE_BYTES, "is not UTF-8 or Windows-1252 text"),
        ("drawing.pdf", letter_files.make_drawing_pdf(), "contains no text"),
        ("locked.pdf", letter_files.make_encrypted_pdf(letter_files.pfd_reply()), "encrypted"),
        ("broken.pdf", letter_files.make_corrupt_pdf(), "corrupt"),
        ("huge.txt", b"a" * (20 * 1024 * 1024 + 1), "over 20 MB are not accepted"),
    ],
)
def test_bad_files_get_their_own_message_and_nothing_is_saved(
    client, editor, settings, filename, data, message
):
    response = upload(client, filename, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Nothing was saved" in content
    assert ResponseLetter.objects.count() == 0
    assert not (settings.MEDIA_ROOT.exists() and any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*")))


def test_a_reader_failure_is_a_message_not_a_crash(client, editor, moj, monkeypatch, settings):
    from responses import ingestion

    def broken(*args, **kwargs):
        raise KeyError("page")

    monkeypatch.setattr(ingestion, "extract", broken)
    response = upload(client, "reply.txt", letter_files.pfd_reply().encode())

    assert response.status_code == 200
    assert "could not be read (unexpected error: KeyError)" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert ResponseLetter.objects.count() == 0


def test_neither_file_nor_text_is_an_error(client, editor):
    response = client.post(INGEST_URL, {"text": "  "})
    assert "Choose a file to upload or paste the letter" in response.content.decode()


def test_an_undated_letter_needs_a_date_by_hand(client, editor, moj):
    upload(client, "undated.txt", letter_files.undated_reply().encode())
    letter = ResponseLetter.objects.get()
    review = client.get(review_url(letter))
    assert "no recognisable letter date" in review.content.decode()
    data = review_post_data(review)

    refused = client.post(review_url(letter), data)

    assert refused.status_code == 200
    assert "The letter has no recognisable date; enter it by hand." in refused.content.decode()
    assert Commitment.objects.count() == 0

    client.post(review_url(letter), {"action": "set_date", "letter-date": "2025-03-14"})
    letter.refresh_from_db()
    assert letter.date == datetime.date(2025, 3, 14)
    data = review_post_data(client.get(review_url(letter)))
    # "later this year" dated against the date given
    assert data["commitments-1-due_latest"] == datetime.date(2025, 12, 31)

    assert client.post(review_url(letter), data).status_code == 302
    assert letter.commitments.count() == 3


def test_a_discarded_draft_leaves_nothing_and_the_file_can_be_uploaded_again(client, editor, moj, settings):
    data = letter_files.pfd_reply().encode()
    upload(client, "reply.txt", data)
    letter = ResponseLetter.objects.get()

    response = client.post(review_url(letter), {"action": "discard"})

    assert response.url == reverse("admin:responses_responseletter_changelist")
    assert ResponseLetter.objects.count() == 0
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))
    assert upload(client, "reply.txt", data).status_code == 302
    assert ResponseLetter.objects.count() == 1


def test_drafts_from_the_command_show_a_review_link(client, editor, moj):
    from responses.ingestion import ingest

    draft = ingest(letter_files.pfd_reply().encode(), "reply.txt").letter
    confirmed = ingest(
        letter_files.pfd_reply(deceased="Ann Jones").encode(), "other.txt", approve=True
    ).letter

    content = client.get(reverse("admin:responses_responseletter_changelist")).content.decode()

    assert review_url(draft) in content
    assert review_url(confirmed) not in content
    assert INGEST_URL in content


def test_a_confirmed_letter_is_not_reviewed_again(client, editor, moj):
    from responses.ingestion import ingest

    letter = ingest(letter_files.pfd_reply().encode(), "reply.txt", approve=True).letter
    response = client.get(review_url(letter))
    assert response.status_code == 302
    assert response.url == reverse("admin:responses_responseletter_change", args=[letter.pk])


def test_staff_who_are_not_editors_are_refused(client, moj):
    from responses.ingestion import create_draft

    letter = create_draft(letter_files.pfd_reply().encode(), "reply.txt")
    official = UserFactory(username="official", is_staff=True, role=permissions.POLICY_OFFICIALS)
    official.user_permissions.add(Permission.objects.get(codename="view_responseletter"))
    client.force_login(official)

    assert client.get(INGEST_URL).status_code == 403
    changelist = client.get(reverse("admin:responses_responseletter_changelist"))
    assert changelist.status_code == 200  # may see the letters, but is not offered ingestion
    assert INGEST_URL not in changelist.content.decode()
    assert review_url(letter) not in changelist.content.decode()
    assert upload(client, "again.txt", letter_files.pfd_reply(deceased="X Y").encode()).status_code == 403
    assert client.post(review_url(letter), {"action": "confirm"}).status_code == 403
    assert ResponseLetter.objects.count() == 1


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(INGEST_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def checkbox_checked(html, name):
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tag, name
    return " checked" in tag[0]


def test_no_blank_row_is_ticked_by_default_and_the_found_ones_are(client, editor, moj):
    response = client.post(INGEST_URL, {"text": letter_files.pfd_reply()})
    letter = ResponseLetter.objects.get()
    html = client.get(review_url(letter)).content.decode()
    assert checkbox_checked(html, "reports-0-keep") and checkbox_checked(html, "commitments-0-keep")
    # the blank "add one the reader missed" rows: report 2, recommendation 3, commitment 4
    assert not checkbox_checked(html, "reports-1-keep")
    assert not checkbox_checked(html, "recommendations-2-keep")
    assert not checkbox_checked(html, "commitments-3-keep")
    assert response.status_code == 302


def test_a_blank_row_filled_but_not_ticked_is_an_error_not_dropped(client, editor, moj):
    client.post(INGEST_URL, {"text": letter_files.pfd_reply()})
    letter = ResponseLetter.objects.get()
    data = review_post_data(client.get(review_url(letter)))
    data["commitments-3-text"] = "We will write to every governor"
    data["commitments-3-department_id"] = moj.pk
    response = client.post(review_url(letter), data)
    assert response.status_code == 200
    assert "Tick the box to add this, or clear what you typed in it." in response.content.decode()
    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.DRAFT


def test_each_commitment_shows_the_recommendations_suggested_and_why(client, editor, moj):
    client.post(INGEST_URL, {"text": letter_files.pfd_reply()})
    letter = ResponseLetter.objects.get()
    response = client.get(review_url(letter))
    html = response.content.decode()
    forms = response.context["commitment_formset"].forms
    # "We will issue revised guidance ..." sits under "Matter of concern 1"; the training under concern 2
    assert [label for label, _ in forms[0].suggestions][0].startswith("Matter of concern 1: Prison staff")
    assert len(forms[0].suggestions) == 1
    assert forms[0].suggestions[0][1] in (
        "it sits under the heading “Matter of concern 1”",
        "the reader placed it in the response to 1",
    )
    assert forms[1].initial["recommendation_indexes"] == [1]
    assert checkbox_checked(html, "commitments-0-recommendation_indexes") or 'value="0" checked' in html
    assert "Suggested (ticked above; untick if wrong)" in html


def test_confirming_and_discarding_are_in_the_admin_history(client, editor, moj):
    from django.contrib.admin.models import CHANGE, DELETION, LogEntry

    client.post(INGEST_URL, {"text": letter_files.pfd_reply()})
    letter = ResponseLetter.objects.get()
    response = client.post(review_url(letter), review_post_data(client.get(review_url(letter))))
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(letter.pk), action_flag=CHANGE)
    assert (
        entry.user == editor
        and "Confirmed the draft after review: 3 commitment(s), 1 report(s)." in entry.get_change_message()
    )
    assert (
        str(letter.pk)
        in client.get(reverse("admin:responses_responseletter_history", args=[letter.pk])).content.decode()
    )
    recent = client.get(reverse("admin:index")).content.decode()
    assert (
        "Recent actions" in recent
        and reverse("admin:responses_responseletter_change", args=[letter.pk]) in recent
    )

    client.post(INGEST_URL, {"text": letter_files.pfd_reply(deceased="Ann Jones")})
    draft = ResponseLetter.objects.get(review_state=ResponseLetter.ReviewState.DRAFT)
    client.post(review_url(draft), {"action": "discard"})
    assert LogEntry.objects.filter(object_id=str(draft.pk), action_flag=DELETION, user=editor).exists()
