import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from responses import report_due_dates
from responses.models import Commitment, ResponseLetter
from tracker.models import Addressee, Department, Report

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def test_department_fixture_covers_ministerial_departments_and_seed_bodies():
    rows = json.loads((FIXTURES / "departments.json").read_text())
    names = {row["fields"]["name"] for row in rows}
    ministerial = [row for row in rows if row["fields"]["kind"] == "ministerial"]
    assert len(ministerial) >= 20
    for needed in [
        "Home Office",
        "Department for Education",
        "Ministry of Justice",
        "NHS England",
        "Public Health England",
        "UK Health Security Agency",
        "HM Treasury",
    ]:
        assert needed in names
    slugs = [row["fields"]["slug"] for row in rows]
    assert len(slugs) == len(set(slugs))


def test_seed_demo_loads_the_curated_letters_and_is_safe_to_run_twice(capsys, settings):
    settings.DEBUG = True  # demo users are only created in development
    call_command("seed_demo")
    counts = (Report.objects.count(), ResponseLetter.objects.count(), Commitment.objects.count())
    curated = json.loads((FIXTURES / "seed_demo.json").read_text())["letters"]
    assert counts[1] == len(curated) == len(list((FIXTURES / "letters").glob("*.txt")))
    assert counts[2] == sum(len(entry["commitments"]) for entry in curated)
    call_command("seed_demo")
    assert (Report.objects.count(), ResponseLetter.objects.count(), Commitment.objects.count()) == counts
    assert report_due_dates.refresh_stale() == 0  # its bulk-created commitments are on the reports
    assert Report.objects.exclude(earliest_open_due=None).exists()
    assert "password" in capsys.readouterr().out


def test_seed_demo_keeps_the_time_phrases_and_due_dates():
    call_command("seed_demo", "--no-users")
    easter = Commitment.objects.get(
        text__startswith="Furthermore, I have committed to providing an update by Easter"
    )
    assert easter.time_phrase == "by Easter"
    assert easter.due_latest == datetime.date(2025, 4, 20)
    assert easter.department.name == "Home Office"
    assert easter.text_start is not None
    letter = easter.letter
    assert letter.text[easter.text_start : easter.text_end] == easter.text
    assert letter.original_file.read().decode() == letter.text


def test_seed_demo_records_the_late_pfd_response():
    call_command("seed_demo", "--no-users")
    addressee = Addressee.objects.get(report__deceased="Elizabeth Sarah Jayne McCann")
    assert addressee.response_due == datetime.date(2024, 7, 24)
    assert addressee.days_late() == 54


def test_joint_letters_keep_every_department():
    call_command("seed_demo", "--no-users")
    joint = [
        letter
        for letter in ResponseLetter.objects.prefetch_related("departments")
        if letter.departments.count() == 3
    ]
    assert len(joint) == 2
    assert Department.objects.get(short_name="DHSC").commitments.exists()


def test_demo_users_are_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(RuntimeError):
        call_command("seed_demo")


def test_seed_letters_link_promises_to_the_concerns_they_answer_with_the_stated_positions(client):
    from tracker.demo import load_departments, load_seed_letters

    load_departments()
    load_seed_letters()
    iicsa = Report.objects.get(title__contains="(IICSA)")
    redress = iicsa.recommendations.get(text="redress scheme")
    (answering,) = redress.commitments.all()
    assert "this recommendation" in answering.text
    (position,) = redress.positions.all()
    assert position.stance == "under_consideration" and "redress scheme" in position.quote
    html = client.get(iicsa.get_absolute_url()).content.decode()
    section = html.split(f'id="recommendation-{redress.pk}"', 1)[1].split('id="recommendation-', 1)[0]
    assert "Under consideration" in section and answering.text[:60] in section
    # the eleven promises are no longer all "Other commitments"
    others = html.split("Other commitments in the responses", 1)[1].split("Response letters", 1)[0]
    assert answering.text[:60] not in others
