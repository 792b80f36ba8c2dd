"""The admin's permission matrix: every admin page (each registered model's changelist, add, change, history
and delete pages, and the custom views: ingest, upload status, review, PFD upload and its status, the review
of a spelling, the addressee's clock forms, merging organisations) as each persona, against the tables below.

The tables are written by hand from what each role is for (tracker/permissions.py says it in words), never
read from the admin's own answers: a page that opens to someone it should not, or stays shut to someone who
needs it, fails here.

    302: sent to the admin's sign-in page (not staff)     403: signed in to the admin, but not this page
    200: the page                                          404: an app with nothing this persona may see
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.every_page import make_samples

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "official", "clerk", "staff", "editor", "admin")
NOT_STAFF = ("anonymous", "official", "clerk")  # no admin at all: every admin page sends them to sign in

# What an ingestion editor may do with each model's admin pages: a(dd), c(hange), v(iew), d(elete).
EDITOR = {
    "auth.Group": "",
    "auth.User": "",
    "axes.AccessAttempt": "",
    "axes.AccessFailureLog": "",
    "axes.AccessLog": "",
    "django_celery_beat.ClockedSchedule": "",
    "django_celery_beat.CrontabSchedule": "",
    "django_celery_beat.IntervalSchedule": "",
    "django_celery_beat.PeriodicTask": "",
    "django_celery_beat.SolarSchedule": "",
    "responses.Commitment": "acv",
    "responses.CommitmentEvent": "",  # read on the commitment's own page (its history)
    "responses.LetterUpload": "v",
    "responses.Position": "acv",
    "responses.ResponseLetter": "acv",
    "responses.Signatory": "acv",
    "tracker.Addressee": "acv",
    "tracker.AddresseeEvent": "",  # read on the addressee's own page (its history)
    "tracker.AddresseeName": "cv",
    "tracker.AddresseeNameToReview": "cv",
    "tracker.Department": "cv",  # but not its officials (test_admin_record.py)
    "tracker.DigestDelivery": "",
    "tracker.DigestSubscription": "",
    "tracker.PfdReportUpload": "v",
    "tracker.PublishedResponse": "cv",
    "tracker.Recommendation": "acv",
    "tracker.Report": "acv",
    "tracker.ReportCategory": "v",
}

# Pages no one opens, administrators included: histories and logs are written by the service, never by hand.
NEVER = {
    "axes.AccessAttempt": "a",
    "axes.AccessFailureLog": "a",
    "axes.AccessLog": "a",
    "responses.CommitmentEvent": "acd",
    "tracker.AddresseeEvent": "acd",
    "responses.LetterUpload": "ac",
    "tracker.PfdReportUpload": "ac",
    "tracker.AddresseeName": "ad",
    "tracker.AddresseeNameToReview": "ad",
    "tracker.PublishedResponse": "a",
    "tracker.DigestDelivery": "a",  # made by the weekly run; an administrator may delete one to resend
}

# What each model page needs: any one of these letters.
NEEDS = {"changelist": "cv", "add": "a", "change": "cv", "history": "cv", "delete": "d"}


def expected_for_model(persona, label, view):
    if persona in NOT_STAFF:
        return 302
    may = {"staff": "", "editor": EDITOR[label], "admin": "acvd"}[persona]
    may = "".join(letter for letter in may if letter not in NEVER.get(label, ""))
    if view in ("change", "history") and "c" in NEVER.get(label, "") and "v" in may:
        return 200  # read-only: the change page shows the record without a form to save
    return 200 if set(NEEDS[view]) & set(may) else 403


# The custom pages: (name, who gets what). Columns follow PERSONAS.
EDITORS_ONLY = (302, 302, 302, 403, 200, 200)
CUSTOM = {
    "admin:index": (302, 302, 302, 200, 200, 200),
    "admin:password_change": (302, 302, 302, 200, 200, 200),
    "admin:auth_user_password_change": (302, 302, 302, 403, 403, 200),
    "admin:app_list-tracker": (302, 302, 302, 404, 200, 200),
    "admin:app_list-responses": (302, 302, 302, 404, 200, 200),
    "admin:app_list-auth": (302, 302, 302, 404, 404, 200),
    "admin:app_list-axes": (302, 302, 302, 404, 404, 200),
    "admin:app_list-django_celery_beat": (302, 302, 302, 404, 404, 200),
    "admin:responses_responseletter_ingest": EDITORS_ONLY,
    "admin:responses_responseletter_upload": EDITORS_ONLY,
    "admin:responses_responseletter_review": EDITORS_ONLY,
    "admin:tracker_report_upload_pfd": EDITORS_ONLY,
    "admin:tracker_report_upload_pfd_status": EDITORS_ONLY,
    "admin:tracker_addresseename_review": EDITORS_ONLY,
    "admin:tracker_addressee_action": EDITORS_ONLY,
    "merge organisations (action)": EDITORS_ONLY,
    "confirm non-responses (action)": EDITORS_ONLY,
}


@pytest.fixture
def world():
    """The sample objects and one signed-in client per persona."""
    samples = make_samples()
    clients = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(samples.users[persona])
        clients[persona] = client
    return samples, clients


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def model_pages(samples):
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        obj = samples.object_of(model)
        for view in NEEDS:
            args = [obj.pk] if view in ("change", "history", "delete") else []
            yield opts.label, view, reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def custom_pages(samples):
    from tracker.admin_addressee import ACTIONS

    yield "admin:index", "GET", reverse("admin:index"), None
    yield "admin:password_change", "GET", reverse("admin:password_change"), None
    yield (
        "admin:auth_user_password_change",
        "GET",
        reverse("admin:auth_user_password_change", args=[samples.users["official"].pk]),
        None,
    )
    for app in ("tracker", "responses", "auth", "axes", "django_celery_beat"):
        yield f"admin:app_list-{app}", "GET", reverse("admin:app_list", args=[app]), None
    yield (
        "admin:responses_responseletter_ingest",
        "GET",
        reverse("admin:responses_responseletter_ingest"),
        None,
    )
    from responses.models import LetterUpload
    from tracker.models import AddresseeName, Department, PfdReportUpload

    yield (
        "admin:responses_responseletter_upload",
        "GET",
        reverse("admin:responses_responseletter_upload", args=[samples.objects[LetterUpload].pk]),
        None,
    )
    yield (
        "admin:responses_responseletter_review",
        "GET",
        reverse("admin:responses_responseletter_review", args=[samples.draft_letter.pk]),
        None,
    )
    yield "admin:tracker_report_upload_pfd", "GET", reverse("admin:tracker_report_upload_pfd"), None
    yield (
        "admin:tracker_report_upload_pfd_status",
        "GET",
        reverse("admin:tracker_report_upload_pfd_status", args=[samples.objects[PfdReportUpload].pk]),
        None,
    )
    yield (
        "admin:tracker_addresseename_review",
        "GET",
        reverse("admin:tracker_addresseename_review", args=[samples.objects[AddresseeName].pk]),
        None,
    )
    for action in ACTIONS:
        yield (
            "admin:tracker_addressee_action",
            "GET",
            reverse("admin:tracker_addressee_action", args=[samples.addressee.pk, action]),
            None,
        )
    other = Department.objects.create(name="Sample other organisation", short_name="Other", slug="other")
    yield (
        "merge organisations (action)",
        "POST",
        reverse("admin:tracker_department_changelist"),
        {"action": "merge_selected", "_selected_action": [samples.department.pk, other.pk]},
    )
    yield (
        "confirm non-responses (action)",
        "POST",
        reverse("admin:tracker_addressee_changelist"),
        {"action": "confirm_non_responses", "_selected_action": [samples.addressee.pk]},
    )


def answer(client, method, url, data):
    response = client.post(url, data) if method == "POST" else client.get(url)
    if response.status_code == 302:
        # Only ever to the admin's sign-in page: a 302 anywhere else would hide what the page does.
        assert response["Location"].startswith(reverse("admin:login")), (url, response["Location"])
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_model_page_of_the_admin(world, persona):
    samples, clients = world
    assert set(EDITOR) == {m._meta.label for m in admin.site._registry}, "add the new model to EDITOR"
    wrong = []
    for label, view, url in model_pages(samples):
        want = expected_for_model(persona, label, view)
        got = answer(clients[persona], "GET", url, None)
        if got != want:
            wrong.append(f"{label} {view} ({url}): {got}, expected {want}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_custom_admin_page(world, persona):
    samples, clients = world
    column = PERSONAS.index(persona)
    wrong = []
    seen = set()
    for name, method, url, data in custom_pages(samples):
        seen.add(name)
        want = CUSTOM[name][column]
        got = answer(clients[persona], method, url, data)
        if got != want:
            wrong.append(f"{name} {method} {url}: {got}, expected {want}")
    assert seen == set(CUSTOM)
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def test_every_custom_admin_url_is_in_the_matrix():
    """A new custom admin view must get its row in CUSTOM (tests/every_page.py lists every URL pattern)."""
    from tests.every_page import ENTRIES

    custom = {name for name in ENTRIES if name.startswith("admin:")} - {
        "admin:login",  # the sign-in page itself: open to all
        "admin:password_change_done",  # says "changed"; follows admin:password_change
        "admin:app_list",  # one row per app above
    }
    assert custom <= set(CUSTOM), sorted(custom - set(CUSTOM))


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_the_histories_show_on_their_records_pages(who):
    """Editors hold no permission on the events' own pages; the history shows on the record's page."""
    from responses.models import CommitmentEvent
    from tracker.models import AddresseeEvent

    samples = make_samples()
    client = Client()
    client.force_login(samples.users[who])
    for url, model in (
        (reverse("admin:responses_commitment_change", args=[samples.commitment.pk]), CommitmentEvent),
        (reverse("admin:tracker_addressee_change", args=[samples.addressee.pk]), AddresseeEvent),
    ):
        response = client.get(url)
        [history] = [f for f in response.context["inline_admin_formsets"] if f.opts.model is model]
        assert len(history.formset.forms) >= 1, url
        assert set(history.formset.forms[0].fields) <= {"id", "commitment", "addressee"}, url  # read-only


@pytest.mark.parametrize("who, merged", [("editor", False), ("admin", True)])
def test_merging_an_organisation_with_officials_is_an_administrators_decision(who, merged):
    """Its officials would follow into the organisation kept, and could then change its commitments."""
    from tests.factories import official_of
    from tracker import permissions
    from tracker.models import Department

    samples = make_samples()
    source = Department.objects.create(name="Sample duplicate", short_name="Dup", slug="sample-duplicate")
    outsider = official_of(source, username="outsider")
    client = Client()
    client.force_login(samples.users[who])
    response = client.post(
        reverse("admin:tracker_department_changelist"),
        {"action": "merge_selected", "_selected_action": [source.pk, samples.department.pk],
         "target": samples.department.pk},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert Department.objects.filter(pk=source.pk).exists() != merged
    assert permissions.can_change_commitment(outsider, samples.commitment) == merged
    if not merged:
        assert "only an administrator can merge it" in response.content.decode()
