# Issue 15 (national scale): the name search is `search_name LIKE '%term%'` (the folded name,
# cases/selectors.matching), which a btree cannot serve: at 42,000 cases a sequential scan of the
# whole table per search. On PostgreSQL a pg_trgm GIN index serves any infix LIKE of three letters
# or more. pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner creates it. SQLite
# (`make run`) has neither, and searches its small table as before.

from django.db import migrations, models
from django.db.models.functions import Upper

TRIGRAM_INDEX = "inburgeraar_search_name_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON cases_inburgeraar "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_minors_leerplicht"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="inburgeraar",
            index=models.Index(Upper("v_nummer"), name="inburgeraar_v_nummer_upper"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
