"""Building the weekly digest (sections, scope, escalation, query bound) and delivering it exactly once."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from responses.models import Commitment
from tests.factories import (
    AddresseeFactory,
    CommitmentFactory,
    DepartmentFactory,
    DigestSubscriptionFactory,
    ReportFactory,
    ResponseLetterFactory,
    UserFactory,
)
from tracker import digests, emails, overdue
from tracker.models import DigestDelivery, DigestSubscription

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
WEEK = "2025-W08"  # Monday 17 February 2025
SEND_TIME = datetime.datetime(2025, 2, 17, 7, 0, tzinfo=LONDON)
TODAY = D(2025, 2, 17)
RECORDED = datetime.datetime(2023, 1, 2, 9, tzinfo=LONDON)  # long before every due date below


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://tracker.example.gov.uk"
    settings.ESCALATION_AFTER_WEEKS = 8


def sweep_on(moment):
    with time_machine.travel(moment, tick=False):
        overdue.sweep()


def due(day, department, **kwargs):
    kwargs.setdefault("recorded_at", RECORDED)
    return CommitmentFactory(due_latest=day, due_earliest=None, department=department, **kwargs)


@pytest.fixture
def department():
    return DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")


@pytest.fixture
def official(department):
    user = UserFactory(username="official", email="official@example.gov.uk")
    subscription = DigestSubscriptionFactory(user=user)
    subscription.departments.add(department)
    return subscription


def build(subscription, week=WEEK, moment=SEND_TIME):
    with time_machine.travel(moment, tick=False):
        return digests.build_digest(subscription, week)


def commitment_ids(section):
    return [item.commitment.pk for item in section.items]


def test_newly_overdue_is_the_due_date_passing_in_the_week_whatever_the_sweep_did(department, official):
    old = due(D(2024, 11, 30), department)
    sweep_on(datetime.datetime(2025, 2, 15, 6, tzinfo=LONDON))  # a first sweep flags the old one this week
    new = due(D(2025, 2, 14), department)  # not flagged at all: the digest does not need the sweep
    sunday = due(D(2025, 2, 16), department)  # overdue from Monday 17: today's news
    due(D(2025, 2, 9), department)  # overdue from Monday 10: last week's news, still overdue now
    digest = build(official)
    assert commitment_ids(digest.section("newly_overdue")) == [new.pk, sunday.pk]
    assert old.pk in commitment_ids(digest.section("still_overdue"))
    assert digest.section("still_overdue").items[0].days_overdue == (TODAY - D(2024, 11, 30)).days


def test_a_promise_late_before_it_was_recorded_is_its_own_line_not_news(department, official):
    recorded_this_week = datetime.datetime(2025, 2, 13, 15, tzinfo=LONDON)
    ancient = due(D(2019, 7, 31), department, recorded_at=recorded_this_week)  # 2,028 days late when recorded
    late_in_week = due(D(2025, 2, 12), department, recorded_at=recorded_this_week)  # passed, then recorded
    digest = build(official)
    assert commitment_ids(digest.section("already_overdue")) == [ancient.pk, late_in_week.pk]
    assert digest.section("newly_overdue").total == 0 and digest.section("still_overdue").total == 0
    text = emails.digest_text(digest)
    assert "Recorded this week, already overdue when recorded (2)" in text
    assert emails.digest_message(digest).subject == "Tracker digest 2025-W08: 2 already overdue when recorded"


def test_the_digest_agrees_with_the_dashboard_right_after_a_letter_is_confirmed(department, official, client):
    """No sweep has run since: the pages and the digest use the same rule, not the sweep's flag."""
    from tracker.views.dashboard import counts_by_department

    for day in (D(2024, 3, 31), D(2024, 9, 30), D(2025, 2, 14)):
        due(day, department)
    due(D(2025, 3, 1), department)  # due soon
    digest = build(official)
    overdue = sum(digest.section(k).total for k in ("newly_overdue", "already_overdue", "still_overdue"))
    with time_machine.travel(SEND_TIME, tick=False):
        [row] = counts_by_department(TODAY)
    assert overdue == row["overdue"] == 3 and digest.section("due_soon").total == row["due_soon"] == 1


