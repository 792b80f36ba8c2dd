"""The review page's forms, made from the reviewed-letter shape (responses.reviewed).

Every field of a shape dataclass that is shown (not metadata {"form": False}) becomes a form field of the same
name: the one declared below when the page needs a particular widget or choices, else one made from the
field's type. initial_of() fills a form from a shape item and item_from_form() reads the submitted form back
into one, carrying the fields the page does not show. So a field added to the shape needs nothing here.

The form classes are made when asked for (form_class), from the shape's classes as they are then.
"""

import datetime
import functools
import typing

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, ForeignKeyRawIdWidget
from django.db.models import Model, Q

from responses import reviewed as shape
from responses.models import Commitment, Position
from tracker.models import Addressee, Department, Recommendation, Report

# ------------------------------------------------------------------------------------- generic part


class IntListField(forms.CharField):
    """A list of whole numbers typed as "1, 2, 5" (for list[int] fields the page gives no choices for)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return [int(part) for part in text.replace(",", " ").split()]
        except ValueError as error:
            raise forms.ValidationError("Enter whole numbers separated by commas.") from error


def form_field_for(tp):
    """A form field for a shape field's type (every shape field is optional on the form: the shape's
    problems() and the forms' clean() say what a confirmed letter needs)."""
    inner, _ = shape.unwrap_optional(tp)
    if inner is str:
        return forms.CharField(required=False)
    if inner is bool:
        return forms.BooleanField(required=False)
    if inner is int:
        return forms.IntegerField(required=False)
    if inner is datetime.date:
        return forms.DateField(required=False, widget=AdminDateWidget)
    if typing.get_origin(inner) is list and typing.get_args(inner) == (int,):
        return IntListField(required=False)
    raise TypeError(f"No review form field for a shape field of type {tp!r}; declare one in review_forms.")


def shape_form(cls, base):
    """A form class with `base`'s declared fields plus one for every other shown field of `cls`."""
    attrs = {}
    for name, tp, f in shape.fields_of(cls):
        if not shape.shown(f) or shape.nested_class(tp) or name in base.base_fields:
            continue
        attrs[name] = form_field_for(tp)
    extra = list(attrs)  # the metaclass below takes the fields out of attrs
    form = type(f"{cls.__name__}Form", (base,), attrs)
    form.shape = cls
    form.extra_fields = extra  # shown by the template after the fields it places
    return form


def initial_of(item):
    """The form's initial data for a shape item."""
    return {name: getattr(item, name) for name, tp, f in shape.fields_of(type(item)) if shape.shown(f)}


def _plain(value):
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "model") and hasattr(value, "values_list"):  # a queryset
        return list(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def item_from_form(cls, cleaned_data, original=None, **given):
    """The shape item a valid form describes; fields the form does not have come from `original` (the item
    the form was filled from) or `given`, else their defaults."""
    values = {}
    for name, tp, _ in shape.fields_of(cls):
        if name in given:
            values[name] = given[name]
        elif name in cleaned_data:
            values[name] = shape.coerce(tp, _plain(cleaned_data[name]))
        elif original is not None:
            values[name] = getattr(original, name)
    return cls(**values)


# ------------------------------------------------------------------------------------ the page's fields

# The id of the page's one list of departments (a <datalist>) every commitment's owner box offers.
DEPARTMENT_LIST_ID = "review-departments"


def owner_choices(held_ids=()):
    """{pk: name} of the departments the review page offers as owners, in name order, in one query: the UK
    government's departments and bodies (a promise in a government response is a government body's), plus
    any the letter or its rows already hold, whatever their kind (the PFD import added ~450 trusts, care homes
    and companies; offering them all on every row made the page megabytes)."""
    offered = Department.objects.filter(Q(kind__in=Department.GOVERNMENT_KINDS) | Q(pk__in=list(held_ids)))
    return dict(offered.order_by("name").values_list("pk", "name"))


class DepartmentByName(forms.Field):
    """A department typed or picked by name from the page's one shared list (a <datalist>, rendered once),
    rather than a <select> of every department on every row; cleaned to its pk. `names` is {pk: name}, the
    same dict for every row."""

    widget = forms.TextInput

    def __init__(self, *, names=None, **kwargs):
        super().__init__(**kwargs)
        self.names = names or {}

    @functools.cached_property
    def _by_spelling(self):
        return {name.casefold(): pk for pk, name in self.names.items()}

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "list": DEPARTMENT_LIST_ID, "autocomplete": "off", "size": 40}

    def prepare_value(self, value):
        if isinstance(value, Model):
            value = value.pk
        if isinstance(value, int):
            return self.names.get(value, value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) or str(value).strip().isdigit():
            # A department's id, as a script or an older page posts it.
            spelling_pk = int(value) if int(value) in self.names else None
        else:
            spelling_pk = self._by_spelling.get(" ".join(str(value).split()).casefold())
        if spelling_pk is None:
            raise forms.ValidationError(
                "Choose the department from the list, by its full name (for example, Ministry of Justice).",
                code="invalid_choice",
            )
        return spelling_pk


