"""What every API filter shares: no existence oracles, no BSN in an address.

- A filter on a related record (`?inburgeraar=<id>`, `?enrolment=<id>`) is a plain number
  compared inside the caller's scope: an id that exists elsewhere and an id that does not exist
  both answer 200 with an empty page (django-filter's default, a choice among all rows, answered
  400 for the one and 200 for the other). Only a value that is not an id at all is a 400.
- `?bsn=` is refused with 400 on every endpoint: a BSN never goes into an address (it would land
  in access logs); look a person up in the caseworker's screens, by the posted search.
"""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Query parameters that would put a BSN in the address.
REFUSED_PARAMETERS = ("bsn", "burgerservicenummer")


class IdFilter(django_filters.NumberFilter):
    """A related record's id, as a bounded integer (never a lookup among all rows)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """The base of every API filter set: foreign keys filter by id within the scope."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class ScopedFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend with our FilterSet as the base (also for `filterset_fields`), and a
    400 for a BSN in the address."""

    filterset_base = FilterSet

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
