"""Organisations PFD reports are sent to: the known ones, the alias table, resolving written names, merging.

resolve_names() turns every spelling an import meets into an organisation, in this order:

1. the spelling's key is already in the alias table (a name, short name or alias of an organisation, or a
   spelling met before): that organisation;
2. the name with people and roles taken off ('Chief Executive, Barts Health NHS Trust'), a minister's role
   ('Secretary of State for Justice' is the Ministry of Justice) or a prison ('HMP Pentonville' is HM Prison
   Pentonville, under HMPPS): that organisation (a new prison is created under HMPPS);
3. an abbreviation in brackets that is a known organisation's ('London Fire Brigade (LFB)');
4. one known organisation with the same distinctive words, a one-letter slip or a generic word ('NHS',
   'Foundation', 'Council') more or less, and a kind that agrees: that organisation ('similar');
5. otherwise a new organisation of the kind its name suggests, recorded as 'new' with up to three suggested
   matches: the review queue in the admin (Addressee names to review), where an editor keeps it or merges
   it into the right one.

Everything is decided in memory against one read of the table, then written with a few bulk statements.
"""

import collections
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from tracker import permissions
from tracker.models import (
    Addressee,
    AddresseeEvent,
    AddresseeName,
    Department,
    PublishedResponse,
    london_today,
)
from tracker.pfd import names

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REDACTED_NAME = "Name withheld (redacted)"
HMPPS = "HM Prison and Probation Service"
SUGGESTIONS = 3
SUGGESTION_FLOOR = 0.5  # below this similarity a candidate is not worth an editor's time
# A word shared by more organisations than this says little: it does not make them candidates for each other.
COMMON_WORD_POSTINGS = 150
CLOSE_READS = 12


# ------------------------------------------------------------------------------------ known organisations


def load_known_organisations():
    """Create or update the departments (fixtures/departments.json) and the organisations known before any
    import (fixtures/organisations.json), with the department each government body belongs to. Safe to run
    again: existing organisations gain aliases and a missing parent, nothing else changes. Returns the
    number created."""
    from tracker.demo import load_departments  # the departments' own loader (seed data)

    created = load_departments()
    table = {}
    for department in Department.objects.all():
        for spelling in department.all_names():
            table.setdefault(names.name_key(spelling), department)
    entries = json.loads((FIXTURES / "organisations.json").read_text())["organisations"]
    pending_parents = []
    for entry in entries:
        keys = [names.name_key(n) for n in (entry["name"], *entry["aliases"])]
        department = next((table[k] for k in keys if k in table), None)
        if department is None:
            department = Department.objects.create(
                name=entry["name"],
                short_name=entry["short_name"][:30],
                slug=_free_slug(entry["name"]),
                kind=entry["kind"],
                aliases=entry["aliases"],
            )
            created += 1
        else:
            merged = list(dict.fromkeys([*(department.aliases or []), *entry["aliases"]]))
            if department.name != entry["name"] and entry["name"] not in merged:
                merged.append(entry["name"])
            if merged != department.aliases:
                department.aliases = merged
                department.save(update_fields=["aliases"])
        for key in keys:
            table.setdefault(key, department)
        if entry.get("parent"):
            pending_parents.append((department, entry["parent"]))
    for department, parent_name in pending_parents:
        parent = table.get(names.name_key(parent_name))
        if parent and department.parent_id is None and parent.pk != department.pk:
            department.parent = parent
            department.save(update_fields=["parent"])
    return created


def _free_slug(name, taken=None):
    """A slug no organisation has: `taken` holds every slug in use (read once by the caller), else one query
    a try."""
    base = slugify(name.replace("&", "and"))[:190] or "organisation"
    slug, n = base, 1
    while slug in taken if taken is not None else Department.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    if taken is not None:
        taken.add(slug)
    return slug


def _free_name(name, taken):
    """`name` cut to the field's length, made unique ('..., 2') if another organisation has it already."""
    base = name[:195]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base} ({n})"
    taken.add(candidate)
    return candidate


def short_name_for(name, abbreviation=""):
    if abbreviation:
        return abbreviation[:30]
    if len(name) <= 30:
        return name
    letters = names.initials(names.name_key(name), keep_nhs=True).upper()
    return letters[:30] or name[:30]


# ------------------------------------------------------------------------------------------ alias table


