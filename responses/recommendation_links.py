"""Which recommendations (or matters of concern) a promise in a response letter answers: suggestions for the
editor's review, each with the reason it was made.

Plain Python, no database (the bottom layer): the review (responses.ingestion) hands over the letter's text,
the recommendations it lists and each commitment with its place in the letter. A commitment gets the
suggestions of the first of these ways that finds any:

1. the reader's own placing: the extractor put the promise in the response section of recommendation N
   (its `concerns` / `concern_numbers`);
2. the heading it sits under: the last line before it that opens a recommendation's section ("Recommendation
   5", "Concern 2: ...", "Recommendations 3 and 4"), unless a new chapter, part or annex began since. Headings
   that follow each other with only a recommendation's own words between them open one section answered as a
   whole; the promise's words then pick among them. A table of contents names the same recommendations
   earlier: only the last heading naming them counts;
3. by number: the promise names it ("recommendation 3", "recommendations 4 and 5", "concern 2", "R7");
4. "this recommendation": the promise says "this recommendation" (or concern) under a passage, such as a
   committee's question, whose distinctive words are one recommendation's;
5. by wording: the promise, with the rest of its paragraph, shares distinctive words with one recommendation
   clearly more than with any other (words most recommendations use weigh little).

Nothing here is keyed to one letter: labels are matched as written ("8.1" too); wording by shared word stems
weighted by how few recommendations use them. Measured on the real responses with gold links in
tests/real/gold (tests/responses/test_recommendation_links.py holds the figures).
"""

import dataclasses
import math
import re

KIND_WORDS = r"(?:recommendations?|recs?\.?|concerns?|matters? of concern|conclusions?|R)"
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty"
).split()
# "3", "8.1", "4a", or a number in words ("Matter of concern five").
LABEL = r"(?:\d+(?:\.\d+)*[a-z]?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
LABELS = rf"{LABEL}(?:[ \t]*(?:,|and|&|to|-|–)[ \t]*{LABEL})*"
NUMBERED = re.compile(rf"\b{KIND_WORDS}\s*(?:no\.?\s*)?({LABELS})\b(?!\.\d)", re.IGNORECASE)
HEADING = re.compile(
    rf"^[ \t]*(?:\*\*)?[ \t]*{KIND_WORDS}[ \t]*(?:no\.?[ \t]*)?({LABELS})\b(?![.\d])(.*)$",
    re.IGNORECASE | re.MULTILINE,
)
# The rest of a heading line: nothing, a title ("Register of experts") or ": ...". Otherwise it is a sentence
# ("Recommendation 3 was accepted ...") or a cross-reference ("Recommendation 3), this ...").
HEADING_REST = re.compile(r"^(?:[:.\-–—]|[A-Z(‘'“\"]|$)")
TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|\s{3,})\s*\d+\s*$")
# A line that closes the last recommendation's section: a new chapter, part or annex, or a closing heading.
SECTION_END = re.compile(
    # a short line with no full stop: "Chapter 2: Action taken since 2017", not "Section 325 of the Act requires"
    r"^[ \t]*(?:\*\*)?[ \t]*(?:(?:Chapter|Part|Section|Annex|Annexe|Appendix)[ \t]+[0-9IVXA-Z]+\b[^\n.]{0,80}$"
    r"|(?:Conclusions?|Next steps|Summary|Background|Introduction|Other matters)[ \t]*(?:\*\*)?[ \t]*$)",
    re.MULTILINE,
)
# Words of a response, not of a recommendation: headings with them in between were answered one by one.
RESPONSE_WORDS = re.compile(
    r"\b(?:we|our|will|accepts?|accepted|agrees?|agreed|government response|response)\b", re.IGNORECASE
)
GROUPED_HEADING_CHARS = 900
THIS_ONE = re.compile(
    r"\b(?:this|that|the above|the same)\s+(?:recommendation|concern|matter of concern)\b", re.I
)

