"""On PostgreSQL, a trigger refuses to change or delete the questions of a
published question set, and to unpublish a set (the demo's SQLite relies on
the service alone)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION applications_question_frozen() RETURNS trigger AS $$
DECLARE set_id bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN set_id := NEW.question_set_id; ELSE set_id := OLD.question_set_id; END IF;
  IF EXISTS (SELECT 1 FROM applications_questionset WHERE id = set_id AND status = 'published') THEN
    RAISE EXCEPTION 'question set % is published and cannot change', set_id;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER applications_question_frozen BEFORE INSERT OR UPDATE OR DELETE
  ON applications_question FOR EACH ROW EXECUTE FUNCTION applications_question_frozen();

CREATE OR REPLACE FUNCTION applications_questionset_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' AND (NEW.status <> 'published' OR NEW.version <> OLD.version
     OR NEW.call_id <> OLD.call_id) THEN
    RAISE EXCEPTION 'question set % is published and cannot change', OLD.id;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER applications_questionset_frozen BEFORE UPDATE
  ON applications_questionset FOR EACH ROW EXECUTE FUNCTION applications_questionset_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS applications_question_frozen ON applications_question;
DROP FUNCTION IF EXISTS applications_question_frozen();
DROP TRIGGER IF EXISTS applications_questionset_frozen ON applications_questionset;
DROP FUNCTION IF EXISTS applications_questionset_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
