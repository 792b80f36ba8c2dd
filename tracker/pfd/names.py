"""Addressee names as coroners write them, made comparable.

- name_key(): the spelling-insensitive key of the alias table ('The Department for Health & Social Care' and
  'department for health and social care' share one);
- addressee_name(): the organisation a written name means, with people and roles taken off
  ('[REDACTED], Chief Executive NHS England' is NHS England; 'Rt Hon Victoria Atkins, Secretary of State for
  Health and Social Care' is the Department of Health and Social Care; 'HMP Pentonville' is HM Prison
  Pentonville);
- kind_of(): the kind of organisation a name suggests (NHS body, police force, council, company ...);
- same_body() and similarity(): whether two keys name the same body with a typo or a generic word more or
  less, and how close two names are (for the suggestions of the review queue).

The rule tables are data, at the top of the module: add a role or a kind there, not in the code.
"""

import dataclasses
import difflib
import functools
import re

from tracker.pfd.dates import clean

# Roles whose holder answers for a department: 'Secretary of State for Health' -> the department's name as
# the alias table knows it. Patterns are matched against the key (lower case, '&' as 'and').
ROLE_DEPARTMENTS = [
    (r"(welsh|wales) (assembly )?government|minister for health (and )?social services", "Welsh Government"),
    (
        r"(secretary of state|minister|ministers?) (of state )?for (the )?(department of )?health",
        "Department of Health and Social Care",
    ),
    (
        r"minister (of state )?for (mental health|care|patient safety|public health|social care)",
        "Department of Health and Social Care",
    ),
    (
        r"(secretary of state|minister) (of state )?for justice|lord chancellor|minister (of state )?for prisons",
        "Ministry of Justice",
    ),
    (
        r"home secretary|secretary of state for the home department|(secretary of state|minister) (of state )?for (the )?home (office|affairs)",
        "Home Office",
    ),
    (r"minister (of state )?for (crime|policing|safeguarding|security)", "Home Office"),
    (
        r"(secretary of state|minister) (of state )?for education|minister (of state )?for (children|schools)",
        "Department for Education",
    ),
    (
        r"(secretary of state|minister) (of state )?for transport|minister (of state )?for (roads|rail|aviation)",
        "Department for Transport",
    ),
    (r"(secretary of state|minister) (of state )?for work and pensions", "Department for Work and Pensions"),
    (r"(secretary of state|minister) (of state )?for defence", "Ministry of Defence"),
    (
        r"(secretary of state|minister) (of state )?for (levelling up|housing|communities)",
        "Ministry of Housing, Communities and Local Government",
    ),
    (r"(secretary of state|minister) (of state )?for (business|trade)", "Department for Business and Trade"),
    (
        r"(secretary of state|minister) (of state )?for (digital|culture|media|sport)",
        "Department for Culture, Media and Sport",
    ),
    (
        r"(secretary of state|minister) (of state )?for (environment|food|rural affairs)",
        "Department for Environment, Food and Rural Affairs",
    ),
    (
        r"(secretary of state|minister) (of state )?for (energy|net zero)",
        "Department for Energy Security and Net Zero",
    ),
    (
        r"(secretary of state|minister) (of state )?for science",
        "Department for Science, Innovation and Technology",
    ),
    (
        r"(secretary of state|minister) (of state )?for foreign",
        "Foreign, Commonwealth and Development Office",
    ),
    (r"chancellor of the exchequer", "HM Treasury"),
    (r"attorney general", "Attorney General's Office"),
    (r"chancellor of the duchy of lancaster|minister for the cabinet office", "Cabinet Office"),
]

# The kind of organisation a name suggests, first match wins (values of tracker.models.Department.Kind).
KIND_RULES = [
    (
        r"^hm prison |prison and probation|probation service|young offender|immigration removal centre",
        "public_body",
    ),
    (r"\b(ministry of|department (of|for))\b", "ministerial"),
    (r"\b(police|constabulary|chief constable)\b", "police"),
    (r"\bfire (and|&) rescue\b|\bfire brigade\b|\bfire service\b", "fire_rescue"),
    (
        r"\bnhs\b|\bhealth board\b|\bintegrated care board\b|\bicb\b|\bclinical commissioning group\b|\bccg\b"
        r"|\bambulance service\b|\bambulance trust\b|\bfoundation trust\b|\bhospitals? (nhs )?trust\b"
        r"|\bhealthcare (nhs )?trust\b|\bpartnership (nhs )?trust\b|\b(university|teaching|general|district|community) hospitals?\b",
        "nhs",
    ),
    (
        r"\b(county|borough|city|district|metropolitan|town|parish|unitary) council\b|^london borough of|^royal borough of",
        "local_authority",
    ),
    (r"^(\w+ ){0,3}council$", "local_authority"),
    (
        r"\broyal college\b|\bcollege of\b|\bassociation\b|\bsociety\b|\binstitute\b|\bfaculty of\b"
        r"|\bgeneral (medical|pharmaceutical|dental|optical) council\b|\bnursing and midwifery council\b|\bfederation\b",
        "professional",
    ),
    (r"\b(school|academy|university|college|nursery)\b", "education"),
    (
        r"\b(care home|nursing home|residential home|surgery|medical (centre|practice|group)|health centre|group practice"
        r"|pharmacy|chemist|hospice|care (centre|services)|homecare|home care|dental|practice)\b",
        "care_provider",
    ),
    (r"\b(ltd|limited|plc|llp|inc|llc)\b", "company"),
    (r"\b(charity|samaritans|mind|barnardo|foundation)\b", "charity"),
]
# Kinds that are guesses from no keyword at all: such a name may match an organisation of any kind.
UNKNOWN_KIND = "other"

