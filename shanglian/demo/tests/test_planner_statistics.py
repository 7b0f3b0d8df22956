"""seed_demo ends by refreshing the planner statistics (issue 19): a freshly built district is queried
with indexes the planner knows about."""

from io import StringIO

import pytest
from django.core.management import call_command

from shanglian.common import dbstats
from shanglian.demo import registry
from shanglian.testing import make_federation


@pytest.mark.django_db
def test_seed_demo_refreshes_the_planner_statistics_after_its_builders(monkeypatch, settings):
    settings.DEMO = True
    events = []
    monkeypatch.setattr(registry, "discover", lambda: None)
    monkeypatch.setattr(registry, "_builders", {
        "members": registry.Builder("members", lambda run: events.append("build")),
    })
    monkeypatch.setattr(dbstats, "_run", lambda using, full: events.append(("refresh", full)))
    call_command("seed_demo", "--enterprises", "60", stdout=StringIO())
    assert events == ["build", ("refresh", True)]


@pytest.mark.django_db
def test_seed_demo_if_empty_on_existing_data_leaves_the_statistics_to_migrate(monkeypatch, settings):
    """`make run` a second time: `migrate` has just refreshed them; seed_demo --if-empty writes nothing and
    does not analyze the same data again (a first `make run` analyzes the empty schema after migrate, then
    the seeded data once, at seed_demo's end)."""
    settings.DEMO = True
    make_federation()
    refreshes = []
    monkeypatch.setattr(dbstats, "_run", lambda using, full: refreshes.append(full))
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert refreshes == []
