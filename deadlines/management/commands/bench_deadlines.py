"""Benchmark the sweep: 1,000,000 deadlines of which 1% are due, on PostgreSQL.

Creates the rows with one INSERT ... SELECT generate_series, runs the sweep (recording reminders,
queueing no email), runs it again (a duplicated beat: nothing new), prints the timings and removes
everything it made. Target: the sweep under 30 seconds.
"""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from deadlines import services
from deadlines.models import Deadline, Kind, Reminder
from municipalities.models import Organisation

PREFIX = "bench-"


class Command(BaseCommand):
    help = "Sweep 1,000,000 deadlines of which 1% are due, and print the time (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000)
        parser.add_argument("--due-percent", type=float, default=1.0)
        parser.add_argument("--keep", action="store_true", help="Leave the rows for inspection.")

    def handle(self, *args, rows, due_percent, keep, **options):
        if connection.vendor != "postgresql" and rows > 50_000:
            raise CommandError(
                "Dit benchmark is bedoeld voor PostgreSQL (DATABASE_URL); gebruik --rows voor "
                "een kleine proef op SQLite."
            )
        municipalities = list(
            Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE).values_list(
                "pk", flat=True
            )
        )
        if not municipalities:
            raise CommandError("Geen gemeenten gevonden: draai eerst `manage.py migrate`.")
        today = timezone.localdate()
        every = max(1, round(100 / due_percent))
        cbs_before = set(Deadline.objects.filter(kind=Kind.CBS_REPORT).values_list("pk", flat=True))
        self._cleanup()
        try:
            started = time.perf_counter()
            self._create(rows, every, municipalities, today)
            created = time.perf_counter() - started
            due = Deadline.objects.filter(
                key__startswith=PREFIX, next_reminder_on__lte=today
            ).count()
            self.stdout.write(
                f"{rows:,} termijnen aangemaakt in {created:.1f} s, waarvan {due:,} vandaag aan de beurt"
            )

            started = time.perf_counter()
            result = services.sweep(today=today, send=False)
            swept = time.perf_counter() - started
            self.stdout.write(
                f"sweep: {result['deadlines']:,} termijnen verwerkt, "
                f"{result['reminders']:,} herinneringen vastgelegd in {swept:.2f} s"
            )

            started = time.perf_counter()
            again = services.sweep(today=today, send=False)
            second = time.perf_counter() - started
            recorded = Reminder.objects.filter(deadline__key__startswith=PREFIX).count()
            self.stdout.write(
                f"tweede sweep (dubbele beat): {again['deadlines']:,} termijnen in {second:.2f} s; "
                f"herinneringen in totaal: {recorded:,}"
            )
            verdict = "binnen" if swept < 30 else "BOVEN"
            self.stdout.write(f"RESULTAAT: sweep {swept:.2f} s ({verdict} de norm van 30 s)")
        finally:
            if not keep:
                self._cleanup()
                Deadline.objects.filter(kind=Kind.CBS_REPORT).exclude(pk__in=cbs_before).delete()

    def _create(self, rows, every, municipalities, today):
        kinds = [Kind.PIP_DUE, Kind.COURSE_START, Kind.PROGRESS_REVIEW, Kind.TERMIJN_END]
        if connection.vendor == "postgresql":
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    """
                    INSERT INTO deadlines_deadline
                        (inburgeraar_id, municipality_id, kind, key, due_date, state, done_on,
                         next_reminder_on, created_at, updated_at)
                    SELECT NULL,
                           (%(municipalities)s::bigint[])[1 + g %% %(m)s],
                           (%(kinds)s::text[])[1 + g %% 4],
                           %(prefix)s || g,
                           CASE WHEN g %% %(every)s = 0 THEN %(today)s::date - (g / %(every)s) %% 6
                                ELSE %(today)s::date + 30 + g %% 700 END,
                           'open',
                           NULL,
                           CASE WHEN g %% %(every)s = 0 THEN %(today)s::date - (g / %(every)s) %% 6 - 14
                                ELSE %(today)s::date + 16 + g %% 700 END,
                           now(), now()
                    FROM generate_series(1, %(rows)s) AS g
                    """,
                    {
                        "municipalities": municipalities,
                        "m": len(municipalities),
                        "kinds": [str(kind) for kind in kinds],
                        "prefix": PREFIX,
                        "every": every,
                        "today": today,
                        "rows": rows,
                    },
                )
                cursor.execute("ANALYZE deadlines_deadline")
            return
        batch = []
        for g in range(1, rows + 1):
            due_now = g % every == 0
            due = (
                today - timedelta(days=(g // every) % 6)
                if due_now
                else today + timedelta(days=30 + g % 700)
            )
            batch.append(
                Deadline(
                    municipality_id=municipalities[g % len(municipalities)],
                    kind=kinds[g % 4],
                    key=f"{PREFIX}{g}",
                    due_date=due,
                    next_reminder_on=due - timedelta(days=14),
                )
            )
            if len(batch) == 10_000:
                Deadline.objects.bulk_create(batch)
                batch = []
        Deadline.objects.bulk_create(batch)

    def _cleanup(self):
        with transaction.atomic():
            Reminder.objects.filter(deadline__key__startswith=PREFIX).delete()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM deadlines_deadline WHERE key LIKE %s", [PREFIX + "%"]
                    )
            else:
                Deadline.objects.filter(key__startswith=PREFIX)._raw_delete(connection.alias)
