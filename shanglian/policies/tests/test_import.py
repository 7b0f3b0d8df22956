"""The policy import (imports.PolicyImportSpec on the Excel pipeline, import pages, management command):
a good file commits exactly and pushes nothing, a bad file names Excel rows and Chinese reasons and
changes nothing, a second import of the same file changes nothing either."""

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
from shanglian.common.models import DictItem, ImportJob
from shanglian.notifications.models import Notification
from shanglian.policies.imports import import_policies
from shanglian.policies.models import Policy, PolicyDelivery, PolicyIndustry, PolicyPackage

HEADERS = ["政策名称*", "发布部门*", "文号", "发布日期", "生效日期", "失效日期", "惠企类型*", "政策摘要", "政策全文",
           "申报方式", "咨询电话", "免申即享", "适用行业", "企业规模", "企业类型", "街道", "限高新技术企业",
           "从业人数下限", "从业人数上限", "成立年限下限", "成立年限上限", "限会员", "服务包", "状态"]
MODELS = (Policy, PolicyIndustry, PolicyPackage, PolicyPackage.policies.through, PolicyDelivery)


def policy(**cells):
    """One row; keys are the headers without "*"."""
    keys = [h.rstrip("*") for h in HEADERS]
    assert not set(cells) - set(keys), set(cells) - set(keys)
    return [cells.get(key, "") for key in keys]


def good_rows():
    return [
        policy(政策名称="河西区支持科技型中小企业发展若干措施", 发布部门="区税务局", 文号="河西科发〔2026〕8号",
               发布日期="2026-03-05", 生效日期="2026/4/1", 失效日期="2028年3月31日", 惠企类型="科技创新",
               政策摘要="对科技型中小企业给予研发补助。", 政策全文="第一条 为支持科技型中小企业发展……",
               申报方式="登录政务服务网在线申报", 咨询电话="022-28011234", 免申即享="否", 适用行业="C，6513、I",
               企业规模="小型,微型", 企业类型="私营企业", 街道="友谊路街道", 限高新技术企业="是", 从业人数下限=5.0,
               从业人数上限="300", 成立年限下限="1", 成立年限上限="10", 限会员="否",
               服务包="科技创新服务包，专精特新服务包", 状态="已发布"),
        policy(政策名称="失业保险稳岗返还", 发布部门="天津市河西区人社局全称", 惠企类型="稳岗就业", 免申即享="是",
               服务包="稳岗就业服务包"),
        policy(政策名称="个体工商户贷款贴息", 发布部门="区人社局", 文号="河西人社发〔2025〕3号", 惠企类型="融资支持",
               企业类型="个体工商户,私营企业", 限会员="是"),
    ]


def xlsx(rows, *, headers=HEADERS):
    return testing.xlsx_of(headers, rows, title="惠企政策")


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="policies.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


@pytest.fixture
def district(cast):
    cast.dept2.short_name = "区人社局"
    cast.dept2.name = "天津市河西区人社局全称"
    cast.dept2.save()
    return cast


