"""Writes on API clients: creating one with its service account and a token shown once."""

import secrets

from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from audit import events as audit
from municipalities.models import Organisation, Role
from municipalities.services import add_membership

from .models import ApiClient, hash_token


def new_token() -> str:
    return "wfk_" + secrets.token_urlsafe(32)


@transaction.atomic
def create_api_client(
    actor, *, organisation, name: str, scopes: list[str]
) -> tuple[ApiClient, str]:
    """A machine client with its own service account in `organisation`. The token is returned
    once; only its hash is stored."""
    role = {
        Organisation.Kind.WERKSAAM: Role.WERKSAAM_MEDEWERKER,
        Organisation.Kind.AANBIEDER: Role.TAALSCHOOL,
    }.get(organisation.kind, Role.KLANTMANAGER)
    username = f"api.{organisation.slug}.{slugify(name)}"[:150]
    user = User.objects.create(username=username, first_name="API", last_name=name[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    add_membership(actor=actor, user=user, organisation=organisation, role=role)
    token = new_token()
    client = ApiClient.objects.create(
        name=name,
        organisation=organisation,
        user=user,
        scopes=sorted(set(scopes)),
        token_prefix=token[:12],
        token_hash=hash_token(token),
    )
    audit.created(actor, client, values={"scopes": client.scopes})
    return client, token
