"""规章制度 pages: the list by category with the version in force, its export, one rule's page with its history and
the 对比 of two versions, the editors' forms (登记, 修订, 废止, 编辑, 删除 — bad input answered 400 in Chinese, nothing
written), and every page of one rule or version × every role of the cast (readers 200, a refused role 403,
another federation 404)."""

import re
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import Rule, RuleVersion
from shanglian.events.models import Resolution

LIST = reverse("communications:rules")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
READERS = {"admin", "staff", "leader", "chamber1", "chamber2"}
EDITORS = {"admin", "staff"}


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def rule(cast):
    rule = testing.make_rule(cast.district, title="常务委员会工作规则", category="meeting",
                             text="第一条 总则。\n第二条 常委会每半年召开一次。")
    RuleVersion.objects.create(rule=rule, version=2, text="第一条 总则。\n第二条 常委会每季度召开一次。",
                               adopted_by="congress", adopted_on=date(2025, 1, 8), effective_from=date(2025, 2, 1),
                               note="改为每季度召开")
    return rule


def test_readers_list_their_federations_rules_with_the_version_in_force(cast, rule, login):
    testing.make_rule(cast.district, title="财务管理制度", category="finance")
    testing.make_rule(cast.other, title="南开区工商联财务制度", category="finance")
    for role in ("staff", "leader", "chamber1", "chamber2"):
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert count(page) == 2 and "常务委员会工作规则" in page and "第2版" in page and "2025-02-01" in page, role
        assert "会员代表大会" in page and "南开区" not in page, role
    assert "登记制度" in login(cast.users.staff).get(LIST).content.decode()
    assert "登记制度" not in login(cast.users.leader).get(LIST).content.decode()
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403


def test_the_category_tabs_count_and_filter_and_a_day_shows_the_version_then(cast, rule, login):
    testing.make_rule(cast.district, title="财务管理制度", category="finance")
    client = login(cast.users.staff)
    page = client.get(f"{LIST}?category=finance").content.decode()
    assert count(page) == 1 and "财务管理制度" in page and "常务委员会工作规则" not in page
    assert re.search(r"会议制度 <span class=\"tab-count\">1</span>", page)
    page = client.get(f"{LIST}?on=2024-06-01&category=meeting").content.decode()
    assert count(page) == 1 and "第1版" in page and "第2版" not in page
    page = client.get(f"{LIST}?status=bogus").content.decode()
    assert count(page) == 0 and "请选择有效的状态" in page


def test_the_export_has_the_rules_and_their_versions_and_is_audited(cast, rule, login):
    response = login(cast.users.leader).get(reverse("communications:rules_export"))
    book = load_workbook(BytesIO(response.content))
    rules, versions = book["制度"], book["版本"]
    assert [c.value for c in rules[2]][:4] == ["常务委员会工作规则", "会议制度", "现行有效", "第2版"]
    assert [row[1].value for row in versions.iter_rows(min_row=2)] == ["第1版", "第2版"]
    assert AuditEvent.objects.filter(action="export", object_type="communications.rule").exists()


def test_the_rule_page_shows_the_text_in_force_the_history_and_compares_two_versions(cast, rule, login):
    client = login(cast.users.chamber1)
    page = client.get(rule.get_absolute_url()).content.decode()
    assert "每季度召开一次" in page and page.count("data-version") == 2 and "现行" in page
    assert "修订" not in page.split("</h1>")[1].split("</div>")[0]  # a reader has no buttons
    page = client.get(f"{rule.get_absolute_url()}?older=1&newer=2").content.decode()
    assert "删除 1 行，新增 1 行" in page
    assert '<del class="tag-danger">半年</del>' in page and '<ins class="tag-success">季度</ins>' in page
    response = client.get(f"{rule.get_absolute_url()}?older=1&newer=1")
    assert response.status_code == 400 and "请选择两个不同的版本进行对比" in response.content.decode()
    response = client.get(f"{rule.get_absolute_url()}?older=1&newer=9")
    assert response.status_code == 400 and "请选择该制度的版本" in response.content.decode()


def test_the_version_page_shows_its_text_and_links_to_the_comparison(cast, rule, login):
    resolution = Resolution.objects.create(
        event=testing.make_event(cast.district, kind="congress", status="finished",
                                 starts_at=datetime(2025, 1, 8, 9, tzinfo=ZoneInfo("Asia/Shanghai"))),
        title="关于修订常委会工作规则的决议", eligible=100, present=90, votes_for=88, votes_against=1, abstentions=1,
        passed=True, rule="三分之二")
    second = rule.versions.get(version=2)
    second.resolution = resolution
    second.save()
    page = login(cast.users.leader).get(reverse("communications:rule_version", args=[second.pk])).content.decode()
    assert "每季度召开一次" in page and "关于修订常委会工作规则的决议" in page and "与第1版对比" in page
    assert reverse("events:resolution", args=[resolution.pk]) in page


