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


def roles_of(user):
    """The role names a user holds (the groups of ROLE_PERMISSIONS); a superuser is an administrator."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.filter(name__in=ROLE_PERMISSIONS).values_list("name", flat=True))
    if user.is_superuser:
        names.add(ADMINISTRATORS)
    return [name for name in ROLE_PERMISSIONS if name in names]


def abilities(user):
    """What the user may do, in words, from the same predicates the pages check (for their account page)."""
    if not user.is_authenticated:
        return []
    found = ["Read every public page, and see internal notes in commitments' histories"]
    if is_administrator(user):
        found.append("Change the delivery status and due date of any department's commitments")
    elif _in_group(user, POLICY_OFFICIALS):
        if department_ids_of(user):
            found.append("Change the delivery status and due date of your departments' commitments")
        else:
            found.append("Change commitments once an administrator adds you to a department (none yet)")
    if can_assess_evidence(user):
        found.append("Mark a delivery claim verified or disputed")
    if can_ingest(user):
        found.append("Load response letters and review what the reader found, in the admin")
    if can_preview_digests(user):
        found.append("Preview any subscriber's weekly digest")
    if is_administrator(user):
        found.append("Manage users, departments and their officials in the admin")
    return found
