import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

from shanglian.policies import search


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist on SQLite only")
@pytest.mark.django_db
def test_every_migrate_puts_back_search_triggers_a_table_remake_dropped():
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    config = apps.get_app_config("policies")
    post_migrate.send(sender=config, app_config=config, verbosity=0, interactive=False, using="default",
                      plan=[], apps=apps)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'policies_policy'")
        assert set(search.SQLITE_TRIGGERS) <= {row[0] for row in cursor.fetchall()}
