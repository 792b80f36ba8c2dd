import datetime
import hashlib

import pytest

from responses import ingestion
from responses.extraction import ExtractedCommitment, Extraction
from responses.ingestion import (
    AlreadyConfirmed,
    DuplicateLetter,
    IncompleteReview,
    UnreadableLetter,
    confirm,
    create_draft,
    create_draft_from_text,
    ingest,
    propose_links,
    reviewed_from_proposals,
    set_letter_date,
)
from responses.models import Commitment, ResponseLetter, Signatory
from tests.factories import DepartmentFactory, RecommendationFactory, ReportFactory, UserFactory
from tests.responses import letter_files
from tracker.models import Addressee, AddresseeEvent, Recommendation, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def moj():
    return DepartmentFactory(
        name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice", aliases=["MOJ"]
    )


@pytest.fixture
def editor():
    return UserFactory(username="editor")


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_saved():
    return (
        ResponseLetter.objects.count(),
        Report.objects.count(),
        Recommendation.objects.count(),
        Addressee.objects.count(),
        Signatory.objects.count(),
        Commitment.objects.count(),
    ) == (0, 0, 0, 0, 0, 0)


# ------------------------------------------------------------------------------------------ drafts


@pytest.mark.parametrize(
    "filename, make",
    [
        ("reply.txt", lambda text: text.encode("utf-8")),
        ("reply.pdf", letter_files.make_pdf),
        ("reply.docx", letter_files.make_docx),
    ],
)
def test_a_draft_keeps_the_file_its_hash_and_what_was_found(moj, editor, filename, make):
    data = make(letter_files.pfd_reply())

    letter = create_draft(data, filename, user=editor)

    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.DRAFT
    assert letter.content_hash == hashlib.sha256(data).hexdigest()
    assert letter.original_filename == filename
    with letter.original_file.open("rb") as f:
        assert f.read() == data
    assert letter.date == datetime.date(2025, 3, 14)
    assert list(letter.departments.all()) == [moj]
    assert letter.ingested_by == editor
    stored = letter.extraction
    assert len(stored["commitments"]) == 3
    for item in stored["commitments"]:
        assert letter.text[item["start"] : item["end"]] == item["text"]
    assert [c["number"] for c in stored["concerns"]] == [1, 2]
    assert stored["proposals"]["reports"][0]["deceased"] == "Samuel Price"
    # A draft is only a proposal: nothing is in the tracker yet.
    assert Commitment.objects.count() == Report.objects.count() == Recommendation.objects.count() == 0


def test_the_same_file_twice_is_a_duplicate_carrying_the_existing_letter(moj, settings):
    data = letter_files.pfd_reply().encode()
    first = create_draft(data, "reply.txt")

    with pytest.raises(DuplicateLetter) as caught:
        create_draft(data, "renamed copy.txt")

    assert caught.value.existing == first
    assert ResponseLetter.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_pasted_text_is_hashed_with_normalised_line_ends(moj):
    text = letter_files.pfd_reply()
    letter = create_draft_from_text(text)
    assert letter.source == ResponseLetter.Source.PASTE
    assert not letter.original_file
    with pytest.raises(DuplicateLetter):
        create_draft_from_text(text.replace("\n", "\r\n") + "\n\n")


@pytest.mark.parametrize(
    "filename, data, code",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("scan.png", letter_files.PNG_BYTES, "unsupported_format"),
        ("notes.odt", b"some text in a format we do not read", "unsupported_format"),
        ("latin.txt", letter_files.UNDECODABLE_BYTES, "undecodable"),
        ("drawing.pdf", letter_files.make_drawing_pdf(), "empty"),
        ("locked.pdf", letter_files.make_encrypted_pdf(letter_files.pfd_reply()), "encrypted"),
        ("broken.pdf", letter_files.make_corrupt_pdf(), "corrupt"),
        ("huge.txt", b"a" * (20 * 1024 * 1024 + 1), "too_large"),
    ],
)
def test_unreadable_files_are_refused_with_their_reason_and_nothing_is_saved(
    moj, settings, filename, data, code
):
    with pytest.raises(UnreadableLetter) as caught:
        create_draft(data, filename)
    assert caught.value.code == code
    assert caught.value.message
    assert nothing_saved()
    assert stored_files(settings) == []


def test_empty_pasted_text_is_refused():
    with pytest.raises(UnreadableLetter) as caught:
        create_draft_from_text(" \r\n ")
    assert caught.value.code == "empty"


