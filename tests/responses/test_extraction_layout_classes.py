"""Layout classes of real responses (responses/extraction/normalise.py, sections.py): text with no blank lines
between paragraphs, numbered paragraphs, headings over prose, one word a line, running chapter titles,
recommendation boxes followed by their answers. Each test is a small snippet written the way the class is
printed or copied, not one document's sentence."""

from responses.extraction import extract
from responses.extraction.normalise import normalise


def _paragraphs(text):
    return normalise(text).strip().split("\n\n")


def _commitments(text):
    return [c["text"] for c in extract(text).to_schema()["commitments"]]


WEB_TEXT = (
    "Department for Education\n"
    "Dear Chair,\n"
    "Thank you for your letter of 3 March about school attendance and for the Committee's report on it.\n"
    "We will publish new attendance guidance for schools by September 2025.\n"
    "The Department has already written to every local authority about the changes to the register.\n"
    "We will also review the fines regime and report to the Committee by the end of the year.\n"
    "Yours sincerely,\n"
    "Jane Minister\n"
)


def test_web_text_with_single_line_breaks_gives_one_paragraph_a_line():
    paragraphs = _paragraphs(WEB_TEXT)
    assert "We will publish new attendance guidance for schools by September 2025." in paragraphs
    assert any(p.startswith("Yours sincerely,") for p in paragraphs)


def test_web_text_yields_its_promises():
    found = _commitments("14 March 2025\n" + WEB_TEXT)
    assert any("publish new attendance guidance" in text for text in found)
    assert any("review the fines regime" in text for text in found)
    assert not any("already written" in text for text in found)


def test_numbered_paragraphs_of_a_pdf_page_with_no_blank_lines_are_separate():
    page = (
        "15. This response sets out how the government will strengthen resilience across the\n"
        "country and increase preparedness against a range of risks, working with partners.\n"
        "16. We are working to improve evacuation plans. Later in 2025, we will lay new\n"
        "secondary legislation on residential personal emergency evacuation plans for all\n"
        "high-rise residential buildings in England.\n"
        "17. We are committed to delivering meaningful change as quickly as possible, and we\n"
        "will publish a progress update every year.\n"
    )
    paragraphs = _paragraphs(page)
    assert [p[:3] for p in paragraphs] == ["15.", "16.", "17."]
    assert "we will lay new secondary legislation" in paragraphs[1]


def test_a_heading_above_prose_is_its_own_paragraph_and_an_address_block_is_not_split():
    text = (
        "Home Office\n2 Marsham Street\nLondon SW1P 4DF\n\n"
        "Getting buildings fixed\n"
        "We are working to go further to end the cladding crisis which is taking its toll on the lives\n"
        "of people across the country, and we will publish an update on remediation in summer 2025.\n"
    )
    paragraphs = _paragraphs(text)
    assert paragraphs[0] == "Home Office\n2 Marsham Street\nLondon SW1P 4DF"
    assert paragraphs[1] == "Getting buildings fixed"
    assert paragraphs[2].startswith("We are working to go further")


def test_text_set_one_word_a_line_reads_as_running_text():
    sentence = "The Department will publish revised guidance on safe staffing by March 2026 ."
    text = "\n".join(sentence.replace(" .", ".").split())
    assert normalise(text).strip() == sentence.replace(" .", ".")


def test_a_chapters_running_title_at_page_tops_is_dropped_after_its_first_copy():
    # Chapter 2 runs over four of ten pages: too few for a header of the whole document, but its title heads
    # each of its pages. The first copy is the chapter's heading.
    titles = ["Chapter 1: Introduction"] * 3 + ["Chapter 2: Action taken since 2017"] * 4 + ["Annex A"] * 3
    pages = [
        f"{n}\n{title}\nParagraph {n} of the document says what was done in that year and since then."
        for n, title in enumerate(titles, 1)
    ]
    text = normalise("\f".join(pages))
    assert text.count("Chapter 2: Action taken since 2017") == 1
    assert text.count("Chapter 1: Introduction") == 1
    for n in range(1, 11):
        assert f"Paragraph {n} of the document" in text


