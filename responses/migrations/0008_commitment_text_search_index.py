"""A GIN index for the search page's full-text search over commitments (PostgreSQL only).

The expression is exactly what `SearchVector("text", config="english")` compiles to (tracker/search.py), so
the planner uses it. SQLite (the quick start) searches with a plain match, so there the migration does nothing.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS commitment_text_search_idx ON responses_commitment USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(text, ''::text)))"
)
DROP = "DROP INDEX IF EXISTS commitment_text_search_idx"


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("responses", "0007_letter_upload")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP), elidable=False)]
