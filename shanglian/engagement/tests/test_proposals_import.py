"""议案提案导入 (imports/proposals.py on the one Excel pipeline, its pages and its command): a good file adds its
proposals at the states they reached and the figures move by as many; each bad row is named with its Excel row,
its column and a Chinese reason, and nothing at all is written; importing the same file twice adds nothing; only the
editors import, each into its own scope."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.engagement.imports.proposals import ProposalImportSpec, import_proposals, import_template
from shanglian.engagement.models import Proposal, ProposalLog
from shanglian.ui.figures import compute

S = Proposal.Status
HEADERS = ["年度*", "类别*", "标题*", "会议/届次", "主题", "提交人", "以组织名义提交", "提交对象", "状态*", "承办部门",
           "提交日期", "立案日期", "答复日期", "采纳结果日期", "答复意见", "转化的实际举措", "未采纳原因", "正文"]


def row(**cells):
    keys = [h.rstrip("*") for h in HEADERS]
    assert not set(cells) - set(keys), set(cells) - set(keys)
    return [cells.get(key, "") for key in keys]


def xlsx(rows):
    return testing.xlsx_of(HEADERS, rows, title="议案提案")


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="议案提案.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


def good_rows(cast):
    return [
        row(年度=2023, 类别="提案", 标题="关于优化民营企业融资环境的提案", **{"会议/届次": "区政协十六届二次会议"}, 主题="融资与金融服务",
            提交人="王建国", 提交对象="区政协", 状态="已采纳", 承办部门="区税务局", 提交日期="2023-01-10",
            立案日期="2023/1/20", 答复日期="2023年6月30日", 采纳结果日期=date(2023, 9, 15), 答复意见="已会同有关部门研究。",
            转化的实际举措="区政府设立民营企业应急转贷资金"),
        row(年度=2024, 类别="建议", 标题="关于减轻小微企业税费负担的建议", 以组织名义提交="工商联", 状态="未采纳",
            提交日期="2024-01-08", 未采纳原因="已有政策覆盖"),
        row(年度=2024, 类别="社情民意信息", 标题="关于街道商会服务站建设的社情民意", 以组织名义提交=cast.chamber1.name,
            状态="已提交", 提交日期="2024-03-01"),
        row(年度=2025, 类别="提案", 标题="关于支持新生代企业家成长的提案", 提交人="王建国、陈浙江", 主题="人才与用工",
            状态="办理中", 承办部门="区人社局", 提交日期="2025-01-12", 立案日期="2025-01-20"),
    ]


def test_a_good_file_adds_its_proposals_at_their_states_and_the_figures_move(cast, upload):
    staff = cast.users.staff
    before = compute("engagement.proposals", user=staff, period=Period.year(2024)).value
    report = import_proposals(actor=staff, path=upload(good_rows(cast)))
    assert report.committed and report.summary == "共 4 条，成功 4 条，失败 0 条"
    assert (report.created, report.updated) == (4, 0)
    assert compute("engagement.proposals", user=staff, period=Period.year(2024)).value == before + 2

    adopted = Proposal.objects.get(title="关于优化民营企业融资环境的提案")
    assert (adopted.status, adopted.year, adopted.kind, adopted.federation) == (S.ADOPTED, 2023, "proposal",
                                                                               cast.district)
    assert list(adopted.submitters.all()) == [cast.person1] and adopted.department == cast.dept1
    assert (adopted.submitted_on, adopted.registered_on, adopted.replied_on, adopted.decided_on) == (
        date(2023, 1, 10), date(2023, 1, 20), date(2023, 6, 30), date(2023, 9, 15))
    assert adopted.measure == "区政府设立民营企业应急转贷资金" and adopted.topic.label == "融资与金融服务"
    assert adopted.number.startswith(f"TA{timezone.localdate():%Y%m%d}")
    declined = Proposal.objects.get(title="关于减轻小微企业税费负担的建议")
    assert (declined.status, declined.body, declined.decline_reason) == (S.NOT_ADOPTED, "federation", "已有政策覆盖")
    opinion = Proposal.objects.get(title="关于街道商会服务站建设的社情民意")
    assert (opinion.body, opinion.chamber) == ("chamber", cast.chamber1)
    handling = Proposal.objects.get(title="关于支持新生代企业家成长的提案")
    assert set(handling.submitters.all()) == {cast.person1, cast.person2} and handling.department == cast.dept2
    step = ProposalLog.objects.get(proposal=handling)
    assert (step.action, step.action_label, step.to_status) == ("import", "导入历年记录", S.HANDLING)
    audit = AuditEvent.objects.get(action="import", object_type="engagement.proposal")
    assert audit.detail["created"] == 4 and audit.detail["total"] == 4


def test_each_bad_row_gets_a_chinese_reason_and_nothing_is_written(cast, upload):
    testing.make_person(cast.district, name="李同名")
    testing.make_person(cast.district, name="李同名")
    testing.make_proposal(cast.district, year=2022, title="关于已有的提案", submitters=[cast.person1])
    chamber_other = testing.make_chamber(cast.other, name="南开区商会")
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = [
        *good_rows(cast),
        row(年度=2024, 类别="提案", 标题="无人提交", 状态="已提交"),  # 6
        row(年度=2024, 类别="提案", 标题="查无此人", 提交人="赵六", 状态="已提交"),  # 7
        row(年度=2024, 类别="提案", 标题="外区商会", 以组织名义提交=chamber_other.name, 状态="已提交"),  # 8
        row(年度=2024, 类别="提案", 标题="已采纳没有举措", 提交人="王建国", 状态="已采纳"),  # 9
        row(年度=2024, 类别="提案", 标题="立案却有答复日期", 提交人="王建国", 状态="已立案", 答复日期="2024-05-01"),  # 10
        row(年度=2024, 类别="提案", 标题="未来的提交日期", 提交人="王建国", 状态="已提交", 提交日期=tomorrow),  # 11
        row(年度=2024, 类别="提案", 标题="立案早于提交", 提交人="王建国", 状态="已立案", 提交日期="2024-03-01",
            立案日期="2024-02-01"),  # 12
        row(年度=2024, 类别="提案", 标题="状态有误", 提交人="王建国", 状态="已通过"),  # 13
        row(年度=2024, 类别="提案", 标题="办理中没有部门", 提交人="王建国", 状态="办理中"),  # 14
        row(年度=2024, 类别="提案", 标题="没有的部门", 提交人="王建国", 状态="办理中", 承办部门="区外事办"),  # 15
        row(年度=2023, 类别="提案", 标题="关于优化民营企业融资环境的提案", 提交人="王建国", 状态="已提交"),  # 16
        row(年度=2022, 类别="提案", 标题="关于已有的提案", 提交人="王建国", 状态="已提交"),  # 17
        row(年度=2024, 类别="提案", 标题="同名人员", 提交人="李同名", 状态="已提交"),  # 18
        row(年度=1980, 类别="议题", 标题="", 状态="已提交", 提交人="王建国"),  # 19
    ]
    before = (Proposal.objects.count(), ProposalLog.objects.count())
    report = import_proposals(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and report.summary == "共 18 条，成功 4 条，失败 14 条"
    assert (Proposal.objects.count(), ProposalLog.objects.count()) == before
    assert not AuditEvent.objects.filter(action="import").exists()
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert reasons[(6, "提交人")] == "请至少选择一位提交人，或选择以工商联、商会名义提交"
    assert reasons[(7, "提交人")] == "找不到名为“赵六”的人员，或其不在您的管理范围内"
    assert reasons[(8, "以组织名义提交")] == "应为“工商联”或商会名称；找不到名为“南开区商会”的商会，或其不在您的管理范围内"
    assert reasons[(9, "答复意见")] == "状态为“已采纳”时须填写答复意见"
    assert reasons[(9, "转化的实际举措")] == "状态为“已采纳”时须填写转化的实际举措"
    assert reasons[(10, "答复日期")] == "状态为“已立案”时不应填写答复日期"
    assert reasons[(11, "提交日期")] == "提交日期不能晚于今天"
    assert reasons[(12, "立案日期")] == "立案日期不能早于提交日期（2024-03-01）"
    assert reasons[(13, "状态")].startswith("应为以下之一：草拟、已提交、已立案")
    assert reasons[(14, "承办部门")] == "状态为“办理中”时须填写承办部门"
    assert reasons[(15, "承办部门")] == "找不到名为“区外事办”的承办部门，或其不在您的管理范围内"
    assert reasons[(16, "")] == "与第 2 行重复"
    assert reasons[(17, "标题")].startswith("本工商联已有 2022 年度同标题的议案提案（编号 TA")
    assert reasons[(18, "提交人")] == "有多位名为“李同名”的人员，请导入后在议案提案页面选择提交人"
    assert reasons[(19, "类别")].startswith("应为以下之一：议案、提案、建议、社情民意信息")
    assert reasons[(19, "标题")] == "不能为空"
    assert reasons[(19, "年度")] == f"年度应在 1990 年至 {timezone.localdate().year + 1} 年之间"


def test_valid_only_writes_the_good_rows_and_a_second_import_adds_nothing(cast, upload):
    path = upload([*good_rows(cast), row(年度=2024, 类别="提案", 标题="无人提交", 状态="已提交")])
    report = import_proposals(actor=cast.users.staff, path=path, valid_only=True)
    assert report.committed and (report.created, report.failed) == (4, 1)
    total = Proposal.objects.count()
    again = import_proposals(actor=cast.users.staff, path=path, valid_only=True)
    assert not again.committed and again.failed == 5 and Proposal.objects.count() == total


def test_only_the_editors_import_and_a_chamber_is_not_found_outside_the_scope(cast, upload):
    for role in ("leader", "chamber1", "dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            ProposalImportSpec(actor=getattr(cast.users, role))
    report = import_proposals(actor=cast.users.outsider_staff, path=upload(good_rows(cast)), dry_run=True)
    # another federation: none of the district's persons, chambers or departments; only the row of 工商联 passes
    assert report.failed == 3 and {e.row for e in report.errors} == {2, 4, 5}


def test_the_template_and_the_pages(cast, login, upload, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    template = load_workbook(io.BytesIO(import_template(actor=cast.users.staff)))
    assert [c.value for c in template.worksheets[0][1]][:3] == ["*年度", "*类别", "*标题"]
    client = login(cast.users.staff)
    assert client.get(reverse("engagement:proposal_import")).status_code == 200
    assert client.get(reverse("engagement:proposal_import_template")).status_code == 200
    assert login(cast.users.leader).get(reverse("engagement:proposal_import")).status_code == 403
    client = login(cast.users.staff)
    upload_file = SimpleUploadedFile("议案提案.xlsx", xlsx(good_rows(cast)))
    response = client.post(reverse("engagement:proposal_import"), {"file": upload_file})
    assert response.status_code == 302
    job_url = response["Location"]
    assert "共 4 条，成功 4 条，失败 0 条" in client.get(job_url).content.decode()
    assert not Proposal.objects.filter(title="关于优化民营企业融资环境的提案").exists()  # checked, not written
    job_id = job_url.rstrip("/").split("/")[-1]
    client.post(reverse("engagement:proposal_import_commit", args=[job_id]))
    assert Proposal.objects.filter(title="关于优化民营企业融资环境的提案").exists()
    other = login(testing.make_user("staff", username="staff2", federation=cast.district))
    assert other.get(job_url).status_code == 404  # a job is its uploader's


def test_the_command_imports_or_refuses(cast, upload):
    bad = upload([row(年度=2024, 类别="提案", 标题="无人提交", 状态="已提交")], name="bad.xlsx")
    with pytest.raises(CommandError, match="1 行校验失败"):
        call_command("import_proposals", str(bad), "--user", "staff")
    call_command("import_proposals", str(upload(good_rows(cast))), "--user", "staff")
    assert Proposal.objects.filter(title="关于支持新生代企业家成长的提案").exists()
