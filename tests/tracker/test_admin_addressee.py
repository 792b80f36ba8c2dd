"""An addressee's clock in the admin goes through the record: the deadline, the response, whether one is
required and an interim reply are read-only fields; each change is a form calling Addressee's method (a
reason, an event row, a new version), and a form opened before someone else's change is refused (409)."""

import datetime

import pytest
from django.test import Client

from tests.every_page import make_samples
from tests.factories import AddresseeFactory, DepartmentFactory, ReportFactory, ResponseLetterFactory
from tracker.models import Addressee, AddresseeEvent, StaleAddressee, london_today

pytestmark = pytest.mark.django_db

D = datetime.date
CLOCK = ("response_required", "response_due", "response_received_on", "response_letter", "interim_reply_on")


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


def change_url(addressee):
    return f"/admin/tracker/addressee/{addressee.pk}/change/"


def action_url(addressee, action):
    return f"/admin/tracker/addressee/{addressee.pk}/clock/{action}/"


def admin_post(client, addressee, **changes):
    """The change form as the browser would post it: every field shown, with `changes`."""
    form = client.get(change_url(addressee)).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = str(value)
    data.update({"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def clock_of(addressee):
    row = Addressee.objects.get(pk=addressee.pk)
    return {name: getattr(row, name) for name in CLOCK}, row.version


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_the_clock_is_not_a_form_field(samples, who):
    response = signed_in(samples.users[who]).get(change_url(samples.addressee))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    for name in (*CLOCK, "report", "version", "missing_since", "non_response_confirmed_at", "response_url"):
        assert name not in fields, name
    html = response.content.decode()
    for action in ("extend", "response", "interim-reply", "non-response", "required"):
        assert action_url(samples.addressee, action) in html


def test_posting_the_clock_anyway_changes_nothing(samples):
    addressee = samples.addressee
    client = signed_in(samples.users["editor"])
    before, version = clock_of(addressee)
    events = addressee.events.count()
    data = admin_post(client, addressee, named_as="Secretary of State for Health")
    data.update(
        response_due="2099-01-01",
        response_received_on="2024-01-01",
        response_required="",
        interim_reply_on="2024-01-01",
        version="1",
    )
    response = client.post(change_url(addressee), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    after, new_version = clock_of(addressee)
    assert after == before
    assert Addressee.objects.get(pk=addressee.pk).named_as == "Secretary of State for Health"
    assert new_version == version + 1
    assert addressee.events.count() == events


def test_the_report_addressees_inline_is_read_only_and_only_adds(samples):
    response = signed_in(samples.users["editor"]).get(f"/admin/tracker/report/{samples.report.pk}/change/")
    assert response.status_code == 200
    inlines = [f for f in response.context["inline_admin_formsets"] if f.opts.model is Addressee]
    existing = [f for f in inlines if f.formset.forms]
    [shown] = existing
    assert not any(name in shown.formset.forms[0].fields for name in (*CLOCK, "department"))
    adding = [f for f in inlines if not f.formset.forms]
    assert adding and adding[0].formset.empty_form.fields.keys() >= {"department", "response_due"}


def test_a_stale_change_form_is_refused_and_overwrites_nothing(samples):
    addressee = samples.addressee
    client = signed_in(samples.users["admin"])
    stale = admin_post(client, addressee, named_as="From a page opened before the extension")
    Addressee.objects.get(pk=addressee.pk).grant_extension(
        D(2031, 1, 31), reason="The coroner agreed", by=samples.users["editor"]
    )
    response = client.post(change_url(addressee), stale)
    assert response.status_code == 409
    assert "Someone else changed this addressee" in response.content.decode()
    after = Addressee.objects.get(pk=addressee.pk)
    assert after.response_due == D(2031, 1, 31)
    assert after.named_as != "From a page opened before the extension"


def test_changing_the_organisation_is_recorded(samples):
    addressee = samples.addressee
    other = DepartmentFactory(name="Ministry of Justice")
    client = signed_in(samples.users["editor"])
    data = admin_post(client, addressee, department=str(other.pk))
    assert client.post(change_url(addressee), data).status_code == 302
    after = Addressee.objects.get(pk=addressee.pk)
    assert after.department == other
    event = after.events.order_by("-id").first()
    assert event.kind == AddresseeEvent.Kind.ORGANISATION_CHANGED and event.by == samples.users["editor"]
    assert samples.department.name in event.note


def post_action(client, addressee, action, **data):
    page = client.get(action_url(addressee, action))
    assert page.status_code == 200
    version = page.context["form"]["expected_version"].value()
    return client.post(action_url(addressee, action), {"expected_version": version, **data})


def test_extending_the_deadline_needs_a_reason_and_writes_an_event(samples):
    addressee = samples.addressee
    client = signed_in(samples.users["editor"])
    before, version = clock_of(addressee)
    refused = post_action(client, addressee, "extend", new_deadline="2031-03-31", reason="  ")
    assert refused.status_code == 200
    assert "Give a reason" in refused.content.decode()
    assert clock_of(addressee) == (before, version)

    done = post_action(client, addressee, "extend", new_deadline="2031-03-31", reason="The coroner agreed")
    assert done.status_code == 302 and done["Location"] == change_url(addressee)
    after, new_version = clock_of(addressee)
    assert after["response_due"] == D(2031, 3, 31) and new_version == version + 1
    event = addressee.events.order_by("-id").first()
    assert (event.kind, event.old_deadline, event.new_deadline, event.note, event.by) == (
        AddresseeEvent.Kind.EXTENSION_GRANTED,
        before["response_due"],
        D(2031, 3, 31),
        "The coroner agreed",
        samples.users["editor"],
    )


def test_a_stale_action_form_is_refused_with_409(samples):
    addressee = samples.addressee
    client = signed_in(samples.users["editor"])
    page = client.get(action_url(addressee, "extend"))
    opened_at = page.context["form"]["expected_version"].value()
    Addressee.objects.get(pk=addressee.pk).record_response(D(2024, 1, 5), by=samples.users["admin"])
    response = client.post(
        action_url(addressee, "extend"),
        {"expected_version": opened_at, "new_deadline": "2031-03-31", "reason": "Asked for time"},
    )
    assert response.status_code == 409
    assert "Someone else changed this addressee" in response.content.decode()
    assert Addressee.objects.get(pk=addressee.pk).response_due != D(2031, 3, 31)
    assert not addressee.events.filter(new_deadline=D(2031, 3, 31)).exists()


def test_recording_then_withdrawing_a_response(samples):
    addressee = samples.addressee
    client = signed_in(samples.users["editor"])
    bad = post_action(client, addressee, "response", received_on="2024-02-01", url="javascript:alert(1)",
                      reason="Letter received by post", date_known="on")  # fmt: skip
    assert bad.status_code == 200 and "https://" in bad.content.decode()
    assert Addressee.objects.get(pk=addressee.pk).response_received_on is None

    done = post_action(client, addressee, "response", received_on="2024-02-01", letter=str(samples.letter.pk),
                       url="https://www.gov.uk/response", reason="Letter received by post", date_known="on")  # fmt: skip
    assert done.status_code == 302
    after = Addressee.objects.get(pk=addressee.pk)
    assert (after.response_received_on, after.response_letter, after.response_url) == (
        D(2024, 2, 1), samples.letter, "https://www.gov.uk/response"
    )  # fmt: skip
    assert addressee.events.order_by("-id").first().kind == AddresseeEvent.Kind.RESPONSE_RECORDED

    html = client.get(change_url(addressee)).content.decode()
    assert action_url(addressee, "withdraw-response") in html
    assert post_action(client, addressee, "withdraw-response", reason="").status_code == 200
    assert (
        post_action(client, addressee, "withdraw-response", reason="Another report's letter").status_code
        == 302
    )
    after = Addressee.objects.get(pk=addressee.pk)
    assert after.response_received_on is None and after.response_letter is None
    event = addressee.events.order_by("-id").first()
    assert event.kind == AddresseeEvent.Kind.RESPONSE_WITHDRAWN and "Another report's letter" in event.note


def test_interim_reply_non_response_and_requirement(samples):
    addressee = samples.addressee
    client = signed_in(samples.users["editor"])
    assert post_action(client, addressee, "interim-reply", received_on="2024-03-01", reason="Holding letter").status_code == 302  # fmt: skip
    assert Addressee.objects.get(pk=addressee.pk).interim_reply_on == D(2024, 3, 1)

    assert post_action(client, addressee, "non-response", reason="").status_code == 200
    assert Addressee.objects.get(pk=addressee.pk).non_response_confirmed_at is None
    assert post_action(client, addressee, "non-response", reason="Asked the department").status_code == 302
    confirmed = Addressee.objects.get(pk=addressee.pk)
    assert confirmed.response_state() == Addressee.ResponseState.NON_RESPONSE_CONFIRMED
    assert confirmed.non_response_confirmed_by == samples.users["editor"]

    same = post_action(client, addressee, "required", required="yes", reason="It must answer")
    assert same.status_code == 200 and "already the case" in same.content.decode()
    assert post_action(client, addressee, "required", required="no", reason="Sent for information").status_code == 302  # fmt: skip
    after = Addressee.objects.get(pk=addressee.pk)
    assert after.response_required is False
    assert after.response_state() == Addressee.ResponseState.NOT_REQUIRED
    kinds = list(addressee.events.order_by("id").values_list("kind", flat=True))[-3:]
    assert kinds == [
        AddresseeEvent.Kind.INTERIM_REPLY_RECORDED,
        AddresseeEvent.Kind.NON_RESPONSE_CONFIRMED,
        AddresseeEvent.Kind.REQUIREMENT_CHANGED,
    ]


@pytest.mark.parametrize("who,status", [("official", 302), ("clerk", 302), ("staff", 403), ("editor", 200)])
def test_who_may_open_the_forms(samples, who, status):
    response = signed_in(samples.users[who]).get(action_url(samples.addressee, "extend"))
    assert response.status_code == status


def test_the_history_is_shown_to_editors_and_never_edited(samples):
    client = signed_in(samples.users["editor"])
    response = client.get(change_url(samples.addressee))
    [history] = [f for f in response.context["inline_admin_formsets"] if f.opts.model is AddresseeEvent]
    assert history.formset.forms and set(history.formset.forms[0].fields) <= {"id", "addressee"}
    admin = signed_in(samples.users["admin"])
    assert admin.get("/admin/tracker/addresseeevent/add/").status_code == 403
    event = samples.addressee.events.first()
    page = admin.get(f"/admin/tracker/addresseeevent/{event.pk}/change/")
    assert page.status_code == 200 and not page.context["adminform"].form.fields  # read only


class TestModelMethods:
    def test_every_method_refuses_a_stale_version(self, django_user_model):
        addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        stale = addressee.version
        addressee.grant_extension(D(2024, 9, 1), reason="Agreed")
        calls = [
            lambda a: a.grant_extension(D(2024, 10, 1), reason="Agreed", expected_version=stale),
            lambda a: a.record_response(D(2024, 8, 1), expected_version=stale),
            lambda a: a.record_interim_reply(D(2024, 8, 1), expected_version=stale),
            lambda a: a.confirm_non_response(by=None, note="Asked", expected_version=stale),
            lambda a: a.set_response_required(False, reason="For information", expected_version=stale),
            lambda a: a.change_organisation(DepartmentFactory(), expected_version=stale),
            lambda a: a.correct_deadline(
                D(2024, 10, 1), note="Report date corrected", expected_version=stale
            ),
        ]
        for call in calls:
            fresh = Addressee.objects.get(pk=addressee.pk)
            with pytest.raises(StaleAddressee):
                call(fresh)
        after = Addressee.objects.get(pk=addressee.pk)
        assert after.response_due == D(2024, 9, 1) and after.response_received_on is None
        assert after.events.count() == 1

    def test_reasons_are_required(self):
        addressee = AddresseeFactory()
        for call in (
            lambda: addressee.confirm_non_response(by=None, note=" "),
            lambda: addressee.set_response_required(False, reason=""),
            lambda: addressee.withdraw_response(reason="x"),  # nothing to withdraw
        ):
            with pytest.raises(ValueError):
                call()
        assert addressee.events.count() == 0

    def test_each_change_takes_a_new_version(self):
        addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        versions = [addressee.version]
        addressee.grant_extension(D(2024, 9, 1), reason="Agreed")
        versions.append(Addressee.objects.get(pk=addressee.pk).version)
        addressee.record_response(london_today(), letter=ResponseLetterFactory())
        versions.append(Addressee.objects.get(pk=addressee.pk).version)
        addressee.withdraw_response(reason="Wrong letter")
        versions.append(Addressee.objects.get(pk=addressee.pk).version)
        assert versions == [1, 2, 3, 4]


def test_confirming_non_responses_in_bulk_asks_for_the_reason_once(samples):
    silent = samples.addressee
    answered = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 1, 10)))
    answered.record_response(D(2024, 2, 1))
    client = signed_in(samples.users["editor"])
    changelist = "/admin/tracker/addressee/"
    chosen = {"action": "confirm_non_responses", "_selected_action": [silent.pk, answered.pk]}
    ask = client.post(changelist, chosen)
    assert ask.status_code == 200 and "How you know no response exists" in ask.content.decode()
    refused = client.post(changelist, {**chosen, "reason": " "})
    assert refused.status_code == 200 and "Give a reason" in refused.content.decode()
    assert not Addressee.objects.filter(non_response_confirmed_at__isnull=False).exists()

    done = client.post(changelist, {**chosen, "reason": "Asked the coroner's office"}, follow=True)
    assert "Non-response confirmed for 1 addressee(s)." in done.content.decode()
    assert "1 left as they were" in done.content.decode()
    confirmed = Addressee.objects.get(pk=silent.pk)
    assert confirmed.non_response_confirmed_by == samples.users["editor"]
    event = confirmed.events.order_by("-id").first()
    assert (event.kind, event.note) == (
        AddresseeEvent.Kind.NON_RESPONSE_CONFIRMED,
        "Asked the coroner's office",
    )
    assert Addressee.objects.get(pk=answered.pk).non_response_confirmed_at is None


