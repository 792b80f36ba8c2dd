"""A GIN index for the reports page's full-text search over letter text (PostgreSQL only).

The expression is exactly what `SearchVector("text", config="english")` compiles to, so the planner can use
the index for `to_tsvector(...) @@ websearch_to_tsquery(...)`. SQLite (the quick start) has no full-text
index of this kind and searches with a plain match, so there the migration does nothing.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS letter_text_search_idx ON responses_responseletter USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(text, ''::text)))"
)
DROP = "DROP INDEX IF EXISTS letter_text_search_idx"


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("responses", "0003_page_indexes")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP), elidable=False)]
