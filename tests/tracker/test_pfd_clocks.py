"""Each addressee's clock (stated date, 56 days, extension, late response) and each report's category."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.factories import AddresseeFactory, DepartmentFactory, ReportFactory
from tracker.models import Addressee, PublishedResponse, Report
from tracker.pfd import statuses

D = datetime.date
State = Addressee.ResponseState


@pytest.mark.django_db
def test_the_stated_namely_by_date_is_the_deadline():
    addressee = AddresseeFactory(
        report=ReportFactory(date_issued=D(2023, 10, 27), stated_response_deadline=D(2023, 12, 20))
    )
    assert addressee.response_due == D(2023, 12, 20)


@pytest.mark.django_db
def test_without_a_stated_date_the_deadline_is_56_days_after_the_report():
    addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2023, 10, 27)))
    assert addressee.response_due == D(2023, 12, 22)
    assert addressee.response_state(D(2023, 12, 22)) == State.NOT_YET_DUE
    assert addressee.response_state(D(2023, 12, 23)) == State.NO_RESPONSE_IDENTIFIED


@pytest.mark.django_db
def test_an_extension_moves_the_deadline_and_keeps_the_original():
    addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2023, 10, 27)))
    addressee.grant_extension(D(2024, 2, 1), reason="The coroner agreed", granted_on=D(2023, 12, 20))
    addressee.refresh_from_db()
    assert (addressee.original_response_due, addressee.response_due) == (D(2023, 12, 22), D(2024, 2, 1))
    assert addressee.response_state(D(2024, 1, 15)) == State.NOT_YET_DUE
    assert Report.objects.with_pfd_category(D(2024, 1, 15)).get().pfd_category == "pending"
    assert Report.objects.with_pfd_category(D(2024, 2, 2)).get().pfd_category == "overdue"


@pytest.mark.django_db
def test_a_late_response_with_its_date_known():
    addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2023, 10, 27)))
    addressee.record_response(D(2024, 1, 5))
    assert addressee.response_state() == State.RECEIVED_LATE
    assert addressee.days_late() == 14


@pytest.mark.django_db
def test_a_response_known_only_from_its_publication_is_late_only_when_the_dates_show_it():
    published_in_time = AddresseeFactory(report=ReportFactory(date_issued=D(2023, 10, 10)))  # due 5 December
    published_in_time.record_response(D(2023, 11, 30), date_known=False, url="https://example.org/r.pdf")
    assert (
        published_in_time.response_state() == State.RECEIVED_ON_TIME
    )  # received no later than it was published
    published_later = AddresseeFactory(report=ReportFactory(date_issued=D(2023, 10, 27)))
    published_later.record_response(D(2024, 3, 31), date_known=False, url="https://example.org/r2.pdf")
    assert published_later.response_state() == State.RECEIVED_DATE_UNKNOWN
    assert published_later.days_late() == 0
    assert published_later.events.get().note == "Published response: https://example.org/r2.pdf"


@pytest.mark.parametrize(
    "clock, expected",
    [
        (statuses.ReportClock(addressees=2, responded=0, unattributed=0, still_due=True), "pending"),
        (statuses.ReportClock(addressees=2, responded=0, unattributed=0, still_due=False), "overdue"),
        (statuses.ReportClock(addressees=2, responded=1, unattributed=0, still_due=False), "partial"),
        (statuses.ReportClock(addressees=2, responded=1, unattributed=1, still_due=False), "completed"),
        (statuses.ReportClock(addressees=2, responded=0, unattributed=5, still_due=True), "completed"),
        (statuses.ReportClock(addressees=0, responded=0, unattributed=0, still_due=True), None),
    ],
)
def test_the_preventable_deaths_trackers_categories(clock, expected):
    assert statuses.category(clock) == expected


class TestTheDatabaseCountsAsThePythonRule(TestCase):
    """Report.objects.with_pfd_category (SQL, for lists and filters) agrees with statuses.category."""

    @settings(max_examples=25, deadline=None)
    @given(
        addressees=st.lists(
            st.tuples(st.booleans(), st.integers(-30, 30)),  # (responded, deadline relative to the day)
            min_size=0,
            max_size=4,
        ),
        unattributed=st.integers(0, 2),
        counted=st.one_of(st.none(), st.integers(0, 6)),
        not_a_response=st.integers(0, 1),
    )
    def test_agreement(self, addressees, unattributed, counted, not_a_response):
        day = D(2025, 7, 24)
        report = ReportFactory(date_issued=D(2025, 5, 1), published_response_count=counted)
        for responded, offset in addressees:
            addressee = AddresseeFactory(
                report=report,
                department=DepartmentFactory(),
                response_due=day + datetime.timedelta(days=offset),
            )
            if responded:
                addressee.record_response(day)
        for n in range(unattributed):
            PublishedResponse.objects.create(report=report, url=f"https://example.org/{report.pk}/u{n}.pdf")
        for n in range(not_a_response):
            PublishedResponse.objects.create(
                report=report,
                url=f"https://example.org/{report.pk}/r{n}.pdf",
                attribution=PublishedResponse.Attribution.NOT_A_RESPONSE,
            )
        published = unattributed + not_a_response
        clock = statuses.ReportClock(
            addressees=len(addressees),
            responded=sum(1 for responded, _ in addressees if responded),
            unattributed=unattributed + max(0, (counted or 0) - published),
            still_due=any(not responded and offset >= 0 for responded, offset in addressees),
        )
        assert Report.objects.with_pfd_category(day).get(pk=report.pk).pfd_category == statuses.category(
            clock
        )


@pytest.mark.django_db
def test_the_stored_clock_follows_every_change_and_a_write_around_it_is_found():
    from io import StringIO

    from django.core.management import CommandError, call_command

    report = ReportFactory(date_issued=D(2025, 5, 1))
    first = AddresseeFactory(report=report)
    AddresseeFactory(report=report)
    report.refresh_from_db()
    assert (report.pfd_addressees, report.pfd_responded, report.pfd_waiting_until) == (2, 0, D(2025, 6, 26))
    first.record_response(D(2025, 6, 1))
    PublishedResponse.objects.create(report=report, url="https://example.org/x.pdf")
    report.refresh_from_db()
    assert (report.pfd_responded, report.pfd_unattributed) == (1, 1)
    assert Report.objects.with_pfd_category(D(2025, 7, 24)).get().pfd_category == "completed"
    # A write around the models (raw SQL, as a bulk fix might do) leaves the clock behind: the check says so.
    Addressee.objects.filter(pk=first.pk).update(response_received_on=None)
    with pytest.raises(CommandError, match="1 reports' PFD clocks had drifted"):
        call_command("refresh_pfd_clocks", "--check", stdout=StringIO())
    call_command("refresh_pfd_clocks", stdout=StringIO())
    call_command("refresh_pfd_clocks", "--check", stdout=StringIO())
    report.refresh_from_db()
    assert report.pfd_responded == 0
