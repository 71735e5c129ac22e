"""The first report form, published; and on PostgreSQL a trigger that refuses
to change, unpublish or delete a published version (the demo's SQLite relies
on the service alone), as for the calls' question sets."""

from django.db import migrations
from django.utils import timezone

AREAS = [
    ("socialtjanst", "Socialtjänsten"),
    ("halso_sjukvard", "Hälso- och sjukvården, inklusive tandvården"),
    ("sarskilda_grupper", "Särskilt sårbara grupper"),
    ("barn", "Barn som bevittnat eller upplevt våld"),
    ("valdsutovare", "Våldsutövare"),
    ("samverkan", "Samverkan"),
]

QUESTIONS = [
    {
        "key": f"activities_{key}",
        "section": "activities",
        "text": name,
        "help": "Vilka insatser har ni genomfört inom området med medlen? Lämna tomt om ni "
        "inte har arbetat inom området.",
        "max_length": 2000,
        "required": False,
    }
    for key, name in AREAS
] + [
    {
        "key": "results",
        "section": "results",
        "text": "Vilka resultat har insatserna gett?",
        "help": "Beskriv vad som har blivit bättre för dem som insatserna riktar sig till, "
        "och hur ni vet det.",
        "max_length": 4000,
        "required": True,
    },
    {
        "key": "lessons",
        "section": "lessons",
        "text": "Vad har ni lärt er, och fortsätter arbetet i ordinarie verksamhet?",
        "help": "Vad fungerade, vad skulle ni göra annorlunda, och har insatserna övergått i "
        "ordinarie verksamhet (ja, delvis eller nej)?",
        "max_length": 4000,
        "required": True,
    },
]

CREATE = """
CREATE OR REPLACE FUNCTION reports_reportform_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' THEN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'report form % is published and cannot be deleted', OLD.id;
    END IF;
    IF NEW.status <> 'published' OR NEW.version <> OLD.version
       OR NEW.questions::jsonb <> OLD.questions::jsonb
       OR NEW.published_at <> OLD.published_at THEN
      RAISE EXCEPTION 'report form % is published and cannot change', OLD.id;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER reports_reportform_frozen BEFORE UPDATE OR DELETE
  ON reports_reportform FOR EACH ROW EXECUTE FUNCTION reports_reportform_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_reportform_frozen ON reports_reportform;
DROP FUNCTION IF EXISTS reports_reportform_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)
    ReportForm = apps.get_model("reports", "ReportForm")
    ReportForm.objects.get_or_create(
        version=1,
        defaults={"status": "published", "published_at": timezone.now(), "questions": QUESTIONS},
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
