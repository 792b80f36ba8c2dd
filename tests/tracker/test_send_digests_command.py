import datetime
import io
import json
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command

from tests.factories import CommitmentFactory, DepartmentFactory, DigestSubscriptionFactory, UserFactory
from tracker.models import DigestDelivery

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2025, 6, 2, 7, 0, tzinfo=LONDON)  # ISO week 2025-W23


def run(*args):
    out = io.StringIO()
    with time_machine.travel(MONDAY, tick=False):
        call_command("send_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def subscribers():
    department = DepartmentFactory()
    CommitmentFactory(
        department=department,
        due_latest=datetime.date(2025, 3, 31),
        time_phrase="by March 2025",
        recorded_at=datetime.datetime(2021, 1, 4, 9, tzinfo=datetime.UTC),
    )
    with time_machine.travel(MONDAY - datetime.timedelta(hours=1), tick=False):
        call_command("flag_overdue", stdout=io.StringIO())
    result = []
    for name in ("ana", "bo"):
        subscription = DigestSubscriptionFactory(
            user=UserFactory(username=name, email=f"{name}@example.gov.uk")
        )
        subscription.departments.add(department)
        result.append(subscription)
    return result


def test_sends_each_subscriber_one_digest_and_a_second_run_sends_none(subscribers):
    assert "Digests for 2025-W23: 2 sent." in run()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.gov.uk", "bo@example.gov.uk"]
    assert "Digests for 2025-W23: 2 sent." in run()  # reports their state; sends nothing new
    assert len(mail.outbox) == 2
    assert DigestDelivery.objects.filter(week="2025-W23", status="sent").count() == 2


def test_dry_run_prints_the_text_part_and_sends_and_records_nothing(subscribers):
    out = run("--dry-run")
    assert out.count("Subject: Tracker digest 2025-W23: 1 still overdue") == 2
    assert "“by March 2025”, due by 31 March 2025; 63 days overdue" in out
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_to_restricts_to_one_subscriber(subscribers):
    run("--to", "BO@example.gov.uk")
    assert [m.to for m in mail.outbox] == [["bo@example.gov.uk"]]
    with pytest.raises(CommandError, match="No active subscriber"):
        run("--to", "nobody@example.gov.uk")


def test_week_is_an_iso_week(subscribers):
    run("--week", "2025-W22")
    assert DigestDelivery.objects.filter(week="2025-W22").count() == 2
    with pytest.raises(CommandError, match="ISO week"):
        run("--week", "2025-22")


def test_fails_loudly_when_a_digest_could_not_be_sent(subscribers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(CommandError, match="run the command again"):
        run()
    assert DigestDelivery.objects.filter(status="failed").count() == 2


def test_after_seed_demo_and_flag_overdue_the_admin_dry_run_lists_the_seed_letters_overdue_promises(settings):
    """The issue's definition of done, checked against the curated seed data rather than restated."""
    settings.DEBUG = True  # the demo users are refused with DEBUG off
    with time_machine.travel(MONDAY - datetime.timedelta(days=30), tick=False):
        call_command("seed_demo", stdout=io.StringIO())  # recorded a month before the digest
    with time_machine.travel(MONDAY - datetime.timedelta(hours=1), tick=False):
        call_command("flag_overdue", stdout=io.StringIO())
    out = run("--dry-run", "--to", "admin@example.gov.uk")
    seed = json.loads((Path(django_settings.BASE_DIR) / "fixtures" / "seed_demo.json").read_text())
    overdue_phrases = {
        c["time_phrase"]
        for letter in seed["letters"]
        for c in letter["commitments"]
        if c["due_latest"] and datetime.date.fromisoformat(c["due_latest"]) < MONDAY.date()
    }
    assert {"by Autumn 2021", "by Easter"} <= overdue_phrases
    for phrase in overdue_phrases:
        assert f"“{phrase}”" in out
    framework = next(block for block in out.split("\n- ") if "national practice framework" in block)
    assert "“by Autumn 2021”, due by 30 November 2021" in framework
    easter = next(block for block in out.split("\n- ") if "update by Easter" in block)
    assert "“by Easter”, due by 20 April 2025" in easter and "IICSA" in easter
    assert mail.outbox == [] and not DigestDelivery.objects.exists()


def test_an_earlier_week_shows_only_what_stood_then(subscribers):
    department = subscribers[0].departments.get()
    later_letter = CommitmentFactory(
        department=department,
        due_latest=datetime.date(2025, 1, 31),
        time_phrase="by January 2025",
        recorded_at=datetime.datetime(2021, 1, 4, 9, tzinfo=datetime.UTC),
    )
    later_letter.letter.date = datetime.date(2025, 5, 1)  # written after week 2025-W08
    later_letter.letter.save()
    with time_machine.travel(MONDAY, tick=False):
        call_command("flag_overdue", stdout=io.StringIO())
    out = run("--dry-run", "--week", "2025-W08", "--to", "ana@example.gov.uk")
    # On Monday 17 February 2025 the March promise was six weeks off, and the May letter did not exist.
    assert "ana@example.gov.uk: nothing to report" in out
    out = run("--dry-run", "--week", "2025-W14", "--to", "ana@example.gov.uk")
    # On Monday 31 March 2025 it was due that day: due soon, not overdue.
    assert "“by March 2025”, due by 31 March 2025" in out
    assert "days overdue" not in out
    assert "by January 2025" not in out
