"""政治引领统计: the page per role (headline cards with 同比, every part's sections, its charts' data), a chamber
secretary's own figures only, the xlsx export (audited, one sheet per table), the drill-down to the records
(scoped, 404 for an unknown key or a malformed row), 无数据 for rates over nothing, and a query count that does
not grow with the data.

The dataset (`build_dataset`, also the 工作台 panels' in test_panels.py), worked out by hand:

- The district's term (2021-12-16 to 2026-12-15): 执委 person1 (ent1, a member of chamber1), 副主席 person2 (ent2,
  chamber2), 常委 person3 (firm E3), 执委 person4 (firm E4). Arrangements: person1 区政协委员 from 2022, person2
  市人大代表 from 2023, person3 区党代表 (not counted), person4 区政协委员 2017 to 2024-12-31. On 31 Dec 2025: 2 of
  4 executives arranged (person1, person2); on 31 Dec 2024: 3 (person4 too) → 同比 -33.3 %. chamber1 sees person1.
- Proposals of 2025: P1 提案 person1 已采纳 (实际举措), P2 建议 person2 未采纳, P3 提案 of the federation 已答复, P4 社情民意
  of chamber1 已采纳 (实际举措), P5 a draft (not counted) → 4 filed, 采纳率 2 ÷ 3 = 66.7 %, 2 measures. 2024: P6
  person1 已采纳 → 1 (同比 +300.0 %), 100.0 %. 2026: P7 person1 已提交. chamber1 sees P1 and P4 (2 of 2 adopted).
- Liaison: the leader 包联 ent1 (since 2024) and E4 (since 2024, never visited), E5 (since 2024); dept1 (刘副区长)
  包联 ent2. Visits of 2025: ent1 on 10 Mar (the leader), ent2 on 1 May and 2 Sep (the latter opened an appeal);
  E5 on 1 Jun 2026. 2025 for staff: 4 包联企业, 2 visited, 3 visits, 1 visit appeal; for the leader 3, 1, 1, 0.
- Party: census ent1 5, ent2 4, E3 1; ent1's own 党支部 (2020), the street's 联合党委 (2021) covering E3; 组织覆盖率
  1 ÷ 2 = 50.0 %, 工作覆盖率 2 ÷ 3 = 66.7 %; chamber1 (ent1 only): 100.0 % and 100.0 %, one organisation.
  Activities of ent1's branch in 2025: 支部党员大会 (Apr), 党课 (May), 主题党日 (Jun) → 三会一课 2.
"""

import io
import re
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.tests.factories import category
from shanglian.audit.models import AuditEvent
from shanglian.engagement.models import EnterpriseParty, PartyActivity, Proposal
from shanglian.engagement.services.liaison import raise_appeal_from_visit
from shanglian.orgs.models import Position, Term

SHANGHAI = ZoneInfo("Asia/Shanghai")
PAGE = reverse("engagement:statistics")


def records(key):
    return reverse("engagement:figure_records", args=[key])


