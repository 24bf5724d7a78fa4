"""What every API filter shares (issues 11 and 16): no existence oracles, no BSN in an address,
and filters that say in the schema what they take and refuse everything else.

- A filter on a related record (`?inburgeraar=<id>`, `?enrolment=<id>`) is a plain number
  compared inside the caller's scope: an id that exists elsewhere and an id that does not exist
  both answer 200 with an empty page (django-filter's default, a choice among all rows, answered
  400 for the one and 200 for the other). Any integer in the bigint range is valid (0 simply
  finds nothing); only a value that is not such an integer is a 400.
- A boolean is `true` or `false` (django-filter read `active=-1` as "no filter").
- `?bsn=` is refused with 400 on every endpoint: a BSN never goes into an address (it would land
  in access logs); look a person up in the caseworker's screens, by the posted search.
"""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1

# Query parameters that would put a BSN in the address.
REFUSED_PARAMETERS = ("bsn", "burgerservicenummer")


@extend_schema_field(
    {"type": "integer", "format": "int64", "minimum": BIGINT_MIN, "maximum": BIGINT_MAX}
)
class IdFilter(django_filters.Filter):
    """A related record's id, as a bounded integer (never a lookup among all rows)."""

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
    """The base of every API filter set: foreign keys filter by id within the scope."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
        models.AutoField: {"filter_class": IdFilter},
        models.BigAutoField: {"filter_class": IdFilter},
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }

    def is_valid(self):
        """A parameter given empty (`?due_before=`, `?active=`) is not a value of a date, a
        number, a boolean or a choice: 400, as the schema says (django-filter ignored it).
        Only a free-text filter takes the empty string."""
        valid = super().is_valid()
        getlist = getattr(self.data, "getlist", lambda name: [self.data.get(name)])
        for name, filter_ in self.filters.items():
            if issubclass(filter_.field_class, forms.CharField) or name not in self.data:
                continue
            if any(value in ("", None) for value in getlist(name)):
                self.form.add_error(name, _("Geef een waarde, of laat de parameter weg."))
        return valid and not self.form.errors


class ApiFilterBackend(DjangoFilterBackend):
    """The filter backend of the API: views with only `filterset_fields` get ApiFilterSet too,
    and a BSN in the address is a 400."""

    filterset_base = ApiFilterSet

    def filter_queryset(self, request, queryset, view):
        refused = [name for name in REFUSED_PARAMETERS if name in request.query_params]
        if refused:
            raise ValidationError(
                {
                    name: [
                        _(
                            "Zoeken op BSN kan niet via het adres (dat komt in logbestanden). "
                            "Zoek in het dossierscherm."
                        )
                    ]
                    for name in refused
                }
            )
        return super().filter_queryset(request, queryset, view)
