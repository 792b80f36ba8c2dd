"""GOV.UK Design System components in Django templates, with the official markup.

The markup comes from govuk-frontend-jinja, the maintained port of GOV.UK Frontend's Nunjucks macros (the
version govuk-frontend-django pins; package.json pins the matching govuk-frontend). govuk-frontend-django's
own tags build a new Jinja environment and recompile the macro on every call (about 40 ms a component),
which a list page with a status tag per row cannot afford, so the macros are rendered here through one
cached environment. Usage:

    {% load govuk %}
    {% govuk "govukTag" text="Overdue" classes="govuk-tag--red" %}
    {% govuk "govukTable" params=table %}      (params built in Python for nested components)
    {% govuk_field form.status %}               (a bound Django form field as the matching component)
    {% govuk_error_summary form %}
"""

import functools
import json
import re

from django import forms, template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from jinja2 import Environment, PackageLoader, PrefixLoader, select_autoescape

from responses.models import Commitment
from tracker.web_addresses import is_web_address

register = template.Library()


@functools.cache
def _environment():
    return Environment(
        loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        # The macros only change when the package is upgraded: no per-render stat() of every template.
        auto_reload=False,
        cache_size=-1,
    )


@functools.cache
def _macro_template(macro_name):
    folder = re.sub(r"(?<!^)(?=[A-Z])", "-", macro_name.removeprefix("govuk")).lower()
    return _environment().from_string(
        f"{{% from 'govuk_frontend_jinja/components/{folder}/macro.html' import {macro_name} %}}"
        f"{{{{ {macro_name}(params) }}}}"
    )


