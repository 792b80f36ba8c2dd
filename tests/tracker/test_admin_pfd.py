"""The PFD screens of the admin: the review queue of addressee names, attributing a published response,
merging organisations, uploading a PFD report. Editors (not only superusers) can use them."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import AddresseeFactory, ReportFactory, UserFactory
from tracker import permissions
from tracker.models import (
    Addressee,
    AddresseeEvent,
    AddresseeName,
    Department,
    PfdReportUpload,
    PublishedResponse,
    Report,
)
from tracker.pfd.organisations import load_known_organisations, resolve_names
from tracker.roles import sync_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    sync_roles()
    user = UserFactory(role=permissions.INGESTION_EDITORS, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def queue():
    load_known_organisations()
    mapping, _ = resolve_names(["Royal College of Radiology"])
    organisation = Department.objects.get(pk=mapping["Royal College of Radiology"])
    addressee = AddresseeFactory(department=organisation, named_as="Royal College of Radiology")
    return AddresseeName.objects.get(spelling="Royal College of Radiology"), addressee


def test_the_queue_lists_names_to_review_with_suggestions(client, editor, queue):
    page = client.get(reverse("admin:tracker_addresseenametoreview_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Royal College of Radiology" in html and "Royal College of Radiologists (0." in html
    assert "NHS England" not in html  # known names are not in the queue


def test_merging_from_the_review_page(client, editor, queue):
    spelling, addressee = queue
    right = Department.objects.get(name="Royal College of Radiologists")
    url = reverse("admin:tracker_addresseename_review", args=[spelling.pk])
    assert "Royal College of Radiologists" in client.get(url).content.decode()
    response = client.post(url, {"decision": "merge", "target": right.pk})
    assert response.status_code == 302
    addressee.refresh_from_db()
    assert addressee.department == right
    event = addressee.events.get()
    assert (event.kind, event.by) == (AddresseeEvent.Kind.ORGANISATION_CHANGED, editor)
    assert not AddresseeName.objects.to_review().exists()


def test_a_merge_needs_an_organisation(client, editor, queue):
    spelling, _ = queue
    response = client.post(
        reverse("admin:tracker_addresseename_review", args=[spelling.pk]), {"decision": "merge"}
    )
    assert response.status_code == 200 and "Choose the organisation it means." in response.content.decode()
    response = client.post(
        reverse("admin:tracker_addresseename_review", args=[spelling.pk]),
        {"decision": "merge", "other": "no-such-body"},
    )
    assert "No organisation is named or addressed" in response.content.decode()


def test_keeping_a_new_organisation(client, editor, queue):
    spelling, _ = queue
    client.post(reverse("admin:tracker_addresseename_review", args=[spelling.pk]), {"decision": "keep"})
    spelling.refresh_from_db()
    assert spelling.reviewed_by == editor and spelling.department.name == "Royal College of Radiology"


def test_attributing_a_published_response_records_it_with_an_event(client, editor):
    report = ReportFactory(date_issued=datetime.date(2023, 10, 10))
    trust = AddresseeFactory(report=report)
    AddresseeFactory(report=report)
    response = PublishedResponse.objects.create(
        report=report,
        url="https://example.org/2023-0400-Response.pdf",
        published_by=datetime.date(2023, 11, 30),
    )
    page = client.post(
        reverse("admin:tracker_publishedresponse_change", args=[response.pk]), {"addressees": [trust.pk]}
    )
    assert page.status_code == 302
    trust.refresh_from_db()
    response.refresh_from_db()
    assert (response.attribution, response.attributed_by) == ("editor", editor)
    assert (trust.response_received_on, trust.response_date_known) == (datetime.date(2023, 11, 30), False)
    assert trust.events.get().by == editor
    assert trust.response_state() == Addressee.ResponseState.RECEIVED_ON_TIME


def test_merging_selected_organisations(client, editor):
    a = Department.objects.create(name="Oak Care Ltd", short_name="Oak", slug="oak-care-ltd", kind="company")
    b = Department.objects.create(name="Oak Care", short_name="Oak", slug="oak-care", kind="company")
    moved = AddresseeFactory(department=a)
    changelist = reverse("admin:tracker_department_changelist")
    ask = client.post(changelist, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [a.pk, b.pk]})
    assert ask.status_code == 200 and "Merge organisations" in ask.content.decode()
    done = client.post(
        changelist, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [a.pk, b.pk], "target": b.pk}
    )
    assert done.status_code == 302
    moved.refresh_from_db()
    assert moved.department == b and not Department.objects.filter(pk=a.pk).exists()
    assert "Oak Care Ltd" in Department.objects.get(pk=b.pk).aliases


def test_uploading_a_pfd_report(client, editor):
    """Tasks run in-process here (no broker): the request stores the file and queues its reading, then the
    status page opens the report (tests/tracker/test_pfd_uploads.py covers the reading on a real worker)."""
    load_known_organisations()
    pdf = Path(settings.BASE_DIR) / "fixtures" / "pfd" / "reports" / "Jodie_McCann.pdf"
    with pdf.open("rb") as f:
        response = client.post(reverse("admin:tracker_report_upload_pfd"), {"document": f})
    upload = PfdReportUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tracker_report_upload_pfd_status", args=[upload.pk])
    report = Report.objects.get()
    status = client.get(response["Location"])
    assert status.status_code == 302
    assert status["Location"] == reverse("admin:tracker_report_change", args=[report.pk])
    assert (report.deceased, report.issuing_body) == ("Jodie Catherine McCann", "Nottinghamshire")
    assert report.recommendations.count() == 4
    assert upload.state == PfdReportUpload.State.DONE and upload.report == report and not upload.file


def test_an_upload_that_cannot_be_read_saves_nothing(client, editor, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    with bad.open("rb") as f:
        response = client.post(reverse("admin:tracker_report_upload_pfd"), {"document": f})
    assert response.status_code == 302
    status = client.get(response["Location"])
    assert status.status_code == 200 and "Nothing was saved." in status.content.decode()
    assert not Report.objects.exists()
