"""The five real PFD reports (fixtures/pfd/reports/, as published on judiciary.uk): every field read, checked
against the documents themselves and against their rows in the Preventable Deaths Tracker's files.

The expected values were read off the documents by hand. Where a CSV row is wrong, the test says so and holds
the document's value: the scrape calls the Priory Group 'The Priority Group' and lost Amy Henderson's concern
number 2; the status export dropped the Priory from Amy Henderson's addressees and names Spire Hospital for
Peter Lawrence's report, which says it needs no response from the hospital.
"""

import csv
import datetime
from pathlib import Path

import pytest
from django.conf import settings

from tracker.pfd.concerns import split_concerns
from tracker.pfd.names import addressee_name
from tracker.pfd.report_pdf import parse_report, read_report

CORPUS = Path(settings.BASE_DIR) / "fixtures" / "pfd"
D = datetime.date

EXPECTED = {
    "Amy_Henderson.pdf": {
        "ref": "2023-0129",
        "deceased": "Amy Henderson",
        "date_issued": D(2023, 4, 21),
        "coroner": "Caroline Topping",
        "coroner_role": "Assistant coroner",
        "area": "Surrey",
        "organisations": ["The Priory Group", "NHS England"],
        "stated_deadline": D(2023, 6, 16),
        "concerns": ["1", "2"],
        "first_concern_starts": "The information that Miss Henderson had practised tying a ligature",
    },
    "Chris_Evans.pdf": {
        "ref": "2023-0132",
        "deceased": "Christopher Evans",
        "date_issued": D(2023, 4, 24),  # the signature's year is unreadable: 56 days before 19 June 2023
        "coroner": "Peter Harrowing",
        "coroner_role": "Area coroner",
        "area": "Avon",
        "organisations": [
            "Department of Health and Social Care",
            "Care Quality Commission",
            "Supported Independence Limited",
        ],
        "stated_deadline": D(2023, 6, 19),
        "concerns": ["1", "2", "3", "4", "5", "6"],
        "first_concern_starts": "Mr. Evans resided in supported accommodation",
    },
    "Jodie_McCann.pdf": {
        "ref": "2023-0131",
        "deceased": "Jodie Catherine McCann",
        "date_issued": D(2023, 4, 20),
        "coroner": "Elizabeth Didcock",
        "coroner_role": "Assistant coroner",
        "area": "Nottinghamshire",
        "organisations": ["University Hospitals of Derby and Burton NHS Foundation Trust"],
        "stated_deadline": D(2023, 6, 16),
        "concerns": ["1", "2", "3", "4"],  # four bullets, numbered by their place
        "first_concern_starts": "There is limited evidence to date for the introduction",
    },
    "Joseph_Maunick.pdf": {
        "ref": "2023-0128",
        "deceased": "Joseph Willy Maunick",
        "date_issued": D(2023, 4, 20),
        "coroner": "Peter Taheri",
        "coroner_role": "Assistant coroner",
        "area": "Suffolk",
        "organisations": ["Department of Health and Social Care", "NHS England"],
        "stated_deadline": D(2023, 6, 15),
        "concerns": ["1", "2"],
        "first_concern_starts": "A national care shortage contributed",
    },
    "Peter_Lawrence.pdf": {
        "ref": "2023-0130",
        "deceased": "Peter William Frederick Lawrence",
        "date_issued": D(2023, 4, 21),
        "coroner": "Heidi J. Connor",
        "coroner_role": "Senior coroner",
        "area": "Berkshire",
        "organisations": ["Consultant trauma and orthopaedics surgeon"],  # a named surgeon, redacted
        "stated_deadline": D(2023, 6, 16),
        "concerns": [""],  # one concern, not numbered
        "first_concern_starts": "The issue about which I have concern is clear.",
    },
}


def _row(path, ref, column):
    with open(CORPUS / path, encoding="utf-8") as f:
        return next(r for r in csv.DictReader(f) if r[column] == ref)


def first_and_last(name):
    words = [
        w.strip(".").lower()
        for w in name.split()
        if w.strip(".").lower() not in {"mr", "mrs", "ms", "miss", "dr"}
    ]
    return words[0], words[-1]


@pytest.fixture(scope="module")
def reports():
    return {name: read_report((CORPUS / "reports" / name).read_bytes(), name) for name in EXPECTED}


@pytest.mark.parametrize("name", EXPECTED)
def test_every_field_of_a_real_report(reports, name):
    report, expected = reports[name], EXPECTED[name]
    assert report.deceased == expected["deceased"]
    assert report.date_issued == expected["date_issued"]
    assert (report.coroner, report.coroner_role, report.area) == (
        expected["coroner"],
        expected["coroner_role"],
        expected["area"],
    )
    assert [addressee_name(a).name for a in report.addressees] == expected["organisations"]
    assert report.stated_deadline == expected["stated_deadline"]
    assert [c.label for c in report.concerns] == expected["concerns"]
    assert report.concerns[0].text.startswith(expected["first_concern_starts"])
    # judiciary.uk numbers reports when it publishes them; these documents do not carry the number.
    assert report.reference == ""


@pytest.mark.parametrize("name", EXPECTED)
def test_the_fields_agree_with_the_reports_csv_row(reports, name):
    report, expected = reports[name], EXPECTED[name]
    row = _row("pdt-reports-2024-02-11.csv", expected["ref"], "ref")
    assert report.date_issued.strftime("%d/%m/%Y") == row["date_of_report"]
    assert first_and_last(report.deceased) == first_and_last(row["deceased_name"])
    assert first_and_last(report.coroner) == first_and_last(row["coroner_name"])
    assert report.area == row["coroner_area"]
    assert (
        f"{report.stated_deadline.day}" in row["response"]
        and report.stated_deadline.strftime("%B %Y") in row["response"]
    )
    status = _row("pdt-statuses-2025-07-24.csv", expected["ref"], "Ref")
    assert first_and_last(report.deceased) == first_and_last(status["Deceased name"])


def test_the_csv_concerns_split_the_same_way_as_the_documents():
    # Joseph Maunick: the scrape kept the whole section; both give concerns 1 and 2 with the same opening.
    row = _row("pdt-reports-2024-02-11.csv", "2023-0128", "ref")
    from_csv = split_concerns(row["concerns"])
    # The scrape lost the '2)' of the second concern: the CSV gives one concern numbered 1, holding both.
    assert [c.label for c in from_csv] == ["1"]
    assert from_csv[0].text.startswith(EXPECTED["Joseph_Maunick.pdf"]["first_concern_starts"])
    assert "The severe pressures on the hospital" in from_csv[0].text
    # Jodie McCann: the document's four bullets; the scrape's text splits into the same four.
    mccann = split_concerns(_row("pdt-reports-2024-02-11.csv", "2023-0131", "ref")["concerns"])
    assert [c.label for c in mccann] == EXPECTED["Jodie_McCann.pdf"]["concerns"]
    assert mccann[0].text.startswith(EXPECTED["Jodie_McCann.pdf"]["first_concern_starts"])


def test_a_reference_in_the_file_name_is_read():
    report = parse_report(
        "THIS REPORT IS BEING SENT TO:\n1. NHS England\n1 CORONER\nI am A Person, senior coroner for the coroner area of Kent.",
        "Jennifer-Whinney-Prevention-of-future-deaths-report-2023-0477_Published.pdf",
    )
    assert report.reference == "2023-0477"
    assert report.addressees == ["NHS England"] and report.area == "Kent"
