"""The retention dry run for the privacy officer, and (with --apply) the sweep itself.

python manage.py retention_report            # what would go, per case; changes nothing
python manage.py retention_report --json     # the same, machine-readable
python manage.py retention_report --apply    # anonymise the due cases (what beat does daily)
"""

import json
from datetime import date

from django.core.management.base import BaseCommand

from privacy import retention


class Command(BaseCommand):
    help = "Bewaartermijnen: welke dossiers geanonimiseerd worden (proefdraai), of --apply."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Anonimiseer de dossiers echt.")
        parser.add_argument("--json", action="store_true", help="Rapport als JSON.")
        parser.add_argument("--today", type=date.fromisoformat, help="Peildatum (JJJJ-MM-DD).")

    def handle(self, *args, apply=False, json=False, today=None, **options):
        rows = retention.report(today)
        if json:
            self.stdout.write(_dumps(rows))
        else:
            for row in rows:
                status = (
                    f"legal hold: {row['legal_hold']}"
                    if row["legal_hold"]
                    else "wordt geanonimiseerd"
                )
                self.stdout.write(
                    f"inburgeraar {row['inburgeraar']} ({row['gemeente']}), bewaren t/m "
                    f"{row['bewaren_tot_en_met']}: {status} {row['wordt_verwijderd'] or ''}".rstrip()
                )
            due = sum(1 for row in rows if not row["legal_hold"])
            self.stdout.write(
                f"{due} dossier(s) te anonimiseren, {len(rows) - due} met legal hold."
            )
        if apply:
            done = retention.sweep(today)
            self.stdout.write(self.style.SUCCESS(f"{done} dossier(s) geanonimiseerd."))


def _dumps(rows):
    return json.dumps(rows, ensure_ascii=False, indent=2)
