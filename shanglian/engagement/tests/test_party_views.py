"""Party building's pages on the dataset of test_party_coverage.py: who reads what (a chamber secretary only its
chamber's party organisations: chamber2 gets 404 on chamber1's, audited), who writes (the allowed user and the
refused ones for every write page), bad input answered in Chinese with 400 and nothing written, and the
coverage page whose every number opens the enterprises behind it."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.engagement.models import EnterpriseParty, PartyActivity, PartyInstructor, PartyOrganisation
from shanglian.engagement.selectors import party as selectors
from shanglian.engagement.services import party as services
from shanglian.members.models import ChamberMembership

from .test_party_coverage import build_dataset

READERS = ["admin", "staff", "leader", "chamber1", "chamber2", "outsider_staff"]
NOT_READERS = ["dept1", "ent1", "auditor"]


@pytest.fixture
def data(cast):
    return build_dataset(cast)


def rows_of(response):
    """The first cells (names) of a list page's rows."""
    return re.findall(r'<td class="cell-wrap"><a href="[^"]*">([^<]+)</a>', response.content.decode())


# --- the organisation list and its export -------------------------------------------------------------------
def test_each_reader_lists_its_own_scope(cast, data, login):
    url = reverse("engagement:party_organisations")
    staff = rows_of(login(cast.users.staff).get(url + "?per_page=50"))
    assert {"甲科技有限公司党支部", "友谊路街道商会联合党委", "柳林街道商会联合党委", "陈塘庄街道联合党委"} <= set(staff)
    assert "南开某某餐饮有限公司党支部" not in staff and len(staff) == 8
    assert sorted(rows_of(login(cast.users.chamber1).get(url))) == ["友谊路街道商会联合党委", "甲科技有限公司党支部"]
    assert rows_of(login(cast.users.chamber2).get(url)) == []
    assert rows_of(login(cast.users.outsider_staff).get(url)) == ["南开某某餐饮有限公司党支部"]


@pytest.mark.parametrize("role", NOT_READERS)
def test_other_roles_are_refused_the_party_pages(cast, data, login, role):
    client = login(getattr(cast.users, role))
    for name in ("party_organisations", "party_organisations_export", "party_instructors", "party_census",
                 "party_coverage"):
        assert client.get(reverse(f"engagement:{name}")).status_code == 403, name
    assert client.get(reverse("engagement:party_organisation", args=[data.j1.pk])).status_code == 403


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=joint_committee&active=yes", ["友谊路街道商会联合党委", "柳林街道商会联合党委", "陈塘庄街道联合党委"]),
    ("host=street", ["陈塘庄街道联合党委"]),
    ("active=no", ["壬电子有限公司党支部", "庚建筑有限公司党支部", "柳林楼宇商会原联合党委"]),
    ("q=甲科技", ["甲科技有限公司党支部"]),
], ids=["kind", "host", "inactive", "name"])
def test_the_list_filters(cast, data, login, query, expected):
    response = login(cast.users.staff).get(f"{reverse('engagement:party_organisations')}?{query}")
    assert sorted(rows_of(response)) == sorted(expected)


def test_street_and_chamber_filters(cast, data, login):
    client = login(cast.users.staff)
    url = reverse("engagement:party_organisations")
    assert sorted(rows_of(client.get(f"{url}?street={data.s2.pk}"))) == sorted(
        ["柳林街道商会联合党委", "柳林楼宇商会党支部", "柳林楼宇商会原联合党委", "壬电子有限公司党支部"])
    assert sorted(rows_of(client.get(f"{url}?chamber={cast.chamber1.pk}"))) == sorted(
        ["友谊路街道商会联合党委", "甲科技有限公司党支部"])
    # a chamber secretary cannot filter by another chamber: the choice is refused, the list stays its own
    page = login(cast.users.chamber1).get(f"{url}?chamber={cast.chamber2.pk}")
    assert page.status_code == 200 and "甲科技有限公司党支部" in page.content.decode()


def test_the_export_is_the_filtered_list_and_audited(cast, data, login):
    response = login(cast.users.chamber1).get(reverse("engagement:party_organisations_export") + "?kind=joint_committee")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["党组织名称", "类型", "隶属", "隶属单位"]
    assert [[c.value for c in row][:4] for row in sheet.iter_rows(min_row=2)] == [
        ["友谊路街道商会联合党委", "联合党委", "商会", "友谊路街道商会"]]
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.object_type == "engagement.partyorganisation" and event.detail["rows"] == 1


