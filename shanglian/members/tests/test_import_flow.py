"""The upload flow commits the rows its preview checked (kept, signed, with the job) without reading the
file again; what can have changed since — what a row names in the database — is checked again. And the
fast paths of the import (pinyin table, check digits, column-wise conversion) store exactly what the old
ones stored, on ~2,000 rows."""

import random
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.excel import run_import
from shanglian.common.models import ImportJob
from shanglian.imports import checked, jobs
from shanglian.members.imports import MemberImportSpec
from shanglian.members.models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person

from .oracles import old_implementations
from .test_import import USCC_B, good_rows, member, xlsx

# The members a foreign key names, by natural key (ids differ between two runs on PostgreSQL).
NATURAL = {"enterprise": "enterprise__uscc", "person": "person__id_number_index", "group": "group__name",
           "chamber": "chamber__name"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored():
    """Every row the import writes, by natural keys, without ids and timestamps (mobiles decrypted)."""
    state = {}
    for model in (Enterprise, Person, EnterpriseRole, ChamberMembership, Membership):
        fields = [NATURAL.get(f.name, f.attname) for f in model._meta.concrete_fields
                  if f.name not in ("id", "created_at", "updated_at")]
        state[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    return state


def undone(action):
    """What `action()` stores, then undone (the test goes on from the same database)."""
    with transaction.atomic():
        action()
        state = stored()
        transaction.set_rollback(True)
    return state


def upload_of(rows):
    return SimpleUploadedFile("会员名单.xlsx", xlsx(rows))


def flow(actor, rows, *, between=None, valid_only=False):
    job = jobs.check_upload(actor=actor, kind="members", upload=upload_of(rows))
    if between:
        between()
    return jobs.commit(actor=actor, job=job, valid_only=valid_only)


def many_rows(count):
    """~`count` rows of every kind, names full of characters read differently inside words (银行, 重庆…)."""
    rng = random.Random(19)
    words = "华泰恒通银行重庆长安乐朝阳厦门音乐会计单位调度说明省曾参藏大夫"
    rows, usccs = [], []
    for n in range(count):
        joined = (date(2016, 1, 1) + timedelta(days=rng.randrange(3000))).isoformat()
        if n % 10 == 9 and usccs:
            rows.append(member(会员类型="个人会员", 会员证号=f"P-{n:05d}", 入会日期=joined, 姓名="".join(rng.sample(words, 3)),
                               身份证号=make_id_number(rng, "120103", date(1980, 1, 1) + timedelta(days=rng.randrange(9000)),
                                                   female=rng.random() < 0.5),
                               手机号=make_mobile(rng), 统一社会信用代码=rng.choice(usccs), 政治面貌="中共党员", 新生代="是"))
            continue
        uscc = make_uscc(rng)
        usccs.append(uscc)
        rows.append(member(会员类型="企业会员", 会员证号=f"E-{n:05d}", 入会日期=joined, 企业名称="天津" + "".join(
            rng.sample(words, 4)) + f"{n}号（ABC）有限公司", 统一社会信用代码=uscc.lower() if n % 7 == 0 else uscc,
            企业类型=rng.choice(["私营企业", "个体工商户"]), 行业代码=rng.choice(["6513", 5212.0, "5212"]),
            规模=rng.choice(["小型", "微型", ""]), 高新技术企业=rng.choice(["是", "否", ""]), 成立日期="2010年5月6日",
            从业人数=float(rng.randrange(1, 400)), 注册资本=rng.choice(["500.5", 12.345, ""]), 联系人手机=make_mobile(rng),
            所在街道=rng.choice(["友谊路街道", ""]), 所属商会=rng.choice(["友谊路街道商会", ""])))
    return rows


def test_preview_then_commit_stores_exactly_what_a_direct_commit_stores(cast, media, tmp_path):
    rows = good_rows()
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx(rows))
    direct = undone(lambda: run_import(MemberImportSpec(actor=cast.users.staff), path, dry_run=False))
    job = flow(cast.users.staff, rows)
    assert job.status == ImportJob.Status.DONE and job.result["created"] == 5
    assert stored() == direct
    assert not job.path.exists() and not job.rows_path.exists()  # neither the upload nor its checked rows are kept


def test_the_fast_import_and_the_flow_store_what_the_old_implementations_stored(cast, media, tmp_path):
    rows = many_rows(2000)
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx(rows))
    staff = cast.users.staff

    def direct():
        report = run_import(MemberImportSpec(actor=staff), path, dry_run=False)
        assert report.committed and report.failed == 0, report.errors[:5]

    with old_implementations():
        slow = undone(direct)
    assert undone(direct) == slow
    job = flow(staff, rows)
    assert job.status == ImportJob.Status.DONE
    assert stored() == slow
    assert len(slow["Enterprise"]) == len(rows) - len(rows) // 10 + 3  # and the cast's own three


