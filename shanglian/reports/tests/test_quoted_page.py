"""The page 工作报告引用指标 (reports:quoted): who may read it, what it shows for the period asked for, its links to the
records, `?federation=` and its xlsx export."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.reports import quoted
from shanglian.reports.models import ExternalIndicator, ExternalValue
from shanglian.testing import make_enterprise, make_membership, make_user

pytestmark = pytest.mark.django_db

URL = reverse("reports:quoted")


def _cell(html, number):
    """The 本期数值 cell of quote `number` on the page."""
    row = re.search(rf'<tr data-quote="{number}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    return re.search(r"<td data-value>(.*?)</td>", row, re.S).group(1).strip()


def _number(text):
    return next(q.number for q in quoted.load() if q.quote == text)


@pytest.mark.parametrize("who", ["staff", "leader", "admin"])
def test_the_federations_roles_read_the_page(cast, login, who):
    response = login(getattr(cast.users, who)).get(URL, {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作报告引用指标" in html and "统计期间：2025年" in html
    counted = quoted.counts()
    for kind in quoted.KIND_LABELS:
        assert re.search(rf'id="quoted-count-{kind}">\s*<span class="todo-count">{counted[kind]}</span>', html)
    assert html.count("<tr data-quote=") == 92
    assert html.count('class="card" id="quoted-seed-') == 5


@pytest.mark.parametrize("who", ["chamber1", "dept1", "ent1", "auditor"])
def test_other_roles_are_refused(cast, login, who):
    assert login(getattr(cast.users, who)).get(URL).status_code == 403
    assert login(getattr(cast.users, who)).get(URL, {"export": "xlsx"}).status_code == 403


def test_a_number_links_to_its_records_and_a_missing_one_says_why(cast, login):
    make_membership(cast.district, make_enterprise(cast.district), joined=date(2025, 3, 1))
    html = login(cast.users.staff).get(URL, {"year": 2025}).content.decode()
    members = _cell(html, _number("企业会员316家"))
    assert members == f'<a href="{reverse("reports:records", args=["members.in_force.enterprise"])}?year=2025">3个</a>'
    coverage = _number("实现河西区对口帮扶的159个贫困村全覆盖")
    assert _cell(html, coverage) == "无数据"
    assert "无数据：统计期内没有可据以计算的记录" in re.search(rf'<tr data-quote="{coverage}".*?</tr>', html,
                                                              re.S).group(0)
    held = _number("帮助每个商会确定1-2个有影响力、号召力的重点活动长期坚持")
    assert _cell(html, held) == ""
    assert "“每会1-2个”是工作要求的描述，不是统计数" in html


def test_an_external_value_shows_with_its_source(cast, login):
    ExternalValue.objects.create(indicator=ExternalIndicator.objects.get(code="private_capital"),
                                 federation=cast.district, year=2025, value="1092.95", source="区市场监管局")
    html = login(cast.users.leader).get(URL, {"year": 2025}).content.decode()
    number = _number("民营资本累计达到1,092.95亿元")
    assert _cell(html, number) == "1092.95亿元"
    assert "外部数据 · 来源：区市场监管局" in html
    assert _cell(login(cast.users.leader).get(URL, {"year": 2024}).content.decode(), number) == "无数据"


def test_a_city_chooses_one_of_its_districts_and_a_district_no_other(cast, login):
    make_membership(cast.other, make_enterprise(cast.other), joined=date(2025, 3, 1))
    city = make_user(Role.STAFF, federation=cast.city)
    number = _number("企业会员316家")
    client = login(city)
    whole = client.get(URL, {"year": 2025}).content.decode()
    assert re.search(r">(\d+)个</a>", _cell(whole, number)).group(1) == "4"
    assert f'<option value="{cast.other.pk}"' in whole
    other = client.get(URL, {"year": 2025, "federation": cast.other.pk}).content.decode()
    assert f"federation={cast.other.pk}" in _cell(other, number) and ">2个</a>" in _cell(other, number)
    staff = login(cast.users.staff)
    assert staff.get(URL, {"federation": cast.other.pk}).status_code == 404
    assert staff.get(URL, {"federation": cast.city.pk}).status_code == 404
    assert staff.get(URL, {"federation": "1" * 20}).status_code == 404
    assert staff.get(URL, {"federation": "abc"}).status_code == 404
    assert 'name="federation"' not in staff.get(URL).content.decode()  # a district has nothing to choose


def test_a_bad_period_falls_back_to_this_year_with_the_error_shown(cast, login):
    response = login(cast.users.staff).get(URL, {"year": "20x6", "month": 13})
    assert response.status_code == 200
    assert "请输入年份" in response.content.decode()


def test_the_export_is_every_quote_with_its_value_and_audited(cast, login):
    from openpyxl import load_workbook

    make_membership(cast.district, make_enterprise(cast.district), joined=date(2025, 3, 1))
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="reports.quoted")
    before = exports.count()
    response = login(cast.users.staff).get(URL, {"year": 2025, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["工作报告引用指标"].iter_rows(values_only=True))
    assert list(rows[0]) == [
        "序号", "报告", "引用原文", "报告中的数值", "所需记录", "类别", "平台指标", "指标代码", "统计期间", "本期数值",
        "单位", "说明"]
    assert len(rows) == 93
    enterprise = rows[_number("企业会员316家")]
    assert enterprise[2:4] == ("企业会员316家", "316家")
    assert enterprise[5:11] == ("由记录计算", "企业会员", "members.in_force.enterprise", "2025年", 3, "个")
    coverage = rows[_number("实现河西区对口帮扶的159个贫困村全覆盖")]
    assert coverage[9] == "无数据" and coverage[11].startswith("无数据：")
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[1:] == [("由记录计算", 65), ("外部指标", 14), ("非统计数字", 13), ("合计", 92)]
    assert exports.count() == before + 1
    log = exports.latest("id")
    assert (log.actor_id, log.detail["report"], log.detail["start"]) == (cast.users.staff.pk, "quoted", "2025-01-01")
