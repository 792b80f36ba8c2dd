"""Rules added for letters in styles the first test letters lacked (pure Python, no database).

Action tables flattened into text, public bodies acting for their department, joint-letter ownership by
paragraph, evaluative "will" sentences, time given in a clause that only delivers the promise before it,
PDF running headers without form feeds, deceased names with ranks, and quoted committee questions.
"""

import pytest

from responses.extraction import extract, normalise
from responses.extraction.commitments import clause_commits
from responses.extraction.departments import body_parent, matcher_for


def _letter(body: str, header: str = "Cabinet Office\n70 Whitehall\n\n16 June 2025") -> str:
    return f"{header}\n\nDear Dame Sue,\n\n{body}\n\nYours sincerely,\n\nPat McFadden MP\nChancellor of the Duchy of Lancaster\n"


def _by_text(result) -> dict:
    return {c.text: c for c in result.commitments}


# ------------------------------------------------------------------ action tables


TABLE = (
    "The actions we will take are set out in the table below.\n\n"
    "Action | Owner | Target date\n"
    "R1 Publish a revised risk methodology | Cabinet Office | Autumn 2025\n"
    "R2 Require resilience forums to publish exercise reports | MHCLG | 2026/27\n"
    "R3 Appoint a resilience officer for each region | MHCLG | Complete\n"
    "R4 Pilot a public risk dashboard | DSIT | TBC"
)


def test_each_table_row_is_a_commitment_with_its_own_owner_and_date():
    found = _by_text(extract(_letter(TABLE)))
    first = found["Publish a revised risk methodology"]
    assert (first.department, first.due_latest.isoformat()) == ("Cabinet Office", "2025-11-30")
    second = found["Require resilience forums to publish exercise reports"]
    assert second.department == "Ministry of Housing, Communities and Local Government"
    assert second.due_latest.isoformat() == "2027-03-31"
    assert second.concern_numbers == [2]
    assert found["Pilot a public risk dashboard"].precision == "vague"


def test_a_completed_row_and_the_signpost_to_the_table_are_not_commitments():
    texts = " | ".join(c.text for c in extract(_letter(TABLE)).commitments)
    assert "Appoint a resilience officer" not in texts
    assert "set out in the table below" not in texts


def test_pipe_separated_lines_without_an_action_header_are_not_read_as_a_table():
    body = "Region | Forums | Exercises\nNorth | 12 | 30\nSouth | 9 | 21\n\nWe will publish the figures in March 2026."
    texts = [c.text for c in extract(_letter(body)).commitments]
    assert texts == ["We will publish the figures in March 2026"]


# ------------------------------------------------------------------ public bodies and ownership


@pytest.mark.parametrize(
    "subject, parent",
    [
        ("The Army", "Ministry of Defence"),
        ("In the meantime, the Probation Service", "Ministry of Justice"),
        ("police forces", "Home Office"),
        ("The Environment Agency", "Department for Environment, Food and Rural Affairs"),
        ("The NHS Vaccination Strategy", None),
        ("The training programme", None),
    ],
)
def test_a_public_body_as_whole_subject_is_known_by_its_department(subject, parent):
    assert body_parent(subject) == parent


def test_a_body_acting_for_its_department_makes_a_promise_even_with_a_plain_verb():
    matcher = matcher_for(None)
    assert clause_commits("The Army will make the new assessment mandatory by December.", matcher) is not None
    assert clause_commits("The weather will make the assessment harder.", matcher) is None


JOINT = (
    "Home Office\n2 Marsham Street\n\nMinistry of Justice\n102 Petty France\n\n4 March 2025",
    "Matter of concern 1: the police did not know of the release.\n\n"
    "The Ministry of Justice accepts that information sharing must improve. The Probation Service will "
    "introduce a mandatory notification to the police by 30 September 2025. We will also evaluate the pilot.\n\n"
    "Matter of concern 2: protection orders were not sought.\n\n"
    "Responsibility for policing rests with the Home Office. We will issue revised guidance to all forces in "
    "the summer.",
)


def test_joint_letter_owner_follows_the_body_and_the_paragraph():
    body = JOINT[1]
    found = _by_text(extract(_letter(body, header=JOINT[0])))
    assert found[
        "The Probation Service will introduce a mandatory notification to the police by 30 September 2025"
    ].department == ("Ministry of Justice")
    assert found["We will also evaluate the pilot"].department == "Ministry of Justice"
    assert found["We will issue revised guidance to all forces in the summer"].department == "Home Office"


def test_another_department_named_as_actor_owns_the_promise():
    header = "Ministry of Housing, Communities and Local Government\n2 Marsham Street\n\n3 November 2025"
    body = "The Department for Education will work with us to set out how notification should operate."
    (commitment,) = extract(_letter(body, header=header)).commitments
    assert commitment.department == "Department for Education"


