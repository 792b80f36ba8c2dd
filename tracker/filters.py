"""The filters of the list pages, as query parameters (other tools link to them, e.g.
/commitments/?overdue=1&department=home-office). The CSV export uses the same FilterSet, so it holds
exactly what the page shows.
"""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, OuterRef, Q

from responses.models import Commitment, ResponseLetter
from tracker.forms import DateField as GovukDateField
from tracker.forms import DateInputWidget
from tracker.models import (
    CLOCK_LABELS,
    Addressee,
    Department,
    Recommendation,
    Report,
    ReportCategory,
    london_today,
)
from tracker.pfd import statuses as pfd_statuses
from tracker.visibility import published_letters

YES = [("1", "Yes")]


def department_choices():
    """UK government departments and bodies: the organisations outside government (NHS trusts, councils,
    companies: thousands in the PFD corpus) are chosen by the `addressee` filter, not from a list."""
    return Department.objects.government().only("slug", "name").order_by("name")


def coroner_areas():
    """The coroner areas PFD reports come from (one index-only read of a hundred-odd values)."""
    areas = (
        Report.objects.filter(kind=Report.Kind.PFD)
        .exclude(issuing_body="")
        .order_by("issuing_body")
        .values_list("issuing_body", flat=True)
        .distinct()
    )
    return [(area, area) for area in areas]


def category_choices():
    return ReportCategory.objects.only("slug", "name").order_by("name")


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices in one plain query: Django's iterator() on PostgreSQL opens a server-side cursor, three
    round trips (DECLARE, FETCH, CLOSE) for some forty departments on every list page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class DepartmentFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


class WholeOrPartsDateInput(DateInputWidget):
    """The GOV.UK date input (due_from-day, due_from-month, due_from-year), which also reads the date whole
    from the address (due_from=2025-04-01), as the dashboard's links and other tools write it."""

    def value_from_datadict(self, data, files, name):
        whole = (data.get(name) or "").strip()
        if whole:
            try:
                day = datetime.date.fromisoformat(whole)
            except ValueError:
                return [whole, whole, whole]  # reported as not a real date, never ignored
            return [str(day.day), str(day.month), str(day.year)]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class GovukDateFilter(django_filters.Filter):
    """A date filter entered with the GOV.UK date input (not the browser's date picker)."""

    field_class = GovukDateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", WholeOrPartsDateInput)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole year a date can have (1 to 9999): anything else is a form error, never a query that cannot run."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        message = "Enter a year as four digits, like 2024"
        kwargs.setdefault("error_messages", {"min_value": message, "max_value": message, "invalid": message})
        super().__init__(*args, **kwargs)