# --- one organisation -------------------------------------------------------------------------------------------
def test_a_chamber_secretary_sees_only_its_chambers_organisations(cast, data, login):
    url = reverse("engagement:party_organisation", args=[data.j1.pk])
    assert login(cast.users.chamber1).get(url).status_code == 200
    assert login(cast.users.chamber2).get(url).status_code == 404
    event = AuditEvent.objects.filter(action="denied").latest("id")
    assert (event.username, event.object_type, event.object_id) == ("chamber2", "engagement.partyorganisation",
                                                                     str(data.j1.pk))
    assert login(cast.users.chamber1).get(reverse("engagement:party_organisation", args=[data.j3.pk])).status_code == 404
    assert login(cast.users.outsider_staff).get(url).status_code == 404


def test_the_organisation_page(cast, data, login):
    today = timezone.localdate()
    for kind, days in (("branch_assembly", 0), ("party_lecture", 1), ("theme_day", 2), ("group_meeting", 400)):
        PartyActivity.objects.create(organisation=data.j1, kind=kind, held_on=today - timedelta(days=days),
                                     title=f"活动{kind}")
    PartyInstructor.objects.create(federation=cast.district, name="周指导", chamber=cast.chamber1, start=date(2025, 1, 1))
    held_this_year = sum(1 for days in (0, 1) if (today - timedelta(days=days)).year == today.year)
    response = login(cast.users.leader).get(reverse("engagement:party_organisation", args=[data.j1.pk]))
    content = response.content.decode()
    assert f'id="three-meetings">{held_this_year}<' in content
    assert "乙贸易有限公司" in content and "己文化有限公司" in content  # the covered enterprises
    assert "周指导" in content and "活动group_meeting" in content
    assert "登记活动" not in content and "编辑" not in content  # a leader reads
    content = login(cast.users.chamber1).get(reverse("engagement:party_organisation", args=[data.j1.pk])).content.decode()
    assert "登记活动" in content and ">编辑<" not in content  # a keeper records, does not edit
    content = login(cast.users.staff).get(reverse("engagement:party_organisation", args=[data.j1.pk])).content.decode()
    assert "登记活动" in content and ">编辑<" in content and ">删除<" in content


# --- an organisation of the scope names only the scope's enterprises and instructors -------------------------------
def test_a_chamber_secretary_is_not_shown_another_chambers_covered_enterprise(cast, login):
    org1 = testing.make_party_organisation(cast.district, chamber=cast.chamber1, kind="joint_committee",
                                           covered=[cast.ent2])
    EnterpriseParty.objects.create(enterprise=cast.ent2, party_members=7, surveyed_on=date(2026, 6, 30))
    url = reverse("engagement:party_organisation", args=[org1.pk])
    content = login(cast.users.chamber1).get(url).content.decode()
    assert cast.ent2.name not in content and cast.ent2.uscc not in content and "<td>7</td>" not in content
    assert reverse("members:enterprise_detail", args=[cast.ent2.pk]) not in content
    assert "<dd>1 家</dd>" in content and "另有1家不在您的查看范围内" in content
    content = login(cast.users.staff).get(url).content.decode()
    assert cast.ent2.name in content and cast.ent2.uscc in content and "<td>7</td>" in content
    assert "不在您的查看范围内" not in content


def test_the_covered_enterprises_of_the_scope_are_named_the_others_counted(cast, data, login):
    data.j1.covered_enterprises.add(cast.ent2, data.c)
    covered = selectors.covered_enterprises_of(data.j1, user=cast.users.chamber1)
    assert [e.name for e in covered.rows] == sorted([data.b.name, data.f.name]) and covered.hidden == 2
    assert {e.name: e.party_members for e in covered.rows} == {data.b.name: 4, data.f.name: 1}
    covered = selectors.covered_enterprises_of(data.j1, user=cast.users.staff)
    assert len(covered.rows) == 4 and covered.hidden == 0 and covered.total == 4
    content = login(cast.users.chamber1).get(reverse("engagement:party_organisation", args=[data.j1.pk])).content.decode()
    assert data.c.name not in content and "<dd>4 家</dd>" in content and "另有2家不在您的查看范围内" in content


