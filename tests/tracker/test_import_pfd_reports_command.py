import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from tests.factories import AddresseeFactory, DepartmentFactory, RecommendationFactory, ReportFactory
from tests.tracker.test_pfd_rows import REPORTS_HEADER, STATUS_HEADER, as_csv, status_row
from tracker.models import Addressee, AddresseeEvent, Department, PublishedResponse, Recommendation, Report
from tracker.pfd import importer

pytestmark = pytest.mark.django_db
URL = "https://www.judiciary.uk/prevention-of-future-death-reports/"
UPLOADS = "https://www.judiciary.uk/wp-content/uploads"


def run(*paths, **options):
    out = StringIO()
    call_command("import_pfd_reports", *map(str, paths), "--no-progress", stdout=out, **options)
    return out.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def scraped(**values):
    row = {
        "date_of_report": "27/10/2023",
        "ref": "2023-0400",
        "deceased_name": "Ann Example",
        "coroner_name": "A Coroner",
        "coroner_area": "Avon",
        "category": "Suicide (from 2015)",
        "this_report_is_being_sent_to": "Department for Health and Social Care | Barts Health NHS Trust",
        "report_url": f"{URL}ann-example/",
        "reply_urls": f"{UPLOADS}/2023/12/2023-0400-Response-from-Department-of-Health-and-Social-Care.pdf",
        "concerns": "The MATTERS OF CONCERN are as follows.\n1. The ward had no policy.\n2. Staff were not trained.",
        "response": "You are under a duty to respond ..., namely by 22 December 2023. I may extend the period.",
    }
    row.update(values)
    return row


@pytest.fixture
def statuses_file(tmp_path):
    return write(
        tmp_path,
        "pdt-statuses-2025-07-24.csv",
        as_csv(
            STATUS_HEADER,
            status_row(),
            status_row(
                URL=f"{URL}ann-example/",
                Ref="2023-0400",
                **{
                    "Deceased name": "Ann Example",
                    "Date of report": "27/10/2023",
                    "Sent to": "Department of Health and Social Care | Barts Health NHS Trust | REDACTED",
                    "Sent to count": "3",
                    "Replies count": "1",
                    "Status": "partial",
                },
            ),
            status_row(URL=f"{URL}no-ref/", Ref=""),
        ),
    )


def test_a_status_export_is_imported(statuses_file):
    output = run(statuses_file)
    assert "2 created, 0 updated, 0 unchanged; 1 bad rows skipped" in output
    assert "row 4: no reference" in output
    harper = Report.objects.get(source_url__endswith="harper-denton/")
    assert (harper.kind, harper.reference, harper.deceased) == ("pfd", "2022-0288", "Harper Denton")
    assert (harper.issuing_body, harper.author) == ("Bedfordshire and Luton", "Mrs Emma Elizabeth Whitting")
    assert (harper.pdt_status, harper.pdt_status_on, harper.published_response_count) == (
        "partial",
        datetime.date(2025, 7, 24),
        2,
    )
    assert sorted(harper.categories.values_list("name", flat=True)) == [
        "Child Death (from 2015)",
        "Other related deaths",
    ]
    assert sorted(a.department.short_name for a in harper.addressees.all()) == ["CoP", "HO", "MPS"]
    addressee = harper.addressees.get(department__short_name="HO")
    # No stated date: 56 days from the report's date.
    assert addressee.response_due == addressee.original_response_due == datetime.date(2022, 11, 10)
    assert addressee.named_as == "Home Office"


def test_importing_the_same_file_again_changes_nothing(statuses_file):
    run(statuses_file)
    before = {r.pk: r.updated_at for r in Report.objects.all()}
    counts = (
        Report.objects.count(),
        Addressee.objects.count(),
        Department.objects.count(),
        AddresseeEvent.objects.count(),
    )
    output = run(statuses_file)
    assert "0 created, 0 updated, 2 unchanged" in output
    assert {r.pk: r.updated_at for r in Report.objects.all()} == before
    assert (
        Report.objects.count(),
        Addressee.objects.count(),
        Department.objects.count(),
        AddresseeEvent.objects.count(),
    ) == counts


def test_a_changed_row_updates_the_report_and_corrects_the_deadline_with_an_event(statuses_file, tmp_path):
    run(statuses_file)
    changed = write(
        tmp_path,
        "pdt-statuses-2025-07-24.csv",
        as_csv(STATUS_HEADER, status_row(**{"Date of report": "20/09/2022"})),
    )
    before = Addressee.objects.get(report__reference="2022-0288", department__short_name="HO").version
    assert "0 created, 1 updated" in run(changed)
    addressee = Addressee.objects.get(report__reference="2022-0288", department__short_name="HO")
    assert addressee.response_due == datetime.date(2022, 11, 15)
    assert addressee.version == before + 1  # an admin form opened before the import is refused (409)
    event = addressee.events.get()
    assert (event.kind, event.old_deadline, event.new_deadline) == (
        "deadline_corrected",
        datetime.date(2022, 11, 10),
        datetime.date(2022, 11, 15),
    )


