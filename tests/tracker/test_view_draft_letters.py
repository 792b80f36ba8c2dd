"""Draft letters (awaiting an editor's review) and what hangs on them stay off every public page."""

import datetime

import pytest
from django.core.files.base import ContentFile

from responses.models import ResponseLetter
from tests.factories import (
    CommitmentFactory,
    DepartmentFactory,
    PositionFactory,
    RecommendationFactory,
    ReportFactory,
    ResponseLetterFactory,
    UserFactory,
)
from tracker.models import london_today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
DRAFT = ResponseLetter.ReviewState.DRAFT


def confirm(letter):
    letter.review_state = ResponseLetter.ReviewState.CONFIRMED
    letter.save(update_fields=["review_state"])


@pytest.fixture
def department():
    return DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")


@pytest.fixture
def draft(department):
    return ResponseLetterFactory(
        review_state=DRAFT, departments=[department], text="We will fund lifeguard training on every beach."
    )


def test_anonymous_visitor_gets_404_for_a_draft_letter_and_its_file(client, draft):
    draft.original_file.save("draft.txt", ContentFile(b"draft bytes"), save=True)
    assert client.get(f"/letters/{draft.pk}/").status_code == 404
    assert client.get(f"/letters/{draft.pk}/original/").status_code == 404
    confirm(draft)
    assert client.get(f"/letters/{draft.pk}/").status_code == 200
    assert client.get(f"/letters/{draft.pk}/original/").status_code == 200


def test_signed_in_users_do_not_see_drafts_on_public_pages_either(client, draft):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(f"/letters/{draft.pk}/").status_code == 404


def test_search_does_not_find_a_draft_letters_text(client, draft):
    report = ReportFactory(title="Report into beach safety")
    draft.reports.add(report)  # an editor linked it by hand while reviewing
    assert client.get("/reports/?q=lifeguard").context["rows"] == []
    confirm(draft)
    assert [r.pk for r in client.get("/reports/?q=lifeguard").context["rows"]] == [report.pk]


def test_report_page_leaves_out_a_draft_letter_and_its_commitments(client, department, draft):
    report = ReportFactory(title="Report into beach safety")
    draft.reports.add(report)
    recommendation = RecommendationFactory(report=report, text="Train lifeguards.")
    recommendation.departments.add(department)
    PositionFactory(
        recommendation=recommendation, department=department, letter=draft, quote="A draft's own words"
    )
    commitment = CommitmentFactory(letter=draft, department=department, text="A promise still in draft")
    commitment.recommendations.add(recommendation)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "A promise still in draft" not in html
    assert "A draft&#x27;s own words" not in html and "A draft's own words" not in html
    assert f"/letters/{draft.pk}/" not in html
    confirm(draft)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "A promise still in draft" in html and f"/letters/{draft.pk}/" in html


def test_commitments_of_a_draft_letter_are_not_listed_counted_or_shown(client, department, draft):
    today = london_today()
    shown = CommitmentFactory(department=department, due_latest=today - 5 * DAY, text="A confirmed promise")
    hidden = CommitmentFactory(
        letter=draft, department=department, due_latest=today - 9 * DAY, text="A promise still in draft"
    )
    listed = {c.pk for c in client.get("/commitments/").context["page"].object_list}
    assert listed == {shown.pk}
    assert client.get(f"/commitments/{hidden.pk}/").status_code == 404
    export = b"".join(client.get("/commitments/export.csv").streaming_content).decode()
    assert "A confirmed promise" in export and "A promise still in draft" not in export
    assert client.get("/").context["counts"]["overdue"] == 1
    assert client.get("/departments/home-office/").context["totals"]["overdue"] == 1

    confirm(draft)
    listed = {c.pk for c in client.get("/commitments/").context["page"].object_list}
    assert listed == {shown.pk, hidden.pk}
    assert client.get(f"/commitments/{hidden.pk}/").status_code == 200
    assert client.get("/").context["counts"]["overdue"] == 2
    assert client.get("/departments/home-office/").context["totals"]["overdue"] == 2


def test_has_overdue_filter_ignores_a_draft_letters_commitments(client, department, draft):
    report = ReportFactory(title="Report answered only in draft")
    draft.reports.add(report)
    CommitmentFactory(letter=draft, department=department, due_latest=london_today() - 3 * DAY)
    assert client.get("/reports/?has_overdue=1").context["rows"] == []
    confirm(draft)
    assert [r.pk for r in client.get("/reports/?has_overdue=1").context["rows"]] == [report.pk]
