"""The demo registry: builders run after what they name, otherwise by name; seed_demo finds every app's builder."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils.module_loading import module_has_submodule

from shanglian.demo import registry


def _noop(run):
    return None


def fake(*specs):
    """A registry of builders that do nothing: each spec is (name, after)."""
    return {name: registry.Builder(name=name, build=_noop, after=after) for name, after in specs}


def names(builders):
    return [b.name for b in builders]


def test_a_builder_runs_after_the_builders_it_names():
    builders = fake(("welfare", ("events", "members")), ("appeals", ("members",)), ("events", ("members",)),
                    ("members", ()))
    order = names(registry.ordered(builders))
    assert order == ["members", "appeals", "events", "welfare"]


def test_builders_that_do_not_depend_on_each_other_run_in_name_order_whatever_the_registration_order():
    one = fake(("policies", ("members",)), ("appeals", ("members",)), ("members", ()))
    other = fake(("members", ()), ("appeals", ("members",)), ("policies", ("members",)))
    assert names(registry.ordered(one)) == names(registry.ordered(other)) == ["members", "appeals", "policies"]


def test_an_unknown_dependency_is_refused():
    with pytest.raises(ImproperlyConfigured, match="events"):
        registry.ordered(fake(("welfare", ("events",))))


def test_a_cycle_is_refused():
    with pytest.raises(ImproperlyConfigured, match="cycle"):
        registry.ordered(fake(("a", ("b",)), ("b", ("a",)), ("c", ())))


def test_register_records_the_builder_and_returns_the_function(monkeypatch):
    monkeypatch.setattr(registry, "_builders", {})

    def counts():
        return [("活动", 3)]

    @registry.register("events", after=["members"], counts=counts)
    def seed(run):
        return "built"

    builder = registry.builders()["events"]
    assert builder == registry.Builder(name="events", build=seed, after=("members",), counts=counts)
    assert seed(None) == "built"


def test_a_name_is_registered_once(monkeypatch):
    monkeypatch.setattr(registry, "_builders", {})
    registry.register("events")(_noop)
    registry.register("events")(_noop)  # the same module imported again

    def other(run):
        return None

    with pytest.raises(ImproperlyConfigured, match="twice"):
        registry.register("events")(other)


def test_seed_demo_finds_every_apps_builder():
    registry.discover()
    builders = registry.builders()
    assert {"members", "appeals", "policies"} <= set(builders)
    # Every installed app that has a demo module registers a builder from it.
    modules = {b.build.__module__ for b in builders.values()}
    for config in apps.get_app_configs():
        if config.name.startswith("shanglian.") and module_has_submodule(config.module, "demo"):
            assert f"{config.name}.demo" in modules, config.name
    order = names(registry.ordered())
    assert order.index("members") < order.index("appeals") < order.index("policies")


@pytest.mark.django_db
def test_seed_demo_runs_the_registered_builders_in_order_and_prints_their_counts(monkeypatch, settings):
    settings.DEMO = True
    calls = []

    def step(name):
        def build(run):
            calls.append((name, sorted(run.results), run.enterprises))
            return name.upper()
        return build

    monkeypatch.setattr(registry, "discover", lambda: None)
    monkeypatch.setattr(registry, "_builders", {
        "policies": registry.Builder("policies", step("policies"), after=("members",)),
        "members": registry.Builder("members", step("members"), counts=lambda: [("企业", 1500)]),
        "appeals": registry.Builder("appeals", step("appeals"), after=("members",), counts=lambda: [("诉求", 3)]),
    })
    out = StringIO()
    call_command("seed_demo", "--enterprises", "60", stdout=out)
    assert calls == [("members", [], 60), ("appeals", ["members"], 60), ("policies", ["appeals", "members"], 60)]
    assert "  企业：1,500\n  诉求：3\n" in out.getvalue()
