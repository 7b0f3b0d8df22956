"""The member import (imports.MemberImportSpec + services.import_members) on the Excel pipeline: a
good file commits exactly, a bad file names Excel rows and reasons and changes nothing, a second
import of the same file changes nothing either."""

import io
import json
import random
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from openpyxl import Workbook

from shanglian.audit.models import AuditEvent
from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.excel import ExcelError
from shanglian.members import selectors
from shanglian.members.imports import MemberImportSpec
from shanglian.members.models import (
    ChamberMembership,
    DuesRecord,
    Enterprise,
    EnterpriseRole,
    Membership,
    Person,
    pinyin_initials,
)
from shanglian.members.services import import_members

HEADERS = ["会员类型*", "会员证号", "入会日期*", "状态", "退会日期", "退会原因", "在工商联的职务", "企业名称",
           "统一社会信用代码", "企业类型", "行业代码", "规模", "高新技术企业", "所在街道", "本地企业", "成立日期",
           "从业人数", "注册资本（万元）", "联系人", "联系人手机", "姓名", "性别", "身份证号", "手机号", "政治面貌",
           "学历", "新生代", "团体名称", "所属商会", "商会职务"]
_rng = random.Random(11)
USCC_A, USCC_B, USCC_C = make_uscc(_rng), make_uscc(_rng), make_uscc(_rng)
ID_P = make_id_number(_rng, "120103", date(1988, 4, 2), female=True)
MOBILE, MOBILE_P = make_mobile(_rng), make_mobile(_rng)
MODELS = (Enterprise, Person, EnterpriseRole, ChamberMembership, Membership, DuesRecord, AuditEvent)


def _key(header):
    return header.rstrip("*").split("（")[0]


def member(**cells):
    """One row; keys are the headers without "*" and without a unit in brackets."""
    unknown = set(cells) - {_key(h) for h in HEADERS}
    assert not unknown, unknown
    return [cells.get(_key(h), "") for h in HEADERS]


def good_rows():
    return [
        member(会员类型="企业会员", 会员证号="HX-2024-0101", 入会日期="2024-03-05", 状态="在册", 在工商联的职务="执委",
               企业名称="天津导入科技有限公司", 统一社会信用代码=USCC_A, 企业类型="私营企业", 行业代码="6513", 规模="小型",
               高新技术企业="是", 所在街道="友谊路街道", 本地企业="是", 成立日期=datetime(2015, 6, 1), 从业人数=35.0,
               注册资本="500.5", 联系人="王联系", 联系人手机=float(MOBILE), 所属商会="友谊路街道商会", 商会职务="副会长"),
        member(会员类型="企业会员", 会员证号="HX-2024-0102", 入会日期="2024年3月6日", 企业名称="天津导入商贸有限公司",
               统一社会信用代码=USCC_B, 企业类型="个体工商户", 行业代码=5212.0),
        member(会员类型="个人会员", 会员证号="HX-2024-0103", 入会日期=45362.0, 统一社会信用代码=USCC_A, 姓名="刘导入",
               身份证号=ID_P, 手机号=MOBILE_P, 政治面貌="中共党员", 学历="大学本科", 新生代="是"),
        member(会员类型="团体会员", 入会日期="2024/3/8", 团体名称="河西区浙江商会"),
        member(会员类型="企业会员", 会员证号="HX-2024-0104", 入会日期="2020.1.5", 状态="退会", 退会日期="2023-12-31",
               退会原因="企业迁出", 企业名称="天津迁出有限公司", 统一社会信用代码=USCC_C, 企业类型="私营企业",
               行业代码="5212", 本地企业="否"),
    ]


