"""Notices on the 工作台: advice a user may follow (set up a second factor …), shown above 我的待办 as
a line with a link, never as a 待办 count. Each app contributes through a `notices.py` that registers
providers, found at startup like `todos.py`."""

from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Notice:
    text: str
    url: str = ""
    link_text: str = ""


def register(provider):
    """Decorator: `provider(user) -> iterable of Notice` (empty for roles it does not concern)."""
    _providers.append(provider)
    return provider


def notices_for(user):
    return [notice for provider in _providers for notice in (provider(user) or [])]
