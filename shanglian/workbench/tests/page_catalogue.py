"""The pages the speed checks visit, found rather than listed: what each role's menu links to (the
navigation registry, the same `registered_groups()` the left menu is built from), the enterprise's phone
tabs, the list variants issue 19 measures (the appeals' search, page 50 and a name search of the member
list), and every list of /api/v1/ (read from the OpenAPI schema, as test_api_matrix.py reads it). A new
module's menu pages and API lists are in as soon as they are registered.

`bench/bench_pages.py` times them at two data sizes; `test_query_counts.py` counts their queries at two
data sizes and wants the counts equal.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.urls import reverse

from shanglian.accounts.roles import Role
from shanglian.ui.navigation import registered_groups, registered_h5_tabs

# Aims of issue 19 (p95 at city scale): every list page and API list ≤ 100 ms, every statistics page
# and 工作台 ≤ 300 ms. A menu page that is neither (a profile, a record of one's own) is held to the lists'.
TARGET_MS = {"工作台": 300, "统计": 300, "列表": 100, "接口": 100, "页面": 100}

# The common variants of a list (query strings; {appeal}, {member} are search words the caller gives).
VARIANTS = {
    "appeals:list": ["q={appeal}"],  # the plain list is the 全部 queue
    "members:membership_list": ["page=50", "q={member}"],
    "members:enterprise_list": ["q={member}"],
}


@dataclass(frozen=True)
class Page:
    name: str  # URL name ("appeals:list") or API path template ("/api/v1/appeals/")
    kind: str  # 工作台, 统计, 列表, 接口, 页面 (any other menu page)
    variant: str = ""  # query string, with {appeal}/{member} placeholders
    kwargs: object = None  # callable(user) -> URL kwargs (a menu item of the user's own record)

    @property
    def label(self):
        return self.name + (f"?{self.variant}" if self.variant else "")

    @property
    def target_ms(self):
        return TARGET_MS[self.kind]

    def path(self, user, words):
        """The URL to ask as `user`; `words` gives the search words and `enterprise` (the id a nested API
        list such as /api/v1/enterprises/{enterprise_id}/policies/ is asked for)."""
        if self.kind == "接口":
            base = re.sub(r"\{\w+\}", str(words["enterprise"]), self.name)
        else:
            base = reverse(self.name, kwargs=self.kwargs(user) if self.kwargs else None)
        return base + ("?" + self.variant.format(**words) if self.variant else "")


def _kind(name, first_h5_tab):
    if name in ("workbench:home", first_h5_tab):
        return "工作台"
    if "statistics" in name:
        return "统计"
    return "列表" if name.endswith(("list", ":inbox")) else "页面"


def pages_for(role):
    """The pages a user of `role` opens from its menu (and, for an enterprise, its phone tabs), each with
    its list variants; then every API list (a role refused one gets 403, which the callers skip)."""
    role = Role(role)
    tabs = registered_h5_tabs()
    first_tab = tabs[0].url_name if tabs else None
    found = {}
    items = [(item.url_name, item.kwargs) for group in registered_groups() for item in group.items
             if role in item.roles]
    if role == Role.ENTERPRISE:
        items += [(tab.url_name, None) for tab in tabs]
        items = [(name, kwargs) for name, kwargs in items if name != "workbench:home"]  # a redirect to the H5 home
    for name, kwargs in items:
        for variant in ["", *VARIANTS.get(name, [])]:
            page = Page(name, _kind(name, first_tab), variant, kwargs)
            found.setdefault(page.label, page)
    return [*found.values(), *api_lists()]


@cache
def api_lists():
    """Every GET of /api/v1/ that lists records: no path parameter, or only the parent's id of a nested
    route (`enterprises/{enterprise_id}/policies/`)."""
    from shanglian.workbench.tests.test_api_matrix import endpoints

    pages = []
    for method, path in endpoints():
        params = re.findall(r"\{(\w+)\}", path)
        if method == "get" and not path.endswith("}/") and all(p.endswith("_id") for p in params):
            pages.append(Page(path, "接口"))
    return tuple(pages)
