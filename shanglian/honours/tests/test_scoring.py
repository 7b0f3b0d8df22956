"""评分: a judge's queue (我的评审: 待评分 / 已评分 / 回避) and its 待办; the scoring form — one score per criterion,
0..满分 with two decimals, all or nothing, again to change them while 评审中; a conflicted judge refused (403, with
the reason) on each link of the rule; somebody not on the panel refused (403); outside 评审中 or for a withdrawn
nomination refused; two judges at once both saved, one judge twice at once never duplicated."""

import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.models import User
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.honours.models import Nomination, Programme, Score
from shanglian.honours.selectors import nominations as selectors
from shanglian.honours.services import nominations as services
from shanglian.members.models import ChamberMembership
from shanglian.orgs.models import Position, Term
from shanglian.ui.todos import todos_for

P = Programme.Status
QUEUE = reverse("honours:my_scoring")
CONFLICT = re.compile(r"您与被提名企业存在关联（.+），须回避，不能评分。")


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def programme(cast):
    return testing.make_programme(cast.district, status=P.SCORING)


@pytest.fixture
def category(programme):
    return programme.categories.get()


@pytest.fixture
def criteria(category):
    return list(category.criteria.order_by("order"))  # 纳税额 (60), 纳税信用 (40), both of 100


@pytest.fixture
def nomination(cast, category):
    return testing.make_nomination(category, cast.ent2, chamber=cast.chamber2, by=cast.users.chamber2)


def post_data(criteria, *values):
    return {f"score_{c.pk}": str(v) for c, v in zip(criteria, values, strict=True)}


def values(criteria, *given):
    return {c.pk: v for c, v in zip(criteria, given, strict=True)}


def scores(nomination):
    return sorted((s.judge.user.username, s.criterion.name, s.value) for s in
                  Score.objects.filter(nomination=nomination).select_related("judge__user", "criterion"))


# --- the queue and its 待办 ----------------------------------------------------------------------------------------
@pytest.fixture
def queue(cast, programme, category):
    """staff judges: ent1 (conflicted: staff's person is its legal representative), ent2 (to do), ent3 (done),
    a withdrawn one; and a programme still nominating that staff also judges."""
    judge = testing.make_judge(programme, cast.users.staff, person=cast.person1)
    ent3 = testing.make_enterprise(cast.district, name="天津河西建设集团")
    done = testing.make_nomination(category, ent3)
    testing.make_scores(done, judge, [90, 80])
    partly = testing.make_nomination(category, cast.ent2, chamber=cast.chamber2)
    testing.make_scores(partly, judge, [50, None])
    withdrawn = testing.make_nomination(category, testing.make_enterprise(cast.district, name="已撤回企业"),
                                        status=Nomination.Status.WITHDRAWN)
    conflicted = testing.make_nomination(category, cast.ent1)
    later = testing.make_programme(cast.district, name="科技创新10强评选", status=P.NOMINATING)
    testing.make_judge(later, cast.users.staff)
    testing.make_nomination(later.categories.get(), cast.ent2)
    return {"judge": judge, "done": done, "partly": partly, "withdrawn": withdrawn, "conflicted": conflicted}


def test_the_queue_lists_each_nomination_as_to_do_done_or_stand_aside(cast, queue, login):
    client = login(cast.users.staff)
    page = client.get(QUEUE).content.decode()
    assert count(page) == 3 and "已撤回企业" not in page
    assert "待评分" in page and "已评分" in page and "回避" in page and "1/2" in page and "2/2" in page
    for state, name in ((selectors.PENDING, "天津之江贸易有限公司"), (selectors.DONE, "天津河西建设集团"),
                        (selectors.CONFLICTED, "天津友谊科技有限公司")):
        page = client.get(f"{QUEUE}?state={state}").content.decode()
        assert count(page) == 1 and name in page, state
    conflicted_row = client.get(f"{QUEUE}?state={selectors.CONFLICTED}").content.decode()
    assert reverse("honours:nomination_score", args=[queue["conflicted"].pk]) not in conflicted_row


