from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Stable pages without COUNT(*): a cursor over the primary key."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
