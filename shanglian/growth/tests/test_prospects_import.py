"""发展对象导入 (growth/imports.py on the one Excel pipeline, its pages and its command): rows become prospects at 线索,
linked to the registry by their code; the pages' rules refuse a bad code, a member, an open prospect already there,
a referral without its member, a row repeated in the file — with the row number, nothing written; importing twice
adds nothing; a chamber secretary imports its own chamber's prospects only; a leader may not import."""


import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.growth.imports import ProspectImportSpec, import_prospects, import_template
from shanglian.growth.models import Prospect

HEADERS = ["名称", "统一社会信用代码", "拟入会类型", "私营企业", "外地企业", "高新技术企业", "行业代码", "来源",
           "推荐会员企业", "来源活动", "联系人", "联系电话", "发展商会", "负责人账号", "下一步", "下一步日期", "备注"]
BAD_CODE = "91120103MA05L2XY3X"


def row(**cells):
    assert not set(cells) - set(HEADERS), set(cells) - set(HEADERS)
    return [cells.get(header, "") for header in HEADERS]


def xlsx(rows):
    return testing.xlsx_of(HEADERS, rows)


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="发展对象.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


def good_rows(cast, outsider):
    return [
        row(名称="天津高新智造有限公司", 高新技术企业="是", 私营企业="是", 行业代码="6513", 联系人="刘经理",
            联系电话="13812345678", 下一步="电话联系"),  # 2
        row(名称=outsider.name, 统一社会信用代码=outsider.uscc.lower(), 外地企业="是"),  # 3: linked to the registry
        row(名称="友谊路上下游企业", 来源="会员上下游", 推荐会员企业=cast.ent1.name, 发展商会=cast.chamber1.name,
            负责人账号="chamber1"),  # 4
        row(名称="区青年商会", 拟入会类型="团体会员"),  # 5
    ]


def test_a_good_file_adds_its_prospects_at_lead(cast, upload):
    outsider = testing.make_enterprise(cast.district, name="天津外地来津有限公司")
    report = import_prospects(actor=cast.users.staff, path=upload(good_rows(cast, outsider)))
    assert report.committed and report.created == 4, [str(e) for e in report.errors]
    by_name = {p.name: p for p in Prospect.objects.all()}
    assert all(p.stage == Prospect.Stage.LEAD and p.federation == cast.district for p in by_name.values())
    tech = by_name["天津高新智造有限公司"]
    assert tech.is_high_tech and tech.is_private and tech.industry.code == "6513" and tech.owner == cast.users.staff
    assert tech.contact_mobile == "13812345678"
    linked = by_name[outsider.name]
    assert linked.enterprise == outsider and not linked.is_local and linked.uscc == outsider.uscc
    chain = by_name["友谊路上下游企业"]
    assert (chain.source, chain.referred_by, chain.chamber, chain.owner) == ("supply_chain", cast.ent1,
                                                                              cast.chamber1, cast.users.chamber1)
    assert by_name["区青年商会"].member_kind == "group"
    assert AuditEvent.objects.filter(action="import", object_type="growth.prospect").count() == 1