def test_the_judges_todo_counts_what_is_left_to_score_and_opens_exactly_that(cast, queue, login):
    todo = next(t for t in todos_for(cast.users.staff) if t.label == "待评审提名")
    assert todo.count == 1 and todo.url == f"{QUEUE}?state={selectors.PENDING}"
    assert count(login(cast.users.staff).get(todo.url).content.decode()) == 1
    testing.make_scores(queue["partly"], queue["judge"], [None, 60])  # finishes it
    assert not any(t.label == "待评审提名" for t in todos_for(cast.users.staff))
    assert not any(t.label == "待评审提名" for t in todos_for(cast.users.leader))  # not on the panel


def test_the_queue_is_the_judges_only(cast, queue, login):
    assert count(login(cast.users.leader).get(QUEUE).content.decode()) == 0  # not on a panel: an empty queue
    for role in ("admin", "chamber1", "dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(QUEUE).status_code == 403, role


# --- scoring -----------------------------------------------------------------------------------------------------
def test_a_judge_scores_every_criterion_and_scores_again_to_change_them(cast, programme, criteria, nomination, login):
    testing.make_judge(programme, cast.users.leader)
    client = login(cast.users.leader)
    url = reverse("honours:nomination_score", args=[nomination.pk])
    page = client.get(url).content.decode()
    assert "纳税额（满分 100，权重 60）" in page
    response = client.post(url, post_data(criteria, "85.5", "90"))
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?state={selectors.PENDING}"
    assert scores(nomination) == [("leader", "纳税信用", Decimal("90.00")), ("leader", "纳税额", Decimal("85.50"))]
    assert 'value="85.50"' in client.get(url).content.decode()  # the form shows what was given
    client.post(url, post_data(criteria, "85.5", "70"))
    assert scores(nomination) == [("leader", "纳税信用", Decimal("70.00")), ("leader", "纳税额", Decimal("85.50"))]
    last = AuditEvent.objects.filter(object_type="honours.nomination", object_id=str(nomination.pk)).latest("id")
    assert last.detail["changes"] == [{"field": "评分：纳税信用", "old": "90", "new": "70"}]


@pytest.mark.parametrize("given", [("101", "50"), ("-1", "50"), ("50.123", "50"), ("abc", "50"), ("", "50"),
                                   ("1e3", "50"), ("NaN", "50")],
                         ids=["over-max", "negative", "three-places", "text", "missing", "exponent", "nan"])
def test_a_score_outside_0_to_the_maximum_is_refused_and_nothing_is_written(cast, programme, criteria, nomination,
                                                                           login, given):
    judge = testing.make_judge(programme, cast.users.leader)
    testing.make_scores(nomination, judge, [60, 60])
    response = login(cast.users.leader).post(reverse("honours:nomination_score", args=[nomination.pk]),
                                             post_data(criteria, *given))
    assert response.status_code == 400 and "纳税额" in response.content.decode()
    assert scores(nomination) == [("leader", "纳税信用", Decimal("60.00")), ("leader", "纳税额", Decimal("60.00"))]


@pytest.mark.parametrize("given", [(Decimal("100.01"), Decimal(50)), (Decimal(-1), Decimal(50)),
                                   (Decimal("9.999"), Decimal(50)), (Decimal(10), None)],
                         ids=["over-max", "negative", "three-places", "missing"])
def test_the_service_refuses_a_score_outside_the_range_and_writes_nothing(cast, programme, criteria, nomination,
                                                                         given):
    testing.make_judge(programme, cast.users.leader)
    with pytest.raises(ValidationError):
        services.record_scores(actor=cast.users.leader, nomination=nomination,
                               values={c.pk: v for c, v in zip(criteria, given, strict=True) if v is not None})
    assert not Score.objects.exists()


def test_a_score_for_a_criterion_of_another_category_is_refused(cast, criteria, programme, nomination):
    testing.make_judge(programme, cast.users.leader)
    other = testing.make_programme(cast.district, status=P.SCORING).categories.get().criteria.first()
    with pytest.raises(ValidationError):
        services.record_scores(actor=cast.users.leader, nomination=nomination,
                               values={**values(criteria, 50, 50), other.pk: 50})
    assert not Score.objects.exists()


# --- conflicted judges, each link of the rule ----------------------------------------------------------------------
def _person_with_role_in_the_nominee(cast, programme):
    return testing.make_judge(programme, cast.users.leader, person=cast.person2)  # 法定代表人 of ent2


def _position_in_the_nominating_chamber(cast, programme):
    person = testing.make_person(cast.district, name="赵评委")
    term = Term.objects.create(federation=cast.district, chamber=cast.chamber2, number=3, start=date(2023, 1, 1))
    Position.objects.create(term=term, person=person, title=Position.Title.SECRETARY_GENERAL)
    return testing.make_judge(programme, cast.users.leader, person=person)


def _position_in_a_chamber_the_nominee_belongs_to(cast, programme):
    person = testing.make_person(cast.district, name="钱评委")
    # ent2 (nominated by chamber2) is a member of chamber1 too, where the judge is 副会长
    ChamberMembership.objects.create(chamber=cast.chamber1, enterprise=cast.ent2, joined=date(2024, 1, 1))
    term = Term.objects.create(federation=cast.district, chamber=cast.chamber1, number=1, start=date(2023, 1, 1))
    Position.objects.create(term=term, person=person, title=Position.Title.VICE_PRESIDENT)
    return testing.make_judge(programme, cast.users.leader, person=person)


def _account_of_the_enterprise(cast, programme):
    User.objects.filter(pk=cast.users.leader.pk).update(enterprise=cast.ent2)
    return testing.make_judge(programme, cast.users.leader)


def _account_of_the_chamber(cast, programme):
    User.objects.filter(pk=cast.users.leader.pk).update(chamber=cast.chamber2)
    return testing.make_judge(programme, cast.users.leader)


LINKS = {"person-role": _person_with_role_in_the_nominee, "nominating-chamber": _position_in_the_nominating_chamber,
         "member-chamber": _position_in_a_chamber_the_nominee_belongs_to,
         "account-enterprise": _account_of_the_enterprise, "account-chamber": _account_of_the_chamber}


@pytest.mark.parametrize("link", list(LINKS))
def test_a_conflicted_judge_is_refused_with_the_reason_and_nothing_is_written(cast, programme, criteria, nomination,
                                                                             login, link):
    LINKS[link](cast, programme)
    client = login(User.objects.get(pk=cast.users.leader.pk))
    url = reverse("honours:nomination_score", args=[nomination.pk])
    for response in (client.get(url), client.post(url, post_data(criteria, "90", "90"))):
        assert response.status_code == 403
        assert CONFLICT.search(response.content.decode()), link
    with pytest.raises(PermissionDenied) as refused:
        services.record_scores(actor=User.objects.get(pk=cast.users.leader.pk), nomination=nomination,
                               values=values(criteria, 90, 90))
    assert CONFLICT.search(str(refused.value))
    assert not Score.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="honours.nomination",
                                     object_id=str(nomination.pk)).exists()
    page = client.get(f"{QUEUE}?state={selectors.CONFLICTED}").content.decode()
    assert count(page) == 1 and "天津之江贸易有限公司" in page