class CommitmentFilter(django_filters.FilterSet):
    department = DepartmentFilter(
        queryset=department_choices(), to_field_name="slug", empty_label="Any department"
    )
    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices, empty_label="Any status")
    overdue = django_filters.ChoiceFilter(
        choices=YES, method="filter_overdue", empty_label="Any", label="Overdue only"
    )
    open = django_filters.ChoiceFilter(
        choices=YES, method="filter_open", empty_label="Any", label="Open only"
    )
    undated = django_filters.ChoiceFilter(
        choices=YES, method="filter_undated", empty_label="Any", label="Undated or vague only"
    )
    due_from = GovukDateFilter(
        field_name="due_latest", lookup_expr="gte", label="Due on or after", help_text="For example, 1 4 2025"
    )
    due_to = GovukDateFilter(
        field_name="due_latest",
        lookup_expr="lte",
        label="Due on or before",
        help_text="For example, 30 4 2025",
    )
    precision = django_filters.ChoiceFilter(
        choices=Commitment.Precision.choices, empty_label="Any precision", label="Date precision"
    )
    report_kind = django_filters.ChoiceFilter(
        choices=Report.Kind.choices,
        method="filter_report_kind",
        empty_label="Any kind of report",
        label="Kind of report",
    )
    report = django_filters.CharFilter(method="filter_report", widget=forms.HiddenInput, label="Report")
    letter = django_filters.NumberFilter(field_name="letter_id", widget=forms.HiddenInput, label="Letter")
    sort = django_filters.OrderingFilter(
        fields=[("due_latest", "due"), ("department__name", "department"), ("status", "status")],
        field_labels={"due_latest": "Due date", "department__name": "Department", "status": "Status"},
        empty_label="Due date, soonest first",
        label="Sort by",
    )

    class Meta:
        model = Commitment
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or london_today()
        super().__init__(*args, **kwargs)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value == "1" else queryset

    def filter_undated(self, queryset, name, value):
        return queryset.undated() if value == "1" else queryset

    def filter_open(self, queryset, name, value):
        return queryset.open() if value == "1" else queryset

    def filter_report_kind(self, queryset, name, value):
        letters = ResponseLetter.reports.through.objects.filter(
            responseletter_id=OuterRef("letter_id"), report__kind=value
        )
        return queryset.filter(Exists(letters))

    def filter_report(self, queryset, name, value):
        letters = ResponseLetter.reports.through.objects.filter(
            responseletter_id=OuterRef("letter_id"), report__slug=value
        )
        return queryset.filter(Exists(letters))


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search titles, recommendations and letters")
    kind = django_filters.ChoiceFilter(choices=Report.Kind.choices, empty_label="Any kind")
    department = DepartmentFilter(
        queryset=department_choices(),
        to_field_name="slug",
        method="filter_department",
        empty_label="Any department",
        label="Sent to",
    )
    year = YearFilter(field_name="date_issued__year", label="Year issued")
    area = django_filters.ChoiceFilter(
        choices=coroner_areas, field_name="issuing_body", empty_label="Any area", label="Coroner area"
    )
    category = django_filters.ModelChoiceFilter(
        queryset=category_choices(),
        to_field_name="slug",
        field_name="categories",
        empty_label="Any category",
        label="Category (PFD reports)",
    )
    addressee = django_filters.CharFilter(
        method="filter_addressee",
        label="Sent to an organisation",
        help_text="Part of its name, e.g. Barts Health or Surrey Police.",
    )
    status = django_filters.ChoiceFilter(
        choices=list(pfd_statuses.LABELS.items()),
        method="filter_status",
        empty_label="Any",
        label="Responses (PFD reports)",
    )
    has_overdue = django_filters.ChoiceFilter(
        choices=YES, method="filter_has_overdue", empty_label="Any", label="Has overdue commitments"
    )
    sort = django_filters.OrderingFilter(
        fields=[("date_issued", "date"), ("title", "title")],
        field_labels={"date_issued": "Date issued", "title": "Title"},
        empty_label="Newest first",
        label="Sort by",
    )

    class Meta:
        model = Report
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or london_today()
        super().__init__(*args, **kwargs)
        self.filters["year"].field.widget.attrs.update({"inputmode": "numeric"})

    def filter_department(self, queryset, name, value):
        # Sent to the department or one of its bodies (a department sees its agencies' reports too).
        return queryset.filter(
            Exists(Addressee.objects.of_organisations(value).filter(report=OuterRef("pk")))
        )

    def filter_addressee(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        organisations = Department.objects.filter(Q(name__icontains=value) | Q(slug=value)).values("pk")
        return queryset.filter(
            Exists(Addressee.objects.filter(report=OuterRef("pk"), department_id__in=organisations))
        )

    def filter_status(self, queryset, name, value):
        return queryset.with_pfd_category(self.today).filter(pfd_category=value)

    def filter_has_overdue(self, queryset, name, value):
        # A stored column (Report.earliest_open_due), not a search through every overdue commitment.
        return queryset.with_overdue_commitments(self.today) if value == "1" else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if settings.IS_POSTGRES:
            return search_postgres(queryset, value)
        recommendations = Recommendation.objects.filter(report=OuterRef("pk"), text__icontains=value)
        letters = published_letters().filter(reports=OuterRef("pk"), text__icontains=value)
        return queryset.filter(Q(title__icontains=value) | Exists(recommendations) | Exists(letters))


class LetterFilter(django_filters.FilterSet):
    """The letters index: /letters/?department=home-office&year=2024&report_kind=pfd."""

    department = DepartmentFilter(
        queryset=department_choices(),
        to_field_name="slug",
        field_name="departments",
        empty_label="Any department",
        label="From",
    )
    report_kind = django_filters.ChoiceFilter(
        choices=Report.Kind.choices,
        method="filter_report_kind",
        empty_label="Any kind of report",
        label="Answering a",
    )
    year = YearFilter(field_name="date__year", label="Year of the letter")
    has_overdue = django_filters.ChoiceFilter(
        choices=YES, method="filter_has_overdue", empty_label="Any", label="Has overdue commitments"
    )
    report = django_filters.CharFilter(method="filter_report", widget=forms.HiddenInput, label="Report")
    sort = django_filters.OrderingFilter(
        fields=[("date", "date")],
        field_labels={"date": "Date"},
        empty_label="Newest first",
        label="Sort by",
    )

    class Meta:
        model = ResponseLetter
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or london_today()
        super().__init__(*args, **kwargs)
        self.filters["year"].field.widget.attrs.update({"inputmode": "numeric"})

    def filter_report_kind(self, queryset, name, value):
        links = ResponseLetter.reports.through.objects.filter(
            responseletter_id=OuterRef("pk"), report__kind=value
        )
        return queryset.filter(Exists(links))

    def filter_report(self, queryset, name, value):
        links = ResponseLetter.reports.through.objects.filter(
            responseletter_id=OuterRef("pk"), report__slug=value
        )
        return queryset.filter(Exists(links))

    def filter_has_overdue(self, queryset, name, value):
        if value != "1":
            return queryset
        return queryset.filter(
            Exists(Commitment.objects.overdue(self.today).filter(letter_id=OuterRef("pk")))
        )


def search_postgres(queryset, value):
    """PostgreSQL full-text search (English stemming) over titles, recommendations and letter text.

    Three uncorrelated id lists, each answered by a GIN index on the same to_tsvector expression (letters:
    responses migration 0004; titles and recommendations: tracker migration 0006), rather than correlated
    EXISTS that would run per report. Only confirmed letters are searched.
    """
    query = SearchQuery(value, config="english", search_type="websearch")
    by_title = Report.objects.annotate(document=SearchVector("title", config="english")).filter(
        document=query
    )
    by_recommendation = Recommendation.objects.annotate(
        document=SearchVector("text", config="english")
    ).filter(document=query)
    by_letter = (
        published_letters().annotate(document=SearchVector("text", config="english")).filter(document=query)
    )
    return queryset.filter(
        Q(pk__in=by_title.values("pk"))
        | Q(pk__in=by_recommendation.values("report_id"))
        | Q(
            pk__in=ResponseLetter.reports.through.objects.filter(
                responseletter_id__in=by_letter.values("pk")
            ).values("report_id")
        )
    )


# ------------------------------------------------------------------------------------------- PFD lists


class NonResponseFilter(django_filters.FilterSet):
    """The non-responses list (/pfd/non-responses/): addressees past their deadline with no response found."""

    department = DepartmentFilter(
        queryset=department_choices(),
        to_field_name="slug",
        method="filter_department",
        empty_label="Any government department",
        label="Government department (with its bodies)",
    )
    kind = django_filters.ChoiceFilter(
        choices=Department.Kind.choices,
        field_name="department__kind",
        empty_label="Any kind",
        label="Kind of organisation",
    )
    organisation = django_filters.CharFilter(
        method="filter_organisation", label="Organisation", help_text="Part of its name."
    )
    area = django_filters.ChoiceFilter(
        choices=coroner_areas, field_name="report__issuing_body", empty_label="Any area", label="Coroner area"
    )
    year = YearFilter(field_name="report__date_issued__year", label="Year of the report")
    uncertain = django_filters.ChoiceFilter(
        choices=YES,
        method="filter_uncertain",
        empty_label="No",
        label="Include possible responses",
        help_text="Addressees of reports with a published response whose sender is not identified.",
    )
    sort = django_filters.OrderingFilter(
        fields=[
            ("response_due", "due"),
            ("department__name", "organisation"),
            ("report__date_issued", "report"),
        ],
        field_labels={
            "response_due": "Deadline",
            "department__name": "Organisation",
            "report__date_issued": "Report date",
        },
        empty_label="Longest overdue first",
        label="Sort by",
    )

    class Meta:
        model = Addressee
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or london_today()
        super().__init__(*args, **kwargs)
        self.filters["year"].field.widget.attrs.update({"inputmode": "numeric"})

    @property
    def qs(self):
        queryset = super().qs
        if (getattr(self.form, "cleaned_data", None) or {}).get("uncertain") != "1":
            # Only the non-responses that are real: no published response that might be theirs.
            queryset = queryset.filter(unattributed_responses=0)
        return queryset

    def filter_department(self, queryset, name, value):
        return queryset.of_organisations(value)

    def filter_organisation(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(department__name__icontains=value) if value else queryset

    def filter_uncertain(self, queryset, name, value):
        return queryset  # applied in qs (the default leaves them out)


class PfdQueueFilter(django_filters.FilterSet):
    """A department's PFD queue (/departments/<slug>/pfd/): what was sent to it and its bodies."""

    clock = django_filters.ChoiceFilter(
        choices=[(k, v) for k, v in CLOCK_LABELS.items()],
        field_name="clock",
        empty_label="Any",
        label="State",
    )
    year = YearFilter(field_name="report__date_issued__year", label="Year of the report")
    sort = django_filters.OrderingFilter(
        fields=[("response_due", "due"), ("report__date_issued", "report")],
        field_labels={"response_due": "Deadline", "report__date_issued": "Report date"},
        empty_label="Deadline, latest first",
        label="Sort by",
    )

    class Meta:
        model = Addressee
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or london_today()
        super().__init__(*args, **kwargs)
        self.filters["year"].field.widget.attrs.update({"inputmode": "numeric"})
