"""The bottom tab bar of the enterprise's phone pages is assembled from each app's `navigation.py`
(`register_h5_tab`); this pins the tabs, their order and which one each page shows active."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from shanglian import testing
from shanglian.appeals.tests.factories import make_appeal
from shanglian.notifications.services import notify
from shanglian.ui import navigation
from shanglian.ui.navigation import h5_tabs_for

TABS = [  # key, label, URL name, icon
    ("appeals", "我的诉求", "appeals:h5_home", "☰"),
    ("create", "提交诉求", "appeals:h5_create", "＋"),
    ("policies", "政策", "policies:h5_list", "★"),
    ("events", "活动", "events:h5_invitations", "◷"),
    ("board", "供需", "growth:h5_board", "⇄"),
    ("messages", "消息", "notifications:inbox", "✉"),
    ("me", "我的", "workbench:h5_me", "☺"),
]


def _tabbar(page):
    """(label, href, active) of each tab of the rendered bottom bar, in order."""
    bar = re.search(r'<nav class="h5-tabbar".*?</nav>', page, re.S).group(0)
    return [(label, href, "active" in classes) for classes, href, label in re.findall(
        r'<a class="(h5-tab[^"]*)" href="([^"]*)"><span class="h5-tab-icon" aria-hidden="true">.</span>([^<]*)', bar)]


def test_the_registered_tabs_in_their_order(cast):
    assert h5_tabs_for(cast.users.ent1, "policies") == [
        {"key": key, "label": label, "url": reverse(url_name), "icon": icon, "badge": 0, "active": key == "policies"}
        for key, label, url_name, icon in TABS]


def test_the_messages_tab_counts_the_unread_messages(cast):
    notify([cast.users.ent1], kind="appeal", title="您的诉求已答复，请评价")
    notify([cast.users.ent1], kind="policy", title="为您推荐惠企政策")
    assert [tab["badge"] for tab in h5_tabs_for(cast.users.ent1)] == [0, 0, 0, 0, 0, 2, 0]


def test_the_board_tab_counts_the_contact_requests_waiting_for_the_posters_consent(cast):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    testing.make_contact_request(post, cast.ent2, by=cast.users.staff)
    testing.make_contact_request(testing.make_post(cast.ent2, by=cast.users.staff), cast.ent1, by=cast.users.ent1)
    badges = {tab["key"]: tab["badge"] for tab in h5_tabs_for(cast.users.ent1)}
    assert badges["board"] == 1  # the request on its own post, not the one it made


@pytest.mark.parametrize(("page", "active"), [
    ("appeals:h5_home", "我的诉求"),
    ("appeals:h5_create", "提交诉求"),
    ("appeal", "我的诉求"),  # one appeal's page belongs to the list it was opened from
    ("policies:h5_list", "政策"),
    ("notifications:inbox", "消息"),
    ("workbench:h5_me", "我的"),
])
def test_each_phone_page_shows_the_bar_with_its_own_tab_active(cast, login, page, active):
    url = reverse("appeals:h5_detail", args=[make_appeal(cast).pk]) if page == "appeal" else reverse(page)
    html = login(cast.users.ent1).get(url).content.decode()
    assert _tabbar(html) == [(label, reverse(url_name), label == active) for _, label, url_name, _ in TABS]


def test_the_first_tab_is_where_返回_leads_by_default(cast, login):
    html = login(cast.users.ent1).get(reverse("appeals:h5_create")).content.decode()
    assert f'<a class="h5-back" href="{reverse("appeals:h5_home")}" aria-label="返回">' in html


def test_the_badge_is_shown_on_every_page(cast, login):
    notify([cast.users.ent1], kind="appeal", title="您的诉求已答复，请评价")
    html = login(cast.users.ent1).get(reverse("policies:h5_list")).content.decode()
    assert '消息<span class="h5-badge" aria-label="1 条未读">1</span></a>' in html


def test_a_tab_registered_by_another_app_appears_where_its_order_says(monkeypatch, cast, login):
    monkeypatch.setattr(navigation, "_h5_tabs", dict(navigation._h5_tabs))
    navigation.register_h5_tab("profile", "账户", "accounts:profile", icon="◎", order=45,
                               badge=lambda user: 3)
    html = login(cast.users.ent1).get(reverse("appeals:h5_home")).content.decode()
    assert [label for label, _, _ in _tabbar(html)] == ["我的诉求", "提交诉求", "政策", "活动", "供需", "消息", "账户", "我的"]
    assert (f'<a class="h5-tab" href="{reverse("accounts:profile")}"><span class="h5-tab-icon" aria-hidden="true">◎'
            '</span>账户<span class="h5-badge" aria-label="3 条未读">3</span></a>') in html


def test_one_tab_registered_twice_is_refused(monkeypatch):
    monkeypatch.setattr(navigation, "_h5_tabs", {})
    navigation.register_h5_tab("appeals", "我的诉求", "appeals:h5_home", icon="☰", order=10)
    with pytest.raises(ImproperlyConfigured):
        navigation.register_h5_tab("appeals", "我的诉求", "appeals:h5_home", icon="☰", order=10)
