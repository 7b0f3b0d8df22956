"""评选活动 services: a programme's life (筹备中 → 提名中 → 评审中 → 已结束) and what each step needs; a category with its
criteria saved all or nothing and only before 评审中; deleting only what has nothing depending on it; the panel
(a judge of the federation's staff or leaders, removed only before scoring); every change audited, and every write
refused to a reader."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.db.utils import OperationalError

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.honours.models import Category, Criterion, Judge, Programme
from shanglian.honours.services import programmes as services
from shanglian.honours.workflow import PROGRAMME_FLOW

P = Programme.Status


def data(**changes):
    return {"name": "优秀民营企业10强评选", "year": 2025, "description": "", "nomination_deadline": None, **changes}


def criteria(*rows):
    return [{"pk": None, "name": name, "weight": weight, "max_score": max_score, "description": "", "delete": False}
            for name, weight, max_score in rows]


# --- the programme -----------------------------------------------------------------------------------------------
def test_an_editor_creates_a_programme_in_preparation_in_its_federation(cast):
    programme = services.save_programme(actor=cast.users.staff, data=data())
    assert programme.status == P.DRAFT and programme.federation == cast.district
    assert AuditEvent.objects.filter(object_type="honours.programme", action="create").count() == 1


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_readers_and_others_cannot_create_a_programme(cast, role):
    with pytest.raises(PermissionDenied):
        services.save_programme(actor=getattr(cast.users, role), data=data())
    assert not Programme.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"), ({"name": "名" * 101}, "name"), ({"year": 1999}, "year"), ({"year": None}, "year"),
    ({"description": "字" * 5001}, "description"),
], ids=["blank-name", "long-name", "old-year", "no-year", "long-description"])
def test_a_bad_programme_is_refused_by_field_and_nothing_is_written(cast, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.save_programme(actor=cast.users.staff, data=data(**changes))
    assert field in refused.value.message_dict
    assert not Programme.objects.exists()


def test_a_programme_is_edited_with_its_changes_audited_but_not_once_closed(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    services.save_programme(actor=cast.users.staff, programme=programme, data=data(name="社会责任10强评选"))
    event = AuditEvent.objects.filter(object_type="honours.programme", action="update").get()
    assert {"field": "评选名称", "old": "优秀民营企业10强评选", "new": "社会责任10强评选"} in event.detail["changes"]
    Programme.objects.filter(pk=programme.pk).update(status=P.CLOSED)
    with pytest.raises(Refused):
        services.save_programme(actor=cast.users.staff, programme=programme, data=data(name="再改"))


def test_another_federations_editor_cannot_change_the_programme(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    with pytest.raises(PermissionDenied):
        services.save_programme(actor=cast.users.outsider_staff, programme=programme, data=data(name="改"))


def test_a_programme_in_preparation_is_deleted_with_its_categories_criteria_and_judges(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    testing.make_judge(programme, cast.users.leader)
    services.delete_programme(actor=cast.users.staff, programme=programme)
    assert not Programme.objects.exists() and not Category.objects.exists() and not Criterion.objects.exists()
    assert not Judge.objects.exists()
    assert AuditEvent.objects.filter(object_type="honours.programme", action="delete").count() == 1


def test_a_programme_with_nominations_or_past_preparation_is_not_deleted(cast):
    programme = testing.make_programme(cast.district, status=P.NOMINATING)
    with pytest.raises(Refused) as refused:
        services.delete_programme(actor=cast.users.staff, programme=programme)
    assert "只有筹备中的评选可以删除" in refused.value.message
    testing.make_nomination(programme.categories.get(), cast.ent1)
    Programme.objects.filter(pk=programme.pk).update(status=P.DRAFT)
    with pytest.raises(Refused) as refused:
        services.delete_programme(actor=cast.users.staff, programme=programme)
    assert "已有提名" in refused.value.message
    assert Programme.objects.filter(pk=programme.pk).exists()


# --- the workflow ------------------------------------------------------------------------------------------------
def test_the_programme_moves_through_its_life_by_the_workflow(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    staff = cast.users.staff
    assert [t.name for t in PROGRAMME_FLOW.available(staff, programme, role=Role.STAFF)] == ["open_nominations"]
    assert services.open_nominations(actor=staff, programme=programme).status == P.NOMINATING
    testing.make_judge(programme, cast.users.leader)
    assert services.start_scoring(actor=staff, programme=programme).status == P.SCORING
    testing.make_honour_list(programme.categories.get(), [cast.ent1], published_by=staff)
    assert services.close_programme(actor=staff, programme=programme).status == P.CLOSED
    steps = [e.detail["transition"] for e in AuditEvent.objects.filter(object_type="honours.programme").order_by("id")
             if e.detail.get("transition")]
    assert steps == ["open_nominations", "start_scoring", "close_programme"]


def test_nominations_open_only_when_every_category_has_a_criterion(cast):
    empty = testing.make_programme(cast.district, status=P.DRAFT, categories=())
    with pytest.raises(Refused) as refused:
        services.open_nominations(actor=cast.users.staff, programme=empty)
    assert "请先添加评选类别" in refused.value.message
    programme = testing.make_programme(cast.district, status=P.DRAFT, categories=("依法纳税", "促进就业"))
    Criterion.objects.filter(category__name="促进就业10强").delete()
    with pytest.raises(Refused) as refused:
        services.open_nominations(actor=cast.users.staff, programme=programme)
    assert "促进就业10强" in refused.value.message
    programme.refresh_from_db()
    assert programme.status == P.DRAFT


def test_scoring_starts_only_with_a_judge(cast):
    programme = testing.make_programme(cast.district, status=P.NOMINATING)
    with pytest.raises(Refused) as refused:
        services.start_scoring(actor=cast.users.staff, programme=programme)
    assert "评审委员" in refused.value.message


def test_the_programme_does_not_close_while_a_category_has_no_current_list(cast):
    programme = testing.make_programme(cast.district, status=P.SCORING, categories=("依法纳税", "促进就业"))
    tax, jobs = programme.categories.order_by("order")
    with pytest.raises(Refused) as refused:  # no list at all
        services.close_programme(actor=cast.users.staff, programme=programme)
    assert "依法纳税10强、促进就业10强" in refused.value.message
    testing.make_honour_list(tax, [cast.ent1])
    testing.make_honour_list(jobs, [cast.ent2], superseded=True)  # superseded: not in force
    with pytest.raises(Refused) as refused:
        services.close_programme(actor=cast.users.staff, programme=programme)
    assert "促进就业10强" in refused.value.message and "依法纳税10强" not in refused.value.message
    programme.refresh_from_db()
    assert programme.status == P.SCORING


def test_a_step_not_allowed_from_the_state_is_refused_and_a_reader_may_take_none(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    with pytest.raises(Refused) as refused:
        services.close_programme(actor=cast.users.staff, programme=programme)
    assert "评选当前状态为“筹备中”" in refused.value.message
    with pytest.raises(PermissionDenied):
        services.open_nominations(actor=cast.users.leader, programme=programme)


@pytest.fixture
def reference_data(transactional_db):
    testing.ensure_reference_data()


@pytest.mark.django_db(transaction=True)
def test_two_editors_opening_nominations_at_once_one_wins(reference_data, cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    staff2 = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    barrier, outcomes = threading.Barrier(2), [None, None]

    def run(i, actor):
        try:
            barrier.wait(timeout=10)
            services.open_nominations(actor=actor, programme=programme.pk)
            outcomes[i] = "won"
        except Refused:
            outcomes[i] = "refused"
        except OperationalError as exc:  # SQLite's shared-cache test database: "database table is locked"
            outcomes[i] = "locked" if "locked" in str(exc) else f"error {exc}"
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes[i] = f"error {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, actor)) for i, actor in enumerate((cast.users.staff, staff2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    assert outcomes.count("won") == 1, outcomes
    assert not any(o.startswith("error") for o in outcomes), outcomes
    assert AuditEvent.objects.filter(object_type="honours.programme", detail__transition="open_nominations").count() == 1


# --- categories and criteria -------------------------------------------------------------------------------------
def test_a_category_is_saved_with_its_criteria_in_order(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT, categories=())
    category = services.save_category(actor=cast.users.staff, programme=programme,
                                      data={"name": "科技创新10强", "list_size": 10, "order": 1},
                                      criteria=criteria(("研发投入", Decimal("40"), 100), ("专利数量", "30.5", 50)))
    assert [(c.name, c.weight, c.max_score, c.order) for c in category.criteria.order_by("order")] == [
        ("研发投入", Decimal("40.00"), 100, 0), ("专利数量", Decimal("30.50"), 50, 1)]
    event = AuditEvent.objects.filter(object_type="honours.category").get()
    assert {"field": "评分指标", "old": "", "new": "研发投入（权重40，满分100）；专利数量（权重30.5，满分50）"} in event.detail["changes"]


def test_criteria_are_updated_added_and_removed_in_one_save(cast):
    programme = testing.make_programme(cast.district, status=P.NOMINATING)
    category = programme.categories.get()
    tax, credit = category.criteria.order_by("order")
    rows = [{"pk": tax.pk, "name": "纳税总额", "weight": "70", "max_score": 100, "description": "按年度纳税额",
             "delete": False},
            {"pk": credit.pk, "name": credit.name, "weight": "40", "max_score": 100, "description": "",
             "delete": True}, *criteria(("吸纳就业", "30", 20))]
    services.save_category(actor=cast.users.staff, category=category,
                           data={"name": category.name, "list_size": 10, "order": 0}, criteria=rows)
    assert [(c.pk == tax.pk, c.name, c.weight, c.max_score) for c in category.criteria.order_by("order")] == [
        (True, "纳税总额", Decimal("70.00"), 100), (False, "吸纳就业", Decimal("30.00"), 20)]


@pytest.mark.parametrize(("rows", "message"), [
    (criteria(("纳税额", "0", 100)), "权重必须大于 0"),
    (criteria(("纳税额", "-5", 100)), "权重必须大于 0"),
    (criteria(("纳税额", "abc", 100)), "请填写权重"),
    (criteria(("纳税额", "1.234", 100)), "最多两位小数"),
    (criteria(("纳税额", "60", 0)), "满分应在 1 至"),
    (criteria(("纳税额", "60", None)), "请填写满分"),
    (criteria(("", "60", 100)), "请填写指标名称"),
    (criteria(("纳税额", "60", 100), ("纳税额", "40", 100)), "重复"),
    ([], "请至少设置一项评分指标"),
], ids=["zero-weight", "negative-weight", "not-a-number", "three-places", "zero-max", "no-max", "no-name",
        "duplicate", "none"])
def test_a_bad_criterion_refuses_the_whole_category_and_nothing_changes(cast, rows, message):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    category = programme.categories.get()
    before = list(category.criteria.values_list("name", "weight", "max_score"))
    with pytest.raises(ValidationError) as refused:
        services.save_category(actor=cast.users.staff, category=category,
                               data={"name": "改名的类别", "list_size": 5, "order": 0}, criteria=rows)
    assert message in " ".join(refused.value.messages)
    category.refresh_from_db()
    assert category.name == "依法纳税10强" and category.list_size == 10
    assert list(category.criteria.values_list("name", "weight", "max_score")) == before


def test_a_criterion_of_another_category_cannot_be_edited_through_this_one(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT, categories=("依法纳税", "促进就业"))
    tax, jobs = programme.categories.order_by("order")
    foreign = jobs.criteria.first()
    rows = [{"pk": foreign.pk, "name": "被篡改", "weight": "1", "max_score": 1, "description": "", "delete": False}]
    with pytest.raises(ValidationError):
        services.save_category(actor=cast.users.staff, category=tax,
                               data={"name": tax.name, "list_size": 10, "order": 0}, criteria=rows)
    foreign.refresh_from_db()
    assert foreign.name != "被篡改"


def test_category_names_are_unique_in_a_programme(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    with pytest.raises(ValidationError) as refused:
        services.save_category(actor=cast.users.staff, programme=programme,
                               data={"name": "依法纳税10强", "list_size": 10, "order": 0},
                               criteria=criteria(("纳税额", "1", 100)))
    assert "类别名称不能重复" in str(refused.value)


@pytest.mark.parametrize("status", [P.SCORING, P.CLOSED])
def test_categories_and_criteria_are_frozen_once_scoring_starts(cast, status):
    programme = testing.make_programme(cast.district, status=status)
    category = programme.categories.get()
    with pytest.raises(Refused):
        services.save_category(actor=cast.users.staff, category=category,
                               data={"name": "改", "list_size": 10, "order": 0}, criteria=criteria(("a", "1", 1)))
    with pytest.raises(Refused):
        services.save_category(actor=cast.users.staff, programme=programme,
                               data={"name": "新增", "list_size": 10, "order": 0}, criteria=criteria(("a", "1", 1)))
    with pytest.raises(Refused):
        services.delete_category(actor=cast.users.staff, category=category)
    assert programme.categories.count() == 1


def test_a_category_with_nominations_is_not_deleted_one_without_is(cast):
    programme = testing.make_programme(cast.district, status=P.NOMINATING, categories=("依法纳税", "促进就业"))
    tax, jobs = programme.categories.order_by("order")
    testing.make_nomination(tax, cast.ent1)
    with pytest.raises(Refused) as refused:
        services.delete_category(actor=cast.users.staff, category=tax)
    assert "提名" in refused.value.message
    services.delete_category(actor=cast.users.staff, category=jobs)
    assert list(programme.categories.all()) == [tax]


def test_a_reader_cannot_change_categories(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    with pytest.raises(PermissionDenied):
        services.save_category(actor=cast.users.leader, programme=programme,
                               data={"name": "新", "list_size": 10, "order": 0}, criteria=criteria(("a", "1", 1)))
    with pytest.raises(PermissionDenied):
        services.delete_category(actor=cast.users.chamber1, category=programme.categories.get())


# --- the panel ---------------------------------------------------------------------------------------------------
def test_a_staff_member_or_leader_of_the_federation_joins_the_panel_with_a_person(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    judge = services.add_judge(actor=cast.users.staff, programme=programme, user=cast.users.leader,
                               person=cast.person1, note="外聘专家")
    assert (judge.user, judge.person, judge.note) == (cast.users.leader, cast.person1, "外聘专家")
    assert services.add_judge(actor=cast.users.staff, programme=programme, user=cast.users.staff).person is None
    assert AuditEvent.objects.filter(object_type="honours.judge", action="create").count() == 2


@pytest.mark.parametrize("who", ["chamber1", "dept1", "ent1", "admin", "outsider_staff"])
def test_only_staff_and_leaders_of_the_federation_may_judge(cast, who):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    with pytest.raises(ValidationError) as refused:
        services.add_judge(actor=cast.users.staff, programme=programme, user=getattr(cast.users, who))
    assert "工作人员或领导" in str(refused.value)
    assert not programme.judges.exists()


def test_a_judge_is_seated_once_and_the_person_must_be_in_scope(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    services.add_judge(actor=cast.users.staff, programme=programme, user=cast.users.leader)
    with pytest.raises(ValidationError) as refused:
        services.add_judge(actor=cast.users.staff, programme=programme, user=cast.users.leader)
    assert "已是本评选的评审委员" in str(refused.value)
    stranger = testing.make_person(cast.other, name="外区人士")
    with pytest.raises(ValidationError) as refused:
        services.add_judge(actor=cast.users.staff, programme=programme, user=cast.users.staff, person=stranger)
    assert "不在您的管理范围内" in str(refused.value)
    assert programme.judges.count() == 1


def test_a_judge_who_has_scored_stays_on_the_panel(cast):
    programme = testing.make_programme(cast.district, status=P.SCORING)
    judge = testing.make_judge(programme, cast.users.leader)
    idle = testing.make_judge(programme, cast.users.staff)
    testing.make_scores(testing.make_nomination(programme.categories.get(), cast.ent1), judge, [80, 90])
    with pytest.raises(Refused) as refused:
        services.remove_judge(actor=cast.users.staff, judge=judge)
    assert "已评分，不能移除" in refused.value.message
    services.remove_judge(actor=cast.users.staff, judge=idle)
    assert list(programme.judges.all()) == [judge]


def test_the_panel_does_not_change_once_the_programme_closed(cast):
    programme = testing.make_programme(cast.district, status=P.CLOSED)
    judge = testing.make_judge(programme, cast.users.leader)
    with pytest.raises(Refused):
        services.add_judge(actor=cast.users.staff, programme=programme, user=cast.users.staff)
    with pytest.raises(Refused):
        services.remove_judge(actor=cast.users.staff, judge=judge)


def test_a_reader_cannot_change_the_panel(cast):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    judge = testing.make_judge(programme, cast.users.leader)
    with pytest.raises(PermissionDenied):
        services.add_judge(actor=cast.users.leader, programme=programme, user=cast.users.staff)
    with pytest.raises(PermissionDenied):
        services.remove_judge(actor=cast.users.outsider_staff, judge=judge)
