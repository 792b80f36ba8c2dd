"""Nothing bypasses the record in the admin: a commitment's status, delivery claim and due dates are read-only
there (changed only through the forms that call the model's methods), admin saves check the version like the
pages, and only administrators manage department membership."""

import datetime

import pytest
from django.test import Client

from responses.models import Commitment, CommitmentEvent
from tests.every_page import make_samples
from tracker import permissions
from tracker.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def samples():
    return make_samples()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(commitment):
    return f"/admin/responses/commitment/{commitment.pk}/change/"


def admin_post(client, commitment, **changes):
    """The change form as the browser would post it: every field shown, with `changes`."""
    form = client.get(change_url(commitment)).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    for prefix in ("events",):  # the read-only history inline's management form
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_status_evidence_and_due_dates_are_not_form_fields(samples, who):
    response = signed_in(samples.users[who]).get(change_url(samples.commitment))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    for name in ("status", "status_reason", "delivered_on", "evidence_state", "evidence_url", "due_earliest",
                 "due_latest", "time_phrase", "precision", "version", "is_overdue"):  # fmt: skip
        assert name not in fields, name


def test_posting_them_anyway_changes_nothing_and_an_edit_is_recorded(samples):
    commitment = samples.commitment
    client = signed_in(samples.users["editor"])
    before = Commitment.objects.get(pk=commitment.pk)
    data = admin_post(client, commitment, text="We will publish the corrected guidance.")
    data.update(status="delivered", evidence_state="verified", due_latest="2099-01-01", version="1")
    response = client.post(change_url(commitment), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    after = Commitment.objects.get(pk=commitment.pk)
    assert after.text == "We will publish the corrected guidance."
    assert (after.status, after.evidence_state, after.due_latest) == (
        before.status, before.evidence_state, before.due_latest
    )  # fmt: skip
    assert after.version == before.version + 1
    event = after.events.order_by("-id").first()
    assert event.kind == CommitmentEvent.Kind.NOTE and event.by == samples.users["editor"]
    assert "text" in event.note


def test_a_stale_admin_form_is_refused_and_overwrites_nothing(samples):
    commitment = samples.commitment
    client = signed_in(samples.users["admin"])
    stale = admin_post(client, commitment, text="An edit from a page opened before the official's change")
    commitment.refresh_from_db()
    commitment.revise_due_date(
        due_latest=datetime.date(2030, 1, 31), by=samples.users["official"], reason="Consultation extended"
    )
    response = client.post(change_url(commitment), stale)
    assert response.status_code == 409
    assert "Someone else changed this commitment" in response.content.decode()
    after = Commitment.objects.get(pk=commitment.pk)
    assert after.due_latest == datetime.date(2030, 1, 31)
    assert after.text == commitment.text


def test_a_page_save_after_an_admin_edit_gets_its_409(samples):
    commitment = samples.commitment
    official = signed_in(samples.users["official"])
    page_form = official.get(f"/commitments/{commitment.pk}/due-date/").context["form"]
    admin = signed_in(samples.users["admin"])
    assert admin.post(change_url(commitment), admin_post(admin, commitment, text="Edited")).status_code == 302
    response = official.post(
        f"/commitments/{commitment.pk}/due-date/",
        {
            "version": page_form.initial["version"],
            "due_latest-day": "30", "due_latest-month": "9", "due_latest-year": "2031",
            "time_phrase": "", "reason": "Delayed",
        },
    )  # fmt: skip
    assert response.status_code == 409
    assert Commitment.objects.get(pk=commitment.pk).due_latest != datetime.date(2031, 9, 30)


def test_the_change_page_links_the_forms_that_record_why(samples):
    html = signed_in(samples.users["admin"]).get(change_url(samples.commitment)).content.decode()
    for link in ("status/", "due-date/", "evidence/"):
        assert f"/commitments/{samples.commitment.pk}/{link}" in html
    editor_html = signed_in(samples.users["editor"]).get(change_url(samples.commitment)).content.decode()
    assert f"/commitments/{samples.commitment.pk}/status/" not in editor_html  # not an official of it


def test_the_letters_commitments_inline_is_read_only(samples):
    response = signed_in(samples.users["admin"]).get(
        f"/admin/responses/responseletter/{samples.letter.pk}/change/"
    )
    [inline] = [f for f in response.context["inline_admin_formsets"] if f.opts.model is Commitment]
    assert not any(name in inline.formset.forms[0].fields for name in ("status", "due_latest", "text"))


# The admin's permission matrix: who may open what, and who may change department membership.
ADMIN_MATRIX = {
    # persona: (may open the admin, may see the commitment change page, may change membership)
    "official": (False, False, False),
    "clerk": (False, False, False),
    "editor": (True, True, False),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("who", ADMIN_MATRIX)
def test_admin_permission_matrix(samples, who):
    opens_admin, sees_commitment, manages_membership = ADMIN_MATRIX[who]
    client = signed_in(samples.users[who])
    index = client.get("/admin/")
    assert (index.status_code == 200) == opens_admin
    page = client.get(change_url(samples.commitment))
    assert (page.status_code == 200) == sees_commitment
    department = samples.department
    response = client.get(f"/admin/tracker/department/{department.pk}/change/")
    if not opens_admin:
        assert response.status_code == 302  # to the admin's sign-in
        return
    form_fields = response.context["adminform"].form.fields
    assert ("officials" in form_fields) == manages_membership
    outsider = samples.users["clerk"]
    data = {
        "name": department.name, "short_name": department.short_name, "slug": department.slug,
        "kind": department.kind, "aliases": "[]", "officials": [str(outsider.pk)],
    }  # fmt: skip
    client.post(f"/admin/tracker/department/{department.pk}/change/", data)
    added = Department.objects.get(pk=department.pk).officials.filter(pk=outsider.pk).exists()
    assert added == manages_membership
    if not manages_membership:
        assert not permissions.can_change_commitment(outsider, samples.commitment)