def snapshot():
    state = {}
    for model in MODELS:
        fields = [f.attname for f in model._meta.concrete_fields]
        state[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    return state


def test_good_file_commits_every_column_and_pushes_nothing(district, upload):
    cast = district
    report = import_policies(actor=cast.users.staff, path=upload(good_rows()))
    assert report.summary == "共 3 条，成功 3 条，失败 0 条" and report.committed
    assert (report.created, report.updated) == (3, 0)

    tech = Policy.objects.get(document_number="河西科发〔2026〕8号")
    assert tech.federation == cast.district and tech.department == cast.dept1 and tech.created_by == cast.users.staff
    assert (tech.published_on, tech.effective_from, tech.expires_on) == (date(2026, 3, 5), date(2026, 4, 1),
                                                                         date(2028, 3, 31))
    assert tech.benefit_type.label == "科技创新" and tech.status == Policy.Status.PUBLISHED
    assert tech.summary == "对科技型中小企业给予研发补助。" and tech.contact == "022-28011234"
    assert sorted(tech.industries.values_list("prefix", flat=True)) == ["6513", "C", "I"]
    assert tech.size_list == ["micro", "small"] and tech.enterprise_type_list == ["private"]
    assert tech.street_ids == [cast.street.pk] and tech.high_tech_required and not tech.members_only
    assert (tech.min_employees, tech.max_employees, tech.min_registered_years, tech.max_registered_years) == (
        5, 300, 1, 10)
    assert sorted(tech.packages.values_list("name", flat=True)) == ["专精特新服务包", "科技创新服务包"]
    assert tech.pushed_at is None

    jobs = Policy.objects.get(title="失业保险稳岗返还")
    assert jobs.department == cast.dept2 and jobs.is_automatic and jobs.status == Policy.Status.DRAFT
    assert jobs.document_number == "" and jobs.published_on is None and not jobs.industries.exists()
    loan = Policy.objects.get(document_number="河西人社发〔2025〕3号")
    assert loan.department == cast.dept2  # by its short name
    assert loan.enterprise_type_list == ["individual", "private"] and loan.members_only
    assert PolicyPackage.objects.filter(federation=cast.district).count() == 3

    # Published, but never pushed: no delivery, no message, one audit record for the whole import.
    assert not PolicyDelivery.objects.exists() and not Notification.objects.exists()
    events = AuditEvent.objects.filter(action="import", object_type="policies.policy")
    assert events.count() == 1
    assert events.get().detail | {} == {"total": 3, "succeeded": 3, "failed": 0, "created": 3, "updated": 0,
                                        "published": 1, "valid_only": False, "pushed": 0}


def test_bad_rows_are_reported_with_excel_rows_and_reasons_and_nothing_is_written(district, upload):
    cast = district
    rows = [
        *good_rows(),
        policy(政策名称="未知部门的政策", 发布部门="区外星局", 惠企类型="资金补贴"),
        policy(政策名称="行业代码有误", 发布部门="区税务局", 惠企类型="资金补贴", 适用行业="C,9999,Z"),
        policy(政策名称="人数范围颠倒", 发布部门="区税务局", 惠企类型="资金补贴", 从业人数下限="50", 从业人数上限="10"),
        policy(政策名称="年限范围颠倒", 发布部门="区税务局", 惠企类型="资金补贴", 成立年限下限="8", 成立年限上限="3"),
        policy(政策名称="失效早于生效", 发布部门="区税务局", 惠企类型="资金补贴", 生效日期="2026-05-01",
               失效日期="2026-04-30"),
        policy(发布部门="区税务局", 惠企类型="资金补贴"),
        policy(政策名称="规模与街道有误", 发布部门="区税务局", 惠企类型="资金补贴", 企业规模="小型,巨型", 街道="火星街道",
               企业类型="国有企业"),
        policy(政策名称="类型有误", 发布部门="区税务局", 惠企类型="天降横财", 免申即享="也许"),
        policy(政策名称="过期仍要发布", 发布部门="区税务局", 惠企类型="资金补贴", 失效日期="2020-01-01", 状态="已发布"),
        policy(政策名称="与第二行同一文号", 发布部门="区税务局", 文号="河西科发〔2026〕8号", 惠企类型="资金补贴"),
    ]
    before = snapshot()
    report = import_policies(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and report.summary == "共 13 条，成功 3 条，失败 10 条"
    assert snapshot() == before and not AuditEvent.objects.filter(action="import").exists()
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert reasons[(5, "发布部门")] == "本工商联没有名为“区外星局”的职能部门"
    assert "9999" in reasons[(6, "适用行业")] and "Z" in reasons[(6, "适用行业")]
    assert "C" not in reasons[(6, "适用行业")].split("：")[1].split("（")[0]
    assert reasons[(7, "从业人数下限")] == "从业人数下限不能大于上限"
    assert reasons[(8, "成立年限下限")] == "成立年限下限不能大于上限"
    assert reasons[(9, "失效日期")] == "失效日期不能早于生效日期"
    assert reasons[(10, "政策名称")] == "不能为空"
    assert reasons[(11, "企业规模")] == "“巨型”不是企业规模，应为大型、中型、小型、微型"
    assert reasons[(11, "街道")] == "本工商联没有名为“火星街道”的街道（镇）"
    assert reasons[(11, "企业类型")].startswith("数据字典中没有企业类型“国有企业”")
    assert reasons[(12, "惠企类型")].startswith("应为以下之一：资金补贴、税费减免")
    assert reasons[(12, "免申即享")] == "应填写“是”或“否”"
    assert reasons[(13, "状态")] == "失效日期 2020-01-01 已过，不能导入为已发布（可导入为草稿）"
    assert reasons[(14, "")] == "与第 2 行重复"
    assert str(report.errors[0]) == "第 5 行【发布部门】本工商联没有名为“区外星局”的职能部门"


def test_valid_only_imports_the_good_rows_and_keeps_the_others_out(district, upload):
    rows = [*good_rows(), policy(政策名称="未知部门的政策", 发布部门="区外星局", 惠企类型="资金补贴")]
    report = import_policies(actor=district.users.staff, path=upload(rows), valid_only=True)
    assert report.committed and (report.created, report.failed) == (3, 1)
    assert not Policy.objects.filter(title="未知部门的政策").exists()


def test_importing_the_same_file_again_changes_nothing(district, upload):
    path = upload(good_rows())
    import_policies(actor=district.users.staff, path=path)
    before = snapshot()
    report = import_policies(actor=district.users.staff, path=path)
    assert report.committed and report.succeeded == 3 and (report.created, report.updated) == (0, 0)
    assert snapshot() == before  # updated_at included: unchanged rows are not written


def test_reimport_updates_by_document_number_or_by_title_and_department(district, upload):
    cast = district
    import_policies(actor=cast.users.staff, path=upload(good_rows()))
    tech = Policy.objects.get(document_number="河西科发〔2026〕8号")
    jobs = Policy.objects.get(title="失业保险稳岗返还")
    rows = [
        policy(政策名称="河西区支持科技型中小企业发展若干措施修订版", 发布部门="区税务局", 文号="河西科发〔2026〕8号",
               惠企类型="科技创新", 政策摘要="修订后的摘要。", 适用行业="65"),
        policy(政策名称="失业保险稳岗返还", 发布部门="区人社局", 惠企类型="稳岗就业", 咨询电话="022-12345678"),
    ]
    report = import_policies(actor=cast.users.staff, path=upload(rows, name="second.xlsx"))
    assert (report.created, report.updated) == (0, 2)
    tech.refresh_from_db()
    jobs.refresh_from_db()
    assert tech.title.endswith("修订版") and tech.summary == "修订后的摘要。"
    assert list(tech.industries.values_list("prefix", flat=True)) == ["65"]  # a given list replaces
    # Empty cells keep what is stored: dates, conditions, packages, status.
    assert tech.expires_on == date(2028, 3, 31) and tech.size_list == ["micro", "small"]
    assert tech.high_tech_required and tech.status == Policy.Status.PUBLISHED
    assert tech.packages.count() == 2 and tech.full_text.startswith("第一条")
    assert jobs.contact == "022-12345678" and jobs.is_automatic
    assert Policy.objects.count() == 3


def test_a_published_policy_is_not_turned_back_into_a_draft(district, upload):
    import_policies(actor=district.users.staff, path=upload(good_rows()))
    rows = [policy(政策名称="河西区支持科技型中小企业发展若干措施", 发布部门="区税务局", 文号="河西科发〔2026〕8号",
                   惠企类型="科技创新", 状态="草稿")]
    report = import_policies(actor=district.users.staff, path=upload(rows, name="draft.xlsx"))
    assert not report.committed
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(2, "状态", "该政策已发布，不能通过导入改回草稿")]


def test_a_draft_is_published_by_import_without_a_push(district, upload):
    import_policies(actor=district.users.staff, path=upload(good_rows()))
    rows = [policy(政策名称="失业保险稳岗返还", 发布部门="区人社局", 惠企类型="稳岗就业", 状态="已发布")]
    report = import_policies(actor=district.users.staff, path=upload(rows, name="publish.xlsx"))
    assert report.updated == 1
    jobs = Policy.objects.get(title="失业保险稳岗返还")
    assert jobs.status == Policy.Status.PUBLISHED and jobs.published_on == timezone.localdate()
    assert jobs.pushed_at is None and not PolicyDelivery.objects.exists()


def test_other_federations_departments_and_streets_are_unknown(district, upload):
    cast = district
    rows = [policy(政策名称="外区部门", 发布部门="区税务局", 惠企类型="资金补贴")]
    report = import_policies(actor=cast.users.outsider_staff, path=upload(rows))
    assert [e.reason for e in report.errors] == ["本工商联没有名为“区税务局”的职能部门"]


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_staff_may_import(district, upload, role):
    with pytest.raises(PermissionDenied):
        import_policies(actor=getattr(district.users, role), path=upload(good_rows()))


# --- pages ---------------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _file(rows, name="政策.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows), content_type="application/octet-stream")


def test_template_download_has_the_headers_and_the_departments(district, login, media):
    response = login(district.users.staff).get(reverse("policies:import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book["惠企政策"][1]]
    assert headers[:3] == ["*政策名称", "*发布部门", "文号"] and "服务包" in headers and len(headers) == 24
    dictionary = [cell.value for column in book["字典"].iter_cols() for cell in column]
    assert district.dept1.name in dictionary and "科技创新" in dictionary and "已发布" in dictionary
    # the template, filled in, imports as it is
    sheet = book["惠企政策"]
    sheet.append(["模板填写的政策", district.dept1.name, "", "", "", "", "资金补贴"])
    filled = io.BytesIO()
    book.save(filled)
    client = login(district.users.staff)
    assert client.post(reverse("policies:import"), {"file": SimpleUploadedFile("t.xlsx", filled.getvalue())},
                       ).status_code == 302


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_import_pages_are_refused_to_other_roles(district, login, role):
    client = login(getattr(district.users, role))
    assert client.get(reverse("policies:import")).status_code == 403
    assert client.get(reverse("policies:import_template")).status_code == 403


def test_upload_check_commit_flow_says_it_never_pushes(district, login, media):
    client = login(district.users.staff)
    page = client.get(reverse("policies:import")).content.decode()
    assert "不会推送" in page
    response = client.post(reverse("policies:import"), {"file": _file(good_rows())})
    job = ImportJob.objects.get(kind="policies")
    assert response.status_code == 302 and response["Location"] == reverse("policies:import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "共 3 条，成功 3 条，失败 0 条" in page and not Policy.objects.exists()
    response = client.post(reverse("policies:import_commit", args=[job.pk]))
    assert response.status_code == 302 and Policy.objects.count() == 3
    page = client.get(reverse("policies:import_job", args=[job.pk])).content.decode()
    assert "新增 3 条" in page and "未向企业推送" in page


def test_failed_rows_can_be_downloaded_as_an_error_report(district, login, media):
    client = login(district.users.staff)
    rows = [*good_rows(), policy(政策名称="未知部门的政策", 发布部门="区外星局", 惠企类型="资金补贴")]
    client.post(reverse("policies:import"), {"file": _file(rows)})
    job = ImportJob.objects.get(kind="policies")
    page = client.get(reverse("policies:import_job", args=[job.pk])).content.decode()
    assert "第 5 行" in page and "本工商联没有名为“区外星局”的职能部门" in page
    response = client.get(reverse("policies:import_errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][-2:] == ["发布部门：本工商联没有名为“区外星局”的职能部门", 5]
    # all-or-nothing is refused while rows failed; the valid ones can be imported on request
    client.post(reverse("policies:import_commit", args=[job.pk]))
    assert not Policy.objects.exists()
    client.post(reverse("policies:import_commit", args=[job.pk]), {"valid_only": "on"})
    assert Policy.objects.count() == 3


def test_another_users_or_another_kinds_job_is_not_found(district, login, media):
    cast = district
    client = login(cast.users.staff)
    client.post(reverse("policies:import"), {"file": _file(good_rows())})
    job = ImportJob.objects.get(kind="policies")
    other = login(cast.users.admin)
    for name in ("import_job", "import_errors"):
        assert other.get(reverse(f"policies:{name}", args=[job.pk])).status_code == 404
    assert other.post(reverse("policies:import_commit", args=[job.pk])).status_code == 404
    members_job = ImportJob.objects.create(kind="members", created_by=cast.users.staff, original_name="m.xlsx")
    client = login(cast.users.staff)
    assert client.get(reverse("policies:import_job", args=[members_job.pk])).status_code == 404


# --- management command ----------------------------------------------------------------------------
def test_command_imports_a_file_and_refuses_a_bad_one(district, upload):
    out = io.StringIO()
    call_command("import_policies", str(upload(good_rows())), "--user", "staff", stdout=out)
    assert "新增 3 条" in out.getvalue() and Policy.objects.count() == 3
    bad = upload([policy(政策名称="未知部门的政策", 发布部门="区外星局", 惠企类型="资金补贴")], name="bad.xlsx")
    with pytest.raises(CommandError, match="1 行校验失败"):
        call_command("import_policies", str(bad), "--user", "staff", stdout=io.StringIO())
    assert Policy.objects.count() == 3


def test_dates_and_labels_are_read_as_users_type_them(district, upload):
    dict_label = DictItem.objects.get(kind="benefit_type", code="tax").label
    later = timezone.localdate() + timedelta(days=30)
    rows = [policy(政策名称="　全角空格的政策　", 发布部门=" 区税务局 ", 惠企类型=dict_label, 失效日期=later.isoformat(),
                   适用行业=65.0, 状态="已发布")]
    report = import_policies(actor=district.users.staff, path=upload(rows))
    assert report.committed, report.errors
    saved = Policy.objects.get()
    assert saved.title == "全角空格的政策" and saved.expires_on == later and saved.status == Policy.Status.PUBLISHED
    assert list(saved.industries.values_list("prefix", flat=True)) == ["65"]


def test_imported_policies_are_found_by_the_search(district, upload):
    from shanglian.policies import selectors

    import_policies(actor=district.users.staff, path=upload(good_rows()))
    found = selectors.policy_list(district.users.staff, filters={"q": "河西科发〔2026〕8号"})
    assert [p.title for p in found] == ["河西区支持科技型中小企业发展若干措施"]
    found = selectors.policy_list(district.users.staff, filters={"q": "稳岗返还"})
    assert [p.title for p in found] == ["失业保险稳岗返还"]
