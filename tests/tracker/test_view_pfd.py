"""The PFD pages: the non-responses list, a department's PFD queue, and the PFD parts of the reports list,
report page and dashboard."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AddresseeFactory, DepartmentFactory, ReportFactory
from tracker.models import Department, PublishedResponse, ReportCategory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 7, 24)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 7, 24, 12, 0), tick=False):
        yield


@pytest.fixture
def corpus():
    moj = DepartmentFactory(name="Ministry of Justice", short_name="MoJ", slug="ministry-of-justice")
    hmpps = DepartmentFactory(
        name="HM Prison and Probation Service",
        short_name="HMPPS",
        slug="hmpps",
        kind="public_body",
        parent=moj,
    )
    prison = DepartmentFactory(
        name="HM Prison Pentonville",
        short_name="HMP P",
        slug="hmp-pentonville",
        kind="public_body",
        parent=hmpps,
    )
    trust = DepartmentFactory(name="Barts Health NHS Trust", short_name="BHNT", slug="barts", kind="nhs")
    old = ReportFactory(
        title="Old report", reference="2024-0001", date_issued=D(2024, 1, 10), issuing_body="Kent"
    )
    new = ReportFactory(
        title="New report", reference="2025-0300", date_issued=D(2025, 7, 1), issuing_body="Surrey"
    )
    unsure = ReportFactory(
        title="Unsure report", reference="2024-0002", date_issued=D(2024, 3, 1), issuing_body="Kent"
    )
    rows = {
        "prison_missing": AddresseeFactory(report=old, department=prison, named_as="HMP Pentonville"),
        "trust_missing": AddresseeFactory(report=old, department=trust),
        "moj_awaiting": AddresseeFactory(report=new, department=moj),
        "hmpps_answered": AddresseeFactory(report=unsure, department=hmpps),
        "trust_unsure": AddresseeFactory(report=unsure, department=trust),
    }
    rows["hmpps_answered"].record_response(
        D(2024, 4, 30), url="https://www.judiciary.uk/r.pdf", date_known=False
    )
    PublishedResponse.objects.create(report=unsure, url="https://www.judiciary.uk/unknown-sender.pdf")
    return {
        "moj": moj,
        "hmpps": hmpps,
        "prison": prison,
        "trust": trust,
        "old": old,
        "new": new,
        "unsure": unsure,
        **rows,
    }


def listed(response):
    return [a.pk for a in response.context["rows"]]


def test_non_responses_are_the_real_ones_by_default(client, corpus):
    page = client.get(reverse("pfd_non_responses"))
    assert page.status_code == 200
    assert listed(page) == [corpus["prison_missing"].pk, corpus["trust_missing"].pk]
    everything = client.get(reverse("pfd_non_responses"), {"uncertain": "1"})
    assert corpus["trust_unsure"].pk in listed(everything)
    html = page.content.decode()
    assert "HM Prison Pentonville" in html and "part of HM Prison and Probation Service" in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"department": "ministry-of-justice"}, ["prison_missing"]),  # its bodies' too
        ({"kind": "nhs"}, ["trust_missing"]),
        ({"organisation": "barts"}, ["trust_missing"]),
        ({"area": "Kent", "uncertain": "1"}, ["prison_missing", "trust_missing", "trust_unsure"]),
        ({"year": "2025"}, []),
    ],
)
def test_non_responses_filters(client, corpus, params, expected):
    page = client.get(reverse("pfd_non_responses"), params)
    assert sorted(listed(page)) == sorted(corpus[k].pk for k in expected)


def test_the_non_responses_csv_holds_what_the_page_shows(client, corpus):
    response = client.get(reverse("pfd_non_responses_export"), {"kind": "public_body"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["Reference", "Report", "Report date", "Coroner area", "Addressee"]
    assert [(r[0], r[4], r[5], r[9]) for r in rows[1:]] == [
        ("2024-0001", "HM Prison Pentonville", "HMP Pentonville", str((TODAY - D(2024, 3, 6)).days))
    ]


def test_a_departments_queue_holds_its_bodies_reports(client, corpus):
    page = client.get(reverse("department_pfd_queue", args=["ministry-of-justice"]))
    assert page.status_code == 200
    assert set(listed(page)) == {corpus[k].pk for k in ("prison_missing", "moj_awaiting", "hmpps_answered")}
    counts = {key: n for key, _, n in page.context["counts"]}
    assert counts == {"awaiting": 1, "overdue": 1, "answered": 1}
    assert listed(page)[0] == corpus["moj_awaiting"].pk  # latest deadline first
    overdue = client.get(reverse("department_pfd_queue", args=["ministry-of-justice"]), {"clock": "overdue"})
    assert listed(overdue) == [corpus["prison_missing"].pk]
    by_due = client.get(reverse("department_pfd_queue", args=["ministry-of-justice"]), {"sort": "due"})
    assert listed(by_due)[0] == corpus["prison_missing"].pk
    html = page.content.decode()
    assert "Response published" in html and "https://www.judiciary.uk/r.pdf" in html


def test_the_queue_csv(client, corpus):
    response = client.get(
        reverse("department_pfd_queue_export", args=["ministry-of-justice"]), {"clock": "answered"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r[4], r[6], r[8], r[9]) for r in rows[1:]] == [
        ("HM Prison and Probation Service", "Answered", "2024-04-30", "https://www.judiciary.uk/r.pdf")
    ]


def test_the_lists_queries_do_not_grow_with_rows(client, corpus):
    def queries(name, *args):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, args=args)).status_code == 200
        return len(captured)

    def more(n):
        for _ in range(n):
            report = ReportFactory(date_issued=D(2023, 1, 1))
            AddresseeFactory(report=report, department=DepartmentFactory(kind="nhs"))
            AddresseeFactory(report=report, department=corpus["prison"])

    few = (queries("pfd_non_responses"), queries("department_pfd_queue", "ministry-of-justice"))
    more(45)
    assert (queries("pfd_non_responses"), queries("department_pfd_queue", "ministry-of-justice")) == few
    assert max(few) <= 9


def test_reports_filter_by_area_category_addressee_and_responses(client, corpus):
    category = ReportCategory.objects.create(name="State Custody related deaths", slug="custody")
    corpus["old"].categories.add(category)
    url = reverse("report_list")

    def titles(params):
        return [r.title for r in client.get(url, params).context["rows"]]

    assert titles({"area": "Surrey"}) == ["New report"]
    assert titles({"category": "custody"}) == ["Old report"]
    assert titles({"addressee": "Pentonville"}) == ["Old report"]
    assert titles({"department": "ministry-of-justice"}) == ["New report", "Unsure report", "Old report"]
    assert titles({"status": "pending"}) == ["New report"]
    assert titles({"status": "overdue"}) == ["Old report"]
    assert titles({"status": "completed"}) == ["Unsure report"]  # one identified, one published unattributed


def test_a_report_page_shows_every_addressees_clock_and_response(client, corpus):
    html = client.get(corpus["unsure"].get_absolute_url()).content.decode()
    assert "HM Prison and Probation Service" in html and "Response published" in html
    assert 'href="https://www.judiciary.uk/r.pdf"' in html
    assert "Published responses whose sender is not identified" in html
    assert "Completed (every addressee responded)" in html
    old = client.get(corpus["old"].get_absolute_url()).content.decode()
    assert "named “HMP Pentonville”" in old and "No response identified" in old


def test_the_dashboard_counts_missing_responses_by_department(client, corpus):
    page = client.get(reverse("dashboard"))
    assert page.context["missing_total"] == 3
    assert [(d.name, n) for d, n in page.context["missing_by_department"]] == [("Ministry of Justice", 1)]
    assert Department.objects.get(slug="barts").is_government is False


def test_a_report_completed_by_replies_nobody_was_matched_to_says_so_beside_the_waiting_addressee(
    client, corpus
):
    """The imported list counts three replies, none held as a document nor matched to the one addressee: the
    report counts as completed (as the Preventable Deaths Tracker does), and the page says what that rests on
    instead of 'every addressee responded' beside 'No response identified' alone."""
    from tracker.models import Report

    report = ReportFactory(title="Counted report", reference="2024-0010", date_issued=D(2024, 1, 1))
    AddresseeFactory(report=report, department=corpus["moj"])
    Report.objects.filter(pk=report.pk).update(published_response_count=3)
    Report.objects.filter(pk=report.pk).refresh_pfd_clocks()
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Completed (every addressee responded)" in html
    assert "Counting 3 published responses whose sender is not identified" in html
    assert "3 known only from the number of replies published" in html
    assert "3 more responses were published for this report" in html
    assert "No response identified" in html and "may be theirs" in html
    # A report with nothing unattributed keeps its plain wording.
    old = client.get(corpus["old"].get_absolute_url()).content.decode()
    assert "may be theirs" not in old and "Counting" not in old