class AliasTable:
    """Every key the tracker knows, and the organisation it means; read once, kept up to date in memory."""

    def __init__(self):
        self.by_key = {}
        self.kind = {}
        self.name = {}
        self.known_by_fixture = set()
        self.words = collections.defaultdict(set)  # distinctive word -> keys of organisations' own names
        for pk, name, short_name, aliases, kind in Department.objects.values_list(
            "id", "name", "short_name", "aliases", "kind"
        ):
            self.kind[pk] = kind
            self.name[pk] = name
            for spelling in (name, short_name, *(aliases or [])):
                self._add_name(names.name_key(spelling), pk)
        for key, pk in AddresseeName.objects.values_list("key", "department_id"):
            self.by_key.setdefault(key, pk)

    def _add_name(self, key, pk):
        if not key:
            return
        self.by_key.setdefault(key, pk)
        for word in set(names.distinctive_words(key)):
            self.words[word].add(key)

    def add_organisation(self, pk, name, kind, extra_keys=()):
        self.kind[pk] = kind
        self.name[pk] = name
        self._add_name(names.name_key(name), pk)
        for key in extra_keys:
            self._add_name(key, pk)

    def get(self, key):
        return self.by_key.get(key)

    def _candidates(self, key):
        words = set(names.distinctive_words(key))
        postings = [self.words.get(w, ()) for w in words]
        focused = [p for p in postings if len(p) <= COMMON_WORD_POSTINGS] or postings
        found = set()
        for keys in focused:
            found.update(keys)
        return found

    def same_body(self, key):
        """The one organisation whose name is this key with a slip or a generic word more or less, or None."""
        matches = {self.by_key[other] for other in self._candidates(key) if names.same_body(key, other)}
        return matches.pop() if len(matches) == 1 else None

    def closeness(self, key, pk):
        """How alike `key` reads to the closest name of organisation `pk`."""
        keys = [k for k in self._candidates(key) if self.by_key[k] == pk] or [key]
        return max(names.similarity(key, k) for k in keys)

    def renumber(self, real):
        """Temporary ids of organisations created in this run -> their ids in the database."""
        if not real:
            return
        self.by_key = {key: real.get(pk, pk) for key, pk in self.by_key.items()}
        self.kind = {real.get(pk, pk): kind for pk, kind in self.kind.items()}
        self.name = {real.get(pk, pk): name for pk, name in self.name.items()}

    def suggestions(self, key, exclude=None):
        scored = {}

        def stems(k):
            # Words and their first five letters: 'radiology' shares something with 'radiologists'.
            found = set(names.distinctive_words(k))
            return found | {w[:5] + "…" for w in found if len(w) > 5}

        mine = stems(key)
        # Read closely (difflib) only the names that share the most with it.
        shared = sorted(
            (-len(mine & stems(other)), other)
            for other in self._candidates(key)
            if self.by_key[other] != exclude
        )[:CLOSE_READS]
        for _, other in shared:
            pk = self.by_key[other]
            score = names.similarity(key, other)
            if score >= SUGGESTION_FLOOR and score > scored.get(pk, 0):
                scored[pk] = score
        best = sorted(scored.items(), key=lambda item: (-item[1], self.name[item[0]]))[:SUGGESTIONS]
        return [{"id": pk, "name": self.name[pk], "score": score} for pk, score in best]


# -------------------------------------------------------------------------------------- resolving names


