"""The editor's review page of a draft letter (admin: /admin/responses/responseletter/<id>/review/): what it
offers as owners, what it costs for a long letter, and that "Set the date" loses nothing typed."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responses.models import Commitment, ResponseLetter
from responses.reviewed import ReviewedCommitment, ReviewedLetter, ReviewedReport
from tests.factories import DepartmentFactory, UserFactory
from tracker import permissions
from tracker.models import Department

pytestmark = pytest.mark.django_db
GOVERNMENT = [Department.Kind.MINISTERIAL, Department.Kind.NON_MINISTERIAL, Department.Kind.PUBLIC_BODY]


def review_url(letter):
    return reverse("admin:responses_responseletter_review", args=[letter.pk])


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True, role=permissions.INGESTION_EDITORS)
    client.force_login(user)
    return user


@pytest.fixture
def organisations():
    """500 organisations, as after the PFD import: 40 of UK government, 460 trusts, care homes, companies."""
    government = [
        DepartmentFactory(name=f"Government Department {n:02d}", kind=GOVERNMENT[n % 3]) for n in range(40)
    ]
    others = [
        DepartmentFactory(name=f"Amberley Care Home {n:03d}", kind=Department.Kind.CARE_PROVIDER)
        for n in range(460)
    ]
    return government, others


def draft_letter(commitments, department_ids, *, date=datetime.date(2025, 3, 14)):
    text = "\n".join(c.text for c in commitments)
    reviewed = ReviewedLetter(
        date=date,
        department_ids=department_ids,
        reports=[ReviewedReport(title="A report on something")],
        commitments=commitments,
    )
    return ResponseLetter.objects.create(
        text=text,
        date=date,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        review_state=ResponseLetter.ReviewState.DRAFT,
        extraction={"letter_date": date.isoformat() if date else None, "commitments": []},
        draft=reviewed.to_json(),
    )


def promises(count, department_id=None):
    return [
        ReviewedCommitment(
            text=f"We will publish guidance number {n} by March 2026.", department_id=department_id
        )
        for n in range(count)
    ]


def page_data(response, action="confirm"):
    """What the page's form submits as it stands (bound or not): every field at its shown value."""
    data = {"action": action}
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


def test_owners_offered_are_government_departments_once_and_the_page_does_not_grow_with_them(
    client, editor, organisations
):
    government, others = organisations
    short = draft_letter(promises(3), [government[0].pk])
    long = draft_letter(promises(75), [government[0].pk])

    with CaptureQueriesContext(connection) as few:
        small = client.get(review_url(short))
    with CaptureQueriesContext(connection) as many:
        big = client.get(review_url(long))

    assert small.status_code == big.status_code == 200
    # The queries do not grow with the commitments: the list of owners is read once for the page.
    assert len(many) == len(few)
    assert len(many) <= 25
    html = big.content.decode()
    # One shared list of owners (government only), not a <select> of 500 organisations on each of 75 rows.
    assert html.count('<datalist id="review-departments">') == 1
    assert html.count('list="review-departments"') == 76  # 75 rows and the blank one
    assert all(d.name in html for d in government)
    assert not any(o.name in html for o in others)
    # The page grows by the row's own fields only (about 2.5 KB a commitment), whatever the organisations.
    assert (len(big.content) - len(small.content)) / 72 < 3_000
    assert len(big.content) < 250_000


def test_an_organisation_a_row_already_holds_is_offered_even_when_not_government(
    client, editor, organisations
):
    government, others = organisations
    trust = others[7]
    letter = draft_letter(
        [ReviewedCommitment(text="We will review the policy by May 2026.", department_id=trust.pk)],
        [government[1].pk],
    )

    response = client.get(review_url(letter))
    html = response.content.decode()

    assert f'<option value="{trust.name}">' in html
    assert f'value="{trust.name}"' in html.split('name="commitments-0-department_id"', 1)[1].split(">", 1)[
        0
    ] or (
        f'value="{trust.name}"'
        in html.split('name="commitments-0-department_id"', 1)[0].rsplit("<input", 1)[1]
    )
    assert others[8].name not in html


def test_an_owner_is_chosen_by_name_and_an_unknown_name_is_refused(client, editor, organisations):
    government, others = organisations
    letter = draft_letter(promises(2, department_id=government[0].pk), [government[0].pk])
    data = page_data(client.get(review_url(letter)))
    assert data["commitments-0-department_id"] == government[0].name
    data["commitments-1-department_id"] = government[5].name.upper()  # case does not matter
    data["commitments-0-department_id"] = others[0].name  # not offered: refused, nothing saved

    refused = client.post(review_url(letter), data)

    assert refused.status_code == 200
    assert "Choose the department from the list" in refused.content.decode()
    assert not Commitment.objects.exists()

    data["commitments-0-department_id"] = government[2].name
    assert client.post(review_url(letter), data).status_code == 302
    owners = dict(Commitment.objects.values_list("text", "department_id"))
    assert owners["We will publish guidance number 0 by March 2026."] == government[2].pk
    assert owners["We will publish guidance number 1 by March 2026."] == government[5].pk


