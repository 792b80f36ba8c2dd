import pytest

from responses.models import Commitment
from tests.factories import AddresseeFactory, CommitmentFactory, ReportFactory
from tracker.models import Addressee, AddresseeEvent, AddresseeName, Department
from tracker.pfd.organisations import (
    MergeRefused,
    load_known_organisations,
    merge_organisations,
    repoint_spelling,
    resolve_names,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    load_known_organisations()
    return {d.short_name: d for d in Department.objects.all()}


def test_spellings_of_one_department_become_that_department(known):
    written = [
        "Department of Health and Social Care",
        "Department for Health and Social Care",
        "Secretary of State for Health and Social Care",
        "DHSC",
        "The Rt Hon Victoria Atkins MP, Secretary of State for Health and Social Care",
    ]
    mapping, counts = resolve_names(written)
    assert set(mapping.values()) == {known["DHSC"].pk}
    assert not counts[AddresseeName.Match.NEW]
    # Each spelling is kept in the alias table, with how it was matched.
    assert AddresseeName.objects.get(spelling="Secretary of State for Health and Social Care").match == "rule"


def test_government_bodies_point_to_their_department(known):
    assert known["HMPPS"].parent == known["MoJ"]
    assert known["NHSE"].parent == known["DHSC"]
    assert known["MHRA"].parent == known["DHSC"]
    assert known["NH"].parent == known["DfT"]
    mapping, _ = resolve_names(["HMP Pentonville", "HM Prison Pentonville"])
    prison = Department.objects.get(pk=mapping["HMP Pentonville"])
    assert mapping["HM Prison Pentonville"] == prison.pk
    assert (prison.name, prison.kind, prison.parent) == (
        "HM Prison Pentonville",
        "public_body",
        known["HMPPS"],
    )
    # A department sees its bodies' bodies too.
    assert {known["HMPPS"].pk, prison.pk} <= set(known["MoJ"].with_bodies_ids())


def test_bodies_outside_government_are_organisations_of_their_kind(known):
    mapping, _ = resolve_names(
        ["Barts Health NHS Trust", "Surrey Police", "Surrey County Council", "Priory Group Limited"]
    )
    kinds = {name: Department.objects.get(pk=pk).kind for name, pk in mapping.items()}
    assert kinds == {
        "Barts Health NHS Trust": "nhs",
        "Surrey Police": "police",
        "Surrey County Council": "local_authority",
        "Priory Group Limited": "company",
    }
    assert not Department.objects.get(pk=mapping["Surrey Police"]).is_government


def test_a_rarer_spelling_finds_the_body_of_the_common_one(known):
    mapping, counts = resolve_names(["Whittington Health NHS Trust"] * 3 + ["Whittington Health"])
    assert mapping["Whittington Health"] == mapping["Whittington Health NHS Trust"]
    assert Department.objects.get(pk=mapping["Whittington Health"]).name == "Whittington Health NHS Trust"
    assert counts == {"new": 1, "similar": 1}


def test_names_that_match_nothing_well_wait_for_review_with_suggestions(known):
    mapping, _ = resolve_names(["Royal College of Radiology", "Oak Lodge Care Home"])
    queue = {n.spelling: n for n in AddresseeName.objects.to_review()}
    assert set(queue) == {"Royal College of Radiology", "Oak Lodge Care Home"}
    suggestions = queue["Royal College of Radiology"].suggestions
    assert suggestions[0]["name"] == "Royal College of Radiologists"
    assert suggestions[0]["id"] == Department.objects.get(name="Royal College of Radiologists").pk


def test_resolving_again_creates_nothing(known):
    resolve_names(["Oak Lodge Care Home", "NHS England"])
    organisations, names = Department.objects.count(), AddresseeName.objects.count()
    mapping, counts = resolve_names(["Oak Lodge Care Home", "NHS England"])
    assert (Department.objects.count(), AddresseeName.objects.count()) == (organisations, names)
    assert not counts


def test_merging_moves_every_report_and_spelling_with_events(known, django_user_model):
    editor = django_user_model.objects.create(username="editor")
    mapping, _ = resolve_names(["Royal College of Radiology"])
    duplicate = Department.objects.get(pk=mapping["Royal College of Radiology"])
    right = Department.objects.get(name="Royal College of Radiologists")
    only_duplicate = AddresseeFactory(department=duplicate, named_as="Royal College of Radiology")
    both_report = ReportFactory()
    kept = AddresseeFactory(report=both_report, department=right)
    folded = AddresseeFactory(report=both_report, department=duplicate, named_as="Royal College of Radiology")
    folded.record_response(both_report.date_issued, url="https://example.org/r.pdf", date_known=False)

    merge_organisations(duplicate, right, by=editor)

    assert not Department.objects.filter(pk=duplicate.pk).exists()
    only_duplicate.refresh_from_db()
    assert only_duplicate.department == right
    assert only_duplicate.events.get().kind == AddresseeEvent.Kind.ORGANISATION_CHANGED
    assert not Addressee.objects.filter(pk=folded.pk).exists()
    kept.refresh_from_db()
    assert kept.response_received_on == both_report.date_issued  # the response carried over
    assert {e.kind for e in kept.events.all()} == {"response_recorded", "organisation_changed"}
    spelling = AddresseeName.objects.get(spelling="Royal College of Radiology")
    assert (spelling.department, spelling.match, spelling.reviewed_by) == (right, "editor", editor)
    assert "Royal College of Radiology" in right.aliases
    # The next import finds it at once.
    assert resolve_names(["Royal College of Radiology"])[0]["Royal College of Radiology"] == right.pk


def test_a_merge_of_an_organisation_with_commitments_is_refused(known):
    home_office = known["HO"]
    CommitmentFactory(department=home_office)
    with pytest.raises(MergeRefused, match="owns commitments"):
        merge_organisations(home_office, known["MoJ"])
    assert Commitment.objects.filter(department=home_office).exists()


def test_a_spelling_matched_wrongly_can_be_pointed_elsewhere(known):
    mapping, _ = resolve_names(["Circle Health Group", "Circle Health Group Ltd"])
    group = Department.objects.get(pk=mapping["Circle Health Group"])
    other = Department.objects.create(
        name="Circle Health Group Limited (the company)", short_name="CHGL", slug="chgl", kind="company"
    )
    addressee = AddresseeFactory(department=group, named_as="Circle Health Group Ltd")
    untouched = AddresseeFactory(department=group, named_as="Circle Health Group")
    repoint_spelling(AddresseeName.objects.get(spelling="Circle Health Group Ltd"), other)
    addressee.refresh_from_db()
    untouched.refresh_from_db()
    assert (addressee.department, untouched.department) == (other, group)
    assert addressee.events.get().kind == AddresseeEvent.Kind.ORGANISATION_CHANGED
