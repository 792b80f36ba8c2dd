import csv
import datetime
import io

import pytest

from responses.models import Commitment, CommitmentEvent
from tests.factories import (
    CommitmentEventFactory,
    CommitmentFactory,
    DepartmentFactory,
    ReportFactory,
    ResponseLetterFactory,
    UserFactory,
)
from tracker.models import Report, london_today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return london_today()


@pytest.fixture
def home_office():
    return DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")


@pytest.fixture
def education():
    return DepartmentFactory(
        name="Department for Education", short_name="DfE", slug="department-for-education"
    )


def listed_ids(response):
    return {c.pk for c in response.context["page"].object_list}


def test_list_shows_the_columns_of_a_commitment(client, home_office, today):
    commitment = CommitmentFactory(
        department=home_office, text="We will publish the strategy.", time_phrase="by Autumn 2021",
        due_latest=today - 12 * DAY, due_earliest=None,
    )  # fmt: skip
    response = client.get("/commitments/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "We will publish the strategy." in html
    assert "by Autumn 2021" in html
    assert commitment.get_absolute_url() in html
    assert 'data-label="Days overdue"><strong class="tracker-overdue">12</strong>' in html
    # one tag per cell: the status alone in its cell, the days overdue in theirs
    status_cell = html.split('data-label="Status">', 1)[1].split("</td>", 1)[0]
    assert status_cell.count("<strong") == 1 and "Not yet assessed" in status_cell


def test_overdue_and_department_filters_combine(client, home_office, education, today):
    late_ho = CommitmentFactory(department=home_office, due_latest=today - 3 * DAY)
    CommitmentFactory(department=home_office, due_latest=today + 3 * DAY)
    CommitmentFactory(department=education, due_latest=today - 3 * DAY)
    CommitmentFactory(
        department=home_office, due_latest=today - 3 * DAY, status=Commitment.Status.DELIVERED,
        delivered_on=today - 5 * DAY,
    )  # fmt: skip
    response = client.get("/commitments/?overdue=1&department=home-office")
    assert listed_ids(response) == {late_ho.pk}


def test_unknown_department_shows_an_error_and_no_rows(client, home_office):
    CommitmentFactory(department=home_office)
    response = client.get("/commitments/?department=no-such-department")
    assert response.status_code == 200
    assert listed_ids(response) == set()
    assert "There is a problem" in response.content.decode()


def test_status_precision_and_due_between_filters(client, home_office, today):
    in_window = CommitmentFactory(department=home_office, due_latest=datetime.date(2025, 4, 20))
    CommitmentFactory(department=home_office, due_latest=datetime.date(2025, 6, 1))
    vague = CommitmentFactory(
        department=home_office, due_latest=None, due_earliest=None, precision=Commitment.Precision.VAGUE,
        time_phrase="shortly",
    )  # fmt: skip
    undated = CommitmentFactory(
        department=home_office, due_latest=None, due_earliest=None, precision=Commitment.Precision.NONE
    )
    in_progress = CommitmentFactory(department=home_office, status=Commitment.Status.IN_PROGRESS)

    assert listed_ids(client.get("/commitments/?due_from=2025-04-01&due_to=2025-04-30")) == {in_window.pk}
    assert listed_ids(client.get("/commitments/?precision=vague")) == {vague.pk}
    assert listed_ids(client.get("/commitments/?precision=none")) == {undated.pk}
    assert listed_ids(client.get("/commitments/?status=in_progress")) == {in_progress.pk}


def test_report_kind_filter_goes_through_the_letter(client, home_office):
    inquiry_letter = ResponseLetterFactory()
    inquiry_letter.reports.add(ReportFactory(kind=Report.Kind.INQUIRY, title="An inquiry"))
    pfd_letter = ResponseLetterFactory()
    pfd_letter.reports.add(ReportFactory(kind=Report.Kind.PFD))
    from_inquiry = CommitmentFactory(department=home_office, letter=inquiry_letter)
    CommitmentFactory(department=home_office, letter=pfd_letter)
    assert listed_ids(client.get("/commitments/?report_kind=inquiry")) == {from_inquiry.pk}


def test_sorting_by_due_date_descending(client, home_office):
    early = CommitmentFactory(department=home_office, due_latest=datetime.date(2024, 1, 31))
    late = CommitmentFactory(department=home_office, due_latest=datetime.date(2026, 1, 31))
    ids = [c.pk for c in client.get("/commitments/?sort=-due").context["page"].object_list]
    assert ids == [late.pk, early.pk]


def test_pagination_keeps_the_filters(client, home_office, today):
    CommitmentFactory.create_batch(55, department=home_office, due_latest=today - 2 * DAY)
    response = client.get("/commitments/?overdue=1&department=home-office")
    assert response.context["page"].paginator.num_pages == 2
    assert "overdue=1&amp;department=home-office&amp;page=2" in response.content.decode()
    second = client.get("/commitments/?overdue=1&department=home-office&page=2")
    assert len(second.context["page"].object_list) == 5


def test_csv_export_is_exactly_the_filtered_rows(client, home_office, education, today):
    wanted = CommitmentFactory.create_batch(3, department=home_office, due_latest=today - 4 * DAY)
    CommitmentFactory.create_batch(2, department=education, due_latest=today - 4 * DAY)
    CommitmentFactory(department=home_office, due_latest=today + 40 * DAY)
    # more than one page's worth must all be exported, not just the first page
    wanted += CommitmentFactory.create_batch(60, department=home_office, due_latest=today - 1 * DAY)
    query = "?overdue=1&department=home-office"
    page_ids = set()
    page = 1
    while True:
        response = client.get(f"/commitments/{query}&page={page}")
        page_ids |= listed_ids(response)
        if not response.context["page"].has_next():
            break
        page += 1

    response = client.get(f"/commitments/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    exported = {int(row["id"]) for row in rows}
    assert exported == page_ids == {c.pk for c in wanted}
    assert {row["department"] for row in rows} == {"Home Office"}
    assert all(int(row["days_overdue"]) >= 1 for row in rows)


def test_detail_shows_text_context_due_date_derivation_and_history(client, home_office):
    letter = ResponseLetterFactory(
        text="Opening words. We will publish guidance by March 2025. Closing words."
    )
    start = letter.text.index("We will")
    end = letter.text.index(" Closing")
    commitment = CommitmentFactory(
        department=home_office, letter=letter, text=letter.text[start:end], text_start=start, text_end=end,
        time_phrase="by March 2025", due_latest=datetime.date(2025, 3, 31),
    )  # fmt: skip
    CommitmentEventFactory(
        commitment=commitment, kind=CommitmentEvent.Kind.STATUS_CHANGED, old_status="not_yet_assessed",
        new_status="in_progress", note="Internal: drafting started",
    )  # fmt: skip
    response = client.get(commitment.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Opening words." in html and "<mark>We will publish guidance by March 2025.</mark>" in html
    assert "by March 2025" in html and "31 March 2025" in html
    assert "precision of month" in html
    assert "In progress" in html
    # internal notes only for signed-in users
    assert "drafting started" not in html
    client.force_login(UserFactory())
    assert "drafting started" in client.get(commitment.get_absolute_url()).content.decode()


def test_revised_due_date_keeps_the_original_visible(client, home_office):
    commitment = CommitmentFactory(department=home_office, due_latest=datetime.date(2025, 3, 31))
    commitment.revise_due_date(due_latest=datetime.date(2025, 9, 30), by=None, reason="Consultation extended")
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Originally due" in html
    assert "31 March 2025" in html and "30 September 2025" in html


def test_missing_commitment_is_404(client):
    assert client.get("/commitments/999999/").status_code == 404


@pytest.mark.parametrize("url", ["/commitments/", "/commitments/export.csv?overdue=1"])
def test_list_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, home_office, today, url):
    CommitmentFactory.create_batch(5, department=home_office, due_latest=today - 2 * DAY)
    with django_assert_max_num_queries(6) as few:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    CommitmentFactory.create_batch(45, department=home_office, due_latest=today - 2 * DAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)


def test_csv_rows_carry_the_report_title_letter_date_and_links(client, home_office, settings):
    settings.SITE_URL = "https://tracker.example.gov.uk"
    letter = ResponseLetterFactory(date=datetime.date(2025, 2, 20), departments=[home_office])
    first = ReportFactory(title="Independent Inquiry into Child Sexual Abuse", slug="iicsa")
    second = ReportFactory(title="Home Affairs Committee letter", slug="hasc-letter")
    letter.reports.add(first, second)
    commitment = CommitmentFactory(letter=letter, department=home_office)
    response = client.get("/commitments/export.csv?report=iicsa")
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert row["url"] == f"https://tracker.example.gov.uk/commitments/{commitment.pk}/"
    assert row["letter_date"] == "2025-02-20"
    assert row["letter_url"] == f"https://tracker.example.gov.uk/letters/{letter.pk}/"
    titles, links = row["report"].split(" | "), row["report_url"].split(" | ")
    assert sorted(zip(titles, links, strict=True)) == [
        ("Home Affairs Committee letter", "https://tracker.example.gov.uk/reports/hasc-letter/"),
        ("Independent Inquiry into Child Sexual Abuse", "https://tracker.example.gov.uk/reports/iicsa/"),
    ]


def test_the_list_shows_which_report_filter_is_applied(client, home_office):
    letter = ResponseLetterFactory(departments=[home_office])
    letter.reports.add(ReportFactory(title="Independent Inquiry into Child Sexual Abuse", slug="iicsa"))
    CommitmentFactory(letter=letter, department=home_office)
    response = client.get("/commitments/?report=iicsa&overdue=1&due_to=2025-04-20")
    tags = {tag["text"]: tag["href"] for tag in response.context["active_filters"]["tags"]}
    assert tags == {
        "Report: Independent Inquiry into Child Sexual Abuse": "?overdue=1&due_to=2025-04-20",
        "Overdue only": "?report=iicsa&due_to=2025-04-20",
        "Due on or before: 20 April 2025": "?report=iicsa&overdue=1",
    }
    # a date entered in the GOV.UK date input is removed with all three of its boxes
    response = client.get("/commitments/?due_from-day=1&due_from-month=4&due_from-year=2025&open=1")
    tags = {tag["text"]: tag["href"] for tag in response.context["active_filters"]["tags"]}
    assert tags["Due on or after: 1 April 2025"] == "?open=1"