def test_a_draft_letters_commitments_are_not_in_the_digest(department, official):
    due(D(2024, 3, 31), department, letter=ResponseLetterFactory(review_state="draft"))
    assert build(official).is_empty


def test_still_overdue_is_oldest_first_with_days_overdue(department, official):
    middle = due(D(2024, 6, 30), department)
    oldest = due(D(2023, 3, 31), department)
    newest = due(D(2024, 12, 31), department)
    sweep_on(datetime.datetime(2025, 1, 6, 6, tzinfo=LONDON))
    section = build(official).section("still_overdue")
    assert commitment_ids(section) == [oldest.pk, middle.pk, newest.pk]
    assert [item.days_overdue for item in section.items] == [689, 232, 48]


def test_due_in_the_next_30_days(department, official):
    soon = due(TODAY + datetime.timedelta(days=10), department)
    today = due(TODAY, department)
    due(TODAY + datetime.timedelta(days=31), department)
    due(TODAY + datetime.timedelta(days=5), department, status=Commitment.Status.DELIVERED)
    assert commitment_ids(build(official).section("due_soon")) == [today.pk, soon.pk]


def test_missing_responses_say_no_response_identified_until_an_editor_confirms(department, official):
    editor = UserFactory()
    unconfirmed = AddresseeFactory(department=department, report=ReportFactory(date_issued=D(2024, 11, 1)))
    confirmed = AddresseeFactory(department=department, report=ReportFactory(date_issued=D(2024, 10, 1)))
    AddresseeFactory(report=ReportFactory(date_issued=D(2024, 10, 1)))  # another department
    sweep_on(datetime.datetime(2025, 2, 10, 6, tzinfo=LONDON))
    confirmed.confirm_non_response(by=editor, note="Checked with the coroner's office")
    section = build(official).section("missing_responses")
    labels = {item.addressee.pk: item.label for item in section.items}
    assert labels == {unconfirmed.pk: "No response identified", confirmed.pk: "Non-response confirmed"}
    text = emails.digest_text(build(official))
    assert "No response identified" in text and "did not respond" not in text.lower()


def test_undated_and_vague_promises_are_counted_weekly_and_listed_once_a_month(department, official):
    vague = CommitmentFactory(
        department=department,
        due_latest=None,
        due_earliest=None,
        time_phrase="in due course",
        recorded_at=RECORDED,
    )
    CommitmentFactory(
        department=department, due_latest=None, due_earliest=None, recorded_at=RECORDED,
        status=Commitment.Status.NO_LONGER_APPLICABLE, status_reason="Programme closed",
    )  # fmt: skip
    weekly = build(official)  # 2025-W08: Monday 17 February
    section = weekly.section("undated")
    assert (section.total, section.items, section.news) == (1, [], False)
    assert weekly.is_empty  # a count alone is not news
    assert "undated=1" in section.more_url and section.more_url in emails.digest_text(weekly)
    monthly = build(official, week="2025-W10", moment=datetime.datetime(2025, 3, 3, 7, tzinfo=LONDON))
    section = monthly.section("undated")
    assert commitment_ids(section) == [vague.pk] and section.news
    assert "“in due course”" in section.items[0].due_description


