"""The reviewed-letter shape (responses/reviewed.py): one typed shape from the stored draft, through the review
page's forms, to the confirm step. Adding a field to it must be enough for the field to make that round trip."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from responses import ingestion, reviewed
from responses.ingestion import create_draft, draft_of
from responses.models import ResponseLetter
from tests.factories import DepartmentFactory, UserFactory
from tests.responses import letter_files
from tests.responses.test_admin_ingestion import review_post_data
from tracker import permissions

pytestmark = pytest.mark.django_db


def test_a_reviewed_letter_survives_json_with_every_kind_of_field():
    letter = reviewed.ReviewedLetter(
        date=datetime.date(2025, 3, 14),
        department_ids=[3, 1],
        addressee_name="HM Senior Coroner",
        signatories=[reviewed.ReviewedSignatory(name="A Minister", role="Minister of State")],
        reports=[reviewed.ReviewedReport(report_id=None, kind="pfd", title="R28", link_if_found=False)],
        recommendations=[
            reviewed.ReviewedRecommendation(report_index=0, label="8.1", text="Do X", position="accepted")
        ],
        commitments=[
            reviewed.ReviewedCommitment(
                text="We will", department_id=3, due_latest=datetime.date(2025, 6, 30), text_start=4,
                recommendation_indexes=[0],
            )
        ],
    )  # fmt: skip
    assert reviewed.ReviewedLetter.from_json(letter.to_json()) == letter
    assert letter.recommendations[0].number == 8


@pytest.fixture
def moj():
    return DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")


@pytest.fixture
def extended_shape(monkeypatch):
    """The shape with three new fields, as a developer would add them to responses/reviewed.py: a letter-level
    reference, a commitment's confidence and a recommendation's priority (an optional number)."""
    classes = {
        "ReviewedLetter": [("reference", str, dataclasses.field(default=""))],
        "ReviewedCommitment": [("confidence", str, dataclasses.field(default=""))],
        "ReviewedRecommendation": [("priority", int | None, dataclasses.field(default=None))],
    }
    for name, fields in classes.items():
        base = getattr(reviewed, name)
        extended = dataclasses.make_dataclass(name, fields, bases=(base,))
        extended.__module__ = reviewed.__name__
        for module in (reviewed, ingestion):  # every module that holds the name, as the edited file would
            if hasattr(module, name):
                monkeypatch.setattr(module, name, extended)
    return classes


def test_a_field_added_to_the_shape_goes_from_the_draft_through_the_review_page_to_confirm(
    client, moj, extended_shape, monkeypatch
):
    editor = UserFactory(is_staff=True, role=permissions.INGESTION_EDITORS)
    client.force_login(editor)
    letter = create_draft(letter_files.pfd_reply().encode(), "reply.txt")
    stored = letter.draft
    assert stored["reference"] == "" and stored["commitments"][0]["confidence"] == ""  # stored with the draft
    stored["reference"] = "PFD-2025-0042"
    stored["commitments"][0]["confidence"] = "high"
    stored["recommendations"][0]["priority"] = 2
    ResponseLetter.objects.filter(pk=letter.pk).update(draft=stored)
    letter.refresh_from_db()
    assert draft_of(letter).commitments[0].confidence == "high"

    url = reverse("admin:responses_responseletter_review", args=[letter.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'name="letter-reference"' in html and 'value="PFD-2025-0042"' in html
    assert 'name="commitments-0-confidence"' in html and 'value="high"' in html
    assert 'name="recommendations-0-priority"' in html

    data = review_post_data(page)
    data["commitments-1-confidence"] = "low"  # the editor fills it in on one the extractor left blank
    confirmed = []
    real_confirm = ingestion.confirm

    def spy(letter, edited, **kwargs):
        confirmed.append(edited)
        return real_confirm(letter, edited, **kwargs)

    monkeypatch.setattr(ingestion, "confirm", spy)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("problems")

    [edited] = confirmed
    assert edited.reference == "PFD-2025-0042"
    assert [c.confidence for c in edited.commitments[:2]] == ["high", "low"]
    assert edited.recommendations[0].priority == 2
    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.CONFIRMED
    assert letter.draft["commitments"][1]["confidence"] == "low"  # what was confirmed is kept with the letter


def test_an_unsupported_field_type_fails_loudly_not_silently():
    from responses import review_forms

    @dataclasses.dataclass
    class Odd:
        amount: float = 0.0

    with pytest.raises(TypeError, match="No review form field"):
        review_forms.shape_form(Odd, review_forms.CommitmentFields)


def test_the_extractions_positions_and_responses_reach_the_records(moj):
    from responses.models import Position
    from tests.factories import RecommendationFactory, ReportFactory
    from tracker.models import Recommendation

    report = ReportFactory(deceased="Samuel Price", kind="pfd")
    RecommendationFactory(report=report, number=1, label="1", kind=Recommendation.Kind.CONCERN)
    letter = create_draft(letter_files.pfd_reply().encode(), "reply.txt")
    payload = dict(letter.extraction)
    payload["concerns"] = [
        {**payload["concerns"][0], "position": "partially_accepted", "response": "We accept the first part."},
        {**payload["concerns"][1], "position": "not_accepted", "response": None},
    ]
    letter.extraction = payload
    letter.draft = {}  # made again from the extraction, as for a draft stored before the field existed
    proposal = draft_of(letter)
    assert [(r.position, r.response) for r in proposal.recommendations] == [
        ("accepted_in_part", "We accept the first part."),
        ("not_accepted", ""),
    ]
    ingestion.confirm(letter, proposal)
    stances = {p.recommendation.label: (p.stance, p.quote, p.reason) for p in Position.objects.all()}
    assert stances == {
        "1": ("accepted_in_part", "We accept the first part.", ""),
        "2": ("not_accepted", "", "See the response letter."),
    }
