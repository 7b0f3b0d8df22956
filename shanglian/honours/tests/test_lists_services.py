"""Publishing and correcting a category's list (`services.lists`): version 1 from the ranking (enterprise names as
on the day, ties at the last place taken), refusals that write nothing (state, a current list already, a reader,
another federation, nothing ranked), two editors publishing at once → one list; a published list is frozen (the
model refuses any change; no service changes one); a correction is version n + 1 with its reason, version n is
marked superseded and stays as it was, and a superseded version cannot be corrected."""

import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, close_old_connections, connection

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.honours.models import FrozenList, HonourList, HonourListEntry, Programme
from shanglian.honours.services import lists as services
from shanglian.honours.services.lists import Entry


def scored(cast, category, judge, rows):
    """Nominations of new enterprises (name, [scores]) scored by `judge`; returns the nominations."""
    found = []
    for name, values in rows:
        nomination = testing.make_nomination(category, testing.make_enterprise(cast.district, name=name))
        testing.make_scores(nomination, judge, values)
        found.append(nomination)
    return found


@pytest.fixture
def race(cast):
    """A programme in 评审中, one category of 2 places, one judge, three scored nominations (甲 95, 乙 and 丙 tied
    at 80)."""
    programme = testing.make_programme(cast.district, status="scoring", list_size=2)
    category = programme.categories.get()
    judge = testing.make_judge(programme, cast.users.leader)
    a, b, c = scored(cast, category, judge, [("甲公司", [95, 95]), ("乙公司", [80, 80]), ("丙公司", [80, 80])])
    return SimpleNamespace(programme=programme, category=category, judge=judge, a=a, b=b, c=c)


def entries(honour_list):
    return list(honour_list.entries.order_by("rank", "id").values_list("enterprise_name", "rank", "tied", "score"))


# --- publication -----------------------------------------------------------------------------------------------
def test_staff_publishes_version_1_from_the_ranking_with_the_ties_at_the_last_place(cast, race):
    honour_list = services.publish_list(actor=cast.users.staff, category=race.category)
    assert (honour_list.version, honour_list.reason, honour_list.is_current) == (1, "", True)
    assert honour_list.published_by == cast.users.staff
    assert entries(honour_list) == [("甲公司", 1, False, Decimal("95.000")), ("乙公司", 2, True, Decimal("80.000")),
                                    ("丙公司", 2, True, Decimal("80.000"))]  # 2 places, 3 on the list
    row = AuditEvent.objects.get(object_type="honours.honourlist", object_id=str(honour_list.pk))
    assert row.action == "create" and row.detail["action"] == "publish_list" and row.detail["longer"] is True


def test_an_entry_keeps_the_enterprises_name_as_it_was_on_the_day(cast, race):
    honour_list = services.publish_list(actor=cast.users.staff, category=race.category)
    enterprise = race.a.enterprise
    enterprise.name = "甲集团有限公司"
    enterprise.save()
    assert honour_list.entries.get(enterprise=enterprise).enterprise_name == "甲公司"


@pytest.mark.parametrize("status", [Programme.Status.NOMINATING, Programme.Status.CLOSED],
                         ids=["nominating", "closed"])
def test_publishing_outside_scoring_is_refused_and_writes_nothing(cast, race, status):
    Programme.objects.filter(pk=race.programme.pk).update(status=status)
    with pytest.raises(Refused, match="只有评审中的评选可以发布榜单"):
        services.publish_list(actor=cast.users.staff, category=race.category)
    assert not HonourList.objects.exists()


def test_a_category_with_a_current_list_is_not_published_again(cast, race):
    services.publish_list(actor=cast.users.staff, category=race.category)
    with pytest.raises(Refused, match="已发布榜单（第1版），不能重复发布"):
        services.publish_list(actor=cast.users.admin, category=race.category)
    assert HonourList.objects.count() == 1 and HonourListEntry.objects.count() == 3


def test_a_category_nobody_fully_scored_is_not_published(cast):
    programme = testing.make_programme(cast.district, status="scoring")
    category = programme.categories.get()
    testing.make_nomination(category, cast.ent1)
    with pytest.raises(Refused, match="还没有评审委员完成评分的提名"):
        services.publish_list(actor=cast.users.staff, category=category)
    assert not HonourList.objects.exists()


