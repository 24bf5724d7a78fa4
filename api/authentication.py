"""Token authentication for machine clients (`Authorization: Bearer wfk_...`).

The token is looked up by its SHA-256 hash; the request runs as the client's service account, so
the one door (`visible_to`) scopes it to its organisation, and `request.auth` is the ApiClient,
whose scopes `permissions.ApiClientScope` checks.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiClient, hash_token

KEYWORD = b"bearer"


class ApiClientAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Ongeldige Authorization-header."))
        try:
            token = parts[1].decode()
        except UnicodeError:
            raise AuthenticationFailed(_("Ongeldige token.")) from None
        client = (
            ApiClient.objects.select_related("user", "organisation")
            .filter(token_hash=hash_token(token), is_active=True)
            .first()
        )
        if client is None or not client.user.is_active:
            raise AuthenticationFailed(_("Ongeldige of ingetrokken token."))
        now = timezone.now()
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 300:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return (client.user, client)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiClientAuthentication"
    name = "apiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token van een API-client (wfk_...), gebonden aan een organisatie en scopes.",
        }
