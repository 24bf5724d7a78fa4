from functools import cached_property, partial

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from common.parsing import parse_int


class IdCursorPagination(CursorPagination):
    """Stable pages without COUNT(*): a cursor over the primary key."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """`page_size` from 1 to max_page_size; anything else (empty, "null", 0, 201) is a 400,
        not silently the default."""
        if self.page_size_query_param not in request.query_params:
            return self.page_size
        raw = request.query_params[self.page_size_query_param]
        size = parse_int(raw, minimum=1, maximum=self.max_page_size)
        if size is None:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Een geheel getal van 1 tot en met %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


class CountedPaginator(Paginator):
    """Django's paginator with the COUNT given: `count_with(object_list)`."""

    def __init__(self, object_list, per_page, *args, count_with, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_with = count_with

    @cached_property
    def count(self):
        return self.count_with(self.object_list)


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, but `?page=` given empty is a 400 (the schema's `page` is an integer),
    not silently the first page. A number past the last page stays DRF's 404.

    A view with a `count_of(queryset)` method counts its list that way (the same number, from an
    index: the cases' viewset, see cases.access.count_visible) instead of `queryset.count()`."""

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param, None) == "":
            raise ValidationError({self.page_query_param: [_("Geef een paginanummer.")]})
        count_of = getattr(view, "count_of", None)
        if count_of is not None:
            self.django_paginator_class = partial(CountedPaginator, count_with=count_of)
        return super().paginate_queryset(queryset, request, view)
