"""The responding department and the letter date in the layouts real correspondence is published in.

Each test is one class of layout (written here in the way such pages print, not copied from a scored
document): a heading naming the writer, a written ministerial statement's heading or "made by" line, a
committee's report printing the Government's reply, a date standing after the signature or at the foot of a
web page, a letter dated only by its month. A department mentioned in passing is never taken for the writer.
"""

from datetime import date

import pytest

from responses.extraction import extract
from responses.extraction.dates import date_line, month_line, weekday_date
from responses.extraction.departments import heading_writer, matcher_for

BODY = (
    "Thank you for your letter about the Committee's report. We have considered its recommendations "
    "carefully and will write to the Committee again by the end of March with our full response."
)


@pytest.mark.parametrize(
    ("heading", "department"),
    [
        (
            "Letter to the Chairman from Jane Example MP, Minister of State, Cabinet Office",
            "Cabinet Office",
        ),
        (
            "Letter to the Clerk of the Committee from the Permanent Secretary, the Ministry of Defence",
            "Ministry of Defence",
        ),
        ("Further written evidence from H M Treasury", "HM Treasury"),
        ("Supplementary memorandum submitted by the Home Office", "Home Office"),
        ("Letter from the Department of Social Security to the Clerk", "Department for Work and Pensions"),
        # Only a minister's title: the title table gives the department.
        (
            "Letter to the Chair of the Committee from the Minister for Europe",
            "Foreign, Commonwealth and Development Office",
        ),
        ("Letter from the Chief Secretary to the Treasury", "HM Treasury"),
        (
            "Department for Environment, Food and Rural Affairs- Supplementary written evidence (ABC0001)",
            "Department for Environment, Food and Rural Affairs",
        ),
        (
            "HM Government Department for Transport - Written evidence (XYZ0042)",
            "Department for Transport",
        ),
    ],
)
def test_a_heading_naming_the_writer_gives_the_department(heading, department):
    result = extract(
        f"Select Committee on Example Matters First Report\n\n{heading}\n\n{BODY}\n\n3 March 2005\n"
    )
    assert result.departments == [department]


def test_a_heading_wrapped_before_its_from_part_is_read_as_one():
    text = (
        "Letter to the Chairman of the Committee\nfrom the Minister for Europe, Foreign and Commonwealth Office\n\n"
        f"{BODY}\n\nA N Other MP\n26 May 2008\n"
    )
    assert extract(text).departments == ["Foreign, Commonwealth and Development Office"]


@pytest.mark.parametrize(
    "heading",
    [
        # The addressee, not the writer.
        "Letter from the Chair of the Committee to the Home Secretary",
        "Letter to the Foreign Secretary from the Chairman",
        # A department named in a heading that does not say who wrote the text.
        "The Home Office and the future of policing",
    ],
)
def test_a_department_named_otherwise_in_a_heading_is_not_the_writer(heading):
    matcher = matcher_for(None)
    assert heading_writer([heading], matcher) == []


def test_the_writers_part_ends_where_the_addressee_starts():
    matcher = matcher_for(None)
    assert heading_writer(["Letter from the Home Office to the Chair of the Justice Committee"], matcher) == [
        "Home Office"
    ]


@pytest.mark.parametrize(
    ("lines", "department"),
    [
        (
            "HC Deb 06 May 2004 vol 420 c88WS\n"
            "The Parliamentary Under-Secretary of State for Constitutional Affairs (Mr. A Example)",
            "Ministry of Justice",
        ),
        ("Written statement HCWS999\nMade by: Lord Example (Minister of State, Home Office)", "Home Office"),
        (
            "Example Review: Government Response\nMain Page: Jane Example (Labour - Exampleton)"
            "Department Debates - View all Jane Example's debates with the Cabinet Office",
            "Cabinet Office",
        ),
    ],
)
def test_a_written_statement_names_its_minister_in_its_heading(lines, department):
    text = f"{lines}\n\nToday I am publishing the Government's response to the Committee's report. {BODY}\n"
    assert extract(text).departments == [department]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("HC Deb 06 May 2004 vol 420 c88WS", date(2004, 5, 6)),
        ("HL Deb 12 January 2010 vol 716 cWS1", date(2010, 1, 12)),
        ("Statement made on 13 November 2023", date(2023, 11, 13)),
    ],
)
def test_a_written_statement_is_dated_by_its_reference_or_made_on_line(line, expected):
    text = f"{line}\nThe Minister for Example Affairs (Ms Jane Example)\n\n{BODY}\n"
    assert extract(text).letter_date == expected


REPORT_PREFACE = """Example Affairs Committee
Example policy: Government Response
First Special Report of Session 2024-25

The Example Affairs Committee is appointed by the House of Commons to
examine the expenditure, administration, and policy of the {department} and
its associated public bodies.

First Special Report
The Committee published its Second Report on 14 April 2025. The Government response was received on
18 June 2025, and is appended below.

Appendix: Government Response
{body}
"""


