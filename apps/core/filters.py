"""Filter pieces shared by every face's list endpoints."""

import django_filters
from django import forms

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}


class FlagField(forms.Field):
    """A yes/no query value as the specs write it: 1/0 (true/false and yes/no also work)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Use 1 or 0.")


class FlagFilter(django_filters.BooleanFilter):
    """BooleanFilter that reads ``?active=1`` / ``?active=0``."""

    field_class = FlagField
