"""Every page of the service, built from the URLconf and sample objects.

Tests that must visit every page (script injection in Chromium, the Content-Security-Policy, layout at
320 px, the permission matrix, fuzzed query parameters) take their list from here:

    samples = make_samples()                      # one of every object a page shows
    for page in pages(samples):                   # every page, with the persona that may see it
        client.force_login(samples.users[page.user])  (unless page.user == "anonymous")
        client.get(page.url)

`tests/test_every_page.py` fails when a named URL pattern has no entry: adding a page means adding one line
to ENTRIES below (a function of the samples returning its Page(s)), or to NOT_PAGES with the reason it is not
a page (a POST-only action, a download, a JSON endpoint). Admin pages of every registered model are built
from the admin site's registry; a model registered without a sample object fails with its name.

List pages declare the FilterSet behind their query parameters (and any other parameter they read, such as
`page`), so the fuzz test of query parameters covers a new list page by its entry here.

make_samples(text=..., url=...) takes the free text and the web links to write into every field: the
default is plain readable text; the script-injection test passes payloads.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from responses.models import Commitment, CommitmentEvent, ResponseLetter
from tests import factories
from tracker import permissions
from tracker.filters import CommitmentFilter, LetterFilter, NonResponseFilter, PfdQueueFilter, ReportFilter
from tracker.models import AddresseeEvent, DigestDelivery, DigestSubscription

PERSONAS = ("anonymous", "official", "clerk", "editor", "staff", "admin")


@dataclasses.dataclass(frozen=True)
class Page:
    """One page to visit. `user`: the persona (a key of Samples.users, or "anonymous") that may see it."""

    name: (
        str  # the URL pattern's name, with its namespace: "commitment_detail", "admin:tracker_report_change"
    )
    url: str
    user: str = "anonymous"
    content: str = "html"  # "html", "csv", "json": what the response is
    status: int = 200  # what the persona gets
    filterset: type | None = None  # the FilterSet whose fields are the page's query parameters
    params: tuple[str, ...] = ()  # other query parameters the view reads
    label: str = ""  # unique among the pages, for test ids; the name when empty

    @property
    def id(self):
        return self.label or self.name

    @property
    def is_admin(self):
        return self.name.startswith("admin:")

    @property
    def layout(self):
        """ "service" (templates/base.html, GOV.UK Frontend) or "admin" (Django admin's look)."""
        return "admin" if self.is_admin or self.name in ADMIN_STYLED else "service"


# Pages outside the admin still drawn by Django's admin-styled templates (no template of ours yet).
ADMIN_STYLED = {"password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}


def plain_text(field):
    return f"Sample {field.replace('.', ' ').replace('_', ' ')}"


def plain_url(field):
    return f"https://www.gov.uk/government/publications/sample-{field.replace('.', '-').replace('_', '-')}"


@dataclasses.dataclass
class Samples:
    users: dict
    department: object
    report: object
    addressee: object
    recommendation: object
    letter: object
    draft_letter: object
    commitment: object
    subscription: object
    resetting_user: object  # signs in nowhere, so a password reset link made for them stays valid
    objects: dict  # model class -> the instance whose admin change page is visited

    def object_of(self, model):
        found = self.objects.get(model)
        if found is None:
            found = model._default_manager.order_by("pk").first()
        if found is None:
            raise LookupError(
                f"No sample {model._meta.label} for its admin pages: add one to make_samples() in tests/every_page.py"
            )
        return found


def make_samples(text: Callable[[str], str] = plain_text, url: Callable[[str], str] = plain_url) -> Samples:
    """One of everything a page shows, with text(field) in every free-text field and url(field) in every link.

    The commitment is overdue, delivered-claimed with evidence and re-dated this week, so it appears on the
    dashboard, in lists, with a history, and in its department's digest.
    """
    from django.utils import timezone
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    from responses.ingestion import create_draft_from_text
    from tracker.models import london_today

    today = london_today()

    def fit(model, field, key):
        """text(key) cut to the column's length (a payload longer than the column could not be stored)."""
        return text(key)[: model._meta.get_field(field).max_length]

    from responses.models import Signatory
    from tracker.models import Addressee, Department, Recommendation, Report  # noqa: F401

    department = factories.DepartmentFactory(
        name=fit(Department, "name", "department.name"),
        short_name=fit(Department, "short_name", "department.short_name"),
        slug="sample-department",
        aliases=[text("department.alias")],
    )
    users = {
        "official": factories.official_of(
            department, username="sample-official", first_name=text("user.first_name")[:150]
        ),
        "clerk": factories.UserFactory(username="sample-clerk", role=permissions.COMMITTEE_CLERKS),
        "editor": factories.UserFactory(
            username="sample-editor", role=permissions.INGESTION_EDITORS, is_staff=True
        ),
        "staff": factories.UserFactory(
            username="sample-staff", is_staff=True, last_name=text("user.last_name")[:150]
        ),
        "admin": factories.UserFactory(
            username="sample-admin", role=permissions.ADMINISTRATORS, is_staff=True, is_superuser=True
        ),
    }
    report = factories.ReportFactory(
        title=fit(Report, "title", "report.title"),
        slug="sample-report",
        issuing_body=fit(Report, "issuing_body", "report.issuing_body"),
        author=fit(Report, "author", "report.author"),
        author_role=fit(Report, "author_role", "report.author_role"),
        deceased=fit(Report, "deceased", "report.deceased"),
        reference=fit(Report, "reference", "report.reference"),
        source_url=url("report.source_url"),
        date_issued=today - datetime.timedelta(days=400),
    )
    addressee = factories.AddresseeFactory(report=report, department=department)
    addressee.grant_extension(today - datetime.timedelta(days=200), reason=text("addressee_event.note"))
    recommendation = factories.RecommendationFactory(
        report=report,
        text=text("recommendation.text"),
        label=fit(Recommendation, "label", "recommendation.label"),
    )
    recommendation.departments.add(department)
    letter = factories.ResponseLetterFactory(
        text=text("letter.text"),
        addressed_to_name=fit(ResponseLetter, "addressed_to_name", "letter.addressed_to_name"),
        addressed_to_role=fit(ResponseLetter, "addressed_to_role", "letter.addressed_to_role"),
        original_filename=fit(ResponseLetter, "original_filename", "letter.original_filename"),
        departments=[department],
        date=today - datetime.timedelta(days=300),
    )
    letter.reports.add(report)
    signatory = factories.SignatoryFactory(
        letter=letter,
        name=fit(Signatory, "name", "signatory.name"),
        role=fit(Signatory, "role", "signatory.role"),
        department=department,
    )
    position = factories.PositionFactory(
        recommendation=recommendation,
        department=department,
        letter=letter,
        quote=text("position.quote"),
        reason=text("position.reason"),
    )
    commitment = factories.CommitmentFactory(
        letter=letter,
        department=department,
        text=text("commitment.text"),
        time_phrase=fit(Commitment, "time_phrase", "commitment.time_phrase"),
        due_latest=today - datetime.timedelta(days=90),
        due_earliest=None,
        precision=Commitment.Precision.DAY,
        text_start=0,
        text_end=min(len(letter.text), 40),
    )
    commitment.recommendations.add(recommendation)
    commitment.change_status(
        Commitment.Status.IN_PROGRESS, by=users["official"], note=text("commitment_event.note")
    )
    commitment.revise_due_date(
        due_latest=today - datetime.timedelta(days=30),
        time_phrase=fit(Commitment, "time_phrase", "commitment.revised_time_phrase"),
        by=users["official"],
        reason=text("commitment_event.reason"),
    )
    # A delivery claimed with an evidence link (so the clerk has a claim to assess), written as stored data:
    # the link may have come from any route (ingestion, an old form), and pages must be safe with any value.
    Commitment.objects.filter(pk=commitment.pk).update(
        status=Commitment.Status.PARTLY_DELIVERED,
        status_reason=text("commitment.status_reason"),
        evidence_url=url("commitment.evidence_url"),
        evidence_state=Commitment.EvidenceState.EVIDENCE_LINKED,
    )
    CommitmentEvent.objects.create(
        commitment=commitment,
        kind=CommitmentEvent.Kind.STATUS_CHANGED,
        by=users["official"],
        old_status=Commitment.Status.IN_PROGRESS,
        new_status=Commitment.Status.PARTLY_DELIVERED,
        note=text("commitment_event.delivery_note"),
        evidence_url=url("commitment_event.evidence_url"),
    )
    commitment.refresh_from_db()
    from tracker.overdue import sweep

    sweep()
    draft_letter = create_draft_from_text(
        sample_letter_text(text, today), user=users["editor"], source=ResponseLetter.Source.PASTE
    )
    subscription = DigestSubscription.objects.create(user=users["official"], send_when_empty=True)
    subscription.departments.add(department)
    subscription.reports.add(report)
    from tracker.digests import current_week

    delivery = DigestDelivery.objects.create(
        subscription=subscription, user=users["official"], week=current_week(), error=text("delivery.error")
    )
    group = Group.objects.get(name=permissions.POLICY_OFFICIALS)
    # Sign-in attempts (django-axes): the username and browser are whatever the person signing in sent.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    attempt = {
        "user_agent": fit(AccessLog, "user_agent", "signin.user_agent"),
        "username": fit(AccessLog, "username", "signin.username"),
        "ip_address": "192.0.2.10",
        "http_accept": fit(AccessLog, "http_accept", "signin.http_accept"),
        "path_info": "/accounts/login/",
    }
    crontab = CrontabSchedule.objects.create(minute="0", hour="6", timezone="Europe/London")
    # The PFD corpus: a category, a spelling waiting for review (with a suggestion), a published response.
    from responses.models import LetterUpload
    from tracker.models import AddresseeName, AddresseeNameToReview, PublishedResponse, ReportCategory

    # An upload whose reading failed: its file name and its reason are shown on its status page.
    upload = LetterUpload.objects.create(
        original_filename=fit(LetterUpload, "original_filename", "upload.original_filename"),
        content_hash="f" * 64,
        state=LetterUpload.State.FAILED,
        message=text("upload.message"),
        uploaded_by=users["editor"],
    )

    # A PFD report upload whose reading failed: its file name and reason are shown on its status page.
    from tracker.models import PfdReportUpload

    pfd_upload = PfdReportUpload.objects.create(
        original_filename=fit(PfdReportUpload, "original_filename", "pfd_upload.original_filename"),
        content_hash="e" * 64,
        state=PfdReportUpload.State.FAILED,
        message=text("pfd_upload.message"),
        uploaded_by=users["editor"],
    )

    category = ReportCategory.objects.create(
        name=fit(ReportCategory, "name", "category.name"), slug="sample-category"
    )
    report.categories.add(category)
    spelling = AddresseeName.objects.create(
        key="sample spelling",
        spelling=fit(AddresseeName, "spelling", "addressee_name.spelling"),
        department=department,
        match=AddresseeName.Match.NEW,
        suggestions=[{"id": department.pk, "name": text("addressee_name.suggestion"), "score": 0.9}],
    )
    published = PublishedResponse.objects.create(
        report=report,
        url=url("published_response.url"),
        sender=fit(PublishedResponse, "sender", "published_response.sender"),
        published_by=today,
        attribution=PublishedResponse.Attribution.SENDER_NAME,
    )
    published.addressees.add(addressee)
    objects = {
        type(department): department,
        type(report): report,
        type(addressee): addressee,
        AddresseeEvent: addressee.events.first(),
        type(recommendation): recommendation,
        ResponseLetter: letter,
        type(signatory): signatory,
        type(position): position,
        Commitment: commitment,
        CommitmentEvent: commitment.events.order_by("id").first(),
        DigestSubscription: subscription,
        DigestDelivery: delivery,
        type(users["official"]): users["official"],
        Group: group,
        IntervalSchedule: IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES),
        SolarSchedule: SolarSchedule.objects.create(event="sunrise", latitude=51.5, longitude=-0.12),
        ClockedSchedule: ClockedSchedule.objects.create(clocked_time=timezone.now()),
        CrontabSchedule: crontab,
        PeriodicTask: PeriodicTask.objects.create(
            name=fit(PeriodicTask, "name", "periodic_task.name"),
            task="tracker.tasks.flag_overdue",
            crontab=crontab,
            description=text("periodic_task.description"),
        ),
        AccessAttempt: AccessAttempt.objects.create(
            **attempt,
            get_data=text("signin.get_data"),
            post_data=text("signin.post_data"),
            failures_since_start=3,
        ),
        AccessLog: AccessLog.objects.create(**attempt),
        AccessFailureLog: AccessFailureLog.objects.create(**attempt, locked_out=True),
        ReportCategory: category,
        AddresseeName: spelling,
        AddresseeNameToReview: AddresseeNameToReview.objects.get(pk=spelling.pk),
        PublishedResponse: published,
        LetterUpload: upload,
        PfdReportUpload: pfd_upload,
    }
    return Samples(
        users=users,
        department=department,
        report=report,
        addressee=addressee,
        recommendation=recommendation,
        letter=letter,
        draft_letter=draft_letter,
        commitment=commitment,
        subscription=subscription,
        resetting_user=factories.UserFactory(username="sample-forgetful"),
        objects=objects,
    )