BOXED = (
    "Government Response to the Example Inquiry Phase 2 Report\n\n"
    "Presented to Parliament by the Secretary of State by Command of His Majesty\nFebruary 2025\n\n"
    "The government accepts all of the Inquiry's findings and sets out below its response to each of the\n"
    "recommendations, using the paragraph numbers from the report.\n"
    "Recommendation 1: That the government draw together under a single regulator all the functions\n"
    "relating to the construction industry to which we have referred. (113.6)\n"
    "The government accepts this recommendation in principle.\n"
    "We will publish a consultation on the design of the single regulator later this year before bringing\n"
    "forward the necessary legislation to establish it.\n"
    "Recommendation 2: That the definition of a higher-risk building be reviewed urgently. (113.7)\n"
    "The government accepts this recommendation.\n"
    "The Building Safety Regulator has conducted an initial review of the definition. Plans for an ongoing\n"
    "review will be set out in summer 2025.\n"
    "Chapter 2: Action taken since 2017\n"
    "Significant reforms have been made since 2017, and we will publish a further update on remediation\n"
    "in summer 2025 setting out our next steps.\n"
)


def test_a_recommendation_box_and_its_answer_are_paired():
    result = extract(BOXED).to_schema()
    positions = {c["number"]: c["position"] for c in result["concerns"]}
    assert positions == {1: "accepted_in_principle", 2: "accepted"}
    sections = {c["text"].split(" on the ")[0]: c["concerns"] for c in result["commitments"]}
    assert sections["We will publish a consultation"] == [1]
    assert sections["Plans for an ongoing review will be set out in summer 2025"] == [2]


def test_a_new_chapter_ends_the_last_recommendations_answer():
    result = extract(BOXED).to_schema()
    later = [c for c in result["commitments"] if "further update on remediation" in c["text"]]
    assert later and later[0]["concerns"] == []


def test_a_document_numbering_its_own_paragraphs_is_not_a_list_of_concerns():
    paragraphs = [
        f"{n}. The review's recommendations on public data were considered in paragraph {n} of this response."
        for n in range(1, 30)
    ]
    paragraphs[27] = (
        "28. The Shareholder Executive working with the Treasury will report on progress in the Autumn."
    )
    text = (
        "Government Response to the Review of Public Sector Information\n\nPublished 4 June 2013\n\n"
        "The Government welcomes the review and responds to its recommendations below.\n\n"
        + "\n".join(paragraphs)
    )
    result = extract(text).to_schema()
    assert result["concerns"] == []
    assert any("will report on progress in the Autumn" in c["text"] for c in result["commitments"])


def test_a_response_label_after_the_recommendations_last_line_starts_the_answer():
    text = (
        "Recommendation 1\n\n"
        "NHS England should establish a programme of work, co-produced with experts by experience and key\n"
        "national, regional and local leaders, to agree how to make sure that providers are measuring what\n"
        "matters, and consider what enablers are needed to support a reduced data burden at all levels\n"
        "Government response to recommendation 1\n"
        "The government supports this recommendation and NHS England will update on progress as part of the\n"
        "steering group by early 2024.\n"
    )
    paragraphs = _paragraphs(text)
    assert any(p.startswith("Government response to recommendation 1") for p in paragraphs)
    assert not any("at all levels Government response" in p for p in paragraphs)


def test_a_recommendation_named_inside_a_wrapped_sentence_is_not_a_label():
    text = (
        "The forthcoming Tier 1 pandemic exercise (described in the response to\n"
        "Recommendation 6) will test the new plans, and the findings will be published after it.\n"
    )
    paragraphs = _paragraphs(text)
    assert len(paragraphs) == 1
    assert "in the response to Recommendation 6) will test" in paragraphs[0]
