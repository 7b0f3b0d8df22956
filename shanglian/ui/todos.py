"""待办 on the 工作台: each app contributes counts through a `todos.py` that registers providers."""

from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    level: str = "warning"  # warning | danger | info


def register(provider):
    """Decorator: `provider(user) -> iterable of Todo` (may be empty for roles it does not concern)."""
    _providers.append(provider)
    return provider


def todos_for(user):
    items = []
    for provider in _providers:
        items.extend(provider(user) or [])
    return items
