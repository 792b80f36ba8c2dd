import datetime

import pytest

from tracker.pfd.replies import attribute, read_reply_url

UPLOADS = "https://www.judiciary.uk/wp-content/uploads"


@pytest.mark.parametrize(
    "url, deceased, sender",
    [
        (f"{UPLOADS}/2023/12/2023-0128-Response-from-NHS-England.pdf", "", "NHS England"),
        (f"{UPLOADS}/2018/06/2018-0324-Response-by-HSE_Redacted.pdf", "", "HSE"),
        (
            f"{UPLOADS}/2021/12/2021-0344-Response-from-Leeds-and-York-Partnership-NHS-Foundation-Trust_Published.pdf",
            "",
            "Leeds and York Partnership NHS Foundation Trust",
        ),
        (
            f"{UPLOADS}/2017/02/2017-0440-Leicestershire-Partnership-NHS-Trust.pdf",
            "",
            "Leicestershire Partnership NHS Trust",
        ),
        (
            f"{UPLOADS}/2017/11/2017-0316-Response-by-HM-Prison-Probation-Services.2-1.pdf",
            "",
            "HM Prison Probation Services",
        ),
        (
            f"{UPLOADS}/2020/03/2020-0084-Response-from-Dept-of-Health-and-Social-Care-Redacted.pdf",
            "Vhari Ingall and Mary Johnson",
            "Dept of Health and Social Care",
        ),
        (f"{UPLOADS}/2016/01/Kevin-GILBERT-Response.pdf", "Kevin Gilbert", ""),
        (f"{UPLOADS}/2017/08/Joyce-PlestedR.pdf", "Joyce Plested", ""),
        (f"{UPLOADS}/2015/11/2015-0433-Response.pdf", "Someone", ""),
    ],
)
def test_the_sender_a_file_name_gives(url, deceased, sender):
    assert read_reply_url(url, deceased).sender == sender


def test_the_month_it_was_published_bounds_when_it_was_received():
    reply = read_reply_url(f"{UPLOADS}/2024/02/2023-0128-Response-from-NHS-England.pdf")
    assert reply.published_by == datetime.date(2024, 2, 29)
    assert read_reply_url("https://example.org/response.pdf").published_by is None


def test_the_report_itself_listed_among_the_responses_is_not_a_response():
    reply = read_reply_url(
        f"{UPLOADS}/2023/12/Jennifer-Whinney-Prevention-of-future-deaths-report-2023-0477_Published.pdf"
    )
    assert not reply.is_response


ADDRESSEES = [
    (1, ["Department of Health and Social Care", "DHSC", "Department of Health"]),
    (2, ["NHS England", "NHSE"]),
    (3, ["Barts Health NHS Trust"]),
    (4, ["North East London NHS Foundation Trust"]),
    (5, ["National Police Chiefs' Council", "NPCC"]),
    (6, ["College of Policing"]),
]


@pytest.mark.parametrize(
    "sender, expected",
    [
        ("NHS England", [2]),
        ("NHS Engalnd", [2]),
        ("Department of Health", [1]),
        ("Dept of Health and Social Care", [1]),
        ("Barts NHS Trust", [3]),
        ("NELFT NHS Foundation Trust", [4]),
        ("NELFT", [4]),
        ("NPCC and College of Policing", [5, 6]),
        ("Royal College of Nursing", []),
        ("", []),
    ],
)
def test_a_sender_is_matched_to_the_addressee_it_is(sender, expected):
    assert attribute(sender, ADDRESSEES) == expected


def test_a_sender_two_addressees_fit_equally_is_left_to_an_editor():
    assert attribute("Care Home", [(1, ["Oak Care Home"]), (2, ["Elm Care Home"])]) == []


def test_an_amended_report_listed_among_the_responses_is_not_a_response():
    amended = read_reply_url(
        f"{UPLOADS}/2018/07/Greg-Hutchins-2018-0129Amended_Redacted.pdf", "Greg Hutchins"
    )
    assert not amended.is_response
    response = read_reply_url(
        f"{UPLOADS}/2019/06/2019-0070-Amended-Response-from-Care-Quality-Commission-Redacted.pdf"
    )
    assert response.is_response and response.sender == "Care Quality Commission"


def test_a_sender_of_another_kind_is_not_an_addressee_sharing_a_place_name():
    trust = [(1, ["East Kent Hospitals University NHS Foundation Trust"]), (2, ["Forward Trust"])]
    assert attribute("Kent County Council", trust) == []
