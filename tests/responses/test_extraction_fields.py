"""Letter date, departments, signatories, addressee, reports and concerns, on letters written for the tests."""

from datetime import date

import pytest

from responses.extraction import extract
from responses.extraction.departments import DepartmentMatcher, matcher_for


def _letter(
    header: str, body: str, signoff: str = "Yours sincerely,\n\nJane Doe MP\nMinister for Schools"
) -> str:
    return f"{header}\n\nDear Ms Example,\n\n{body}\n\n{signoff}\n"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("3 March 2024", date(2024, 3, 3)),
        ("3rd March 2024", date(2024, 3, 3)),
        ("March 3, 2024", date(2024, 3, 3)),
        ("03/03/2024", date(2024, 3, 3)),
        ("2024-03-03", date(2024, 3, 3)),
        ("Date: 3 Mar 2024", date(2024, 3, 3)),
        ("Sunday, 3 March 2024", date(2024, 3, 3)),
        ("3rd March, 2024", date(2024, 3, 3)),
        ("12/11/2023", date(2023, 11, 12)),  # UK order: day first
    ],
)
def test_letter_date_formats(written, expected):
    text = _letter(
        f"Department for Education\nSanctuary Buildings\n\n{written}",
        "Thank you for your letter of 2 January 2024.",
    )
    assert extract(text).letter_date == expected


def test_letter_date_is_not_taken_from_the_body():
    text = _letter(
        "Department for Education\nSanctuary Buildings",
        "Thank you for your letter of 2 January 2024 about attendance.",
    )
    result = extract(text)
    assert result.letter_date is None
    assert any("date" in warning for warning in result.warnings)


def test_date_beside_signature_is_used_when_header_has_none():
    text = _letter(
        "Department for Education",
        "Thank you for your letter.",
        "Yours sincerely,\n\nJane Doe MP\nMinister for Schools\n\n14 June 2023",
    )
    assert extract(text).letter_date == date(2023, 6, 14)


@pytest.mark.parametrize(
    "spelling",
    [
        "Department for Health and Social Care",
        "Department of Health & Social Care",
        "DHSC",
        "Department\nof Health &\nSocial Care",
    ],
)
def test_department_spellings_are_canonicalised(spelling):
    text = _letter(
        f"{spelling}\n39 Victoria Street\n\n1 May 2024",
        "Thank you for your report.",
        "Yours sincerely,\n\nA Person",
    )
    assert extract(text).departments == ["Department of Health and Social Care"]


def test_departments_mentioned_only_in_the_body_are_not_responding_departments():
    text = _letter(
        "Ministry of Justice\n102 Petty France\n\n1 May 2024",
        "We have discussed your report with the Home Office, DHSC and NHS England, who agree with our approach.",
        "Yours sincerely,\n\nEdward Argar MP\nMinister of State for Justice",
    )
    assert extract(text).departments == ["Ministry of Justice"]


def test_department_from_a_signatory_role_when_there_is_no_letterhead():
    text = _letter(
        "1 May 2024",
        "Thank you for your report.",
        "Yours sincerely,\n\nRt Hon Alex Smith MP\nSecretary of State for Transport",
    )
    assert extract(text).departments == ["Department for Transport"]


def test_joint_letter_collects_every_department():
    text = _letter(
        "Department for Work and Pensions\nCaxton House\n\nHome Office\n2 Marsham Street\n\n1 May 2024",
        "We are writing jointly in reply to your review.",
        "Yours sincerely,\n\nAnne Brown MP\nMinister for Employment\n\nBen Green MP\nMinister for Policing\n\nCara White MP\nMinister for Children and Families",
    )
    assert extract(text).departments == [
        "Department for Work and Pensions",
        "Home Office",
        "Department for Education",
    ]


def test_departments_parameter_replaces_the_fixture_table():
    rows = [("Scottish Government", "SG", ["Riaghaltas na h-Alba"])]
    text = _letter(
        "Riaghaltas na h-Alba\nSt Andrew's House\n\n2 May 2024", "Thank you.", "Yours sincerely,\n\nA Person"
    )
    assert extract(text, departments=rows).departments == ["Scottish Government"]


def test_matcher_does_not_mistake_acts_for_departments():
    matcher = matcher_for(None)
    assert matcher.find("the Health and Social Care Act 2022 requires") == []
    assert matcher.canonical("Department for Health & Social Care") == "Department of Health and Social Care"


def test_matcher_acronyms_are_case_sensitive():
    matcher = DepartmentMatcher([("Department of Health and Social Care", "DHSC", ["DH"])])
    assert matcher.find("the dh team") == []
    assert matcher.find("DH officials")[0][0] == "Department of Health and Social Care"


