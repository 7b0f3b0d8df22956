"""捐款捐物 pages: the list with its filters and its export in each user's scope (a chamber sees only what its chamber
organised), one donation's page, 新增/编辑/删除 with their refusals, its proofs, and the printable 捐赠证书 — every
per-object page for every role of the cast: allowed, refused (403) or another scope's (404)."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.welfare.models import Donation, DonationProof
from shanglian.welfare.services.donations import save_donation

LIST = reverse("welfare:donations")
EXPORT = reverse("welfare:donations_export")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def book(cast, media):
    spring = testing.make_campaign(cast.district, name="春芽基金", kind="education")
    return {
        "chamber1": save_donation(actor=cast.users.chamber1, files=[SimpleUploadedFile("转账凭证.pdf", PDF)], data={
            "donor_kind": "enterprise", "donor": cast.ent1, "donated_on": date(2025, 3, 1), "cash": Decimal("1234.50"),
            "campaign": spring, "receipt_number": "PJ-001"}),
        "chamber2": testing.make_donation(cast.ent2, chamber=cast.chamber2, goods_value="5000",
                                          goods_description="口罩2万只", donated_on=date(2024, 5, 1)),
        "federation": testing.make_donation(cast.person1, cash="800", donated_on=date(2025, 6, 1)),
        "other": testing.make_donation(cast.ent_other, cash="300", donated_on=date(2025, 1, 5)),
    }


# --- the list and its export ---------------------------------------------------------------------------------
def test_each_reader_lists_exactly_its_scope(cast, book, login):
    expected = {"staff": {"chamber1", "chamber2", "federation"}, "admin": {"chamber1", "chamber2", "federation"},
                "leader": {"chamber1", "chamber2", "federation"}, "chamber1": {"chamber1"}, "chamber2": {"chamber2"},
                "outsider_staff": {"other"}}
    for role, keys in expected.items():
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert count(page) == len(keys), role
        for key, donation in book.items():
            assert (donation.number in page) == (key in keys), (role, key)
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403


def test_the_keepers_get_new_and_import_a_leader_only_export(cast, book, login):
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert "新增捐赠" in page and reverse("welfare:donation_import") in page and "导出" in page
    page = login(cast.users.leader).get(LIST).content.decode()
    assert "新增捐赠" not in page and reverse("welfare:donation_import") not in page and "导出" in page
    assert "1,234.50" in login(cast.users.staff).get(LIST).content.decode()  # amounts in yuan with separators


@pytest.mark.parametrize(("query", "expected"), [
    ("q=友谊科技", {"chamber1"}),
    ("q=王建国", {"federation"}),
    ("donor_kind=person", {"federation"}),
    ("year=2024", {"chamber2"}),
    ("start=2025-02-01&end=2025-05-31", {"chamber1"}),
    ("gift=goods", {"chamber2"}),
    ("gift=cash_only", {"chamber1", "federation"}),
], ids=["donor-name", "person-name", "donor-kind", "year", "date-range", "goods", "cash-only"])
def test_the_list_filters(cast, book, login, query, expected):
    page = login(cast.users.staff).get(f"{LIST}?{query}").content.decode()
    assert count(page) == len(expected)
    for key, donation in book.items():
        assert (donation.number in page) == (key in expected), key


def test_the_list_filters_by_number_campaign_and_chamber(cast, book, login):
    client = login(cast.users.staff)
    for query, key in ((f"q={book['chamber2'].number}", "chamber2"), (f"campaign={book['chamber1'].campaign_id}",
                                                                      "chamber1"),
                       (f"chamber={cast.chamber2.pk}", "chamber2")):
        page = client.get(f"{LIST}?{query}").content.decode()
        assert count(page) == 1 and book[key].number in page, query


@pytest.mark.parametrize(("query", "message"), [
    ("year=abc", "年度应为四位数字"),
    ("year=1900", "年度应在 1990 年至"),
    ("start=2025-06-01&end=2025-01-01", "结束日期不能早于开始日期"),
    ("campaign=99999999999999999999", "所选公益项目不存在或不在您的查看范围内"),
], ids=["not-a-year", "too-early", "range", "campaign"])
def test_an_invalid_search_lists_nothing_and_says_why_in_chinese(cast, book, login, query, message):
    response = login(cast.users.staff).get(f"{LIST}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and count(page) == 0
    exported = login(cast.users.staff).get(f"{EXPORT}?{query}")
    assert exported.status_code == 302 and not AuditEvent.objects.filter(action="export").exists()


def _exported(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], {row[0]: row for row in rows[1:]}


def test_the_export_holds_exactly_the_scoped_rows(cast, book, login):
    headers, rows = _exported(login(cast.users.chamber1).get(EXPORT))
    assert set(rows) == {book["chamber1"].number}
    row = dict(zip(headers, rows[book["chamber1"].number], strict=True))
    assert (row["捐赠方"], row["捐款金额（元）"], row["公益项目"], row["组织商会"], row["捐赠票据号"]) == (
        cast.ent1.name, 1234.5, "春芽基金", cast.chamber1.name, "PJ-001")
    _, rows = _exported(login(cast.users.chamber2).get(EXPORT))
    assert set(rows) == {book["chamber2"].number}
    _, rows = _exported(login(cast.users.staff).get(f"{EXPORT}?year=2025"))
    assert set(rows) == {book["chamber1"].number, book["federation"].number}
    _, rows = _exported(login(cast.users.outsider_staff).get(EXPORT))
    assert set(rows) == {book["other"].number}
    audit = AuditEvent.objects.filter(action="export", object_type="welfare.donation").latest("id")
    assert audit.detail["rows"] == 1
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(EXPORT).status_code == 403


# --- one donation, for every role ---------------------------------------------------------------------------
READ = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 404, "dept1": 403, "ent1": 403,
        "auditor": 403, "outsider_staff": 404}
WRITE = {**READ, "leader": 403}


@pytest.mark.parametrize(("page", "expected"), [
    ("welfare:donation", READ), ("welfare:donation_certificate", READ), ("welfare:donation_edit", WRITE),
    ("welfare:donation_delete", WRITE),
], ids=["detail", "certificate", "edit", "delete"])
def test_a_donation_page_for_every_role(cast, book, login, page, expected):
    url = reverse(page, args=[book["chamber1"].pk])
    for role in ROLES:
        assert login(getattr(cast.users, role)).get(url).status_code == expected[role], role
    denied = AuditEvent.objects.filter(action="denied", object_type="welfare.donation")
    assert denied.filter(username="chamber2").exists() and denied.filter(username="outsider").exists()


def test_chamber1_can_neither_see_nor_open_chamber2s_donation(cast, book, login):
    theirs = book["chamber2"]
    client = login(cast.users.chamber1)
    assert theirs.number not in client.get(LIST).content.decode()
    assert count(client.get(f"{LIST}?q={theirs.number}").content.decode()) == 0
    for page in ("welfare:donation", "welfare:donation_certificate", "welfare:donation_edit",
                 "welfare:donation_delete"):
        assert client.get(reverse(page, args=[theirs.pk])).status_code == 404, page
    assert client.post(reverse("welfare:donation_delete", args=[theirs.pk])).status_code == 404
    assert Donation.objects.filter(pk=theirs.pk).exists()
    assert AuditEvent.objects.filter(action="denied", object_type="welfare.donation", object_id=str(theirs.pk),
                                     username="chamber1").exists()


@pytest.mark.parametrize(("page", "expected"), [
    ("welfare:proof_download", READ), ("welfare:proof_delete", WRITE),
], ids=["download", "delete"])
def test_a_proof_page_for_every_role(cast, book, login, page, expected):
    proof = book["chamber1"].proofs.get()
    url = reverse(page, args=[proof.pk])
    for role in ROLES:
        response = login(getattr(cast.users, role)).get(url)
        assert response.status_code == expected[role], role
        if response.status_code == 200 and page == "welfare:proof_download":
            assert b"".join(response.streaming_content) == PDF
            assert response["Cache-Control"] == "no-store" and "attachment" in response["Content-Disposition"]


def test_the_detail_shows_amounts_in_yuan_the_donor_link_the_proofs_and_the_history(cast, book, login):
    donation = book["chamber1"]
    page = login(cast.users.staff).get(donation.get_absolute_url()).content.decode()
    assert "1,234.50 元" in page and "0.00 元" in page and "春芽基金" in page and "转账凭证.pdf" in page
    assert reverse("members:enterprise_detail", args=[cast.ent1.pk]) in page
    assert reverse("welfare:campaign", args=[donation.campaign_id]) in page
    assert "变更记录" in page and "新增" in page
    page = login(cast.users.leader).get(donation.get_absolute_url()).content.decode()
    assert reverse("welfare:donation_edit", args=[donation.pk]) not in page  # a leader reads


# --- the certificate ----------------------------------------------------------------------------------------
def test_the_certificate_is_a_clean_printable_page_with_the_amount_in_capitals(cast, book, login):
    donation = book["chamber1"]
    page = login(cast.users.chamber1).get(reverse("welfare:donation_certificate", args=[donation.pk])).content.decode()
    assert "捐赠证书" in page and cast.ent1.name in page and donation.number in page
    assert "2025年3月1日" in page and "壹仟贰佰叁拾肆元伍角" in page and "¥1,234.50" in page
    assert "春芽基金" in page and cast.district.name in page and "data-print" in page and "打印" in page
    assert "shanglian/print.css" in page and "welfare/certificate.css" in page
    assert "主导航" not in page  # no navigation: the sheet alone
    goods = login(cast.users.staff).get(reverse("welfare:donation_certificate",
                                                args=[book["chamber2"].pk])).content.decode()
    assert "口罩2万只" in goods and "伍仟元整" in goods and "¥5,000.00" in goods


def test_the_certificate_of_an_amount_past_the_capitals_still_prints_in_figures(cast, login):
    donation = testing.make_donation(cast.ent1, cash="999999999999.99", goods_value="1", goods_description="大米",
                                     donated_on=date(2025, 3, 1))  # stored before the service refused such totals
    response = login(cast.users.staff).get(reverse("welfare:donation_certificate", args=[donation.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "¥1,000,000,000,000.99 元" in page
    assert "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分" in page and "壹元整" in page
    assert "<td data-total><span class=\"certificate-figures\">" in page  # the total in figures only


def test_the_certificate_of_a_deleted_donation_is_not_found(cast, book, login):
    donation = book["federation"]
    client = login(cast.users.staff)
    url = reverse("welfare:donation_certificate", args=[donation.pk])
    assert client.get(url).status_code == 200
    assert client.post(reverse("welfare:donation_delete", args=[donation.pk])).status_code == 302
    assert not Donation.objects.filter(pk=donation.pk).exists()
    assert client.get(url).status_code == 404
    assert client.get(donation.get_absolute_url()).status_code == 404


# --- 新增 / 编辑 / 删除 -----------------------------------------------------------------------------------------
def _post(ent, **fields):
    values = {"donor_kind": "enterprise", "donor_enterprise": ent.pk, "donated_on": "2025-04-01", "cash": "2,000"}
    values.update(fields)
    return values


def test_a_chamber_secretary_records_a_donation_of_its_member_with_a_proof(cast, login, media):
    client = login(cast.users.chamber1)
    page = client.get(reverse("welfare:donation_create")).content.decode()
    assert 'name="chamber"' not in page  # fixed to its own chamber
    response = client.post(reverse("welfare:donation_create"), _post(
        cast.ent1, cash="2000.00", proofs=SimpleUploadedFile("票据.pdf", PDF)))
    donation = Donation.objects.get()
    assert response.status_code == 302 and response["Location"] == donation.get_absolute_url()
    assert (donation.chamber, donation.cash, donation.created_by) == (cast.chamber1, Decimal("2000.00"),
                                                                     cast.users.chamber1)
    assert donation.proofs.get().original_name == "票据.pdf"


def test_a_chamber_secretary_cannot_record_a_donation_by_a_non_member(cast, login, media):
    client = login(cast.users.chamber1)
    response = client.post(reverse("welfare:donation_create"), _post(cast.ent2, cash="2000"))
    assert response.status_code == 400
    assert "所选企业不存在或不在您的管理范围内" in response.content.decode()
    response = client.post(reverse("welfare:donation_create"), {
        "donor_kind": "person", "donor_person": cast.person2.pk, "donated_on": "2025-04-01", "cash": "10"})
    assert response.status_code == 400 and "所选人员不存在或不在您的管理范围内" in response.content.decode()
    assert not Donation.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({"cash": ""}, "请填写捐款金额或物资折价（至少一项大于0）"),
    ({"cash": "-5"}, "捐款金额（元）：不能为负数。"),
    ({"cash": "abc"}, "捐款金额（元）：应为金额"),
    ({"cash": "", "goods_value": "300"}, "填写了物资折价，请写明捐赠的物资"),
    ({"goods_description": "大米10袋"}, "填写了捐赠物资，请填写物资折价金额"),
    ({"cash": "12.345"}, "金额最多精确到分"),
    ({"donated_on": "2999-01-01"}, "捐赠日期不能晚于今天"),
    ({"donor_enterprise": ""}, "请选择捐赠方"),
], ids=["nothing", "negative", "text", "goods-undescribed", "goods-unvalued", "fen", "future", "no-donor"])
def test_a_refused_form_says_why_in_chinese_and_writes_nothing(cast, login, media, fields, message):
    response = login(cast.users.staff).post(reverse("welfare:donation_create"), _post(cast.ent1, **fields))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Donation.objects.exists() and not AuditEvent.objects.filter(object_type="welfare.donation").exists()


def test_posting_the_same_new_donation_twice_records_it_once(cast, login, media):
    client = login(cast.users.staff)
    assert client.post(reverse("welfare:donation_create"), _post(cast.ent1)).status_code == 302
    first = Donation.objects.get()
    response = client.post(reverse("welfare:donation_create"), _post(cast.ent1))
    assert response.status_code == 400
    assert f"已有相同的捐赠记录（编号 {first.number}），请勿重复录入。" in response.content.decode()
    assert Donation.objects.count() == 1


def test_a_total_past_the_capitals_is_refused_on_the_form(cast, login, media):
    response = login(cast.users.staff).post(reverse("welfare:donation_create"), _post(
        cast.ent1, cash="999,999,999,999.99", goods_value="1", goods_description="大米"))
    assert response.status_code == 400
    assert "捐款金额与物资折价合计不能超过 999,999,999,999.99 元。" in response.content.decode()
    assert not Donation.objects.exists()


def test_an_editor_names_the_organising_chamber_and_edits(cast, login, book):
    client = login(cast.users.staff)
    response = client.post(reverse("welfare:donation_create"), _post(cast.ent2, chamber=cast.chamber2.pk))
    created = Donation.objects.latest("id")
    assert response.status_code == 302 and created.chamber == cast.chamber2 and created.cash == Decimal("2000.00")
    donation = book["chamber1"]
    response = client.post(reverse("welfare:donation_edit", args=[donation.pk]), _post(
        cast.ent1, cash="1300", campaign=donation.campaign_id, chamber=cast.chamber1.pk, receipt_number="PJ-001"))
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.cash == Decimal("1300.00") and donation.chamber == cast.chamber1
    page = client.get(reverse("welfare:donation_edit", args=[donation.pk])).content.decode()
    assert cast.ent1.name in page  # the picker shows the chosen donor


def test_deleting_asks_first_then_removes_the_donation_and_its_proof_files(cast, login, book, media,
                                                                           django_capture_on_commit_callbacks):
    donation = book["chamber1"]
    stored = media / "welfare" / donation.proofs.get().stored_name
    client = login(cast.users.chamber1)
    page = client.get(reverse("welfare:donation_delete", args=[donation.pk])).content.decode()
    assert "确定删除捐赠" in page and "确认删除" in page
    assert login(cast.users.chamber2).post(reverse("welfare:donation_delete", args=[donation.pk])).status_code == 404
    client = login(cast.users.chamber1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("welfare:donation_delete", args=[donation.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Donation.objects.filter(pk=donation.pk).exists() and not DonationProof.objects.exists()
    assert not stored.exists()


def test_deleting_a_proof_asks_first(cast, login, book, media, django_capture_on_commit_callbacks):
    proof = book["chamber1"].proofs.get()
    client = login(cast.users.staff)
    page = client.get(reverse("welfare:proof_delete", args=[proof.pk])).content.decode()
    assert "删除捐赠凭证" in page and "转账凭证.pdf" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("welfare:proof_delete", args=[proof.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#proofs")
    assert not DonationProof.objects.exists() and Donation.objects.filter(pk=book["chamber1"].pk).exists()
    assert not (media / "welfare" / proof.stored_name).exists()