# Words that do not tell one body from another ('Whittington Health' is 'Whittington Health NHS Trust').
GENERIC_WORDS = frozenset(
    "the of and for a nhs trust foundation ft limited ltd plc llp inc uk group services service council county "
    "borough city metropolitan district company co incorporated".split()
)
_ROLE_PREFIX = re.compile(
    r"^(?:the\s+)?(?:acting\s+|interim\s+|deputy\s+)?(?:chief\s+executive(?:\s+officer)?|ceo|chair(?:man|woman|person)?"
    r"|managing\s+director|director(?:\s+general)?|medical\s+director|chief\s+nursing\s+officer|chief\s+officer"
    r"|general\s+secretary|registered\s+manager|home\s+manager|practice\s+manager|president|head|principal"
    r"|clerk|leader|chief\s+fire\s+officer|accountable\s+officer)(?:\s+(?:of|at|for)\b|\s*[,:\-–]|\s)\s*",
    re.I,
)
_PERSON_BEFORE_ROLE = re.compile(
    r"^(?:\[?redacted\]?|(?:the\s+)?(?:rt\.?\s+hon\.?|right\s+honourable|dr\.?|mr\.?|mrs\.?|ms\.?|miss|sir|dame|prof\.?|professor|baroness|lord|lady)\b[^,]*?)\s*,\s*",
    re.I,
)
_PRISON = re.compile(
    r"^(?:hmp\s*(?:/|and|&)?\s*yoi|hm\s*p\s*(?:/|and|&)\s*yoi|hmyoi|hm\s+yoi|hmp|h\.m\.p\.?|hm\s+prison(?:\s+and\s+yoi)?|his majesty'?s prison|her majesty'?s prison"
    r"|hm\s+young\s+offender\s+institution)\s+(?P<name>[a-z][\w' -]+?)$",
    re.I,
)
_PRISON_AFTER = re.compile(r"^(?P<name>[a-z][\w' -]+?)\s+(?:prison|young offender institution)$", re.I)
_ABBREVIATION_IN_BRACKETS = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z&]{1,9})\)\s*")
_BRACKETS = re.compile(r"[()\[\]{}]")


@dataclasses.dataclass
class AddresseeName:
    """What a written name means: the organisation's name, how we know, and an abbreviation it came with."""

    name: str  # the organisation's name to look up or create
    key: str  # name_key(name)
    rule: str = ""  # '' (the name as written), 'role', 'prison', 'person'
    abbreviation: str = ""


# Words spelled two ways for the same thing ('Gloucestershire Constabulary' is 'Gloucestershire Police').
SAME_WORDS = {"ltd": "limited", "dept": "department", "dep": "department", "constabulary": "police"}


