"""Find promises of future action in a letter's body, with owner, time phrase and due date.

The rules are linguistic, not keyed to any letter: a clause is a commitment when its verb group
promises a future act (will/shall + action verb, intend/plan to, have committed/agreed to, is due to
be published, have asked X to ...) by the government or a named actor. Descriptions of past or
ongoing work, mission statements ("we are committed to ..."), conditionals ("would"), questions,
quotations of the report and evaluative futures ("this will enable ...") are left out, as are stances
("will treat X as a national emergency"), habits and procedures ("will always ...", "If ..., the case will be
referred") and descriptions of what exists ("will provide ..., as it already does"). Action tables flattened
into text ("Action | Owner | Date" rows) and plan items that open with their deadline ("By March 2026:
introduce ...") give one commitment a row or item. A public body acting for its department ("the Army",
"HMPPS", "police forces") counts as the government; ``departments.body_parent`` names the department.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from responses.deadlines import resolve

from .cues import not_a_promise, promise_cue
from .departments import DepartmentMatcher, agency_parent, bodies_in, body_parent
from .layout import Layout, sentence_spans
from .timing import (
    UNDATED_REFERENCE,
    clause_time,
    date_by_timescale_labels,
    follow_up_time,
    share_opening_time,
)

MAX_SENTENCE_CHARS = 3000

_TOKEN = re.compile(r"[A-Za-z£0-9][\w'£\-]*")

# Adverbs and particles that sit between a modal and its verb ("will also then be ...").
_SKIP_AFTER_MODAL = frozenset(
    "also then now further still soon both all each again therefore personally jointly formally shortly "
    "urgently carefully closely additionally certainly actively fully quickly swiftly immediately "
    "initially subsequently ultimately continue to".split()
)
# Copular or evaluative verbs: with a non-government subject they describe effects, not actions.
_STATIVE = frozenset(
    "have has remain need require mean allow enable help align complement depend cost take increase decrease "
    "rise fall grow reduce benefit contribute result become seem appear affect matter raise make lead give "
    "bring add improve strengthen support provide create offer ensure form sit wish want like appreciate "
    "understand recognise recognize know note hope".split()
)
# Verbs that name an output or a step, acceptable even after "it"/"which": "which will report later this year".
_OUTPUT = frozenset(
    "report publish set conclude examine review consider assess evaluate consult launch begin start "
    "commence complete finish close open run respond update issue announce lay introduce legislate".split()
)
_IRREGULAR_PARTICIPLES = frozenset(
    "made set put kept held led brought taken given laid done sent told built met paid shown known seen "
    "written run found sought bought taught spent read heard left won begun undertaken drawn chosen spoken "
    "broken rolled carried".split()
)
_PRONOUN_ANAPHORA = frozenset({"it", "this", "that", "these", "those", "which", "such"})
_BOUNDARY = re.compile(
    r"(?:[,;:(]|\s-\s|\b(?:that|which|who|whom|where|and|but|so|because|as|once|when|until|after|before|if|while|"
    r"whilst|although|though|how|whether|what|why|whereby|unless)\b)"
)
_WH = frozenset({"how", "whether", "what", "why", "where"})
_GOVERNMENT = re.compile(
    r"\b(?:government|department|departments|ministers?|officials|secretary\s+of\s+state|cabinet|whitehall|hmg|"
    r"my\s+(?:team|office)|our\s+(?:team|office))\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"(?:\bfunding\b|\bbudget\b|\bsettlement\b|\bnumbers?\b|\bcosts?\b|\bspending\b|£|\btotal\b)",
    re.IGNORECASE,
)
_PEOPLE_AT_LARGE = re.compile(r"^(?:you|one|everyone|anyone|people)$", re.IGNORECASE)

_MODAL = re.compile(r"\b(?:will|shall)\b(?!\s+(?:not|never)\b)|'ll\b", re.IGNORECASE)
# "has no plans to amend the Act", "does not have any plans to" deny an intention.
_INTEND = re.compile(
    r"\b(?<!\bno\s)(?<!\bany\s)(?:intends?|plans?|aims?|proposes?|expects?|(?:am|is|are)\s+(?:planning|preparing|going|intending|aiming|proposing))"
    r"\s+to\s+(?!be\s+(?:clear|honest|transparent)\b)\w+",
    re.IGNORECASE,
)
# "We expect the new regulator to be operational by April 2026": an expected state of delivery, not an
# expectation of how others behave ("I expect all forces to comply").
_EXPECT_DELIVERY = re.compile(
    r"\b(?:expects?|anticipates?)\s+(?:[\w'-]+\s+){1,8}?to\s+(?:be\s+)?(?:operational|complete|completed|in\s+place|"
    r"published|available|ready|launched|established|implemented|finished|concluded|delivered|introduced|live|"
    r"up\s+and\s+running|in\s+force|report|conclude|complete|publish|launch|open|start|begin|finish)\b",
    re.IGNORECASE,
)
# "we expect that the wider review ... would conclude in the first half of 2026": a hedged forecast of
# delivery is still the timetable the letter gives (only delivery verbs: "would welcome" is no promise).
_EXPECT_THAT_WOULD = re.compile(
    r"\b(?:expects?|anticipates?)\s+that\s+(?:[\w'(),-]+\s+){1,20}?would\s+(?:now\s+|then\s+)?(?:be\s+)?"
    r"(?:conclude|concluded|complete|completed|report|published|publish|launch|launched|start|begin|in\s+place|"
    r"available|operational|ready|finished|implemented|introduced|issued|delivered)\b",
    re.IGNORECASE,
)
_INTENTION = re.compile(
    r"\b(?:it\s+is\s+(?:our|my|the\s+\w+'s)\s+intention\s+to|our\s+intention\s+is\s+to)\b", re.IGNORECASE
)
_COMMITTED = re.compile(
    r"\b(?P<aux>(?:has|have|had)\s+(?:also\s+|now\s+|already\s+|previously\s+|publicly\s+)?)?"
    r"(?P<verb>committed|pledged|promised|undertaken|undertook|agreed|decided)"
    r"\s+(?:(?:with|to)\s+[^,;.]{1,60}?\s+)?to\s+\w+",
    re.IGNORECASE,
)
# "We remain committed to legislating ..." names a concrete act; "committed to improving safety" does not.
_CONCRETE_AFTER_COMMITTED = re.compile(
    r"(?:legislat|introduc|publish|bring(?:ing)?\s+forward|establish|launch|lay(?:ing)?\b|consult|creat|set(?:ting)?\s+up|"
    r"appoint|repeal|amend)",
    re.IGNORECASE,
)
_COMMITS_OTHER = re.compile(
    r"\bcommit(?:s|ted)\s+(?:the\s+|this\s+|HM\s+)?(?:government|department|us|ourselves|itself|ministers)\s+to\s+\w+",
    re.IGNORECASE,
)
_MISSION_BEFORE = re.compile(
    r"\b(?:am|are|is|was|were|remain|remains|be|been|being|stay|stays)\s+(?:\w+ly\s+|also\s+|still\s+|very\s+)?$",
    re.IGNORECASE,
)
_ASKED = re.compile(
    r"\b(?:has|have)\s+(?:also\s+|now\s+|today\s+|already\s+)?(?:asked|instructed|tasked|directed|invited)\s+"
    r"[^.;]{2,90}?\s+to\s+\w+",
    re.IGNORECASE,
)
_DUE = re.compile(
    r"\b(?:is|are)\s+(?:now\s+|currently\s+|also\s+)?(?P<kind>due|scheduled|expected|set)\s+to\s+(?:be\s+)?(?P<verb>\w+)",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:(?:is|are)\s+(?:also\s+|now\s+)?planned\b|planned\s+for\b|"
    # "Installation is scheduled for completion in December", "The first publication is due in July"
    r"(?:is|are)\s+(?:now\s+|currently\s+|also\s+)?(?:scheduled|timetabled|programmed|due)\s+(?:for|in|by)\b)",
    re.IGNORECASE,
)
_FUTURATE = re.compile(
    r"\b(?:is|are|am)\s+(?:now\s+|also\s+|currently\s+)?(?:introducing|establishing|launching|legislating|"
    r"bringing\s+forward|setting\s+up|publishing|laying)\b",
    re.IGNORECASE,
)
_POSSESSIVE_BEFORE = re.compile(
    r"(?:'s|\b(?:our|my|their|its|his|her|the|these|any|future|new|existing))\s+$", re.IGNORECASE
)
_CLAUSE_SPLIT = re.compile(
    r"(?:;\s+|,\s+(?:and|but|while|whilst|so)\s+|\s+-\s+)"
    r"(?=(?:we|I|the\s+government|this\s+government|HM\s+government|the\s+department|my\s+department|officials|ministers)\b)"
    r"|\s+(?:and|but)\s+(?=(?:we|I)\s+\w)",
    re.IGNORECASE,
)
# A long opening adverbial before the subject ("In order to ..., we will") is context, not the promise.
_OPENING_ADVERBIAL = re.compile(
    r"^(?P<lead>[^,;]{25,}?),\s+(?=(?:we|I|the\s+government|this\s+government|HM\s+government|the\s+department|my\s+department|"
    r"officials|ministers)\b)",
    re.IGNORECASE,
)
_PARAGRAPH_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\s+(?=[A-Z])")
_CONCERN_REFERENCE = re.compile(
    r"\b(?:concern|recommendation)s?\s+(?:number\s+|no\.?\s*)?(\d{1,2})\b", re.IGNORECASE
)


@dataclass
class ExtractedCommitment:
    text: str
    department: str | None
    time_phrase: str | None
    due_earliest: date | None
    due_latest: date | None
    precision: str
    start: int
    end: int
    concern_numbers: list[int] = field(default_factory=list)

    def to_schema(self) -> dict:
        return {
            "text": self.text,
            "department": self.department,
            "time_phrase": self.time_phrase,
            "due_earliest": self.due_earliest.isoformat() if self.due_earliest else None,
            "due_latest": self.due_latest.isoformat() if self.due_latest else None,
            "precision": self.precision,
            # The numbers of the recommendations (or concerns) whose response section the promise sits in.
            "concerns": list(self.concern_numbers),
        }


# ------------------------------------------------------------------ subject and verb analysis


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _subject(pre: str, matcher: DepartmentMatcher | None = None) -> tuple[str, str]:
    """(kind, subject text) for the words before a verb group.

    kind: first (we/I), government, named, anaphoric, wh (embedded question), skip.
    """
    boundary_word = ""
    subject = pre
    last = None
    for match in _BOUNDARY.finditer(pre):
        last = match
    if last is not None:
        subject = pre[last.end() :]
        boundary_word = last.group(0).strip().lower()
    subject = subject.strip(" \"'*")
    lowered = subject.lower()
    words = lowered.split()
    if boundary_word in _WH:
        return "wh", subject
    if not words:
        if boundary_word in {"which", "that"}:
            return "anaphoric", boundary_word
        if boundary_word == "who":
            return "named", boundary_word
        if boundary_word in {"and", "but"} and last is not None:
            # Shared subject: "We have accepted this recommendation and will ...".
            return _subject(pre[: last.start()], matcher)
        return "named", subject
    head = words[-1]
    if head in {"we", "i"} or re.search(r"\b(?:we|i)$", lowered):
        return "first", subject
    if head == "you" or _PEOPLE_AT_LARGE.match(lowered):
        return "skip", subject
    if lowered == "there":
        return "skip", subject
    if lowered in _PRONOUN_ANAPHORA:
        return "anaphoric", subject
    if _GOVERNMENT.search(lowered) or (matcher is not None and matcher.find(subject)):
        return "government", subject
    if body_parent(subject):
        return "government", subject  # a public body acting for its department ("the Army", "HMICFRS")
    return "named", subject


def _verb_after(text: str, position: int) -> tuple[str, str]:
    """(form, verb) of the verb group starting at position: form is active, progressive, passive, able, copula."""
    words = [t[0].lower() for t in _tokens(text[position : position + 120])]
    i = 0
    while i < len(words) and (
        words[i] in _SKIP_AFTER_MODAL or (words[i].endswith("ly") and len(words[i]) > 4)
    ):
        i += 1
    if i >= len(words):
        return "none", ""
    verb = words[i]
    if verb == "be":
        i += 1
        while i < len(words) and (
            words[i] in _SKIP_AFTER_MODAL or (words[i].endswith("ly") and len(words[i]) > 4)
        ):
            i += 1
        nxt = words[i] if i < len(words) else ""
        if nxt.endswith("ing") and len(nxt) > 4:
            return "progressive", nxt
        if nxt == "able" or nxt == "in":
            return "able", nxt
        if (nxt.endswith("ed") and len(nxt) > 3) or nxt in _IRREGULAR_PARTICIPLES or nxt.endswith("en"):
            return "passive", nxt
        return "copula", nxt
    return "active", verb


def _stem(verb: str) -> str:
    for suffix, repl in (("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if verb.endswith(suffix) and len(verb) - len(suffix) >= 3:
            base = verb[: -len(suffix)] + repl
            return base
    return verb


def _in(verb: str, vocabulary: frozenset) -> bool:
    if verb in vocabulary:
        return True
    stem = _stem(verb)
    return (
        stem in vocabulary
        or f"{stem}e" in vocabulary
        or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in vocabulary)
    )


_EVALUATIVE = frozenset({"ensure", "provide", "support", "create", "improve", "strengthen", "offer"})
_CONTINUE = re.compile(r"\s+(?:also\s+|still\s+)?continue\s+to\b", re.IGNORECASE)
# Signs that the thing described exists already: its "will provide" is a description, not a promise.
_EXISTING = re.compile(
    r"\b(?:already|existing|currently|as\s+(?:it|they)\s+(?:has|have|does|do|did)\b|"
    r"(?:has|have)\s+been\s+(?:part|in\s+place|available|running)\b|since\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)
_SUMMARY_OBJECT = re.compile(
    r"\s+(?:\w+\s+)?(?:that\s+)?(?:these|those|this|all\s+these|all\s+of\s+these|the\s+above)\s+"
    r"(?:changes|measures|actions|steps|commitments|improvements|reforms|lessons|recommendations|work|approach)\b",
    re.IGNORECASE,
)
# "We will treat X as a national emergency", "will regard it as a priority": a stance, not an act.
# "Work coaches will always try to contact ...", "will normally be referred": how things run, not a promise.
_HABITUAL = re.compile(
    r"\s+(?:always|normally|usually|routinely|generally|automatically|typically|ordinarily)\b", re.IGNORECASE
)
_STATUS_QUO = re.compile(
    r"\bas\s+(?:it|they|he|she|we)\s+(?:do|does|did|has|have)\s+(?:now|at\s+present|currently|already|today)\b|"
    r"\bas\s+(?:now|at\s+present)\b",
    re.IGNORECASE,
)
# A generic condition before a third party's "will" describes a procedure: "If ..., the case will ...",
# "Where sighting is inadequate, a restriction will be imposed". ("Once"/"When" often time a promise.)
_CONDITION_FIRST = re.compile(
    r"^(?:[^,]{0,60},\s+)?(?:if|where|whenever|unless|in\s+(?:any\s+)?cases?\s+where)\b[^,]{3,160},",
    re.IGNORECASE,
)
# Likewise "This new centre will put victims at the heart of ...": an aim, not a deliverable.
_STANCE = re.compile(
    r"\s+(?:also\s+)?(?:(?:treat|regard|view|see)\s+(?:[\w'-]+\s+){1,8}?as\b|"
    r"(?:put|place|keep)\s+(?:[\w',-]+\s+){1,20}?at\s+the\s+(?:heart|centre|center|forefront)\b)",
    re.IGNORECASE,
)


def _modal_commits(clause: str, match: re.Match, matcher: DepartmentMatcher | None) -> bool:
    if match.group(0)[0] == "W" and re.match(r"\s+[A-Z]", clause[match.end() :]):
        return False  # a name ("Will Quince"), not the modal
    if _STANCE.match(clause, match.end()) or _HABITUAL.match(clause, match.end()):
        return False
    kind, subject = _subject(clause[: match.start()], matcher)
    if kind in {"skip", "wh"}:
        return False
    form, verb = _verb_after(clause, match.end())
    if form in {"none", "copula"}:
        return False
    if kind in {"first", "government"}:
        return True
    if kind == "named" and _QUANTITY.search(subject) and not _GOVERNMENT.search(subject):
        return False
    procedural = form == "passive" or subject.lower() in {"who", "which", "that"}
    if kind == "named" and procedural and _CONDITION_FIRST.match(clause):
        # "If a claimant does not attend, the case will be referred ...": how a process runs. An active
        # verb after a condition ("If approved, the new Authority will open in 2027") is still a promise.
        return False
    if form in {"progressive", "passive", "able"}:
        return kind == "named" or _in(verb, _OUTPUT)
    if kind == "anaphoric":
        return _in(verb, _OUTPUT)
    after = clause[match.end() :]
    if kind == "named" and (_CONTINUE.match(after) or _STATUS_QUO.search(after)):
        return False  # "the Academy will continue to operate ...": another body's standing state
    if verb in _EVALUATIVE:
        # "The training will provide staff with ..., as it has for many schools", "The plan will ensure
        # that these changes are embedded": what something already does, or a summary of what came before.
        if _EXISTING.search(after) or _SUMMARY_OBJECT.match(after):
            return False
    return not _in(verb, _STATIVE) or verb in _EVALUATIVE and not re.match(r"^[A-Z]?[a-z]+ing\b", subject)


def _subject_is_ours(clause: str, start: int, matcher: DepartmentMatcher | None) -> bool:
    if _POSSESSIVE_BEFORE.search(clause[:start]):
        return False  # "the Government's plans to ..." is a noun phrase, not a statement of intent
    kind, _ = _subject(clause[:start], matcher)
    return kind in {"first", "government"}


# Every trigger below contains one of these words; most sentences have none and are dismissed at once.
_ANY_TRIGGER = re.compile(
    r"\b(?:will|shall|intend|intends|plan|plans|planning|planned|aim|aims|aiming|propose|proposes|proposing|expect|"
    r"expects|anticipate|anticipates|preparing|going|intending|intention|committed|commits|commit|pledged|promised|"
    r"undertaken|undertook|agreed|decided|asked|instructed|tasked|directed|invited|due|scheduled|expected|set|introducing|"
    r"establishing|launching|legislating|bringing|setting|publishing|laying)\b|'ll\b",
    re.IGNORECASE,
)


# The letter talking about itself ("I will respond to each in turn", "as I will explain below", "the
# actions we will take ... are set out in the table below").
_LAID_OUT_BELOW = re.compile(
    r"\b(?:is|are)\s+(?:set\s+out|described|listed|summarised|summarized|shown|detailed|given)\s+"
    r"(?:(?:in|at)\s+(?:the\s+)?(?:table|annex|appendix|list|paragraphs?|sections?)\s*)?"
    r"(?:below|overleaf|as\s+follows|in\s+(?:the\s+)?(?:table|annex|appendix)\b|(?:in|at)\s+annex\b)",
    re.IGNORECASE,
)
_SIGNPOST = re.compile(
    r"\b(?:will|shall)\s+(?:now\s+|also\s+|briefly\s+)?(?:respond|reply|turn|address|answer|deal|explain|outline|set\s+out|"
    r"describe|cover|summarise|take)\b[^.;]{0,40}\b(?:in\s+turn|below|as\s+follows|in\s+this\s+(?:letter|response|reply)|"
    r"in\s+the\s+(?:paragraphs|sections)\s+(?:below|that\s+follow)|here)\b",
    re.IGNORECASE,
)


def clause_commits(clause: str, matcher: DepartmentMatcher | None = None) -> int | None:
    """Offset within the clause of the word that makes it a commitment, or None."""
    if _SIGNPOST.search(clause) or _LAID_OUT_BELOW.search(clause):
        return None
    if not _ANY_TRIGGER.search(clause) and _table_cue(clause, matcher) is None:
        return None
    stripped = clause.rstrip(" \"'*)")
    if stripped.endswith("?"):
        return None
    hits: list[int] = []
    for match in _MODAL.finditer(clause):
        if _modal_commits(clause, match, matcher):
            hits.append(match.start())
            break
    for match in _INTEND.finditer(clause):
        if _subject_is_ours(clause, match.start(), matcher):
            hits.append(match.start())
            break
    for match in _EXPECT_DELIVERY.finditer(clause):
        # "We would expect the review to conclude by ...": the hedge keeps the subject ours
        hedge = re.search(r"\s+would\s+$", clause[: match.start()], re.IGNORECASE)
        if _subject_is_ours(clause, hedge.start() if hedge else match.start(), matcher):
            hits.append(match.start())
            break
    for match in _INTENTION.finditer(clause):
        hits.append(match.start())
        break
    for match in _EXPECT_THAT_WOULD.finditer(clause):
        if _subject_is_ours(clause, match.start(), matcher):
            hits.append(match.start())
            break
    for match in _COMMITTED.finditer(clause):
        if match.group("verb").lower() == "decided" and not re.match(
            r"(?i)ha(?:s|ve)\b", match.group("aux") or ""
        ):
            continue  # "we have decided to" stands; "it was decided", "had decided" report the past
        concrete = re.match(r"\s+to\s+", clause[match.end("verb") :])
        concrete = concrete and _CONCRETE_AFTER_COMMITTED.match(clause, match.end("verb") + concrete.end())
        if match.group("aux") or not _MISSION_BEFORE.search(clause[: match.start()]) or concrete:
            kind, _ = _subject(clause[: match.start()], matcher)
            if kind not in {"skip", "wh"}:
                hits.append(match.start())
                break
    for match in _COMMITS_OTHER.finditer(clause):
        hits.append(match.start())
        break
    for match in _ASKED.finditer(clause):
        if _subject_is_ours(clause, match.start(), matcher):
            hits.append(match.start())
            break
    for match in _DUE.finditer(clause):
        if match.group("kind").lower() in {"due", "scheduled"} or _in(match.group("verb").lower(), _OUTPUT):
            hits.append(match.start())
            break
    for match in _PLANNED.finditer(clause):
        hits.append(match.start())
        break
    for match in _FUTURATE.finditer(clause):
        if _subject_is_ours(clause, match.start(), matcher):
            hits.append(match.start())
            break
    if not hits:
        cued = _table_cue(clause, matcher)  # the cues kept as data (data/promise_cues.tsv)
        if cued is None:
            return None
        hits.append(cued)
    trigger = min(hits)
    if not_a_promise(clause, trigger):
        return None  # a class of sentence kept in data/promise_cues.tsv as no promise
    reported = next(reversed(list(_REPORTED.finditer(clause, 0, trigger))), None)
    speaker = reported and _AUXILIARIES.sub("", clause[: reported.start()])
    if reported is not None and _subject(speaker, matcher)[0] not in {"first", "government"}:
        return None  # "The Committee said that the Department will ...": someone else's words, not a promise
    return trigger


def _table_cue(clause: str, matcher: DepartmentMatcher | None) -> int | None:
    found = promise_cue(clause, lambda text, start: _subject_is_ours(text, start, matcher))
    return found[0] if found else None


_AUXILIARIES = re.compile(
    r"(?:\s+(?:have|has|had|also|already|previously|always|now|clearly|publicly|repeatedly|rightly))+\s*$",
    re.IGNORECASE,
)
# A reporting verb before the promise: whose words these are decides whether it is a promise.
_REPORTED = re.compile(
    r"\b(?:said|says|stated|states|suggested|suggests|argued|argues|concluded|concludes|believes|believed|"
    r"found|finds|recommended|recommends|noted|notes|observed|observes|considered|considers)\s+that\b",
    re.IGNORECASE,
)


_COORDINATION = re.compile(r";\s+|,\s+(?:and|but|while|whilst|so|whereas)\s+|\s+-\s+")
_NEW_SUBJECT = re.compile(
    r"^(?:(?:the|this|these|those|its|their|our|my|a|an|all|each|every)\s+\w|[A-Z][\w'-]*\b|(?:we|I|it|they|he|she)\b)"
)


def split_clauses(sentence: str, matcher: DepartmentMatcher | None = None) -> list[tuple[int, int]]:
    """Split a sentence where a new subject starts a new main clause that makes its own promise.

    "NHS England will complete X by March, and the CQC will assess Y from April" holds two commitments,
    each with its own owner and date; "..., and use all the tools" (no new subject) stays whole.
    """
    if not _ANY_TRIGGER.search(sentence):
        return [(0, len(sentence))]
    cuts = []
    for match in _CLAUSE_SPLIT.finditer(sentence):
        if match.start() > 15:
            cuts.append((match.start(), match.end()))
    for match in _COORDINATION.finditer(sentence):
        if match.start() <= 15 or any(a <= match.start() < b for a, b in cuts):
            continue
        rest = sentence[match.end() :]
        nxt = _COORDINATION.search(rest)
        segment = rest[: nxt.start()] if nxt else rest
        # "..., and this change will be in place by March" times the first promise; it is not a new one.
        elaborates = False
        if re.match(r"(?:this|that|these|those|it|such)\b", segment, re.IGNORECASE):
            modal = _MODAL.search(segment)
            form, verb = _verb_after(segment, modal.end()) if modal else ("none", "")
            # "this change will be in place by March" dates the promise before; "it will introduce X" is new.
            elaborates = form in {"copula", "passive", "none"} or verb in {
                "take",
                "come",
                "happen",
                "apply",
                "in",
            }
        trigger = clause_commits(segment, matcher) if _NEW_SUBJECT.match(segment) and not elaborates else None
        if trigger is not None:
            kind, _ = _subject(segment[:trigger], matcher)
            if kind != "skip":
                cuts.append((match.start(), match.end()))
    spans, cursor = [], 0
    for start, end in sorted(set(cuts)):
        if start > cursor:
            spans.append((cursor, start))
            cursor = end
    spans.append((cursor, len(sentence)))
    return spans


# ------------------------------------------------------------------ ownership, timing


@dataclass
class _Context:
    letter_departments: list[str]
    section_department: str | None
    concern_numbers: list[int]


def _owner(clause: str, trigger: int, matcher: DepartmentMatcher, context: _Context) -> str | None:
    """The department that owns a promise.

    The department named as its subject owns it ("DHSC will lead ...", "DWP and DHSC have agreed ..." ->
    the first named), even when another department wrote the letter. A public body named as subject acts
    for the department that answers for it ("HMPPS will ..." -> Ministry of Justice, "the Army will ..."
    -> Ministry of Defence) when that department is among the writers; otherwise for the writer. In a
    joint letter a "we" promise belongs to the writing department named (directly or through one of its
    bodies) in the same sentence, else to the one whose paragraph it is; otherwise to the letter's first.
    """
    responding = context.letter_departments
    kind, subject = _subject(clause[:trigger], matcher)
    if kind in {"government", "named"}:
        named = [name for name, _, _ in matcher.find(clause[:trigger])]
        ours = [name for name in named if name in responding] if responding else named
        if ours:
            return ours[0]
        for name in named:
            parent = agency_parent(name)
            if parent is None:
                return name  # another department named as the actor
            if parent in responding:
                return parent
        parent = body_parent(subject)
        if parent and parent in responding:
            return parent
    if len(responding) > 1:
        mentioned = _departments_behind(clause, matcher, responding)
        if mentioned:
            return mentioned[0]
        if context.section_department:
            return context.section_department
    return responding[0] if responding else None


def _departments_behind(text: str, matcher: DepartmentMatcher, responding: list[str]) -> list[str]:
    """Writing departments named in the text, directly or through a body or agency they answer for."""
    found: list[tuple[int, str]] = []
    for name, start, _ in matcher.find(text):
        if name in responding:
            found.append((start, name))
        elif agency_parent(name) in responding:
            found.append((start, agency_parent(name)))
    found += [(position, parent) for parent, position in bodies_in(text) if parent in responding]
    return [name for _, name in sorted(found)]


_UNDATED_REFERENCE = UNDATED_REFERENCE
# Which phrase times a clause's promise (and a sentence's, a section's): responses/extraction/timing.py.
_resolve_time = clause_time


def _resolver_for(letter_date: date | None, precision: str):
    """The deadline resolver, told how much of the letter's date the letter gives ("January 2026": month).

    Errors surface: the resolver raises TypeError on bad arguments and any other exception is a bug there;
    neither is caught here (a caught bug would read as "undated").
    """

    def resolver(text: str, reference: date):
        exact = letter_date is not None and reference == letter_date
        return resolve(text, reference, reference_precision=precision if exact else "day")

    return resolver


# ------------------------------------------------------------------ main entry


# "We will:" / "The Department has committed to:" ending a paragraph introduces a list of promises.
_LIST_LEAD = re.compile(
    r"\b(?:will|shall|intends?\s+to|plans?\s+to|aims?\s+to|propose\s+to|(?:have|has)\s+(?:also\s+)?(?:committed|agreed)\s+to|"
    r"(?:are|is|am)\s+(?:going|planning)\s+to|next\s+steps\s+(?:are|will\s+be)(?:\s+to)?)\s*(?:also\s+|now\s+)?(?P<colon>:)\s*$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^(?:-\s+|\(?[a-z0-9]{1,2}[.)]\s+|\([ivx]+\)\s+)(?P<item>\S.*)$", re.DOTALL)


def _list_item_commitment(
    text,
    para,
    item,
    lead,
    matcher,
    letter_date,
    resolver,
    section_department,
    letter_departments,
    concern_numbers,
):
    body = item.group("item").rstrip()
    body = re.sub(r"(?:[;,.]\s*(?:and|or)?|\s+(?:and|or))$", "", body).rstrip(" ;,.")
    start = para.start + item.start("item")
    sentence = f"{lead.rstrip()} {body}"
    trigger = len(lead)
    timing = _resolve_time(sentence, trigger, letter_date, resolver)
    phrase, earliest, latest, precision = timing or (None, None, None, "none")
    context = _Context(letter_departments, section_department, concern_numbers)
    return ExtractedCommitment(
        text=body,
        department=_owner(sentence, trigger, matcher, context),
        time_phrase=phrase,
        due_earliest=earliest,
        due_latest=latest,
        precision=precision,
        start=start,
        end=start + len(body),
        concern_numbers=sorted({int(n) for n in _CONCERN_REFERENCE.findall(body)} | set(concern_numbers)),
    )


# An action-plan item that opens with its deadline: "- By March 2026: introduce a second check ...".
_DATED_ITEM = re.compile(
    r"^(?P<when>[^:;\n]{3,40}?)\s*(?::|\s-\s|\u2013)\s*(?P<action>[A-Za-z][\w'-]*\s+\S.*)$", re.DOTALL
)


def _dated_item(para, item, letter_date, resolver, letter_departments, concern_numbers):
    if item is None or resolver is None:
        return None
    body = item.group("item").rstrip()
    parts = _DATED_ITEM.match(body)
    if parts is None or len(parts.group("when").split()) > 6:
        return None
    when = parts.group("when")
    deadline = resolver(
        when if re.match(r"(?i)(?:by|in|during|before|from|within|end)\b", when) else f"by {when}",
        letter_date or _UNDATED_REFERENCE,
    )
    if deadline is None or not deadline.phrase or len(deadline.phrase) < 0.6 * len(when):
        return None  # the text before the colon is not a time ("Note: ...", "Completed: ...")
    if letter_date and deadline.due_latest and deadline.due_latest < letter_date:
        return None
    action = parts.group("action").rstrip(" ;,.")
    start = para.start + item.start("item") + parts.start("action")
    latest = deadline.due_latest if letter_date else None
    return ExtractedCommitment(
        text=action,
        department=letter_departments[0] if letter_departments else None,
        time_phrase=when,
        due_earliest=deadline.due_earliest if letter_date else None,
        due_latest=latest,
        precision=deadline.precision if letter_date else "vague",
        start=start,
        end=start + len(action),
        concern_numbers=list(concern_numbers),
    )


def _title_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def _is_title_line(text: str, title_keys: set[str]) -> bool:
    """A paragraph that is just the title of a report the letter answers works as a section heading."""
    if not title_keys or len(text) > 400:
        return False
    return _title_key(text) in title_keys


def find_commitments(
    layout: Layout,
    matcher: DepartmentMatcher,
    letter_departments: list[str],
    letter_date: date | None,
    excluded_paragraphs: set[int],
    concern_by_paragraph: dict[int, list[int]],
    report_titles: list[str] = (),
    *,
    letter_date_precision: str = "day",
) -> list[ExtractedCommitment]:
    text = layout.text
    resolver = _resolver_for(letter_date, letter_date_precision)
    title_keys = {_title_key(title) for title in report_titles if title}
    found: list[ExtractedCommitment] = []
    section_department: str | None = None
    list_lead: str | None = None  # "We will:" - the subject whose promises the following list items are
    previous_numbers: list[int] = []
    for index in range(layout.body_start, layout.body_end):
        para = layout.paragraphs[index]
        item = _LIST_ITEM.match(para.text)
        if list_lead is not None and item and index not in excluded_paragraphs:
            found.append(
                _list_item_commitment(
                    text,
                    para,
                    item,
                    list_lead,
                    matcher,
                    letter_date,
                    resolver,
                    section_department,
                    letter_departments,
                    concern_by_paragraph.get(index, []),
                )
            )
            continue
        dated = _dated_item(
            para, item, letter_date, resolver, letter_departments, concern_by_paragraph.get(index, [])
        )
        if dated is not None and index not in excluded_paragraphs:
            found.append(dated)
            continue
        list_lead = None
        lead = _LIST_LEAD.search(para.text)
        if lead:
            list_lead = para.text[: lead.start("colon")]
        if para.is_heading or _is_title_line(para.text, title_keys):
            section_department = None
            continue
        numbers = concern_by_paragraph.get(index, [])
        if len(letter_departments) > 1:
            if numbers != previous_numbers:
                section_department = None  # a new concern: its answer may come from the other department
            # The department a paragraph opens with ("The Ministry of Justice accepts ...", "Responsibility
            # for policing rests with the Home Office") owns the "we" promises that follow it.
            spans = sentence_spans(text, para.start, para.end)
            opening = text[spans[0][0] : spans[0][1]] if spans else para.text
            named = list(dict.fromkeys(_departments_behind(opening, matcher, letter_departments)))
            if len(named) == 1:
                section_department = named[0]
            elif section_department is None:
                anywhere = _departments_behind(para.text, matcher, letter_departments)
                section_department = anywhere[0] if anywhere else None
        previous_numbers = numbers
        if index in excluded_paragraphs or re.search(r"\bsignature\b", para.text, re.IGNORECASE):
            continue
        table = _table_commitments(para, matcher, letter_departments, letter_date, resolver, numbers)
        if table is not None:
            found.extend(table)
            continue
        context = _Context(letter_departments, section_department, concern_by_paragraph.get(index, []))
        previous_sentence: list[ExtractedCommitment] = []  # the promises of the sentence just before
        for s_start, s_end in sentence_spans(text, para.start, para.end):
            sentence = text[s_start:s_end]
            if s_end - s_start > MAX_SENTENCE_CHARS:
                continue  # a run of text with no sentence breaks (a table or junk), not a promise
            if previous_sentence and (
                _times_previous_sentence(sentence, previous_sentence[-1], letter_date, resolver)
                or follow_up_time(sentence, previous_sentence[-1], letter_date, resolver)
            ):
                previous_sentence = []
                continue
            in_sentence: list[tuple[ExtractedCommitment, str]] = []
            for c_start, c_end in split_clauses(sentence, matcher):
                clause = sentence[c_start:c_end]
                trigger = clause_commits(clause, matcher)
                if trigger is None:
                    continue
                body = clause.strip(" ,;-")
                body = re.sub(r"^(?:and|but|while|whilst|so)\s+", "", body, flags=re.IGNORECASE).rstrip(".")
                body = _PARAGRAPH_NUMBER.sub("", body)  # "3.2 Football clubs will ...": the number is layout
                timing = _resolve_time(clause, trigger, letter_date, resolver)
                opening = _OPENING_ADVERBIAL.match(body)
                if opening and clause.find(body) + opening.end() <= trigger:
                    phrase_in_lead = timing and timing[0] and timing[0] in opening.group("lead")
                    if not phrase_in_lead:
                        body = body[opening.end() :]
                # A list introduced by a colon elaborates the promise; the promise is what comes before.
                colon = body.find(":")
                if (
                    colon > 30
                    and len(body[colon:].split()) > len(body[:colon].split())
                    and clause.find(body) + colon > trigger
                ):
                    body = body[:colon].rstrip(" ,;-")
                lead = clause.find(body)
                start = s_start + c_start + lead
                end = start + len(body)
                phrase, earliest, latest, precision = timing or (None, None, None, "none")
                numbers = sorted(
                    {int(n) for n in _CONCERN_REFERENCE.findall(clause)} | set(context.concern_numbers)
                )
                in_sentence.append(
                    (
                        ExtractedCommitment(
                            text=body,
                            department=_owner(clause, trigger, matcher, context),
                            time_phrase=phrase,
                            due_earliest=earliest,
                            due_latest=latest,
                            precision=precision,
                            start=start,
                            end=end,
                            concern_numbers=numbers,
                        ),
                        clause,
                    )
                )
            previous_sentence = _share_timing(in_sentence)
            share_opening_time(sentence, previous_sentence, letter_date, resolver)
            found.extend(previous_sentence)
    date_by_timescale_labels(layout, found, concern_by_paragraph, letter_date, resolver)
    return found


# A sentence that only says when the promise before it will happen: "We will publish a strategy. This will
# be in the autumn." / "These places will be available from January 2026." / "We expect this to be in place
# by March." Its subject points back; its verb is about delivery, not a new act.
_TIMING_FOLLOW_UP = re.compile(
    r"^(?:(?:this|these|those|it|they)(?:\s+(?!will\b|is\b|are\b|should\b)[\w'-]+){0,3}\s+"
    r"(?:will|should|(?:is|are)\s+(?:now\s+)?(?:expected|due|scheduled|planned|set)\s+to)|"
    r"(?:we|I)\s+(?:now\s+)?(?:expect|anticipate)\s+(?:this|these|it|they|them|those)\s+to)"
    r"\s+(?:now\s+|then\s+)?(?:be\s+(?:in|by|during|from|before|at|within|ready|available|published|completed?|"
    r"in\s+place|launched|operational|live|issued|finalised|delivered|implemented|introduced|rolled\s+out|held)\b|start|begin|launch|open|take\s+(?:effect|place)|come\s+into|go\s+live|"
    r"complete|conclude|finish|report|happen|commence)",
    re.IGNORECASE,
)
_FOLLOW_UP_MAX_WORDS = 25


def _times_previous_sentence(sentence: str, previous: ExtractedCommitment, letter_date, resolver) -> bool:
    """Date an undated promise from the short sentence after it that only times it; True when folded in."""
    if previous.due_latest is not None or previous.precision != "none":
        return False
    stripped = sentence.strip()
    if len(stripped.split()) > _FOLLOW_UP_MAX_WORDS or _PARTITIVE.search(stripped):
        return False
    if not _TIMING_FOLLOW_UP.match(stripped):
        return False
    timing = _resolve_time(stripped, 0, letter_date, resolver)
    if not timing or timing[2] is None:
        return False
    previous.time_phrase, previous.due_earliest, previous.due_latest, previous.precision = timing
    return True


# ------------------------------------------------------------------ action tables

# A table of actions flattened into text ("Action | Owner | Target date" rows, or tab-separated cells, as
# PDF and Word tables come out): each row is a promise, owned and dated by its own cells.
_CELL_SPLIT = re.compile(r"\s*(?:\||\t)\s*")
_ACTION_HEADER = re.compile(
    r"\b(?:actions?|commitments?|recommendations?|measures?|deliverables?|activit(?:y|ies)|steps?|milestones?|"
    r"what)\b",
    re.IGNORECASE,
)
_OWNER_HEADER = re.compile(
    r"\b(?:owners?|lead|leads|responsib\w*|department|organisation|body|who)\b", re.IGNORECASE
)
_DATE_HEADER = re.compile(
    r"\b(?:dates?|deadlines?|timescales?|timings?|timelines?|when|due|target|completion|delivery)\b",
    re.IGNORECASE,
)
_STATUS_HEADER = re.compile(r"\b(?:status|progress|rag)\b", re.IGNORECASE)
_DONE_CELL = re.compile(
    r"^(?:complete[d]?|done|delivered|achieved|implemented|closed|in\s+place|published|met)\b", re.IGNORECASE
)
_UNDATED_CELL = re.compile(
    r"^(?:ongoing|tbc|tba|tbd|to\s+be\s+(?:confirmed|agreed|determined)|n/?a)\b", re.IGNORECASE
)
_ROW_REFERENCE = re.compile(
    r"^(?:(?:R|Rec(?:ommendation)?|Action|A)\.?\s*)?(?P<number>\d{1,2})(?:\.\d{1,2})?[.:)]?\s+(?=\S)",
    re.IGNORECASE,
)


def _table_columns(header: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        for name, pattern in (
            ("status", _STATUS_HEADER),
            ("date", _DATE_HEADER),
            ("owner", _OWNER_HEADER),
            ("action", _ACTION_HEADER),
        ):
            if name not in columns and pattern.search(cell):
                columns[name] = i
                break
    if "action" not in columns or not ({"date", "status"} & columns.keys()):
        return None
    return columns


def _table_commitments(para, matcher, letter_departments, letter_date, resolver, concern_numbers):
    """Commitments from a paragraph that is an action table, or None when it is not one."""
    lines = para.text.split("\n")
    if len(lines) < 2 or "|" not in para.text and "\t" not in para.text:
        return None
    rows = [[cell.strip() for cell in _CELL_SPLIT.split(line.strip().strip("|"))] for line in lines]
    if sum(1 for row in rows if len(row) >= 2) < 2:
        return None
    columns = _table_columns(rows[0])
    if columns is None:
        return None
    out: list[ExtractedCommitment] = []
    offset = para.start
    for line, row in zip(lines[1:], rows[1:], strict=True):
        offset = para.start + para.text.find(line, offset - para.start)
        action = row[columns["action"]] if columns["action"] < len(row) else ""
        when = row[columns["date"]] if "date" in columns and columns["date"] < len(row) else ""
        status = row[columns["status"]] if "status" in columns and columns["status"] < len(row) else ""
        if len(action.split()) < 2 or _DONE_CELL.match(when) or _DONE_CELL.match(status):
            continue  # a row already delivered is a report of past work
        reference = _ROW_REFERENCE.match(action)
        numbers = [int(reference.group("number"))] if reference else list(concern_numbers)
        text = action[reference.end() :] if reference else action
        phrase, earliest, latest, precision = None, None, None, "none"
        if _UNDATED_CELL.match(when):
            phrase, precision = when, "vague"
        elif when and resolver is not None:
            deadline = resolver(f"by {when}", letter_date or _UNDATED_REFERENCE)
            if (
                deadline is not None
                and deadline.phrase
                and (not letter_date or not deadline.due_latest or deadline.due_latest >= letter_date)
            ):
                phrase = when
                earliest, latest, precision = deadline.due_earliest, deadline.due_latest, deadline.precision
                if letter_date is None and latest is not None:
                    earliest = latest = None
                    precision = "vague"
        owner_cell = row[columns["owner"]] if "owner" in columns and columns["owner"] < len(row) else ""
        owners = [name for name, _, _ in matcher.find(owner_cell)]
        department = owners[0] if owners else body_parent(owner_cell)
        if department is None:
            department = letter_departments[0] if letter_departments else None
        start = offset + line.find(text)
        out.append(
            ExtractedCommitment(
                text=text,
                department=department,
                time_phrase=phrase,
                due_earliest=earliest,
                due_latest=latest,
                precision=precision,
                start=start,
                end=start + len(text),
                concern_numbers=numbers,
            )
        )
    return out


# A later clause that points back at the earlier promise: "..., and we expect to launch that consultation in
# the spring", "..., and the updated chapter will be published in Q1 2026", "..., and we expect these to be
# available by March". "that" counts only as a determiner, not as "we expect that ...".
_BACK_REFERENCE = re.compile(
    r"\b(?:this|these|those|it|its|they|them|the\s+(?:same|updated|revised|new|resulting|final|amended)|"
    r"that(?!\s+(?:we|I|the|a|an|it|they|this|these|there|all|any|every|each|our|my|their)\b))\b",
    re.IGNORECASE,
)
_DELIVERY_ONLY = re.compile(
    r"^(?:and\s+)?(?:we|I)\s+(?:\w+\s+)?(?:expect|anticipate)\s+(?:these|this|it|they|them|those)\s+to\s+be\b",
    re.IGNORECASE,
)


# The later clause must be about the earlier thing's delivery, not a new act ("and we will write to every
# head teacher about it" is a promise of its own, with its own date).
_DELIVERY_VERB = re.compile(
    r"\b(?:will|shall|(?:expects?|anticipates?)(?:\s+[\w'-]+){0,4}?\s+to)\s+(?:now\s+|also\s+|then\s+)?"
    r"(?:be\b|launch|publish|complete|conclude|report|start|begin|open|finish|take\s+effect|come\s+into|go\s+live)",
    re.IGNORECASE,
)


# "A review will be commissioned once the Panel has run for two years, and its terms of reference will be
# published by December": the earlier promise is timed by an event of its own, not by the later date.
_EVENT_TIMED = re.compile(r"\b(?:once|as\s+soon\s+as|until)\s+\w+", re.IGNORECASE)

_PARTITIVE = re.compile(
    r"\b(?:first|second|last|one|some|part|each|any|none|several|two|three)\s+of\s+(?:these|those|them|it|which)\b",
    re.IGNORECASE,
)


def _share_timing(items: list[tuple[ExtractedCommitment, str]]) -> list[ExtractedCommitment]:
    """Give an undated promise the time of the clause after it that only times or delivers it.

    "We intend to consult on X, and we expect to launch that consultation in the spring": the promise to
    consult is due in the spring. A later clause that says no more than when the earlier thing will be
    ready ("we expect these to be available by March") is folded into it rather than kept on its own.
    """
    out: list[ExtractedCommitment] = []
    previous_clause = ""
    for index, (commitment, clause) in enumerate(items):
        if index and out and commitment.due_latest is not None and not _EVENT_TIMED.search(previous_clause):
            previous = out[-1]
            refers_back = _BACK_REFERENCE.search(clause[: clause.find(commitment.time_phrase or "") or None])
            # "and the first of these will open in April" times a part, not the whole promise
            delivers = _DELIVERY_VERB.search(clause) and not _PARTITIVE.search(clause)
            if previous.due_latest is None and previous.precision == "none" and refers_back and delivers:
                previous.time_phrase, previous.due_earliest = commitment.time_phrase, commitment.due_earliest
                previous.due_latest, previous.precision = commitment.due_latest, commitment.precision
                if _DELIVERY_ONLY.match(commitment.text):
                    continue
        out.append(commitment)
        previous_clause = clause
    return out
