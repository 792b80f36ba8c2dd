"""Published responses to PFD reports, as judiciary.uk names their files, and whom each came from.

judiciary.uk files a response as '/wp-content/uploads/2023/12/2023-0128-Response-from-NHS-England.pdf'
(older ones: 'Response-by-', 'Kevin-GILBERT-Response.pdf', '2017-0440-Leicestershire-Partnership-NHS-Trust.pdf').
From the address we read the month it was published (uploads/2023/12: on or before 31 December 2023) and,
where the file name gives it, the sender; attribute() then finds the addressee(s) that sender is.
"""

import calendar
import dataclasses
import datetime
import re
from urllib.parse import unquote, urlparse

from tracker.pfd.names import (
    GENERIC_WORDS,
    distinctive_words,
    initials,
    kind_of,
    kinds_compatible,
    name_key,
    same_body,
    similarity,
)

_UPLOADED = re.compile(r"/uploads/(\d{4})/(\d{2})/")
_REFERENCE = re.compile(r"(?<![0-9])(?:19|20)\d{2}[-_ ]?\d{3,5}(?:[a-z](?![a-z]))?(?![0-9])", re.I)
_NOISE = re.compile(
    r"(?:[-_ .]+(?:redacted|redcated|redac|published|amended|final|signed|action[-_ ]plan|letter|copy|v\d|\d{1,2}))+$",
    re.I,
)
_RESPONSE_WORDS = re.compile(
    r"(?:^|[-_ ])(?:(?:amended|revised|further|interim|updated|second|final)[-_ ])?(?:(?:pfd|reg(?:ulation)?[-_ ]?28)[-_ ])?(?:responses?|reply|replies)(?:[-_ ]+(?:from|by|form|of|to))?(?:[-_ ]|$)",
    re.I,
)
_THE_REPORT_ITSELF = re.compile(
    r"prevention[-_ ]of[-_ ]future[-_ ]deaths?[-_ ]report|regulation[-_ ]28[-_ ]report", re.I
)
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "nhs", "in", "on"})  # not part of a deceased's name


@dataclasses.dataclass
class Reply:
    url: str
    sender: str  # '' when the file name does not say
    published_by: datetime.date | None  # the last day of the month of its upload
    is_response: bool  # False for the report itself listed among the responses


def read_reply_url(url, deceased=""):
    """The sender and publication month a response's address gives (see the module's docstring)."""
    path = urlparse(url).path
    published_by = None
    if match := _UPLOADED.search(path):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            published_by = datetime.date(year, month, calendar.monthrange(year, month)[1])
    stem = unquote(path.rsplit("/", 1)[-1])
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", stem)
    answers = re.search(r"respon|reply", stem, re.I)
    # The report itself (or its amended version) listed among the responses: '...-Prevention-of-future-deaths-
    # report-2023-0477_Published.pdf', 'Greg-Hutchins-2018-0129Amended_Redacted.pdf'.
    if not answers and (_THE_REPORT_ITSELF.search(stem) or re.search(r"\d(?:[-_ ])?amended", stem, re.I)):
        return Reply(url, "", published_by, False)
    stem = _NOISE.sub("", stem)
    stem = _REFERENCE.sub(" ", stem)
    if deceased:
        for word in sorted(re.findall(r"[A-Za-z']+", deceased), key=len, reverse=True):
            if len(word) > 2 and word.lower() not in _SMALL_WORDS:
                # 'Joyce-PlestedR.pdf': the name with a one-letter suffix is still the name.
                stem = re.sub(
                    rf"(?:^|(?<=[-_ ])){re.escape(word)}[A-Za-z]?(?=[-_ ]|$)", " ", stem, flags=re.I
                )
    stem = _RESPONSE_WORDS.sub(" ", stem)
    stem = _NOISE.sub("", stem.strip("-_ "))
    words = [w for w in re.split(r"[-_ ]+", stem) if w]
    # A lone letter or number left over ('R', 'a', '2') is a file suffix, not a sender.
    sender = " ".join(words) if len("".join(words)) > 2 or (len(words) == 1 and words[0].isupper()) else ""
    if sender and not re.search(r"[A-Za-z]{2}", sender):
        sender = ""
    return Reply(url, sender, published_by, True)


def _names_match(sender_key, name_keys):
    """How well a sender matches one addressee known by `name_keys` (0: not at all)."""
    best = 0.0
    sender_words = set(distinctive_words(sender_key))
    for key in name_keys:
        if not key:
            continue
        if sender_key == key or same_body(sender_key, key):
            return 1.0
        words = set(distinctive_words(key))
        # 'NELFT' or 'NELFT NHS Foundation Trust' for 'North East London NHS Foundation Trust'.
        compact = next(iter(sender_words)) if len(sender_words) == 1 else ""
        if 2 <= len(compact) <= 8 and compact in (initials(key), initials(key, keep_nhs=True)):
            best = max(best, 0.95)
        elif (
            sender_words
            and words
            and (sender_words <= words or (words <= sender_words and len(words) >= 2))
            and kinds_compatible(kind_of(sender_key), kind_of(key))  # 'Kent County Council' is no NHS trust
        ):
            # 'Barts NHS Trust' is 'Barts Health NHS Trust'; not when only generic words would be shared.
            if sender_words - GENERIC_WORDS:
                best = max(best, 0.8 + 0.1 * similarity(sender_key, key))
    return best


def attribute(sender, addressees):
    """The addressee ids a sender is: `addressees` is [(id, [names it is known by])]. A joint response
    ('NPCC and College of Policing') gives each of its senders; an ambiguous or unknown sender gives []."""
    if not sender:
        return []
    key = name_key(sender)
    candidates = [(pk, [name_key(n) for n in names if n]) for pk, names in addressees]
    whole = _best(key, candidates)
    if whole and max(_names_match(key, names) for pk, names in candidates if pk == whole[0]) >= 1.0:
        return whole  # one addressee's own name ('Department of Health and Social Care')
    parts = [p for p in re.split(r" and (?=[a-z])", key) if p]
    for i in range(1, len(parts)):
        # A joint response: each side of an 'and' is one of the addressees ('NPCC and College of Policing').
        left, right = " and ".join(parts[:i]), " and ".join(parts[i:])
        a, b = _best(left, candidates), _best(right, candidates)
        if a and b and a != b:
            return sorted(set(a + b))
    return whole


def _best(key, candidates):
    scores = [(score, pk) for pk, names in candidates if (score := _names_match(key, names)) > 0]
    if not scores:
        return []
    scores.sort(reverse=True)
    if len(scores) > 1 and scores[1][0] == scores[0][0]:
        return []  # two addressees fit as well: an editor decides
    return [scores[0][1]]
