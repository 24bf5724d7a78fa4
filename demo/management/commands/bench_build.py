"""Build a national-size bench database on PostgreSQL (issue 15): `BENCH_CASES` cases (default
100,000), skipped when the database already holds a complete build of that size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_national manage.py bench_build

It refuses SQLite and a database with cases that is not a bench database (see demo/bench.py).
"""

import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo import bench


class Command(BaseCommand):
    help = "Bouw een benchmarkdatabase van landelijke omvang (PostgreSQL; BENCH_CASES, standaard 100000)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", type=int, default=int(os.environ.get("BENCH_CASES", 100_000))
        )
        parser.add_argument("--audit-per-case", type=int, default=bench.AUDIT_PER_CASE)

    def handle(self, *args, cases, audit_per_case, **options):
        try:
            bench.check_database()
        except bench.NotABenchDatabase as error:
            raise CommandError(str(error)) from error
        found = bench.marker()
        if found and found["cases"] != cases:
            raise CommandError(
                f"Deze benchmarkdatabase is gebouwd voor {found['cases']:,} dossiers, niet "
                f"{cases:,}: kies een andere database (of verwijder deze)."
            )
        # Always migrate: a reused database gets the indexes of newer migrations too.
        call_command("migrate", interactive=False, verbosity=0)
        if bench.is_built(cases):
            self.stdout.write(
                f"bench_build: de database heeft al {cases:,} benchmarkdossiers; overgeslagen."
            )
            return
        started = time.perf_counter()
        try:
            bench.build(cases, log=self.stdout.write, audit_per_case=audit_per_case)
        except bench.NotABenchDatabase as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"bench_build: {cases:,} dossiers gebouwd in {time.perf_counter() - started:.0f} s"
        )
