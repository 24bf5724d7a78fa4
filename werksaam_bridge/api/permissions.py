from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..services import is_werksaam_staff


class WerksaamWrites(BasePermission):
    """Only WerkSaam staff (or WerkSaam's clients) write WerkSaam's records."""

    message = "Alleen WerkSaam legt deze gegevens vast."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return is_werksaam_staff(request.user)
