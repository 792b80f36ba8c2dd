"""Report.earliest_open_due, filled in for the reports already there.

From here on responses/signals.py and responses/report_due_dates.py keep it. The backfill is plain SQL that
PostgreSQL and SQLite both run, with the final statuses spelled out as they were when it was written.
"""

from django.db import migrations, models

FINAL_STATUSES = ("delivered", "delivered_late", "not_delivered", "superseded", "no_longer_applicable")

BACKFILL = f"""
UPDATE tracker_report SET earliest_open_due = (
    SELECT MIN(c.due_latest)
    FROM responses_commitment c
    JOIN responses_responseletter l ON l.id = c.letter_id
    JOIN responses_responseletter_reports t ON t.responseletter_id = l.id
    WHERE t.report_id = tracker_report.id
      AND l.review_state = 'confirmed'
      AND c.status NOT IN ({", ".join(f"'{status}'" for status in FINAL_STATUSES)})
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0006_search_indexes"),
        ("responses", "0004_letter_text_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="earliest_open_due",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The earliest due date of an open commitment in its confirmed response letters.",
                null=True,
            ),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop, elidable=True),
    ]