def test_the_same_judge_scores_a_nomination_they_are_not_linked_to(cast, programme, criteria, category, login):
    _person_with_role_in_the_nominee(cast, programme)  # linked to ent2, not to ent1
    other = testing.make_nomination(category, cast.ent1)
    response = login(cast.users.leader).post(reverse("honours:nomination_score", args=[other.pk]),
                                             post_data(criteria, "90", "90"))
    assert response.status_code == 302 and Score.objects.filter(nomination=other).count() == 2


# --- who may score, and when ---------------------------------------------------------------------------------------
def test_somebody_not_on_the_panel_cannot_score(cast, programme, criteria, nomination, login):
    testing.make_judge(programme, cast.users.staff)
    url = reverse("honours:nomination_score", args=[nomination.pk])
    assert login(cast.users.leader).get(url).status_code == 403  # a judge's role, not on this panel
    assert login(cast.users.leader).post(url, post_data(criteria, "90", "90")).status_code == 403
    for role in ("admin", "chamber2", "dept1", "ent1", "auditor"):  # roles that never judge
        assert login(getattr(cast.users, role)).post(url, post_data(criteria, "90", "90")).status_code == 403, role
    assert login(cast.users.outsider_staff).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_scores(actor=cast.users.leader, nomination=nomination, values=values(criteria, 90, 90))
    with pytest.raises(PermissionDenied):
        services.record_scores(actor=cast.users.chamber2, nomination=nomination, values=values(criteria, 90, 90))
    assert not Score.objects.exists()


