"""What PDF and Word export do to text, undone."""

from responses.extraction.normalise import normalise


def test_wrapped_lines_inside_a_paragraph_are_joined():
    lines = [
        "We will publish the revised guidance for probation practitioners working with",
        "people on licence by the end of March, and we will write to every chief officer",
        "to explain the changes before the guidance takes effect across England.",
        "",
        "A second paragraph follows here and it is long enough to be wrapped as well, so",
        "it is joined too.",
    ]
    text = normalise("\n".join(lines))
    paragraphs = text.strip().split("\n\n")
    assert len(paragraphs) == 2
    assert "working with people on licence" in paragraphs[0]
    assert "\n" not in paragraphs[0]


def test_address_blocks_keep_their_lines():
    text = normalise("Home Office\n2 Marsham Street\nLondon\nSW1P 4DF\n\n3 March 2024\n")
    assert "Home Office\n2 Marsham Street\nLondon\nSW1P 4DF" in text


def test_hyphenation_across_lines_is_mended_but_real_hyphens_stay():
    text = normalise(
        "The department has started a comprehen-\nsive programme of multi-\nagency training and a "
        "cross-\ngovernment review led by the Under-\nSecretary of State."
    )
    assert "comprehensive programme" in text
    assert "multi-agency training" in text
    assert "cross-government review" in text
    assert "Under-Secretary of State" in text


def test_hyphen_kept_when_the_hyphenated_form_appears_elsewhere():
    text = normalise(
        "A risk-based approach is used. We took a risk-\nbased view of every case in the region."
    )
    assert text.count("risk-based") == 2


def test_page_numbers_and_repeated_headers_and_footers_are_dropped():
    pages = []
    for number in range(1, 4):
        body = [f"Paragraph text on page {number} which says something about the response in question."]
        pages.append(
            "\n".join(
                ["OFFICIAL-SENSITIVE", "Response to PFD ref 2024-0113", "", *body, "", f"Page {number} of 3"]
            )
        )
    text = normalise("\f".join(pages))
    assert "OFFICIAL" not in text
    assert "Response to PFD" not in text
    assert "Page 2 of 3" not in text
    for number in range(1, 4):
        assert f"on page {number}" in text


def test_bare_page_numbers_at_page_edges_are_dropped():
    text = normalise("First page text ends here.\n\n- 1 -\f2\nSecond page text starts here.")
    assert "- 1 -" not in text
    assert "\n2\n" not in text
    assert "Second page text" in text


def test_sentence_broken_by_a_page_break_is_rejoined():
    text = normalise(
        "The Department will work with local authorities and health partners to make sure that the new\n\n"
        "multi-agency arrangements are in place before the winter."
    )
    assert "the new multi-agency arrangements" in text


def test_headings_are_not_merged_into_the_next_paragraph():
    text = normalise("Matter of concern two\n\nThe coroner found that the checks were missed.")
    assert text.split("\n\n")[0] == "Matter of concern two"


def test_bullet_glyphs_become_plain_list_items():
    text = normalise("We will:\n\u2022 publish guidance\n\u25aa train staff\n\uf0b7 report back")
    assert "- publish guidance" in text
    assert "- train staff" in text
    assert "- report back" in text
    assert "\u2022" not in text and "\uf0b7" not in text


def test_curly_quotes_dashes_ligatures_and_odd_spaces():
    text = normalise("\u201cWe\u2019ll \ufb01x it\u201d \u2013 the\u00a0Minister\u200b said.")
    assert text.strip() == '"We\'ll fix it" - the Minister said.'


def test_bold_markup_question_is_not_merged_with_the_answer():
    text = normalise(
        "**What plans, if any, does the Government have to review the monitoring of institutional responses?**\n\n"
        "The Government takes all inquiry reports very seriously and carefully considers their findings."
    )
    assert len(text.strip().split("\n\n")) == 2


def test_normalise_is_idempotent():
    raw = "Some  text with\u00a0odd spacing and a hyphen-\nated word.\n\n\nAnother paragraph."
    once = normalise(raw)
    assert normalise(once) == once


def test_page_marks_inside_a_text_file_are_dropped_and_the_sentence_rejoined():
    text = normalise(
        "We have asked the Prison Service to carry out a thematic review of segre-\n"
        "                                   - 1 -\n"
        "gation units in privately managed prisons before the end of the year.\n"
    )
    assert "thematic review of segregation units in privately managed prisons" in text
    assert "- 1 -" not in text
