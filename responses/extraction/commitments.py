"""Find promises of future action in a letter's body, with owner, time phrase and due date.

The rules are linguistic, not keyed to any letter: a clause is a commitment when its verb group
promises a future act (will/shall + action verb, intend/plan to, have committed/agreed to, is due to
be published, have asked X to ...) by the government or a named actor. Descriptions of past or
ongoing work, mission statements ("we are committed to ..."), conditionals ("would"), questions,
quotations of the report and evaluative futures ("this will enable ...") are left out.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from .departments import DepartmentMatcher
from .layout import Layout, sentence_spans

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
_INTEND = re.compile(
    r"\b(?:intends?|plans?|aims?|proposes?|expects?|(?:am|is|are)\s+(?:planning|preparing|going|intending|aiming|proposing))"
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
_INTENTION = re.compile(
    r"\b(?:it\s+is\s+(?:our|my|the\s+\w+'s)\s+intention\s+to|our\s+intention\s+is\s+to)\b", re.IGNORECASE
)
_COMMITTED = re.compile(
    r"\b(?P<aux>(?:has|have|had)\s+(?:also\s+|now\s+|already\s+|previously\s+|publicly\s+)?)?"
    r"(?P<verb>committed|pledged|promised|undertaken|undertook|agreed)\s+(?:(?:with|to)\s+[^,;.]{1,60}?\s+)?to\s+\w+",
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
_PLANNED = re.compile(r"\b(?:(?:is|are)\s+(?:also\s+|now\s+)?planned\b|planned\s+for\b)", re.IGNORECASE)
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


def _modal_commits(clause: str, match: re.Match, matcher: DepartmentMatcher | None) -> bool:
    if match.group(0)[0] == "W" and re.match(r"\s+[A-Z]", clause[match.end() :]):
        return False  # a name ("Will Quince"), not the modal
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
    if form in {"progressive", "passive", "able"}:
        return kind == "named" or _in(verb, _OUTPUT)
    if kind == "anaphoric":
        return _in(verb, _OUTPUT)
    return (
        not _in(verb, _STATIVE)
        or verb in {"ensure", "provide", "support", "create", "improve", "strengthen", "offer"}
        and not re.match(r"^[A-Z]?[a-z]+ing\b", subject)
    )


def _subject_is_ours(clause: str, start: int, matcher: DepartmentMatcher | None) -> bool:
    if _POSSESSIVE_BEFORE.search(clause[:start]):
        return False  # "the Government's plans to ..." is a noun phrase, not a statement of intent
    kind, _ = _subject(clause[:start], matcher)
    return kind in {"first", "government"}


# Every trigger below contains one of these words; most sentences have none and are dismissed at once.
_ANY_TRIGGER = re.compile(
    r"\b(?:will|shall|intend|intends|plan|plans|planning|planned|aim|aims|aiming|propose|proposes|proposing|expect|"
    r"expects|anticipate|anticipates|preparing|going|intending|intention|committed|commits|commit|pledged|promised|"
    r"undertaken|undertook|agreed|asked|instructed|tasked|directed|invited|due|scheduled|expected|set|introducing|"
    r"establishing|launching|legislating|bringing|setting|publishing|laying)\b|'ll\b",
    re.IGNORECASE,
)


# The letter talking about itself ("I will respond to each in turn", "as I will explain below").
_SIGNPOST = re.compile(
    r"\b(?:will|shall)\s+(?:now\s+|also\s+|briefly\s+)?(?:respond|reply|turn|address|answer|deal|explain|outline|set\s+out|"
    r"describe|cover|summarise|take)\b[^.;]{0,40}\b(?:in\s+turn|below|as\s+follows|in\s+this\s+(?:letter|response|reply)|"
    r"in\s+the\s+(?:paragraphs|sections)\s+(?:below|that\s+follow)|here)\b",
    re.IGNORECASE,
)


def clause_commits(clause: str, matcher: DepartmentMatcher | None = None) -> int | None:
    """Offset within the clause of the word that makes it a commitment, or None."""
    if not _ANY_TRIGGER.search(clause) or _SIGNPOST.search(clause):
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
        if _subject_is_ours(clause, match.start(), matcher):
            hits.append(match.start())
            break
    for match in _INTENTION.finditer(clause):
        hits.append(match.start())
        break
    for match in _COMMITTED.finditer(clause):
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
    return min(hits) if hits else None


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
    """The responding department that owns a promise.

    A promise belongs to one of the departments that wrote the letter: the one named as its subject ("DHSC
    will lead ...", "DWP and DHSC have agreed ..." -> the first named); an agency or other body named as
    subject ("HMPPS will ...", "NHS England will ...") acts for the writing department. In a joint letter a
    "we" promise belongs to a department named in the same sentence, else to the first one named in its
    section; otherwise to the letter's (first) department.
    """
    responding = context.letter_departments
    kind, _ = _subject(clause[:trigger], matcher)
    if kind in {"government", "named"}:
        named = [name for name, _, _ in matcher.find(clause[:trigger])]
        ours = [name for name in named if name in responding] if responding else named
        if ours:
            return ours[0]
    if len(responding) > 1:
        anywhere = [name for name, _, _ in matcher.find(clause) if name in responding]
        if anywhere:
            return anywhere[0]
        if context.section_department:
            return context.section_department
    return responding[0] if responding else None


_UNDATED_REFERENCE = date(2000, 1, 1)
_UNDATED_PROBE = date(2001, 6, 15)


def _resolve_time(clause: str, trigger: int, letter_date: date | None, resolver):
    """Time phrase after the promise first, else anywhere in the clause; never due before the letter."""
    if resolver is None:
        return None
    # Undated letter: resolve against a reference long before any letter, then keep only what does
    # not depend on it (absolute dates); relative phrases keep their words but get no date.
    reference = letter_date or _UNDATED_REFERENCE
    for text, offset in ((clause[trigger:], trigger), (clause, 0)):
        try:
            deadline = resolver(text, reference)
        except Exception:  # the resolver is another module's; a failure there must not lose the commitment
            return None
        if deadline is None or not getattr(deadline, "phrase", None):
            continue
        if offset == 0 and deadline.start is not None and deadline.start >= trigger:
            pass  # found after the promise after all (the first attempt rejected it as past)
        elif offset == 0 and deadline.start is not None and len(clause[: deadline.start].split()) > 2:
            # Before the promise, only an opening adverbial times it ("From April 2021, ...");
            # elsewhere it dates some other event ("Since the session on 23 January, ... we will").
            continue
        if letter_date and deadline.due_latest and deadline.due_latest < letter_date:
            continue
        if letter_date is None and deadline.due_latest:
            # Relative phrases ("later this year") cannot be dated without the letter's date.
            probe = resolver(text, _UNDATED_PROBE)
            if probe is None or probe.due_latest != deadline.due_latest:
                return deadline.phrase, None, None, "vague"
        return deadline.phrase, deadline.due_earliest, deadline.due_latest, deadline.precision
    return None


def _load_resolver():
    try:
        from responses.deadlines import resolve
    except ImportError:
        return None
    return resolve


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
) -> list[ExtractedCommitment]:
    text = layout.text
    resolver = _load_resolver()
    title_keys = {_title_key(title) for title in report_titles if title}
    found: list[ExtractedCommitment] = []
    section_department: str | None = None
    list_lead: str | None = None  # "We will:" - the subject whose promises the following list items are
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
        list_lead = None
        lead = _LIST_LEAD.search(para.text)
        if lead:
            list_lead = para.text[: lead.start("colon")]
        if para.is_heading or _is_title_line(para.text, title_keys):
            section_department = None
            continue
        if section_department is None and len(letter_departments) > 1:
            named = [name for name, _, _ in matcher.find(para.text) if name in letter_departments]
            section_department = named[0] if named else None
        if index in excluded_paragraphs or re.search(r"\bsignature\b", para.text, re.IGNORECASE):
            continue
        context = _Context(letter_departments, section_department, concern_by_paragraph.get(index, []))
        for s_start, s_end in sentence_spans(text, para.start, para.end):
            sentence = text[s_start:s_end]
            if s_end - s_start > MAX_SENTENCE_CHARS:
                continue  # a run of text with no sentence breaks (a table or junk), not a promise
            for c_start, c_end in split_clauses(sentence, matcher):
                clause = sentence[c_start:c_end]
                trigger = clause_commits(clause, matcher)
                if trigger is None:
                    continue
                body = clause.strip(" ,;-")
                body = re.sub(r"^(?:and|but|while|whilst|so)\s+", "", body, flags=re.IGNORECASE).rstrip(".")
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
                found.append(
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
                    )
                )
    return found
