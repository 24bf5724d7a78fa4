"""On PostgreSQL the database itself refuses to change or delete an adopted PIP version."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION pip_version_adopted_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'vastgesteld' THEN
        RAISE EXCEPTION 'an adopted PIP version cannot be changed or deleted';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER pip_version_adopted_immutable
    BEFORE UPDATE OR DELETE ON pip_plans_pipversion
    FOR EACH ROW EXECUTE FUNCTION pip_version_adopted_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS pip_version_adopted_immutable ON pip_plans_pipversion;
DROP FUNCTION IF EXISTS pip_version_adopted_immutable();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("pip_plans", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
