"""Which clauses are promises, who owns them, and when they are due."""

from datetime import date

import pytest

from responses.extraction import extract
from responses.extraction.commitments import clause_commits, split_clauses
from responses.extraction.departments import matcher_for


def _letter(body: str, header: str = "Department for Transport\nGreat Minster House\n\n6 March 2024") -> str:
    return f"{header}\n\nDear Dr Wood,\n\n{body}\n\nYours sincerely,\n\nMark Harper MP\nSecretary of State for Transport\n"


@pytest.mark.parametrize(
    "sentence",
    [
        "We will publish revised guidance on level crossing signage.",
        "I will write to you again once the consultation has closed.",
        "The Department will commission an independent review of the signalling standards.",
        "DfT shall lay the amending regulations before Parliament.",
        "Officials will meet the operator next month to agree a timetable.",
        "We intend to consult on changes to the Highway Code.",
        "The Government plans to bring forward legislation in the next session.",
        "I have committed to publishing the findings in full.",
        "The Minister has agreed to review the funding formula.",
        "I have asked the Rail Safety and Standards Board to examine the incident data.",
        "The final report is due to be published in the spring.",
        "The evaluation is expected to report in 2025.",
        "A public consultation is planned for later this year.",
        "The Government is introducing a statutory duty of candour for operators.",
        "Network Rail will install additional barriers at the crossing.",
        "The new guidance will be issued to every local authority.",
        "From June, drivers will be able to report defects online.",
        "It is our intention to update the guidance annually.",
        "The Safety Board will also be evaluating the pilot schemes.",
        "The Government remains committed to legislating for a duty of candour.",
        "We expect the new regulator to be operational by April 2026.",
    ],
)
def test_promises_are_found(sentence):
    assert clause_commits(sentence, matcher_for(None)) is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "We have published revised guidance on level crossing signage.",
        "The Department is developing new standards with the industry.",
        "We are committed to improving safety on the railways.",
        "It would be helpful if the operator shared its data.",
        "What steps will the Department take to improve safety?",
        "You will be aware that the standards were updated in 2021.",
        "There will be some overlap between the two programmes.",
        "This will enable operators to share data more easily.",
        "It will be important to learn from this case.",
        "Funding for the programme will increase by £20 million.",
        "It is for the operator to decide how the findings will be shared.",
        "We will not be taking this recommendation forward.",
        "The Department should review the signage standards.",
        "These changes will make a real difference to passengers.",
        "The Government's plans to modernise signalling were set out in 2022.",
        "Will Quince MP wrote to the Committee in May.",
        "We look forward to working with you on this important issue.",
        "The review found that the barriers had failed.",
        "Your report raised three concerns and I will respond to each in turn.",
        "I recognise that the Committee will wish to examine this closely.",
        "I expect all operators to comply with the standard.",
    ],
)
def test_descriptions_hedges_and_evaluations_are_not_promises(sentence):
    assert clause_commits(sentence, matcher_for(None)) is None


def test_two_promises_joined_by_and_are_split_with_their_own_dates():
    body = (
        "Network Rail will complete the upgrade of all automatic crossings by March 2025, and the Office of Rail "
        "and Road will inspect the work from April 2025."
    )
    result = extract(_letter(body))
    assert [c.text for c in result.commitments] == [
        "Network Rail will complete the upgrade of all automatic crossings by March 2025",
        "the Office of Rail and Road will inspect the work from April 2025",
    ]
    assert [c.due_latest for c in result.commitments] == [date(2025, 3, 31), date(2025, 4, 30)]


def test_clause_timing_the_previous_promise_is_not_split_off():
    body = "DfT will change the licensing system so that lapsed licences are flagged, and this change will be in place by the end of June."
    (commitment,) = extract(_letter(body)).commitments
    assert commitment.due_latest == date(2024, 6, 30)


def test_pronoun_clause_with_a_new_action_is_a_second_promise():
    body = "National Highways will install new signs this summer, and it will introduce a speed limit review in winter 2024/25."
    result = extract(_letter(body))
    assert [c.due_latest for c in result.commitments] == [date(2024, 8, 31), date(2025, 2, 28)]


