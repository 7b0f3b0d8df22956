"""发展会员 services and selectors: a prospect's rules (a valid code, not a member already, one open prospect per
enterprise, a referrer for a referral, the owner in scope), the scope of who keeps which prospect, the stages of
PROSPECT_FLOW (已联系/已走访 with the next step, 放弃 with a reason, 重新跟进; never 已申请/已入会 by hand), the
targets' rules and the "三多三少" gaps against them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.growth.models import Prospect, RecruitmentTarget
from shanglian.growth.selectors import prospects as selectors
from shanglian.growth.services import prospects as services
from shanglian.growth.services import targets as target_services

S = Prospect.Stage
VALID_USCC = "91120103MA05L2XY39"


def fields(**kw):
    return {"name": "天津新发展科技有限公司", "member_kind": "enterprise", "source": "registry", "is_local": True, **kw}


def test_staff_records_a_prospect_at_lead_audited(cast):
    prospect = services.save_prospect(actor=cast.users.staff, **fields(uscc=" 91120103ma05l2xy39 ", is_private=True))
    assert prospect.stage == S.LEAD and prospect.federation == cast.district and prospect.owner == cast.users.staff
    assert prospect.uscc == VALID_USCC and prospect.chamber is None
    assert prospect.stage_changed_on == timezone.localdate()
    assert AuditEvent.objects.filter(object_type="growth.prospect", object_id=str(prospect.pk), action="create").exists()


def test_a_chamber_secretarys_prospect_is_its_own_chambers_whatever_was_posted(cast):
    prospect = services.save_prospect(actor=cast.users.chamber1, **fields(chamber=cast.chamber2))
    assert prospect.chamber == cast.chamber1 and prospect.owner == cast.users.chamber1


def test_an_invalid_credit_code_is_refused_in_chinese_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_prospect(actor=cast.users.staff, **fields(uscc="91120103MA05L2XY3X"))
    assert "统一社会信用代码" in exc.value.message_dict["uscc"][0]
    assert not Prospect.objects.exists()


def test_a_member_in_force_is_not_a_prospect(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_prospect(actor=cast.users.staff, **fields(enterprise=cast.ent1))
    assert "在册会员" in exc.value.message_dict["enterprise"][0]
    assert not Prospect.objects.exists()


def test_one_open_prospect_per_enterprise_and_code(cast):
    outsider = testing.make_enterprise(cast.district, name="天津待发展有限公司")
    first = services.save_prospect(actor=cast.users.staff, **fields(enterprise=outsider))
    assert first.uscc == outsider.uscc
    with pytest.raises(ValidationError) as exc:
        services.save_prospect(actor=cast.users.staff, **fields(name="别名", uscc=outsider.uscc))
    assert "已有该企业的发展对象" in exc.value.messages[0]
    assert Prospect.objects.count() == 1
    services.save_prospect(actor=cast.users.staff, prospect=first, **fields(enterprise=outsider, note="改"))  # itself


def test_a_referral_names_its_member_and_an_event_source_its_event(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_prospect(actor=cast.users.staff, **fields(source="referral"))
    assert exc.value.message_dict["referred_by"] == ["来源为“会员推荐”时请选择推荐会员企业。"]
    with pytest.raises(ValidationError) as exc:
        services.save_prospect(actor=cast.users.staff, **fields(source="event"))
    assert "来源活动" in exc.value.message_dict["source_event"][0]
    prospect = services.save_prospect(actor=cast.users.staff, **fields(source="supply_chain", referred_by=cast.ent1))
    assert prospect.referred_by == cast.ent1


def test_the_owner_is_of_the_scope_and_a_secretary_owns_its_chambers_only(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_prospect(actor=cast.users.staff, **fields(owner=cast.users.outsider_staff))
    assert "负责人" in exc.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as exc:
        services.save_prospect(actor=cast.users.staff, **fields(owner=cast.users.chamber1))
    assert exc.value.message_dict["owner"] == [services.OWNER_CHAMBER]
    prospect = services.save_prospect(actor=cast.users.staff, **fields(owner=cast.users.chamber1,
                                                                       chamber=cast.chamber1))
    assert prospect.owner == cast.users.chamber1


def test_a_leader_reads_but_does_not_write_and_others_are_refused(cast):
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff)
    assert list(selectors.prospect_list(cast.users.leader)) == [prospect]
    with pytest.raises(PermissionDenied):
        services.save_prospect(actor=cast.users.leader, **fields())
    for user in (cast.users.dept1, cast.users.ent1, cast.users.auditor):
        with pytest.raises(PermissionDenied):
            selectors.prospect_list(user)


def test_scope_a_chamber_sees_its_own_chambers_and_another_federation_none(cast):
    own = testing.make_prospect(cast.district, owner=cast.users.chamber1, chamber=cast.chamber1)
    other_chamber = testing.make_prospect(cast.district, owner=cast.users.chamber2, chamber=cast.chamber2)
    federation = testing.make_prospect(cast.district, owner=cast.users.staff)
    assert list(selectors.prospect_list(cast.users.chamber1)) == [own]
    assert set(selectors.prospect_list(cast.users.staff)) == {own, other_chamber, federation}
    assert not selectors.prospect_list(cast.users.outsider_staff).exists()
    with pytest.raises(PermissionDenied):
        services.mark_contacted(actor=cast.users.chamber1, prospect=other_chamber, next_step="电话")
    with pytest.raises(PermissionDenied):
        services.delete_prospect(actor=cast.users.outsider_staff, prospect=federation)


def test_the_stages_move_with_the_next_step_and_are_audited(cast):
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff)
    day = timezone.localdate() + timedelta(days=7)
    services.mark_contacted(actor=cast.users.staff, prospect=prospect, next_step="上门走访", next_step_on=day)
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.next_step, prospect.next_step_on) == (S.CONTACTED, "上门走访", day)
    assert prospect.stage_changed_on == timezone.localdate()
    services.mark_visited(actor=cast.users.staff, prospect=prospect, next_step="指导填写入会申请")
    prospect.refresh_from_db()
    assert prospect.stage == S.VISITED
    with pytest.raises(Refused) as exc:
        services.mark_contacted(actor=cast.users.staff, prospect=prospect, next_step="再联系")
    assert "已走访" in exc.value.message
    events = AuditEvent.objects.filter(object_type="growth.prospect", object_id=str(prospect.pk))
    assert [e.detail["transition"] for e in events.order_by("id")] == ["mark_contacted", "mark_visited"]


def test_a_next_step_is_needed_and_not_in_the_past(cast):
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff)
    with pytest.raises(ValidationError) as exc:
        services.mark_contacted(actor=cast.users.staff, prospect=prospect, next_step=" ",
                                next_step_on=date(2020, 1, 1))
    assert exc.value.message_dict == {"next_step": ["请填写下一步工作。"], "next_step_on": ["下一步日期不能早于今天。"]}
    prospect.refresh_from_db()
    assert prospect.stage == S.LEAD


def test_abandon_needs_a_reason_and_reopen_brings_it_back_to_lead(cast):
    prospect = testing.make_prospect(cast.district, owner=cast.users.chamber1, chamber=cast.chamber1,
                                     stage=S.CONTACTED, next_step="走访")
    with pytest.raises(ValidationError):
        services.abandon_prospect(actor=cast.users.chamber1, prospect=prospect, reason="")
    services.abandon_prospect(actor=cast.users.chamber1, prospect=prospect, reason="企业已迁出本区")
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.abandon_reason, prospect.next_step) == (S.ABANDONED, "企业已迁出本区", "")
    services.reopen_prospect(actor=cast.users.chamber1, prospect=prospect)
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.abandon_reason) == (S.LEAD, "")


def test_applied_and_joined_are_never_set_by_hand(cast):
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff, stage=S.APPLIED)
    with pytest.raises(Refused):
        services.abandon_prospect(actor=cast.users.staff, prospect=prospect, reason="不想要了")
    with pytest.raises(PermissionDenied):
        services.mark_contacted(actor=cast.users.leader, prospect=prospect, next_step="电话")


def test_a_prospect_named_by_an_application_is_not_deleted(cast):
    outsider = testing.make_enterprise(cast.district, name="天津申请中有限公司")
    user = testing.make_user(Role.ENTERPRISE, enterprise=outsider)
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff, enterprise=outsider, stage=S.APPLIED)
    testing.make_application(outsider, user, prospect=prospect)
    with pytest.raises(Refused):
        services.delete_prospect(actor=cast.users.staff, prospect=prospect)
    assert Prospect.objects.filter(pk=prospect.pk).exists()
    free = testing.make_prospect(cast.district, owner=cast.users.staff)
    services.delete_prospect(actor=cast.users.staff, prospect=free)
    assert not Prospect.objects.filter(pk=free.pk).exists()


def test_due_prospects_are_those_followed_with_a_next_step_on_or_before_today(cast):
    today = timezone.localdate()
    due = testing.make_prospect(cast.district, owner=cast.users.staff, next_step="电话", next_step_on=today)
    testing.make_prospect(cast.district, owner=cast.users.staff, next_step="电话",
                          next_step_on=today + timedelta(days=1))
    testing.make_prospect(cast.district, owner=cast.users.staff, stage=S.APPLIED, next_step="审核",
                          next_step_on=today - timedelta(days=1))
    assert list(selectors.due_prospects(cast.users.staff, today)) == [due]
    assert list(selectors.prospect_list(cast.users.staff, filters={"due": True}, today=today)) == [due]
    with pytest.raises(PermissionDenied):
        selectors.due_prospects(cast.users.leader, today)


# --- targets and the gaps ---------------------------------------------------------------------------------------
def test_targets_are_kept_by_editors_once_per_year_and_category(cast):
    target = target_services.save_target(actor=cast.users.staff, federation=cast.district, year=2026,
                                         category="high_tech", target_count=30)
    assert str(target) == "2026年高新技术企业目标30"
    with pytest.raises(ValidationError) as exc:
        target_services.save_target(actor=cast.users.staff, federation=cast.district, year=2026,
                                    category="high_tech", target_count=10)
    assert "已存在" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        target_services.save_target(actor=cast.users.staff, federation=cast.other, year=2026, category="group",
                                    target_count=0)
    assert set(exc.value.message_dict) == {"federation", "target"}
    with pytest.raises(PermissionDenied):
        target_services.save_target(actor=cast.users.leader, federation=cast.district, year=2026,
                                    category="group", target_count=5)
    with pytest.raises(PermissionDenied):
        selectors.targets_visible_to(cast.users.chamber1)
    assert RecruitmentTarget.objects.count() == 1


def test_target_progress_counts_the_years_new_members_the_gap_and_the_open_prospects(cast):
    year = 2026
    for category, n in (("enterprise", 3), ("high_tech", 2), ("nonlocal", 1), ("group", 1), ("private", 1)):
        RecruitmentTarget.objects.create(federation=cast.district, year=year, category=category, target=n)
    new_tech = testing.make_enterprise(cast.district, is_high_tech=True)
    new_away = testing.make_enterprise(cast.district, is_local=False)
    testing.make_membership(cast.district, new_tech, joined=date(year, 3, 1))
    testing.make_membership(cast.district, new_away, joined=date(year, 5, 1))
    testing.make_membership(cast.district, testing.make_enterprise(cast.district), joined=date(year - 1, 12, 31))
    testing.make_prospect(cast.district, owner=cast.users.staff, is_high_tech=True)
    testing.make_prospect(cast.district, owner=cast.users.staff, member_kind="group")
    testing.make_prospect(cast.district, owner=cast.users.staff, is_high_tech=True, stage=S.ABANDONED,
                          abandon_reason="无意向")
    rows = {row.category: row for row in selectors.target_progress(cast.users.leader, year)}
    assert (rows["enterprise"].joined, rows["enterprise"].gap, rows["enterprise"].pipeline) == (2, 1, 1)
    assert (rows["high_tech"].joined, rows["high_tech"].gap, rows["high_tech"].pipeline) == (1, 1, 1)
    assert rows["nonlocal"].reached and rows["nonlocal"].gap == 0 and rows["nonlocal"].rate == 100.0
    assert (rows["group"].joined, rows["group"].gap, rows["group"].pipeline) == (0, 1, 1)
    assert rows["private"].joined == 2 and rows["private"].reached  # both are 私营 (the factory's type)
    assert selectors.target_progress(cast.users.outsider_staff, year) == []