def build_dataset(cast):
    district = cast.district
    e3 = testing.make_enterprise(district, name="天津三号实业有限公司", street=cast.street)
    e4 = testing.make_enterprise(district, name="天津四号科技有限公司")
    e5 = testing.make_enterprise(district, name="天津五号贸易有限公司")
    person3 = testing.make_person(district, name="孙常委", enterprise=e3)
    person4 = testing.make_person(district, name="李执委", enterprise=e4)
    term = Term.objects.create(federation=district, number=17, start=date(2021, 12, 16), end=date(2026, 12, 15))
    for person, title in ((cast.person1, "executive"), (cast.person2, "vice_chairman"), (person3, "standing"),
                          (person4, "executive")):
        Position.objects.create(term=term, person=person, title=title, start=term.start)
    testing.make_arrangement(cast.person1, kind="cppcc", start=date(2022, 1, 1))
    testing.make_arrangement(cast.person2, kind="npc", level="city", start=date(2023, 1, 15))
    testing.make_arrangement(person3, kind="party_congress", start=date(2021, 9, 26))
    testing.make_arrangement(person4, kind="cppcc", term="第十五届", start=date(2017, 1, 1), end=date(2024, 12, 31))

    def proposal(title, year, status, **fields):
        return testing.make_proposal(district, title=title, year=year, status=status, **fields)

    proposal("关于缓解小微企业融资难的提案", 2025, "adopted", submitters=[cast.person1], measure="设立转贷应急资金。")
    proposal("关于优化出口退税流程的建议", 2025, "not_adopted", kind="suggestion", submitters=[cast.person2],
             decline_reason="涉及上级事权")
    proposal("关于完善政企沟通机制的提案", 2025, "replied", body="federation")
    proposal("关于商圈停车难的情况反映", 2025, "adopted", kind="opinion", body="chamber", chamber=cast.chamber1,
             measure="增设夜间停车位。")
    proposal("草拟中的提案", 2025, "draft", submitters=[cast.person1])
    proposal("关于人才公寓的提案", 2024, "adopted", submitters=[cast.person1], measure="出台人才公寓办法。")
    proposal("关于夜间经济的提案", 2026, "submitted", submitters=[cast.person1])

    leader, staff = cast.users.leader, cast.users.staff
    since = date(2024, 1, 1)
    l1 = testing.make_liaison(cast.ent1, user=leader, start=since)
    testing.make_liaison(e4, user=leader, start=since)
    l5 = testing.make_liaison(e5, user=leader, start=since)
    l2 = testing.make_liaison(cast.ent2, department=cast.dept1, liaison_name="刘副区长", start=since)
    testing.make_visit(cast.ent1, liaison=l1, visited_on=date(2025, 3, 10), recorded_by=leader)
    testing.make_visit(cast.ent2, liaison=l2, visited_on=date(2025, 5, 1), recorded_by=staff)
    found = testing.make_visit(cast.ent2, liaison=l2, visited_on=date(2025, 9, 2), recorded_by=staff,
                               problems="企业反映新厂房消防验收进度较慢。")
    with time_machine.travel(datetime(2025, 9, 2, 15, tzinfo=SHANGHAI), tick=False):
        appeal = raise_appeal_from_visit(actor=staff, visit=found, category=category(), title="新厂房消防验收进度较慢",
                                         content="企业反映新厂房消防验收进度较慢，请协调。")
    testing.make_visit(e5, liaison=l5, visited_on=date(2026, 6, 1), recorded_by=leader)

    for enterprise, members in ((cast.ent1, 5), (cast.ent2, 4), (e3, 1)):
        EnterpriseParty.objects.create(enterprise=enterprise, party_members=members, surveyed_on=date(2025, 6, 30))
    branch = testing.make_party_organisation(district, name="天津友谊科技有限公司党支部", enterprise=cast.ent1,
                                             founded=date(2020, 7, 1))
    testing.make_party_organisation(district, kind="joint_committee", name="友谊路街道非公企业联合党委",
                                    street=cast.street, covered=[e3], founded=date(2021, 7, 1))
    for kind, held_on in (("branch_assembly", date(2025, 4, 1)), ("party_lecture", date(2025, 5, 1)),
                          ("theme_day", date(2025, 6, 1))):
        PartyActivity.objects.create(organisation=branch, kind=kind, held_on=held_on, title="支部活动", attendees=5)
    return SimpleNamespace(e3=e3, e4=e4, e5=e5, person3=person3, person4=person4, term=term, appeal=appeal,
                           branch=branch)


@pytest.fixture
def data(cast):
    return build_dataset(cast)