def test_signatories_with_wrapped_roles_and_postnominals():
    signoff = (
        "Yours sincerely,\n\nRt Hon Sarah Jones MP\n\nMinister of State for Patient\nSafety and Primary Care\n\n"
        "Lord Hanson of Flint\nParliamentary Under-\nSecretary of State for Policing"
    )
    result = extract(_letter("Department of Health and Social Care\n\n1 May 2024", "Thank you.", signoff))
    assert result.signatories == [
        {"name": "Sarah Jones", "role": "Minister of State for Patient Safety and Primary Care"},
        {"name": "Lord Hanson of Flint", "role": "Parliamentary Under-Secretary of State for Policing"},
    ]


def test_official_signing_without_a_name():
    signoff = "Yours faithfully,\n\nDirector, Prison Safety Group\nHM Prison and Probation Service\n102 Petty France"
    result = extract(_letter("Ministry of Justice\n\n1 May 2024", "Thank you.", signoff))
    assert result.signatories == [{"name": None, "role": "Director, Prison Safety Group"}]


def test_addressee_block_with_coroner_title_before_the_name():
    header = "Ministry of Justice\n\nHis Majesty's Senior Coroner Mr Graham Lewis\nSenior Coroner for West Sussex\nThe Law Courts\n12 High Street\n\n1 May 2024"
    text = f"{header}\n\nDear Mr Lewis,\n\nThank you for your report.\n\nYours sincerely,\n\nA Person\n"
    assert extract(text).addressee == {
        "name": "Graham Lewis",
        "role": "His Majesty's Senior Coroner, Senior Coroner for West Sussex",
    }


def test_pfd_report_deceased_and_report_date():
    body = (
        "Thank you for your Regulation 28 report dated 9 October 2023 following the inquest into the death of "
        "Aaliyah Rose Brennan-Clarke. I was very sorry to learn of her death."
    )
    result = extract(_letter("Department for Transport\n\n2 December 2023", body))
    assert result.reports == [
        {
            "type": "pfd",
            "title": "Regulation 28 report dated 9 October 2023 following the inquest into the death of Aaliyah Rose Brennan-Clarke",
            "deceased": "Aaliyah Rose Brennan-Clarke",
            "report_date": "2023-10-09",
        }
    ]


def test_pfd_report_with_two_deceased():
    body = "Thank you for the Prevention of Future Deaths report concerning the deaths of Amir Hassan and Leah Morgan."
    deceased = [r["deceased"] for r in extract(_letter("Home Office\n\n2 December 2023", body)).reports]
    assert deceased == ["Amir Hassan", "Leah Morgan"]


def test_national_review_and_inquiry_titles():
    body = (
        "Thank you for the Panel's national review 'Safeguarding children with disabilities in residential settings' "
        "and for your work on the Independent Inquiry into Child Sexual Abuse (IICSA)."
    )
    reports = extract(_letter("Department for Education\n\n2 December 2023", body)).reports
    assert {
        "type": "national_review",
        "title": "Safeguarding children with disabilities in residential settings",
        "deceased": None,
        "report_date": None,
    } in reports
    assert {
        "type": "inquiry",
        "title": "Independent Inquiry into Child Sexual Abuse (IICSA)",
        "deceased": None,
        "report_date": None,
    } in reports


def test_committee_letter_is_a_report_with_its_date():
    header = "HM Treasury\n\nDame Meg Hillier MP\nChair, Treasury Committee\nHouse of Commons\n\n4 March 2025"
    text = f"{header}\n\nDear Dame Meg,\n\nThank you for your letter of 11 February 2025 about the Budget.\n\nYours sincerely,\n\nA Person\n"
    reports = extract(text).reports
    assert reports == [
        {
            "type": "committee",
            "title": "Treasury Committee letter of 11 February 2025",
            "deceased": None,
            "report_date": "2025-02-11",
        }
    ]