def test_a_committee_report_printing_the_reply_is_answered_by_the_department_it_shadows():
    text = REPORT_PREFACE.format(department="Department for Transport", body=BODY)
    assert extract(text).departments == ["Department for Transport"]


def test_a_committee_report_without_a_government_response_names_no_department():
    text = (
        REPORT_PREFACE.format(department="Department for Transport", body=BODY)
        .replace("Government Response", "Report")
        .replace("Government response", "report")
    )
    assert extract(text).departments == []


def test_a_department_mentioned_in_passing_is_not_the_writer():
    text = (
        "Letter from Jane Example to the Clerk of the Committee\n\n"
        "This is a Department of Health responsibility but I understand that they are working on a response. "
        f"{BODY}\n\n15 December 2000\n"
    )
    assert extract(text).departments == []


@pytest.mark.parametrize(
    ("foot", "expected", "precision"),
    [
        ("A N Other\n15 December 2000\n\nprevious page contents next pag", date(2000, 12, 15), "day"),
        ("10 November 2003 previous page contents", date(2003, 11, 10), "day"),
        ("June 2000\n\nprevious page contents", date(2000, 6, 1), "month"),
    ],
)
def test_a_date_at_the_foot_of_a_published_letter_dates_it(foot, expected, precision):
    text = f"Letter from the Cabinet Office to the Clerk of the Committee\n\n{BODY}\n\n{foot}\n"
    result = extract(text)
    assert (result.letter_date, result.letter_date_precision) == (expected, precision)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("15 December 2000", date(2000, 12, 15)),
        ("Date: 2 May 2023", date(2023, 5, 2)),
        ("Tuesday 4 June 2013", date(2013, 6, 4)),
        ("9 November 2000 previous page contents next page", date(2000, 11, 9)),
        ("Prepared 29th June 2011", None),
        ("The Committee met on 15 May 2008", None),
    ],
)
def test_date_line(line, expected):
    assert date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 2000", date(2000, 6, 1)),
        ("June 2000 previous page contents", date(2000, 6, 1)),
        ("in June 2000", None),
    ],
)
def test_month_line(line, expected):
    assert month_line(line) == expected


def test_a_month_in_the_text_is_not_the_letters_date():
    text = f"Letter from the Cabinet Office to the Clerk of the Committee\n\n{BODY} The review reports in June 2000.\n"
    assert extract(text).letter_date is None


FOREWORD = """The Government Response to the Example Review
Version 2.0 - {stamp}
FINAL DRAFT

Ministerial Foreword
The Example Review published its report on 15th May 2013 and we warmly welcome it. The Department for
Transport and the Home Office gave evidence to the review, and we thank them.
This document sets out the Government's response, and we accept all of the review's recommendations.
{names}
{titles}

Introduction
1. We will publish a national data strategy by the end of the year.
"""


@pytest.mark.parametrize(
    ("names", "titles", "expected"),
    [
        (
            "Jane Example John Example",
            "Minister for the Cabinet Office Minister for Skills",
            # Skills was a portfolio of BIS in 2013 (the Department for Business and Trade's predecessor).
            ["Cabinet Office", "Department for Business and Trade"],
        ),
        ("Rt Hon Jane Example MP", "Secretary of State for Transport", ["Department for Transport"]),
        ("Jane Example", "Lord Chancellor and Secretary of State for Justice", ["Ministry of Justice"]),
    ],
)
def test_a_forewords_signature_block_names_the_writing_departments(names, titles, expected):
    text = FOREWORD.format(stamp="Tuesday 4th June", names=names, titles=titles)
    result = extract(text)
    assert result.letter_date == date(2013, 6, 4)
    assert result.departments == expected


def test_titles_under_a_line_that_is_not_names_are_not_signers():
    text = FOREWORD.format(
        stamp="Tuesday 4th June",
        names="We have written to the ministers concerned.",
        titles="Minister for Skills",
    )
    assert extract(text).departments == []


@pytest.mark.parametrize(
    ("line", "context", "expected"),
    [
        ("Version 6.1 - Tuesday 4th June", "published on 15th May 2013", date(2013, 6, 4)),
        ("Wednesday 4 June", "in 2013 and 2014", date(2014, 6, 4)),  # 2014 is the year 4 June was a Wednesday
        ("Monday 4 June", "in 2013", None),  # no year the front mentions fits
        ("Tuesday 4 June 2013", "2013", None),  # a full date is read as such, elsewhere
    ],
)
def test_weekday_date(line, context, expected):
    assert weekday_date(line, context) == expected


def test_a_letterhead_from_a_ministers_title_gives_the_department():
    text = f"From the Parliamentary Under-Secretary of State for Roads\n\n{BODY}\n\n2 May 2023\n"
    assert extract(text).departments == ["Department for Transport"]