def test_staff_without_the_role_cannot_confirm_in_bulk(samples):
    client = signed_in(samples.users["staff"])
    response = client.post(
        "/admin/tracker/addressee/",
        {"action": "confirm_non_responses", "_selected_action": [samples.addressee.pk], "reason": "x"},
    )
    assert response.status_code == 403
    assert Addressee.objects.get(pk=samples.addressee.pk).non_response_confirmed_at is None


def test_correcting_the_report_date_moves_the_deadlines_still_as_computed(samples):
    from tracker.models import Report

    report = ReportFactory(kind=Report.Kind.PFD, date_issued=D(2024, 5, 29), title="A PFD report to correct")
    computed = AddresseeFactory(report=report)
    extended = AddresseeFactory(report=report)
    extended.grant_extension(D(2024, 9, 30), reason="The coroner agreed")
    assert computed.response_due == D(2024, 7, 24)
    client = signed_in(samples.users["editor"])
    url = f"/admin/tracker/report/{report.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    for prefix in ("addressees", "addressees-2", "recommendations"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data["date_issued"] = "2024-06-05"  # the report's real date: 56 days run from it
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "now follows the report: 31 July 2024" in response.content.decode()
    after = Addressee.objects.get(pk=computed.pk)
    assert (after.response_due, after.original_response_due) == (D(2024, 7, 31), D(2024, 7, 31))
    event = after.events.get()
    assert (event.kind, event.old_deadline, event.new_deadline, event.by) == (
        AddresseeEvent.Kind.DEADLINE_CORRECTED, D(2024, 7, 24), D(2024, 7, 31), samples.users["editor"]
    )  # fmt: skip
    assert Addressee.objects.get(pk=extended.pk).response_due == D(2024, 9, 30)
    assert Report.objects.with_pfd_category(D(2024, 7, 28)).get(pk=report.pk).pfd_category == "pending"
