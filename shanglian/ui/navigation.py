"""The left navigation, assembled by registration: each app's `navigation.py` (found at startup by the
`ui` AppConfig) calls `register()` with its group and items; nothing central lists the apps.

    # shanglian/events/navigation.py
    from shanglian.accounts.roles import READER_ROLES
    from shanglian.ui.navigation import NavItem, register

    register("活动管理", order=45, items=[NavItem("活动", "events:list", READER_ROLES, "calendar")])

Groups are shown by ascending `order`; several apps may add items to one group (they must give it the
same order), and the items of a group are shown by ascending `NavItem.order`, then in registration order.

The enterprise's phone pages (H5, `templates/h5_base.html`) have a bottom tab bar instead, registered
the same way with `register_h5_tab()` and rendered by the `{% h5_tabs %}` tag of `ui/templatetags/navigation.py`:

    register_h5_tab("events", "活动", "events:h5_list", icon="◷", order=25)

Tabs are shown by ascending `order`; the first one is the H5 home (the default 返回 target). A view marks
its tab active by putting the tab's key in its context as `tab` (`{"tab": "events"}`).
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from shanglian.accounts.roles import role_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset  # one of the named role sets of accounts/roles.py, or a set of one role
    icon: str = "dot"
    kwargs: object = None  # callable(user) -> dict of URL kwargs
    order: int = 0  # position inside its group

    def url_for(self, user):
        return reverse(self.url_name, kwargs=self.kwargs(user) if self.kwargs else None)


@dataclass
class NavGroup:
    label: str
    order: int
    items: list


_groups = {}  # label -> NavGroup


def register(group, *, order, items):
    """Add `items` (NavItems) to the menu group labelled `group`, shown at position `order`."""
    registered = _groups.setdefault(group, NavGroup(group, order, []))
    if registered.order != order:
        raise ImproperlyConfigured(f"Navigation group {group!r} registered with orders {registered.order} and {order}.")
    registered.items.extend(items)


def registered_groups():
    """The groups by position, each with its items by position (what `navigation_for` filters by role)."""
    return [NavGroup(g.label, g.order, sorted(g.items, key=lambda item: item.order))
            for g in sorted(_groups.values(), key=lambda g: g.order)]


def navigation_for(user, current_path=""):
    """The groups and items the user's role sees; the active item is the longest URL the path is under."""
    role = role_of(user)
    groups = []
    for group in registered_groups():
        items = [{"label": item.label, "url": item.url_for(user), "icon": item.icon, "active": False}
                 for item in group.items if role in item.roles]
        if items:
            groups.append({"label": group.label, "items": items})
    candidates = [i for g in groups for i in g["items"]
                  if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))]
    if candidates:
        max(candidates, key=lambda i: len(i["url"]))["active"] = True
    return groups


@dataclass(frozen=True)
class H5Tab:
    key: str  # the `tab` an H5 view puts in its context to show this tab active
    label: str
    url_name: str
    icon: str  # one character, shown above the label
    order: int
    badge: object = None  # callable(user) -> int: a count shown on the tab when not 0 (e.g. unread messages)


_h5_tabs = {}  # key -> H5Tab


def register_h5_tab(key, label, url_name, *, icon, order, badge=None):
    """Add a tab to the bottom bar of the enterprise's phone pages, shown at position `order`."""
    if key in _h5_tabs:
        raise ImproperlyConfigured(f"H5 tab {key!r} registered twice.")
    _h5_tabs[key] = H5Tab(key, label, url_name, icon, order, badge)


def registered_h5_tabs():
    """The tabs by position (the first is the H5 home)."""
    return sorted(_h5_tabs.values(), key=lambda tab: tab.order)


def h5_tabs_for(user, active=None):
    """The tab bar: each registered tab by position, with its URL, its badge count and whether it is the
    tab `active` (the key the page's view named)."""
    return [{"key": tab.key, "label": tab.label, "url": reverse(tab.url_name), "icon": tab.icon,
             "badge": tab.badge(user) if tab.badge else 0, "active": tab.key == active}
            for tab in registered_h5_tabs()]
