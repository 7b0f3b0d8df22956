"""The 工作台 of each role: the panels the apps contribute, their figures worked out by hand from
factories, who sees what (a chamber secretary only its chamber, a department nothing of the
federation's figures), the empty states of a new district, and a query count that does not grow with
the rows.

"Today" is 15 June 2026. Besides the cast's four district memberships (ent1, ent2, person1, the chamber1
group, all joined 1 Jan 2020) the federation has four enterprise members:

  A  joined  1 Mar 2025                     B  joined  1 Aug 2025
  C  joined  1 Mar 2026, also in chamber1   D  joined  1 May 2026, left 1 Jun 2026

so on 15 Jun 2026: in force 4 + A + B + C = 7 (15 Jun 2025: 5, 31 Dec 2025: 6); enterprise members ent1,
ent2, A, B, C = 5 (a year earlier 3); joined this year C, D = 2 (1 Jan–15 Jun 2025: A = 1).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.members.models import ChamberMembership

HOME = "/"


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def members(cast, today):
    def member(name, joined, **fields):
        enterprise = testing.make_enterprise(cast.district, name=name)
        testing.make_membership(cast.district, enterprise, joined=joined, **fields)
        return enterprise

    a = member("天津甲企业有限公司", date(2025, 3, 1))
    b = member("天津乙企业有限公司", date(2025, 8, 1))
    c = member("天津丙企业有限公司", date(2026, 3, 1))
    d = member("天津丁企业有限公司", date(2026, 5, 1), left=date(2026, 6, 1), status="left", left_reason="企业注销")
    ChamberMembership.objects.create(chamber=cast.chamber1, enterprise=c, joined=date(2026, 3, 1), position="会员")
    return a, b, c, d


def _panel(response, template):
    return next((p for p in response.context["panels"] if p.template == template), None)


def _cards(panel):
    return {card.key: card for card in panel.context["cards"]}


# --- the federation -------------------------------------------------------------------------------------
def test_leader_sees_the_member_figures_with_their_trend(cast, login, members, today):
    response = login(cast.users.leader).get(HOME)
    html = response.content.decode()
    assert "会员发展（2026年，截至6月15日）" in html
    assert 'data-kpi="在册会员">7<' in html and "同比 +40.0% · 环比 +16.7%" in html
    assert 'data-kpi="企业会员">5<' in html and "同比 +66.7%" in html
    assert 'data-kpi="本年新入会">2<' in html and "同比 +100.0%" in html
    panel = _panel(response, "members/_home_members.html")
    assert panel.charts and panel.context["chart_data"]["years"][-1] == "2025年"
    assert (panel.context["chart_data"]["inForce"][-1], panel.context["chart_data"]["joined"][-1]) == (6, 2)
    assert 'id="chart-home-members"' in html and reverse("members:member_statistics") in html
    assert reverse("appeals:statistics") in html  # and the appeals panel links to its statistics


def test_the_member_cards_open_the_records_they_count(cast, login, members, today):
    client = login(cast.users.leader)
    cards = _cards(_panel(client.get(HOME), "members/_home_members.html"))
    for key, expected in (("members.in_force", 7), ("members.in_force.enterprise", 5), ("members.joined", 2)):
        listed = client.get(cards[key].records_url)
        assert listed.status_code == 200 and listed.context["page_obj"].paginator.count == expected, key
    joined = client.get(cards["members.joined"].records_url).content.decode()
    assert "新入会会员（2026年1月1日至6月15日）：2" in joined and "天津丁企业有限公司" in joined


def test_staff_of_another_district_sees_only_its_own_members(cast, login, members, today):
    html = login(cast.users.outsider_staff).get(HOME).content.decode()
    assert 'data-kpi="在册会员">1<' in html  # 南开: ent_other only


def test_a_department_handler_does_not_see_the_federations_figures(cast, login, members, today):
    response = login(cast.users.dept1).get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="home-members"' not in html and "会员发展" not in html and 'data-kpi="在册会员"' not in html
    assert "本部门诉求办理（2026年）" in html and 'id="home-chamber"' not in html


def test_the_auditor_sees_no_business_panel(cast, login, members, today):
    response = login(cast.users.auditor).get(HOME)
    assert [p.template for p in response.context["panels"]
            if p.template.startswith(("members/", "appeals/"))] == []


@pytest.fixture
def policies(cast, today):
    """有效: P1 (published 1 Mar 2026), P2 (1 Apr 2025); P3 published 1 Feb 2026 and past its expiry on 1 May;
    P4 a draft with a date typed in. Pushes: P1 to ent1 (read) and ent2 on 2 Mar 2026, P2 to ent1 (read)
    on 2 Apr 2025."""
    from shanglian.common.models import DictItem
    from shanglian.policies import services
    from shanglian.policies.models import Policy, PolicyDelivery

    def policy(title, published_on, *, publish=True, **fields):
        data = {"title": title, "department": cast.dept1, "published_on": published_on,
                "benefit_type": DictItem.objects.get(kind="benefit_type", code="subsidy"), **fields}
        saved = services.save_policy(actor=cast.users.staff, data=data, eligibility=services.Eligibility())
        return services.publish_policy(actor=cast.users.staff, policy=saved)[0] if publish else saved

    p1 = policy("河西区稳岗扩岗补贴", date(2026, 3, 1))
    p2 = policy("河西区首贷贴息", date(2025, 4, 1))
    p3 = policy("河西区春季招聘补贴", date(2026, 2, 1))
    Policy.objects.filter(pk=p3.pk).update(expires_on=date(2026, 5, 1))
    policy("河西区草稿政策", date(2026, 4, 1), publish=False)
    shanghai = ZoneInfo("Asia/Shanghai")
    for item, enterprise, pushed, read in ((p1, cast.ent1, datetime(2026, 3, 2, 9, tzinfo=shanghai), True),
                                           (p1, cast.ent2, datetime(2026, 3, 2, 9, tzinfo=shanghai), False),
                                           (p2, cast.ent1, datetime(2025, 4, 2, 9, tzinfo=shanghai), True)):
        PolicyDelivery.objects.create(policy=item, enterprise=enterprise, pushed_at=pushed,
                                      read_at=pushed if read else None)


def test_leader_sees_the_policy_figures(cast, login, policies, today):
    client = login(cast.users.leader)
    response = client.get(HOME)
    html = response.content.decode()
    assert "惠企政策（2026年，截至6月15日）" in html
    assert 'data-kpi="有效政策">2<' in html
    assert 'data-kpi="本年新发布">2<' in html and "同比 +100.0%" in html
    assert 'data-kpi="政策推送">2<' in html and 'data-kpi="推送已读率">50.0%<' in html
    assert "同比 -50.0个百分点" in html
    live = next(c for c in _panel(response, "policies/_home_policies.html").context["cards"] if c.key == "policies.live")
    assert client.get(live.records_url).context["page_obj"].paginator.count == 2  # the library's 已发布 list


def test_a_department_handler_and_a_chamber_see_no_policy_figures(cast, login, policies, today):
    for user in (cast.users.dept1, cast.users.chamber1):
        response = login(user).get(HOME)
        assert _panel(response, "policies/_home_policies.html") is None
        assert 'id="home-policies"' not in response.content.decode()


# --- the chamber secretary -----------------------------------------------------------------------------
def test_chamber_secretary_sees_its_chambers_members(cast, login, members, today):
    client = login(cast.users.chamber1)
    response = client.get(HOME)
    html = response.content.decode()
    panel = _panel(response, "members/_home_chamber.html")
    # chamber1: ent1 (since 1 Mar 2024, cast) and C (since 1 Mar 2026)
    assert (panel.context["total"], panel.context["joined"]) == (2, 1)
    assert [m.enterprise.name for m in panel.context["recent"]] == ["天津丙企业有限公司", "天津友谊科技有限公司"]
    assert 'data-kpi="会员企业">2<' in html and 'data-kpi="本年入会">1<' in html
    assert 'data-kpi="其中工商联企业会员">2<' in html  # ent1 and C are federation members in force
    # the count is the list its link opens, and the federation members' card opens its records
    listed = client.get(panel.context["members_url"])
    assert listed.context["page_obj"].paginator.count == panel.context["total"]
    records = client.get(panel.context["federation_members"].records_url)
    assert records.context["page_obj"].paginator.count == 2
    assert f"{reverse('members:membership_list')}?chamber={cast.chamber1.pk}" in html
    assert "会员发展（" not in html and "members/_home_members.html" not in [t.name for t in response.templates]  # not the federation's figures


def test_chamber_secretary_sees_nothing_of_another_chamber(cast, login, members, today):
    html = login(cast.users.chamber2).get(HOME).content.decode()
    assert "本商会会员（河西区浙江商会）" in html and 'data-kpi="会员企业">1<' in html
    assert "天津之江贸易有限公司" in html  # its own member, among the latest joins
    for name in ("天津友谊科技有限公司", "天津丙企业有限公司"):  # chamber1's members
        assert name not in html


# --- a new district ------------------------------------------------------------------------------------------
def test_a_new_district_shows_empty_states(db, login, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    chamber = testing.make_chamber(federation, name="新区商会")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    secretary = testing.make_user(Role.CHAMBER, username="new_chamber", chamber=chamber)

    html = login(leader).get(HOME).content.decode()
    assert "暂无会员数据" in html and "本年尚未收到诉求" in html and "暂无有效政策" in html
    assert 'id="chart-home-members"' not in html and 'id="chart-appeal-months"' not in html
    assert "echarts.min.js" not in html

    html = login(secretary).get(HOME).content.decode()
    assert "本商会暂无在册会员企业" in html and 'data-kpi="会员企业">0<' in html
    assert "本商会会员暂无未办结的诉求" in html and 'data-kpi="未办结">0<' in html


# --- cost -------------------------------------------------------------------------------------------------------
def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["leader", "chamber1"])
def test_the_home_pages_queries_do_not_grow_with_the_rows(cast, login, members, today, role):
    from shanglian.appeals import services
    from shanglian.appeals.models import AppealCategory, Channel

    client = login(getattr(cast.users, role))
    client.get(HOME)  # warm the caches (role, federations in scope)
    before = _queries(client)
    category = AppealCategory.objects.filter(is_active=True).first()
    for i in range(12):
        enterprise = testing.make_enterprise(cast.district, name=f"天津加量{i:02d}有限公司", chamber=cast.chamber1)
        testing.make_membership(cast.district, enterprise, joined=date(2026, 2, 1))
        services.submit_appeal(actor=cast.users.staff, enterprise=enterprise, category=category,
                               title=f"加量诉求{i}", content="请协调办理。", channel=Channel.PHONE)
    assert _queries(client) == before
