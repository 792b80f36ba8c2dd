"""Which recommendation (or matter of concern) each paragraph of a response answers.

A numbered concern (heading, labelled paragraph or list item) followed by prose answers that concern until the
next one, or until the document moves on: a new chapter, part, annex or appendix, or a closing section
("Conclusion", "Next steps"). A response that answers the recommendations in its first chapter and then restates
its plans by theme ("Chapter 2: Action taken since 2017") places those later promises under no recommendation.
"""

import re

from .layout import Layout

SECTION_END = re.compile(
    r"^(?:Chapter|Part|Section|Annex|Annexe|Appendix)\s+[0-9IVXA-Z]{1,4}\b[^.\n]{0,100}$"
    r"|^(?:Conclusions?|Next\s+steps|Summary|Background|Introduction|Other\s+matters|Glossary|Annex(?:e|es)?)\s*$",
    re.IGNORECASE,
)


def _ends_section(text: str) -> bool:
    first_line = text.strip().strip("*_").split("\n", 1)[0].strip()
    return bool(SECTION_END.match(first_line))


def concern_sections(layout: Layout, marks) -> dict[int, list[int]]:
    """Paragraph index -> concern numbers it answers.

    A numbered concern (heading, labelled paragraph or list item) followed by prose answers that concern
    until the next one or the end of its part of the document; a block of numbered items listed together says
    nothing about what follows.
    """
    numbered = {m.paragraph: m.number for m in marks if m.number is not None and not m.inline}
    quoted = {m.paragraph for m in marks if m.quoted}
    # "Recommendation 3: <text>. The Government's response: Agreed. We will ..." answers in place.
    answered_in_place = {
        m.paragraph
        for m in marks
        if m.number is not None
        and not m.inline
        and not m.quoted
        and layout.paragraphs[m.paragraph].words > 25
    }
    current: list[int] = []
    out: dict[int, list[int]] = {}
    for index in range(layout.body_start, layout.body_end):
        if index in numbered:
            following = index + 1
            while following in quoted and following not in numbered:
                following += 1  # the quoted text of the concern itself
            in_place = index in answered_in_place
            current = [] if following in numbered and not in_place else [numbered[index]]
        elif _ends_section(layout.paragraphs[index].text):
            current = []
        out[index] = list(current)
    return out