def test_an_editor_registers_revises_and_repeals_a_rule_through_its_pages(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("communications:rule_create"), {
        "title": "执行委员会工作规则", "category": "meeting", "text": "第一条 总则。", "adopted_by": "congress",
        "adopted_on": "2024-01-10", "effective_from": "2024-01-10", "note": ""})
    rule = Rule.objects.get()
    assert response.status_code == 302 and response["Location"] == rule.get_absolute_url()
    page = client.get(reverse("communications:rule_version_create", args=[rule.pk])).content.decode()
    assert "第一条 总则。" in page  # the new version starts from the newest text
    response = client.post(reverse("communications:rule_version_create", args=[rule.pk]), {
        "text": "第一条 总则。\n第二条 新增。", "adopted_by": "executive", "adopted_on": "2025-01-10",
        "effective_from": "2025-02-01", "note": "增加第二条"})
    assert response.status_code == 302 and rule.versions.count() == 2
    response = client.post(reverse("communications:rule_repeal", args=[rule.pk]),
                           {"repealed_on": "2025-06-01", "reason": "被新规则替代"})
    rule.refresh_from_db()
    assert response.status_code == 302 and rule.repealed_on == date(2025, 6, 1)
    response = client.post(reverse("communications:rule_version_create", args=[rule.pk]), {
        "text": "第三版", "adopted_by": "executive", "adopted_on": "2025-07-01", "effective_from": "2025-07-01"})
    assert response.status_code == 400 and "该制度已于 2025-06-01 废止，不能再修订" in response.content.decode()
    response = client.post(reverse("communications:rule_edit", args=[rule.pk]),
                           {"title": "执行委员会议事规则", "category": "meeting"})
    rule.refresh_from_db()
    assert response.status_code == 302 and rule.title == "执行委员会议事规则" and rule.versions.count() == 2


def test_bad_input_on_the_forms_is_answered_in_chinese_and_nothing_is_written(cast, rule, login):
    client = login(cast.users.staff)
    response = client.post(reverse("communications:rule_create"), {
        "title": "常务委员会工作规则", "category": "meeting", "text": "条文", "adopted_by": "chamber_board",
        "adopted_on": "2024-01-10", "effective_from": "2024-01-01"})
    content = response.content.decode()
    assert response.status_code == 400 and "请选择有效的审议通过机构" in content
    response = client.post(reverse("communications:rule_create"), {
        "title": "常务委员会工作规则", "category": "meeting", "text": "条文", "adopted_by": "standing",
        "adopted_on": "2024-01-10", "effective_from": "2024-01-01"})
    content = response.content.decode()
    assert response.status_code == 400 and "本工商联已有同名的制度" in content and "施行日期不能早于通过日期" in content
    response = client.post(reverse("communications:rule_version_create", args=[rule.pk]), {
        "text": "第一条 总则。\n第二条 常委会每季度召开一次。", "adopted_by": "standing", "adopted_on": "2025-03-01",
        "effective_from": "2025-03-01"})
    assert response.status_code == 400 and "条文与第2版相同" in response.content.decode()
    response = client.post(reverse("communications:rule_repeal", args=[rule.pk]), {"repealed_on": "", "reason": ""})
    content = response.content.decode()
    assert response.status_code == 400 and "请填写废止日期" in content and "请填写废止原因" in content
    rule.refresh_from_db()
    assert Rule.objects.count() == 1 and rule.versions.count() == 2 and rule.repealed_on is None


def test_deleting_a_rule_takes_its_versions(cast, rule, login):
    response = login(cast.users.staff).post(reverse("communications:rule_delete", args=[rule.pk]))
    assert response.status_code == 302 and not Rule.objects.exists() and not RuleVersion.objects.exists()


# --- every page of one record × every role ----------------------------------------------------------------------
def _expected(role, *, write):
    if role == "outsider_staff":
        return 404
    allowed = EDITORS if write else READERS
    return 200 if role in allowed else 403


PAGES = [
    ("communications:rule", "rule", False), ("communications:rule_edit", "rule", True),
    ("communications:rule_delete", "rule", True), ("communications:rule_repeal", "rule", True),
    ("communications:rule_version_create", "rule", True), ("communications:rule_version", "version", False),
]
CASES = [(name, target, write, role) for name, target, write in PAGES for role in ROLES]


@pytest.mark.parametrize(("name", "target", "write", "role"), CASES, ids=[f"{n}-{r}" for n, _, _, r in CASES])
def test_every_page_of_one_record_answers_each_role(cast, rule, login, name, target, write, role):
    objects = {"rule": rule, "version": rule.versions.get(version=1)}
    response = login(getattr(cast.users, role)).get(reverse(name, args=[objects[target].pk]))
    assert response.status_code == _expected(role, write=write)


def test_the_leader_posting_a_new_version_is_refused_and_nothing_changes(cast, rule, login):
    response = login(cast.users.leader).post(reverse("communications:rule_version_create", args=[rule.pk]), {
        "text": "新条文", "adopted_by": "standing", "adopted_on": "2025-03-01", "effective_from": "2025-03-01"})
    assert response.status_code == 403 and rule.versions.count() == 2


def test_the_list_keeps_its_query_count_with_more_rows(cast, login):
    client = login(cast.users.staff)
    testing.make_rule(cast.district)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for category in ("charter", "finance", "party", "work", "other"):
        testing.make_rule(cast.district, category=category)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)
