from django.core.management.base import BaseCommand, CommandError

from demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Maakt demogebruikers en demo-inburgeraars aan (idempotent; weigert als DEBUG uit staat)."
    )

    def handle(self, *args, **options):
        try:
            result = seed_demo()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo klaar: {result['users']} gebruikers, {result['new_cases']} nieuwe inburgeraars."
        )