def test_scrutineers_get_claims_to_assess_and_the_weeks_deliveries(department):
    from tracker import permissions

    clerk = UserFactory(email="clerk@example.gov.uk", role=permissions.COMMITTEE_CLERKS)
    subscription = DigestSubscriptionFactory(user=clerk)
    subscription.departments.add(department)
    official = UserFactory()
    claimed = due(D(2025, 1, 31), department)
    with time_machine.travel(datetime.datetime(2025, 2, 12, 10, tzinfo=LONDON), tick=False):
        claimed.change_status(Commitment.Status.DELIVERED, delivered_on=D(2025, 2, 10), by=official)
    due(D(2025, 1, 31), department, evidence_state=Commitment.EvidenceState.VERIFIED)  # assessed already
    digest = build(subscription)
    assert commitment_ids(digest.section("claims_to_assess")) == [claimed.pk]
    [delivery] = digest.section("delivered").items
    assert delivery.event.commitment_id == claimed.pk and delivery.status == "Delivered late"
    assert "Marked delivered late by" in emails.digest_text(digest)
    assert official_digest_has_no_scrutiny(department)


def official_digest_has_no_scrutiny(department):
    subscription = DigestSubscriptionFactory(user=UserFactory())
    subscription.departments.add(department)
    digest = build(subscription)
    return digest.section("claims_to_assess") is None and digest.section("delivered") is None


def test_due_dates_revised_this_week_show_old_new_who_and_why(department, official):
    editor = UserFactory(username="jsmith", first_name="Jo", last_name="Smith")
    c = due(D(2025, 3, 31), department)
    with time_machine.travel(datetime.datetime(2025, 2, 12, 15, tzinfo=LONDON), tick=False):
        c.revise_due_date(due_latest=D(2025, 6, 30), by=editor, reason="Awaiting the spending review")
    with time_machine.travel(datetime.datetime(2025, 1, 2, 15, tzinfo=LONDON), tick=False):
        due(D(2025, 4, 30), department).revise_due_date(due_latest=D(2025, 5, 31), by=editor, reason="Older")
    section = build(official).section("revised")
    assert section.total == 1
    item = section.items[0]
    assert (item.old_due, item.new_due, item.by, item.why) == (
        D(2025, 3, 31),
        D(2025, 6, 30),
        "Jo Smith",
        "Awaiting the spending review",
    )
    text = emails.digest_text(build(official))
    assert "moved from 31 March 2025 to 30 June 2025 by Jo Smith. Why: Awaiting the spending review" in text


def test_a_subscriber_sees_only_what_they_follow(department, official):
    other = DepartmentFactory()
    mine = due(D(2024, 12, 31), department)
    due(D(2024, 12, 31), other)
    followed_report = ReportFactory(kind="inquiry", deceased="")
    letter = ResponseLetterFactory()
    letter.reports.add(followed_report)
    via_report = due(D(2024, 10, 31), other, letter=letter)
    clerk = DigestSubscriptionFactory(user=UserFactory())
    clerk.reports.add(followed_report)
    everything = DigestSubscriptionFactory(user=UserFactory(), follow_everything=True)
    sweep_on(datetime.datetime(2025, 1, 6, 6, tzinfo=LONDON))
    assert commitment_ids(build(official).section("still_overdue")) == [mine.pk]
    assert commitment_ids(build(clerk).section("still_overdue")) == [via_report.pk]
    assert build(everything).section("still_overdue").total == 3


def test_a_report_follower_gets_the_same_digest_alone_and_in_a_batch(department):
    """build_digests reads the letters answering followed reports from its prefetch, build_digest by a query."""
    followed = ReportFactory(kind="inquiry", deceased="")
    first, second = ResponseLetterFactory(), ResponseLetterFactory()
    first.reports.add(followed)
    second.reports.add(followed, ReportFactory())
    answers = [
        due(D(2024, 10, 31), department, letter=first),
        due(D(2024, 11, 30), department, letter=second),
    ]
    due(D(2024, 9, 30), department)  # another letter, not about the report
    clerk = DigestSubscriptionFactory(user=UserFactory())
    clerk.reports.add(followed)
    sweep_on(datetime.datetime(2025, 1, 6, 6, tzinfo=LONDON))
    alone = build(clerk).section("still_overdue")
    with time_machine.travel(SEND_TIME, tick=False):
        [batched] = list(digests.build_digests(DigestSubscription.objects.filter(pk=clerk.pk), WEEK))
    assert (
        commitment_ids(alone) == commitment_ids(batched.section("still_overdue")) == [c.pk for c in answers]
    )


