"""PostgreSQL: planner statistics on the appeals' title pieces (`search_bigrams`), so that the list's search
walks its sort index for a common word and reads the GIN index for a rare one (see appeals/search.py).
Nothing on SQLite."""

from django.db import migrations


def keep_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE appeals_appeal ALTER COLUMN search_bigrams SET STATISTICS -1")
        schema_editor.execute("ANALYZE appeals_appeal (search_bigrams)")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE appeals_appeal ALTER COLUMN search_bigrams SET STATISTICS 0")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0009_chamber_kpi_index")]
    operations = [migrations.RunPython(keep_statistics, drop_statistics)]