# --------------------------------------------------------------------------------------- proposals


def extraction(reports, concerns=(), commitments=(), departments=("Ministry of Justice",)):
    return Extraction(
        source=None,
        text="letter",
        letter_date=datetime.date(2025, 3, 14),
        departments=list(departments),
        addressee={"name": "A Coroner", "role": "HM Senior Coroner"},
        reports=list(reports),
        concerns=list(concerns),
        commitments=list(commitments),
    )


def pfd(deceased, title="Regulation 28 report"):
    return {"type": "pfd", "title": title, "deceased": deceased, "report_date": None}


def test_a_pfd_reference_links_to_the_existing_report_by_deceased_name_whatever_the_case():
    report = ReportFactory(deceased="Samuel Price", title="Report on the death of Samuel Price")
    ReportFactory(deceased="Someone Else")

    proposals = propose_links(extraction([pfd("SAMUEL PRICE", "Prevention of Future Deaths report")]))

    assert proposals["reports"][0]["report_id"] == report.pk


def test_a_review_links_to_the_existing_report_by_title():
    report = ReportFactory(kind=Report.Kind.NATIONAL_REVIEW, title="Out of sight: a review", deceased="")
    ref = {
        "type": "national_review",
        "title": "out of sight: a review",
        "deceased": None,
        "report_date": None,
    }

    assert propose_links(extraction([ref]))["reports"][0]["report_id"] == report.pk


def test_a_shortened_long_title_still_links_but_a_short_generic_one_does_not():
    report = ReportFactory(
        kind=Report.Kind.INQUIRY, title="Independent Inquiry into Child Sexual Abuse final report"
    )
    ReportFactory(kind=Report.Kind.OTHER, title="Annual report 2024", deceased="")
    long_ref = {"type": "inquiry", "title": "Independent Inquiry into Child Sexual Abuse", "deceased": None}
    short_ref = {"type": "other", "title": "Annual report", "deceased": None}

    proposals = propose_links(extraction([long_ref, short_ref]))

    assert proposals["reports"][0]["report_id"] == report.pk
    assert proposals["reports"][1]["report_id"] is None


def test_a_pfd_reference_without_a_deceased_is_never_linked_by_its_generic_title():
    ReportFactory(title="Prevention of Future Deaths report", deceased="Samuel Price")

    proposals = propose_links(extraction([pfd(None, "Prevention of Future Deaths report")]))

    assert proposals["reports"][0]["report_id"] is None


def test_concerns_link_by_number_within_the_linked_report_only():
    report = ReportFactory(deceased="Samuel Price")
    two = RecommendationFactory(report=report, number=2, label="2", kind=Recommendation.Kind.CONCERN)
    RecommendationFactory(report=ReportFactory(deceased="Other"), number=3, label="3")
    concerns = [
        {"number": 2, "text": "Staff were not trained.", "kind": "concern"},
        {"number": 3, "text": "Records were lost.", "kind": "concern"},
    ]

    proposals = propose_links(extraction([pfd("Samuel Price")], concerns))

    first, second = proposals["recommendations"]
    assert first["recommendation_id"] == two.pk
    assert first["text"] == two.text  # the tracker's wording, not the letter's paraphrase
    assert second["recommendation_id"] is None  # number 3 exists, but in another report
    assert (second["report"], second["number"], second["label"], second["kind"]) == (0, 3, "3", "concern")


def test_unknown_report_and_concerns_are_proposed_as_new():
    proposals = propose_links(
        extraction(
            [pfd("Ann Jones", "Regulation 28 report: Ann Jones")],
            [{"number": 1, "text": "Beds were short.", "kind": None}],
        )
    )
    report = proposals["reports"][0]
    assert (report["report_id"], report["type"], report["deceased"]) == (None, "pfd", "Ann Jones")
    assert (report["author"], report["author_role"]) == ("A Coroner", "HM Senior Coroner")
    # No kind from the extractor: a PFD report's items are matters of concern.
    assert proposals["recommendations"][0]["kind"] == Recommendation.Kind.CONCERN


# ---------------------------------------------------------------------------------------- confirm


