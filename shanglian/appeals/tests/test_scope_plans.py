"""A chamber's and a department's appeal scopes at city scale (issue 19): the list reads them in another form
than it counts them (`appeals_visible_to(in_order=True)`, `AppealQuerySet.counted_as`). Whatever the form, the
rows, their order and their number are those of the plain definitions, on varied data: returned and
reopened assignments, several departments, members that left the chamber, appeals submitted at one instant."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shanglian import testing
from shanglian.appeals import selectors, services, summaries
from shanglian.appeals.models import Appeal, Assignment, Status
from shanglian.appeals.tests.factories import department_user, make_appeal, submit
from shanglian.members.models import ChamberMembership
from shanglian.ui.listing import ordering

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
SORTS = [ordering("-submitted_at"), ["submitted_at", "id"], ["deadline", "-id"], ["-number", "-id"]]


@pytest.fixture
def varied(cast):
    """Appeals of chamber1's member, of a former member, of chamber2's member and of another federation's
    enterprise, in every state, to dept1, dept2 or both; one returned by dept1, one reopened (two rounds)."""
    former = testing.make_enterprise(cast.district, name="天津旧会员实业有限公司", chamber=cast.chamber1)
    ChamberMembership.objects.filter(enterprise=former).update(status=ChamberMembership.Status.LEFT)
    appeals = []
    for i, status in enumerate([Status.SUBMITTED, Status.ASSIGNED, Status.HANDLING, Status.REPLIED, Status.CLOSED,
                                Status.REOPENED, Status.REJECTED, Status.ACCEPTED]):
        departments = [[cast.dept1], [cast.dept2], [cast.dept1, cast.dept2]][i % 3]
        appeals.append(make_appeal(cast, status, departments=departments, title=f"成员诉求{i}"))
        if status not in (Status.CLOSED, Status.REOPENED):  # (rated by ent1's login in the factory)
            appeals.append(make_appeal(cast, status, departments=departments, enterprise=cast.ent2,
                                       actor=cast.users.staff, title=f"二商会诉求{i}"))
    appeals.append(make_appeal(cast, Status.HANDLING, departments=[cast.dept2], enterprise=former,
                               actor=cast.users.staff, title="旧会员诉求"))
    appeals.append(make_appeal(cast, Status.ASSIGNED, departments=[cast.dept1], title="待签收诉求"))
    returned = make_appeal(cast, Status.ASSIGNED, departments=[cast.dept1, cast.dept2], title="退回的诉求")
    services.return_appeal(actor=department_user(cast, cast.dept1), appeal=returned, reason="不属于本部门职责")
    appeals.append(submit(cast, actor=cast.users.outsider_staff, enterprise=cast.ent_other, title="外区诉求"))
    # some appeals submitted at one instant: the id decides
    Appeal.objects.filter(pk__in=[a.pk for a in appeals[:6]]).update(submitted_at=NOW)
    summaries.rebuild()  # update() bypasses the saves that keep the summaries (summaries.py)
    return cast


def _reference_chamber(user):
    members = set(ChamberMembership.objects.filter(chamber_id=user.chamber_id, status="active")
                  .values_list("enterprise_id", flat=True))
    return Appeal.objects.filter(enterprise_id__in=sorted(members))


def _reference_department(user, **assignment):
    return Appeal.objects.filter(Exists(Assignment.objects.filter(appeal_id=OuterRef("pk"),
                                                                  department_id=user.department_id, **assignment)))


def _same(queryset, reference):
    for sort in SORTS:
        rows = list(queryset.order_by(*sort).values_list("pk", flat=True))
        assert rows == list(reference.order_by(*sort).values_list("pk", flat=True)), sort
        assert list(queryset.order_by(*sort)[2:5]) == list(reference.order_by(*sort)[2:5])
    assert queryset.count() == reference.count() > 0


@time_machine.travel(NOW, tick=False)
def test_a_chamber_lists_exactly_the_appeals_of_its_active_members(varied):
    user = varied.users.chamber1
    _same(selectors.appeal_list(user, filters={}), _reference_chamber(user))
    _same(selectors.appeals_visible_to(user, in_order=True), _reference_chamber(user))
    handling = _reference_chamber(user).filter(selectors.queue_filter("handling"))
    _same(selectors.appeal_list(user, filters={"queue": "handling"}), handling)
    assert not selectors.appeal_list(user, filters={}).filter(title__in=["旧会员诉求", "二商会诉求0"]).exists()


@time_machine.travel(NOW, tick=False)
def test_a_department_lists_exactly_the_appeals_dispatched_to_it_returned_ones_too(varied):
    user = varied.users.dept1
    _same(selectors.appeal_list(user, filters={}), _reference_department(user))
    assert selectors.appeal_list(user, filters={}).filter(title="退回的诉求").exists()
    assert not selectors.appeal_list(user, filters={}).filter(title="旧会员诉求").exists()


@time_machine.travel(NOW, tick=False)
def test_a_department_history_counts_from_the_summaries_equal_its_distinct_appeals(varied):
    """A department's 全部 and 已答复 are summed from the maintained summaries (`DepartmentHistoryCount`):
    the same numbers as its distinct appeals, with an appeal it returned only, one it returned and then got
    again, two rounds of one appeal, after each service action."""
    dept1 = department_user(varied, varied.dept1)
    again = make_appeal(varied, Status.ASSIGNED, departments=[varied.dept1], title="退回后再派")
    services.return_appeal(actor=dept1, appeal=again, reason="请补充材料后再派")

    def check():
        for department in (varied.dept1, varied.dept2):
            user = department_user(varied, department)
            mine = Assignment.objects.filter(department=department)
            assert selectors.DepartmentHistoryCount(department.pk, "all").count() == \
                mine.order_by().values("appeal_id").distinct().count() == selectors.appeal_list(user, filters={}).count()
            assert selectors.DepartmentHistoryCount(department.pk, "replied").count() == \
                mine.filter(state=Assignment.State.REPLIED).order_by().values("appeal_id").distinct().count() == \
                selectors.queue_counts(user)["replied"]

    check()
    services.dispatch_appeal(actor=varied.users.staff, appeal=Appeal.objects.get(pk=again.pk),
                             departments=[varied.dept1, varied.dept2])
    assert Assignment.objects.filter(appeal=again, department=varied.dept1).count() == 2  # returned, then held
    check()
    assert Assignment.objects.filter(department=varied.dept1, state=Assignment.State.RETURNED).exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("queue", "states"), [("to_sign", ["assigned"]), ("handling", ["handling"]),
                                               ("replied", ["replied"])])
def test_a_department_queue_and_its_count_are_those_of_its_own_assignments(varied, queue, states):
    user = varied.users.dept1
    reference = _reference_department(user, state__in=states)
    _same(selectors.appeal_list(user, filters={"queue": queue}), reference)
    assert selectors.queue_counts(user)[queue] == reference.count()


@time_machine.travel(NOW, tick=False)
def test_every_department_queue_count_equals_its_list(varied):
    user = varied.users.dept1
    for queue, count in selectors.queue_counts(user).items():
        assert count == selectors.appeal_list(user, filters={"queue": queue}).count() == len(
            selectors.appeal_list(user, filters={"queue": queue})), queue


@time_machine.travel(NOW, tick=False)
def test_a_searched_department_queue_counts_the_appeals_the_words_find(varied):
    user = varied.users.dept1
    number = selectors.appeal_list(user, filters={})[0].number
    for queue in ["all", *selectors.DEPARTMENT_QUEUES]:
        listed = list(selectors.appeal_list(user, filters={"queue": queue}))
        for words in ["诉求", "成员", "退回", "天津友谊", number, number.lower(), "无此词语"]:
            found = selectors.appeal_list(user, filters={"queue": queue, "q": words})
            expected = [a for a in listed if words in a.title or words in a.enterprise.name
                        or a.number == words.upper()]
            assert found.count() == len(list(found)) == len(expected), (queue, words)
            assert {a.pk for a in found} == {a.pk for a in expected}, (queue, words)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", ["chamber1", "chamber2", "ent1", "staff"])
def test_the_queue_counts_of_one_pass_equal_a_count_of_each_queue(varied, username):
    user = getattr(varied.users, username)
    counts = selectors.queue_counts(user)
    assert sum(counts.values()) > 0
    for queue, count in counts.items():
        assert count == selectors.appeals_visible_to(user).filter(selectors.filter_for_queue(user, queue)).count() \
            == len(selectors.appeal_list(user, filters={"queue": queue})), queue


@time_machine.travel(NOW + datetime.timedelta(days=30), tick=False)  # replies old enough for 待回访, deadlines past
def test_every_queue_but_the_stateless_ones_holds_queued_states_only(varied):
    """A chamber's queue counts read the appeals in `QUEUED_STATES` only: every queue of the list but
    `STATELESS_QUEUES` holds no appeal in another state (on appeals of every state)."""
    from shanglian.appeals.models import QUEUES

    assert set(Appeal.objects.values_list("status", flat=True)) == set(Status)
    held = 0
    for queue in set(QUEUES) - selectors.STATELESS_QUEUES - {"all"}:
        states = set(Appeal.objects.filter(selectors.queue_filter(queue)).values_list("status", flat=True))
        assert states <= set(selectors.QUEUED_STATES), queue
        held += bool(states)
    assert held >= 6  # the queues are not empty: the rule is tested


@time_machine.travel(NOW, tick=False)
def test_the_department_filter_of_the_federation_list_keeps_its_rows(varied):
    staff = varied.users.staff
    reference = Appeal.objects.filter(federation=varied.district).filter(
        Exists(Assignment.objects.filter(appeal_id=OuterRef("pk"), department=varied.dept2)))
    _same(selectors.appeal_list(staff, filters={"department": varied.dept2.pk}), reference)


def test_a_filter_after_counted_as_counts_its_own_rows(varied):
    user = varied.users.dept1
    listed = selectors.appeal_list(user, filters={})
    assert listed.filter(status=Status.CLOSED).count() == _reference_department(user).filter(
        status=Status.CLOSED).count()
    assert listed.order_by("-id").count() == _reference_department(user).count()


@time_machine.travel(NOW, tick=False)
def test_the_department_page_section_counts_its_appeals_for_the_department_and_the_federation(varied, login):
    for user in (varied.users.dept1, varied.users.staff):
        page = login(user).get(reverse("orgs:department_detail", args=[varied.dept1.pk])).content.decode()
        total = _reference_department(varied.users.dept1).count()
        assert f">{total} 件</a>" in page


_plan = testing.sqlite_plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
@pytest.mark.parametrize("username", ["chamber1", "dept1"])
def test_the_first_page_of_a_chamber_or_department_walks_the_sort_index_without_sorting(cast, username):
    user = getattr(cast.users, username)
    plan = _plan(selectors.appeal_list(user, filters={}).order_by(*ordering("-submitted_at"))[:20])
    assert "appeals_appeal_submitted_at" in plan and "TEMP B-TREE" not in plan


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", ["chamber1", "dept1"])
def test_a_chamber_or_department_list_runs_as_many_queries_for_3_appeals_as_for_12(cast, login, username):
    client = login(getattr(cast.users, username))

    def counts():
        result = []
        for url in (reverse("appeals:list"), reverse("appeals:list") + "?queue=handling", "/api/v1/appeals/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    for i in range(3):
        make_appeal(cast, Status.HANDLING, title=f"诉求{i}")
    few = counts()
    for i in range(9):
        make_appeal(cast, Status.HANDLING, title=f"更多诉求{i}")
    assert counts() == few


@time_machine.travel(NOW, tick=False)
def test_a_federation_list_as_opened_counts_its_appeals_from_the_day_summaries(varied, login):
    """全部 of a federation role counts its appeals from the maintained summaries (`ReceivedCount`): the number
    is the appeals' own count for every federation login, after a new appeal and a move to another federation;
    a filter or another queue counts its own rows."""
    from shanglian.orgs.selectors import federation_ids_in_scope

    # (`varied` rebuilt the summaries after its update(); every write below goes through save())
    submit(varied, title="新登记的诉求")
    moved = Appeal.objects.get(title="成员诉求1")
    moved.federation = varied.users.outsider_staff.federation
    moved.save()
    users = [varied.users.admin, varied.users.staff, varied.users.leader, varied.users.outsider_staff]
    for user in users:
        raw = Appeal.objects.filter(federation_id__in=federation_ids_in_scope(user))
        listed = selectors.appeal_list(user, filters={"queue": "all", "q": "", "category": None})
        assert isinstance(listed._count_source, selectors.ReceivedCount)
        assert listed.count() == raw.count() > 0
        assert listed.order_by("-submitted_at", "-id").count() == raw.count()
        replied = selectors.appeal_list(user, filters={"queue": "replied"})
        assert replied.count() == raw.filter(status=Status.REPLIED).count()
        assert selectors.appeal_list(user, filters={"status": Status.CLOSED}).count() == raw.filter(
            status=Status.CLOSED).count()
    page = login(varied.users.staff).get(reverse("appeals:list")).content.decode()
    assert f"共 {Appeal.objects.filter(federation=varied.district).count()} 条" in page
