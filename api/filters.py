"""Query filters that say in the schema what they take, and refuse everything else (issue 16).

django-filter's defaults let bad input through or trip over it: a foreign key filter refuses
`inburgeraar=0` (a valid integer per the schema) with 400 and overflows the database on a number
past a bigint; a boolean filter reads `active=-1` as "no filter". Here an id is any integer in
the bigint range (0 simply finds nothing) and a boolean is `true` or `false`, nothing else.
"""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


@extend_schema_field(
    {"type": "integer", "format": "int64", "minimum": BIGINT_MIN, "maximum": BIGINT_MAX}
)
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", BIGINT_MIN)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    default_error_messages = {"invalid": _("Gebruik true of false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class ApiFilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
        models.AutoField: {"filter_class": IdFilter},
        models.BigAutoField: {"filter_class": IdFilter},
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


class ApiFilterBackend(DjangoFilterBackend):
    """The filter backend of the API: views with only `filterset_fields` get ApiFilterSet too."""

    filterset_base = ApiFilterSet
