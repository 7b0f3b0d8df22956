"""Liaison (包联/帮联) and visit (走访) writes: the rules, the refusals (nothing written) and a visit's problem
becoming an appeal linked back both ways."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Channel
from shanglian.appeals.tests.factories import category
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.engagement.models import Liaison, Visit, VisitAppeal
from shanglian.engagement.services import liaison as services


def today():
    return timezone.localdate()


def liaison_fields(cast, **fields):
    return {"enterprise": cast.ent1, "level": Liaison.Level.DISTRICT, "street": None, "user": cast.users.leader,
            "department": None, "liaison_name": "", "start": date(2025, 1, 1), "end": None, "note": "", **fields}


def visit_fields(**fields):
    return {"visited_on": today() - timedelta(days=3), "visitors": "区领导王某、工商联李某", "people_met": "总经理",
            "summary": "了解企业生产经营情况", "problems": "", "follow_up": "", **fields}


# --- assignments -----------------------------------------------------------------------------------------------
def test_staff_assigns_a_leader_to_an_enterprise_and_it_is_audited(cast):
    liaison = services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, liaison_name="区委副书记"))
    assert liaison.federation == cast.district and liaison.user == cast.users.leader
    row = AuditEvent.objects.get(object_type="engagement.liaison", object_id=str(liaison.pk))
    assert row.action == "create" and {"field": "企业", "old": "", "new": cast.ent1.name} in row.detail["changes"]


def test_overlapping_assignments_of_one_liaison_to_one_enterprise_are_refused(cast):
    services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, start=date(2025, 1, 1), end=date(2025, 12, 31)))
    with pytest.raises(ValidationError, match="包联期间不能重叠"):
        services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, start=date(2025, 6, 1)))
    with pytest.raises(ValidationError, match="包联期间不能重叠"):  # an open-ended one before it meets it too
        services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, start=date(2024, 1, 1), end=None))
    assert Liaison.objects.count() == 1
    # the next period, another enterprise, another liaison: allowed
    services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, start=date(2026, 1, 1)))
    services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, enterprise=cast.ent2, start=date(2025, 6, 1)))
    services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, user=cast.users.staff, start=date(2025, 6, 1)))
    assert Liaison.objects.count() == 4


def test_overlapping_assignments_of_one_department_are_refused(cast):
    services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, user=None, department=cast.dept1))
    with pytest.raises(ValidationError, match="包联期间不能重叠"):
        services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, user=None, department=cast.dept1,
                                                                       start=date(2026, 3, 1)))
    assert Liaison.objects.count() == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"end": date(2024, 12, 31)}, "结束日期不能早于起始日期"),
    ({"user": None}, "请在包联人账号与包联部门中选择其一"),
    ({"department": "dept1"}, "请在包联人账号与包联部门中选择其一"),
    ({"level": Liaison.Level.STREET}, "街道帮联请选择街道"),
    ({"user": "chamber1"}, "包联人须为本工商联的领导或工作人员账号"),
    ({"user": "outsider_staff"}, "包联人须为本工商联的领导或工作人员账号"),
    ({"enterprise": "ent_other"}, "请选择本工商联范围内的企业"),
], ids=["end-before-start", "nobody", "both", "street-without-street", "chamber-user", "other-federation",
        "other-enterprise"])
def test_a_bad_assignment_is_refused_and_nothing_is_written(cast, change, message):
    resolved = {}
    for name, value in change.items():
        if value in ("dept1",):
            value = cast.dept1
        elif name == "user" and isinstance(value, str):
            value = getattr(cast.users, value)
        elif name == "enterprise":
            value = getattr(cast, value)
        resolved[name] = value
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.save_liaison(actor=cast.users.staff, **liaison_fields(cast, **resolved))
    assert Liaison.objects.count() == 0 and AuditEvent.objects.count() == before


def test_only_editors_keep_assignments(cast):
    for role in ("leader", "chamber1", "dept1", "ent1"):
        with pytest.raises(PermissionDenied):
            services.save_liaison(actor=getattr(cast.users, role), **liaison_fields(cast))
    assert Liaison.objects.count() == 0


def test_ending_an_assignment_keeps_its_visits_inside_it(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader, start=today() - timedelta(days=200))
    testing.make_visit(cast.ent1, liaison=liaison, visited_on=today() - timedelta(days=10))
    with pytest.raises(ValidationError, match="1 条走访记录不在新的包联期间内"):
        services.end_liaison(actor=cast.users.staff, liaison=liaison, end=today() - timedelta(days=30))
    with pytest.raises(ValidationError, match="结束日期不能早于起始日期"):
        services.end_liaison(actor=cast.users.staff, liaison=liaison, end=today() - timedelta(days=300))
    liaison.refresh_from_db()
    assert liaison.end is None
    services.end_liaison(actor=cast.users.staff, liaison=liaison, end=today())
    liaison.refresh_from_db()
    assert liaison.end == today()
    with pytest.raises(Refused, match="已于"):
        services.end_liaison(actor=cast.users.staff, liaison=liaison, end=today())


def test_an_assignment_with_visits_keeps_its_enterprise(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    testing.make_visit(cast.ent1, liaison=liaison)
    with pytest.raises(ValidationError, match="不能更换企业"):
        services.save_liaison(actor=cast.users.staff, liaison=liaison, **liaison_fields(cast, enterprise=cast.ent2))
    assert Liaison.objects.get(pk=liaison.pk).enterprise == cast.ent1


def test_an_assignment_with_visits_is_not_deleted(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    testing.make_visit(cast.ent1, liaison=liaison)
    with pytest.raises(Refused, match="走访记录"):
        services.delete_liaison(actor=cast.users.staff, liaison=liaison)
    assert Liaison.objects.filter(pk=liaison.pk).exists()
    empty = testing.make_liaison(cast.ent2, user=cast.users.leader)
    services.delete_liaison(actor=cast.users.staff, liaison=empty)
    assert not Liaison.objects.filter(pk=empty.pk).exists()


# --- visits ----------------------------------------------------------------------------------------------------
def test_a_visit_dated_in_the_future_is_refused_and_nothing_is_written(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    before = AuditEvent.objects.count()
    for actor in (cast.users.staff, cast.users.leader):
        with pytest.raises(ValidationError, match="走访日期不能晚于今天"):
            services.save_visit(actor=actor, liaison=liaison, **visit_fields(visited_on=today() + timedelta(days=1)))
    assert Visit.objects.count() == 0 and AuditEvent.objects.count() == before
    visit = services.save_visit(actor=cast.users.staff, enterprise=cast.ent1, **visit_fields(visited_on=today()))
    with pytest.raises(ValidationError, match="走访日期不能晚于今天"):  # an edit, too
        services.save_visit(actor=cast.users.staff, visit=visit, enterprise=cast.ent1,
                            **visit_fields(visited_on=today() + timedelta(days=5)))
    visit.refresh_from_db()
    assert visit.visited_on == today()


def test_a_leader_records_visits_only_on_the_enterprises_assigned_to_them(cast):
    own = testing.make_liaison(cast.ent1, user=cast.users.leader)
    other_leader = testing.make_user(Role.LEADER, username="leader2", federation=cast.district)
    theirs = testing.make_liaison(cast.ent2, user=other_leader)
    visit = services.save_visit(actor=cast.users.leader, liaison=own, **visit_fields())
    assert visit.enterprise == cast.ent1 and visit.liaison == own and visit.recorded_by == cast.users.leader
    with pytest.raises(ValidationError, match="不在您的范围内"):
        services.save_visit(actor=cast.users.leader, liaison=theirs, **visit_fields())
    with pytest.raises(ValidationError, match="只能记录本人包联企业的走访"):
        services.save_visit(actor=cast.users.leader, enterprise=cast.ent2, **visit_fields())
    with pytest.raises(ValidationError, match="包联期间内"):  # before the assignment began
        services.save_visit(actor=cast.users.leader, liaison=own, **visit_fields(visited_on=date(2024, 6, 1)))
    assert Visit.objects.count() == 1


def test_a_visit_checks_the_liaison_as_committed_not_the_copy_passed_in(cast):
    """The race of a visit against 结束包联: the service re-reads (and locks) the liaison after locking the
    enterprise, so a stale copy still showing the assignment open does not let a visit in after its end."""
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader, start=today() - timedelta(days=200))
    stale = Liaison.objects.get(pk=liaison.pk)  # what the form loaded before the transaction
    services.end_liaison(actor=cast.users.staff, liaison=liaison, end=today() - timedelta(days=10))
    assert stale.end is None and stale.in_force_on(today() - timedelta(days=3))
    before = AuditEvent.objects.count()
    for actor, named in ((cast.users.leader, {}), (cast.users.staff, {"enterprise": cast.ent1})):
        with pytest.raises(ValidationError, match="走访日期不在该包联关系的包联期间内"):
            services.save_visit(actor=actor, liaison=stale, **named, **visit_fields())
    assert Visit.objects.count() == 0 and AuditEvent.objects.count() == before
    # within the committed period the visit is recorded under the liaison as it is now
    visit = services.save_visit(actor=cast.users.leader, liaison=stale,
                                **visit_fields(visited_on=today() - timedelta(days=20)))
    assert visit.liaison.end == today() - timedelta(days=10)


def test_a_leader_corrects_only_the_visits_they_recorded(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    own = services.save_visit(actor=cast.users.leader, liaison=liaison, **visit_fields())
    by_staff = services.save_visit(actor=cast.users.staff, enterprise=cast.ent1, liaison=liaison, **visit_fields())
    corrected = services.save_visit(actor=cast.users.leader, visit=own, liaison=liaison,
                                    **visit_fields(visitors="区领导王某"))
    assert corrected.visitors == "区领导王某"
    with pytest.raises(PermissionDenied):
        services.save_visit(actor=cast.users.leader, visit=by_staff, liaison=liaison, **visit_fields(visitors="改"))
    assert Visit.objects.get(pk=by_staff.pk).visitors == "区领导王某、工商联李某"
    # the staff correct any visit of their federation, the leader's too
    assert services.save_visit(actor=cast.users.staff, visit=own, liaison=liaison,
                               **visit_fields(visitors="工商联李某")).visitors == "工商联李某"


def test_a_visit_liaison_must_be_of_the_visited_enterprise(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    with pytest.raises(ValidationError, match="包联关系不属于该企业"):
        services.save_visit(actor=cast.users.staff, enterprise=cast.ent2, liaison=liaison, **visit_fields())
    assert Visit.objects.count() == 0


def test_staff_visit_takes_the_only_liaison_in_force_and_none_when_there_are_several(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    visit = services.save_visit(actor=cast.users.staff, enterprise=cast.ent1, **visit_fields())
    assert visit.liaison == liaison
    testing.make_liaison(cast.ent1, department=cast.dept1)
    visit = services.save_visit(actor=cast.users.staff, enterprise=cast.ent1, **visit_fields())
    assert visit.liaison is None


def test_no_visit_outside_the_federation_or_by_a_role_without_liaison(cast):
    with pytest.raises(ValidationError, match="本工商联范围内"):
        services.save_visit(actor=cast.users.staff, enterprise=cast.ent_other, **visit_fields())
    for role in ("chamber1", "dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            services.save_visit(actor=getattr(cast.users, role), enterprise=cast.ent1, **visit_fields())
    assert Visit.objects.count() == 0


# --- a problem found becomes an appeal ------------------------------------------------------------------------------
def raise_from(cast, visit, actor=None, **fields):
    return services.raise_appeal_from_visit(
        actor=actor or cast.users.staff, visit=visit, category=category("consult"), title="厂房租金补贴申请受阻",
        content=visit.problems, **fields)


def test_a_visit_problem_becomes_an_appeal_linked_back_both_ways(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    visit = testing.make_visit(cast.ent1, liaison=liaison, visited_on=date(2026, 3, 2), visitors="区领导王某",
                               problems="厂房租金补贴申请材料被退回三次。")
    appeal = raise_from(cast, visit)
    assert appeal.channel == Channel.VISIT and appeal.enterprise == cast.ent1 and appeal.status == "submitted"
    assert appeal.source_note == f"2026-03-02 走访{cast.ent1.name}，走访人员：区领导王某"
    assert VisitAppeal.objects.get(appeal=appeal).visit == visit  # both ways
    assert list(visit.raised_appeals.values_list("appeal", flat=True)) == [appeal.pk]
    assert appeal.raised_on_visit.visit == visit
    first = appeal.timeline.get()
    assert first.note == f"来源：走访（2026-03-02 走访{cast.ent1.name}，走访人员：区领导王某）"
    audited = AuditEvent.objects.filter(object_type="engagement.visit", object_id=str(visit.pk)).latest("id")
    assert audited.detail == {"appeal_raised": appeal.number,
                              "changes": [{"field": "转为诉求", "old": "", "new": appeal.number}]}


def test_an_appeal_from_a_visit_is_for_the_visited_enterprise_only(cast):
    visit = testing.make_visit(cast.ent1, problems="用工难")
    with pytest.raises(ValidationError, match="被走访企业"):
        raise_from(cast, visit, enterprise=cast.ent2)
    assert not VisitAppeal.objects.exists()


def test_a_leader_does_not_register_appeals_the_desk_does(cast):
    liaison = testing.make_liaison(cast.ent1, user=cast.users.leader)
    visit = testing.make_visit(cast.ent1, liaison=liaison, problems="融资难")
    with pytest.raises(PermissionDenied):
        raise_from(cast, visit, actor=cast.users.leader)
    with pytest.raises(PermissionDenied):  # another federation's staff: not their visit
        raise_from(cast, visit, actor=cast.users.outsider_staff)
    assert not VisitAppeal.objects.exists()


def test_a_bad_appeal_from_a_visit_writes_nothing(cast):
    visit = testing.make_visit(cast.ent1, problems="融资难")
    with pytest.raises(ValidationError):
        services.raise_appeal_from_visit(actor=cast.users.staff, visit=visit, category=category("consult"),
                                         title="", content="融资难")
    assert not VisitAppeal.objects.exists() and not visit.raised_appeals.exists()
