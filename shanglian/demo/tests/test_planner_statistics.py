"""seed_demo ends by refreshing the planner statistics (issue 19): a freshly built district is queried
with indexes the planner knows about."""

from io import StringIO

import pytest
from django.core.management import call_command

from shanglian.common import dbstats
from shanglian.demo import registry


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