def resolve_names(written_names, table=None):
    """{written name: organisation id} for every name, creating the organisations and alias rows needed (see
    the module's docstring). Returns (mapping, counts by how each new spelling was matched).

    Spellings are taken most frequent first, so a new organisation is named as reports name it most often and
    its rarer spellings ('Whittington Health') find it ('Whittington Health NHS Trust') in the same run.
    """
    table = table or AliasTable()
    counts = collections.Counter()
    taken_slugs = set(Department.objects.values_list("slug", flat=True))
    taken_names = set(Department.objects.values_list("name", flat=True))
    recorded = set(AddresseeName.objects.values_list("key", flat=True))
    hmpps = table.get(names.name_key(HMPPS))
    created = {}  # temporary (negative) id -> unsaved Department
    spellings = {}  # key -> unsaved AddresseeName (its department_id may be a temporary id)
    mapping = {}  # written -> organisation id (temporary ids until saved)

    def new_organisation(meaning, kind, parent=None):
        if (pk := table.get(meaning.key)) is not None:
            return pk
        name = meaning.name.title() if meaning.name.isupper() and len(meaning.name) > 6 else meaning.name
        name = _free_name(name, taken_names)
        pk = -(len(created) + 1)
        created[pk] = Department(
            name=name,
            short_name=short_name_for(name, meaning.abbreviation),
            slug=_free_slug(name, taken_slugs),
            kind=kind,
            parent_id=parent,
            aliases=[meaning.abbreviation] if meaning.abbreviation else [],
        )
        table.add_organisation(pk, name, kind)
        return pk

    def remember(key, written, pk, match, score=None):
        spelling = AddresseeName(
            key=key[:300], spelling=written[:500], department_id=pk, match=match, score=score
        )
        spellings[key] = spelling
        table.by_key.setdefault(key, pk)
        counts[match] += 1
        return pk

    frequency = collections.Counter(written_names)
    for written, _ in sorted(frequency.items(), key=lambda item: (-item[1], item[0])):
        key = names.name_key(written) or "redacted"
        if (pk := table.get(key)) is not None:
            if key not in recorded and key not in spellings:
                # A known organisation's name or alias met for the first time: the alias table keeps the spelling.
                remember(key, written, pk, AddresseeName.Match.KNOWN)
            mapping[written] = pk
            continue
        meaning = names.addressee_name(written)
        if meaning is None:
            meaning = names.AddresseeName(REDACTED_NAME, names.name_key(REDACTED_NAME), "redacted")
            pk, match, score = (
                new_organisation(meaning, Department.Kind.OTHER),
                AddresseeName.Match.RULE,
                None,
            )
        elif (pk := table.get(meaning.key)) is not None:
            match, score = (AddresseeName.Match.RULE if meaning.rule else AddresseeName.Match.KNOWN), None
        elif meaning.abbreviation and (pk := table.get(names.name_key(meaning.abbreviation))) is not None:
            match, score = AddresseeName.Match.RULE, None
        elif meaning.rule == "prison":
            pk = new_organisation(meaning, Department.Kind.PUBLIC_BODY, hmpps)
            match, score = AddresseeName.Match.RULE, None
        elif (pk := table.same_body(meaning.key)) is not None:
            match, score = AddresseeName.Match.SIMILAR, table.closeness(meaning.key, pk)
        else:
            pk = new_organisation(meaning, names.kind_of(meaning.name))
            match, score = AddresseeName.Match.NEW, None
        mapping[written] = remember(key, written, pk, match, score)

    for spelling in spellings.values():
        if spelling.match == AddresseeName.Match.NEW:
            spelling.suggestions = table.suggestions(spelling.key, exclude=spelling.department_id)
            spelling.score = spelling.suggestions[0]["score"] if spelling.suggestions else None

    with transaction.atomic():
        Department.objects.bulk_create(list(created.values()))
        real = {pk: department.pk for pk, department in created.items()}
        for spelling in spellings.values():
            spelling.department_id = real.get(spelling.department_id, spelling.department_id)
            for suggestion in spelling.suggestions:
                suggestion["id"] = real.get(suggestion["id"], suggestion["id"])
        AddresseeName.objects.bulk_create(list(spellings.values()), ignore_conflicts=True)
    table.renumber(real)
    return {written: real.get(pk, pk) for written, pk in mapping.items()}, counts


def count_mentions():
    """Set AddresseeName.mentions to the number of addressees named so (the review queue's order)."""
    counts = collections.Counter(
        names.name_key(n) or "redacted"
        for n in Addressee.objects.exclude(named_as="").values_list("named_as", flat=True)
    )
    changed = []
    for spelling in AddresseeName.objects.only("id", "key", "mentions"):
        if spelling.mentions != counts.get(spelling.key, 0):
            spelling.mentions = counts.get(spelling.key, 0)
            changed.append(spelling)
    AddresseeName.objects.bulk_update(changed, ["mentions"], batch_size=1000)
    return len(changed)


# ------------------------------------------------------------------------------------ editors' decisions


class MergeRefused(ValueError):
    pass