def test_bad_rows_are_refused_with_their_row_number_and_nothing_is_written(cast, upload):
    testing.make_prospect(cast.district, owner=cast.users.staff, uscc=cast.ent_other.uscc)  # a code already followed
    rows = [
        row(名称="好企业"),  # 2
        row(名称="坏代码企业", 统一社会信用代码=BAD_CODE),  # 3
        row(名称=cast.ent1.name, 统一社会信用代码=cast.ent1.uscc),  # 4: a member in force
        row(名称="推荐缺失", 来源="会员推荐"),  # 5
        row(名称="好企业"),  # 6: repeats row 2
        row(名称="重复跟进", 统一社会信用代码=cast.ent_other.uscc),  # 7
        row(名称="无此行业", 行业代码="9999"),  # 8
        row(名称="外人负责", 负责人账号="outsider"),  # 9
    ]
    report = import_prospects(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and (report.succeeded, report.failed) == (1, 7)
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert "校验位" in reasons[(3, "统一社会信用代码")]
    assert "在册会员" in reasons[(4, "统一社会信用代码")]
    assert reasons[(5, "推荐会员企业")] == "来源为“会员推荐”时请选择推荐会员企业"
    assert reasons[(6, "")] == "与第 2 行重复"
    assert "已有该企业的发展对象" in reasons[(7, "")]
    assert "行业代码" in reasons[(8, "行业代码")]
    assert "outsider" in reasons[(9, "负责人账号")]
    assert Prospect.objects.count() == 1


def test_valid_only_writes_the_good_rows_and_a_second_import_adds_nothing(cast, upload):
    outsider = testing.make_enterprise(cast.district, name="天津外地来津有限公司")
    rows = [row(名称=outsider.name, 统一社会信用代码=outsider.uscc), row(名称="坏", 统一社会信用代码=BAD_CODE)]
    report = import_prospects(actor=cast.users.staff, path=upload(rows), valid_only=True)
    assert report.committed and (report.created, report.failed) == (1, 1)
    again = import_prospects(actor=cast.users.staff, path=upload(rows[:1]))
    assert not again.committed and Prospect.objects.count() == 1
    assert "已有该企业的发展对象" in again.errors[0].reason


def test_a_chamber_secretary_imports_its_own_chambers_prospects_only(cast, upload):
    rows = [row(名称="本会对象"), row(名称="他会对象", 发展商会=cast.chamber2.name)]
    report = import_prospects(actor=cast.users.chamber1, path=upload(rows), valid_only=True)
    assert (report.created, report.failed) == (1, 1)
    assert "只能导入本商会" in report.errors[0].reason
    assert Prospect.objects.get().chamber == cast.chamber1


def test_only_the_recruiters_import(cast):
    for user in (cast.users.leader, cast.users.dept1, cast.users.ent1, cast.users.auditor):
        with pytest.raises(PermissionDenied):
            ProspectImportSpec(actor=user)
    assert import_template(actor=cast.users.chamber1)[:2] == b"PK"


def test_the_template_and_the_pages(cast, login, upload, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for user in (cast.users.staff, cast.users.chamber1):
        client = login(user)
        assert client.get(reverse("growth:prospect_import")).status_code == 200
        assert client.get(reverse("growth:prospect_import_template")).status_code == 200
    assert login(cast.users.leader).get(reverse("growth:prospect_import")).status_code == 403
    client = login(cast.users.staff)
    response = client.post(reverse("growth:prospect_import"), {
        "file": SimpleUploadedFile("发展对象.xlsx", xlsx([row(名称="页面导入企业")]))})
    assert response.status_code == 302
    job_url = response["Location"]
    assert "共 1 条，成功 1 条，失败 0 条" in client.get(job_url).content.decode()
    assert not Prospect.objects.exists()  # the check writes nothing
    job_id = job_url.rstrip("/").split("/")[-1]
    client.post(reverse("growth:prospect_import_commit", args=[job_id]))
    assert Prospect.objects.get().name == "页面导入企业"
    for other in (testing.make_user("staff", username="staff2", federation=cast.district), cast.users.chamber1):
        assert login(other).get(job_url).status_code == 404  # a job is its uploader's
        assert login(other).get(reverse("growth:prospect_import_errors", args=[job_id])).status_code == 404
    assert login(cast.users.leader).get(job_url).status_code == 403


def test_the_command_imports_or_refuses(cast, upload):
    bad = upload([row(名称="坏", 统一社会信用代码=BAD_CODE)], name="bad.xlsx")
    with pytest.raises(CommandError, match="1 行校验失败"):
        call_command("import_prospects", str(bad), "--user", "staff")
    assert not Prospect.objects.exists()
    call_command("import_prospects", str(upload([row(名称="命令导入企业")])), "--user", "chamber1")
    assert Prospect.objects.get().chamber == cast.chamber1