def test_escalation_reaches_senior_contacts_only_past_the_threshold(department, official, settings):
    senior = UserFactory(username="director")
    department.senior_contacts.add(senior)
    senior_subscription = DigestSubscriptionFactory(user=senior)
    long_overdue = due(TODAY - datetime.timedelta(weeks=8, days=1), department)
    due(TODAY - datetime.timedelta(weeks=3), department)
    sweep_on(SEND_TIME - datetime.timedelta(hours=1))
    digest = build(senior_subscription)
    assert commitment_ids(digest.section("escalated")) == [long_overdue.pk]
    assert digest.sections[0].key == "escalated"
    assert build(official).section("escalated") is None
    settings.ESCALATION_AFTER_WEEKS = 2
    assert build(senior_subscription).section("escalated").total == 2


def test_items_link_to_their_pages_with_absolute_urls(department, official):
    c = due(D(2024, 12, 31), department)
    sweep_on(datetime.datetime(2025, 1, 6, 6, tzinfo=LONDON))
    digest = build(official)
    assert (
        digest.section("still_overdue").items[0].url == f"https://tracker.example.gov.uk/commitments/{c.pk}/"
    )
    message = emails.digest_message(digest)
    html = message.alternatives[0][0]
    assert f'href="https://tracker.example.gov.uk/commitments/{c.pk}/"' in html
    assert f"https://tracker.example.gov.uk/commitments/{c.pk}/" in message.body


def test_a_long_section_is_cut_and_counted(department, official, monkeypatch):
    monkeypatch.setattr(digests, "SECTION_LIMIT", 3)
    for n in range(5):
        due(D(2024, 1, 1) + datetime.timedelta(days=n), department)
    sweep_on(datetime.datetime(2024, 6, 1, 6, tzinfo=LONDON))
    section = build(official).section("still_overdue")
    assert (len(section.items), section.total, section.hidden) == (3, 5, 2)
    assert "... and 2 more" in emails.digest_text(build(official))


