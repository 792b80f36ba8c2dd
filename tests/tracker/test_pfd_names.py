import pytest

from tracker.pfd.names import addressee_name, kind_of, name_key, same_body, similarity


def test_keys_ignore_case_punctuation_ampersands_apostrophes_and_a_leading_the():
    assert name_key("The Department of Health & Social Care") == name_key(
        "department of health and social care"
    )
    assert name_key("St George’s University Hospitals") == name_key("St Georges University Hospitals")
    assert name_key("Priory Group Ltd.") == name_key("Priory Group Limited")
    assert name_key("London Borough of Barnet") == name_key("Barnet Council")


@pytest.mark.parametrize(
    "written, name, rule",
    [
        ("Secretary of State for Health and Social Care", "Department of Health and Social Care", "role"),
        (
            "Rt Hon Victoria Atkins, Secretary of State for Department of Health and Social Care",
            "Department of Health and Social Care",
            "role",
        ),
        ("The Secretary of State for Justice", "Ministry of Justice", "role"),
        ("Home Secretary", "Home Office", "role"),
        ("Minister for Health and Social Services, Welsh Government", "Welsh Government", "role"),
        ("[REDACTED], Chief Executive NHS England", "NHS England", "person"),
        ("Chief Executive, Barts Health NHS Trust", "Barts Health NHS Trust", "person"),
        ("HMP Pentonville", "HM Prison Pentonville", "prison"),
        ("HMP/YOI Glen Parva", "HM Prison Glen Parva", "prison"),
        ("Pentonville Prison", "HM Prison Pentonville", "prison"),
        ("HM Prison and Probation Service", "HM Prison and Probation Service", ""),
        ("NHS England", "NHS England", ""),
    ],
)
def test_people_roles_and_prisons_are_read_as_the_organisation(written, name, rule):
    meaning = addressee_name(written)
    assert (meaning.name, meaning.rule) == (name, rule)


def test_an_abbreviation_in_brackets_is_kept_apart():
    meaning = addressee_name("London Fire Brigade (LFB)")
    assert (meaning.name, meaning.abbreviation) == ("London Fire Brigade", "LFB")


@pytest.mark.parametrize("written", ["REDACTED", "[Redacted]", "", "  ;  "])
def test_a_redaction_or_nothing_names_no_organisation(written):
    assert addressee_name(written) is None


@pytest.mark.parametrize(
    "name, kind",
    [
        ("Barts Health NHS Trust", "nhs"),
        ("Betsi Cadwaladr University Health Board", "nhs"),
        ("NHS Greater Manchester Integrated Care Board", "nhs"),
        ("Metropolitan Police Service", "police"),
        ("Devon and Cornwall Constabulary", "police"),
        ("Cornwall Council", "local_authority"),
        ("London Borough of Bromley", "local_authority"),
        ("Avon Fire and Rescue Service", "fire_rescue"),
        ("Royal College of Psychiatrists", "professional"),
        ("University of Sussex", "education"),
        ("Rossendale Nursing Home", "care_provider"),
        ("Priory Group Limited", "company"),
        ("HM Prison Pentonville", "public_body"),
        ("Something Unusual", "other"),
    ],
)
def test_the_kind_a_name_suggests(name, kind):
    assert kind_of(name) == kind


@pytest.mark.parametrize(
    "a, b",
    [
        ("Whittington Health", "Whittington Health NHS Trust"),
        ("Brighton and Hove Council", "Brighton and Hove City Council"),
        ("Tees, Esk and Wear Valley NHS Foundation Trust", "Tees Esk and Wear Valleys NHS Foundation Trust"),
        ("University Hospitals Birmimgham NHS Trust", "University Hospitals Birmingham NHS Foundation Trust"),
        ("Circle Health Group Ltd", "Circle Health Group"),
        ("Gloucestershire Police", "Gloucestershire Constabulary"),
    ],
)
def test_the_same_body_with_a_slip_or_a_generic_word_more(a, b):
    assert same_body(name_key(a), name_key(b))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Surrey Police", "Surrey County Council"),
        ("Hampshire NHS Foundation Trust", "Hampshire County Council"),
        ("University of Manchester", "Manchester University NHS Foundation Trust"),
        ("Cheshire East Council", "Cheshire West and Chester Council"),
        ("NHS England", "NHS Digital"),
        ("Borough Care", "Care UK"),
        ("Essex Partnership NHS Trust", "Essex Partnership University NHS Foundation Trust"),
        ("Hull University", "Hill University"),
        ("The City of London", "City of London Police"),
        ("Ministry of Defence Police", "Ministry of Defence"),
    ],
)
def test_different_bodies_are_not_the_same(a, b):
    assert not same_body(name_key(a), name_key(b))


def test_similarity_reads_the_distinctive_words():
    kent = name_key("Kent Police")
    assert similarity(kent, name_key("Kent Constabulary")) > similarity(
        kent, name_key("Metropolitan Police Service")
    )
    assert similarity(name_key("Royal College of Radiology"), name_key("Royal College of Radiologists")) > 0.8
