from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiClient, ApiScope


def client_of(request):
    return request.auth if isinstance(request.auth, ApiClient) else None


class ApiClientScope(BasePermission):
    """A machine client needs the "read" scope to read and, to write, the view's `write_scope`
    ("werksaam:write" unless the view names another, such as "taalschool:write"). People
    (session) are governed by their roles, through the one door."""

    message = "Deze API-client heeft niet de benodigde scope."

    def has_permission(self, request, view):
        client = client_of(request)
        if client is None:
            return True
        if request.method in SAFE_METHODS:
            return client.has_scope(ApiScope.READ)
        return client.has_scope(getattr(view, "write_scope", ApiScope.WERKSAAM_WRITE))