def test_a_chamber_secretary_is_not_shown_the_instructors_of_the_hosts_other_chambers(cast, login):
    ChamberMembership.objects.create(chamber=cast.chamber2, enterprise=cast.ent1, joined=date(2024, 3, 1))
    branch = testing.make_party_organisation(cast.district, name="天津友谊科技有限公司党支部", enterprise=cast.ent1)
    for name, chamber in (("周指导", cast.chamber1), ("钱指导", cast.chamber2)):
        PartyInstructor.objects.create(federation=cast.district, name=name, unit=f"{chamber.name}指导单位",
                                       chamber=chamber, start=date(2025, 1, 1))
    url = reverse("engagement:party_organisation", args=[branch.pk])
    for reader, shown, hidden in (("chamber1", "周指导", "钱指导"), ("chamber2", "钱指导", "周指导")):
        content = login(getattr(cast.users, reader)).get(url).content.decode()
        other = cast.chamber2 if reader == "chamber1" else cast.chamber1
        assert shown in content and hidden not in content and f"{other.name}指导单位" not in content, reader
        assert "另有1名党建指导员不在您的查看范围内" in content, reader
    content = login(cast.users.staff).get(url).content.decode()
    assert "周指导" in content and "钱指导" in content and "不在您的查看范围内" not in content


def test_the_history_names_only_the_readers_enterprises(cast, login):
    staff = cast.users.staff
    organisation = services.save_party_organisation(actor=staff, name="友谊路街道商会联合党委", kind="joint_committee",
                                                    enterprise=cast.ent2, members_count=5)
    services.save_party_organisation(actor=staff, organisation=organisation, name="友谊路街道商会联合党委",
                                     kind="joint_committee", chamber=cast.chamber1, members_count=5,
                                     covered_enterprises=[cast.ent1, cast.ent2])
    url = reverse("engagement:party_organisation", args=[organisation.pk])
    content = login(cast.users.chamber1).get(url).content.decode()
    history = content.split("record-history")[1]
    assert cast.ent2.name not in content
    assert f"{cast.ent1.name}（另有1家不在您的查看范围内）" in history  # 联建覆盖企业
    assert "（不在您查看范围内的企业）" in history  # the former host, 所在企业
    assert cast.chamber1.name in history
    history = login(cast.users.staff).get(url).content.decode().split("record-history")[1]
    assert "、".join(sorted([cast.ent1.name, cast.ent2.name])) in history
    assert "不在您的查看范围内" not in history and "不在您查看范围内" not in history


# --- create / edit / delete an organisation ------------------------------------------------------------------------
def form_data(cast, **values):
    return {"name": "天津之江贸易有限公司党支部", "kind": "branch", "enterprise": cast.ent2.pk, "chamber": "",
            "street": "", "founded": "2022-07-01", "dissolved": "", "members_count": "4", "secretary": "陈书记",
            **values}


def test_negative_members_are_refused_on_the_form_in_chinese(cast, login):
    response = login(cast.users.staff).post(reverse("engagement:party_organisation_create"),
                                            form_data(cast, members_count="-2"))
    assert response.status_code == 400
    assert "党员人数不能为负数。" in response.content.decode()
    assert not PartyOrganisation.objects.exists()


def test_a_form_with_two_hosts_is_refused_in_chinese(cast, login):
    response = login(cast.users.staff).post(reverse("engagement:party_organisation_create"),
                                            form_data(cast, chamber=cast.chamber1.pk))
    assert response.status_code == 400
    assert "党组织须隶属于企业、商会、街道中的一个。" in response.content.decode()
    assert not PartyOrganisation.objects.exists()


def test_an_editor_creates_edits_and_deletes_an_organisation(cast, login):
    client = login(cast.users.staff)
    covered = {**form_data(cast), "name": "联合党委", "kind": "joint_committee", "enterprise": "",
               "chamber": cast.chamber1.pk, "covered_enterprises": [cast.ent1.pk]}
    response = client.post(reverse("engagement:party_organisation_create"), covered)
    assert response.status_code == 400 and "须为您管理范围内、已登记党员情况的企业" in response.content.decode()
    EnterpriseParty.objects.create(enterprise=cast.ent1, party_members=2, surveyed_on=date(2026, 1, 1))
    response = client.post(reverse("engagement:party_organisation_create"), form_data(cast))
    organisation = PartyOrganisation.objects.get()
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    response = client.post(reverse("engagement:party_organisation_edit", args=[organisation.pk]),
                           form_data(cast, members_count="6", enterprise="", chamber=cast.chamber2.pk,
                                     kind="joint_committee", covered_enterprises=[cast.ent1.pk]))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.members_count, organisation.chamber, organisation.enterprise) == (6, cast.chamber2, None)
    assert list(organisation.covered_enterprises.all()) == [cast.ent1]
    assert client.get(reverse("engagement:party_organisation_delete", args=[organisation.pk])).status_code == 200
    assert client.post(reverse("engagement:party_organisation_delete", args=[organisation.pk])).status_code == 302
    assert not PartyOrganisation.objects.exists()


