import csv
import datetime
import io

import pytest

from tracker.pfd import rows

STATUS_HEADER = [
    "Status",
    "Date added",
    "Date of report",
    "Ref",
    "Deceased name",
    "Coroner name",
    "Coroner area",
    "Category",
    "Sent to",
    "Sent to count",
    "Replies count",
    "URL",
]
REPORTS_HEADER = [
    "date_of_report",
    "ref",
    "deceased_name",
    "coroner_name",
    "coroner_area",
    "category",
    "this_report_is_being_sent_to",
    "report_url",
    "pdf_url",
    "reply_urls",
    "circumstances",
    "concerns",
    "inquest",
    "action",
    "response",
    "legal",
]


def as_csv(header, *records):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for record in records:
        writer.writerow([record.get(column, "") for column in header])
    return out.getvalue()


def status_row(**values):
    row = {
        "Status": "partial",
        "Date added": "06/10/2022",
        "Date of report": "15/09/2022",
        "Ref": "2022-0288",
        "Deceased name": "Harper Denton",
        "Coroner name": "Mrs Emma Elizabeth Whitting",
        "Coroner area": "Bedfordshire and Luton",
        "Category": "Child Death (from 2015) | Other related deaths",
        "Sent to": "Metropolitan Police Service | College of Policing | Home Office",
        "Sent to count": "3",
        "Replies count": "2",
        "URL": "https://www.judiciary.uk/prevention-of-future-death-reports/harper-denton/",
    }
    row.update(values)
    return row


def test_a_status_export_row():
    format_name, parsed, bad = rows.read_rows(as_csv(STATUS_HEADER, status_row()))
    assert format_name == rows.STATUSES and bad == []
    (row,) = parsed
    assert row.row == 2
    assert row.reference == "2022-0288"
    assert row.date_issued == datetime.date(2022, 9, 15)
    assert row.addressees == ["Metropolitan Police Service", "College of Policing", "Home Office"]
    assert row.categories == ["Child Death (from 2015)", "Other related deaths"]
    assert (row.pdt_status, row.replies_count, row.sent_to_count) == ("partial", 2, 3)
    assert row.date_added == datetime.date(2022, 10, 6)
    assert row.area == "Bedfordshire and Luton" and row.coroner == "Mrs Emma Elizabeth Whitting"


def test_a_scraped_row_with_responses_concerns_and_a_stated_date():
    record = {
        "date_of_report": "27 October 2023",
        "ref": "2023-0400",
        "deceased_name": "A Person",
        "coroner_name": "A Coroner",
        "coroner_area": "Avon",
        "category": "Suicide (from 2015)",
        "this_report_is_being_sent_to": "Department of Health and Social Care; NHS England",
        "report_url": "https://www.judiciary.uk/prevention-of-future-death-reports/a-person/",
        "pdf_url": "https://www.judiciary.uk/wp-content/uploads/2023/10/A-Person-PFD.pdf",
        "reply_urls": "https://www.judiciary.uk/wp-content/uploads/2023/12/2023-0400-Response-from-NHS-England.pdf | ",
        "concerns": "The MATTERS OF CONCERN are as follows.\n1. First.\n2. Second.",
        "response": "... within 56 days of the date of this report, namely by Friday 22nd December. I may extend",
    }
    format_name, (row,), bad = rows.read_rows(as_csv(REPORTS_HEADER, record))
    assert format_name == rows.REPORTS and bad == []
    assert row.addressees == ["Department of Health and Social Care", "NHS England"]
    assert row.reply_urls == [record["reply_urls"].split(" |")[0]]
    assert row.stated_deadline == datetime.date(2023, 12, 22)
    assert row.pdf_url.endswith("A-Person-PFD.pdf")
    assert "1. First." in row.concerns_text


@pytest.mark.parametrize(
    "header",
    [
        ["url", "id", "date", "coroner", "area", "receiver", "investigation", "circumstances", "concerns"],
        [
            "URL",
            "ID",
            "Date",
            "CoronerName",
            "Area",
            "Receiver",
            "InvestigationAndInquest",
            "CircumstancesOfDeath",
            "MattersOfConcern",
        ],
    ],
)
def test_pfd_toolkit_exports_old_and_new_column_names(header):
    values = [
        "https://www.judiciary.uk/pfd/x/",
        "2025-0207",
        "2025-04-30",
        "Alison Mutch",
        "Manchester South",
        "Flixton Road Medical Centre; NHS England",
        "On 1st October",
        "She was",
        "The MATTERS OF CONCERN",
    ]
    text = ",".join(header) + "\n" + ",".join(f'"{v}"' for v in values) + "\n"
    format_name, (row,), bad = rows.read_rows(text)
    assert format_name == rows.TOOLKIT and bad == []
    assert row.date_issued == datetime.date(2025, 4, 30)
    assert row.addressees == ["Flixton Road Medical Centre", "NHS England"]
    assert row.deceased == "" and row.reference == "2025-0207"


def test_each_bad_row_is_reported_with_its_number_and_reason_and_the_others_read():
    text = as_csv(
        STATUS_HEADER,
        status_row(URL="https://x/1"),
        status_row(URL="https://x/2", Ref=""),
        status_row(URL="https://x/3", **{"Sent to": ""}),
        status_row(URL="https://x/4", **{"Date of report": "4/22"}),
        status_row(URL="https://x/5", **{"Date of report": "03/11 /2022"}),
        status_row(URL="https://x/1", Ref="2022-0999"),
        status_row(URL="https://x/7", Ref="2016 – 287"),
    )
    _, parsed, bad = rows.read_rows(text)
    assert [r.url for r in parsed] == ["https://x/1", "https://x/7"]
    assert parsed[1].reference == "2016-0287"
    assert [(b.row, b.reason) for b in bad] == [
        (3, "no reference"),
        (4, "no addressee"),
        (5, "report date: '4/22' is not a date of the form DD/MM/YYYY"),
        (6, "report date: '03/11 /2022' is not a date of the form DD/MM/YYYY"),
        (7, "the same report (URL) as row 2"),
    ]
    assert str(bad[2]) == "row 5 (2022-0288): report date: '4/22' is not a date of the form DD/MM/YYYY"


def test_a_file_with_missing_columns_is_refused_naming_them():
    header = [c for c in STATUS_HEADER if c not in ("Ref", "Sent to")]
    with pytest.raises(rows.MissingColumns) as refused:
        rows.read_rows(as_csv(header, {}))
    assert refused.value.missing == ["Ref", "Sent to"]
    assert "Ref, Sent to" in str(refused.value) and "Nothing was imported" in str(refused.value)


def test_an_empty_file_is_refused():
    with pytest.raises(rows.MissingColumns):
        rows.read_rows("")


def test_a_report_dated_after_it_was_published_is_kept_with_a_warning():
    _, (row,), _ = rows.read_rows(
        as_csv(STATUS_HEADER, status_row(**{"Date of report": "17/12/2025", "Date added": "13/02/2025"}))
    )
    assert row.date_issued == datetime.date(2025, 12, 17)
    assert "after it was published" in row.warnings[0]


def test_the_fingerprint_changes_with_the_content_only():
    _, (a,), _ = rows.read_rows(as_csv(STATUS_HEADER, status_row()))
    _, (b,), _ = rows.read_rows("\n" + as_csv(STATUS_HEADER, status_row()))
    _, (c,), _ = rows.read_rows(as_csv(STATUS_HEADER, status_row(**{"Replies count": "3"})))
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()