@pytest.mark.parametrize("status", [P.NOMINATING, P.CLOSED])
def test_scoring_outside_the_scoring_stage_is_refused(cast, programme, criteria, nomination, login, status):
    testing.make_judge(programme, cast.users.leader)
    Programme.objects.filter(pk=programme.pk).update(status=status)
    url = reverse("honours:nomination_score", args=[nomination.pk])
    response = login(cast.users.leader).post(url, post_data(criteria, "90", "90"), follow=True)
    assert "只有评审中的评选可以评分" in response.content.decode()
    with pytest.raises(Refused):
        services.record_scores(actor=cast.users.leader, nomination=nomination, values=values(criteria, 90, 90))
    assert not Score.objects.exists()


def test_a_withdrawn_nomination_is_not_scored(cast, programme, criteria, nomination, login):
    testing.make_judge(programme, cast.users.leader)
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.WITHDRAWN)
    response = login(cast.users.leader).post(reverse("honours:nomination_score", args=[nomination.pk]),
                                             post_data(criteria, "90", "90"), follow=True)
    assert "该提名已撤回，不能评分" in response.content.decode()
    with pytest.raises(Refused):
        services.record_scores(actor=cast.users.leader, nomination=nomination, values=values(criteria, 90, 90))
    assert not Score.objects.exists()


# --- at once -----------------------------------------------------------------------------------------------------
@pytest.fixture
def reference_data(transactional_db):
    testing.ensure_reference_data()


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[i] = "won"
        except OperationalError as exc:  # SQLite's shared-cache test database: "database table is locked"
            outcomes[i] = "locked" if "locked" in str(exc) else f"error {exc}"
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes[i] = f"error {exc!r}"
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
def test_two_judges_scoring_at_once_do_not_interfere(reference_data, cast):
    programme = testing.make_programme(cast.district, status=P.SCORING)
    category = programme.categories.get()
    criteria = list(category.criteria.order_by("order"))
    nomination = testing.make_nomination(category, cast.ent2)
    testing.make_judge(programme, cast.users.leader)
    testing.make_judge(programme, cast.users.staff)
    for _ in range(3):
        outcomes = _race([
            lambda actor=actor, v=v: services.record_scores(actor=actor, nomination=nomination.pk,
                                                            values=values(criteria, v, v))
            for actor, v in ((cast.users.leader, Decimal(80)), (cast.users.staff, Decimal(70)))])
        assert not any(o.startswith("error") for o in outcomes), outcomes
        assert "won" in outcomes, outcomes  # (SQLite's test database may refuse one: locked)
        if connection.vendor == "postgresql":
            assert outcomes == ["won", "won"], outcomes
    by_judge = {}
    for judge, value in Score.objects.filter(nomination=nomination).values_list("judge__user__username", "value"):
        by_judge.setdefault(judge, []).append(value)
    assert all(len(given) == 2 for given in by_judge.values())
    assert by_judge.get("leader", [Decimal(80)] * 2) == [Decimal(80)] * 2
    assert by_judge.get("staff", [Decimal(70)] * 2) == [Decimal(70)] * 2


@pytest.mark.django_db(transaction=True)
def test_one_judge_submitting_twice_at_once_writes_one_score_per_criterion(reference_data, cast):
    programme = testing.make_programme(cast.district, status=P.SCORING)
    category = programme.categories.get()
    criteria = list(category.criteria.order_by("order"))
    nomination = testing.make_nomination(category, cast.ent2)
    testing.make_judge(programme, cast.users.leader)
    for _ in range(3):
        outcomes = _race([
            lambda v=v: services.record_scores(actor=cast.users.leader, nomination=nomination.pk,
                                               values=values(criteria, v, v))
            for v in (Decimal(60), Decimal(65))])
        assert not any(o.startswith("error") for o in outcomes), outcomes
        assert "won" in outcomes, outcomes
    rows = list(Score.objects.filter(nomination=nomination).values_list("criterion_id", "value"))
    assert sorted(pk for pk, _v in rows) == sorted(c.pk for c in criteria)  # one each, never two
    assert len({v for _pk, v in rows}) == 1  # both criteria from the same submission