@pytest.mark.parametrize(
    ("body", "numbers", "kind"),
    [
        (
            "The report raised the following concern:\n\n(3) Staff were not trained in restraint.\n\nWe have reviewed training.",
            {3},
            "concern",
        ),
        (
            "Matter of concern five\n\nThe ward was understaffed at night.\n\nWe have responded as follows.",
            {5},
            "concern",
        ),
        ("Matter of Concern 9\n\nRecords were not shared.\n\nWe accept this.", {9}, "concern"),
        (
            "Recommendation 4: The Department should issue guidance.\n\nWe accept this recommendation.",
            {4},
            "recommendation",
        ),
        ("Concern 2: The alarm was not tested.\n\nThe alarm is now tested weekly.", {2}, "concern"),
        (
            "You raised these matters of concern:\n\n1. Beds were unavailable.\n\n2. Handover was poor.\n\nWe respond below.",
            {1, 2},
            "concern",
        ),
        ("Our response focuses on concerns three and six.", {3, 6}, "concern"),
        (
            "The review made these recommendations:\n\n1. Train staff.\n\n2. Audit records.\n\nWe accept both.",
            {1, 2},
            "recommendation",
        ),
    ],
)
def test_numbered_concerns_however_written(body, numbers, kind):
    result = extract(_letter("Department of Health and Social Care\n\n1 May 2024", body))
    found = {c["number"] for c in result.concerns if c["number"] is not None}
    assert found == numbers
    assert all(c["kind"] == kind for c in result.concerns if c["number"] is not None)


def test_numbered_paragraphs_without_a_concern_introduction_are_not_concerns():
    body = "1. Thank you for your letter.\n\n2. We have considered it carefully and set out our reply."
    assert extract(_letter("Home Office\n\n1 May 2024", body)).concerns == []


def test_quoted_concern_text_is_not_taken_for_a_commitment():
    body = "Matter of concern 1\n\nThe trust will not be able to recruit enough staff.\n\nWe will fund 40 new posts by April 2025."
    result = extract(_letter("Department of Health and Social Care\n\n1 May 2024", body))
    assert [c.text for c in result.commitments] == ["We will fund 40 new posts by April 2025"]
    assert result.commitments[0].concern_numbers == [1]


def test_signature_block_in_capitals():
    signoff = "Yours sincerely,\n\nLILIAN GREENWOOD MP\nPARLIAMENTARY UNDER-SECRETARY OF STATE FOR THE FUTURE OF ROADS"
    result = extract(_letter("1 May 2024", "Thank you.", signoff))
    assert result.signatories == [
        {"name": "Lilian Greenwood", "role": "Parliamentary Under-Secretary of State for the Future of Roads"}
    ]
    assert result.departments == ["Department for Transport"]


def test_addressee_whose_surname_looks_like_a_street():
    header = "Department for Transport\n\nMrs Rebecca Lane\nHM Assistant Coroner for Cornwall\nCoroner's Office\nPydar Street\n\n1 May 2024"
    text = f"{header}\n\nDear Mrs Lane,\n\nThank you for your report.\n\nYours sincerely,\n\nA Person\n"
    assert extract(text).addressee == {"name": "Rebecca Lane", "role": "HM Assistant Coroner for Cornwall"}


def test_concern_list_items_answered_in_turn():
    body = (
        "Your report raised two matters of concern. I will respond to each in turn.\n\n"
        "1. The barrier was unlit.\n\nWe will publish a lighting standard by March 2025.\n\n"
        "2. Collisions were not reported.\n\nWe will make reporting mandatory from October 2025."
    )
    result = extract(_letter("Department for Transport\n\n1 May 2024", body))
    assert [c["number"] for c in result.concerns] == [1, 2]
    assert [c.concern_numbers for c in result.commitments] == [[1], [2]]


def test_committee_report_title_and_publication_date():
    body = 'Thank you for the Committee\'s report, "Tackling persistent absence in schools", published on 15 May 2025.'
    reports = extract(_letter("Department for Education\n\n1 July 2025", body)).reports
    assert reports == [
        {
            "type": "committee",
            "title": "Tackling persistent absence in schools",
            "deceased": None,
            "report_date": "2025-05-15",
        }
    ]


def test_pfd_report_date_from_when_it_was_sent():
    body = (
        "Thank you for your report to prevent future deaths following the inquest into the death of Oliver James Kent, "
        "which you sent to the Department on 8 October 2025."
    )
    (report,) = extract(
        _letter("Department for Science, Innovation and Technology\n\n1 December 2025", body)
    ).reports
    assert (report["deceased"], report["report_date"]) == ("Oliver James Kent", "2025-10-08")


def test_concerns_numbered_within_one_sentence_are_each_found():
    body = (
        "Your report raised concerns that (1) the screening on arrival did not identify the risk of self-harm, "
        "and (2) information held by the contractor was not passed to staff.\n\nWe will revise the guidance."
    )
    result = extract(_letter("Home Office\n\n1 May 2024", body))
    assert [(c["number"], c["text"]) for c in result.concerns] == [
        (1, "the screening on arrival did not identify the risk of self-harm"),
        (2, "information held by the contractor was not passed to staff"),
    ]
