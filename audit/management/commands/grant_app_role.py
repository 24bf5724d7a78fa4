"""Create (or update) the database role the web, worker and beat processes connect as, and give it
normal rights on every table except the audit trail, where it may only INSERT and SELECT.

    MIGRATE_DATABASE_URL=postgres://owner:…@db/inburgering \\
    DATABASE_URL=postgres://inburgering_app:…@db/inburgering \\
    DJANGO_DATABASE_ROLE=owner python manage.py grant_app_role

Run it as the owner role (the one that runs `migrate`), after every `migrate`: the web container's
entrypoint does both. The role's name and password come from DATABASE_URL (the app's own
connection), or from --role and --password. The app role owns nothing, so it cannot TRUNCATE,
ALTER (disable a trigger) or DROP anything; on the audit table it gets no UPDATE or DELETE either.
Idempotent: running it again changes nothing but the password. PostgreSQL only.
"""

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

AUDIT_TABLE = "audit_auditentry"


class Command(BaseCommand):
    help = "Maak de databaserol van de applicatie aan en geef haar alleen INSERT en SELECT op de audittrail."

    def add_arguments(self, parser):
        parser.add_argument(
            "--role", help="Naam van de rol (standaard: de gebruiker in DATABASE_URL)."
        )
        parser.add_argument("--password", help="Wachtwoord (standaard: dat in DATABASE_URL).")

    def handle(self, *args, role=None, password=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Gescheiden databaserollen bestaan alleen op PostgreSQL.")
        if not role:
            app_db = environ.Env.db_url_config(settings.APP_DATABASE_URL)
            role, password = app_db.get("USER"), password or app_db.get("PASSWORD")
        if not role:
            raise CommandError("Geen rol: geef --role of een gebruiker in DATABASE_URL.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            owner, database, schema = cursor.fetchone()
            if role == owner:
                raise CommandError(
                    f"De applicatie verbindt als de eigenaar ({owner}): geef haar een eigen rol "
                    "in DATABASE_URL en gebruik MIGRATE_DATABASE_URL voor de eigenaar."
                )
            for statement in grants(role, password, owner, database, schema):
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rol {role}: lezen en schrijven in {schema}, alleen INSERT en SELECT op {AUDIT_TABLE}."
            )
        )


def grants(role, password, owner, database, schema):
    r, s, o = sql.Identifier(role), sql.Identifier(schema), sql.Identifier(owner)
    audit = sql.Identifier(schema, AUDIT_TABLE)
    login = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
    yield sql.SQL(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN "
        "CREATE ROLE {role} {login}; END IF; END $$"
    ).format(name=sql.Literal(role), role=r, login=login)
    yield sql.SQL("ALTER ROLE {role} {login}").format(role=r, login=login)
    if password:
        yield sql.SQL("ALTER ROLE {role} PASSWORD {pw}").format(role=r, pw=sql.Literal(password))
    yield sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {role}").format(
        db=sql.Identifier(database), role=r
    )
    # Nobody but the owner creates objects in the schema (PostgreSQL < 15 lets PUBLIC).
    yield sql.SQL("REVOKE CREATE ON SCHEMA {s} FROM PUBLIC").format(s=s)
    yield sql.SQL("GRANT USAGE ON SCHEMA {s} TO {role}").format(s=s, role=r)
    yield sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {role}").format(s=s, role=r)
    yield sql.SQL(
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {role}"
    ).format(s=s, role=r)
    yield sql.SQL("REVOKE ALL ON {audit} FROM {role}").format(audit=audit, role=r)
    yield sql.SQL("GRANT SELECT, INSERT ON {audit} TO {role}").format(audit=audit, role=r)
    yield sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {role}").format(
        s=s, role=r
    )
    # Tables a later migration creates get the normal rights until this command runs again.
    yield sql.SQL(
        "ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} "
        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
    ).format(o=o, s=s, role=r)
    yield sql.SQL(
        "ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {role}"
    ).format(o=o, s=s, role=r)
