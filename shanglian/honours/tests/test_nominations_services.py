"""提名 services: who may nominate whom (an editor any enterprise of the federation, a chamber secretary only its
active members, in its own name), only while 提名中 and before the deadline, once per category; editing and
withdrawing; materials kept or removed with the transaction; and the conflict rule (回避) — each of its links —
the same whichever form asks it (`conflict_of`, `conflicts`, `conflict_q`)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.honours.models import Nomination, NominationAttachment, Programme
from shanglian.honours.selectors import nominations as selectors
from shanglian.honours.services import nominations as services
from shanglian.members.models import ChamberMembership
from shanglian.orgs.models import Position, Term

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="纳税证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme(cast):
    return testing.make_programme(cast.district, categories=("依法纳税", "促进就业"))


@pytest.fixture
def category(programme):
    return programme.categories.order_by("order").first()


def stored_files():
    folder = Path(settings.MEDIA_ROOT) / services.ATTACHMENT_FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- who nominates whom ------------------------------------------------------------------------------------------
def test_an_editor_nominates_any_enterprise_of_the_federation_with_a_recommending_chamber(cast, category):
    nomination = services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent2,
                                   reason="连续三年纳税信用A级", chamber=cast.chamber1, files=[pdf()])
    assert nomination.status == Nomination.Status.NOMINATED and nomination.chamber == cast.chamber1
    assert nomination.nominated_by == cast.users.staff
    attachment = nomination.attachments.get()
    assert attachment.original_name == "纳税证明.pdf" and attachment.stored_name in stored_files()
    event = AuditEvent.objects.filter(object_type="honours.nomination", object_id=str(nomination.pk)).get()
    assert event.action == "create" and event.detail["attachments"] == 1


def test_an_editor_may_nominate_without_a_chamber_but_not_outside_the_federation(cast, category):
    assert services.nominate(actor=cast.users.admin, category=category, enterprise=cast.ent1,
                             reason="理由").chamber is None
    with pytest.raises(ValidationError) as refused:
        services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent_other, reason="理由")
    assert "请选择本工商联范围内的企业" in str(refused.value)
    assert not Nomination.objects.filter(enterprise=cast.ent_other).exists()


def test_a_chamber_secretary_nominates_its_active_members_in_its_own_name(cast, category):
    nomination = services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1, reason="理由")
    assert nomination.chamber == cast.chamber1  # set to its own whatever it asked


def test_a_chamber_secretary_cannot_nominate_another_chambers_member_nor_a_former_member(cast, category):
    with pytest.raises(ValidationError) as refused:
        services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent2, reason="理由")
    assert "本商会在册的会员企业" in str(refused.value)
    ChamberMembership.objects.filter(chamber=cast.chamber1, enterprise=cast.ent1).update(status="left")
    with pytest.raises(ValidationError):
        services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1, reason="理由")
    assert not Nomination.objects.exists()


def test_a_chamber_secretary_cannot_nominate_in_another_chambers_name(cast, category):
    with pytest.raises(ValidationError) as refused:
        services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1, reason="理由",
                          chamber=cast.chamber2)
    assert "只能以本商会名义提名" in str(refused.value)
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_roles_that_do_not_nominate_are_refused(cast, category, role):
    with pytest.raises(PermissionDenied):
        services.nominate(actor=getattr(cast.users, role), category=category, enterprise=cast.ent1, reason="理由")
    assert not Nomination.objects.exists()


def test_another_federations_editor_cannot_nominate_in_this_programme(cast, category):
    with pytest.raises(PermissionDenied):
        services.nominate(actor=cast.users.outsider_staff, category=category, enterprise=cast.ent_other, reason="理由")


@pytest.mark.parametrize("status", ["draft", "scoring", "closed"])
def test_nominating_outside_the_nomination_stage_is_refused_and_nothing_is_kept(cast, category, status):
    Programme.objects.filter(pk=category.programme_id).update(status=status)
    with pytest.raises(Refused) as refused:
        services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="理由",
                          files=[pdf()])
    assert "不在提名阶段" in refused.value.message
    assert not Nomination.objects.exists() and not NominationAttachment.objects.exists()
    assert stored_files() == []  # the file written before the refusal is removed again


def test_nominating_after_the_deadline_is_refused(cast, category):
    Programme.objects.filter(pk=category.programme_id).update(
        nomination_deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(Refused) as refused:
        services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="理由")
    assert "提名已于" in refused.value.message and "截止" in refused.value.message


def test_an_enterprise_is_nominated_once_per_category_and_a_withdrawn_one_comes_back(cast, programme, category):
    first = services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="第一次")
    with pytest.raises(ValidationError) as refused:
        services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1, reason="第二次")
    assert "已被提名到" in str(refused.value)
    other = programme.categories.exclude(pk=category.pk).get()
    assert services.nominate(actor=cast.users.staff, category=other, enterprise=cast.ent1, reason="另一类别")
    services.withdraw_nomination(actor=cast.users.staff, nomination=first)
    again = services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1, reason="重新提名")
    assert again.pk == first.pk and again.status == Nomination.Status.NOMINATED
    assert again.reason == "重新提名" and again.chamber == cast.chamber1


@pytest.mark.parametrize("reason", ["", "   ", "字" * (services.MAX_REASON + 1)], ids=["empty", "blank", "too-long"])
def test_a_nomination_needs_a_reason(cast, category, reason):
    with pytest.raises(ValidationError) as refused:
        services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason=reason)
    assert "推荐理由" in str(refused.value)
    assert not Nomination.objects.exists()


def test_a_file_of_a_forbidden_type_is_refused_and_nothing_is_written(cast, category):
    bad = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="理由", files=[bad])
    assert "不是允许的类型" in str(refused.value)
    assert not Nomination.objects.exists() and stored_files() == []


# --- edit and withdraw -------------------------------------------------------------------------------------------
def test_the_reason_and_materials_are_edited_while_nominating(cast, category, django_capture_on_commit_callbacks):
    nomination = services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1,
                                   reason="原理由", files=[pdf("旧材料.pdf")])
    old = nomination.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_nomination(actor=cast.users.chamber1, nomination=nomination, reason="新理由",
                                 files=[pdf("新材料.pdf")], remove=[old.pk])
    nomination.refresh_from_db()
    assert nomination.reason == "新理由"
    assert [a.original_name for a in nomination.attachments.all()] == ["新材料.pdf"]
    assert old.stored_name not in stored_files()
    event = AuditEvent.objects.filter(object_type="honours.nomination", action="update").get()
    assert {"field": "推荐理由", "old": "原理由", "new": "新理由"} in event.detail["changes"]
    assert {"field": "证明材料", "old": "旧材料.pdf", "new": "新材料.pdf"} in event.detail["changes"]


def test_an_attachment_of_another_nomination_cannot_be_removed(cast, category):
    mine = services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="理由")
    theirs = services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent2, reason="理由",
                               files=[pdf()])
    with pytest.raises(ValidationError):
        services.edit_nomination(actor=cast.users.staff, nomination=mine, reason="理由",
                                 remove=[theirs.attachments.get().pk])
    assert theirs.attachments.count() == 1


def test_a_chamber_secretary_changes_only_its_own_chambers_nominations(cast, category):
    nomination = services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="理由")
    # ent1 is chamber1's member: chamber1 sees the nomination but did not make it
    assert selectors.nominations_editable_by(cast.users.chamber1).filter(pk=nomination.pk).exists() is False
    with pytest.raises(PermissionDenied):
        services.edit_nomination(actor=cast.users.chamber1, nomination=nomination, reason="改")
    with pytest.raises(PermissionDenied):
        services.withdraw_nomination(actor=cast.users.chamber2, nomination=nomination)


def test_editing_is_refused_once_scoring_started_but_withdrawing_is_not(cast, category):
    nomination = services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="理由")
    Programme.objects.filter(pk=category.programme_id).update(status="scoring")
    with pytest.raises(Refused):
        services.edit_nomination(actor=cast.users.staff, nomination=nomination, reason="改")
    services.withdraw_nomination(actor=cast.users.staff, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    with pytest.raises(Refused):
        services.withdraw_nomination(actor=cast.users.staff, nomination=nomination)


def test_withdrawing_is_refused_after_the_programme_closed(cast, category):
    nomination = services.nominate(actor=cast.users.staff, category=category, enterprise=cast.ent1, reason="理由")
    Programme.objects.filter(pk=category.programme_id).update(status="closed")
    with pytest.raises(Refused):
        services.withdraw_nomination(actor=cast.users.staff, nomination=nomination)


# --- the conflict rule -------------------------------------------------------------------------------------------
def _term(chamber, *, number=1, end=None):
    return Term.objects.create(federation=chamber.federation, chamber=chamber, number=number,
                               start=date(2022, 1, 1), end=end)


def _all_forms_agree(judge, nominations):
    """conflict_of, conflicts and conflict_q say the same of every nomination."""
    one_by_one = {n.pk: selectors.conflict_of(judge, n) for n in nominations}
    batch = selectors.conflicts(judge, nominations)
    assert {pk for pk, reason in one_by_one.items() if reason} == set(batch)
    assert all(batch[pk] == reason for pk, reason in one_by_one.items() if reason)
    as_filter = set(Nomination.objects.filter(selectors.conflict_q(judge)).values_list("pk", flat=True))
    assert as_filter == set(batch)
    return one_by_one


@pytest.fixture
def two(cast, category):
    return (testing.make_nomination(category, cast.ent1, by=cast.users.staff),
            testing.make_nomination(category, cast.ent2, chamber=cast.chamber2, by=cast.users.staff))


def test_a_judge_holding_a_role_in_the_nominee_is_conflicted(cast, programme, two):
    judge = testing.make_judge(programme, cast.users.leader, person=cast.person1)  # 法定代表人 of ent1
    reasons = _all_forms_agree(judge, two)
    assert "王建国任天津友谊科技有限公司法定代表人" in reasons[two[0].pk]
    assert reasons[two[1].pk] is None


def test_a_judge_holding_a_position_in_the_nominating_chamber_is_conflicted(cast, programme, two):
    person = testing.make_person(cast.district, name="赵评委")
    Position.objects.create(term=_term(cast.chamber2), person=person, title=Position.Title.VICE_PRESIDENT)
    judge = testing.make_judge(programme, cast.users.leader, person=person)
    reasons = _all_forms_agree(judge, two)
    assert reasons[two[0].pk] is None
    assert "赵评委任河西区浙江商会第1届副会长" in reasons[two[1].pk] and "推荐商会" in reasons[two[1].pk]


def test_a_judge_holding_a_position_in_a_chamber_the_nominee_belongs_to_is_conflicted(cast, programme, two):
    person = testing.make_person(cast.district, name="钱评委")
    Position.objects.create(term=_term(cast.chamber1), person=person, title=Position.Title.PRESIDENT)
    judge = testing.make_judge(programme, cast.users.leader, person=person)
    reasons = _all_forms_agree(judge, two)
    assert "友谊路街道商会第1届会长" in reasons[two[0].pk] and "会员" in reasons[two[0].pk]
    assert reasons[two[1].pk] is None
    # once the enterprise leaves the chamber the link is gone
    ChamberMembership.objects.filter(enterprise=cast.ent1).update(status="left")
    assert _all_forms_agree(judge, two)[two[0].pk] is None


def test_a_position_that_ended_is_no_conflict(cast, programme, two):
    person = testing.make_person(cast.district, name="孙评委")
    Position.objects.create(term=_term(cast.chamber2), person=person, title=Position.Title.DIRECTOR,
                            end=timezone.localdate() - timedelta(days=1))
    Position.objects.create(term=_term(cast.chamber2, number=2, end=timezone.localdate() - timedelta(days=1)),
                            person=person, title=Position.Title.PRESIDENT)
    judge = testing.make_judge(programme, cast.users.leader, person=person)
    assert _all_forms_agree(judge, two) == {two[0].pk: None, two[1].pk: None}


def test_a_judge_whose_account_belongs_to_the_enterprise_or_chamber_is_conflicted(cast, programme, two):
    judge = testing.make_judge(programme, cast.users.leader)
    assert _all_forms_agree(judge, two) == {two[0].pk: None, two[1].pk: None}
    type(cast.users.leader).objects.filter(pk=cast.users.leader.pk).update(enterprise=cast.ent1)
    judge = selectors.seat_of(cast.users.leader, programme)
    assert "评审账号属于天津友谊科技有限公司" in _all_forms_agree(judge, two)[two[0].pk]
    type(cast.users.leader).objects.filter(pk=cast.users.leader.pk).update(enterprise=None, chamber=cast.chamber2)
    judge = selectors.seat_of(cast.users.leader, programme)
    reasons = _all_forms_agree(judge, two)
    assert reasons[two[0].pk] is None and "评审账号属于河西区浙江商会" in reasons[two[1].pk]


def test_the_services_reexport_the_one_conflict_rule():
    assert services.conflict_of is selectors.conflict_of