MENTIONS = re.compile(r"\b(?:recommendation|concern|recommended)", re.IGNORECASE)
WORD = re.compile(r"[a-z][a-z'-]+")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only
    or other our ours out over own same she should so some such than that the their them then there these they
    this those through to too under until up upon very was we were what when where which while who whom why will
    with would you your yours shall may might must within without across per via whether however therefore
    government department departments secretary minister ministry state recommendation recommendations concern
    concerns report reports response respond responding letter letters set out further update updates work
    continue continuing ensure ensuring consider considering including include includes new year years month
    months week weeks time day today make making made take taking taken provide providing support
    thank dear sincerely regards""".split()
)
MIN_SHARED_WEIGHT = 2.5  # a shared stem weighs 1 (every recommendation uses it) to about 1 + ln(n)
MIN_SHARED_SHARE = 0.25  # ... and the shared stems are at least this share of the text's own
COVERED = 0.75  # ... or (three or more) they are at least this share of the recommendation's own
RUNNER_UP = 0.8  # a second recommendation scoring this close makes the wording undecided
PARAGRAPH_CHARS = 300


@dataclasses.dataclass(frozen=True)
class Recommendation:
    """A recommendation as the review lists it: its label as the report numbers it ("3", "8.1", ""), its text."""

    label: str
    text: str


@dataclasses.dataclass(frozen=True)
class Commitment:
    text: str
    start: int | None = None  # where the promise sits in the letter's text, when known
    end: int | None = None
    concern_numbers: tuple = ()  # the reader's own placing, when it made one


@dataclasses.dataclass(frozen=True)
class Suggestion:
    index: int  # into the recommendations given
    reason: str  # for the editor: "it sits under the heading of recommendation 3" ...


def _key(label):
    key = re.sub(r"^(?:r|rec)\.?\s*", "", str(label).strip().lower())
    if key in NUMBER_WORDS:
        key = str(NUMBER_WORDS.index(key) + 1)
    return key.lstrip("0") or "0"


def _expand(labels):
    """'4 and 5' -> ['4', '5']; '3-5' -> ['3', '4', '5']; '8.1, 8.2' -> ['8.1', '8.2']."""
    found = []
    for part in re.split(r"\s*(?:,|and|&)\s*", labels):
        span = re.fullmatch(r"(\d+)\s*(?:to|-|–)\s*(\d+)", part.strip())
        if span and int(span[1]) < int(span[2]) <= int(span[1]) + 50:
            found.extend(str(n) for n in range(int(span[1]), int(span[2]) + 1))
        elif part.strip():
            found.extend(p for p in re.split(r"\s*(?:to|-|–)\s*", part.strip()) if p)
    return found


def _stem(word):
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _stems(text):
    return {_stem(w.strip("'-")) for w in WORD.findall(text.lower()) if len(w) > 2} - STOPWORDS


class _Wording:
    """Recommendations as sets of word stems, each stem weighted by how few recommendations use it."""

    def __init__(self, recommendations):
        self.stems = [_stems(r.text) for r in recommendations]
        counts = {}
        for stems in self.stems:
            for stem in stems:
                counts[stem] = counts.get(stem, 0) + 1
        self.unseen = 1 + math.log(len(self.stems) + 1)
        self.weight = {stem: 1 + math.log(len(self.stems) / n) for stem, n in counts.items()}

    def best(self, text, among=None, min_share=MIN_SHARED_SHARE, coverage=False):
        """(index, shared words) of the recommendation sharing clearly the most distinctive words with the
        text, or None when none shares enough or another shares nearly as much."""
        stems = _stems(text)
        own = sum(self.weight.get(s, self.unseen) for s in stems) or 1
        scored = []
        for index, theirs in enumerate(self.stems):
            if among is not None and index not in among:
                continue
            shared = stems & theirs
            score = sum(self.weight[s] for s in shared)
            # Enough of the text is the recommendation's, or most of a (short) recommendation is in the text.
            whole = sum(self.weight[s] for s in theirs) or 1
            covered = score / own >= min_share or (coverage and len(shared) >= 3 and score / whole >= COVERED)
            if score >= MIN_SHARED_WEIGHT and len(shared) >= 2 and covered:
                scored.append((score, index, shared))
        scored.sort(key=lambda item: -item[0])
        if not scored or (len(scored) > 1 and scored[1][0] >= scored[0][0] * RUNNER_UP):
            return None
        shared = scored[0][2]
        words = dict.fromkeys(
            w.strip("'-") for w in WORD.findall(text.lower()) if _stem(w.strip("'-")) in shared
        )
        return scored[0][1], list(words)


class _Letter:
    def __init__(self, text, recommendations):
        self.text = text or ""
        self.recommendations = recommendations
        self.by_label = {}
        for index, recommendation in enumerate(recommendations):
            if recommendation.label:
                self.by_label.setdefault(_key(recommendation.label), index)
        self.wording = _Wording(recommendations)
        self.headings = self._headings()

    def indexes(self, labels):
        return [self.by_label[_key(label)] for label in _expand(labels) if _key(label) in self.by_label]

    def _headings(self):
        """(offset, [indexes]) of each line opening a recommendation's section, in order."""
        found = []
        for match in HEADING.finditer(self.text):
            if TOC_LINE.search(match[0]) or len(match[0]) > 240 or not HEADING_REST.match(match[2].strip()):
                continue
            indexes = self.indexes(match[1])
            if indexes:
                found.append((match.start(), indexes, " ".join(match[0].replace("*", "").split())[:80]))
        last = {tuple(indexes): offset for offset, indexes, _ in found}
        return [heading for heading in found if last[tuple(heading[1])] == heading[0]]

    def section_of(self, commitment):
        """(index, heading) of the recommendations whose section holds the commitment (module docstring, way 2)."""
        before = [h for h in self.headings if h[0] < commitment.start]
        if not before or SECTION_END.search(self.text, before[-1][0], commitment.start):
            return []
        heading = dict.fromkeys(before[-1][1], before[-1][2])
        group = list(before[-1][1])
        for (offset, indexes, text), (next_offset, *_) in zip(
            reversed(before[:-1]), reversed(before[1:]), strict=False
        ):
            between = self.text[offset:next_offset].split("\n", 1)[-1]
            if next_offset - offset > GROUPED_HEADING_CHARS or RESPONSE_WORDS.search(between):
                break
            group[:0] = indexes
            heading.update({index: text for index in indexes})
        group = list(dict.fromkeys(group))
        if len(group) > 1:
            best = self.wording.best(commitment.text, among=group)
            if best:
                group = [best[0]]
        return [(index, heading[index]) for index in group]

    def paragraph(self, commitment, before=0):
        """The promise with the rest of its paragraph (and `before` paragraphs before it), at most
        PARAGRAPH_CHARS (times the paragraphs) either side: text read from PDFs often has no blank lines."""
        if commitment.start is None or commitment.end is None:
            return commitment.text
        reach = PARAGRAPH_CHARS * (1 + before)
        low, high = max(0, commitment.start - reach), min(len(self.text), commitment.end + PARAGRAPH_CHARS)
        start = commitment.start
        for _ in range(before + 1):
            found = self.text.rfind("\n\n", low, start)
            start = found if found >= 0 else low
        end = self.text.find("\n\n", commitment.end, high)
        return self.text[start : end if end >= 0 else high].strip()

    def suggest(self, commitment):
        found = [
            Suggestion(index, f"the reader placed it in the response to {number}")
            for number in commitment.concern_numbers or ()
            for index in self.indexes(str(number))
        ]
        if not found and commitment.start is not None:
            found = [
                Suggestion(index, f"it sits under the heading “{heading}”")
                for index, heading in self.section_of(commitment)
            ]
        if not found:
            found = [
                Suggestion(index, f"it names {match[0].strip()}")
                for match in NUMBERED.finditer(commitment.text)
                for index in self.indexes(match[1])
            ]
        if not found and (this := THIS_ONE.search(commitment.text)):
            # The passage is long and about one thing: any recommendation's words in it count.
            best = self.wording.best(self.paragraph(commitment, before=2), min_share=0)
            if best:
                index, shared = best
                found = [
                    Suggestion(index, f"it says “{this[0]}” after a passage about “{', '.join(shared[:4])}”")
                ]
        if not found:
            # A promise that speaks of a recommendation and holds most of one's words ("we will respond to
            # your recommendation on trialling a national practice framework"), or whose paragraph is clearly
            # about one.
            speaks_of_one = MENTIONS.search(commitment.text) is not None
            best = (speaks_of_one and self.wording.best(commitment.text, coverage=True)) or self.wording.best(
                self.paragraph(commitment)
            )
            if best:
                index, shared = best
                found = [Suggestion(index, f"it shares the words “{', '.join(shared[:4])}”")]
        unique = {}
        for suggestion in found:
            unique.setdefault(suggestion.index, suggestion)
        return list(unique.values())


def suggest(letter_text, recommendations, commitments):
    """For each commitment (in order), the list of Suggestions of the recommendations it seems to answer."""
    recommendations = [r if isinstance(r, Recommendation) else Recommendation(**r) for r in recommendations]
    if not recommendations:
        return [[] for _ in commitments]
    letter = _Letter(letter_text, recommendations)
    return [letter.suggest(commitment) for commitment in commitments]
