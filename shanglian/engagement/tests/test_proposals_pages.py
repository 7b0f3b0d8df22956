"""议案提案 pages: the list and its filters and export in each user's scope (a chamber sees only its own), one
proposal's page with the workflow's buttons, the steps taken from it, 新增/编辑/删除 with their refusals, another
scope's proposal (404, audited, nothing changed) and the editors' 待办."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.common.records import snapshot
from shanglian.engagement.models import Proposal, ProposalLog
from shanglian.ui.todos import todos_for

S = Proposal.Status
LIST = reverse("engagement:proposals")


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def book(cast):
    finance = DictItem.objects.get(kind="proposal_topic", code="finance")
    return {
        "mine": testing.make_proposal(cast.district, year=2024, status=S.REPLIED, submitters=[cast.person1],
                                      title="关于设立民营企业应急转贷资金的提案", topic=finance, department=cast.dept1),
        "chamber1": testing.make_proposal(cast.district, year=2024, status=S.ADOPTED, body="chamber",
                                          chamber=cast.chamber1, title="关于街道商会参与基层治理的建议",
                                          kind="suggestion", measure="街道设立商会服务站"),
        "chamber2": testing.make_proposal(cast.district, year=2023, status=S.NOT_ADOPTED, submitters=[cast.person2],
                                          title="关于浙商回归项目用地的提案", decline_reason="用地指标不足"),
        "fed": testing.make_proposal(cast.district, year=2025, status=S.DRAFT, body="federation",
                                     title="关于民营经济发展环境的社情民意", kind="opinion"),
        "other": testing.make_proposal(cast.other, year=2024, status=S.SUBMITTED, body="federation",
                                       title="南开区的提案"),
    }


def test_the_federation_lists_its_proposals_and_a_chamber_only_its_own(cast, book, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert count(page) == 4 and "南开区的提案" not in page
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(page) == 2 and "应急转贷资金" in page and "街道商会参与" in page and "浙商回归" not in page
    assert "新增议案提案" not in page and "导入" not in page  # a chamber reads
    page = login(cast.users.chamber2).get(LIST).content.decode()
    assert count(page) == 1 and "浙商回归" in page
    assert login(cast.users.leader).get(LIST).status_code == 200
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403


@pytest.mark.parametrize(("query", "expected"), [
    ("year=2024", {"mine", "chamber1"}),
    ("kind=suggestion", {"chamber1"}),
    ("status=replied", {"mine"}),
    ("status=filed", {"mine", "chamber1", "chamber2"}),
    ("outcome=decided", {"chamber1", "chamber2"}),
    ("outcome=measure", {"chamber1"}),
    ("body=federation", {"fed"}),
    ("body=chamber", {"chamber1"}),
    ("q=转贷", {"mine"}),
    ("q=陈浙江", {"chamber2"}),
], ids=["year", "kind", "status", "filed", "decided", "measure", "federation", "chamber", "title", "submitter-name"])
def test_the_list_filters(cast, book, login, query, expected):
    page = login(cast.users.staff).get(f"{LIST}?{query}").content.decode()
    assert count(page) == len(expected)
    for key, proposal in book.items():
        assert (proposal.number in page) == (key in expected), key


def test_the_list_filters_by_topic_submitter_chamber_and_department(cast, book, login):
    client = login(cast.users.staff)
    finance = DictItem.objects.get(kind="proposal_topic", code="finance")
    for query, number in ((f"topic={finance.pk}", book["mine"].number), (f"submitter={cast.person2.pk}",
                                                                         book["chamber2"].number),
                          (f"chamber={cast.chamber1.pk}", book["chamber1"].number),
                          (f"department={cast.dept1.pk}", book["mine"].number)):
        page = client.get(f"{LIST}?{query}").content.decode()
        assert count(page) == 1 and number in page, query


def test_a_filter_of_another_scope_is_refused_in_chinese_not_a_server_error(cast, book, login):
    person_other = testing.make_person(cast.other, name="刘南开")
    response = login(cast.users.staff).get(f"{LIST}?submitter={person_other.pk}&chamber=99999999999999999999")
    assert response.status_code == 200
    page = response.content.decode()
    assert "所选人员不存在或不在您的管理范围内" in page and "所选商会不存在或不在您的查看范围内" in page


def test_a_year_older_than_ten_years_lists_exactly_that_years_proposals(cast, book, login):
    old = testing.make_proposal(cast.district, year=2010, status=S.ADOPTED, body="federation",
                                title="关于扶持中小企业发展的提案")
    page = login(cast.users.staff).get(f"{LIST}?year=2010&status=filed").content.decode()
    assert count(page) == 1 and old.number in page
    assert not any(proposal.number in page for proposal in book.values())


def _next_year_but_one():
    return timezone.localdate().year + 2


@pytest.mark.parametrize(("query", "message"), [
    ("year=1900", "年度应在 1990 年至"),
    (f"year={_next_year_but_one()}", "年度应在 1990 年至"),
    ("year=abc", "年度应为四位数字"),
    ("kind=nonsense", "不在可用的选项中"),
    ("status=filed&outcome=unknown", "不在可用的选项中"),
], ids=["too-early", "too-late", "not-a-number", "kind", "outcome"])
def test_an_invalid_search_lists_nothing_and_says_why_in_chinese(cast, book, login, query, message):
    client = login(cast.users.staff)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert count(page) == 0 and message in page and "搜索条件有误" in page
    assert not any(proposal.number in page for proposal in book.values())
    table = client.get(f"{LIST}?{query}", headers={"HX-Request": "true"}).content.decode()  # refreshed in place
    assert "搜索条件有误" in table and message in table and "共 0 条" in table


def test_an_export_asked_with_an_invalid_search_exports_nothing(cast, book, login):
    client = login(cast.users.staff)
    response = client.get(reverse("engagement:proposals_export") + "?year=1900")
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=1900"
    page = client.get(response["Location"]).content.decode()
    assert "搜索条件有误，请修改后再导出。" in page and "年度应在 1990 年至" in page and count(page) == 0
    assert not AuditEvent.objects.filter(action="export", object_type="engagement.proposal").exists()


def test_the_export_is_the_filtered_list_and_is_audited(cast, book, login):
    response = login(cast.users.chamber1).get(reverse("engagement:proposals_export") + "?year=2024")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                     else response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "年度", "类别", "标题")
    assert sorted(row[0] for row in rows[1:]) == sorted([book["mine"].number, book["chamber1"].number])
    measure = next(row for row in rows[1:] if row[0] == book["chamber1"].number)
    assert "街道设立商会服务站" in measure
    assert AuditEvent.objects.filter(action="export", object_type="engagement.proposal",
                                     username="chamber1").count() == 1


# --- one proposal ----------------------------------------------------------------------------------------
def test_the_page_shows_the_reply_measure_timeline_and_the_buttons_of_its_state(cast, book, login):
    proposal = book["mine"]
    ProposalLog.objects.create(proposal=proposal, at=timezone.now(), actor_name="工作人员", action="record_reply",
                               action_label="登记答复", from_status=S.HANDLING, to_status=S.REPLIED,
                               note="已会同金融局研究")
    url = reverse("engagement:proposal", args=[proposal.pk])
    page = login(cast.users.staff).get(url).content.decode()
    assert "登记答复" in page and "已会同金融局研究" in page and "王建国" in page
    for slug in ("adopt", "decline"):  # 已答复: 采纳 or 未采纳
        assert reverse("engagement:proposal_transition", args=[proposal.pk, slug]) in page
    assert reverse("engagement:proposal_transition", args=[proposal.pk, "submit"]) not in page
    page = login(cast.users.leader).get(url).content.decode()
    assert "王建国" in page and "/do/" not in page and "编辑</a>" not in page  # a leader reads
    adopted = login(cast.users.chamber1).get(reverse("engagement:proposal", args=[book["chamber1"].pk]))
    assert "街道设立商会服务站" in adopted.content.decode()


def test_another_scopes_proposal_is_404_audited_and_unchanged(cast, book, login):
    theirs = book["chamber2"]
    client = login(cast.users.chamber1)
    assert client.get(reverse("engagement:proposal", args=[theirs.pk])).status_code == 404
    denied = AuditEvent.objects.filter(action="denied").latest("id")
    assert (denied.username, denied.object_type, denied.object_id) == ("chamber1", "engagement.proposal",
                                                                       str(theirs.pk))
    staff_other = login(cast.users.outsider_staff)
    before = snapshot(book["mine"])
    for name, method in (("proposal", "get"), ("proposal_edit", "get"), ("proposal_delete", "post")):
        response = getattr(staff_other, method)(reverse(f"engagement:{name}", args=[book["mine"].pk]))
        assert response.status_code == 404, name
    response = staff_other.post(reverse("engagement:proposal_transition", args=[book["mine"].pk, "adopt"]),
                                {"measure": "外区举措"})
    assert response.status_code == 404
    assert snapshot(Proposal.objects.get(pk=book["mine"].pk)) == before


def test_a_step_is_taken_from_the_page(cast, book, login):
    proposal = book["mine"]
    client = login(cast.users.staff)
    url = reverse("engagement:proposal_transition", args=[proposal.pk, "adopt"])
    response = client.post(url, {"measure": "区政府设立应急转贷资金", "decided_on": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.ADOPTED and proposal.measure == "区政府设立应急转贷资金"
    assert proposal.decided_on == timezone.localdate()
    page = client.get(response["Location"]).content.decode()
    assert "采纳成功" in page


def test_a_bad_step_is_shown_on_its_form_and_nothing_changes(cast, book, login):
    proposal = book["mine"]
    client = login(cast.users.staff)
    before = snapshot(proposal), ProposalLog.objects.count()
    url = reverse("engagement:proposal_transition", args=[proposal.pk, "adopt"])
    response = client.post(url, {"measure": ""})
    assert response.status_code == 400 and "请填写该意见建议转化成的实际举措" in response.content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(url, {"measure": "举措", "decided_on": tomorrow})
    assert response.status_code == 400 and "采纳结果日期不能晚于今天" in response.content.decode()
    response = client.post(reverse("engagement:proposal_transition", args=[proposal.pk, "submit"]), {})
    assert response.status_code == 302  # a step the state does not allow: said, nothing done
    assert "不能提交" in client.get(response["Location"]).content.decode()
    assert client.post(reverse("engagement:proposal_transition", args=[proposal.pk, "nothing"])).status_code == 404
    assert login(cast.users.leader).post(url, {"measure": "举措"}).status_code == 403
    assert (snapshot(Proposal.objects.get(pk=proposal.pk)), ProposalLog.objects.count()) == before


# --- create, edit, delete ------------------------------------------------------------------------------------
def test_a_proposal_is_created_from_the_form(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("engagement:proposal_create"), {
        "kind": "proposal", "title": "关于支持新生代企业家成长的提案", "year": timezone.localdate().year,
        "body": "", "submitter_1": cast.person1.pk, "submitter_2": cast.person2.pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="关于支持新生代企业家成长的提案")
    assert proposal.status == S.DRAFT and set(proposal.submitters.all()) == {cast.person1, cast.person2}
    assert response["Location"] == reverse("engagement:proposal", args=[proposal.pk])


def test_a_past_years_proposal_is_recorded_from_the_form_and_a_year_out_of_range_is_refused(cast, login):
    client = login(cast.users.staff)
    data = {"kind": "proposal", "title": "关于优化营商环境的提案", "body": "federation"}
    assert client.post(reverse("engagement:proposal_create"), {**data, "year": 2012}).status_code == 302
    assert Proposal.objects.get(title="关于优化营商环境的提案").year == 2012
    response = client.post(reverse("engagement:proposal_create"), {**data, "title": "年度有误的提案", "year": 1900})
    assert response.status_code == 400 and "年度应在 1990 年至" in response.content.decode()
    assert not Proposal.objects.filter(title="年度有误的提案").exists()


def test_a_proposal_without_a_submitter_is_refused_on_the_form_and_nothing_is_written(cast, login):
    client = login(cast.users.staff)
    before = Proposal.objects.count()
    response = client.post(reverse("engagement:proposal_create"), {
        "kind": "proposal", "title": "无人提交的提案", "year": timezone.localdate().year, "body": ""})
    assert response.status_code == 400
    assert "请至少选择一位提交人，或选择以工商联、商会名义提交。" in response.content.decode()
    assert Proposal.objects.count() == before


def test_the_form_refuses_a_person_of_another_scope(cast, login):
    person_other = testing.make_person(cast.other, name="刘南开")
    response = login(cast.users.staff).post(reverse("engagement:proposal_create"), {
        "kind": "proposal", "title": "外区人员的提案", "year": timezone.localdate().year, "submitter_1": person_other.pk})
    assert response.status_code == 400 and "所选人员不存在或不在您的管理范围内" in response.content.decode()
    assert not Proposal.objects.filter(title="外区人员的提案").exists()


def test_a_proposal_is_edited_until_it_is_decided(cast, book, login):
    client = login(cast.users.staff)
    proposal = book["mine"]
    url = reverse("engagement:proposal_edit", args=[proposal.pk])
    form = client.get(url).content.decode()
    assert "关于设立民营企业应急转贷资金的提案" in form and "王建国" in form
    response = client.post(url, {"kind": "proposal", "title": "关于设立应急转贷资金的提案", "year": 2024,
                                 "submitter_1": cast.person1.pk, "body": ""})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).title == "关于设立应急转贷资金的提案"
    decided = book["chamber1"]
    response = client.get(reverse("engagement:proposal_edit", args=[decided.pk]))
    assert response.status_code == 302
    assert "不能再修改" in client.get(response["Location"]).content.decode()
    assert login(cast.users.chamber1).get(reverse("engagement:proposal_edit", args=[decided.pk])).status_code == 403


def test_a_draft_is_deleted_after_confirmation_and_a_submitted_one_is_not(cast, book, login):
    client = login(cast.users.staff)
    draft = book["fed"]
    url = reverse("engagement:proposal_delete", args=[draft.pk])
    assert f"确定删除议案提案“{draft}”吗？" in client.get(url).content.decode()
    assert Proposal.objects.filter(pk=draft.pk).exists()  # asking deleted nothing
    assert client.post(url).status_code == 302
    assert not Proposal.objects.filter(pk=draft.pk).exists()
    submitted = book["mine"]
    response = client.post(reverse("engagement:proposal_delete", args=[submitted.pk]))
    assert response.status_code == 302 and Proposal.objects.filter(pk=submitted.pk).exists()


# --- the 待办 -------------------------------------------------------------------------------------------------
def test_the_editors_are_shown_the_proposals_awaiting_a_decision_and_the_link_lists_exactly_them(cast, book, login):
    testing.make_proposal(cast.district, status=S.REPLIED, submitters=[cast.person2])
    todo = next(t for t in todos_for(cast.users.staff) if "采纳结果" in t.label)
    assert todo.count == 2
    page = login(cast.users.staff).get(todo.url).content.decode()
    assert count(page) == 2
    for role in ("leader", "chamber1", "dept1"):
        assert not any("采纳结果" in t.label for t in todos_for(getattr(cast.users, role)))
