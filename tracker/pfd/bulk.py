"""One UPDATE for many rows with different values: Django's bulk_update builds a CASE per field and row, which
for thousands of reports costs more than the import itself. On PostgreSQL this is one
UPDATE ... FROM (VALUES ...) a thousand rows; elsewhere (the quick start's SQLite) bulk_update."""

from django.db import connection
from psycopg2.extras import execute_values

CHUNK = 1000


def update_rows(model, objects, fields):
    objects = list(objects)
    if not objects:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields, batch_size=500)
        return len(objects)
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    sets = ", ".join(f'"{c.column}" = v."{c.column}"' for c in columns)
    names = ", ".join(f'"{c.column}"' for c in [pk, *columns])
    template = "(" + ", ".join(f"%s::{c.db_type(connection)}" for c in [pk, *columns]) + ")"
    sql = f'UPDATE "{meta.db_table}" AS t SET {sets} FROM (VALUES %s) AS v({names}) WHERE t."{pk.column}" = v."{pk.column}"'
    with connection.cursor() as cursor:
        for start in range(0, len(objects), CHUNK):
            rows = [
                [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in [pk, *columns]]
                for obj in objects[start : start + CHUNK]
            ]
            execute_values(cursor.cursor, sql, rows, template=template, page_size=CHUNK)
    return len(objects)
