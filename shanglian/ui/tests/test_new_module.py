"""A new module is one package: installing `toy_module` (nothing else edited — its routes are included
by a root urlconf of its own, the one line `shanglian/urls.py` would get) puts its page in the
navigation, its import kind in the import registry, its 待办 and panel on the 工作台, its figure in
the figures registry and its demo data in `seed_demo`'s plan."""

import sys
from copy import copy

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.demo import registry as demo_registry
from shanglian.imports import registry as import_registry
from shanglian.ui import figures, navigation, panels, todos
from shanglian.ui.navigation import navigation_for
from shanglian.ui.todos import todos_for

APP = "shanglian.ui.tests.toy_module"


def _registries():
    return [(navigation, "_groups"), (todos, "_providers"), (panels, "_providers"), (figures, "_registry"),
            (import_registry, "_KINDS"), (demo_registry, "_builders")]


@pytest.fixture
def toy_module():
    """Install the module for one test, then put every registry back as it was."""
    demo_registry.discover()  # the installed apps' builders, registered before the snapshot
    saved = [(module, name, copy(getattr(module, name))) for module, name in _registries()]
    saved_groups = {label: list(group.items) for label, group in navigation._groups.items()}
    try:
        with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, APP],
                               ROOT_URLCONF=f"{APP}.root_urls"):
            demo_registry.discover()  # what seed_demo does before it orchestrates
            yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
        for label, items in saved_groups.items():
            navigation._groups[label].items[:] = items
        for name in [m for m in sys.modules if m.startswith(APP + ".")]:
            del sys.modules[name]  # imported afresh (and so registered again) by the next test


def test_a_new_module_adds_a_page_to_the_navigation(toy_module, cast, login):
    menu = navigation_for(cast.users.staff)
    group = next(g for g in menu if g["label"] == "示例模块")
    assert group["items"][0]["url"] == reverse("toy_module:item_list")
    assert [g["label"] for g in menu].index("示例模块") == [g["label"] for g in menu].index("活动管理") + 1
    assert not any(g["label"] == "示例模块" for g in navigation_for(cast.users.ent1))
    assert login(cast.users.staff).get(reverse("toy_module:item_list")).status_code == 200
    assert login(cast.users.ent1).get(reverse("toy_module:item_list")).status_code == 403


def test_a_new_module_adds_an_import_kind(toy_module, cast):
    assert import_registry.is_registered("toy_module")
    spec = import_registry.spec_for("toy_module", cast.users.staff)
    assert spec.title == "示例条目"


def test_a_new_module_adds_a_todo_and_a_panel_to_the_workbench(toy_module, cast, login):
    DictItem.objects.create(kind="toy_module", code="t1", label="示例")
    assert any(t.label == "待整理的示例条目" and t.count == 1 for t in todos_for(cast.users.staff))
    assert not any(t.label == "待整理的示例条目" for t in todos_for(cast.users.leader))
    page = login(cast.users.leader).get(reverse("workbench:home")).content.decode()
    assert 'id="toy-module-panel"' in page and "示例条目 1 条" in page


def test_a_new_module_adds_a_figure_with_its_records(toy_module, cast):
    DictItem.objects.create(kind="toy_module", code="t1", label="示例")
    figure = figures.compute("toy_module.items", user=cast.users.staff, period=Period.year(2026))
    assert (figure.label, figure.value, figure.unit) == ("示例条目数", 1, "条")
    assert list(figure.records.values_list("code", flat=True)) == ["t1"]


def test_a_new_module_adds_demo_data_after_what_it_builds_on(toy_module):
    order = [builder.name for builder in demo_registry.ordered()]
    assert "toy_module" in order and order.index("toy_module") > order.index("members")


def test_the_module_is_gone_when_uninstalled(cast):
    """The fixture put every registry back: nothing of the module stays behind for other tests."""
    assert not import_registry.is_registered("toy_module")
    assert not any(g["label"] == "示例模块" for g in navigation_for(cast.users.staff))
    assert "toy_module.items" not in figures.registered()
