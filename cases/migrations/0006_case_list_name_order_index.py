# Issue 15 (national scale): the case list, the API list and the admin changelist order by name in
# Dutch order (`surname COLLATE nl_names, first_names COLLATE nl_names, id`, the model's ordering
# and cases.selectors.SORT_FIELDS["naam"]). Without an index on that order every page sorted all
# the rows the reader may see: page 1 of a klantmanager of Hoorn (30,000 of 100,000 cases) was a
# sequential scan of every case plus a sort (39 ms), page 1000 a full sort of 30,000 names in ICU
# order (56 ms), the API's and the admin's first page 65-106 ms. With this index the first page
# reads the index in order and stops after the rows shown (4 ms), a deep page reads the index
# only (16 ms). `municipality_id` is an included column: the access filter (cases.access:
# `municipality_id IN (...) OR pk IN (...)`) is checked on the index entries, without a visit to
# the table. PostgreSQL only: the collation `nl_names` is the ICU collation of migration 0003;
# SQLite (`make run`) sorts its small table as before.

from django.db import migrations

NAME_ORDER_INDEX = "inburgeraar_name_order"


def create_name_order_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME_ORDER_INDEX} ON cases_inburgeraar "
        '(("surname" COLLATE "nl_names"), ("first_names" COLLATE "nl_names"), "id") '
        'INCLUDE ("municipality_id")'
    )


def drop_name_order_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_ORDER_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_search_trigram_index"),
    ]

    operations = [
        migrations.RunPython(create_name_order_index, drop_name_order_index),
    ]