def test_an_organisation_with_activities_shows_the_refusal(cast, data, login):
    PartyActivity.objects.create(organisation=data.j1, kind="theme_day", held_on=date(2025, 1, 1), title="学习")
    client = login(cast.users.staff)
    page = client.get(reverse("engagement:party_organisation_delete", args=[data.j1.pk])).content.decode()
    assert "不能删除党组织" in page and "确认删除" not in page
    client.post(reverse("engagement:party_organisation_delete", args=[data.j1.pk]))
    assert PartyOrganisation.objects.filter(pk=data.j1.pk).exists()


@pytest.mark.parametrize(("role", "status"), [("staff", 200), ("admin", 200), ("leader", 403), ("chamber1", 403),
                                              ("dept1", 403), ("outsider_staff", 404)])
def test_who_may_open_the_organisation_write_pages(cast, data, login, role, status):
    client = login(getattr(cast.users, role))
    for name in ("party_organisation_edit", "party_organisation_delete"):
        assert client.get(reverse(f"engagement:{name}", args=[data.j1.pk])).status_code == status
    response = client.post(reverse("engagement:party_organisation_delete", args=[data.a_branch.pk]))
    assert PartyOrganisation.objects.filter(pk=data.a_branch.pk).exists() == (status != 200)
    assert response.status_code == (302 if status == 200 else status)


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_create_organisations(cast, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(reverse("engagement:party_organisation_create")).status_code == 403
    assert client.post(reverse("engagement:party_organisation_create"), form_data(cast)).status_code == 403
    assert not PartyOrganisation.objects.exists()


# --- activities ----------------------------------------------------------------------------------------------------
def activity_data(**values):
    return {"kind": "branch_committee", "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "title": "支委会研究发展党员", "attendees": "5", "note": "", **values}


@pytest.mark.parametrize(("role", "status"), [("staff", 302), ("chamber1", 302), ("chamber2", 404), ("leader", 403),
                                              ("dept1", 403), ("outsider_staff", 404)])
def test_who_records_an_activity(cast, data, login, role, status):
    response = login(getattr(cast.users, role)).post(
        reverse("engagement:party_activity_create", args=[data.a_branch.pk]), activity_data())
    assert response.status_code == status
    assert PartyActivity.objects.count() == (1 if status == 302 else 0)


def test_an_activity_in_the_future_is_refused_on_the_form(cast, data, login):
    response = login(cast.users.chamber1).post(
        reverse("engagement:party_activity_create", args=[data.j1.pk]),
        activity_data(held_on=(timezone.localdate() + timedelta(days=1)).isoformat()))
    assert response.status_code == 400 and "活动日期不能晚于今天。" in response.content.decode()
    assert not PartyActivity.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("chamber1", 302), ("staff", 302), ("chamber2", 404), ("leader", 403)])
def test_who_deletes_an_activity(cast, data, login, role, status):
    activity = PartyActivity.objects.create(organisation=data.j1, kind="theme_day", held_on=date(2025, 7, 1), title="学")
    client = login(getattr(cast.users, role))
    assert client.get(reverse("engagement:party_activity_delete", args=[activity.pk])).status_code == (
        200 if status == 302 else status)
    assert client.post(reverse("engagement:party_activity_delete", args=[activity.pk])).status_code == status
    assert PartyActivity.objects.exists() == (status != 302)


# --- instructors --------------------------------------------------------------------------------------------------
def test_the_instructor_list_is_scoped(cast, data, login):
    url = reverse("engagement:party_instructors")
    assert {"刘指导", "赵指导", "孙指导"} <= set(re.findall(r"<td>(\S+指导)</td>", login(cast.users.staff).get(url)
                                                             .content.decode()))
    page = login(cast.users.chamber1).get(url).content.decode()
    assert "刘指导" not in page and "编辑" not in page
    page = login(cast.users.staff).get(f"{url}?in_force=no").content.decode()
    assert "孙指导" in page and "刘指导" not in page


