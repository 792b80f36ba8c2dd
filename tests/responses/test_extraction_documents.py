"""Documents that are not letters: command papers, policy papers, GOV.UK pages (written for the tests in the
way such documents are printed; the real ones are scored in test_extraction_real_letters.py)."""

from datetime import date

import pytest

from responses.extraction import extract

COMMAND_PAPER = """Government Response to the Example Inquiry
CP 9999

Government Response to the Example Inquiry
Presented to Parliament
by the Lord Chancellor and Secretary of State for Justice
by Command of His Majesty
{date}
CP 9999

© Crown copyright 2025
This publication is licensed under the terms of the Open Government Licence v3.0 except where otherwise stated.

Introduction
The Government welcomes the Inquiry's report and has considered each of its recommendations carefully. {body}
"""


@pytest.mark.parametrize(
    ("printed", "expected", "precision"),
    [
        ("17 December 2024", date(2024, 12, 17), "day"),
        ("January 2026", date(2026, 1, 1), "month"),
    ],
)
def test_a_command_paper_is_dated_by_its_presentation_line(printed, expected, precision):
    result = extract(COMMAND_PAPER.format(date=printed, body="We will publish guidance."))
    assert (result.letter_date, result.letter_date_precision) == (expected, precision)
    assert result.to_schema()["letter_date_precision"] == precision


def test_a_command_paper_belongs_to_the_department_of_the_minister_who_presents_it():
    result = extract(COMMAND_PAPER.format(date="March 2025", body="We will publish guidance."))
    assert result.departments == ["Ministry of Justice"]
    assert result.signatories == [
        {"name": None, "role": "Lord Chancellor and Secretary of State for Justice"}
    ]
    assert not any("salutation" in w for w in result.warnings)


def test_a_relative_time_in_a_document_dated_by_month_counts_from_its_first_day_at_month_precision():
    body = "We will publish revised guidance within three months."
    result = extract(COMMAND_PAPER.format(date="January 2026", body=body))
    [promise] = result.commitments
    assert promise.due_latest == date(2026, 4, 1)
    assert promise.precision == "month"


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("Published 21 March 2024", date(2024, 3, 21)),
        ("Updated 5 November 2025", date(2025, 11, 5)),
        ("Published: 3 June 2023", date(2023, 6, 3)),
    ],
)
def test_a_gov_uk_page_is_dated_by_its_published_or_updated_line(cue, expected):
    text = (
        f"Policy paper\nGovernment response to the review of examples\n{cue}\nDepartment for Education\n\n"
        "Introduction\nThe government welcomes the review. We will publish new guidance for schools in the autumn.\n"
    )
    result = extract(text)
    assert result.letter_date == expected
    assert result.letter_date_precision == "day"
    assert result.departments == ["Department for Education"]


def test_a_logo_split_over_lines_names_the_department():
    text = (
        "Policy paper\nGovernment response to the review of examples\nPublished 2 May 2024\n"
        "Department\nof Health &\nSocial Care\n\nThe government welcomes the review. We will publish guidance.\n"
    )
    assert extract(text).departments == ["Department of Health and Social Care"]


def test_a_department_mentioned_in_passing_is_not_the_writer():
    text = (
        "Response to the Committee's report on examples\nMay 2024\n\n"
        "The Government welcomes the Committee's report. The Department of Health has invested in research, "
        "and the Home Office published its strategy last year. We will publish a plan by the end of 2024.\n"
    )
    result = extract(text)
    assert result.departments == []
    [promise] = result.commitments
    assert promise.department is None  # the owner is left for the editor, never guessed from a mention
    assert promise.due_latest == date(2024, 12, 31)
    assert any("no responding department" in w for w in result.warnings)


def test_a_heading_naming_the_writer_gives_the_department():
    text = (
        "Supplementary memorandum submitted by the Home Office\n\n"
        "1. The Home Office is grateful for the opportunity to provide further evidence. "
        "We will write to the Committee again by June 2025.\n"
    )
    assert extract(text).departments == ["Home Office"]


def test_a_letterhead_address_gives_the_department():
    text = (
        "102 Petty France\nLondon SW1H 9AJ\n\n4 March 2024\n\nDear Ms Example,\n\n"
        "Thank you for your letter. We will publish the review by the summer.\n\nYours sincerely,\n\nA Person\n"
    )
    assert extract(text).departments == ["Ministry of Justice"]


def test_a_former_name_in_the_letterhead_is_read_as_its_successor():
    text = (
        "Department for Children, Schools and Families\nSanctuary Buildings\n\n4 March 2009\n\nDear Ms Example,\n\n"
        "Thank you for your letter. We will publish the review by the summer.\n\nYours sincerely,\n\nA Person\n"
    )
    assert extract(text).departments == ["Department for Education"]


def test_commitments_are_found_when_no_department_is_recognised():
    text = "Thank you for your letter.\n\nWe will publish the revised code by 31 March 2025.\n"
    result = extract(text)
    assert result.departments == []
    assert [c.text for c in result.commitments] == ["We will publish the revised code by 31 March 2025"]
    assert result.commitments[0].department is None