@pytest.mark.parametrize("who", ["leader", "chamber1", "dept1", "ent1", "outsider_staff"])
def test_only_the_federations_editors_publish(cast, race, who):
    with pytest.raises(PermissionDenied):
        services.publish_list(actor=getattr(cast.users, who), category=race.category)
    assert not HonourList.objects.exists()


# --- frozen ----------------------------------------------------------------------------------------------------
def test_a_published_list_cannot_be_edited_in_place(cast, race):
    honour_list = services.publish_list(actor=cast.users.staff, category=race.category)
    honour_list.reason = "改一下"
    with pytest.raises(FrozenList, match="榜单已发布，不能修改"):
        honour_list.save()
    with pytest.raises(FrozenList):
        honour_list.save(update_fields=["reason", "superseded_at"])
    entry = honour_list.entries.order_by("rank").first()
    entry.rank = 9
    with pytest.raises(FrozenList, match="如需更正，请发布新版本并说明原因"):
        entry.save()
    honour_list.refresh_from_db()
    assert honour_list.reason == "" and entries(honour_list)[0] == ("甲公司", 1, False, Decimal("95.000"))


def test_no_service_edits_a_list_a_correction_leaves_version_1_as_published(cast, race):
    assert not [name for name in dir(services) if "edit" in name or name.startswith("update")]
    first = services.publish_list(actor=cast.users.staff, category=race.category)
    published = entries(first)
    services.correct_list(actor=cast.users.staff, honour_list=first, reason="乙公司存在欠税记录，予以撤销",
                          entries=[Entry(race.a.enterprise, 1), Entry(race.c.enterprise, 2)])
    first.refresh_from_db()
    assert entries(first) == published and first.reason == "" and not first.is_current


# --- corrections -----------------------------------------------------------------------------------------------
def test_a_correction_is_version_2_with_its_reason_and_supersedes_version_1(cast, race):
    first = services.publish_list(actor=cast.users.staff, category=race.category)
    newcomer = testing.make_enterprise(cast.district, name="丁公司")
    second = services.correct_list(
        actor=cast.users.admin, honour_list=first, reason="经复核，乙公司存在欠税记录，予以撤销；丁公司补录",
        entries=[Entry(race.c.enterprise, 2), Entry(race.a.enterprise, 1), Entry(newcomer, 2)])
    first.refresh_from_db()
    assert (second.version, second.reason, second.is_current) == (2, "经复核，乙公司存在欠税记录，予以撤销；丁公司补录", True)
    assert first.superseded_at == second.published_at and not first.is_current
    # the ranks typed, ranked by the tie rule's numbering; scores kept, a newcomer without one
    assert entries(second) == [("甲公司", 1, False, Decimal("95.000")), ("丙公司", 2, True, Decimal("80.000")),
                               ("丁公司", 2, True, None)]
    created = AuditEvent.objects.get(object_type="honours.honourlist", object_id=str(second.pk))
    assert created.detail["action"] == "correct_list" and created.detail["reason"] == second.reason
    assert created.detail["added"] == ["丁公司"] and created.detail["removed"] == ["乙公司"]
    superseded = AuditEvent.objects.get(object_type="honours.honourlist", object_id=str(first.pk), action="update")
    assert superseded.detail["changes"][0]["field"] == "被更正时间"


def test_corrected_ranks_are_renumbered_1_2_2_4(cast, race):
    first = services.publish_list(actor=cast.users.staff, category=race.category)
    d = testing.make_enterprise(cast.district, name="丁公司")
    second = services.correct_list(actor=cast.users.staff, honour_list=first, reason="补录并调整名次", entries=[
        Entry(race.a.enterprise, 1), Entry(race.b.enterprise, 3), Entry(race.c.enterprise, 3), Entry(d, 5)])
    assert [(name, rank, tied) for name, rank, tied, _score in entries(second)] == [
        ("甲公司", 1, False), ("乙公司", 2, True), ("丙公司", 2, True), ("丁公司", 4, False)]