def test_the_number_of_queries_does_not_grow_with_commitments(
    department, official, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(digests, "SECTION_LIMIT", 5)  # every section below is longer than what is listed

    def populate(n):
        letter = ResponseLetterFactory(date=D(2024, 1, 10))
        letter.reports.add(ReportFactory())
        for i in range(n):
            due(D(2024, 6, 1) + datetime.timedelta(days=i), department, letter=letter)  # overdue
            due(TODAY + datetime.timedelta(days=1 + i % 29), department, letter=letter)  # due soon
            CommitmentFactory(
                letter=letter, department=department, due_latest=None, due_earliest=None, recorded_at=RECORDED
            )
            AddresseeFactory(department=department, report=ReportFactory(date_issued=D(2024, 6, 1)))
        sweep_on(SEND_TIME - datetime.timedelta(hours=1))

    populate(6)
    with django_assert_max_num_queries(20) as few:
        build(official)
    populate(60)
    with django_assert_max_num_queries(len(few)) as many:
        digest = build(official)
    assert digest.section("still_overdue").total == 66 and digest.section("due_soon").total == 66
    assert len(many) == len(few)


def _every_kind_of_subscriber(n, departments):
    """n subscribers of each kind, each following something of their own: a department, a report (with its
    letter's commitments), a department and a report, everything, a clerk (scrutiny sections) and a senior
    contact (escalation); with overdue, due soon, undated, missing, revised and delivered rows for each."""
    from tracker import permissions

    editor = UserFactory()
    subscriptions = []
    for i in range(n):
        department = departments[i % len(departments)]
        report = ReportFactory(kind="inquiry", deceased="", date_issued=D(2024, 6, 1))
        letter = ResponseLetterFactory(date=D(2024, 7, 1))
        letter.reports.add(report)
        AddresseeFactory(department=department, report=ReportFactory(date_issued=D(2024, 6, 1)))
        for day in (D(2024, 6, 30), D(2025, 2, 14), TODAY + datetime.timedelta(days=9)):
            due(day, department, letter=letter)
            due(day, departments[(i + 1) % len(departments)], letter=letter)
        due(None, department, letter=letter)
        revised, delivered = due(D(2025, 3, 31), department), due(D(2025, 1, 31), department)
        with time_machine.travel(datetime.datetime(2025, 2, 12, 15, tzinfo=LONDON), tick=False):
            revised.revise_due_date(due_latest=D(2025, 6, 30), by=editor, reason="Spending review")
            delivered.change_status(Commitment.Status.DELIVERED, delivered_on=D(2025, 2, 10), by=editor)
        department.senior_contacts.add(senior := UserFactory())
        for user, follows in (
            (UserFactory(), {"departments": [department]}),
            (UserFactory(), {"reports": [report]}),
            (UserFactory(), {"departments": [department], "reports": [report]}),
            (UserFactory(), {"everything": True}),
            (UserFactory(role=permissions.COMMITTEE_CLERKS), {"departments": [department]}),
            (senior, {"departments": [department]}),
        ):
            subscription = DigestSubscriptionFactory(
                user=user, follow_everything=follows.get("everything", False)
            )
            subscription.departments.add(*follows.get("departments", []))
            subscription.reports.add(*follows.get("reports", []))
            subscriptions.append(subscription)
    return subscriptions


def build_all(subscriptions):
    with time_machine.travel(SEND_TIME, tick=False):
        return list(
            digests.build_digests(
                DigestSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]), WEEK
            )
        )


def test_building_every_digest_takes_the_same_queries_for_3_or_60_subscribers(
    django_assert_max_num_queries, monkeypatch
):
    """The weekly run's queries do not grow with the subscribers, what they follow, or the commitments: each
    section is one query (two with followed reports) for all of them."""
    monkeypatch.setattr(digests, "SECTION_LIMIT", 2)  # every section below is longer than what is listed
    departments = [DepartmentFactory() for _ in range(3)]
    few_subscribers = _every_kind_of_subscriber(1, departments)
    with django_assert_max_num_queries(32) as few:
        built = build_all(few_subscribers)
    assert len(built) == 6 and all(len(d.sections) >= 7 for d in built)
    departments += [DepartmentFactory() for _ in range(3)]
    many_subscribers = few_subscribers + _every_kind_of_subscriber(9, departments)
    with django_assert_max_num_queries(len(few)) as many:
        built = build_all(many_subscribers)
    assert len(built) == 60 and len(many) == len(few)
    everything = next(d for d in built if d.subscription.follow_everything)
    assert (
        everything.section("still_overdue").total == 20
        and len(everything.section("still_overdue").items) == 2
    )
    clerk = next(
        d for d in built if d.section("claims_to_assess")
    )  # the first: its department is in 3 rounds
    assert clerk.section("delivered").total == 3 and clerk.section("revised").total == 3
    assert sum(1 for d in built if d.section("escalated")) == 10


def test_a_digest_built_with_every_other_is_the_one_built_alone():
    """Sections are merged from partitions by department and by followed letter: a commitment of a followed
    report in a followed department is listed and counted once."""
    departments = [DepartmentFactory() for _ in range(2)]
    subscriptions = _every_kind_of_subscriber(2, departments)
    batch = {d.subscription.pk: d for d in build_all(subscriptions)}

    def shape(digest):
        return [
            (
                s.key,
                s.total,
                [getattr(i, "commitment", None) or getattr(i, "event", None) or i.addressee for i in s.items],
            )
            for s in digest.sections
        ]

    for subscription in subscriptions:
        assert shape(build(subscription)) == shape(batch[subscription.pk])
    both = batch[subscriptions[2].pk]  # a department and a report whose letter has commitments in two
    assert both.section("still_overdue").total == 2 + 1  # its department's two, the other department's one
    assert both.section("due_soon").total == 2 + 1


