"""The resolver's tables, read from the tab-separated files in ``data/`` (one row a line, ``#`` lines are
comments, the first other line names the columns). Each file says in its header what its columns mean.

A malformed row is an error at import, naming the file and line: a table nobody can load must not turn
into a resolver that quietly dates nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


class TableError(ValueError):
    """A row of a data table that cannot be read."""


def read_table(name: str) -> list[dict[str, str]]:
    path = DATA / name
    rows, header = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise TableError(f"{name}:{number}: {len(cells)} columns, the header has {len(header)}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        row["_where"] = f"{name}:{number}"
        rows.append(row)
    return rows


def _date(row: dict, column: str, required: bool = True) -> date | None:
    value = row[column].strip()
    if not value and not required:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TableError(f"{row['_where']}: {column} {value!r} is not a YYYY-MM-DD date") from None


def _month(row: dict, column: str) -> int:
    value = row[column].strip()
    if not value.isdigit() or not 1 <= int(value) <= 12:
        raise TableError(f"{row['_where']}: {column} {value!r} is not a month number 1-12")
    return int(value)


def _names(row: dict, column: str = "names") -> tuple[str, ...]:
    names = tuple(n.strip() for n in row[column].split("|") if n.strip())
    if not names:
        raise TableError(f"{row['_where']}: no {column}")
    return names


# -- holidays --------------------------------------------------------------------------------------------

_RE_HOLIDAY_DATE = re.compile(r"^(?:(?P<mm>\d\d)-(?P<dd>\d\d)|easter(?P<off>[+-]\d+)?)$")


@dataclass(frozen=True)
class Holiday:
    name: str
    names: tuple[str, ...]
    month_day: tuple[int, int] | None  # a fixed day, or None for a day counted from Easter Sunday
    easter_offset: int
    by_eve: bool  # "by the New Year" is due the day before
    in_month: bool  # "in the New Year" means the month it falls in


def _holidays() -> tuple[Holiday, ...]:
    out = []
    for row in read_table("holidays.tsv"):
        m = _RE_HOLIDAY_DATE.match(row["date"].strip())
        if not m or row["by"] not in ("day", "eve") or row["in"] not in ("day", "month"):
            raise TableError(f"{row['_where']}: date must be MM-DD or easter[+-N], by day|eve, in day|month")
        month_day = (int(m["mm"]), int(m["dd"])) if m["mm"] else None
        if month_day:
            date(2024, *month_day)  # a leap year, so 02-29 is allowed; raises on 13-40
        out.append(
            Holiday(
                row["holiday"],
                _names(row),
                month_day,
                int(m["off"] or 0),
                row["by"] == "eve",
                row["in"] == "month",
            )
        )
    return tuple(out)


# -- seasons and school terms ----------------------------------------------------------------------------


def _month_pairs(name: str, key: str) -> dict[str, tuple[int, int]]:
    return {row[key].strip().lower(): (_month(row, "first"), _month(row, "last")) for row in read_table(name)}


# -- Parliament: recesses and Parliaments ----------------------------------------------------------------


@dataclass(frozen=True)
class RecessName:
    name: str
    names: tuple[str, ...]
    month: int | None  # the month the Commons conventionally rises in
    easter_offset: int | None  # or so many days before Easter Sunday


@dataclass(frozen=True)
class Recess:
    name: str
    rises: date  # the House's last sitting day before the recess
    returns: date


def _recess_names() -> tuple[RecessName, ...]:
    out = []
    for row in read_table("recess_names.tsv"):
        month = row["month"].strip()
        m = re.fullmatch(r"easter-(\d+)", month)
        if m:
            out.append(RecessName(row["recess"], _names(row), None, int(m[1])))
        else:
            out.append(RecessName(row["recess"], _names(row), _month(row, "month"), None))
    return tuple(out)


def _recesses(known: set[str]) -> tuple[Recess, ...]:
    out = []
    for row in read_table("commons_recesses.tsv"):
        if row["recess"] not in known:
            raise TableError(f"{row['_where']}: recess {row['recess']!r} is not in recess_names.tsv")
        rises, returns = _date(row, "rises"), _date(row, "returns")
        if returns <= rises:
            raise TableError(f"{row['_where']}: returns before it rises")
        out.append(Recess(row["recess"], rises, returns))
    return tuple(sorted(out, key=lambda r: r.rises))


def _parliaments():
    rows = [
        (_date(r, "first_meeting"), _date(r, "dissolved", False), _date(r, "resolvable_from", False))
        for r in read_table("parliaments.tsv")
    ]
    return tuple(sorted(rows))


# -- fiscal events ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FiscalEvent:
    name: str
    pattern: str  # regular expression, without groups of its own
    needs_season: bool


def _fiscal_events() -> tuple[FiscalEvent, ...]:
    out = []
    for row in read_table("fiscal_events.tsv"):
        if row["needs_season"] not in ("yes", "no"):
            raise TableError(f"{row['_where']}: needs_season must be yes or no")
        pattern = row["names"].strip().replace(" ", r"\s+")
        if _compile(row, pattern).groups:
            raise TableError(f"{row['_where']}: use (?:...) rather than groups in names")
        out.append(FiscalEvent(row["event"], pattern, row["needs_season"] == "yes"))
    return tuple(out)


# -- phrases: vague, repeating, past by form --------------------------------------------------------------

PHRASE_KINDS = ("vague", "repeating", "past")


@dataclass(frozen=True)
class Phrase:
    kind: str
    keys: tuple[str, ...]  # lower-case words one of which is in every sentence the pattern can match
    pattern: str
    example: str  # a phrase the pattern matches (the tests check it reads as its kind)


def _compile(row, pattern):
    try:
        return re.compile(pattern, re.I)
    except re.error as exc:
        raise TableError(f"{row['_where']}: {exc}") from None


def _phrases() -> tuple[Phrase, ...]:
    out = []
    for row in read_table("phrases.tsv"):
        if row["kind"] not in PHRASE_KINDS:
            raise TableError(f"{row['_where']}: kind must be one of {PHRASE_KINDS}")
        pattern = row["pattern"].strip().replace(" ", r"\s+")
        _compile(row, pattern)
        keys = tuple(k.strip().lower() for k in row["keys"].split("|") if k.strip())
        if not keys:
            raise TableError(f"{row['_where']}: no keys")
        if not row["example"].strip():
            raise TableError(f"{row['_where']}: give an example the pattern matches")
        out.append(Phrase(row["kind"], keys, pattern, row["example"].strip()))
    return tuple(out)


HOLIDAYS = _holidays()
SEASONS = _month_pairs("seasons.tsv", "season")
SCHOOL_TERMS = _month_pairs("school_terms.tsv", "term")
RECESS_NAMES = _recess_names()
RECESSES = _recesses({r.name for r in RECESS_NAMES})
PARLIAMENTS = _parliaments()
FISCAL_EVENTS = _fiscal_events()
PHRASES = _phrases()
