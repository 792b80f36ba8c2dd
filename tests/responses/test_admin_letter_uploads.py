"""The editors' list of letter uploads (the LetterUpload changelist): each row says where its letter has got to."""

import pytest
from django.urls import reverse

from responses import uploads
from responses.models import LetterUpload, ResponseLetter
from tests.factories import DepartmentFactory, UserFactory
from tests.responses import letter_files
from tracker import permissions

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:responses_letterupload_changelist")


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True, role=permissions.INGESTION_EDITORS)
    client.force_login(user)
    return user


@pytest.fixture
def read(editor):
    DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")
    upload = uploads.start_upload(letter_files.pfd_reply().encode(), "reply.txt", user=editor)
    return uploads.read_upload(upload.pk)


def row_of(content, filename):
    return content.split(filename, 1)[1].split("</tr>", 1)[0]


def test_a_draft_is_ready_for_review_with_a_link_to_its_review(client, read):
    row = row_of(client.get(LIST_URL).content.decode(), "reply.txt")

    assert "Read: ready for review" in row
    assert reverse("admin:responses_responseletter_review", args=[read.letter.pk]) in row


def test_a_confirmed_letter_is_shown_confirmed_with_a_link_to_it(client, read):
    ResponseLetter.objects.filter(pk=read.letter.pk).update(review_state=ResponseLetter.ReviewState.CONFIRMED)

    row = row_of(client.get(LIST_URL).content.decode(), "reply.txt")

    assert "Read and confirmed" in row
    assert "ready for review" not in row
    assert reverse("admin:responses_responseletter_change", args=[read.letter.pk]) in row


def test_a_discarded_draft_is_said_to_be_discarded(client, read):
    read.letter.delete()

    row = row_of(client.get(LIST_URL).content.decode(), "reply.txt")

    assert "the draft was discarded" in row and "ready for review" not in row


def test_the_list_costs_the_same_queries_for_many_uploads(client, read):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST_URL).status_code == 200
    for n in range(20):
        upload = LetterUpload.objects.create(content_hash=f"{n:064d}", original_filename=f"other-{n}.txt")
        uploads.fail(upload.pk, "Not a letter.", "unsupported_format")
        again = uploads.start_upload(letter_files.pfd_reply(deceased=f"Person {n}").encode(), f"r{n}.txt")
        uploads.read_upload(again.pk)

    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST_URL).status_code == 200

    assert len(many) == len(one)