def test_items_of_a_list_introduced_by_we_will_are_each_a_promise():
    body = (
        "We accept that more needs to be done. We will:\n\n- publish revised guidance by December 2024;\n\n"
        "- fund two pilot schemes during 2025/26; and\n\n- review the standard.\n\nWe have already written to operators."
    )
    result = extract(_letter(body))
    assert [c.text for c in result.commitments] == [
        "publish revised guidance by December 2024",
        "fund two pilot schemes during 2025/26",
        "review the standard",
    ]
    assert [c.due_latest for c in result.commitments] == [date(2024, 12, 31), date(2026, 3, 31), None]
    assert all(result.text[c.start : c.end] == c.text for c in result.commitments)


def test_a_list_after_a_description_is_not_a_list_of_promises():
    body = "Since 2022 we have:\n\n- published guidance;\n\n- funded two pilots."
    assert extract(_letter(body)).commitments == []


def test_coordination_without_a_new_subject_is_not_split():
    sentence = "We will review the standard and publish the results by the summer."
    assert split_clauses(sentence, matcher_for(None)) == [(0, len(sentence))]


def test_offsets_point_into_the_normalised_text():
    result = extract(
        _letter("Thank you for your report. We will publish the revised standard in the autumn.")
    )
    (commitment,) = result.commitments
    assert result.text[commitment.start : commitment.end] == commitment.text
    assert commitment.text == "We will publish the revised standard in the autumn"


def test_due_date_comes_from_the_deadline_resolver_with_the_letter_date():
    result = extract(_letter("We will publish the revised standard by the end of this year."))
    (commitment,) = result.commitments
    assert commitment.time_phrase is not None and "end of this year" in commitment.time_phrase
    assert commitment.due_latest == date(2024, 12, 31)


def test_a_past_date_before_the_promise_does_not_time_it():
    body = "Since the meeting on 14 January, officials have exchanged data with the operator and we will keep you informed."
    (commitment,) = extract(_letter(body)).commitments
    assert commitment.text == "we will keep you informed"
    assert commitment.due_latest is None


def test_opening_time_adverbial_times_the_promise():
    (commitment,) = extract(
        _letter("By September 2024, every operator will be required to publish its risk assessment.")
    ).commitments
    assert commitment.due_latest == date(2024, 9, 30)


def test_long_opening_adverbial_is_trimmed_from_the_commitment_text():
    body = "In order to make sure that the lessons from this tragic case are learned across the network, we will issue a safety alert."
    (commitment,) = extract(_letter(body)).commitments
    assert commitment.text == "we will issue a safety alert"


def test_undated_letter_keeps_relative_phrase_but_no_made_up_date():
    text = "Department for Transport\n\nDear Dr Wood,\n\nWe will publish the revised standard later this year.\n\nYours sincerely,\n\nA Person\n"
    result = extract(text)
    (commitment,) = result.commitments
    assert result.letter_date is None
    assert commitment.time_phrase is not None
    assert commitment.due_latest is None


def test_undated_letter_still_dates_absolute_phrases():
    text = "Department for Transport\n\nDear Dr Wood,\n\nWe will publish the revised standard by 31 March 2026.\n\nYours sincerely,\n\nA Person\n"
    (commitment,) = extract(text).commitments
    assert commitment.due_latest == date(2026, 3, 31)


def test_owner_is_always_a_responding_department():
    body = "National Highways will fund a new barrier. We will also write to every council. DfT will publish guidance."
    owners = [c.department for c in extract(_letter(body)).commitments]
    assert owners == ["Department for Transport"] * 3


def test_joint_letter_owner_is_the_first_responding_department_named_as_subject():
    header = "Department for Work and Pensions\nCaxton House\n\nDepartment of Health and Social Care\n39 Victoria Street\n\n6 March 2024"
    body = "DHSC and DWP have agreed to develop a referral route. NHS England will fund it, and DWP will evaluate it by 2026."
    result = extract(_letter(body, header=header))
    assert [c.department for c in result.commitments] == [
        "Department of Health and Social Care",
        "Department of Health and Social Care",
        "Department for Work and Pensions",
    ]


