"""The index of the appeal list's title search (see shanglian/appeals/search.py): an FTS5 trigram table
with its triggers on SQLite, the bigram column with its trigger and GIN index on PostgreSQL. Existing
appeals are indexed here."""

from django.db import migrations


def install(apps, schema_editor):
    from shanglian.appeals.search import install_index

    install_index(schema_editor.connection)


def remove(apps, schema_editor):
    from shanglian.appeals.search import remove_index

    remove_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0005_list_sort_indexes")]
    operations = [migrations.RunPython(install, remove)]