def _drop_none(value):
    """The macros test for keys ('x' in params), so absent values must be absent, not None."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value


def render_component(macro_name, params=None):
    """Render one GOV.UK Frontend macro (e.g. 'govukTag') with a params dict; returns safe HTML.

    The output depends only on the params, and most pages render the same filters, navigation and buttons
    again and again, so renders are memoised on the params' JSON (bounded; values that are not plain JSON,
    such as safe strings marked by Django, are rendered without the cache).
    """
    params = _drop_none(params or {})
    if _holds_safe_string(params):
        return _render(macro_name, params)  # JSON would lose the "already safe" mark
    try:
        key = json.dumps(params, sort_keys=True)
    except TypeError:
        return _render(macro_name, params)
    return _render_cached(macro_name, key)


def _holds_safe_string(value):
    if isinstance(value, dict):
        return any(_holds_safe_string(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_safe_string(v) for v in value)
    return isinstance(value, SafeData)


def _render(macro_name, params):
    return mark_safe(_macro_template(macro_name).render(params=params).strip())


@functools.lru_cache(maxsize=2048)
def _render_cached(macro_name, params_json):
    return _render(macro_name, json.loads(params_json))


@register.simple_tag
def govuk(macro_name, params=None, **kwargs):
    merged = dict(params or {})
    merged.update(kwargs)
    return render_component(macro_name, merged)


# Status tags: the words always carry the meaning; the colour only repeats it.

STATUS_TAG_CLASSES = {
    Commitment.Status.NOT_YET_ASSESSED: "govuk-tag--grey",
    Commitment.Status.IN_PROGRESS: "govuk-tag--blue",
    Commitment.Status.DELAYED: "govuk-tag--orange",
    Commitment.Status.DELIVERED: "govuk-tag--green",
    Commitment.Status.DELIVERED_LATE: "govuk-tag--teal",
    Commitment.Status.PARTLY_DELIVERED: "govuk-tag--yellow",
    Commitment.Status.NOT_DELIVERED: "govuk-tag--red",
    Commitment.Status.SUPERSEDED: "govuk-tag--purple",
    Commitment.Status.NO_LONGER_APPLICABLE: "govuk-tag--grey",
}
EVIDENCE_TAG_CLASSES = {
    Commitment.EvidenceState.NO_CLAIM: "govuk-tag--grey",
    Commitment.EvidenceState.SELF_REPORTED: "govuk-tag--yellow",
    Commitment.EvidenceState.EVIDENCE_LINKED: "govuk-tag--blue",
    Commitment.EvidenceState.VERIFIED: "govuk-tag--green",
    Commitment.EvidenceState.DISPUTED: "govuk-tag--red",
}


def _tag_html(text, classes):
    # A plain template, not the macro: it is rendered once per table row and the macro output is this markup.
    return format_html('<strong class="govuk-tag {}">{}</strong>', classes, text)


@register.simple_tag
def status_tag(status):
    status = Commitment.Status(status)
    return _tag_html(status.label, STATUS_TAG_CLASSES.get(status, "govuk-tag--grey"))


@register.simple_tag
def evidence_tag(state):
    state = Commitment.EvidenceState(state)
    return _tag_html(state.label, EVIDENCE_TAG_CLASSES.get(state, "govuk-tag--grey"))


@register.simple_tag
def overdue_tag(days):
    if not days:
        return ""
    return _tag_html(f"Overdue by {days} day{'s' if days != 1 else ''}", "govuk-tag--red")


# Forms


def _error_text(field):
    return " ".join(str(e) for e in field.errors) or None


def _hint(field):
    return {"text": str(field.help_text)} if field.help_text else None


def _choices(field, checked):
    items = []
    for value, label in field.field.choices:
        if value in ("", None) and not isinstance(field.field.widget, forms.Select):
            continue
        value = str(getattr(value, "value", value))
        items.append(
            {"value": value, "text": str(label), "checked": value in checked, "selected": value in checked}
        )
    return items


def field_params(field, **overrides):
    """The params of the GOV.UK component matching a bound field's widget."""
    widget = field.field.widget
    error = _error_text(field)
    common = {
        "id": field.auto_id,
        "name": field.html_name,
        "hint": _hint(field),
        "errorMessage": {"text": error} if error else None,
    }
    label_text = str(field.label)
    if isinstance(widget, forms.MultiWidget):  # GOV.UK date input: day, month, year
        values = (
            field.value() if isinstance(field.value(), list | tuple) else widget.decompress(field.value())
        )
        parts = [("day", "Day", "govuk-input--width-2"), ("month", "Month", "govuk-input--width-2")]
        parts.append(("year", "Year", "govuk-input--width-4"))
        items = []
        for (suffix, label, width), value in zip(parts, values or [None, None, None], strict=False):
            classes = f"{width} govuk-input--error" if error else width
            items.append(
                {
                    "name": suffix,
                    "label": label,
                    "value": value or "",
                    "classes": classes,
                    "id": f"{field.auto_id}-{suffix}",
                }
            )
        params = {
            "id": field.auto_id,
            "namePrefix": field.html_name,
            "items": items,
            "hint": _hint(field),
            "errorMessage": common["errorMessage"],
            "fieldset": {"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}},
        }
        return "govukDateInput", {**params, **overrides}
    if isinstance(widget, forms.RadioSelect):
        # CheckboxSelectMultiple is a subclass of RadioSelect: tell them apart by the multiple choice.
        if isinstance(widget, forms.CheckboxSelectMultiple):
            macro, checked = "govukCheckboxes", {str(v) for v in (field.value() or [])}
        else:
            value = field.value()
            macro, checked = "govukRadios", ({str(value)} if value not in (None, "") else set())
        params = {
            "idPrefix": field.auto_id,
            "name": field.html_name,
            "items": _choices(field, checked),
            "hint": common["hint"],
            "errorMessage": common["errorMessage"],
            "fieldset": {"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}},
        }
        return macro, {**params, **overrides}
    if isinstance(widget, forms.CheckboxInput):
        params = {
            "idPrefix": field.auto_id,
            "name": field.html_name,
            "items": [
                {"value": "on", "text": label_text, "checked": bool(field.value()), "hint": common["hint"]}
            ],
            "errorMessage": common["errorMessage"],
        }
        return "govukCheckboxes", {**params, **overrides}
    if isinstance(widget, forms.Select):
        checked = {str(field.value())} if field.value() not in (None, "") else {""}
        params = {**common, "label": {"text": label_text}, "items": _choices(field, checked)}
        return "govukSelect", {**params, **overrides}
    if isinstance(widget, forms.Textarea):
        params = {**common, "label": {"text": label_text}, "value": field.value() or "", "rows": 4}
        return "govukTextarea", {**params, **overrides}
    input_type = getattr(widget, "input_type", "text")
    value = field.value() if input_type != "password" else ""
    params = {
        **common,
        "label": {"text": label_text},
        "type": input_type,
        "value": "" if value is None else str(value),
        "autocomplete": widget.attrs.get("autocomplete"),
        "spellcheck": False if input_type in ("url", "email", "password") else None,
    }
    return "govukInput", {**params, **overrides}


@register.simple_tag
def govuk_field(field, **overrides):
    if field.is_hidden:
        return field.as_widget()
    label_classes = overrides.pop("label_classes", None)
    macro_name, params = field_params(field, **overrides)
    if label_classes and "label" in params:
        params["label"]["classes"] = label_classes
    return render_component(macro_name, params)


def error_list(form):
    """Error summary rows linking to each field in error (the date input's first box, the first radio)."""
    rows = [{"text": str(error)} for error in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        if field.is_hidden:  # nothing to move the focus to
            rows.extend({"text": str(error)} for error in field.errors)
            continue
        anchor = field.auto_id
        if isinstance(field.field.widget, forms.MultiWidget):
            anchor = f"{field.auto_id}-day"
        rows.extend({"text": str(error), "href": f"#{anchor}"} for error in field.errors)
    return rows


@register.simple_tag
def govuk_error_summary(*forms_with_errors, extra=None):
    rows = list(extra or [])
    for form in forms_with_errors:
        if form is not None and form.errors:
            rows.extend(error_list(form))
    if not rows:
        return ""
    return render_component("govukErrorSummary", {"titleText": "There is a problem", "errorList": rows})


# Small filters


@register.filter
def pluralise(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None removes one); page resets unless given."""
    query = context["request"].GET.copy()
    if "page" not in changes:
        query.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def days_overdue_on(commitment, today):
    return commitment.days_overdue(today)  # tracker.rules.days_overdue


# Per-row helpers for long lists: Django's truncatechars and reverse() cost ~0.3 ms and ~0.1 ms a call, which
# adds up at 50 rows with several links each.


@register.filter
def web_link(url):
    """The address if it is a web address (http or https), else "": a stored link is shown as a link only then,
    so a `javascript:` or `data:` address typed or imported anywhere never becomes something to click."""
    url = (url or "").strip()
    return url if is_web_address(url) else ""


@register.filter
def shorten(text, limit):
    """Cut to `limit` characters at a word boundary, with an ellipsis."""
    text = text or ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.") + "…"


@functools.cache
def _prefix(name):
    return reverse(name, args=["0"]).removesuffix("0/")


@register.filter
def commitment_href(commitment):
    return f"{_prefix('commitment_detail')}{commitment.pk}/"


@register.filter
def department_href(department):
    return f"{_prefix('department_detail')}{department.slug}/"


@register.filter
def report_href(report):
    return f"{_prefix('report_detail')}{report.slug}/"
