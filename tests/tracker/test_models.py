import datetime

import pytest
from django.db import IntegrityError

from tests.factories import AddresseeFactory, DepartmentFactory, RecommendationFactory, ReportFactory
from tracker.models import Addressee, AddresseeEvent, Department, Report, normalise_name

pytestmark = pytest.mark.django_db

D = datetime.date


class TestDepartmentAliases:
    def test_every_spelling_resolves_to_one_department(self):
        dhsc = DepartmentFactory(
            name="Department of Health and Social Care",
            short_name="DHSC",
            slug="department-of-health-and-social-care",
            aliases=["Department for Health and Social Care"],
        )
        DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")
        for spelling in [
            "Department for Health and Social Care",
            "Department of Health & Social Care",
            "DHSC",
            "the Department of Health and Social Care",
            "  department of health and social care ",
        ]:
            assert Department.objects.resolve(spelling) == dhsc, spelling

    def test_unknown_spelling_resolves_to_none(self):
        DepartmentFactory(name="Home Office", short_name="HO", slug="home-office")
        assert Department.objects.resolve("Ministry of Magic") is None

    def test_normalise_name_folds_ampersand_and_case(self):
        assert normalise_name("Department of Health & Social Care") == "department of health and social care"

    def test_slugs_are_unique_in_the_database(self):
        DepartmentFactory(name="Home Office", slug="home-office")
        with pytest.raises(IntegrityError):
            Department.objects.create(name="Home Office (copy)", short_name="HO2", slug="home-office")


class TestReportDeadlines:
    def test_pfd_without_stated_deadline_is_due_56_days_after_its_date(self):
        report = ReportFactory(kind=Report.Kind.PFD, date_issued=D(2024, 5, 29))
        assert report.default_response_deadline() == D(2024, 7, 24)

    def test_pfd_stated_deadline_wins(self):
        report = ReportFactory(
            kind=Report.Kind.PFD, date_issued=D(2024, 5, 29), stated_response_deadline=D(2024, 8, 1)
        )
        assert report.default_response_deadline() == D(2024, 8, 1)

    def test_committee_report_is_due_two_months_later(self):
        report = ReportFactory(kind=Report.Kind.COMMITTEE, date_issued=D(2024, 12, 31), deceased="")
        assert report.default_response_deadline() == D(2025, 2, 28)

    @pytest.mark.parametrize("kind", [Report.Kind.NATIONAL_REVIEW, Report.Kind.INQUIRY, Report.Kind.OTHER])
    def test_other_kinds_have_no_deadline_unless_set(self, kind):
        assert ReportFactory(kind=kind, date_issued=D(2024, 1, 1)).default_response_deadline() is None

    def test_slug_is_unique_even_for_identical_titles(self):
        first = ReportFactory(title="Same title")
        second = ReportFactory(title="Same title")
        assert first.slug != second.slug

    def test_matching_finds_report_by_deceased_case_insensitively(self):
        report = ReportFactory(deceased="Harper Denton")
        assert list(Report.objects.matching(deceased="harper denton")) == [report]
        assert not Report.objects.matching().exists()


class TestAddressee:
    def test_pfd_response_54_days_late(self):
        addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        assert addressee.response_due == D(2024, 7, 24)
        addressee.record_response(D(2024, 9, 16))
        assert addressee.response_state() == Addressee.ResponseState.RECEIVED_LATE
        assert addressee.days_late() == 54

    def test_response_on_the_deadline_is_on_time(self):
        addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        addressee.record_response(D(2024, 7, 24))
        assert addressee.response_state() == Addressee.ResponseState.RECEIVED_ON_TIME
        assert addressee.days_late() == 0

    def test_states_before_and_after_the_deadline_without_response(self):
        addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        assert addressee.response_state(on=D(2024, 7, 24)) == Addressee.ResponseState.NOT_YET_DUE
        assert addressee.response_state(on=D(2024, 7, 25)) == Addressee.ResponseState.NO_RESPONSE_IDENTIFIED
        assert addressee.days_late(on=D(2024, 7, 30)) == 6

    def test_extension_moves_the_deadline_and_is_recorded(self):
        addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        event = addressee.grant_extension(D(2024, 8, 30), granted_on=D(2024, 7, 20), reason="Coroner agreed")
        addressee.refresh_from_db()
        assert addressee.response_due == D(2024, 8, 30)
        assert addressee.original_response_due == D(2024, 7, 24)
        assert addressee.response_state(on=D(2024, 8, 1)) == Addressee.ResponseState.NOT_YET_DUE
        assert event.kind == AddresseeEvent.Kind.EXTENSION_GRANTED
        assert (event.old_deadline, event.new_deadline, event.note) == (
            D(2024, 7, 24),
            D(2024, 8, 30),
            "Coroner agreed",
        )

    def test_extension_needs_a_reason(self):
        addressee = AddresseeFactory()
        with pytest.raises(ValueError):
            addressee.grant_extension(D(2024, 8, 30), reason=" ")

    def test_one_answer_does_not_make_the_report_responded(self):
        report = ReportFactory(date_issued=D(2024, 5, 29))
        answered = AddresseeFactory(report=report)
        silent = AddresseeFactory(report=report)
        answered.record_response(D(2024, 6, 1))
        assert silent.response_state(on=D(2024, 8, 1)) == Addressee.ResponseState.NO_RESPONSE_IDENTIFIED

    def test_interim_and_not_required_states(self):
        addressee = AddresseeFactory(interim_reply_on=D(2024, 7, 1))  # due 24 July 2024
        assert addressee.response_state(on=D(2024, 7, 24)) == Addressee.ResponseState.INTERIM_REPLY
        # An interim reply does not stop the clock: past the deadline the full response is missing, as the
        # non-responses list, the digest and the sweep say (tracker.rules).
        assert addressee.response_state(on=D(2024, 9, 1)) == Addressee.ResponseState.NO_RESPONSE_IDENTIFIED
        assert addressee.is_missing_on(D(2024, 9, 1))
        addressee.response_required = False
        assert addressee.response_state(on=D(2024, 9, 1)) == Addressee.ResponseState.NOT_REQUIRED

    def test_confirmed_non_response_is_labelled_differently(self, django_user_model):
        editor = django_user_model.objects.create(username="ed")
        addressee = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        addressee.confirm_non_response(by=editor, note="Checked with the coroner")
        assert addressee.response_state(on=D(2024, 9, 1)) == Addressee.ResponseState.NON_RESPONSE_CONFIRMED

    def test_one_addressee_per_department_per_report(self):
        addressee = AddresseeFactory()
        with pytest.raises(IntegrityError):
            Addressee.objects.create(report=addressee.report, department=addressee.department)

    def test_missing_response_query(self):
        late = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        answered = AddresseeFactory(report=ReportFactory(date_issued=D(2024, 5, 29)))
        answered.record_response(D(2024, 7, 1))
        AddresseeFactory(report=ReportFactory(date_issued=D(2024, 7, 29)))  # not yet due on 1 Aug
        assert list(Addressee.objects.missing_response(D(2024, 8, 1))) == [late]


class TestRecommendation:
    def test_label_is_unique_within_a_report_and_kind(self):
        recommendation = RecommendationFactory(label="3")
        with pytest.raises(IntegrityError):
            RecommendationFactory(report=recommendation.report, kind=recommendation.kind, label="3")

    def test_unlabelled_recommendations_may_repeat(self):
        first = RecommendationFactory(label="", number=None)
        RecommendationFactory(report=first.report, label="", number=None)
        assert first.report.recommendations.count() == 2
