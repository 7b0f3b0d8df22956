"""Sections that other apps contribute to a page they do not own (e.g. 匹配政策 on the enterprise 360°
page, contributed by `policies`): the page's app names a page key and renders whatever sections are
registered for it, so it imports none of the contributing apps. Each app registers its providers in a
`sections.py` module, discovered at startup like `todos.py` and `panels.py`.

    # policies/sections.py
    @register("enterprise")
    def matched_policies(user, enterprise):
        return Section("policies/_enterprise_section.html", {"policies": ...})

    # members/views.py
    "sections": sections_for("enterprise", request.user, enterprise)

    {# the page's template, where the sections go #}
    {% for section in sections %}{% include section.template with s=section.context %}{% endfor %}
"""

from collections import defaultdict
from dataclasses import dataclass, field

_providers = defaultdict(list)


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)


def register(page):
    """Decorator: `provider(user, obj) -> Section or None` contributes to `page` (None: nothing to show
    this user). Providers run in the order they were registered (the order of INSTALLED_APPS)."""

    def decorator(provider):
        _providers[page].append(provider)
        return provider

    return decorator


def sections_for(page, user, obj):
    """The sections of `page` for `user` looking at `obj` (the page has already checked that it may)."""
    return [section for section in (provider(user, obj) for provider in _providers[page]) if section is not None]