def test_a_number_taken_by_someone_else_between_preview_and_commit_is_refused(cast, media, login):
    client = login(cast.users.staff)
    response = client.post(reverse("members:member_import"), {"file": upload_of(good_rows())})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.CHECKED and job.rows_path.exists()
    # meanwhile another member of the federation is given the number the file gives 天津导入商贸 (row 3)
    Membership.objects.filter(pk=cast.memberships.ent2.pk).update(number="HX-2024-0102")
    before = stored()

    client.post(reverse("members:member_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert stored() == before  # nothing written
    assert job.result["errors"] == [[3, "会员证号", "已被其他会员使用"]]
    page = client.get(reverse("members:member_import_job", args=[job.pk])).content.decode()
    assert "确认导入前，有 1 处所依据的数据已被修改" in page and "已被其他会员使用" in page and "第 3 行" in page
    assert not job.rows_path.exists()


def test_with_valid_only_the_rows_that_fail_at_the_commit_are_left_out_and_listed(cast, media):
    def take_number():
        Membership.objects.filter(pk=cast.memberships.ent2.pk).update(number="HX-2024-0102")

    job = flow(cast.users.staff, good_rows(), between=take_number, valid_only=True)
    assert job.status == ImportJob.Status.DONE and job.result["created"] == 4
    assert job.result["summary"] == "共 5 条，成功 4 条，失败 1 条"
    assert not Enterprise.objects.filter(uscc=USCC_B).exists()
    assert job.result["errors"] == [[3, "会员证号", "已被其他会员使用"]]


def test_an_enterprise_registered_by_another_federation_meanwhile_is_refused(cast, media):
    def registered_elsewhere():
        Enterprise.objects.filter(pk=cast.ent_other.pk).update(uscc=USCC_B)

    job = flow(cast.users.staff, good_rows(), between=registered_elsewhere)
    assert job.status == ImportJob.Status.REFUSED
    assert job.result["errors"] == [[3, "统一社会信用代码", "该企业已登记在其他工商联，不能在此导入"]]


def test_a_street_renamed_meanwhile_is_refused(cast, media):
    def street_renamed():
        type(cast.street).objects.filter(pk=cast.street.pk).update(name="改名街道")

    job = flow(cast.users.staff, good_rows(), between=street_renamed)
    assert job.status == ImportJob.Status.REFUSED
    assert job.result["errors"] == [[2, "所在街道", "本工商联没有名为“友谊路街道”的街道（镇）"],
                                    # as in a direct import: the person of row 4 links to that enterprise
                                    [4, "统一社会信用代码", "关联的企业尚未登记（请先导入该企业，或在本表中把企业会员行放在前面）"]]


@pytest.mark.parametrize("tamper", ["changed", "deleted"])
def test_checked_rows_that_do_not_match_their_signature_are_not_used(cast, media, tamper):
    job = jobs.check_upload(actor=cast.users.staff, kind="members", upload=upload_of(good_rows()))
    if tamper == "changed":
        text = job.rows_path.read_text(encoding="utf-8")
        job.rows_path.write_text(text.replace("天津导入科技有限公司", "天津篡改科技有限公司"), encoding="utf-8")
    else:
        job.rows_path.unlink()
    assert not checked.available(job)
    job = jobs.commit(actor=cast.users.staff, job=job, valid_only=False)
    assert job.status == ImportJob.Status.DONE  # the upload itself was read and checked again
    assert Enterprise.objects.filter(name="天津导入科技有限公司").exists()
    assert not Enterprise.objects.filter(name="天津篡改科技有限公司").exists()


def test_rows_changed_after_their_signature_was_verified_write_nothing(cast, media, monkeypatch):
    job = jobs.check_upload(actor=cast.users.staff, kind="members", upload=upload_of(good_rows()))
    original = checked.rows

    def swapped(job, spec):
        text = job.rows_path.read_text(encoding="utf-8")
        job.rows_path.write_text(text.replace("天津导入科技有限公司", "天津篡改科技有限公司"), encoding="utf-8")
        return original(job, spec)

    monkeypatch.setattr(checked, "rows", swapped)
    before = stored()
    job = jobs.commit(actor=cast.users.staff, job=job, valid_only=False)
    assert job.status == ImportJob.Status.ERROR and stored() == before