# ------------------------------------------------------------------ evaluative and stance sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "The training will provide staff with the confidence to act, as it has for the schools that already use it.",
        "The grant will provide £633 million to local authorities and is already being paid.",
        "The resilience action plan will ensure that these changes are embedded across government.",
        "The Academy will continue to operate under its charter.",
        "The Government will treat violence against women and girls as a national emergency.",
        "This new centre will put the experiences of victims, survivors and families at the heart of investigations.",
        "The actions we will take, and who owns them, are set out in the table below.",
    ],
)
def test_descriptions_summaries_and_stances_are_not_promises(sentence):
    assert clause_commits(sentence, matcher_for(None)) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "New national guidance will ensure services engage with fathers and male carers.",
        "We will continue to monitor compliance through the audit programme.",
        "The College of Policing will continue to update its guidance on stalking.",
        "We will provide the Committee with a progress report in the autumn.",
    ],
)
def test_real_promises_with_the_same_verbs_are_still_found(sentence):
    assert clause_commits(sentence, matcher_for(None)) is not None


# ------------------------------------------------------------------ timing given by a later clause


def test_a_clause_that_delivers_the_promise_gives_it_its_date():
    body = (
        "We intend to consult on a requirement for every school to hold spare auto-injectors, and we expect "
        "to launch that consultation in the spring."
    )
    result = extract(_letter(body, header="Department for Education\nSanctuary Buildings\n\n27 January 2026"))
    first = result.commitments[0]
    assert first.text.startswith("We intend to consult")
    assert first.due_latest.isoformat() == "2026-05-31"


def test_a_later_clause_that_only_says_when_things_are_ready_is_folded_into_the_promise():
    body = "UKHSA will commission video resources in ten languages, and we expect these to be available by the end of March 2026."
    result = extract(_letter(body, header="UK Health Security Agency\nCanary Wharf\n\n12 August 2025"))
    assert [(c.text[:30], c.due_latest.isoformat()) for c in result.commitments] == [
        ("UKHSA will commission video re", "2026-03-31")
    ]


def test_a_later_clause_with_a_new_act_does_not_date_the_first():
    body = (
        "We aim to make this training part of the induction for all supervisors, and we will write to every "
        "head teacher about it before the end of the summer term."
    )
    result = extract(_letter(body, header="Department for Education\nSanctuary Buildings\n\n27 January 2026"))
    aim, write = result.commitments
    assert aim.due_latest is None
    assert write.due_latest.isoformat() == "2026-07-31"


# ------------------------------------------------------------------ layout: running headers, names, questions


def test_running_header_next_to_page_marks_is_removed_even_mid_sentence():
    text = (
        "OFFICIAL\nAgency\n\n12 August 2025\n\nDear Ms Kearsley,\n\nFirst paragraph of the letter.\n\n"
        "OFFICIAL\nPage 2 of 3\nAgency - Response to Regulation 28 report\n\n"
        "We will commission community organisations to co-produce video\n"
        "OFFICIAL\nPage 3 of 3\nAgency - Response to Regulation 28 report\n"
        "resources in ten languages.\n"
    )
    out = normalise(text)
    assert "Response to Regulation 28 report" not in out
    assert "OFFICIAL" not in out
    assert "co-produce video resources in ten languages" in out


def test_one_page_mark_alone_removes_no_neighbouring_text():
    text = "Dear Ms Lane,\n\nA line of text.\nPage 2 of 3\nMatter of concern 3\n\nThe answer.\n"
    assert "Matter of concern 3" in normalise(text)


@pytest.mark.parametrize(
    "opening, deceased",
    [
        (
            "Regulation 28 Report: Private Thomas Alexander Reeve\n\nThank you for your report following the "
            "inquest into the death of Private Thomas Alexander Reeve.",
            "Thomas Alexander Reeve",
        ),
        (
            "Inquest into the death of Gemma Louise Whitcombe\n\nWe are writing jointly in response to your "
            "Prevention of Future Deaths report.",
            "Gemma Louise Whitcombe",
        ),
        (
            "Inquest into the death of Amara Joy Fenwick-Hale\n\nThank you for your Regulation 28 report "
            "following the inquest into the death of Amara Fenwick-Hale.",
            "Amara Joy Fenwick-Hale",
        ),
    ],
)
def test_deceased_name_without_rank_line_break_or_shortening(opening, deceased):
    result = extract(_letter(opening + " We will review the guidance."))
    assert [r["deceased"] for r in result.reports if r["type"] == "pfd"] == [deceased]


def test_quoted_committee_questions_are_unnumbered_concerns_not_promises():
    body = (
        "Thank you for your letter. You asked a number of questions, which I answer below.\n\n"
        '"Will the Home Office publish the outcome of its review by June?"\n\n'
        "The Home Office will publish its findings before the end of the year.\n\n"
        '"Please provide data on the number of arrests at protests in 2023."\n\n'
        "I will write to you with the data in the next three months."
    )
    result = extract(_letter(body, header="Home Office\n2 Marsham Street\n\n9 April 2024"))
    assert [c["text"] for c in result.concerns] == [
        "Will the Home Office publish the outcome of its review by June?",
        "Please provide data on the number of arrests at protests in 2023.",
    ]
    assert all("by June" not in c.text for c in result.commitments)


# ------------------------------------------------------------------ schedules, procedures, dated plan items