def kpi(response, dom_id):
    found = re.search(rf'id="{dom_id}">([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


HEADLINE = {"executives-arranged": "2", "proposals": "4", "adoption-rate": "66.7%", "measures": "2",
            "liaison-enterprises": "4", "visited-enterprises": "2", "visit-appeals": "1", "party-organisations": "2",
            "organisation-coverage": "50.0%", "work-coverage": "66.7%"}


def test_staff_see_the_headline_with_year_on_year_and_every_part(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    assert {name: kpi(response, f"headline-{name}") for name in HEADLINE} == HEADLINE
    text = text_of(response)
    assert "统计期间：2025年" in text and "核心指标（2025年）" in text
    assert "同比 -33.3%" in text  # 执委中安排: 3 a year before
    assert "同比 +300.0%" in text  # 议案提案: 1 in 2024
    html = response.content.decode()
    for section in ("stats-representatives", "stats-proposals", "stats-liaison", "stats-party-organisations",
                    "stats-party-coverage"):
        assert f'id="{section}"' in html, section
    assert "口径：" in text


def test_every_chart_finds_its_data(cast, data, login):
    html = login(cast.users.staff).get(PAGE, {"year": 2025}).content.decode()
    sources = set(re.findall(r'<script id="([^"]+)" type="application/json">', html))
    charts = re.findall(r'data-chart="[^"]+" data-source="([^"]+)"', html)
    assert charts and set(charts) <= sources


def test_a_leader_sees_only_their_own_liaison(cast, data, login):
    response = login(cast.users.leader).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    assert kpi(response, "headline-liaison-enterprises") == "3"  # ent1, E4, E5: not dept1's ent2
    assert kpi(response, "headline-visited-enterprises") == "1" and kpi(response, "headline-visit-appeals") == "0"
    assert kpi(response, "headline-proposals") == "4"  # the federation's figures otherwise


def test_a_chamber_secretary_sees_its_chambers_figures_only(cast, data, login):
    response = login(cast.users.chamber1).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    assert kpi(response, "headline-executives-arranged") == "1"  # person1 only
    assert kpi(response, "headline-proposals") == "2" and kpi(response, "headline-adoption-rate") == "100.0%"
    assert kpi(response, "headline-party-organisations") == "1"
    assert kpi(response, "headline-organisation-coverage") == "100.0%"
    html = response.content.decode()
    assert 'id="stats-liaison"' not in html and "headline-liaison-enterprises" not in html  # no liaison for it
    for name in ("陈浙江", "天津之江贸易有限公司", "关于优化出口退税流程的建议", "友谊路街道非公企业联合党委"):
        assert name not in html, name


@pytest.mark.parametrize("who", ["dept1", "ent1", "auditor"], ids=["department", "enterprise", "auditor"])
def test_other_roles_are_refused(cast, data, login, who):
    client = login(getattr(cast.users, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(records("engagement.proposals")).status_code == 403


def test_the_export_is_the_tables_and_is_audited(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025, "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "总体" and len(book.sheetnames) == len({n.lower() for n in book.sheetnames}) > 5
    overall = {row[0]: row[1:4] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overall["议案提案（件）"] == (4, 1, "'+300.0%")
    assert overall["执委中安排为人大代表、政协委员（人）"][:2] == (2, 3)
    assert overall["组织覆盖率（%）"][0] == 50
    audit = AuditEvent.objects.filter(action="export", object_type="engagement.statistics").get()
    assert audit.detail["start"] == "2025-01-01" and audit.detail["end"] == "2025-12-31"


def test_the_page_links_its_export_and_its_records(cast, data, login):
    html = login(cast.users.staff).get(PAGE, {"year": 2025}).content.decode().replace("&amp;", "&")
    assert f"{PAGE}?year=2025&export=xlsx" in html
    assert f"{records('engagement.executives_arranged')}?year=2025" in html


def test_the_drill_down_lists_the_records_behind_a_figure(cast, data, login):
    client = login(cast.users.staff)
    response = client.get(records("engagement.executives_arranged"), {"year": 2025})
    assert response.status_code == 200
    text = text_of(response)
    assert "共 2 条" in text and "王建国" in text and "陈浙江" in text and "李执委" not in text
    assert "共 3 条" in text_of(client.get(records("engagement.adoption_rate"), {"year": 2025}))  # the decided
    assert "共 1 条" in text_of(client.get(records("engagement.visit_appeals"), {"year": 2025}))
    uncovered = text_of(client.get(records("engagement.organisation_coverage"), {"year": 2025}))
    assert "共 2 条" in uncovered and "天津之江贸易有限公司" in uncovered
    street = text_of(client.get(records("engagement.work_coverage"), {"year": 2025, "street": cast.street.pk}))
    assert "共 2 条" in street  # ent1 and E3 in 友谊路街道
    assert "共 1 条" in text_of(client.get(records("engagement.proposals"), {"year": 2025, "kind": "suggestion"}))


def test_the_drill_down_is_scoped_and_refuses_what_is_not_there(cast, data, login):
    staff = login(cast.users.staff)
    for key in ("engagement.nothing", "appeals.received", "members.in_force"):
        assert staff.get(records(key)).status_code == 404, key
    for params in ({"chamber": "1" * 25}, {"chamber": "x"}, {"street": "abc"}):
        assert staff.get(records("engagement.work_coverage"), params).status_code == 404, params
    assert staff.get(records("engagement.proposals"), {"topic": "-1"}).status_code == 404
    other = testing.make_chamber(cast.other, name="南开商会")
    assert staff.get(records("engagement.work_coverage"), {"chamber": other.pk}).status_code == 404
    chamber1 = login(cast.users.chamber1)
    assert chamber1.get(records("engagement.visits")).status_code == 403  # no liaison for a chamber
    assert chamber1.get(records("engagement.work_coverage"), {"chamber": cast.chamber2.pk}).status_code == 404
    text = text_of(chamber1.get(records("engagement.proposals"), {"year": 2025}))
    assert "共 2 条" in text and "关于优化出口退税流程的建议" not in text


def test_every_figure_names_its_drill_down_columns_and_the_rows_it_narrows_to_in_its_part():
    import inspect

    from shanglian.engagement import statistics_views
    from shanglian.ui.figures import registered

    keys = set(registered("engagement."))
    named = [key for module, _roles in statistics_views.PARTS for key in module.RECORD_COLUMNS]
    assert sorted(named) == sorted(keys)  # each figure once, in one part
    for module, _roles in statistics_views.PARTS:
        assert set(module.NARROWING) <= set(module.RECORD_COLUMNS)
        for key in module.RECORD_COLUMNS:
            parameters = inspect.signature(registered()[key].function).parameters.values()
            explicit = {p.name for p in parameters if p.kind == p.KEYWORD_ONLY} - {"user", "period"}
            if not any(p.kind == p.VAR_KEYWORD for p in parameters):
                assert set(module.NARROWING.get(key, ())) == explicit, key


def test_a_district_without_data_shows_no_data_not_zero_percent(db, login):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    staff = testing.make_user(Role.STAFF, username="new_staff", federation=federation)
    response = login(staff).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    for name in ("adoption-rate", "organisation-coverage", "work-coverage"):
        assert kpi(response, f"headline-{name}") == "无数据", name
    assert kpi(response, "headline-proposals") == "0"
    html = response.content.decode()
    assert "0.0%" not in html and "—%" not in html
    assert login(staff).get(PAGE, {"year": 2025, "export": "xlsx"}).status_code == 200


def test_a_bad_period_is_a_clear_message_not_an_error(cast, data, login):
    client = login(cast.users.staff)
    for params in ({"year": "abc"}, {"start": "2025-05-01", "end": "2025-01-01"}, {"year": "9" * 30}):
        response = client.get(PAGE, params)
        assert response.status_code == 200 and "field-error" in response.content.decode()


def test_a_period_longer_than_a_year_has_no_year_on_year(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"start": "2024-01-01", "end": "2025-12-31"})
    assert kpi(response, "headline-proposals") == "5"  # 2024 and 2025
    assert "统计期间超过一年，不计同比" in text_of(response)


def _grow(cast, n, start):
    """n more of everything the page counts: persons with positions and arrangements, proposals, liaisons with
    visits, party organisations with census rows and activities."""
    term = Term.objects.get(federation=cast.district, chamber__isnull=True)
    for k in range(start, start + n):
        firm = testing.make_enterprise(cast.district, chamber=cast.chamber1, street=cast.street)
        person = testing.make_person(cast.district, name=f"增长{k}", enterprise=firm)
        Position.objects.create(term=term, person=person, title="executive", start=term.start)
        testing.make_arrangement(person, kind="cppcc", start=date(2023, 1, 1))
        testing.make_proposal(cast.district, year=2025, status="adopted", submitters=[person], measure="举措。")
        testing.make_proposal(cast.district, year=2025, status="submitted", body="chamber", chamber=cast.chamber1)
        liaison = testing.make_liaison(firm, department=cast.dept2, start=date(2024, 1, 1))
        testing.make_visit(firm, liaison=liaison, visited_on=date(2025, 4, k), problems="问题")
        EnterpriseParty.objects.create(enterprise=firm, party_members=3 + k, surveyed_on=date(2025, 6, 30))
        organisation = testing.make_party_organisation(cast.district, enterprise=firm, founded=date(2022, 1, 1))
        PartyActivity.objects.create(organisation=organisation, kind="party_lecture", held_on=date(2025, 5, k),
                                     title="党课", attendees=3)


@pytest.mark.parametrize("who", ["staff", "chamber1"])
def test_the_query_count_does_not_grow_with_the_data(cast, data, login, who):
    client = login(getattr(cast.users, who))
    client.get(PAGE, {"year": 2025})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE, {"year": 2025}).status_code == 200
        return len(queries)

    small = count()
    _grow(cast, 3, 1)
    grown = count()
    _grow(cast, 4, 4)
    assert count() == grown == small
    assert Proposal.objects.count() > 15