def test_an_editor_adds_edits_and_deletes_an_instructor(cast, login):
    client = login(cast.users.staff)
    data = {"name": "吴指导", "unit": "区委组织部", "enterprise": "", "chamber": cast.chamber1.pk, "start": "2025-01-01",
            "end": ""}
    assert client.post(reverse("engagement:party_instructor_create"), data).status_code == 302
    instructor = PartyInstructor.objects.get()
    response = client.post(reverse("engagement:party_instructor_edit", args=[instructor.pk]), {**data, "end": "2024-12-31"})
    assert response.status_code == 400 and "结束日期不能早于选派日期。" in response.content.decode()
    response = client.post(reverse("engagement:party_instructor_edit", args=[instructor.pk]),
                           {**data, "chamber": "", "enterprise": cast.ent1.pk, "end": "2026-06-30"})
    assert response.status_code == 302 and response["Location"] == reverse("engagement:party_instructors")
    instructor.refresh_from_db()
    assert (instructor.enterprise, instructor.chamber, instructor.end) == (cast.ent1, None, date(2026, 6, 30))
    response = client.post(reverse("engagement:party_instructor_create"), {**data, "enterprise": cast.ent1.pk})
    assert response.status_code == 400 and "请选择指导的企业或商会（二选一）。" in response.content.decode()
    assert client.post(reverse("engagement:party_instructor_delete", args=[instructor.pk])).status_code == 302
    assert not PartyInstructor.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("chamber1", 403), ("ent1", 403), ("outsider_staff", 404)])
def test_readers_and_others_cannot_write_instructors(cast, data, login, role, status):
    instructor = PartyInstructor.objects.get(name="刘指导")
    client = login(getattr(cast.users, role))
    for name in ("party_instructor_edit", "party_instructor_delete"):
        assert client.get(reverse(f"engagement:{name}", args=[instructor.pk])).status_code == status
    assert client.post(reverse("engagement:party_instructor_delete", args=[instructor.pk])).status_code == status
    if role != "outsider_staff":
        assert client.get(reverse("engagement:party_instructor_create")).status_code == 403
    assert PartyInstructor.objects.filter(pk=instructor.pk).exists()


# --- the census ----------------------------------------------------------------------------------------------------
def census_names(client, query=""):
    content = client.get(f"{reverse('engagement:party_census')}?per_page=50&{query}").content.decode()
    return sorted(re.findall(r'<td class="cell-wrap"><a href="/members/[^"]*">([^<]+)</a>', content))


def test_the_census_list_and_its_filters(cast, data, login):
    client = login(cast.users.staff)
    assert len(census_names(client)) == 9  # A … I, surveyed (ent_other is another federation's)
    assert census_names(client, "base=org&org_covered=no") == sorted(
        ["丙制造有限公司", "丁物流有限公司", "庚建筑有限公司", "壬电子有限公司"])
    assert census_names(client, "base=work&work_covered=yes") == sorted(
        ["甲科技有限公司", "乙贸易有限公司", "丙制造有限公司", "戊餐饮有限公司", "己文化有限公司"])
    assert census_names(client, "base=missing") == sorted(["天津友谊科技有限公司", "天津之江贸易有限公司"])
    assert census_names(client, "street=none") == ["庚建筑有限公司"]
    assert census_names(client, f"chamber={cast.chamber1.pk}") == sorted(["甲科技有限公司", "乙贸易有限公司", "己文化有限公司"])
    assert census_names(login(cast.users.chamber1), "base=all") == sorted(
        ["天津友谊科技有限公司", "甲科技有限公司", "乙贸易有限公司", "己文化有限公司"])


def test_an_editor_writes_one_enterprises_census(cast, data, login):
    client = login(cast.users.staff)
    url = reverse("engagement:party_census_edit", args=[cast.ent1.pk])
    assert "该企业尚未登记党员情况" in client.get(url).content.decode()
    response = client.post(url, {"party_members": "-1", "surveyed_on": "2026-06-30"})
    assert response.status_code == 400 and "党员人数不能为负数。" in response.content.decode()
    assert not EnterpriseParty.objects.filter(enterprise=cast.ent1).exists()
    response = client.post(url, {"party_members": "3", "surveyed_on": "2026-06-30", "note": ""})
    assert response.status_code == 302 and "q=" in response["Location"]
    assert EnterpriseParty.objects.get(enterprise=cast.ent1).party_members == 3
    response = client.post(url, {"party_members": "4", "surveyed_on": "2026-07-01"})
    assert EnterpriseParty.objects.filter(enterprise=cast.ent1).count() == 1


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("chamber1", 403), ("dept1", 403), ("auditor", 403),
                                              ("outsider_staff", 404)])
