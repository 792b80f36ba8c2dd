import datetime

import pytest

from tracker.pfd.dates import BadDate, parse_date, stated_response_date

D = datetime.date


@pytest.mark.parametrize(
    "written, expected",
    [
        ("21 April 2023", D(2023, 4, 21)),
        ("21/04/2023", D(2023, 4, 21)),
        ("1/7/2022", D(2022, 7, 1)),
        ("01/07/22", D(2022, 7, 1)),
        ("17\u00a0 November 2017", D(2017, 11, 17)),
        ("14 December\u00a0 2016 ", D(2016, 12, 14)),
        ("15 August2016", D(2016, 8, 15)),
        ("2023-04-21", D(2023, 4, 21)),
        ("April 19, 2023", D(2023, 4, 19)),
        ("4th March 2024", D(2024, 3, 4)),
    ],
)
def test_dates_the_files_write(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize(
    "written, reason",
    [
        ("4/22", "not a date of the form DD/MM/YYYY"),
        ("03/11 /2022", "not a date of the form DD/MM/YYYY"),
        ("31/02/2023", "not a real date"),
        ("", "no date"),
        ("sometime in 2023", "not a date this importer reads"),
    ],
)
def test_dates_that_are_not_certain_are_refused_with_the_reason(written, reason):
    with pytest.raises(BadDate, match=reason):
        parse_date(written)


REPORTED = D(2023, 10, 27)


@pytest.mark.parametrize(
    "response, expected",
    [
        (
            "You are under a duty to respond ... within 56 days of the date of this report, namely by 22 December 2023. I, the coroner, may extend the period.",
            D(2023, 12, 22),
        ),
        ("... namely by 22nd December 2023.", D(2023, 12, 22)),
        ("... namely by December 22, 2023. I, the coroner", D(2023, 12, 22)),
        ("... namely by Friday 22nd December. I, the coroner, may extend", D(2023, 12, 22)),
        ("... namely by 5 January. I may extend", D(2024, 1, 5)),
        ("... namely by 22/12/2023.", D(2023, 12, 22)),
    ],
)
def test_the_namely_by_date(response, expected):
    assert stated_response_date(response, REPORTED) == expected


def test_no_stated_date_or_an_impossible_one_gives_none():
    assert stated_response_date("You must respond within 56 days.", REPORTED) is None
    assert stated_response_date("", REPORTED) is None
    # Before the report, or years after it: a typing error, the 56 days apply.
    assert stated_response_date("namely by 1 January 2023", REPORTED) is None
    assert stated_response_date("namely by 1 January 2026", REPORTED) is None
