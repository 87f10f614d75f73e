"""A GIN index for the library's full-text search on PostgreSQL (SQLite has none to build).

The expression matches what `pdsa.library.search` asks for, so PostgreSQL serves searches from
the index instead of reading every cycle.
"""

from django.db import migrations

INDEX = "pdsa_cycle_search_text_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON pdsa_pdsacycle USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(search_text, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("pdsa", "0001_ramps_cycles_attachments")]

    operations = [migrations.RunPython(create_index, drop_index)]