class LetterFields(forms.Form):
    date = forms.DateField(
        widget=AdminDateWidget,
        label="Letter date",
        error_messages={"required": "The letter has no recognisable date; enter it by hand."},
    )
    department_ids = forms.ModelMultipleChoiceField(
        Department.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Responding departments",
        help_text="Ctrl- or Cmd-click to choose several (joint letters).",
        error_messages={"required": "Choose at least one responding department."},
    )
    addressee_name = forms.CharField(required=False, max_length=200, label="Addressed to")
    addressee_role = forms.CharField(required=False, max_length=300, label="Addressee's role")


class ReportFields(forms.Form):
    keep = forms.BooleanField(
        required=False, initial=False
    )  # the rows found are given keep=True; a blank row is not
    report_id = forms.ModelChoiceField(
        Report.objects.all(),
        required=False,
        label="Existing report",
        widget=ForeignKeyRawIdWidget(Addressee._meta.get_field("report").remote_field, admin.site),
        help_text="Link to this report; leave empty to create a new one from the fields below.",
    )
    kind = forms.ChoiceField(choices=Report.Kind.choices, initial=Report.Kind.OTHER)
    title = forms.CharField(required=False, max_length=500, widget=forms.TextInput(attrs={"size": 70}))
    deceased = forms.CharField(required=False, max_length=200)
    report_date = forms.DateField(required=False, widget=AdminDateWidget)
    author = forms.CharField(required=False, max_length=200)
    author_role = forms.CharField(required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and not cleaned.get("report_id") and not (cleaned.get("title") or "").strip():
            raise forms.ValidationError("Give the new report a title, or choose an existing report.")
        return cleaned


class RecommendationFields(forms.Form):
    keep = forms.BooleanField(
        required=False, initial=False
    )  # the rows found are given keep=True; a blank row is not
    report_index = forms.TypedChoiceField(coerce=int, label="Belongs to", choices=())
    recommendation_id = forms.ModelChoiceField(
        Recommendation.objects.all(),
        required=False,
        label="Existing recommendation",
        widget=ForeignKeyRawIdWidget(Position._meta.get_field("recommendation").remote_field, admin.site),
    )
    kind = forms.ChoiceField(choices=Recommendation.Kind.choices, initial=Recommendation.Kind.RECOMMENDATION)
    label = forms.CharField(required=False, max_length=30, label="Number")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))
    position = forms.ChoiceField(
        required=False,
        choices=[("", "No position stated here"), *Position.Stance.choices],
        label="Government's position",
    )
    response = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        label="The response's words on it",
    )

    def __init__(self, *args, report_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_index"].choices = report_choices
        # A fixed initial value, so an untouched blank form does not count as changed.
        self.fields["report_index"].initial = report_choices[0][0] if report_choices else None

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("keep")
            and not cleaned.get("recommendation_id")
            and not (cleaned.get("text") or "").strip()
        ):
            raise forms.ValidationError("Give the new recommendation its text, or choose an existing one.")
        return cleaned


class CommitmentFields(forms.Form):
    keep = forms.BooleanField(
        required=False, initial=False
    )  # the rows found are given keep=True; a blank row is not
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))
    department_id = DepartmentByName(required=False, label="Department")
    time_phrase = forms.CharField(required=False, max_length=300)
    due_earliest = forms.DateField(required=False, widget=AdminDateWidget)
    due_latest = forms.DateField(required=False, widget=AdminDateWidget)
    precision = forms.ChoiceField(choices=Commitment.Precision.choices, initial=Commitment.Precision.NONE)
    recommendation_indexes = forms.TypedMultipleChoiceField(
        coerce=int, required=False, choices=(), widget=forms.CheckboxSelectMultiple, label="Answers"
    )

    def __init__(self, *args, recommendation_choices=(), department_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation_indexes"].choices = recommendation_choices
        if department_names is not None:
            self.fields["department_id"].names = department_names

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("keep"):
            return cleaned
        if not (cleaned.get("text") or "").strip():
            self.add_error("text", "A kept commitment needs its text (untick 'keep' to drop it).")
        if not cleaned.get("department_id"):
            self.add_error("department_id", "Choose the department that owns this commitment.")
        earliest, latest = cleaned.get("due_earliest"), cleaned.get("due_latest")
        if earliest and latest and earliest > latest:
            self.add_error("due_earliest", "The earliest due date is after the latest.")
        if earliest and not latest:
            self.add_error("due_latest", "Give the latest due date too (the overdue check uses it).")
        return cleaned


@functools.cache
def _form_class(cls, base):
    return shape_form(cls, base)


def letter_form_class():
    return _form_class(shape.ReviewedLetter, LetterFields)


def report_formset_class():
    return forms.formset_factory(_form_class(shape.ReviewedReport, ReportFields), extra=1)


def recommendation_formset_class():
    return forms.formset_factory(_form_class(shape.ReviewedRecommendation, RecommendationFields), extra=1)


def commitment_formset_class():
    return forms.formset_factory(_form_class(shape.ReviewedCommitment, CommitmentFields), extra=1)