@pytest.mark.parametrize(
    "sentence, promise",
    [
        ("Installation of the new lights is scheduled for completion in December 2026.", True),
        ("The first quarterly publication is scheduled for July 2026.", True),
        ("The next edition is due in the spring.", True),
        ("If a claimant does not attend, the case will be referred to a decision maker.", False),
        ("Where sighting is inadequate, a temporary speed restriction will be imposed.", False),
        ("Once the review has concluded, the Authority will publish its findings.", True),
        ("Work coaches will always try to contact the claimant before a referral is made.", False),
        ("Football clubs will bear the cost of training their stewards, as they do now.", False),
        ("If the pilot succeeds, we will extend it to every region.", True),
    ],
)
def test_schedules_are_promises_and_procedures_are_not(sentence, promise):
    assert (clause_commits(sentence, matcher_for(None)) is not None) is promise


def test_action_plan_items_that_open_with_their_deadline():
    body = (
        "Our action plan is attached.\n\n"
        "- By September 2025: issue new instructions to all work coaches.\n"
        "- During 2026/27: evaluate whether the senior leader role should be extended.\n"
        "- Completed: refresher training for all staff.\n"
        "- Note: the plan will be kept under review."
    )
    header = "Department for Work and Pensions\nCaxton House\n\n14 July 2025"
    found = {
        c.text: c.due_latest.isoformat() if c.due_latest else None
        for c in extract(_letter(body, header)).commitments
    }
    assert found["issue new instructions to all work coaches"] == "2025-09-30"
    assert found["evaluate whether the senior leader role should be extended"] == "2027-03-31"
    assert not any("refresher training" in text for text in found)


def test_paragraph_numbers_are_not_part_of_a_commitment():
    body = "3.1 We will set out our response to this recommendation in the new year."
    header = "Department for Culture, Media and Sport\n100 Parliament Street\n\n1 December 2025"
    (commitment,) = extract(_letter(body, header)).commitments
    assert commitment.text == "We will set out our response to this recommendation in the new year"


def test_a_clause_timing_only_part_of_the_promise_does_not_date_all_of_it():
    body = (
        "Ministers have decided to fund 20 new partnerships, and the first of these will open in April 2026."
    )
    result = extract(_letter(body, header="Home Office\n2 Marsham Street\n\n18 November 2025"))
    fund, first = result.commitments
    assert fund.text.startswith("Ministers have decided to fund") and fund.due_latest is None
    assert first.due_latest.isoformat() == "2026-04-30"


@pytest.mark.parametrize(
    "sentence, promise",
    [
        ("We have decided to fund a further 20 partnerships.", True),
        ("The Minister had decided to fund it before the election.", False),
        ("It was decided to close the unit.", False),
    ],
)
def test_a_standing_decision_is_a_promise_and_a_past_one_is_not(sentence, promise):
    assert (clause_commits(sentence, matcher_for(None)) is not None) is promise


# ------------------------------------------------------------------ concerns written inline


def test_two_concerns_run_together_in_one_paragraph_are_two_concerns():
    body = (
        "Your report set out two concerns:\n\n"
        "Concern 1: children can still be served harmful content; and\n\n"
        "Concern 2: bereaved parents cannot easily obtain data.\n\n"
        "We will commission research into recommender systems."
    )
    result = extract(
        _letter(body, header="Department for Science, Innovation and Technology\n\n5 December 2025")
    )
    assert [(c["number"], c["text"]) for c in result.concerns] == [
        (1, "children can still be served harmful content"),
        (2, "bereaved parents cannot easily obtain data."),
    ]


def test_a_recommendation_answered_in_its_own_paragraph_links_its_promise():
    body = (
        "Recommendation 3: The Ministry should publish a capacity strategy within six months, covering every "
        "prison in England and Wales and the places needed for the remand population. The Government's "
        "response: Agreed. We will publish a ten-year capacity strategy by Summer 2026.\n\n"
        "Recommendation 8: HMPPS should guarantee eight hours out of cell for every prisoner in every local "
        "prison, including at weekends and on bank holidays, whatever the staffing position. The Government's "
        "response: Not agreed. We do not think such a guarantee could be delivered. HMPPS will, however, set a "
        "target for time out of cell from April 2026."
    )
    result = extract(_letter(body, header="Ministry of Justice\n102 Petty France\n\n10 March 2026"))
    assert sorted(c["number"] for c in result.concerns) == [3, 8]
    links = {c.text[:20]: c.concern_numbers for c in result.commitments}
    assert links == {"We will publish a te": [3], "HMPPS will, however,": [8]}


def test_a_quoted_question_under_a_numbered_heading_is_not_counted_twice():
    body = (
        "Recommendation 12\n\n"
        '"How will the Department ensure that teachers receive training in SEND?"\n\n'
        "We will add SEND to the initial teacher training framework from September 2026."
    )
    result = extract(_letter(body, header="Department for Education\nSanctuary Buildings\n\n3 June 2025"))
    assert [c["number"] for c in result.concerns] == [12]


def test_a_condition_before_an_active_promise_by_a_new_body_keeps_the_promise():
    assert clause_commits("If approved, the new Authority will open in 2027.", matcher_for(None)) is not None
