# A team lead's Vandaag lists the open cases without a klantmanager of the led municipalities,
# oldest kennisgeving first, and counts them (cases.selectors.unassigned_cases and
# unassigned_total). At 100,210 cases both read all 30,030 cases of Hoorn from the municipality
# index and dropped 23,025 of them (a bitmap heap scan of 3,400 pages; the list then sorted the
# 7,005 left for its 10 rows): 36 and 14 ms. This partial index holds the unassigned open cases
# only, in the list's order: the list reads its page and stops, the count is an index-only scan.
# PostgreSQL only (like cases/0006): the collation `nl_names` is the ICU collation of 0003;
# SQLite (`make run`) sorts its small table as before.

from django.db import migrations

UNASSIGNED_INDEX = "inburgeraar_unassigned"


def create_unassigned_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The predicate is the selectors' own WHERE (caseworker IS NULL, status not closed), so the
    # planner proves that the index holds every row the queries ask for.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {UNASSIGNED_INDEX} ON cases_inburgeraar "
        '("municipality_id", "datum_kennisgeving", ("surname" COLLATE "nl_names"), "id") '
        "WHERE \"caseworker_id\" IS NULL AND NOT (\"status\" IN ('afgerond', 'beeindigd'))"
    )


def drop_unassigned_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {UNASSIGNED_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_municipality_pk_index"),
    ]

    operations = [
        migrations.RunPython(create_unassigned_index, drop_unassigned_index),
    ]
