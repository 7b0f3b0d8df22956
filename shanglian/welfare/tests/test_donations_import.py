"""捐赠记录导入 (welfare/imports.py on the one Excel pipeline, its pages and its command): amounts typed as people type
them are normalised ("1,234.50", "１２３４", "1.5万元") and anything else refused with its row number ("abc", "NaN",
"-5"); donors are found by name, credit code or ID number within the importer's scope; a failed row leaves nothing
written; importing a file twice adds nothing; a chamber secretary imports its own chamber's donations only."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.welfare.imports import DonationImportSpec, import_donations, import_template
from shanglian.welfare.models import Donation

HEADERS = ["捐赠日期", "捐赠方类型", "捐赠方", "捐款金额（元）", "捐赠物资", "物资折价（元）", "公益项目", "受赠村", "受赠方",
           "捐赠票据号", "组织商会", "备注", "捐赠人所在企业"]


def row(**cells):
    assert not set(cells) - set(HEADERS), set(cells) - set(HEADERS)
    return [cells.get(header, "") for header in HEADERS]


def xlsx(rows):
    return testing.xlsx_of(HEADERS, rows, title="捐款捐物")


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="捐赠.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


@pytest.fixture
def world(cast):
    return {
        "spring": testing.make_campaign(cast.district, name="春芽基金", kind="education"),
        "village": testing.make_village(cast.district, name="东山村"),
    }


def cash(amount, donor, **cells):
    return row(**{"捐赠日期": "2025-03-01", "捐赠方类型": "企业", "捐赠方": donor, "捐款金额（元）": amount, **cells})


def good_rows(cast):
    return [
        cash("1,234.50", cast.ent1.name, 公益项目="春芽基金", 组织商会=cast.chamber1.name, 捐赠票据号="PJ-001"),  # 2
        cash("１２３４", cast.ent2.uscc, 受赠村="东山村"),  # 3: by credit code, full-width digits
        cash("1.5万元", cast.person1.name, **{"捐赠方类型": "个人", "捐赠人所在企业": cast.ent1.name}),  # 4
        row(捐赠日期=date(2024, 5, 1), 捐赠方类型="个人", 捐赠方=cast.person2.id_number, 捐赠物资="口罩2万只",
            **{"物资折价（元）": "¥5,000"}),  # 5: by ID number, goods only
        row(捐赠日期="2024年6月1日", 捐赠方类型="商会", 捐赠方=cast.chamber2.name, **{"捐款金额（元）": 88.8},
            受赠方="区慈善协会"),  # 6: a number cell
    ]


def test_a_good_file_adds_its_donations_with_amounts_normalised(cast, world, upload):
    report = import_donations(actor=cast.users.staff, path=upload(good_rows(cast)))
    assert report.committed and report.summary == "共 5 条，成功 5 条，失败 0 条" and report.created == 5
    by_donor = {str(d.donor): d for d in Donation.objects.all()}
    first = by_donor[cast.ent1.name]
    assert (first.cash, first.campaign, first.chamber, first.receipt_number, first.federation) == (
        Decimal("1234.50"), world["spring"], cast.chamber1, "PJ-001", cast.district)
    assert first.number.startswith(f"JZ{timezone.localdate():%Y%m%d}") and first.created_by == cast.users.staff
    assert (by_donor[cast.ent2.name].cash, by_donor[cast.ent2.name].recipient_village) == (Decimal("1234.00"),
                                                                                           world["village"])
    assert by_donor[cast.person1.name].cash == Decimal("15000.00")
    goods = by_donor[cast.person2.name]
    assert (goods.cash, goods.goods_value, goods.goods_description, goods.donated_on) == (
        Decimal("0.00"), Decimal("5000.00"), "口罩2万只", date(2024, 5, 1))
    chamber_gift = by_donor[cast.chamber2.name]
    assert (chamber_gift.cash, chamber_gift.chamber, chamber_gift.recipient) == (Decimal("88.80"), cast.chamber2,
                                                                                 "区慈善协会")
    audit = AuditEvent.objects.get(action="import", object_type="welfare.donation")
    assert audit.detail["created"] == 5 and audit.detail["total"] == 5


def test_bad_amounts_and_rows_are_refused_with_their_row_number_and_nothing_is_written(cast, world, upload):
    testing.make_person(cast.district, name="李同名", enterprise=cast.ent1)
    testing.make_person(cast.district, name="李同名", enterprise=cast.ent2)
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = [
        *good_rows(cast),  # 2–6
        cash("abc", cast.ent1.name),  # 7
        cash("NaN", cast.ent1.name),  # 8
        cash("-5", cast.ent1.name),  # 9
        cash("12.345", cast.ent1.name),  # 10
        cash("", cast.ent1.name),  # 11: neither cash nor goods
        cash("", cast.ent1.name, **{"物资折价（元）": "300"}),  # 12: goods valued, not described
        row(捐赠日期=tomorrow, 捐赠方类型="企业", 捐赠方=cast.ent1.name, **{"捐款金额（元）": "10"}),  # 13
        cash("10", "不存在的公司"),  # 14
        cash("10", "李同名", 捐赠方类型="个人"),  # 15: two persons share the name
        cash("10", cast.ent1.name, 公益项目="没有的项目"),  # 16
        cash("10", cast.ent1.name, 组织商会="南开区商会"),  # 17
        cash("10", cast.ent_other.name),  # 18: another federation's
        row(捐赠日期="2025-03-01", 捐赠方类型="单位", 捐赠方=cast.ent1.name, **{"捐款金额（元）": "10"}),  # 19
        cash("1,5", cast.ent1.name),  # 20
    ]
    before = Donation.objects.count()
    report = import_donations(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and report.summary == "共 19 条，成功 5 条，失败 14 条"
    assert Donation.objects.count() == before and not AuditEvent.objects.filter(action="import").exists()
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert reasons[(7, "捐款金额（元）")].startswith("应为金额")
    assert reasons[(8, "捐款金额（元）")].startswith("应为金额")
    assert reasons[(9, "捐款金额（元）")] == "不能为负数"
    assert reasons[(10, "捐款金额（元）")] == "金额最多精确到分（两位小数）"
    assert reasons[(11, "捐款金额（元）")] == "请填写捐款金额或物资折价（至少一项大于0）"
    assert reasons[(12, "捐赠物资")] == "填写了物资折价，请写明捐赠的物资"
    assert reasons[(13, "捐赠日期")] == "捐赠日期不能晚于今天"
    assert reasons[(14, "捐赠方")] == "找不到名为“不存在的公司”的企业，或其不在您的管理范围内"
    assert reasons[(15, "捐赠方")] == "有多位名为“李同名”的人员，请填写“捐赠人所在企业”或改填身份证号"
    assert reasons[(16, "公益项目")] == "找不到名为“没有的项目”的公益项目，或其不在您的管理范围内"
    assert reasons[(17, "组织商会")] == "找不到名为“南开区商会”的商会，或其不在您的管理范围内"
    assert reasons[(18, "捐赠方")] == f"找不到名为“{cast.ent_other.name}”的企业，或其不在您的管理范围内"
    assert reasons[(19, "捐赠方类型")].startswith("应为以下之一：企业、个人、商会")
    assert reasons[(20, "捐款金额（元）")] == "千分位分隔符的位置不对，应如 1,234.50"
    assert str(report.errors[0]).startswith("第 7 行【捐款金额（元）】应为金额")


def test_valid_only_writes_the_good_rows_and_a_second_import_adds_nothing(cast, world, upload):
    path = upload([*good_rows(cast), cash("abc", cast.ent1.name)])
    report = import_donations(actor=cast.users.staff, path=path, valid_only=True)
    assert report.committed and (report.created, report.failed) == (5, 1)
    total = Donation.objects.count()
    again = import_donations(actor=cast.users.staff, path=path, valid_only=True)
    assert not again.committed and again.failed == 6 and Donation.objects.count() == total
    assert {e.reason.split("（")[0] for e in again.errors if e.row == 2} == {"已有相同的捐赠记录"}
    twice = import_donations(actor=cast.users.staff, path=upload([cash("77", cast.ent1.name), cash("77", cast.ent1.name)],
                                                                 name="twice.xlsx"), dry_run=True)
    assert [(e.row, e.column, e.reason) for e in twice.errors] == [(3, "", "与第 2 行重复")]


def test_a_chamber_secretary_imports_its_own_chambers_donations_only(cast, world, upload):
    rows = [
        cash("1000", cast.ent1.name, 公益项目="春芽基金"),  # 2: its member, the federation's campaign
        cash("2000", cast.person1.id_number, 捐赠方类型="个人"),  # 3: its member's person
        cash("3000", cast.chamber1.name, 捐赠方类型="商会", 组织商会=cast.chamber1.name),  # 4: itself
        cash("10", cast.ent2.name),  # 5: another chamber's member
        cash("10", cast.person2.id_number, 捐赠方类型="个人"),  # 6
        cash("10", cast.chamber2.name, 捐赠方类型="商会"),  # 7
        cash("10", cast.ent1.name, 组织商会=cast.chamber2.name),  # 8
    ]
    report = import_donations(actor=cast.users.chamber1, path=upload(rows), valid_only=True)
    assert report.committed and (report.created, report.failed) == (3, 4)
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert reasons[(5, "捐赠方")] == f"找不到名为“{cast.ent2.name}”的企业，或其不在您的管理范围内"
    assert reasons[(6, "捐赠方")] == "找不到该身份证号的人员，或其不在您的管理范围内"
    assert reasons[(7, "捐赠方")] == f"找不到名为“{cast.chamber2.name}”的商会，或其不在您的管理范围内"
    assert reasons[(8, "组织商会")] == f"只能导入本商会（{cast.chamber1.name}）组织的捐赠"
    written = Donation.objects.all()
    assert {d.chamber for d in written} == {cast.chamber1} and {d.federation for d in written} == {cast.district}
    assert sorted(d.cash for d in written) == [Decimal("1000.00"), Decimal("2000.00"), Decimal("3000.00")]


def test_only_the_keepers_import(cast):
    for role in ("leader", "dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            DonationImportSpec(actor=getattr(cast.users, role))


def test_the_template_and_the_pages(cast, world, login, upload, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    template = load_workbook(io.BytesIO(import_template(actor=cast.users.staff)))
    assert [c.value for c in template.worksheets[0][1]][:4] == ["*捐赠日期", "*捐赠方类型", "*捐赠方", "捐款金额（元）"]
    guide = {r[0]: r[2] for r in template["填写说明"].iter_rows(values_only=True) if r and r[0]}
    assert guide["捐款金额（元）"].startswith("金额（元）")
    for role in ("staff", "chamber1"):
        client = login(getattr(cast.users, role))
        assert client.get(reverse("welfare:donation_import")).status_code == 200
        assert client.get(reverse("welfare:donation_import_template")).status_code == 200
    assert login(cast.users.leader).get(reverse("welfare:donation_import")).status_code == 403
    client = login(cast.users.staff)
    response = client.post(reverse("welfare:donation_import"),
                           {"file": SimpleUploadedFile("捐赠.xlsx", xlsx(good_rows(cast)))})
    assert response.status_code == 302
    job_url = response["Location"]
    assert "共 5 条，成功 5 条，失败 0 条" in client.get(job_url).content.decode()
    assert not Donation.objects.exists()  # checked, not written
    job_id = job_url.rstrip("/").split("/")[-1]
    client.post(reverse("welfare:donation_import_commit", args=[job_id]))
    assert Donation.objects.count() == 5
    for other in (testing.make_user("staff", username="staff2", federation=cast.district), cast.users.chamber1):
        assert login(other).get(job_url).status_code == 404  # a job is its uploader's
        assert login(other).get(reverse("welfare:donation_import_errors", args=[job_id])).status_code == 404
    assert login(cast.users.leader).get(job_url).status_code == 403


def test_the_command_imports_or_refuses(cast, world, upload):
    bad = upload([cash("-5", cast.ent1.name)], name="bad.xlsx")
    with pytest.raises(CommandError, match="1 行校验失败"):
        call_command("import_donations", str(bad), "--user", "staff")
    assert not Donation.objects.exists()
    call_command("import_donations", str(upload(good_rows(cast))), "--user", "staff")
    assert Donation.objects.count() == 5