def test_an_extended_deadline_is_not_moved_by_an_import(statuses_file, tmp_path):
    run(statuses_file)
    addressee = Addressee.objects.get(report__reference="2022-0288", department__short_name="HO")
    addressee.grant_extension(
        datetime.date(2023, 1, 31), reason="Asked for more time", granted_on=datetime.date(2022, 11, 1)
    )
    run(write(tmp_path, "s.csv", as_csv(STATUS_HEADER, status_row(**{"Date of report": "20/09/2022"}))))
    addressee.refresh_from_db()
    assert addressee.response_due == datetime.date(2023, 1, 31)


def test_a_scraped_file_records_published_responses_and_concerns(tmp_path):
    record = scraped(
        reply_urls=" | ".join(
            [
                f"{UPLOADS}/2023/12/2023-0400-Response-from-Department-of-Health-and-Social-Care.pdf",
                f"{UPLOADS}/2024/02/2023-0400-Response-from-Somebody-Else-Entirely-Ltd.pdf",
                f"{UPLOADS}/2023/10/Ann-Example-Prevention-of-future-deaths-report-2023-0400_Published.pdf",
            ]
        )
    )
    output = run(write(tmp_path, "pdt-reports-2024-02-11.csv", as_csv(REPORTS_HEADER, record)))
    assert "3 read, 1 recorded on their addressee, 1 not attributed" in output
    report = Report.objects.get(reference="2023-0400")
    assert report.stated_response_deadline == datetime.date(2023, 12, 22)
    dhsc = report.addressees.get(department__short_name="DHSC")
    assert dhsc.named_as == "Department for Health and Social Care"
    assert dhsc.response_due == datetime.date(2023, 12, 22)  # the stated 'namely by' date, not 56 days
    assert (dhsc.response_received_on, dhsc.response_date_known) == (datetime.date(2023, 12, 31), False)
    assert dhsc.response_url.endswith("Department-of-Health-and-Social-Care.pdf")
    assert dhsc.events.get().kind == AddresseeEvent.Kind.RESPONSE_RECORDED
    assert dhsc.version == 2  # recorded set-based, with a new version as Addressee.record_response gives
    barts = report.addressees.get(department__name="Barts Health NHS Trust")
    assert barts.response_received_on is None
    attributions = dict(PublishedResponse.objects.values_list("sender", "attribution"))
    assert attributions == {
        "Department of Health and Social Care": "sender_name",
        "Somebody Else Entirely Ltd": "none",
        "": "not_a_response",
    }
    concerns = list(report.recommendations.values_list("kind", "label", "text"))
    assert concerns == [
        ("concern", "1", "The ward had no policy."),
        ("concern", "2", "Staff were not trained."),
    ]


def test_the_status_exports_addressees_win_over_the_scraped_ones_whatever_the_order(statuses_file, tmp_path):
    scrape = write(
        tmp_path,
        "pdt-reports-2024-02-11.csv",
        as_csv(
            REPORTS_HEADER,
            scraped(
                this_report_is_being_sent_to="Department for Health and Social Care | James Cook University Hospital"
            ),
        ),
    )
    run(scrape, statuses_file)
    first = sorted(
        Addressee.objects.filter(report__reference="2023-0400").values_list("department__name", flat=True)
    )
    Report.objects.all().delete()
    run(statuses_file, scrape)
    second = sorted(
        Addressee.objects.filter(report__reference="2023-0400").values_list("department__name", flat=True)
    )
    assert (
        first
        == second
        == ["Barts Health NHS Trust", "Department of Health and Social Care", "Name withheld (redacted)"]
    )


def test_an_addressee_with_a_response_is_kept_when_a_list_drops_it(statuses_file, tmp_path):
    run(statuses_file)
    addressee = Addressee.objects.get(report__reference="2022-0288", department__short_name="MPS")
    addressee.record_response(datetime.date(2022, 11, 1))
    smaller = as_csv(STATUS_HEADER, status_row(**{"Sent to": "Home Office", "Sent to count": "1"}))
    output = run(write(tmp_path, "s.csv", smaller))
    names = set(
        Addressee.objects.filter(report__reference="2022-0288").values_list(
            "department__short_name", flat=True
        )
    )
    assert names == {"HO", "MPS"}  # College of Policing removed; the police kept for its response
    assert "1 removed (1 no longer listed but kept" in output


