"""Seed data for the quick start: departments, the five seed letters (curated), demo users.

Every loader is an upsert keyed on something stable (slug, title, file hash, username), so running it twice
changes nothing the second time.
"""

import datetime
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from responses import report_due_dates
from responses.models import Commitment, Position, ResponseLetter, Signatory
from tracker import permissions
from tracker.models import Addressee, Department, DigestSubscription, Recommendation, Report
from tracker.roles import sync_roles

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "tracker-demo-2025"  # quick start only; create_demo_users refuses when DEBUG is off


def parse_date(value):
    return datetime.date.fromisoformat(value) if value else None


def load_departments(path=FIXTURES_DIR / "departments.json"):
    """Create or update every department in the fixture; aliases added by editors are kept."""
    created = 0
    for row in json.loads(Path(path).read_text()):
        fields = row["fields"]
        department, was_created = Department.objects.get_or_create(
            slug=fields["slug"],
            defaults={k: fields[k] for k in ("name", "short_name", "kind", "aliases")},
        )
        if not was_created:
            merged = list(dict.fromkeys([*(department.aliases or []), *fields["aliases"]]))
            if merged != department.aliases:
                department.aliases = merged
                department.save(update_fields=["aliases"])
        created += was_created
    return created


def file_hash(data):
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def load_seed_letter(entry, letters_dir):
    """One curated letter with its reports, concerns and commitments; None if already loaded."""
    data = (Path(letters_dir) / entry["file"]).read_bytes()
    digest = file_hash(data)
    if ResponseLetter.objects.filter(content_hash=digest).exists():
        return None
    departments = {d.name: d for d in Department.objects.filter(name__in=_department_names(entry))}
    letter_date = parse_date(entry["letter_date"])
    letter = ResponseLetter(
        date=letter_date,
        addressed_to_name=(entry.get("addressee") or {}).get("name") or "",
        addressed_to_role=(entry.get("addressee") or {}).get("role") or "",
        text=data.decode("utf-8"),
        original_filename=entry["file"],
        content_hash=digest,
        source=ResponseLetter.Source.SEED,
        review_state=ResponseLetter.ReviewState.CONFIRMED,
        extraction={"curated": True},
    )
    letter.original_file.save(entry["file"], ContentFile(data), save=False)
    letter.save()
    letter.departments.set(departments[name] for name in entry["departments"])
    for order, person in enumerate(entry.get("signatories", [])):
        Signatory.objects.create(
            letter=letter, name=person.get("name") or "", role=person.get("role") or "", order=order
        )

    recommendations = []
    for ref in entry["reports"]:
        report = _report_for(ref)
        letter.reports.add(report)
        for name in ref.get("addressed_to", []):
            addressee, _ = Addressee.objects.get_or_create(report=report, department=departments[name])
            if addressee.response_received_on is None:
                addressee.record_response(letter_date, letter=letter)
    first_report = letter.reports.order_by("id").first()
    kind = (
        Recommendation.Kind.CONCERN
        if first_report.kind == Report.Kind.PFD
        else Recommendation.Kind.RECOMMENDATION
    )
    for concern in entry.get("concerns", []):
        number = concern.get("number")
        recommendation, _ = Recommendation.objects.get_or_create(
            report=first_report,
            kind=kind,
            label=str(number) if number is not None else "",
            text=concern["text"],
            defaults={"number": number},
        )
        recommendation.departments.add(*departments.values())
        recommendations.append(recommendation)
    letter.recommendations.set(recommendations)
    # The government's position on each concern, as the letter states it (hand-checked, with its words).
    for concern, recommendation in zip(entry.get("concerns", []), recommendations, strict=True):
        if concern.get("position"):
            for name in entry["departments"]:
                Position.objects.update_or_create(
                    recommendation=recommendation,
                    department=departments[name],
                    defaults={
                        "stance": concern["position"]["stance"],
                        "quote": concern["position"]["quote"],
                        "letter": letter,
                    },
                )

    commitments = Commitment.objects.bulk_create(
        Commitment(
            letter=letter,
            department=departments[c["department"]],
            text=c["text"],
            text_start=_offset(letter.text, c["text"]),
            text_end=_offset(letter.text, c["text"], end=True),
            time_phrase=c["time_phrase"] or "",
            original_time_phrase=c["time_phrase"] or "",
            due_earliest=parse_date(c["due_earliest"]),
            due_latest=parse_date(c["due_latest"]),
            original_due_earliest=parse_date(c["due_earliest"]),
            original_due_latest=parse_date(c["due_latest"]),
            precision=c["precision"],
        )
        for c in entry["commitments"]
    )
    # The concerns each promise answers, as an editor confirmed them ("answers": indexes into "concerns").
    Commitment.recommendations.through.objects.bulk_create(
        Commitment.recommendations.through(
            commitment_id=commitment.pk, recommendation_id=recommendations[index].pk
        )
        for commitment, c in zip(commitments, entry["commitments"], strict=True)
        for index in c.get("answers", [])
    )
    report_due_dates.refresh_for_letters({letter.pk})  # bulk_create sends no signals
    return letter