def name_key(name):
    """The alias table's key: lower case, '&' as 'and', no apostrophes, punctuation as spaces, no leading
    'the', 'Ltd' as 'limited', 'London Borough of X' as 'x council'."""
    text = clean(name).lower().replace("&", " and ").replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "s", text).replace("'", "")
    text = re.sub(r"^(?:london|royal) borough of (.+)$", r"\1 council", text)
    words = re.findall(r"[a-z0-9]+", text)
    words = [SAME_WORDS.get(w, w) for w in words]
    while words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def addressee_name(written):
    """The organisation a written addressee name means (see the module's docstring). Returns None for a name
    that says nothing (empty, or only a redaction)."""
    text = clean(written).replace("’", "'").strip(" .,;:-–")
    text = re.sub(r"^(?:to:?\s+|\d+[.)]\s*|\(?[a-z][.)]\s+)", "", text, flags=re.I)
    if not text or re.fullmatch(r"\[?redacted\]?", text, re.I):
        return None
    rule = ""
    person = _PERSON_BEFORE_ROLE.match(text)
    if person and len(text) > person.end():
        text, rule = text[person.end() :], "person"
    without_role = _ROLE_PREFIX.sub("", text, count=1)
    if without_role != text and len(without_role) > 2:
        text, rule = without_role, rule or "person"
    text = re.sub(r"^(?:of|at|for)\s+", "", text, flags=re.I).strip(" .,;:-–")
    key = name_key(text)
    for pattern, department in ROLE_DEPARTMENTS:
        if re.search(pattern, key):
            return AddresseeName(department, name_key(department), "role")
    abbreviation = ""
    if match := _ABBREVIATION_IN_BRACKETS.search(text):
        rest = (text[: match.start()] + " " + text[match.end() :]).strip()
        if len(rest.split()) > 1:
            text, abbreviation = rest, match.group("abbr")
    text = clean(_BRACKETS.sub(" ", text))
    match = _PRISON.match(text) or _PRISON_AFTER.match(text)
    if match and not re.match(r"(and|&)\b", match.group("name"), re.I):
        prison = "HM Prison " + " ".join(
            w if w.isupper() and len(w) <= 4 else w.capitalize() for w in match.group("name").split()
        )
        return AddresseeName(prison, name_key(prison), "prison")
    if not name_key(text):
        return None
    return AddresseeName(text, name_key(text), rule, abbreviation)


@functools.lru_cache(maxsize=20000)
def kind_of(name):
    """The kind of organisation a name suggests (a Department.Kind value), 'other' when nothing says."""
    key = name_key(name)
    for pattern, kind in KIND_RULES:
        if re.search(pattern, key):
            return kind
    return UNKNOWN_KIND


def distinctive_words(key):
    return [w for w in key.split() if w not in GENERIC_WORDS]


def _one_edit_apart(a, b):
    """Two words of five letters or more that differ by one typing slip (a letter changed, added, dropped, or
    two swapped)."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        # One letter changed, or two neighbours swapped ('Engalnd').
        return len(differ) == 1 or (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _words_match(mine, theirs):
    if len(mine) != len(theirs):
        return False
    remaining = list(theirs)
    for word in mine:
        found = next((w for w in remaining if w == word), None) or next(
            (w for w in remaining if _one_edit_apart(w, word)), None
        )
        if found is None:
            return False
        remaining.remove(found)
    return True


_INITIAL_SKIPPED = frozenset({"and", "of", "the", "for", "in", "on"})


def initials(key, keep_nhs=False):
    """'north east london nhs foundation trust' -> 'nelft' ('nelnft' with keep_nhs)."""
    skipped = _INITIAL_SKIPPED if keep_nhs else _INITIAL_SKIPPED | {"nhs"}
    return "".join(w[0] for w in key.split() if w not in skipped)


# Kinds a name's words say for certain: two names of different ones are different bodies even when their
# distinctive words agree ('Hampshire NHS Foundation Trust' is not 'Hampshire County Council').
CERTAIN_KINDS = frozenset({"nhs", "police", "fire_rescue", "local_authority", "education"})
# Words too common to identify a body alone: 'Borough Care' is not 'Care UK', 'Digital' is not 'NHS Digital'.
WEAK_WORDS = frozenset(
    "care health healthcare digital hospital hospitals university medical national british royal general "
    "community partnership home homes house centre support living housing association society college".split()
)


def kinds_compatible(a, b):
    return a == b or a not in CERTAIN_KINDS or b not in CERTAIN_KINDS


def same_body(key_a, key_b):
    """True when two keys name the same body: the same distinctive words (a slip of one letter in a long word
    allowed), so generic words ('NHS', 'Foundation', 'Trust', 'Council', 'Limited') may differ; and kinds
    their words say that agree ('Surrey Police' is not 'Surrey County Council')."""
    if key_a == key_b:
        return True
    if not kinds_compatible(kind_of(key_a), kind_of(key_b)):
        return False
    mine, theirs = distinctive_words(key_a), distinctive_words(key_b)
    if not mine or not theirs or (len(set(mine)) == 1 and mine[0] in WEAK_WORDS):
        return False
    return _words_match(sorted(set(mine)), sorted(set(theirs)))


def similarity(key_a, key_b):
    """0..1: how alike two keys read, mostly by their distinctive words ('Kent Police' is not much like
    'Metropolitan Police Service'); for ranking suggestions, never for accepting a match alone."""

    def ratio(a, b):
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()

    distinctive = ratio(" ".join(distinctive_words(key_a)), " ".join(distinctive_words(key_b)))
    return round(0.7 * distinctive + 0.3 * ratio(key_a, key_b), 3)