def test_joint_letter_owner_follows_the_section_department():
    header = "Department for Education\nSanctuary Buildings\n\nDepartment of Health and Social Care\n39 Victoria Street\n\n6 March 2024"
    body = (
        "Schools\n\nThe Department for Education leads on school attendance. We will publish new attendance guidance in the spring.\n\n"
        "Health services\n\nDHSC is responsible for children's mental health services. We will expand mental health support teams by 2025."
    )
    result = extract(_letter(body, header=header))
    assert [c.department for c in result.commitments] == [
        "Department for Education",
        "Department of Health and Social Care",
    ]


def test_commitments_answering_a_concern_section_are_linked_to_it():
    body = (
        "Matter of concern 2\n\nThe crossing had no warning lights.\n\nNetwork Rail will install warning lights by June 2024.\n\n"
        "Matter of concern 3\n\nSignage was unclear.\n\nWe will review the signage standard and in response to recommendation 7 we will consult the industry."
    )
    result = extract(_letter(body))
    assert [c.concern_numbers for c in result.commitments] == [[2], [3, 7]]


def test_extract_never_raises_on_odd_input():
    for text in [
        "",
        "   ",
        "\x00\x01\x02",
        "will will will",
        "Dear\n\nYours sincerely",
        "?" * 5000,
        "a" * 100000,
        None,
    ]:
        result = extract(text)
        assert result.to_schema()["commitments"] is not None


@pytest.mark.parametrize(
    ("follow_up", "due"),
    [
        ("This will be in the autumn.", date(2024, 11, 30)),
        ("These places will be available from January 2025.", date(2025, 1, 31)),
        ("This work will start in July.", date(2024, 7, 31)),
        ("We expect this to be in place by the end of June.", date(2024, 6, 30)),
    ],
)
def test_short_sentence_that_only_times_the_previous_promise_dates_it(follow_up, due):
    body = f"We will publish a national level crossing safety strategy. {follow_up} We have also met Network Rail."
    (commitment,) = extract(_letter(body)).commitments
    assert commitment.text == "We will publish a national level crossing safety strategy"
    assert commitment.due_latest == due


@pytest.mark.parametrize(
    "sentence",
    [
        "The Government has no plans to amend the Road Traffic Act.",
        "The Department currently has no plans to extend the scheme to freight operators.",
    ],
)
def test_denied_plans_are_not_promises(sentence):
    assert clause_commits(sentence, matcher_for(None)) is None


def test_promise_timed_by_an_event_does_not_take_the_date_of_a_later_clause():
    body = (
        "An independent review of the scheme will be commissioned once it has run for two full years, and its "
        "terms of reference will be published by the end of 2024."
    )
    result = extract(_letter(body))
    assert [c.due_latest for c in result.commitments] == [None, date(2024, 12, 31)]


def test_hedged_forecast_of_delivery_is_a_promise_with_its_date():
    body = (
        "Although it is not possible to give a firm date, we expect that the review of the signalling standards, "
        "which began last year, would conclude in the first half of 2025."
    )
    (commitment,) = extract(_letter(body)).commitments
    assert commitment.due_latest == date(2025, 6, 30)


def test_sentence_about_a_later_step_does_not_time_the_previous_promise():
    body = "We will write to all operators. This will be followed by new guidance in the spring."
    assert [c.due_latest for c in extract(_letter(body)).commitments] == [None]


@pytest.mark.parametrize(
    "sentence",
    [
        "The Committee said that the Department will need to publish a plan by June.",
        "Your report states that the Department will review the standard.",
    ],
)
def test_promises_reported_in_someone_elses_words_are_not_ours(sentence):
    assert clause_commits(sentence, matcher_for(None)) is None


def test_hedged_expectation_of_delivery_is_a_promise():
    assert (
        clause_commits("We would expect the review to conclude by the end of 2024.", matcher_for(None)) == 9
    )
