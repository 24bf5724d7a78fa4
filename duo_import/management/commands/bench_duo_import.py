"""Time the DUO import of a generated file (default 10,000 rows): parse, preview page, commit.

Runs for a temporary klantmanager of Hoorn inside one transaction that is rolled back at the end,
so it leaves no data behind (no user, no batch, no cases, no audit entries).
"""

import random
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from time import perf_counter, process_time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from common.bsn import generate_bsn
from duo_import.services import commit_batch, parse_upload
from duo_import.views import preview
from municipalities.models import Organisation, Role
from municipalities.services import add_membership

HEADER = (
    "bsn;v_nummer;voornamen;tussenvoegsel;achternaam;geboortedatum;geslacht;nationaliteit;"
    "doelgroep;datum_kennisgeving;gemeentecode;datum_start_inburgeringsplicht;straat;huisnummer;"
    "postcode;woonplaats"
)
FIRST_NAMES = ["Ahmad", "Fatima", "Yonas", "Selam", "Ayşe", "Mehmet", "Zahra", "Olena", "Rahel"]
SURNAMES = ["Al-Hassan", "Tesfamariam", "Yılmaz", "Rahimi", "Kovalenko", "Haddad", "Öztürk"]
DOELGROEPEN = ["asielstatushouder", "gezinsmigrant", "overige_migrant"]


def build_csv(rng: random.Random, rows: int, gemeentecode: str = "GM0405") -> bytes:
    """A semicolon-separated UTF-8 file (with BOM, as Excel writes it) of `rows` valid rows."""
    bsns: set[str] = set()
    while len(bsns) < rows:
        bsns.add(generate_bsn(rng))
    today = date.today()
    lines = [HEADER]
    for bsn in sorted(bsns, key=lambda _bsn: rng.random()):
        birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 40))
        notified = today - timedelta(days=rng.randint(1, 700))
        lines.append(
            ";".join(
                [
                    bsn,
                    str(rng.randint(1_000_000_000, 9_999_999_999)),
                    rng.choice(FIRST_NAMES),
                    rng.choice(["", "", "el", "van"]),
                    rng.choice(SURNAMES),
                    birth.strftime("%d-%m-%Y"),
                    rng.choice("mvxo"),
                    "Syrisch",
                    rng.choice(DOELGROEPEN),
                    notified.strftime("%d-%m-%Y"),
                    gemeentecode,
                    notified.isoformat(),
                    "Grote Noord",
                    str(rng.randint(1, 200)),
                    "1621 AB",
                    "Hoorn",
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


@contextmanager
def count_queries():
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


class Command(BaseCommand):
    help = "Time parse + commit of a generated DUO file; everything is rolled back afterwards."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args, rows, seed, **options):
        content = build_csv(random.Random(seed), rows)
        with transaction.atomic():
            hoorn = Organisation.objects.get(slug="hoorn")
            user = User.objects.create_user(username=f"bench-duo-import-{uuid.uuid4().hex[:12]}")
            add_membership(actor=None, user=user, organisation=hoorn, role=Role.KLANTMANAGER)
            upload = SimpleUploadedFile("bench.csv", content, content_type="text/csv")

            start, start_cpu = perf_counter(), process_time()
            with count_queries() as parse_queries:
                batch = parse_upload(user, upload)
            parsed, parsed_cpu = perf_counter(), process_time()
            request = RequestFactory().get(reverse("duo_import:preview", args=[batch.pk]))
            request.user = user
            response = preview(request, pk=batch.pk)
            if response.status_code != 200:
                raise CommandError(f"Preview page answered {response.status_code}.")
            previewed, previewed_cpu = perf_counter(), process_time()
            with count_queries() as commit_queries:
                result = commit_batch(user, batch)
            committed, committed_cpu = perf_counter(), process_time()
            transaction.set_rollback(True)

        self.stdout.write(
            f"database: {connection.vendor}\n"
            f"rows: {batch.row_count}; created: {result['created']}, "
            f"already registered: {batch.existing_count}, errors: {batch.error_count}\n"
            f"parse s: {parsed - start:.2f} (cpu {parsed_cpu - start_cpu:.2f}; "
            f"{parse_queries['n']} queries)\n"
            f"preview page s: {previewed - parsed:.2f} (cpu {previewed_cpu - parsed_cpu:.2f})\n"
            f"commit s: {committed - previewed:.2f} (cpu {committed_cpu - previewed_cpu:.2f}; "
            f"{commit_queries['n']} queries)\n"
            f"total s: {committed - start:.2f} (cpu {committed_cpu - start_cpu:.2f})\n"
            "rolled back: no data left behind"
        )