def test_who_may_not_write_a_census(cast, login, role, status):
    client = login(getattr(cast.users, role))
    url = reverse("engagement:party_census_edit", args=[cast.ent1.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"party_members": "3", "surveyed_on": "2026-06-30"}).status_code == status
    assert not EnterpriseParty.objects.exists()


# --- 两个覆盖 -----------------------------------------------------------------------------------------------------
def test_the_coverage_page_and_the_lists_behind_each_number(cast, data, login):
    client = login(cast.users.staff)
    content = client.get(reverse("engagement:party_coverage")).content.decode()
    assert "33.3%" in content.split('id="organisation-rate"')[1][:200]
    assert "62.5%" in content.split('id="work-rate"')[1][:200]
    assert re.search(r'id="streets-fully-covered">2<small class="muted"> / 3', content)
    census = reverse("engagement:party_census")
    links = dict(re.findall(rf'<a href="({census}[^"]+)">(\d+)</a>', content.split('id="coverage-overall"')[1].split('id="coverage-streets"')[0]))
    # the overall card: covered 2 of 6, 4 not; 5 of 8, 3 not — each number opens exactly those enterprises
    opened = {count: census_names(client, url.split("?", 1)[1].replace("&amp;", "&")) for url, count in links.items()}
    assert len(opened["6"]) == 6 and len(opened["8"]) == 8 and len(opened["4"]) == 4 and len(opened["3"]) == 3
    assert opened["2"] == sorted(["甲科技有限公司", "乙贸易有限公司"])
    assert opened["5"] == sorted(["甲科技有限公司", "乙贸易有限公司", "丙制造有限公司", "戊餐饮有限公司", "己文化有限公司"])
    streets = content.split('id="table-coverage-streets"')[1].split("</table>")[0]
    row = streets.split('data-row="柳林街道"')[1].split("</tr>")[0]
    assert "0.0%" in row and "50.0%" in row
    assert "无数据" in streets.split('data-row="天塔街道"')[1].split("</tr>")[0]
    chambers = content.split('id="table-coverage-chambers"')[1].split("</table>")[0]
    assert "无数据" in chambers.split('data-row="河西区浙江商会"')[1].split("</tr>")[0]


def test_the_coverage_page_of_a_chamber_secretary(cast, data, login):
    content = login(cast.users.chamber1).get(reverse("engagement:party_coverage")).content.decode()
    assert "100.0%" in content.split('id="organisation-rate"')[1][:200]
    assert "柳林街道商会" not in content and "河西区浙江商会" not in content


# --- the pages' queries do not grow with the rows ------------------------------------------------------------------
PAGES = ["party_organisations", "party_instructors", "party_census", "party_coverage"]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(cast, data):
    from shanglian import testing

    for n in range(6):
        enterprise = testing.make_enterprise(cast.district, name=f"增长企业{n}", chamber=data.chamber3, street=data.s2)
        EnterpriseParty.objects.create(enterprise=enterprise, party_members=n, surveyed_on=date(2026, 1, 1))
        organisation = testing.make_party_organisation(cast.district, name=f"增长企业{n}党支部", enterprise=enterprise,
                                                       covered=[data.c])
        PartyActivity.objects.create(organisation=organisation, kind="theme_day", held_on=date(2025, 1, 1), title="学")
        PartyInstructor.objects.create(federation=cast.district, name=f"增长指导{n}", enterprise=enterprise,
                                       start=date(2025, 1, 1))


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_the_pages_queries_do_not_grow_with_the_rows(cast, data, login, role):
    client = login(getattr(cast.users, role))
    urls = [reverse(f"engagement:{name}") for name in PAGES] + [
        reverse("engagement:party_organisation", args=[data.j1.pk])]
    before = [_queries(client, url) for url in urls]
    _grow(cast, data)
    data.j1.covered_enterprises.add(data.c, data.d)
    assert [_queries(client, url) for url in urls] == before
