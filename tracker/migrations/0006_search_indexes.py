"""GIN indexes for the reports page's full-text search over titles and recommendations (PostgreSQL only).

The expressions are exactly what `SearchVector("title"/"text", config="english")` compiles to (see
tracker/filters.py), so the planner uses them. SQLite (the quick start) searches with a plain match and gets
no index here.
"""

from django.db import migrations

INDEXES = {
    "report_title_search_idx": (
        "tracker_report",
        "to_tsvector('english'::regconfig, COALESCE(title, ''::character varying)::text)",
    ),
    "recommendation_text_search_idx": (
        "tracker_recommendation",
        "to_tsvector('english'::regconfig, COALESCE(text, ''::text))",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, expression) in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_report_order_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