def test_confirm_links_the_existing_report_and_recommendation_and_saves_everything(moj, editor):
    report = ReportFactory(deceased="Samuel Price", date_issued=datetime.date(2025, 1, 10))
    concern_one = RecommendationFactory(report=report, number=1, label="1", kind=Recommendation.Kind.CONCERN)
    letter = create_draft(letter_files.pfd_reply().encode(), "reply.txt", user=editor)

    confirm(letter, reviewed_from_proposals(letter), user=editor)

    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.CONFIRMED
    assert letter.confirmed_by == editor and letter.confirmed_at is not None
    assert list(letter.reports.all()) == [report]
    assert Report.objects.count() == 1
    concern_two = Recommendation.objects.get(report=report, label="2")
    assert (concern_two.number, concern_two.kind) == (2, Recommendation.Kind.CONCERN)
    assert list(concern_two.departments.all()) == [moj]
    assert set(letter.recommendations.all()) == {concern_one, concern_two}

    addressee = Addressee.objects.get(report=report, department=moj)
    assert addressee.response_received_on == datetime.date(2025, 3, 14)
    assert addressee.response_letter == letter
    assert addressee.events.filter(kind=AddresseeEvent.Kind.RESPONSE_RECORDED, by=editor).count() == 1

    signatory = letter.signatories.get()
    assert (signatory.name, signatory.role) == (
        "Lord Timpson",
        "Minister of State for Prisons, Parole and Probation",
    )

    dated, year, vague = letter.commitments.order_by("text_start")
    assert dated.department == moj
    assert dated.text.startswith("We will issue revised guidance")
    assert letter.text[dated.text_start : dated.text_end] == dated.text
    assert (dated.time_phrase, dated.due_earliest, dated.due_latest, dated.precision) == (
        "by June 2025",
        datetime.date(2025, 6, 1),
        datetime.date(2025, 6, 30),
        Commitment.Precision.MONTH,
    )
    assert dated.original_due_latest == dated.due_latest and dated.original_time_phrase == "by June 2025"
    assert list(dated.recommendations.all()) == [concern_one]
    assert year.due_latest == datetime.date(2025, 12, 31)
    assert list(year.recommendations.all()) == [concern_two]
    assert vague.precision == Commitment.Precision.VAGUE and vague.due_latest is None


def test_confirm_creates_a_report_nobody_has_entered_yet(moj):
    letter = create_draft(letter_files.pfd_reply(deceased="Ann Jones").encode(), "reply.txt")

    confirm(letter, reviewed_from_proposals(letter))

    report = Report.objects.get()
    assert (report.kind, report.deceased, report.date_issued) == (
        "pfd",
        "Ann Jones",
        datetime.date(2025, 1, 10),
    )
    assert report.author == "Daniel Okafor"
    assert list(report.recommendations.values_list("label", flat=True)) == ["1", "2"]
    # A PFD report dated 10 January 2025 was due 56 days later, on 7 March; the letter came on 14 March.
    addressee = report.addressees.get()
    assert addressee.response_due == datetime.date(2025, 3, 7)
    assert addressee.days_late() == 7
    # Its commitments, created in bulk, count for the reports list's "has overdue" filter at once.
    dates = [c.due_latest for c in Commitment.objects.filter(letter=letter) if c.due_latest]
    assert dates and report.earliest_open_due == min(dates)


def test_a_second_letter_on_the_same_new_report_links_to_it(moj):
    first = create_draft(letter_files.pfd_reply(deceased="Ann Jones").encode(), "first.txt")
    second = create_draft(
        letter_files.pfd_reply(deceased="Ann Jones", letter_date="2 April 2025").encode(), "second.txt"
    )
    reviewed_second = reviewed_from_proposals(second)  # proposed before the first letter's report exists

    confirm(first, reviewed_from_proposals(first))
    confirm(second, reviewed_second)

    assert Report.objects.count() == 1
    assert Recommendation.objects.count() == 2
    # The first letter answered for the department; the second does not overwrite its response.
    assert Addressee.objects.get().response_letter == first


def test_confirm_refuses_a_letter_without_a_date_and_saves_nothing(moj):
    letter = create_draft(letter_files.undated_reply().encode(), "undated.txt")
    assert letter.date is None

    with pytest.raises(IncompleteReview) as caught:
        confirm(letter, reviewed_from_proposals(letter))

    assert caught.value.code == "no_date"
    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.DRAFT
    assert Report.objects.count() == Commitment.objects.count() == Addressee.objects.count() == 0


def test_a_date_entered_by_hand_dates_the_time_phrases(moj):
    letter = create_draft(letter_files.undated_reply().encode(), "undated.txt")
    later = letter.extraction["commitments"][1]
    assert (later["time_phrase"], later["due_latest"]) == ("later this year", None)

    set_letter_date(letter, datetime.date(2025, 3, 14))
    confirm(letter, reviewed_from_proposals(letter))

    dues = list(letter.commitments.order_by("text_start").values_list("due_latest", flat=True))
    assert dues == [datetime.date(2025, 6, 30), datetime.date(2025, 12, 31), None]


