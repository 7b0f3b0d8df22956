"""The full-text search index (see shanglian/policies/search.py): on SQLite a trigram FTS5 table kept in
sync by triggers, on PostgreSQL pg_trgm and GIN trigram indexes. Other backends: nothing."""

from django.db import migrations


def install(apps, schema_editor):
    from shanglian.policies.search import install_index

    install_index(schema_editor.connection)


def remove(apps, schema_editor):
    from shanglian.policies.search import remove_index

    remove_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("policies", "0002_benefit_types")]
    operations = [migrations.RunPython(install, remove)]
