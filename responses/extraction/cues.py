"""Promise cues and non-promise patterns kept as data (``data/promise_cues.tsv``), beside the verb-group rules of
commitments.py: "is committed to refreshing the register" and "we commit to exploring" promise concrete acts;
"is developing a plan" is work under way with an output to come; "does not intend to", hopes, what claimants
will be able to do, how success will be measured and what "it is important to consider" are not promises.

Adding a cue is one row and its example; tests/responses/test_extraction_cues.py reads every row's example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .tables import TableError, read_table

KINDS = ("promise", "not_promise")
SUBJECTS = ("ours", "any")


@dataclass(frozen=True)
class Cue:
    kind: str
    subject: str
    pattern: re.Pattern
    example: str
    where: str


@cache
def cues() -> tuple[Cue, ...]:
    out = []
    for row in read_table("promise_cues.tsv"):
        if row["kind"] not in KINDS or row["subject"] not in SUBJECTS:
            raise TableError(f"{row['_where']}: kind must be one of {KINDS}, subject one of {SUBJECTS}")
        try:
            pattern = re.compile(row["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise TableError(f"{row['_where']}: {exc}") from exc
        out.append(Cue(row["kind"], row["subject"], pattern, row["example"], row["_where"]))
    return tuple(out)


def _any_of(kind: str) -> re.Pattern:
    return _union(kind, cues())


@cache
def _union(kind: str, rows: tuple[Cue, ...]) -> re.Pattern:
    """One pattern matching wherever any row of the kind matches: most clauses match none, and one search
    dismisses them (a search per row for every clause of a 68-page response costs more than the rest)."""
    return re.compile(
        "|".join(f"(?:{cue.pattern.pattern})" for cue in rows if cue.kind == kind), re.IGNORECASE
    )


# How far past the promise's trigger word a non-promise pattern may begin and still be about that promise.
_REACH = 12


def not_a_promise(clause: str, trigger: int | None = None) -> Cue | None:
    """The first non-promise row that matches the clause at or before its trigger word ("Using X will reduce
    ...", "they will be able to"), or None. A later match is about another verb of the clause ("..., and all
    new commanders will be required to complete it" does not undo "The College will introduce a course")."""
    if not _any_of("not_promise").search(clause):
        return None
    for cue in cues():
        if cue.kind != "not_promise":
            continue
        match = cue.pattern.search(clause)
        if match and (trigger is None or match.start() <= trigger + _REACH):
            return cue
    return None


def promise_cue(clause: str, subject_is_ours) -> tuple[int, Cue] | None:
    """(offset, row) of the first promise row that matches the clause (with its subject when the row asks for
    ours: `subject_is_ours(clause, offset)` decides), or None."""
    if not _any_of("promise").search(clause):
        return None
    for cue in cues():
        if cue.kind != "promise":
            continue
        for match in cue.pattern.finditer(clause):
            if cue.subject == "any" or subject_is_ours(clause, match.start()):
                return match.start(), cue
    return None
