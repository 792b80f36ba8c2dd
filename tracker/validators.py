"""Django's side of tracker.web_addresses: a validator for model and form fields, and a form field.

Every field a person or an importer fills with a link (evidence, a published response, a report's page or
document) carries validate_web_address, so a `javascript:` or `data:` address is refused with a clear message
where it is typed, not only hidden where it is shown.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.deconstruct import deconstructible

from tracker.web_addresses import NOT_A_WEB_ADDRESS, WEB_SCHEMES, is_web_address

_well_formed = URLValidator(schemes=list(WEB_SCHEMES))


@deconstructible
class WebAddressValidator:
    message = NOT_A_WEB_ADDRESS
    code = "not_a_web_address"

    def __call__(self, value):
        if not value:
            return
        try:
            _well_formed(str(value))  # Django's check of the host name and the rest
        except ValidationError:
            raise ValidationError(self.message, code=self.code) from None
        if not is_web_address(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, WebAddressValidator)


validate_web_address = WebAddressValidator()


class WebAddressField(forms.URLField):
    """A link typed into a form: http(s) only. An address typed without its scheme is taken as https."""

    default_validators = [validate_web_address]
    default_error_messages = {"invalid": NOT_A_WEB_ADDRESS}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class WebAddressModelField(models.URLField):
    """A stored link: http(s) only (validated in every ModelForm, the admin's included); its form field is
    WebAddressField, with one clear message."""

    default_validators = [validate_web_address]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressField, **kwargs})
