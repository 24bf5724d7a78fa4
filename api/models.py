"""Machine clients of the API: bound to one organisation, with scopes, a hashed token."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipalities.models import Organisation


class ApiScope(models.TextChoices):
    READ = "read", _("Lezen")
    WERKSAAM_WRITE = "werksaam:write", _("WerkSaam: registraties vastleggen")
    TAALSCHOOL_WRITE = "taalschool:write", _("Taalschool: presentie en voortgang melden")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    """A machine client of the API, bound to one organisation, with scopes.

    It acts as its own service account (a user with a membership of the organisation), so every
    read still goes through the one door. The token is shown once and stored as a SHA-256 hash.
    """

    name = models.CharField(_("naam"), max_length=100)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_clients"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    scopes = models.JSONField(_("scopes"), default=list)
    token_prefix = models.CharField(max_length=12, db_index=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-client")
        verbose_name_plural = _("API-clients")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_api_client_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
