from django.core.management.base import BaseCommand, CommandError

from api.models import ApiScope
from api.services import create_api_client
from municipalities.models import Organisation


class Command(BaseCommand):
    help = "Maak een API-client voor een organisatie; het token wordt één keer getoond."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="slug, bijvoorbeeld werksaam of hoorn")
        parser.add_argument("name")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiScope.values,
            default=None,
            help="herhaalbaar; standaard alleen read",
        )

    def handle(self, *args, organisation, name, scope, **options):
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"Onbekende organisatie: {organisation}") from None
        client, token = create_api_client(
            None, organisation=org, name=name, scopes=scope or [ApiScope.READ]
        )
        self.stdout.write(f"API-client {client} met scopes {', '.join(client.scopes)}")
        self.stdout.write(f"Token (wordt niet opnieuw getoond): {token}")
