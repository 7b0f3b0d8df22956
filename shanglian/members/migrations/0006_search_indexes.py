"""The indexes of the member lists' search (see shanglian/members/search.py): UPPER(uscc) and UPPER(number)
for the iexact lookups; the name/initials index of enterprises and persons (FTS5 trigram tables with their
triggers on SQLite, the bigram column with its trigger and GIN index on PostgreSQL). Existing rows are
indexed here."""

import django.db.models.functions.text
from django.db import migrations, models


def install(apps, schema_editor):
    from shanglian.members.search import install_index

    install_index(schema_editor.connection)


def remove(apps, schema_editor):
    from shanglian.members.search import remove_index

    remove_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0005_numbersequence"),
        ("members", "0005_membership_list_sort_index"),
        ("orgs", "0002_validation_messages_and_unique_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(django.db.models.functions.text.Upper("uscc"), name="enterprise_uscc_upper"),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(django.db.models.functions.text.Upper("number"), name="membership_number_upper"),
        ),
        migrations.RunPython(install, remove),
    ]
