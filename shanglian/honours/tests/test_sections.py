"""荣誉记录 on the enterprise 360° page (`honours/sections.py`): every current published list the enterprise is on
(year, category, rank; a superseded version is not its history, the version that replaced it is), for whoever reads
the federation's lists; its nominations still to be decided for the editors only; nothing for the enterprise's own
user."""

import re

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.honours.models import Nomination
from shanglian.ui.sections import sections_for


@pytest.fixture
def history(cast):
    """ent1: 2023 依法纳税 2nd; 2024 社会责任 1st on version 1, tied 2nd on version 2; removed from 2024 依法纳税 by
    its correction; nominated in 2025 (open), in 2025 科技创新 (withdrawn) and in 2025 社会责任 (already published)."""
    e2 = testing.make_enterprise(cast.district, name="天津第二号企业有限公司")
    e3 = testing.make_enterprise(cast.district, name="天津第三号企业有限公司")
    old = testing.make_programme(cast.district, year=2023, status="closed")
    testing.make_honour_list(old.categories.get(), [e2, cast.ent1])
    last = testing.make_programme(cast.district, year=2024, status="closed", categories=("社会责任", "依法纳税"))
    social, tax = last.categories.order_by("order")
    testing.make_honour_list(social, [cast.ent1, e2], superseded=True)
    testing.make_honour_list(social, [(e3, 1), (cast.ent1, 2), (e2, 2)], version=2, reason="名次调整")
    testing.make_honour_list(tax, [cast.ent1, e3], superseded=True)
    testing.make_honour_list(tax, [e3], version=2, reason="撤销天津友谊科技有限公司")
    now = testing.make_programme(cast.district, year=2025, status="scoring", categories=("依法纳税", "科技创新", "社会责任"))
    taxes, tech, published = now.categories.order_by("order")
    testing.make_nomination(taxes, cast.ent1, chamber=cast.chamber1)
    testing.make_nomination(tech, cast.ent1, status=Nomination.Status.WITHDRAWN)
    testing.make_nomination(published, cast.ent1)
    testing.make_honour_list(published, [e2])
    return taxes


def honours_of(user, enterprise):
    found = [s for s in sections_for("enterprise", user, enterprise)
             if s.template == "honours/lists/_enterprise_section.html"]
    return found[0].context if found else None


def test_the_enterprise_page_shows_every_current_list_it_is_on(cast, history, login):
    section = honours_of(cast.users.staff, cast.ent1)
    assert [(e.honour_list.category.programme.year, e.honour_list.category.name, e.rank, e.tied)
            for e in section["honours"]] == [(2024, "社会责任10强", 2, True), (2023, "依法纳税10强", 2, False)]
    page = login(cast.users.staff).get(reverse("members:enterprise_detail", args=[cast.ent1.pk])).content.decode()
    card = page.split('id="honours"')[1].split("</section>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))
    assert "荣誉记录 上榜 2 次" in text
    assert "2024年 社会责任10强 （第2版） 第2名 并列" in text and "2023年 依法纳税10强 第2名" in text


def test_editors_see_the_enterprises_open_nominations(cast, history, login):
    section = honours_of(cast.users.admin, cast.ent1)
    assert section["show_nominations"] and [n.category for n in section["nominations"]] == [history]
    page = login(cast.users.staff).get(reverse("members:enterprise_detail", args=[cast.ent1.pk])).content.decode()
    assert "待评审的提名" in page and reverse("honours:nomination", args=[section["nominations"][0].pk]) in page


@pytest.mark.parametrize("who", ["leader", "chamber1"])
def test_readers_see_the_honours_without_the_nominations(cast, history, login, who):
    user = getattr(cast.users, who)
    section = honours_of(user, cast.ent1)
    assert len(section["honours"]) == 2 and not section["show_nominations"] and section["nominations"] == []
    page = login(user).get(reverse("members:enterprise_detail", args=[cast.ent1.pk])).content.decode()
    assert 'id="honours"' in page and "待评审的提名" not in page


def test_the_enterprises_own_user_gets_no_honours_card(cast, history, login):
    assert honours_of(cast.users.ent1, cast.ent1) is None
    response = login(cast.users.ent1).get(reverse("members:enterprise_detail", args=[cast.ent1.pk]))
    assert response.status_code == 200 and 'id="honours"' not in response.content.decode()


def test_an_enterprise_never_listed_says_so(cast, login):
    section = honours_of(cast.users.staff, cast.ent2)
    assert section["honours"] == [] and section["nominations"] == []
    page = login(cast.users.staff).get(reverse("members:enterprise_detail", args=[cast.ent2.pk])).content.decode()
    assert "暂无上榜记录" in page and "暂无待评审的提名" in page