def test_a_report_already_in_the_tracker_is_completed_not_duplicated(statuses_file):
    home_office = DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")
    seeded = ReportFactory(
        title="Regulation 28 report relating to the death of Harper Denton",
        deceased="Harper Denton",
        date_issued=None,
    )
    AddresseeFactory(report=seeded, department=home_office)
    by_name_and_date = ReportFactory(
        title="Report about Ann", deceased="Ann Mary Example", date_issued=datetime.date(2023, 10, 27)
    )
    RecommendationFactory(report=by_name_and_date, label="2", number=2, text="As the letter quoted it.")
    output = run(statuses_file)
    assert "0 created, 2 updated" in output
    assert (
        "Completed a report already in the tracker: Regulation 28 report relating to the death of Harper Denton"
        in output
    )
    seeded.refresh_from_db()
    assert (seeded.reference, seeded.date_issued, seeded.title) == (
        "2022-0288",
        datetime.date(2022, 9, 15),
        "Regulation 28 report relating to the death of Harper Denton",
    )
    assert seeded.addressees.count() == 3
    assert Report.objects.get(pk=by_name_and_date.pk).reference == "2023-0400"


def test_completing_by_reference(tmp_path):
    seeded = ReportFactory(reference="2023-0400", deceased="Someone Else Entirely")
    RecommendationFactory(report=seeded, label="2", number=2, text="As the letter quoted it.")
    run(write(tmp_path, "r.csv", as_csv(REPORTS_HEADER, scraped())))
    assert Report.objects.count() == 1
    seeded.refresh_from_db()
    assert seeded.source_url == f"{URL}ann-example/"
    # The concern the letter had is kept as recorded; the others are added.
    assert list(seeded.recommendations.order_by("number").values_list("label", "text")) == [
        ("1", "The ward had no policy."),
        ("2", "As the letter quoted it."),
    ]


def test_a_file_with_missing_columns_imports_nothing(tmp_path):
    header = [c for c in STATUS_HEADER if c != "Sent to"]
    with pytest.raises(CommandError, match="missing column Sent to"):
        run(write(tmp_path, "bad.csv", as_csv(header, status_row())))
    assert not Report.objects.exists()


def test_a_pfd_toolkit_export(tmp_path):
    text = (
        "url,id,date,coroner,area,receiver,concerns\n"
        + f'{URL}x/,2025-0207,2025-04-30,Alison Mutch,Manchester South,"NHS England; Flixton Road Medical Centre",\n'
    )
    assert "(toolkit format)" in run(write(tmp_path, "toolkit.csv", text))
    report = Report.objects.get()
    assert (report.reference, report.title) == ("2025-0207", "Prevention of Future Deaths report 2025-0207")
    assert report.addressees.count() == 2


def test_one_report_the_database_refuses_costs_only_itself(statuses_file, monkeypatch):
    refuse = importer._Writer._concerns

    def failing(self, batch, reports):
        if any(row.reference == "2022-0288" for row in batch):
            raise IntegrityError("refused for the test")
        return refuse(self, batch, reports)

    monkeypatch.setattr(importer._Writer, "_concerns", failing)
    with pytest.raises(CommandError, match="could not be saved"):
        run(statuses_file)
    assert list(Report.objects.values_list("reference", flat=True)) == ["2023-0400"]
    assert not Addressee.objects.filter(report__reference="2022-0288").exists()  # nothing of it stayed
    assert Recommendation.objects.count() == 0


def test_a_sample_of_years_lists_only_its_own_bad_rows(tmp_path):
    """`--year 2023` (as `make run` loads) imports and reports the 2023 rows only: a bad row of 2022 is outside
    the sample, a bad row of 2023 is listed, one whose year cannot be told is not."""
    path = write(
        tmp_path,
        "pdt-statuses-2025-07-24.csv",
        as_csv(
            STATUS_HEADER,
            status_row(),  # 2022, good: not in the sample
            status_row(URL=f"{URL}ann-example/", Ref="2023-0400", **{"Date of report": "27/10/2023"}),
            status_row(URL=f"{URL}bad-2023/", Ref="2023-0401", **{"Date of report": "4/22"}),
            status_row(URL=f"{URL}bad-2022/", Ref="2022-0500", **{"Date of report": "03/11 /2022"}),
            status_row(URL=f"{URL}no-ref/", Ref=""),
        ),
    )
    result = importer.import_file(path, years={2023})
    assert [str(bad.reference) for bad in result.bad_rows] == ["2023-0401"]
    assert result.created == 1
    assert list(Report.objects.values_list("reference", flat=True)) == ["2023-0400"]