def test_digest_period_for_this_week_and_another(settings):
    now = datetime.datetime(2025, 2, 19, 12, tzinfo=LONDON)  # a Wednesday in W08
    this_week = digests.digest_period("2025-W08", now)
    assert this_week.end == now and this_week.today == D(2025, 2, 19)
    past = digests.digest_period("2025-W06", now)
    assert past.end == datetime.datetime(2025, 2, 3, 7, tzinfo=LONDON)
    assert past.start == datetime.datetime(2025, 1, 27, 7, tzinfo=LONDON)
    with pytest.raises(ValueError):
        digests.digest_period("2025-8", now)
    with pytest.raises(ValueError):
        digests.week_monday("2025-W54")
    assert digests.iso_week(D(2024, 12, 30)) == "2025-W01"


def test_the_email_has_a_subject_a_text_and_an_html_part(department, official):
    due(D(2025, 2, 14), department, time_phrase="by 14 February 2025")
    due(D(2024, 12, 31), department, time_phrase="by the end of 2024")
    message = emails.digest_message(build(official))
    assert message.subject == "Tracker digest 2025-W08: 1 newly overdue, 1 still overdue"
    assert message.to == ["official@example.gov.uk"]
    assert "“by 14 February 2025”, due by 14 February 2025; 3 days overdue" in message.body
    assert "“by the end of 2024”, due by 31 December 2024; 48 days overdue" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<table" in html and "48 days overdue" in html
    assert message.extra_headers["Message-ID"].startswith("<digest-")


# Delivery, exactly once


class FlakyBackend(LocmemBackend):
    """Refuses mail for the addresses in `refuse` (as an SMTP server would), delivers the rest to mail.outbox."""

    refuse = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refuse:
                raise ConnectionRefusedError("SMTP server unavailable")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.refuse = set()
    yield FlakyBackend
    FlakyBackend.refuse = set()


@pytest.fixture
def with_news(department, official):
    due(D(2024, 12, 31), department)
    sweep_on(datetime.datetime(2025, 2, 15, 6, tzinfo=LONDON))
    return official


def deliver(subscription, moment=SEND_TIME):
    with time_machine.travel(moment, tick=False):
        return digests.deliver_digest(subscription.pk, WEEK)


def test_running_twice_sends_once(with_news):
    with time_machine.travel(SEND_TIME, tick=False):
        digests.send_digests(WEEK)
        digests.send_digests(WEEK)
    assert len(mail.outbox) == 1
    delivery = DigestDelivery.objects.get()
    assert (delivery.status, delivery.week, delivery.attempts, delivery.item_count) == ("sent", WEEK, 1, 1)
    assert delivery.sent_at == SEND_TIME


def test_a_failed_send_is_recorded_and_the_retry_sends_once(with_news, flaky):
    flaky.refuse = {"official@example.gov.uk"}
    with pytest.raises(ConnectionRefusedError):
        deliver(with_news)
    delivery = DigestDelivery.objects.get()
    assert delivery.status == DigestDelivery.Status.FAILED and "SMTP server unavailable" in delivery.error
    assert mail.outbox == []
    flaky.refuse = set()
    assert deliver(with_news, SEND_TIME + datetime.timedelta(minutes=1)) == DigestDelivery.Status.SENT
    assert deliver(with_news, SEND_TIME + datetime.timedelta(minutes=2)) == DigestDelivery.Status.SENT
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.error == ""


