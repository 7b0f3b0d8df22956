"""The assessment services: who opens which assessment (a township chamber's 五有, any chamber's 四好, the
federation's 五好), duplicates refused in words, a claim without evidence refused, submission, verification (staff
only, a return needs a remark), confirmation (every item verified; the total and its level at the boundaries), the
return with its reason — each refusal changing nothing."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.common.records import snapshot
from shanglian.honours.models import Assessment, AssessmentItem, EvidenceFile
from shanglian.honours.schemes import FIVE_GOOD, FIVE_HAVE, FOUR_GOOD
from shanglian.honours.services import assessments as services

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="牌子照片.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def filled(assessment, *, status=I.PENDING, scores=None):
    """Every item claimed with a note (五有: met; scored: the given scores, 20 each by default)."""
    scheme = {"five_have": FIVE_HAVE, "four_good": FOUR_GOOD, "five_good": FIVE_GOOD}[assessment.scheme]
    for item in scheme.items:
        if item.max_score:
            testing.claim_item(assessment, item.code, score=(scores or {}).get(item.code, Decimal(20)), status=status)
        else:
            testing.claim_item(assessment, item.code, met=True, status=status)
    return assessment


# --- create ------------------------------------------------------------------------------------------------------
def test_an_editor_opens_a_township_chambers_five_have_with_one_empty_item_per_item(cast):
    assessment = services.create_assessment(actor=cast.users.staff, scheme="five_have", year=2025,
                                            chamber=cast.chamber1)
    assert assessment.federation == cast.district and assessment.status == A.DRAFT
    assert sorted(assessment.items.values_list("code", flat=True)) == sorted(i.code for i in FIVE_HAVE.items)
    assert set(assessment.items.values_list("status", flat=True)) == {I.EMPTY}
    assert AuditEvent.objects.filter(object_type="honours.assessment", object_id=str(assessment.pk),
                                     action="create").exists()


def test_a_chamber_secretary_opens_its_own_chambers_assessments(cast):
    five = services.create_assessment(actor=cast.users.chamber1, scheme="five_have", year=2025, chamber=cast.chamber1)
    four = services.create_assessment(actor=cast.users.chamber2, scheme="four_good", year=2025, chamber=cast.chamber2)
    assert five.chamber == cast.chamber1 and four.chamber == cast.chamber2


def test_a_chamber_secretary_cannot_open_another_chambers_assessment(cast):
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(actor=cast.users.chamber2, scheme="four_good", year=2025, chamber=cast.chamber1)
    assert "不在您的管理范围内" in str(refused.value)
    assert not Assessment.objects.exists()


def test_the_five_have_is_only_for_township_chambers(cast):
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(actor=cast.users.staff, scheme="five_have", year=2025, chamber=cast.chamber2)
    assert "只适用于街道（镇）商会" in str(refused.value)
    with pytest.raises(ValidationError):
        services.create_assessment(actor=cast.users.chamber2, scheme="five_have", year=2025, chamber=cast.chamber2)
    assert not Assessment.objects.exists()


def test_an_inactive_chamber_gets_no_new_assessment(cast):
    cast.chamber1.status = "suspended"
    cast.chamber1.save()
    with pytest.raises(ValidationError):
        services.create_assessment(actor=cast.users.staff, scheme="five_have", year=2025, chamber=cast.chamber1)


def test_the_five_good_self_check_is_the_federations_and_only_editors_open_it(cast):
    check = services.create_assessment(actor=cast.users.staff, scheme="five_good", year=2025)
    assert check.chamber is None and check.federation == cast.district
    assert check.items.count() == len(FIVE_GOOD.items)
    with pytest.raises(PermissionDenied):
        services.create_assessment(actor=cast.users.chamber1, scheme="five_good", year=2026)
    with pytest.raises(ValidationError):
        services.create_assessment(actor=cast.users.staff, scheme="five_good", year=2026, chamber=cast.chamber1)


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_other_roles_open_no_assessment(cast, role):
    with pytest.raises(PermissionDenied):
        services.create_assessment(actor=getattr(cast.users, role), scheme="four_good", year=2025,
                                   chamber=cast.chamber1)


def test_a_duplicate_is_refused_with_a_clear_message(cast):
    services.create_assessment(actor=cast.users.staff, scheme="five_have", year=2025, chamber=cast.chamber1)
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(actor=cast.users.chamber1, scheme="five_have", year=2025, chamber=cast.chamber1)
    assert "友谊路街道商会2025年度已有镇街商会“五有”评估，不能重复创建" in refused.value.messages[0]
    services.create_assessment(actor=cast.users.staff, scheme="five_good", year=2025)
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(actor=cast.users.staff, scheme="five_good", year=2025)
    assert "河西区工商联2025年度已有" in refused.value.messages[0]
    assert Assessment.objects.count() == 2


def test_a_year_out_of_range_is_refused(cast):
    with pytest.raises(ValidationError):
        services.create_assessment(actor=cast.users.staff, scheme="four_good", year=1999, chamber=cast.chamber1)


# --- items -----------------------------------------------------------------------------------------------------------
def test_a_claim_without_evidence_is_refused_and_nothing_changes(cast):
    assessment = testing.make_assessment(cast.chamber1)
    item = assessment.items.get(code="sign")
    before = snapshot(item)
    with pytest.raises(ValidationError) as refused:
        services.save_item(actor=cast.users.chamber1, item=item, met=True, note="  ")
    assert refused.value.messages == [services.EVIDENCE_REQUIRED] == ["请填写佐证说明或上传佐证材料。"]
    item.refresh_from_db()
    assert snapshot(item) == before and item.status == I.EMPTY


def test_a_claim_with_a_note_or_a_file_is_pending_verification(cast):
    assessment = testing.make_assessment(cast.chamber1)
    sign = services.save_item(actor=cast.users.chamber1, item=assessment.items.get(code="sign"), met=True,
                              note="商会牌子已悬挂于街道办事处一楼")
    office = services.save_item(actor=cast.users.chamber1, item=assessment.items.get(code="office"), met=False,
                                files=[pdf("租赁合同.pdf")])
    assert (sign.met, sign.status) == (True, I.PENDING)
    assert (office.met, office.status, office.note) == (False, I.PENDING, "")
    assert EvidenceFile.objects.get(item=office).original_name == "租赁合同.pdf"
    event = AuditEvent.objects.filter(object_type="honours.assessmentitem", object_id=str(office.pk)).latest("id")
    assert event.object_repr.endswith("办公场所") and event.detail["assessment"] == assessment.pk
    assert {"field": "佐证材料", "old": "", "new": "租赁合同.pdf"} in event.detail["changes"]
    # the file is kept: a later change of the claim needs no new evidence
    office = services.save_item(actor=cast.users.chamber1, item=office, met=True)
    assert office.met is True


def test_a_scored_item_takes_a_score_up_to_its_maximum(cast):
    assessment = testing.make_assessment(cast.chamber2, scheme="four_good")
    item = assessment.items.get(code="political")
    saved = services.save_item(actor=cast.users.chamber2, item=item, score="23.5", note="党建工作台账")
    assert saved.score == Decimal("23.50") and saved.met is None
    for bad in ("25.01", "-1", "abc", "", "1.234"):
        with pytest.raises(ValidationError):
            services.save_item(actor=cast.users.chamber2, item=item, score=bad, note="x")
    item.refresh_from_db()
    assert item.score == Decimal("23.50")


def test_a_met_or_not_item_needs_its_answer(cast):
    assessment = testing.make_assessment(cast.chamber1)
    with pytest.raises(ValidationError):
        services.save_item(actor=cast.users.chamber1, item=assessment.items.get(code="sign"), met=None, note="x")


def test_a_chamber_secretary_edits_only_its_own_chambers_items(cast):
    assessment = testing.make_assessment(cast.chamber1)
    with pytest.raises(PermissionDenied):
        services.save_item(actor=cast.users.chamber2, item=assessment.items.get(code="sign"), met=True, note="x")
    with pytest.raises(PermissionDenied):
        services.save_item(actor=cast.users.leader, item=assessment.items.get(code="sign"), met=True, note="x")
    assert assessment.items.get(code="sign").met is None


def test_items_are_not_changed_after_submission(cast):
    assessment = filled(testing.make_assessment(cast.chamber1, status=A.SUBMITTED))
    with pytest.raises(Refused):
        services.save_item(actor=cast.users.chamber1, item=assessment.items.get(code="sign"), met=False, note="x")


def test_a_changed_verified_item_is_pending_again(cast):
    assessment = filled(testing.make_assessment(cast.chamber1), status=I.VERIFIED)
    item = services.save_item(actor=cast.users.chamber1, item=assessment.items.get(code="funds"), met=True,
                              note="补充了经费凭证")
    assert item.status == I.PENDING


def test_deleting_evidence_of_a_verified_item_makes_it_pending_and_removes_the_file(
        cast, settings, django_capture_on_commit_callbacks):
    assessment = testing.make_assessment(cast.chamber1)
    item = services.save_item(actor=cast.users.chamber1, item=assessment.items.get(code="sign"), met=True,
                              files=[pdf()])
    AssessmentItem.objects.filter(pk=item.pk).update(status=I.VERIFIED)
    evidence = EvidenceFile.objects.get(item=item)
    path = Path(settings.MEDIA_ROOT) / services.FOLDER / evidence.stored_name
    assert path.exists()
    with pytest.raises(PermissionDenied):
        services.delete_evidence(actor=cast.users.chamber2, evidence=evidence)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_evidence(actor=cast.users.chamber1, evidence=evidence)
    item.refresh_from_db()
    assert item.status == I.PENDING and not EvidenceFile.objects.exists()
    assert not path.exists()


# --- submit ---------------------------------------------------------------------------------------------------------
def test_submission_is_refused_while_an_item_has_no_claim(cast):
    assessment = testing.make_assessment(cast.chamber1)
    testing.claim_item(assessment, "sign", met=True)
    with pytest.raises(Refused) as refused:
        services.submit_assessment(actor=cast.users.chamber1, assessment=assessment)
    assert "尚未填报" in refused.value.message and "“工作班子”" in refused.value.message
    assessment.refresh_from_db()
    assert assessment.status == A.DRAFT and assessment.submitted_at is None


def test_submission_is_refused_while_a_claim_has_no_evidence(cast):
    assessment = filled(testing.make_assessment(cast.chamber1))
    AssessmentItem.objects.filter(assessment=assessment, code="team").update(note="")
    with pytest.raises(Refused) as refused:
        services.submit_assessment(actor=cast.users.chamber1, assessment=assessment)
    assert "缺少佐证" in refused.value.message and "“工作班子”" in refused.value.message


def test_submission_is_refused_while_a_returned_item_is_unchanged(cast):
    assessment = filled(testing.make_assessment(cast.chamber1))
    testing.claim_item(assessment, "funds", met=True, status=I.RETURNED)
    with pytest.raises(Refused) as refused:
        services.submit_assessment(actor=cast.users.chamber1, assessment=assessment)
    assert "已退回补充" in refused.value.message


def test_a_complete_assessment_is_submitted_by_its_keeper(cast):
    assessment = filled(testing.make_assessment(cast.chamber1))
    with pytest.raises(PermissionDenied):
        services.submit_assessment(actor=cast.users.leader, assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.submit_assessment(actor=cast.users.chamber2, assessment=assessment)
    services.submit_assessment(actor=cast.users.chamber1, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == A.SUBMITTED and assessment.submitted_at is not None
    with pytest.raises(Refused):
        services.submit_assessment(actor=cast.users.chamber1, assessment=assessment)


# --- verify ---------------------------------------------------------------------------------------------------------
def test_a_chamber_secretary_cannot_verify(cast):
    assessment = filled(testing.make_assessment(cast.chamber1, status=A.SUBMITTED))
    item = assessment.items.get(code="sign")
    with pytest.raises(PermissionDenied):
        services.verify_item(actor=cast.users.chamber1, item=item, result=I.VERIFIED)
    with pytest.raises(PermissionDenied):
        services.verify_item(actor=cast.users.leader, item=item, result=I.VERIFIED)
    item.refresh_from_db()
    assert item.status == I.PENDING


def test_staff_verify_an_item_and_a_return_needs_a_remark(cast):
    assessment = filled(testing.make_assessment(cast.chamber1, status=A.SUBMITTED))
    item = services.verify_item(actor=cast.users.staff, item=assessment.items.get(code="sign"), result=I.VERIFIED)
    assert item.status == I.VERIFIED and item.verified_by == cast.users.staff and item.verified_at
    with pytest.raises(ValidationError) as refused:
        services.verify_item(actor=cast.users.staff, item=assessment.items.get(code="team"), result=I.RETURNED)
    assert "退回补充时请填写核实意见" in str(refused.value)
    assert assessment.items.get(code="team").status == I.PENDING
    item = services.verify_item(actor=cast.users.staff, item=assessment.items.get(code="team"), result=I.RETURNED,
                                remark="缺少秘书长任命文件")
    assert (item.status, item.review_note) == (I.RETURNED, "缺少秘书长任命文件")
    with pytest.raises(ValidationError):
        services.verify_item(actor=cast.users.staff, item=item, result=I.EMPTY)


def test_another_federations_staff_cannot_verify(cast):
    assessment = filled(testing.make_assessment(cast.chamber1, status=A.SUBMITTED))
    with pytest.raises(PermissionDenied):
        services.verify_item(actor=cast.users.outsider_staff, item=assessment.items.get(code="sign"),
                             result=I.VERIFIED)


def test_items_are_verified_only_while_submitted(cast):
    assessment = filled(testing.make_assessment(cast.chamber1))
    with pytest.raises(Refused):
        services.verify_item(actor=cast.users.staff, item=assessment.items.get(code="sign"), result=I.VERIFIED)


# --- confirm and return ---------------------------------------------------------------------------------------------
def test_confirmation_needs_every_item_verified(cast):
    assessment = filled(testing.make_assessment(cast.chamber1, status=A.SUBMITTED))
    for item in assessment.items.exclude(code="activities"):
        services.verify_item(actor=cast.users.staff, item=item, result=I.VERIFIED)
    with pytest.raises(Refused) as refused:
        services.confirm_assessment(actor=cast.users.staff, assessment=assessment)
    assert "尚未核实" in refused.value.message and "“活动开展”" in refused.value.message
    services.verify_item(actor=cast.users.staff, item=assessment.items.get(code="activities"), result=I.RETURNED,
                         remark="缺少活动照片")
    with pytest.raises(Refused) as refused:
        services.confirm_assessment(actor=cast.users.staff, assessment=assessment)
    assert "已退回补充" in refused.value.message
    assessment.refresh_from_db()
    assert assessment.status == A.SUBMITTED and assessment.level == ""
    services.verify_item(actor=cast.users.staff, item=assessment.items.get(code="activities"), result=I.VERIFIED)
    with pytest.raises(PermissionDenied):
        services.confirm_assessment(actor=cast.users.chamber1, assessment=assessment)
    services.confirm_assessment(actor=cast.users.staff, assessment=assessment)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.level, assessment.total_score) == (A.CONFIRMED, "达标", None)
    assert assessment.confirmed_by == cast.users.staff


def test_a_five_have_with_an_item_not_met_is_confirmed_not_met(cast):
    assessment = filled(testing.make_assessment(cast.chamber1, status=A.SUBMITTED), status=I.VERIFIED)
    testing.claim_item(assessment, "office", met=False, status=I.VERIFIED)
    services.confirm_assessment(actor=cast.users.staff, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.level == "未达标"


@pytest.mark.parametrize(("total", "level"), [
    (Decimal("100"), "示范商会"), (Decimal("90"), "示范商会"), (Decimal("89.99"), "“四好”商会"),
    (Decimal("75"), "“四好”商会"), (Decimal("74.99"), "合格"), (Decimal("60"), "合格"), (Decimal("59.99"), "不达标"),
    (Decimal("0"), "不达标"),
], ids=["100", "90", "89.99", "75", "74.99", "60", "59.99", "0"])
def test_four_good_levels_at_the_boundaries(total, level):
    assert FOUR_GOOD.level_of(total) == level


@pytest.mark.parametrize(("scores", "total", "level"), [
    (("25", "25", "20", "20"), "90.00", "示范商会"),
    (("25", "25", "20", "19.99"), "89.99", "“四好”商会"),
    (("20", "20", "20", "15"), "75.00", "“四好”商会"),
    (("15", "15", "15", "15"), "60.00", "合格"),
    (("15", "15", "15", "14.99"), "59.99", "不达标"),
], ids=["90", "89.99", "75", "60", "59.99"])
def test_confirmation_computes_the_total_and_its_level(cast, scores, total, level):
    assessment = testing.make_assessment(cast.chamber2, scheme="four_good", status=A.SUBMITTED)
    filled(assessment, status=I.VERIFIED,
           scores={item.code: Decimal(score) for item, score in zip(FOUR_GOOD.items, scores, strict=True)})
    services.confirm_assessment(actor=cast.users.staff, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.total_score == Decimal(total) and assessment.level == level


def test_five_good_levels(cast):
    assert [FIVE_GOOD.level_of(Decimal(n)) for n in ("90", "89.99", "75", "60", "59.99")] == [
        "优秀", "良好", "良好", "合格", "不达标"]
    check = testing.make_assessment(cast.district, scheme="five_good", status=A.SUBMITTED)
    filled(check, status=I.VERIFIED, scores={"political": Decimal("19"), "counsel": Decimal("18.5")})
    services.confirm_assessment(actor=cast.users.staff, assessment=check)
    check.refresh_from_db()
    assert check.total_score == Decimal("97.50") and check.level == "优秀"


def test_a_return_needs_its_reason_and_is_audited(cast):
    assessment = filled(testing.make_assessment(cast.chamber1, status=A.SUBMITTED))
    with pytest.raises(ValidationError):
        services.return_assessment(actor=cast.users.staff, assessment=assessment, reason=" ")
    with pytest.raises(PermissionDenied):
        services.return_assessment(actor=cast.users.chamber1, assessment=assessment, reason="自己退回")
    assessment.refresh_from_db()
    assert assessment.status == A.SUBMITTED
    services.return_assessment(actor=cast.users.staff, assessment=assessment, reason="办公场所证明不清晰")
    assessment.refresh_from_db()
    assert assessment.status == A.DRAFT
    event = AuditEvent.objects.filter(object_type="honours.assessment", object_id=str(assessment.pk)).latest("id")
    assert event.detail["transition"] == "return_assessment" and event.detail["reason"] == "办公场所证明不清晰"
    assert {"field": "退回原因", "old": "", "new": "办公场所证明不清晰"} in event.detail["changes"]


def test_only_a_draft_never_submitted_is_deleted(cast):
    assessment = testing.make_assessment(cast.chamber1)
    services.save_item(actor=cast.users.chamber1, item=assessment.items.get(code="sign"), met=True, files=[pdf()])
    returned = testing.make_assessment(cast.chamber1, year=2024)
    Assessment.objects.filter(pk=returned.pk).update(submitted_at="2024-06-01T00:00:00+08:00")
    with pytest.raises(Refused):
        services.delete_assessment(actor=cast.users.chamber1, assessment=returned)
    with pytest.raises(PermissionDenied):
        services.delete_assessment(actor=cast.users.chamber2, assessment=assessment)
    services.delete_assessment(actor=cast.users.chamber1, assessment=assessment)
    assert not Assessment.objects.filter(pk=assessment.pk).exists() and not EvidenceFile.objects.exists()