def test_a_letter_is_confirmed_once(moj):
    letter = create_draft(letter_files.pfd_reply().encode(), "reply.txt")
    reviewed = reviewed_from_proposals(letter)
    confirm(letter, reviewed)

    with pytest.raises(AlreadyConfirmed):
        confirm(letter, reviewed)
    assert Commitment.objects.count() == 3


def test_a_commitment_without_a_department_is_refused(moj):
    letter = create_draft(letter_files.pfd_reply().encode(), "reply.txt")
    reviewed = reviewed_from_proposals(letter)
    reviewed.commitments[1].department_id = None

    with pytest.raises(IncompleteReview, match="Commitment 2 needs a department"):
        confirm(letter, reviewed)
    assert Commitment.objects.count() == 0


@pytest.mark.parametrize("step", ["_create_commitments", "_record_responses", "_recommendations_for"])
def test_a_failure_mid_way_leaves_nothing_of_the_letter(moj, monkeypatch, step):
    report = ReportFactory(deceased="Samuel Price")
    letter = create_draft(letter_files.pfd_reply().encode(), "reply.txt")
    reviewed = reviewed_from_proposals(letter)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ingestion, step, fail)
    with pytest.raises(RuntimeError):
        confirm(letter, reviewed)

    letter.refresh_from_db()
    assert letter.review_state == ResponseLetter.ReviewState.DRAFT
    assert letter.confirmed_at is None
    assert not letter.reports.exists() and not letter.recommendations.exists()
    assert list(Report.objects.all()) == [report]
    assert Recommendation.objects.count() == Addressee.objects.count() == 0
    assert Signatory.objects.count() == Commitment.objects.count() == 0


def test_a_failure_while_approving_leaves_no_draft_and_no_file(moj, monkeypatch, settings):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingestion, "_create_commitments", fail)
    with pytest.raises(RuntimeError):
        ingest(letter_files.pfd_reply().encode(), "reply.txt", approve=True)

    assert nothing_saved()
    assert stored_files(settings) == []


def test_ingest_counts_what_it_stored(moj):
    result = ingest(letter_files.pfd_reply().encode(), "reply.txt", approve=True)
    assert (result.commitments, result.dated, result.vague) == (3, 2, 1)
    assert result.letter.review_state == ResponseLetter.ReviewState.CONFIRMED


def test_ingest_refuses_an_undated_letter_unless_given_a_date(moj, settings):
    data = letter_files.undated_reply().encode()
    with pytest.raises(IncompleteReview) as caught:
        ingest(data, "undated.txt")
    assert caught.value.code == "no_date"
    assert nothing_saved() and stored_files(settings) == []

    result = ingest(data, "undated.txt", default_date=datetime.date(2025, 3, 14))
    assert result.letter.date == datetime.date(2025, 3, 14)
    assert result.dated == 2


def test_commitments_are_linked_to_the_concerns_the_extractor_numbered(moj):
    """Mapping only: an Extraction built by hand, so the extractor's own accuracy does not matter here."""
    text = "We will act by May 2025. We will also write."
    result = Extraction(
        source=None,
        text=text,
        letter_date=datetime.date(2025, 3, 1),
        departments=["Ministry of Justice"],
        reports=[pfd("Ann Jones")],
        concerns=[{"number": 4, "text": "Four.", "kind": "concern"}, {"number": 7, "text": "Seven.", "kind": "concern"}],
        commitments=[
            ExtractedCommitment("We will act by May 2025", "MOJ", "by May 2025", datetime.date(2025, 5, 1),
                                datetime.date(2025, 5, 31), "month", 0, 23, [7]),
            ExtractedCommitment("We will also write", None, None, None, None, "none", 25, 43, []),
        ],
    )  # fmt: skip
    letter = ResponseLetter.objects.create(
        text=text, content_hash="x" * 64, extraction={**ingestion.extraction_payload(result)}
    )
    letter.date = datetime.date(2025, 3, 1)

    confirm(letter, reviewed_from_proposals(letter))

    act, write = letter.commitments.order_by("text_start")
    assert act.department == moj  # the extractor's spelling resolved through the aliases
    assert list(act.recommendations.values_list("label", flat=True)) == ["7"]
    assert write.department == moj  # no department named: the letter's
    assert not write.recommendations.exists()
