"""A published (frozen) key never changes: PostgreSQL refuses any insert,
update or delete of its allocations, and any change to the key row other than
nothing at all. SQLite (demo only) relies on the services."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION allocation_refuse_frozen() RETURNS trigger AS $$
DECLARE
    key_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'allocation_allocationkey' THEN
        IF OLD.status = 'frozen' THEN
            RAISE EXCEPTION 'allocation key % is published and cannot change', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END IF;
    key_id := COALESCE(NEW.key_id, OLD.key_id);
    IF EXISTS (SELECT 1 FROM allocation_allocationkey k
               WHERE k.id IN (key_id, OLD.key_id) AND k.status = 'frozen') THEN
        RAISE EXCEPTION 'allocation key % is published; its allocations cannot change', key_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER allocation_frozen_guard
    BEFORE INSERT OR UPDATE OR DELETE ON allocation_allocation
    FOR EACH ROW EXECUTE FUNCTION allocation_refuse_frozen();
CREATE TRIGGER allocation_key_frozen_guard
    BEFORE UPDATE OR DELETE ON allocation_allocationkey
    FOR EACH ROW EXECUTE FUNCTION allocation_refuse_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS allocation_frozen_guard ON allocation_allocation;
DROP TRIGGER IF EXISTS allocation_key_frozen_guard ON allocation_allocationkey;
DROP FUNCTION IF EXISTS allocation_refuse_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("allocation", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