def test_a_claim_held_by_a_live_attempt_is_left_alone_and_a_dead_ones_is_taken_over(with_news):
    with time_machine.travel(SEND_TIME, tick=False):
        delivery, token = digests.claim_delivery(with_news, WEEK)  # a worker claims, then dies
    assert token is not None
    assert deliver(with_news, SEND_TIME + datetime.timedelta(minutes=5)) == DigestDelivery.Status.SENDING
    assert mail.outbox == []
    assert deliver(with_news, SEND_TIME + datetime.timedelta(minutes=20)) == DigestDelivery.Status.SENT
    assert deliver(with_news, SEND_TIME + datetime.timedelta(minutes=40)) == DigestDelivery.Status.SENT
    assert len(mail.outbox) == 1
    # The dead attempt cannot overwrite the result when it comes back.
    assert not digests._finish(delivery, token, status=DigestDelivery.Status.FAILED)
    assert DigestDelivery.objects.get().status == DigestDelivery.Status.SENT


def test_one_failure_does_not_stop_the_others(department, with_news, flaky):
    second = DigestSubscriptionFactory(user=UserFactory(email="second@example.gov.uk"))
    second.departments.add(department)
    flaky.refuse = {"official@example.gov.uk"}
    with time_machine.travel(SEND_TIME, tick=False):
        outcome = digests.send_digests(WEEK)
    assert outcome == {DigestDelivery.Status.FAILED: 1, DigestDelivery.Status.SENT: 1}
    assert [m.to for m in mail.outbox] == [["second@example.gov.uk"]]


def test_nothing_to_report_sends_nothing_unless_opted_in(department):
    quiet = DigestSubscriptionFactory(user=UserFactory(email="quiet@example.gov.uk"))
    quiet.departments.add(department)
    opted_in = DigestSubscriptionFactory(user=UserFactory(email="optin@example.gov.uk"), send_when_empty=True)
    opted_in.departments.add(department)
    assert deliver(quiet) == DigestDelivery.Status.NOTHING_TO_REPORT
    assert deliver(opted_in) == DigestDelivery.Status.SENT
    assert [m.to for m in mail.outbox] == [["optin@example.gov.uk"]]
    assert mail.outbox[0].subject == "Tracker digest 2025-W08: nothing to report"
    assert "Nothing to report this week" in mail.outbox[0].body


def test_inactive_subscribers_and_users_without_email_get_nothing(department, with_news):
    inactive = DigestSubscriptionFactory(user=UserFactory(), active=False)
    no_email = DigestSubscriptionFactory(user=UserFactory(email=""))
    for s in (inactive, no_email):
        s.departments.add(department)
    with time_machine.travel(SEND_TIME, tick=False):
        digests.send_digests(WEEK)
    assert [m.to for m in mail.outbox] == [["official@example.gov.uk"]]


def test_each_week_is_its_own_delivery(with_news):
    with time_machine.travel(SEND_TIME, tick=False):
        digests.send_digests(WEEK)
    with time_machine.travel(SEND_TIME + datetime.timedelta(weeks=1), tick=False):
        digests.send_digests("2025-W09")
    assert len(mail.outbox) == 2
    assert sorted(DigestDelivery.objects.values_list("week", flat=True)) == ["2025-W08", "2025-W09"]


def test_the_database_refuses_a_second_row_for_the_same_week(with_news):
    from django.db import IntegrityError, transaction

    DigestDelivery.objects.create(subscription=with_news, user=with_news.user, week=WEEK)
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestDelivery.objects.create(subscription=with_news, user=with_news.user, week=WEEK)


def test_without_a_broker_the_fan_out_runs_in_process_and_one_failure_does_not_stop_it(
    department, with_news, flaky, settings
):
    from tracker import tasks

    second = DigestSubscriptionFactory(user=UserFactory(email="second@example.gov.uk"))
    second.departments.add(department)
    flaky.refuse = {"official@example.gov.uk"}
    with time_machine.travel(SEND_TIME, tick=False):
        assert tasks.send_weekly_digests(WEEK) == 2
    assert [m.to for m in mail.outbox] == [["second@example.gov.uk"]]
    statuses = dict(DigestDelivery.objects.values_list("user__email", "status"))
    assert statuses == {"official@example.gov.uk": "failed", "second@example.gov.uk": "sent"}


