"""Documents that wrap the government's reply (responses/extraction/layout.py): a committee's Special Report
printing the response as an appendix, and a covering letter with the response appended after its signature.
The government's part is what is read; the committee's preface gives no date, department or promise."""

from responses.extraction import extract

SPECIAL_REPORT = """House of Commons
Education Committee

Children's Social Care: Government Response to the Committee's Fourth Report

Fifth Special Report of Session 2024-25

Published on 20 March 2025 by authority of the House of Commons

The Education Committee published its Fourth Report of Session 2024-25, Children's Social Care, on 14 January
2025. The Government's response was received on 10 March 2025 and is appended to this report. The Committee
will consider the response at its next meeting and the Department for Transport gave evidence to it earlier.

Appendix: Government Response

The Government welcomes the Committee's report and is grateful for its careful consideration of children's social
care. We respond to each of the Committee's recommendations below.

Recommendation 1: The Department should publish a national workforce strategy for children's social workers.

The Government accepts this recommendation. The Department for Education will publish a national workforce
strategy for children's social workers by December 2025.

Recommendation 2: The Department should review the funding formula for local authorities.

The Government accepts this recommendation in principle. We will consult on changes to the funding formula in
the spring.
"""


def test_a_special_reports_preface_is_not_the_governments_text():
    result = extract(SPECIAL_REPORT).to_schema()
    texts = [c["text"] for c in result["commitments"]]
    assert not any("Committee will consider the response" in t for t in texts)
    assert any("publish a national workforce strategy" in t for t in texts)
    assert any("consult on changes to the funding formula" in t for t in texts)


def test_a_special_reports_date_and_departments_are_not_read_from_the_preface():
    result = extract(SPECIAL_REPORT).to_schema()
    assert "Department for Transport" not in result["departments"]
    # The reply's date is when the committee received it, not the day the committee published its report.
    assert result["letter_date"] == "2025-03-10"


def test_an_appendix_heading_wrapped_onto_two_lines_still_opens_the_reply():
    wrapped = SPECIAL_REPORT.replace("Appendix: Government Response", "Appendix: Government\nResponse")
    result = extract(wrapped).to_schema()
    assert result["letter_date"] == "2025-03-10"
    assert not any("Committee will consider" in c["text"] for c in result["commitments"])


def test_a_responses_own_annex_of_answers_is_not_a_wrapping_report():
    # No "Special Report" or "response was received" before it: the annex is part of the government's text.
    text = SPECIAL_REPORT.split("Appendix: Government Response")[1]
    text = (
        "Government Response to the Review of Children's Social Care\n\nPublished 3 March 2025\n\n"
        "We will publish a national action plan for foster care by June 2025, working with local authorities.\n\n"
        "Annex A: Government response to the recommendations\n" + text
    )
    result = extract(text).to_schema()
    assert result["letter_date"] == "2025-03-03"
    assert any("national action plan for foster care" in c["text"] for c in result["commitments"])


def test_positions_and_sections_are_read_inside_the_appendix():
    result = extract(SPECIAL_REPORT).to_schema()
    assert {c["number"]: c["position"] for c in result["concerns"]} == {
        1: "accepted",
        2: "accepted_in_principle",
    }
    by_text = {c["text"][:30]: c["concerns"] for c in result["commitments"]}
    assert by_text["The Department for Education w"] == [1]


COVERING_LETTER = """Department of Health and Social Care
39 Victoria Street
London SW1H 0EU

12 February 2025

Dear Chair,

I enclose the Government's response to the Committee's report on community pharmacy, which I hope the Committee
will find helpful.

Yours sincerely,

Jane Example MP
Minister of State for Care

Annex: Government response to the Health and Social Care Committee's report on community pharmacy

The Government welcomes the Committee's report on community pharmacy and agrees that pharmacies play a vital role
in the health service. We set out our response to each recommendation below.

Recommendation 1: The Department should publish a pharmacy workforce plan.

The Government accepts this recommendation. We will publish a pharmacy workforce plan by the end of 2025, and NHS
England will expand the pharmacy training programme from April 2025.
"""


def test_a_response_appended_after_a_covering_letters_signature_is_read():
    result = extract(COVERING_LETTER).to_schema()
    texts = [c["text"] for c in result["commitments"]]
    assert any("publish a pharmacy workforce plan" in t for t in texts)
    assert result["letter_date"] == "2025-02-12"
    assert result["departments"] == ["Department of Health and Social Care"]


def test_the_covering_letters_signatory_is_still_found():
    result = extract(COVERING_LETTER).to_schema()
    assert result["signatories"] == [{"name": "Jane Example", "role": "Minister of State for Care"}]


def test_a_short_note_after_the_signature_is_not_an_appended_response():
    letter = COVERING_LETTER.split("Annex:")[0] + "\ncc: Clerk of the Committee\n"
    result = extract(letter).to_schema()
    assert result["signatories"][0]["role"] == "Minister of State for Care"
    assert result["commitments"] == []
