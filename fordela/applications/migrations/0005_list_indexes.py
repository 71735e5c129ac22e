"""Indexes for the list pages: a call's queue of sent-in applications by case
number (partial: only the sent-in statuses), and what each call has granted
(partial: only decided decisions, the amount in the index)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_bulk_run_decisions")]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["submitted", "completion_requested", "proposed", "decided"])
                ),
                fields=["call", "case_number"],
                name="application_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                condition=models.Q(("decided_at__isnull", False)),
                fields=["call", "amount_sek"],
                name="decision_granted",
            ),
        ),
    ]