def test_unowned_commitments_are_proposed_the_letters_only_department(client, editor, organisations):
    government, _ = organisations
    owned = ReviewedCommitment(text="We will do the owned thing by May 2026.", department_id=government[3].pk)
    letter = draft_letter([*promises(2), owned], [government[0].pk])

    response = client.get(review_url(letter))
    data = page_data(response)
    html = response.content.decode()

    assert data["commitments-0-department_id"] == government[0].name
    assert data["commitments-1-department_id"] == government[0].name
    assert data["commitments-2-department_id"] == government[3].name  # its own owner is kept
    assert html.count("Proposed: the letter's only responding department") == 2
    assert "commitments-3-department_id" not in data  # the blank row is not given one
    assert client.post(review_url(letter), data).status_code == 302
    assert set(Commitment.objects.values_list("department_id", flat=True)) == {
        government[0].pk,
        government[3].pk,
    }


@pytest.mark.parametrize("responding", [0, 2])
def test_with_several_departments_or_none_the_owner_is_left_empty(client, editor, organisations, responding):
    government, _ = organisations
    letter = draft_letter(promises(2), [d.pk for d in government[:responding]])

    response = client.get(review_url(letter))

    assert "commitments-0-department_id" not in page_data(response)
    assert "Proposed: the letter's only responding department" not in response.content.decode()


def test_setting_the_date_keeps_every_other_edit_on_the_page(client, editor, organisations):
    government, _ = organisations
    commitments = [
        ReviewedCommitment(text="We will publish the new guidance later this year."),
        ReviewedCommitment(text="We will also consult on the code later this year."),
        ReviewedCommitment(text="We will write to every trust by June 2025."),
    ]
    letter = draft_letter(commitments, [], date=None)
    page = client.get(review_url(letter))
    assert "Set the date" in page.content.decode()
    data = page_data(page, action="set_date")
    # The editor's edits before pressing "Set the date":
    data["letter-department_ids"] = [government[4].pk]
    data["letter-addressee_name"] = "Ms A Coroner"
    data["commitments-0-text"] = "We will publish the new national guidance later this year."
    data["commitments-0-department_id"] = government[6].name
    data.pop("commitments-1-keep")  # unticked: dropped
    data["commitments-2-due_latest"] = "2025-07-31"  # dated by hand: stays as typed
    data["letter-date"] = "2025-03-14"

    response = client.post(review_url(letter), data)

    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.date == datetime.date(2025, 3, 14)
    kept = page_data(response)
    assert kept["letter-department_ids"] == [str(government[4].pk)]
    assert kept["letter-addressee_name"] == "Ms A Coroner"
    assert kept["commitments-0-text"] == "We will publish the new national guidance later this year."
    assert kept["commitments-0-department_id"] == government[6].name
    assert "commitments-1-keep" not in kept
    assert kept["commitments-2-due_latest"] == "2025-07-31"
    # The time phrase is read against the date given, from the words as the editor left them.
    assert kept["commitments-0-due_latest"] == "2025-12-31"
    html = response.content.decode()
    assert "Your other changes are still on this page" in html
    assert "errorlist" not in html  # only the date was asked for: no errors about the rest yet

    kept["commitments-2-department_id"] = government[6].name
    confirmed = client.post(review_url(letter), kept)
    assert confirmed.status_code == 302, confirmed.content.decode()[:3000]
    saved = {c.text: c for c in Commitment.objects.all()}
    assert set(saved) == {
        "We will publish the new national guidance later this year.",
        "We will write to every trust by June 2025.",
    }
    assert (
        saved["We will publish the new national guidance later this year."].department_id == government[6].pk
    )
    assert saved["We will publish the new national guidance later this year."].due_latest == datetime.date(
        2025, 12, 31
    )
    assert saved["We will write to every trust by June 2025."].due_latest == datetime.date(2025, 7, 31)
    letter.refresh_from_db()
    assert list(letter.departments.all()) == [government[4]]
    assert letter.addressed_to_name == "Ms A Coroner"


def test_an_invalid_date_keeps_the_page_and_says_why(client, editor, organisations):
    government, _ = organisations
    letter = draft_letter(promises(1), [], date=None)
    data = page_data(client.get(review_url(letter)), action="set_date")
    data["letter-date"] = "31 February"
    data["letter-addressee_name"] = "Ms A Coroner"

    response = client.post(review_url(letter), data)

    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.date is None
    assert page_data(response)["letter-addressee_name"] == "Ms A Coroner"