def sample_letter_text(text, today):
    """A pasted response letter, read by the real extractor into a draft: free text in every place a
    letter carries it (addressee, report, concerns, promises, time phrases, signatory)."""
    return (
        f"{today:%-d %B %Y}\n\n"
        f"Dear {text('draft.addressee')},\n\n"
        f"Regulation 28 report to prevent future deaths: {text('draft.report_title')}\n\n"
        "Thank you for the report. I respond to each matter of concern in turn.\n\n"
        f"1. {text('draft.concern')}\n\n"
        f"We will publish revised guidance on {text('draft.commitment')} by March {today.year + 1}.\n\n"
        f"We will review the training of staff on {text('draft.commitment_2')} within six months.\n\n"
        "Yours sincerely,\n\n"
        f"{text('draft.signatory')}\n"
        "Minister of State for Health and Social Care\n"
        "Department of Health and Social Care\n"
    )


# ------------------------------------------------------------------------------------------- the entries

# Each entry: URL pattern name -> function(samples) returning the Page or list of Pages to visit.
ENTRIES: dict[str, Callable[[Samples], Page | list[Page]]] = {
    "dashboard": lambda s: Page("dashboard", reverse("dashboard")),
    "report_list": lambda s: Page(
        "report_list", reverse("report_list"), filterset=ReportFilter, params=("page",)
    ),
    "report_detail": lambda s: [
        Page("report_detail", s.report.get_absolute_url()),
        Page("report_detail", s.report.get_absolute_url(), user="official", label="report_detail-signed-in"),
    ],
    "letter_list": lambda s: [
        Page("letter_list", reverse("letter_list"), filterset=LetterFilter, params=("page",)),
        Page(
            "letter_list",
            f"{reverse('letter_list')}?department={s.department.slug}&report={s.report.slug}&has_overdue=1",
            label="letter_list-filtered",
        ),
    ],
    "letter_detail": lambda s: Page("letter_detail", s.letter.get_absolute_url()),
    "commitment_list": lambda s: [
        Page("commitment_list", reverse("commitment_list"), filterset=CommitmentFilter, params=("page",)),
        Page(
            "commitment_list",
            f"{reverse('commitment_list')}?report={s.report.slug}&department={s.department.slug}",
            label="commitment_list-filtered",
        ),
    ],
    "commitment_export": lambda s: Page(
        "commitment_export", reverse("commitment_export"), content="csv", filterset=CommitmentFilter
    ),
    "commitment_detail": lambda s: [
        Page("commitment_detail", s.commitment.get_absolute_url()),
        Page(
            "commitment_detail",
            s.commitment.get_absolute_url(),
            user="official",
            label="commitment_detail-signed-in",
        ),
    ],
    "commitment_change_status": lambda s: Page(
        "commitment_change_status",
        reverse("commitment_change_status", args=[s.commitment.pk]),
        user="official",
    ),
    "commitment_revise_due_date": lambda s: Page(
        "commitment_revise_due_date",
        reverse("commitment_revise_due_date", args=[s.commitment.pk]),
        user="official",
    ),
    "commitment_assess_evidence": lambda s: Page(
        "commitment_assess_evidence",
        reverse("commitment_assess_evidence", args=[s.commitment.pk]),
        user="clerk",
    ),
    "department_list": lambda s: Page("department_list", reverse("department_list")),
    "department_detail": lambda s: Page("department_detail", s.department.get_absolute_url()),
    "search": lambda s: [
        Page("search", reverse("search"), params=("q", "type", "page")),
        Page("search", f"{reverse('search')}?q=sample", label="search-everything"),
        Page("search", f"{reverse('search')}?q=sample&type=commitments", label="search-commitments"),
    ],
    "account_settings": lambda s: Page("account_settings", reverse("account_settings"), user="official"),
    "digest_preview": lambda s: [
        Page("digest_preview", reverse("digest_preview"), user="staff", params=("subscription", "week")),
        Page(
            "digest_preview",
            f"{reverse('digest_preview')}?subscription={s.subscription.pk}",
            user="staff",
            label="digest_preview-subscriber",
        ),
    ],
    "login": lambda s: Page("login", reverse("login")),
    "password_change": lambda s: Page("password_change", reverse("password_change"), user="official"),
    "password_change_done": lambda s: Page(
        "password_change_done", reverse("password_change_done"), user="official"
    ),
    "password_reset": lambda s: Page("password_reset", reverse("password_reset")),
    "password_reset_done": lambda s: Page("password_reset_done", reverse("password_reset_done")),
    "password_reset_confirm": lambda s: Page(
        "password_reset_confirm",
        reverse(
            "password_reset_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(s.resetting_user.pk)),
                default_token_generator.make_token(s.resetting_user),
            ],
        ),
        status=302,  # to the same form without the token in the address
    ),
    "password_reset_complete": lambda s: Page("password_reset_complete", reverse("password_reset_complete")),
    "healthz": lambda s: Page("healthz", reverse("healthz"), content="json"),
    # The admin's own pages; each registered model's pages are added by admin_model_pages().
    "admin:index": lambda s: [
        Page("admin:index", reverse("admin:index"), user="admin"),
        Page("admin:index", reverse("admin:index"), user="editor", label="admin:index-editor"),
    ],
    "admin:login": lambda s: Page("admin:login", reverse("admin:login")),
    "admin:password_change": lambda s: Page(
        "admin:password_change", reverse("admin:password_change"), user="admin"
    ),
    "admin:password_change_done": lambda s: Page(
        "admin:password_change_done", reverse("admin:password_change_done"), user="admin"
    ),
    "admin:app_list": lambda s: [
        Page(
            "admin:app_list",
            reverse("admin:app_list", args=[app]),
            user="admin",
            label=f"admin:app_list-{app}",
        )
        for app in sorted({model._meta.app_label for model in admin.site._registry})
    ],
    "admin:auth_user_password_change": lambda s: Page(
        "admin:auth_user_password_change",
        reverse("admin:auth_user_password_change", args=[s.users["official"].pk]),
        user="admin",
    ),
    "admin:responses_responseletter_ingest": lambda s: Page(
        "admin:responses_responseletter_ingest",
        reverse("admin:responses_responseletter_ingest"),
        user="editor",
    ),
    "admin:responses_responseletter_review": lambda s: Page(
        "admin:responses_responseletter_review",
        reverse("admin:responses_responseletter_review", args=[s.draft_letter.pk]),
        user="editor",
    ),
    "admin:responses_responseletter_upload": lambda s: Page(
        "admin:responses_responseletter_upload",
        reverse("admin:responses_responseletter_upload", args=[s.objects[_letter_upload()].pk]),
        user="editor",
    ),
    # The PFD corpus.
    "pfd_non_responses": lambda s: Page(
        "pfd_non_responses", reverse("pfd_non_responses"), filterset=NonResponseFilter, params=("page",)
    ),
    "pfd_non_responses_export": lambda s: Page(
        "pfd_non_responses_export",
        reverse("pfd_non_responses_export"),
        content="csv",
        filterset=NonResponseFilter,
    ),
    "department_pfd_queue": lambda s: Page(
        "department_pfd_queue",
        reverse("department_pfd_queue", args=[s.department.slug]),
        filterset=PfdQueueFilter,
        params=("page",),
    ),
    "department_pfd_queue_export": lambda s: Page(
        "department_pfd_queue_export",
        reverse("department_pfd_queue_export", args=[s.department.slug]),
        content="csv",
        filterset=PfdQueueFilter,
    ),
    # An addressee's clock in the admin: one form per change (tracker/admin_addressee.py).
    "admin:tracker_addressee_action": lambda s: [
        Page(
            "admin:tracker_addressee_action",
            reverse("admin:tracker_addressee_action", args=[s.addressee.pk, action]),
            user="editor",
            label=f"admin:tracker_addressee_action-{action}",
        )
        for action in _addressee_actions()
    ],
    # The PFD corpus in the admin.
    "admin:tracker_report_upload_pfd": lambda s: Page(
        "admin:tracker_report_upload_pfd", reverse("admin:tracker_report_upload_pfd"), user="editor"
    ),
    "admin:tracker_report_upload_pfd_status": lambda s: Page(
        "admin:tracker_report_upload_pfd_status",
        reverse("admin:tracker_report_upload_pfd_status", args=[s.objects[_pfd_upload()].pk]),
        user="editor",
    ),
    "admin:tracker_addresseename_review": lambda s: Page(
        "admin:tracker_addresseename_review",
        reverse("admin:tracker_addresseename_review", args=[s.objects[_addressee_name()].pk]),
        user="editor",
    ),
}


