"""One search over reports, recommendations, commitments and letters (the /search/ page).

How text is matched is decided here once:

- PostgreSQL: full-text search with English stemming ("reviews" finds "reviewing") and the web search syntax
  ("quoted phrase", -excluded, or), ranked by ts_rank. Each kind is answered by a GIN index on the very
  expression used here: report titles and recommendation text (tracker migration 0006), letter text
  (responses 0004) and commitment text (responses migration `commitment_text_search_index`).
- SQLite (the quick start, `make run`): every word of the query must appear in the text, case aside, as a
  substring; a word written -like-this must not; a "quoted phrase" is matched whole. No stemming and no
  ranking: the newest come first.

Only what the public pages show is searched: confirmed letters and their commitments (tracker.visibility).
"""

import dataclasses
import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Count, F, Q, Window
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tracker.models import Recommendation, Report
from tracker.visibility import published_commitments, published_letters

MAX_QUERY_LENGTH = 200
SNIPPET_CHARS = 260


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str  # plural, lower case: "reports"
    field: str  # the searched text field


KINDS = [
    Kind("reports", "reports", "title"),
    Kind("recommendations", "recommendations and concerns", "text"),
    Kind("commitments", "commitments", "text"),
    Kind("letters", "letters", "text"),
]
KIND_KEYS = [kind.key for kind in KINDS]


def base_queryset(key):
    """What a kind's results are drawn from, with what its result rows show."""
    if key == "reports":
        return Report.objects.only("id", "slug", "title", "kind", "date_issued")
    if key == "recommendations":
        return Recommendation.objects.select_related("report").only(
            "id", "kind", "label", "text", "report__slug", "report__title"
        )
    if key == "commitments":
        return (
            published_commitments()
            .select_related("department")
            .only(
                "id",
                "text",
                "status",
                "due_latest",
                "precision",
                "time_phrase",
                "department__short_name",
                "department__name",
                "department__slug",
            )  # fmt: skip
        )
    if key == "letters":
        return published_letters().prefetch_related("departments")
    raise ValueError(f"unknown kind of result: {key}")


NEWEST_FIRST = {
    "reports": ("-date_issued", "-id"),
    "recommendations": ("-id",),
    "commitments": ("-id",),
    "letters": ("-date", "-id"),
}


def terms(query):
    """(included, excluded) words and quoted phrases of a query, as SQLite matches them."""
    included, excluded = [], []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', query):
        text = (phrase or word).strip()
        if word and text.startswith("-") and len(text) > 1:
            excluded.append(text[1:])
        elif word and text.lower() == "or":
            continue
        elif text.strip('"'):
            included.append(text.strip('"'))
    return included, excluded


def matching(key, query):
    """The results of one kind for a query, best first (a queryset)."""
    kind = next(k for k in KINDS if k.key == key)
    queryset = base_queryset(key)
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if settings.IS_POSTGRES:
        search = SearchQuery(query, config="english", search_type="websearch")
        return (
            queryset.annotate(document=SearchVector(kind.field, config="english"))
            .filter(document=search)
            .annotate(rank=SearchRank(F("document"), search))
            .order_by("-rank", "-id")
        )
    included, excluded = terms(query)
    if not included:
        return queryset.none()
    condition = Q()
    for term in included:
        condition &= Q(**{f"{kind.field}__icontains": term})
    for term in excluded:
        condition &= ~Q(**{f"{kind.field}__icontains": term})
    return queryset.filter(condition).order_by(*NEWEST_FIRST[key])


def first_results(key, query, limit):
    """(the first `limit` results, how many match in all) in one query: the count is a window over the
    matches, taken before the LIMIT."""
    rows = list(matching(key, query).annotate(matches=Window(Count("*")))[:limit])
    return rows, (rows[0].matches if rows else 0)


def _highlight_pattern(query):
    """Words to mark in a snippet: the query's words, each also matching its inflections ("review" marks
    "reviews", "reviewing"), as PostgreSQL's stemming would have matched them."""
    included, _ = terms(query)
    stems = []
    for term in included:
        for word in re.findall(r"\w+", term):
            stems.append(re.escape(word if len(word) <= 4 else word[: max(4, len(word) - 3)]))
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(set(stems), key=len, reverse=True)) + r")\w*", re.IGNORECASE)


def snippet(text, query, width=SNIPPET_CHARS):
    """A passage of `text` around the first match of the query, matches marked with <mark>; safe HTML."""
    text = text or ""
    pattern = _highlight_pattern(query)
    found = pattern.search(text) if pattern else None
    start = 0 if found is None else max(0, found.start() - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > start - 40 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > end - 40 else end
    passage = " ".join(text[start:end].split())
    parts, cursor = [], 0
    for match in pattern.finditer(passage) if pattern else ():
        parts.append(escape(passage[cursor : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        cursor = match.end()
    parts.append(escape(passage[cursor:]))
    return mark_safe(("… " if start else "") + "".join(parts) + (" …" if end < len(text) else ""))
