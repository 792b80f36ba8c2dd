"""The time phrases of the five hand-annotated seed letters (../shared/gold), resolved as the gold has them.

The sentences are copied here so the tests run from a fresh clone; when the shared gold folder is present
the whole of it is checked as well, the way tools/score_extraction.py scores due dates.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from responses.deadlines import resolve

# (letter date, commitment as quoted in the gold, time_phrase, due_earliest, due_latest)
GOLD_PHRASES = [
    ("2022-12-02", "The Health and Social Care Act 2022 commits the Government to laying a report before "
     "Parliament in Summer 2023 setting out its policy on information sharing by public authorities for the "
     "purposes of safeguarding and promoting the welfare of children",
     "in Summer 2023", "2023-06-01", "2023-08-31"),
    ("2022-12-02", "The Government will be responding to the recommendations in those reviews in due course",
     "in due course", None, None),
    ("2022-12-02", "The Tackling Domestic Abuse Plan, published in April, committed to consider the "
     "implementation of a domestic abuse 'register'", None, None, None),
    ("2024-09-16", "Our landmark mission to halve violence against women and girls in a decade will require a "
     "step change in our approach to it nationally", "in a decade", None, None),
    ("2021-04-09", "The Department for Education and the Home Office have also commissioned Liverpool John "
     "Moores University to conduct deep dives in a number of local areas to test the effectiveness of the new "
     "multi-agency safeguarding partnerships in working with young people at risk of serious violence and "
     "criminal exploitation, which will report later this year",
     "later this year", "2021-04-09", "2021-12-31"),
    ("2021-04-09", "Over the coming months we will take time to evaluate the impact of these initiatives",
     "Over the coming months", None, None),
    ("2021-04-09", "We will then respond in detail to your recommendation on trialling a national practice "
     "framework, including proposed next steps, by Autumn 2021", "by Autumn 2021", "2021-09-01", "2021-11-30"),
    ("2021-04-09", "From April 2021, social workers will be able to record 'child criminal exploitation' as a "
     "factor when assessing whether young people are in need of help and support",
     "From April 2021", "2021-04-01", "2021-04-30"),
    ("2021-04-09", "This is due to be published shortly", "shortly", None, None),
    ("2021-04-09", "This includes communications before Christmas to highlight seasonal risks and further "
     "communications planned for later this year, including a focus on young fathers",
     "later this year", "2021-04-09", "2021-12-31"),
    ("2021-04-09", "National data will be published annually as part of the Children in Need Census providing "
     "better evidence about prevalence", "annually", None, None),
    ("2025-02-20", "Furthermore, I have committed to providing an update by Easter about how the Government "
     "will deliver against the other recommendations within IICSA's final report",
     "by Easter", None, "2025-04-20"),
    ("2025-02-20", "I will personally be chairing a further meeting of the inter-ministerial group later this "
     "month", "later this month", "2025-02-20", "2025-02-28"),
    ("2025-02-20", "I will set out further detail on the process to monitor implementation of the "
     "recommendations in my statement before Easter", "before Easter", None, "2025-04-20"),
    ("2025-02-20", "I have asked HMICFRS to review progress this year", "this year", "2025-02-20", "2025-12-31"),
    ("2025-02-20", "We will set out further steps in this area shortly", "shortly", None, None),
    ("2025-02-20", "this Government has committed to introduce a 'Hillsborough Law', by the 35th anniversary of "
     "the Hillsborough stadium disaster on 15 April 2025, which will place a legal duty of candour on public "
     "servants and authorities",
     "by the 35th anniversary of the Hillsborough stadium disaster on 15 April 2025", None, "2025-04-15"),
    ("2025-02-20", "By July this year we anticipate progress against agreed recommendations from inquiries "
     "already published will be tracked centrally via MORGAN, with future inquiries to follow",
     "By July this year", "2025-07-01", "2025-07-31"),
    ("2025-02-20", "This review will examine existing data and evidence to uncover the true nature, scale and "
     "profile of group-based child sexual abuse offending being dealt with by forces in the UK today",
     None, None, None),
    ("2024-09-16", "We will continue to work with police forces to make sure we continue to improve the "
     "effectiveness and efficiency of the system", None, None, None),
]  # fmt: skip


def _d(value):
    return date.fromisoformat(value) if value else None


@pytest.mark.parametrize("ref, text, phrase, earliest, latest", GOLD_PHRASES)
def test_seed_letter_phrases(ref, text, phrase, earliest, latest):
    found = resolve(text, date.fromisoformat(ref))
    assert (found.phrase, found.due_earliest, found.due_latest) == (phrase, _d(earliest), _d(latest))


GOLD_DIR = Path(__file__).resolve().parents[3] / "shared" / "gold"


@pytest.mark.skipif(not GOLD_DIR.is_dir(), reason="the shared gold annotations are not beside this clone")
def test_every_gold_commitment_gets_the_gold_due_date():
    wrong = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text())
        ref = date.fromisoformat(gold["letter_date"])
        for commitment in gold["commitments"]:
            found = resolve(commitment["text"], ref)
            want = (_d(commitment["due_earliest"]), _d(commitment["due_latest"]))
            if (found.due_earliest, found.due_latest) != want:
                wrong.append((path.stem, commitment["text"][:60], want, found))
    assert wrong == []