def _addressee_actions():
    from tracker.admin_addressee import ACTIONS

    return list(ACTIONS)


def _pfd_upload():
    from tracker.models import PfdReportUpload

    return PfdReportUpload


def _letter_upload():
    from responses.models import LetterUpload

    return LetterUpload


def _addressee_name():
    from tracker.models import AddresseeName

    return AddresseeName


# Named URL patterns that are not pages to visit, and why.
NOT_PAGES = {
    "letter_original": "a download of the file as uploaded (Content-Disposition: attachment)",
    "follow_report": "a POST-only action of the report page's follow button",
    "logout": "POST only (Django's LogoutView)",
    "admin:logout": "POST only (Django's LogoutView)",
    "admin:jsi18n": "JavaScript for the admin's widgets",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets",
    "admin:view_on_site": "a redirect to the object's page",
}

ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")


def admin_model_pages(samples):
    """The changelist, add, change, history and delete-confirmation pages of every registered model."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = samples.users["admin"]
    found = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        opts = model._meta
        obj = samples.object_of(model)
        allowed = {
            "changelist": model_admin.has_view_or_change_permission(request),
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_view_or_change_permission(request, obj),
            "history": model_admin.has_view_or_change_permission(request, obj),
            "delete": model_admin.has_delete_permission(request, obj),
        }
        for view in ADMIN_MODEL_VIEWS:
            if not allowed[view]:  # e.g. sign-in attempts are never added by hand: no such page to visit
                continue
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            args = [obj.pk] if view in ("change", "history", "delete") else []
            found.append(Page(name, reverse(name, args=args), user="admin"))
    return found


def admin_model_pattern_names():
    return {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_{view}"
        for m in admin.site._registry
        for view in ADMIN_MODEL_VIEWS
    }


def pages(samples, *, content="html"):
    """Every page, as Page objects (only those whose response is `content`; None for all)."""
    found = []
    for build in ENTRIES.values():
        built = build(samples)
        found.extend(built if isinstance(built, list) else [built])
    found.extend(admin_model_pages(samples))
    return [page for page in found if content is None or page.content == content]


def list_pages(samples):
    """The pages whose query parameters say what they list: a FilterSet, or parameters of their own."""
    return [page for page in pages(samples, content=None) if page.filterset or page.params]


def url_patterns(patterns=None, namespace=None, prefix=""):
    """Every URL pattern of the URLconf as (name with its namespace or None, namespace, route)."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, namespace, prefix + str(pattern.pattern)
