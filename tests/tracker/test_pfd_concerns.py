from tracker.pfd.concerns import concerns_section, split_concerns

PREAMBLE = (
    "During the course of the inquest the evidence revealed matters giving rise to concern. In my opinion there "
    "is a risk that future deaths will occur unless action is taken. In the circumstances it is my statutory "
    "duty to report to you.\n \n"
)


def test_numbered_concerns_at_the_start_of_lines():
    text = PREAMBLE + (
        "The MATTERS OF CONCERN are as follows. –\n"
        "1.     Demands on the Emergency Department meant a long wait;\n \n"
        "2.     There was a shortage of consultants. The inquest heard that 56 days. were not enough.\n"
        "3.     CT scans were not reported promptly.\n"
    )
    concerns = split_concerns(text)
    assert [(c.label, c.number) for c in concerns] == [("1", 1), ("2", 2), ("3", 3)]
    assert concerns[0].text == "Demands on the Emergency Department meant a long wait"
    assert concerns[1].text.startswith("There was a shortage") and "56 days" in concerns[1].text


def test_sub_points_stay_inside_their_concern():
    text = (
        "The MATTERS OF CONCERN are as follows:\n"
        "1. The trust has no policy on:\n(a) observations;\n(b) handover.\n"
        "2. Staff were not trained.\n"
    )
    concerns = split_concerns(text)
    assert [c.label for c in concerns] == ["1", "2"]
    assert "(a) observations" in concerns[0].text and "(b) handover" in concerns[0].text


def test_lettered_and_inline_numbering():
    lettered = "MATTERS OF CONCERN\na) First thing.\nb) Second thing.\n"
    assert [c.label for c in split_concerns(lettered)] == ["a", "b"]
    inline = (
        "The MATTERS OF CONCERN are as follows. (1) The ward was short of staff. (2) The alarm was silenced."
    )
    assert [(c.label, c.text) for c in split_concerns(inline)] == [
        ("1", "The ward was short of staff."),
        ("2", "The alarm was silenced."),
    ]


def test_an_unnumbered_concern_is_one_concern_without_a_label():
    text = (
        PREAMBLE
        + "The MATTER OF CONCERN is as follows.\n \nEating disorders are increasingly prevalent and staff may not recognise them."
    )
    (concern,) = split_concerns(text)
    assert concern.label == "" and concern.text.startswith("Eating disorders")


def test_boilerplate_or_a_fragment_is_no_concern():
    assert split_concerns(PREAMBLE) == []
    assert (
        split_concerns(PREAMBLE + "The MATTERS OF CONCERN are as follows.\n \nSecretary of State for ") == []
    )
    assert split_concerns("") == []


def test_the_section_ends_where_the_next_one_starts():
    text = "The MATTERS OF CONCERN are as follows.\n1. One.\n2. Two.\n6 ACTION SHOULD BE TAKEN\nIn my opinion action should be taken.\n1. Not a concern."
    assert concerns_section(text).endswith("2. Two.")
    assert [c.text for c in split_concerns(text)] == ["One.", "Two."]
