"""Panels on the 工作台 below 我的待办: each app contributes through a `panels.py` that registers
providers (like `todos.py`), so the workbench depends on no business app."""

from dataclasses import dataclass, field

_providers = []


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    charts: bool = False  # the page loads ECharts and charts.js when a panel draws a chart


def register(provider):
    """Decorator: `provider(user) -> Panel or None` (None for roles it does not concern)."""
    _providers.append(provider)
    return provider


def panels_for(user):
    return [panel for panel in (provider(user) for provider in _providers) if panel is not None]