def xlsx(rows, *, headers=HEADERS, title_rows=0, blank_before=()):
    """A workbook as a user makes one: optional merged title rows above the header, blank rows between."""
    book = Workbook()
    sheet = book.active
    sheet.title = "会员名单"
    for i in range(title_rows):
        sheet.append(["河西区工商联会员名单（2024 年）" if i == 0 else "填报单位：区工商联办公室"])
        sheet.merge_cells(start_row=i + 1, start_column=1, end_row=i + 1, end_column=len(headers))
    sheet.append(headers)
    for index, row in enumerate(rows):
        if index in blank_before:
            sheet.append([])
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def uploader(folder):
    """write(rows, name=…, **xlsx options) → the path of a new workbook in `folder`."""
    def write(rows, name="members.xlsx", **options):
        path = folder / name
        path.write_bytes(xlsx(rows, **options))
        return path
    return write


@pytest.fixture
def upload(tmp_path):
    return uploader(tmp_path)


def snapshot():
    """Every row of every table the import could touch, as stored (timestamps of updates excluded)."""
    state = {}
    for model in MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "updated_at"]
        state[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    return state


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_good_file_commits_exactly(cast, upload):
    before = counts()
    path = upload(good_rows(), title_rows=2, blank_before=(1, 3))
    report = import_members(actor=cast.users.staff, path=path)
    assert report.summary == "共 5 条，成功 5 条，失败 0 条" and report.committed
    assert (report.created, report.updated) == (5, 0)
    after = counts()
    assert {k: after[k] - before[k] for k in after} == {
        "Enterprise": 3, "Person": 1, "EnterpriseRole": 1, "ChamberMembership": 1, "Membership": 5,
        "DuesRecord": 0, "AuditEvent": 1}

    a = Enterprise.objects.get(uscc=USCC_A)
    assert (a.federation, a.name, a.enterprise_type.label, a.industry_id, a.size, a.is_high_tech, a.street,
            a.is_local, a.founded, a.employees, a.registered_capital, a.contact_name, a.contact_mobile) == (
        cast.district, "天津导入科技有限公司", "私营企业", "6513", "small", True, cast.street, True,
        date(2015, 6, 1), 35, Decimal("500.50"), "王联系", MOBILE)
    assert a.name_initials == pinyin_initials(a.name) == "tjdrkjyxgs"
    assert a.contact_mobile_index == Enterprise._meta.get_field("contact_mobile_index").index_for(MOBILE)
    chamber = a.chamber_memberships.get()
    assert (chamber.chamber, chamber.joined, chamber.status, chamber.position) == (
        cast.chamber1, date(2024, 3, 5), "active", "副会长")
    m = Membership.objects.get(enterprise=a)
    assert (m.kind, m.number, m.joined, m.status, m.body_position) == (
        "enterprise", "HX-2024-0101", date(2024, 3, 5), "active", "executive")

    b = Membership.objects.get(number="HX-2024-0102")
    assert b.joined == date(2024, 3, 6) and b.status == "active" and b.body_position == "member"
    assert b.enterprise.industry_id == "5212" and b.enterprise.enterprise_type.code == "individual"
    assert b.enterprise.is_local and not b.enterprise.is_high_tech and b.enterprise.size == ""

    person = Person.objects.get(name="刘导入")
    assert (person.federation, person.gender, person.birth_year, person.id_number, person.mobile,
            person.political_affiliation.label, person.education.label, person.is_new_generation) == (
        cast.district, "F", 1988, ID_P, MOBILE_P, "中共党员", "大学本科", True)
    assert person.name_initials == "ldr"
    assert Person.objects.filter(id_number_index=Person._meta.get_field("id_number_index").index_for(ID_P)).get() \
        == person
    assert Membership.objects.get(person=person).joined == date(2024, 3, 11)  # Excel serial 45362
    assert EnterpriseRole.objects.get(person=person).enterprise == a

    group = Membership.objects.get(group=cast.chamber2)
    assert group.kind == "group" and group.joined == date(2024, 3, 8) and group.number == ""
    left = Membership.objects.get(number="HX-2024-0104")
    assert (left.status, left.joined, left.left, left.left_reason, left.enterprise.is_local) == (
        "left", date(2020, 1, 5), date(2023, 12, 31), "企业迁出", False)

    # what the rest of the registry sees: scoped lists find the imported enterprise, by initials too
    visible = selectors.enterprises_visible_to(cast.users.chamber1)
    assert visible.filter(uscc=USCC_A).exists() and not visible.filter(uscc=USCC_B).exists()


def test_one_audit_row_per_import_with_counts_only(cast, upload):
    import_members(actor=cast.users.staff, path=upload(good_rows()))
    event = AuditEvent.objects.get(action="import")
    assert event.actor == cast.users.staff and event.object_type == "members.membership"
    assert event.detail == {"total": 5, "succeeded": 5, "failed": 0, "created": 5, "updated": 0, "valid_only": False}
    dumped = json.dumps(event.detail, ensure_ascii=False) + event.object_repr
    assert not any(value in dumped for value in (ID_P, MOBILE, MOBILE_P, USCC_A, "刘导入"))


def test_person_id_numbers_and_mobiles_are_not_stored_in_plaintext(cast, upload):
    import_members(actor=cast.users.staff, path=upload(good_rows()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, id_number_index FROM members_person WHERE name = %s", ["刘导入"])
        raw_id, raw_mobile, index = cursor.fetchone()
        cursor.execute("SELECT contact_mobile FROM members_enterprise WHERE uscc = %s", [USCC_A])
        (raw_contact,) = cursor.fetchone()
    assert raw_id.startswith("v1:") and ID_P not in raw_id and ID_P[-6:] not in raw_id
    assert raw_mobile.startswith("v1:") and MOBILE_P not in raw_mobile
    assert raw_contact.startswith("v1:") and MOBILE not in raw_contact
    assert ID_P not in index and len(index) == 64


def test_reimport_is_idempotent(cast, upload):
    path = upload(good_rows())
    import_members(actor=cast.users.staff, path=path)
    first = snapshot()
    report = import_members(actor=cast.users.staff, path=path)
    assert report.summary == "共 5 条，成功 5 条，失败 0 条" and (report.created, report.updated) == (0, 5)
    second = snapshot()
    assert second.pop("AuditEvent") != first.pop("AuditEvent")  # one more import audited …
    assert second == first  # … and nothing else changed: no duplicates, same values


def test_reimport_updates_given_values_and_keeps_stored_ones_for_empty_cells(cast, upload):
    import_members(actor=cast.users.staff, path=upload(good_rows()))
    headers = ["会员类型", "入会日期", "企业名称", "统一社会信用代码", "企业类型", "行业代码", "从业人数"]
    rows = [["企业会员", "2024-03-05", "天津导入科技股份有限公司", USCC_A, "私营企业", "6513", 40]]
    report = import_members(actor=cast.users.staff, path=upload(rows, name="update.xlsx", headers=headers))
    assert (report.created, report.updated) == (0, 1)
    a = Enterprise.objects.get(uscc=USCC_A)
    assert a.name == "天津导入科技股份有限公司" and a.name_initials == pinyin_initials(a.name) and a.employees == 40
    assert (a.contact_mobile, a.street, a.size, a.registered_capital) == (MOBILE, cast.street, "small", Decimal("500.5"))
    m = Membership.objects.get(enterprise=a)
    assert m.number == "HX-2024-0101" and m.body_position == "executive"


def test_existing_members_of_the_cast_are_updated_not_duplicated(cast, upload):
    rows = [member(会员类型="企业会员", 入会日期="2020-01-01", 企业名称=cast.ent1.name, 统一社会信用代码=cast.ent1.uscc,
                   企业类型="私营企业", 行业代码="6513", 从业人数=99),
            member(会员类型="团体会员", 会员证号="HX-2020-0004", 入会日期="2020-01-01", 团体名称="友谊路街道商会")]
    before = counts()
    report = import_members(actor=cast.users.staff, path=upload(rows))
    assert (report.created, report.updated) == (0, 2) and counts()["Membership"] == before["Membership"]
    cast.ent1.refresh_from_db()
    assert cast.ent1.employees == 99 and cast.ent1.contact_mobile  # the stored mobile is kept


def bad_rows():
    wrong_check = USCC_B[:-1] + ("0" if USCC_B[-1] != "0" else "1")
    wrong_id = ID_P[:-1] + ("0" if ID_P[-1] != "0" else "1")
    enterprise = {"企业类型": "私营企业", "行业代码": "6513", "入会日期": "2024-03-09"}
    return good_rows() + [
        member(会员类型="企业会员", 企业名称="天津错误校验位有限公司", 统一社会信用代码=wrong_check, **enterprise),
        member(会员类型="企业会员", 企业名称="天津导入科技有限公司", 统一社会信用代码=USCC_A, **enterprise),
        member(会员类型="企业会员", 企业名称="天津科学计数有限公司", 统一社会信用代码=9.11201030000001e17, **enterprise),
        member(会员类型="企业会员", 入会日期="2024-13-40", 企业名称="天津坏数据有限公司", 统一社会信用代码=make_uscc(_rng),
               企业类型="国企", 行业代码="9999", 所在街道="不存在街道", 联系人手机="1234"),
        member(会员类型="个人会员", 入会日期="2024-03-09", 状态="退会", 姓名="张三"),
        member(会员类型="个人会员", 入会日期="2024-03-09", 姓名="李四", 身份证号=wrong_id, 性别="男"),
        member(会员类型="团体会员", 入会日期="2024-03-09", 团体名称="不存在的商会"),
        member(会员类型="企业会员", 会员证号="HX-2020-0001", 企业名称="天津占号有限公司", 统一社会信用代码=make_uscc(_rng),
               **enterprise),
        member(会员类型="企业会员", 企业名称="南开某某餐饮有限公司", 统一社会信用代码="{other}", **enterprise),
        member(入会日期="2024-03-09", 企业名称="没有类型有限公司"),
        member(会员类型="企业会员", 会员证号="HX-2024-0101", 企业名称="天津重号有限公司", 统一社会信用代码=make_uscc(_rng),
               **enterprise),
    ]


def with_other(rows, cast):
    return [[cast.ent_other.uscc if cell == "{other}" else cell for cell in row] for row in rows]


def test_bad_file_gives_excel_rows_and_reasons_and_changes_nothing(cast, upload):
    before = snapshot()
    path = upload(with_other(bad_rows(), cast), title_rows=1, blank_before=(5,))
    report = import_members(actor=cast.users.staff, path=path)
    assert not report.committed and snapshot() == before
    assert report.summary == "共 16 条，成功 5 条，失败 11 条"
    errors = {(e.row, e.column): e.reason for e in report.errors}
    # row 1 title, row 2 header, data from row 3; a blank row before the 6th data row (Excel row 9)
    assert errors[(9, "统一社会信用代码")] == "统一社会信用代码校验位错误。"
    assert errors[(10, "")] == "与第 3 行重复"
    assert "科学计数法" in errors[(11, "统一社会信用代码")]
    assert "日期不存在" in errors[(12, "入会日期")]
    assert errors[(12, "企业类型")].startswith("应为以下之一：私营企业、个体工商户")
    assert errors[(12, "联系人手机")] == "手机号码应为11位数字，当前为4位。"
    assert "不是 GB/T 4754-2017 的小类代码" in errors[(12, "行业代码")]
    assert "本工商联没有名为“不存在街道”的街道" in errors[(12, "所在街道")]
    assert errors[(13, "身份证号")] == "个人会员必填" and errors[(13, "退会日期")] == "状态为“退会”时必填"
    assert errors[(14, "身份证号")] == "身份证号码校验位错误。"
    assert "没有登记名为“不存在的商会”" in errors[(15, "团体名称")]
    assert errors[(16, "会员证号")] == "已被其他会员使用"
    assert errors[(17, "统一社会信用代码")] == "该企业已登记在其他工商联，不能在此导入"
    assert errors[(18, "会员类型")] == "不能为空"
    assert errors[(19, "会员证号")] == "与第 3 行重复"
    assert {e.row for e in report.errors} == set(range(9, 20))


def test_a_bad_row_after_committed_batches_still_changes_nothing(cast, upload, monkeypatch):
    monkeypatch.setattr(MemberImportSpec, "batch_size", 2)
    before = snapshot()
    rows = good_rows() + [member(会员类型="企业会员", 入会日期="2024-03-09", 企业名称="坏", 统一社会信用代码="123")]
    report = import_members(actor=cast.users.staff, path=upload(rows))
    assert report.failed == 1 and not report.committed and snapshot() == before


def test_valid_only_commits_only_the_valid_rows(cast, upload):
    before = counts()
    report = import_members(actor=cast.users.staff, path=upload(with_other(bad_rows(), cast)), valid_only=True)
    assert report.committed and report.summary == "共 16 条，成功 5 条，失败 11 条" and report.created == 5
    assert counts()["Membership"] - before["Membership"] == 5
    assert not Enterprise.objects.filter(name__in=["天津坏数据有限公司", "天津占号有限公司"]).exists()
    assert AuditEvent.objects.get(action="import").detail["valid_only"] is True


def test_dry_run_writes_nothing(cast, upload):
    before = snapshot()
    report = import_members(actor=cast.users.staff, path=upload(good_rows()), dry_run=True)
    assert report.summary == "共 5 条，成功 5 条，失败 0 条" and not report.committed and snapshot() == before


def test_rules_that_depend_on_the_member_kind(cast, upload):
    rows = [
        member(会员类型="企业会员", 入会日期="2024-03-09"),
        member(会员类型="个人会员", 入会日期="2024-03-09", 姓名="王五", 身份证号=ID_P, 性别="男", 统一社会信用代码=USCC_C),
        member(会员类型="团体会员", 入会日期="2024-03-09", 团体名称="河西区浙江商会", 所属商会="友谊路街道商会"),
        member(会员类型="企业会员", 入会日期="2099-01-01", 状态="在册", 退会原因="无", 企业名称="天津未来有限公司",
               统一社会信用代码=USCC_C, 企业类型="私营企业", 行业代码="6513", 商会职务="会长"),
    ]
    errors = {(e.row, e.column): e.reason
              for e in import_members(actor=cast.users.staff, path=upload(rows), dry_run=True).errors}
    assert {errors[(2, h)] for h in ("企业名称", "统一社会信用代码", "企业类型", "行业代码")} == {"企业会员必填"}
    assert errors[(3, "性别")] == "与身份证号不一致"
    assert errors[(4, "所属商会")] == "仅适用于企业会员"
    assert errors[(5, "入会日期")] == "不能晚于今天"
    assert errors[(5, "退会原因")] == "仅在状态为“退会”时填写"
    assert errors[(5, "商会职务")] == "填写商会职务时须同时填写所属商会"


def test_a_person_links_only_to_an_enterprise_registered_before(cast, upload):
    person = member(会员类型="个人会员", 入会日期="2024-03-09", 姓名="刘导入", 身份证号=ID_P, 统一社会信用代码=USCC_A)
    report = import_members(actor=cast.users.staff, path=upload([person, good_rows()[0]]), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "统一社会信用代码")]
    assert "关联的企业尚未登记" in report.errors[0].reason
    report = import_members(actor=cast.users.staff, path=upload([good_rows()[0], person], name="ordered.xlsx"))
    assert report.committed and EnterpriseRole.objects.filter(person__name="刘导入", enterprise__uscc=USCC_A).exists()


def test_a_person_already_holding_a_role_gets_no_second_link(cast, upload):
    rows = [member(会员类型="个人会员", 入会日期="2024-03-09", 姓名="王建国", 身份证号=cast.person1.id_number,
                   统一社会信用代码=cast.ent1.uscc)]
    import_members(actor=cast.users.staff, path=upload(rows))
    assert list(EnterpriseRole.objects.filter(person=cast.person1).values_list("role", flat=True)) == \
        ["legal_representative"]
    assert Person.objects.filter(name="王建国").count() == 1  # found by the blind index, not duplicated


@pytest.mark.parametrize("username", ["chamber1", "leader", "dept1", "ent1", "auditor"])
def test_only_staff_and_sysadmin_may_import(cast, upload, username):
    with pytest.raises(PermissionDenied):
        import_members(actor=getattr(cast.users, username), path=upload(good_rows()), dry_run=True)


def test_sysadmin_imports_into_their_own_federation(cast, upload):
    import_members(actor=cast.users.admin, path=upload(good_rows()))
    assert Membership.objects.filter(federation=cast.district, number="HX-2024-0101").exists()


def test_another_federations_staff_cannot_take_over_its_members(cast, upload):
    rows = [member(会员类型="企业会员", 入会日期="2024-03-09", 企业名称=cast.ent1.name, 统一社会信用代码=cast.ent1.uscc,
                   企业类型="私营企业", 行业代码="6513"),
            member(会员类型="团体会员", 入会日期="2024-03-09", 团体名称="河西区浙江商会")]
    report = import_members(actor=cast.users.outsider_staff, path=upload(rows))
    errors = {(e.row, e.column): e.reason for e in report.errors}
    assert errors[(2, "统一社会信用代码")] == "该企业已登记在其他工商联，不能在此导入"
    assert "没有登记名为" in errors[(3, "团体名称")] and not report.committed


def test_a_file_that_is_not_a_workbook_is_refused(cast, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(b"MZ\x90\x00 renamed exe")
    with pytest.raises(ExcelError, match="不是有效的 Excel"):
        import_members(actor=cast.users.staff, path=path)


def test_missing_required_header_is_named(cast, upload):
    headers = [h for h in HEADERS if h != "入会日期*"]
    with pytest.raises(ExcelError, match="缺少必需的列：入会日期"):
        import_members(actor=cast.users.staff, path=upload([], headers=headers))


def test_the_chamber_memberships_written_are_announced_once_after_the_last_batch(cast, upload, monkeypatch):
    """The import tells the apps above (`members.signals`) which active chamber memberships it inserted — once,
    after its last batch: a receiver (the appeal summaries) takes the global write lock, which a batch must not
    hold while the rest of the file is read."""
    from shanglian.members.signals import chamber_memberships_written

    monkeypatch.setattr(MemberImportSpec, "batch_size", 1)
    sent, enterprises_when_sent = [], []

    def receiver(sender, pairs, **kwargs):
        sent.append(sorted(pairs))
        enterprises_when_sent.append(counts()["Enterprise"])

    chamber_memberships_written.connect(receiver, dispatch_uid="test_announced_once")
    try:
        rows = [member(会员类型="企业会员", 入会日期="2024-03-05", 企业名称=f"天津宣布测试{n}有限公司",
                       统一社会信用代码=make_uscc(_rng), 企业类型="私营企业", 行业代码="6513",
                       所属商会=cast.chamber1.name) for n in range(3)]
        report = import_members(actor=cast.users.staff, path=upload(rows))
    finally:
        chamber_memberships_written.disconnect(dispatch_uid="test_announced_once")
    assert report.committed and report.created == 3
    new = set(Enterprise.objects.filter(name__startswith="天津宣布测试").values_list("pk", flat=True))
    assert sent == [sorted((cast.chamber1.pk, pk) for pk in new)]
    assert enterprises_when_sent == [counts()["Enterprise"]]  # every row written by then