def test_a_superseded_version_cannot_be_corrected(cast, race):
    first = services.publish_list(actor=cast.users.staff, category=race.category)
    services.correct_list(actor=cast.users.staff, honour_list=first, reason="撤销乙公司",
                          entries=[Entry(race.a.enterprise, 1), Entry(race.c.enterprise, 2)])
    with pytest.raises(Refused, match="此版本（第1版）已被更正，不能再更正；请在现行的第2版上更正"):
        services.correct_list(actor=cast.users.staff, honour_list=first, reason="再改",
                              entries=[Entry(race.a.enterprise, 1)])
    assert HonourList.objects.count() == 2


@pytest.mark.parametrize(("given", "reason", "message"), [
    ("abc", "", "请填写更正原因"),
    ("abc", "   ", "请填写更正原因"),
    ("", "删掉全部", "至少要有一家企业"),
    ("aab", "重复", "重复出现"),
    ("a0", "名次为零", "名次应为正整数"),
    ("ax", "外区企业", "不存在或不在您的管理范围内"),
], ids=["no-reason", "blank-reason", "empty", "duplicate", "rank-zero", "other-federation"])
def test_a_bad_correction_is_refused_with_the_reason_and_writes_nothing(cast, race, given, reason, message):
    first = services.publish_list(actor=cast.users.staff, category=race.category)
    chosen = {"a": Entry(race.a.enterprise, 1), "b": Entry(race.b.enterprise, 2), "c": Entry(race.c.enterprise, 3),
              "0": Entry(race.b.enterprise, 0), "x": Entry(cast.ent_other, 2)}
    with pytest.raises(ValidationError, match=message):
        services.correct_list(actor=cast.users.staff, honour_list=first, reason=reason,
                              entries=[chosen[key] for key in given])
    assert HonourList.objects.count() == 1 and HonourList.objects.get().is_current


def test_a_correction_that_changes_nothing_is_refused(cast, race):
    first = services.publish_list(actor=cast.users.staff, category=race.category)
    with pytest.raises(Refused, match="与现行版本相同"):
        services.correct_list(actor=cast.users.staff, honour_list=first, reason="无变化", entries=[
            Entry(race.a.enterprise, 1), Entry(race.b.enterprise, 2), Entry(race.c.enterprise, 2)])
    assert HonourList.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "chamber1", "dept1", "outsider_staff"])
def test_only_the_federations_editors_correct(cast, race, who):
    first = services.publish_list(actor=cast.users.staff, category=race.category)
    with pytest.raises(PermissionDenied):
        services.correct_list(actor=getattr(cast.users, who), honour_list=first, reason="改",
                              entries=[Entry(race.a.enterprise, 1)])
    assert HonourList.objects.count() == 1


# --- two editors at once -----------------------------------------------------------------------------------------
@pytest.fixture
def reference_data(transactional_db):
    testing.ensure_reference_data()


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ("won", call())
        except (Refused, PermissionDenied) as exc:
            outcomes[i] = ("refused", exc)
        except OperationalError as exc:  # SQLite's shared-cache test database: "database table is locked"
            outcomes[i] = ("locked", exc) if "locked" in str(exc) else ("error", exc)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_give_one_list(reference_data, cast):
    programme = testing.make_programme(cast.district, status="scoring", list_size=2)
    category = programme.categories.get()
    judge = testing.make_judge(programme, cast.users.leader)
    scored(cast, category, judge, [("甲公司", [95, 95]), ("乙公司", [80, 80])])
    staff2 = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    outcomes = _race([lambda: services.publish_list(actor=cast.users.staff, category=category.pk),
                      lambda: services.publish_list(actor=staff2, category=category.pk)])
    kinds = sorted(kind for kind, _ in outcomes)
    assert "error" not in kinds, outcomes
    assert kinds.count("won") == 1, outcomes
    refused = [exc for kind, exc in outcomes if kind == "refused"]
    assert all("不能重复发布" in exc.message for exc in refused), refused
    assert HonourList.objects.filter(category=category).count() == 1
    assert HonourListEntry.objects.filter(honour_list__category=category).count() == 2
