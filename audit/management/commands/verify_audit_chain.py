"""Recompute the audit trail's hash chain and report every entry that does not fit.

    python manage.py verify_audit_chain

Exit status 0 when the chain holds, 1 when it does not. Per entry it recomputes the SHA-256 of its
canonical content (the database function `audit_entry_digest`, the same one the insert trigger
uses) and checks that its `prev_hash` is the hash of the entry before it in the chain and that no
chain number is missing. A changed row shows as "inhoud gewijzigd"; a deleted row as a gap and a
broken link at the entry after it. The last line names the head of the chain (number and hash):
keep it somewhere else (a ticket, the log shipper) to detect that the newest entries were removed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

CHECK = """
SELECT id, chain_seq, prev_hash, hash, audit_entry_digest(a) AS recomputed,
       lag(chain_seq) OVER w AS before_seq, lag(hash) OVER w AS before_hash
FROM audit_auditentry a
WHERE chain_seq IS NOT NULL
WINDOW w AS (ORDER BY chain_seq)
ORDER BY chain_seq
"""


def chain_problems(using=connection):
    """[(entry id, chain number, problem)] and the head (number, hash) of the chain."""
    problems = []
    head = (0, "")
    with using.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditentry WHERE chain_seq IS NULL")
        unchained = cursor.fetchone()[0]
        if unchained:
            problems.append((None, None, f"{unchained} regels zonder plaats in de keten"))
        cursor.execute(CHECK)
        for entry_id, seq, prev_hash, stored, recomputed, before_seq, before_hash in cursor:
            expected_seq = (before_seq or 0) + 1
            if seq != expected_seq:
                problems.append(
                    (entry_id, seq, f"regels {expected_seq} t/m {seq - 1} ontbreken (verwijderd)")
                )
            if prev_hash != (before_hash or ""):
                problems.append((entry_id, seq, "schakel gebroken: vorige hash klopt niet"))
            if stored != recomputed:
                problems.append((entry_id, seq, "inhoud gewijzigd: hash klopt niet"))
            head = (seq, stored)
    return problems, head


class Command(BaseCommand):
    help = "Controleer de hashketen van de audittrail (PostgreSQL)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("De hashketen bestaat alleen op PostgreSQL.")
        problems, (seq, digest) = chain_problems()
        for entry_id, chain_seq, problem in problems:
            self.stdout.write(f"auditregel {entry_id} (keten {chain_seq}): {problem}")
        self.stdout.write(f"kop van de keten: {seq} {digest}")
        if problems:
            raise CommandError(f"De audittrail is aangetast: {len(problems)} bevinding(en).")
        self.stdout.write(self.style.SUCCESS(f"De keten klopt: {seq} regels."))