@transaction.atomic
def merge_organisations(source, target, *, by=None):
    """Make `source` part of `target`: its reports' addressees, spellings, aliases and bodies move to `target`
    (each moved addressee gets an 'organisation corrected' event), then `source` is deleted. A report sent to
    both keeps one addressee: the one with a response, else the target's. Refused for an organisation that
    owns commitments or positions (move those first: they carry their own history)."""
    if source.pk == target.pk:
        raise MergeRefused("An organisation cannot be merged into itself.")
    if source.commitments.exists() or source.positions.exists():
        raise MergeRefused(
            f"{source.name} owns commitments or positions on recommendations: move them to {target.name} first."
        )
    if by is not None and not permissions.is_administrator(by):
        members = source.officials.exclude(pk__in=target.officials.values("pk")).exists()
        members = (
            members or source.senior_contacts.exclude(pk__in=target.senior_contacts.values("pk")).exists()
        )
        if members:
            # The officials would follow into `target` and could then change its commitments: membership is an
            # administrator's decision (tracker.permissions).
            raise MergeRefused(
                f"{source.name} has officials or senior contacts who are not {target.name}'s: only an "
                "administrator can merge it (their membership would move)."
            )
    if target.parent_id == source.pk:
        target.parent = source.parent
        target.save(update_fields=["parent"])
    note = f"{source.name} merged into {target.name}"
    moved = 0
    kept = {
        a.report_id: a
        for a in Addressee.objects.filter(department=target, report__addressees__department=source)
    }
    for addressee in Addressee.objects.filter(department=source).select_related("department"):
        other = kept.get(addressee.report_id)
        if other is None:
            addressee.change_organisation(target, by=by, note=note)
        else:
            _fold_duplicate(addressee, other, by=by, note=note)
        moved += 1
    AddresseeName.objects.filter(department=source).update(
        department=target, match=AddresseeName.Match.EDITOR, reviewed_at=timezone.now(), reviewed_by=by
    )
    Department.objects.filter(parent=source).update(parent=target)
    # Many-to-many links (letters, recommendations, digest subscriptions, officials) follow the organisation;
    # deleting `source` removes its own rows of those links.
    target.response_letters.add(*source.response_letters.all())
    target.recommendations.add(*source.recommendations.all())
    target.digest_subscriptions.add(*source.digest_subscriptions.all())
    target.officials.add(*source.officials.all())
    target.senior_contacts.add(*source.senior_contacts.all())
    from responses.models import Signatory

    Signatory.objects.filter(department=source).update(department=target)
    known = {names.name_key(n) for n in target.all_names()}
    aliases = list(target.aliases or [])
    for spelling in source.all_names():
        if names.name_key(spelling) not in known:
            aliases.append(spelling)
            known.add(names.name_key(spelling))
    target.aliases = aliases
    target.save(update_fields=["aliases"])
    source.delete()
    return moved


def _fold_duplicate(duplicate, kept, *, by, note):
    """One report sent to both merged organisations: keep `kept`, carrying over a response only `duplicate`
    had and its published responses, and record on `kept` what happened."""
    if duplicate.response_received_on and not kept.response_received_on:
        kept.record_response(
            duplicate.response_received_on,
            letter=duplicate.response_letter,
            url=duplicate.response_url,
            date_known=duplicate.response_date_known,
            by=by,
            note=f"{note}: response carried over from the duplicate addressee",
        )
    for response in duplicate.published_responses.all():
        response.addressees.add(kept)
    AddresseeEvent.objects.create(
        addressee=kept,
        kind=AddresseeEvent.Kind.ORGANISATION_CHANGED,
        happened_on=london_today(),
        note=f"{note}: the report also named it as '{duplicate.named_as or duplicate.department.name}'",
        by=by,
    )
    if not kept.named_as and duplicate.named_as:
        kept.named_as = duplicate.named_as
        kept.save(update_fields=["named_as"])
    duplicate.delete()


@transaction.atomic
def repoint_spelling(spelling, target, *, by=None):
    """This spelling means `target` (not the organisation it was matched to): the addressees named so move.
    For a spelling matched wrongly to an existing organisation, where merging the organisations would be
    wrong."""
    source = spelling.department
    moved = 0
    if source.pk != target.pk:
        note = f"'{spelling.spelling}' means {target.name}, not {source.name}"
        kept = {a.report_id: a for a in Addressee.objects.filter(department=target)}
        for addressee in Addressee.objects.filter(department=source).select_related("department"):
            if (names.name_key(addressee.named_as) or "redacted") != spelling.key:
                continue
            if addressee.report_id in kept:
                _fold_duplicate(addressee, kept[addressee.report_id], by=by, note=note)
            else:
                addressee.change_organisation(target, by=by, note=note)
            moved += 1
    spelling.department = target
    spelling.match = AddresseeName.Match.EDITOR
    spelling.reviewed_at = timezone.now()
    spelling.reviewed_by = by
    spelling.save(update_fields=["department", "match", "reviewed_at", "reviewed_by"])
    return moved


def keep_as_new(spellings, *, by=None):
    """An editor checked these new organisations: they are organisations of their own."""
    return AddresseeName.objects.filter(pk__in=[s.pk for s in spellings]).update(
        reviewed_at=timezone.now(), reviewed_by=by
    )


def unattributed_responses():
    return PublishedResponse.objects.filter(Q(attribution=PublishedResponse.Attribution.NONE)).select_related(
        "report"
    )
