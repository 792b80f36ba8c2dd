"""The filters applied to a list page, shown above it as tags, each a link to the same list without it."""

import datetime

from django import forms

from responses.models import ResponseLetter
from tracker.models import Report

NOT_FILTERS = ("sort", "page")


def _without(query, *names):
    """The query string without the given parameters (and a GOV.UK date input's parts: name-day ...)."""
    query = query.copy()
    for key in list(query):
        if key in NOT_FILTERS[1:] or key in names or key.rsplit("-", 1)[0] in names:
            query.pop(key)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _describe(name, field, value):
    if name == "report":
        title = Report.objects.filter(slug=value).values_list("title", flat=True).first()
        return title or value
    if name == "letter":
        letter = ResponseLetter.objects.filter(pk=value).prefetch_related("departments").first()
        return str(letter) if letter else str(value)
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def active_filters(request, filterset):
    """{"tags": [{"text": "Department: Home Office", "href": "?overdue=1"}, ...], "clear": "?sort=due"}.

    Only filters whose value was accepted are shown (an invalid one is in the error summary instead). A yes/no
    filter shows its label alone ("Overdue only"); the others "label: value".
    """
    data = getattr(filterset.form, "cleaned_data", None) or {}
    tags = []
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if name in NOT_FILTERS or value in (None, "", [], ()):
            continue
        label = str(field.label or name.replace("_", " ").capitalize())
        plain_choices = isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField)
        if plain_choices and list(field.choices)[1:] == [("1", "Yes")]:
            text = label
        else:
            text = f"{label}: {_describe(name, field, value)}"
        tags.append({"text": text, "href": _without(request.GET, name)})
    filter_names = [name for name in filterset.form.fields if name not in NOT_FILTERS]
    return {"tags": tags, "clear": _without(request.GET, *filter_names)}
