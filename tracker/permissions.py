"""Who may do what, in one place: named predicates over a user and an object.

Roles are Django groups (created by a data migration, see ROLE_PERMISSIONS); object-level rules, such as
"an official may change commitments of their own departments", are the functions below. Views, forms,
the admin and tests all ask these functions rather than checking flags themselves.
"""

POLICY_OFFICIALS = "Policy officials"
COMMITTEE_CLERKS = "Committee clerks"
INGESTION_EDITORS = "Ingestion editors"
ADMINISTRATORS = "Administrators"

# Model-level permissions each role's group carries (app_label.codename).
ROLE_PERMISSIONS = {
    POLICY_OFFICIALS: ["responses.view_commitment", "responses.change_commitment"],
    COMMITTEE_CLERKS: ["responses.view_commitment", "responses.assess_evidence", "tracker.view_report"],
    INGESTION_EDITORS: [
        f"{app}.{action}_{model}"
        for app, model in [
            ("responses", "responseletter"),
            ("responses", "signatory"),
            ("responses", "commitment"),
            ("responses", "position"),
            ("tracker", "report"),
            ("tracker", "addressee"),
            ("tracker", "recommendation"),
        ]
        for action in ("add", "change", "view")
    ]
    + ["tracker.view_department", "tracker.change_department"]
    # The PFD corpus: the review queue of addressee names, published responses to attribute, categories.
    + [
        "tracker.view_addresseename",
        "tracker.change_addresseename",
        "tracker.view_addresseenametoreview",
        "tracker.change_addresseenametoreview",
        "tracker.view_publishedresponse",
        "tracker.change_publishedresponse",
        "tracker.view_reportcategory",
    ],
    ADMINISTRATORS: [],  # administrators are superusers or hold every permission through the admin
}


def _in_group(user, name):
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=name).exists())


def is_administrator(user):
    return user.is_authenticated and (user.is_superuser or _in_group(user, ADMINISTRATORS))


def is_editor(user):
    return is_administrator(user) or _in_group(user, INGESTION_EDITORS)


def is_clerk(user):
    return is_administrator(user) or _in_group(user, COMMITTEE_CLERKS)


def department_ids_of(user):
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_department_ids", None)
    if cached is None:
        cached = set(user.departments.values_list("id", flat=True))
        user._department_ids = cached
    return cached


def can_change_commitment(user, commitment):
    """Officials of the owning department, and administrators."""
    if is_administrator(user):
        return True
    return _in_group(user, POLICY_OFFICIALS) and commitment.department_id in department_ids_of(user)


def can_assess_evidence(user, commitment=None):
    """Clerks (and administrators) mark a delivery claim verified or disputed."""
    return is_clerk(user)


def can_ingest(user):
    return is_editor(user)


def can_see_internal_notes(user):
    return user.is_authenticated


def can_preview_digests(user):
    return user.is_authenticated and user.is_staff