def test_the_weekly_run_delivers_in_batches_with_a_fixed_number_of_queries_a_subscriber(
    department, with_news
):
    """Each batch is built together (fixed queries), then each digest costs its claim, send and record."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    subscriptions = [with_news]
    for n in range(5):
        subscription = DigestSubscriptionFactory(user=UserFactory(email=f"s{n}@example.gov.uk"))
        subscription.departments.add(department)
        subscriptions.append(subscription)
    counts = []
    with time_machine.travel(SEND_TIME, tick=False):
        digests.prepare_deliveries(WEEK)  # as the weekly run does, before its batches
        for batch in (subscriptions[:2], subscriptions[2:]):
            with CaptureQueriesContext(connection) as queries:
                outcome = digests.deliver_digests([s.pk for s in batch], WEEK)
            assert set(outcome.values()) == {DigestDelivery.Status.SENT}
            counts.append(len(queries))
    per_subscriber = (counts[1] - counts[0]) / 2
    # Read the delivery row, claim it, read it back, record the send: building adds nothing a subscriber.
    assert per_subscriber == 4
    assert len(mail.outbox) == 6


def test_batches_keep_the_subscribers_of_a_department_together(settings):
    settings.DIGEST_BATCH_SIZE = 2
    first, second = DepartmentFactory(), DepartmentFactory()
    followers = []
    for department in (second, first, second, first):
        subscription = DigestSubscriptionFactory(user=UserFactory())
        subscription.departments.add(department)
        followers.append(subscription.pk)
    everything = DigestSubscriptionFactory(user=UserFactory(), follow_everything=True).pk
    assert digests.batches([*followers, everything]) == [
        [everything, followers[1]],
        [followers[3], followers[0]],
        [followers[2]],
    ]


def test_subscribers_who_follow_the_same_things_share_the_rendered_sections(department, with_news):
    other = DigestSubscriptionFactory(user=UserFactory(first_name="Ada", last_name="Lovelace"))
    other.departments.add(department)
    first, second = build_all([with_news, other])
    assert first.rendered is second.rendered and first.rendered == {}
    mine, theirs = emails.digest_message(first), emails.digest_message(second)
    assert set(first.rendered) == {"txt", "html"}
    assert "Tracker digest for Ada Lovelace" in theirs.body and "Ada Lovelace" not in mine.body
    assert mine.body.split("\n--\n")[0].split("\n", 1)[1] == theirs.body.split("\n--\n")[0].split("\n", 1)[1]
    assert "Still overdue, oldest first (1)" in theirs.body
    assert theirs.alternatives[0][0].count("Still overdue, oldest first (1)") == 1


def test_a_batch_stops_sending_when_the_mail_server_is_down(department, with_news, flaky, monkeypatch):
    """Five failures in a row: the rest of the batch stays unsent for the 15-minute run, instead of a thousand
    subscribers each waiting for their SMTP timeout."""
    monkeypatch.setattr(digests, "GIVE_UP_AFTER_FAILURES", 2)
    subscriptions = [with_news]
    for n in range(3):
        subscription = DigestSubscriptionFactory(user=UserFactory(email=f"s{n}@example.gov.uk"))
        subscription.departments.add(department)
        subscriptions.append(subscription)
    flaky.refuse = {s.user.email for s in subscriptions}
    with time_machine.travel(SEND_TIME, tick=False):
        digests.prepare_deliveries(WEEK)
        outcome = digests.deliver_digests([s.pk for s in subscriptions], WEEK)
    assert list(outcome.values()) == [DigestDelivery.Status.FAILED] * 2
    statuses = sorted(DigestDelivery.objects.values_list("status", flat=True))
    assert statuses == ["failed", "failed", "pending", "pending"]