def _department_names(entry):
    names = set(entry["departments"])
    names.update(c["department"] for c in entry["commitments"])
    for ref in entry["reports"]:
        names.update(ref.get("addressed_to", []))
    return names


def _offset(text, quote, end=False):
    index = text.find(quote)
    if index < 0:
        return None
    return index + len(quote) if end else index


def _report_for(ref):
    existing = Report.objects.matching(deceased=ref.get("deceased"), title=ref["title"]).first()
    if existing:
        return existing
    return Report.objects.create(
        kind=ref["type"],
        title=ref["title"],
        deceased=ref.get("deceased") or "",
        date_issued=parse_date(ref.get("report_date")),
        issuing_body=ref.get("issuing_body", ""),
        author=ref.get("author", ""),
        author_role=ref.get("author_role", ""),
    )


def load_seed_letters(path=FIXTURES_DIR / "seed_demo.json", letters_dir=FIXTURES_DIR / "letters"):
    entries = json.loads(Path(path).read_text())["letters"]
    return [letter for letter in (load_seed_letter(e, letters_dir) for e in entries) if letter]


DEMO_USERS = [
    # username, role group, department slugs, is_superuser
    ("admin", permissions.ADMINISTRATORS, [], True),
    ("official", permissions.POLICY_OFFICIALS, ["home-office"], False),
    ("clerk", permissions.COMMITTEE_CLERKS, [], False),
    ("editor", permissions.INGESTION_EDITORS, [], False),
]


def create_demo_users(password=DEMO_PASSWORD):
    if not settings.DEBUG:
        raise RuntimeError("Demo users have a published password: refusing to create them with DEBUG off.")
    User = get_user_model()
    users = {}
    for username, group_name, department_slugs, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.gov.uk",
                # Editors and administrators work in the admin; officials and clerks use the pages.
                "is_staff": group_name in (permissions.ADMINISTRATORS, permissions.INGESTION_EDITORS),
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        if department_slugs:
            for department in Department.objects.filter(slug__in=department_slugs):
                department.officials.add(user)
        subscription, _ = DigestSubscription.objects.get_or_create(user=user)
        if superuser:
            subscription.follow_everything = True
            subscription.save(update_fields=["follow_everything"])
        elif department_slugs:
            subscription.departments.add(*Department.objects.filter(slug__in=department_slugs))
        elif group_name == permissions.COMMITTEE_CLERKS:
            subscription.reports.add(*Report.objects.filter(kind=Report.Kind.INQUIRY))
        users[username] = user
    return users


def seed_demo(with_users=True):
    sync_roles()
    departments = load_departments()
    letters = load_seed_letters()
    users = create_demo_users() if with_users else {}
    return {"departments_created": departments, "letters_loaded": len(letters), "users": sorted(users)}
