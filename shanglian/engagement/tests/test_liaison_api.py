"""/api/v1/engagement/visits/: scoped like the pages (a leader their own visits), recording a visit through the one
service, bad input 400 in Chinese with nothing written, another scope 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.tests.factories import category
from shanglian.audit.models import AuditEvent
from shanglian.engagement.models import Visit
from shanglian.engagement.services.liaison import raise_appeal_from_visit

URL = "/api/v1/engagement/visits/"


@pytest.fixture
def visits(cast):
    leader2 = testing.make_user(Role.LEADER, username="leader2", federation=cast.district)
    own = testing.make_liaison(cast.ent1, user=cast.users.leader)
    theirs = testing.make_liaison(cast.ent2, user=leader2)
    cast.users.leader2 = leader2
    return {
        "own_liaison": own, "their_liaison": theirs,
        "own": testing.make_visit(cast.ent1, liaison=own, problems="用地指标紧张"),
        "theirs": testing.make_visit(cast.ent2, liaison=theirs),
        "other": testing.make_visit(cast.ent_other, visitors="南开区"),
    }


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_the_list_is_scoped(visits, cast, login):
    assert ids(login(cast.users.staff).get(URL)) == {visits["own"].pk, visits["theirs"].pk}
    assert ids(login(cast.users.leader).get(URL)) == {visits["own"].pk}
    assert ids(login(cast.users.outsider_staff).get(URL)) == {visits["other"].pk}
    assert ids(login(cast.users.staff).get(URL, {"problems": "yes"})) == {visits["own"].pk}
    assert ids(login(cast.users.staff).get(URL, {"enterprise": cast.ent2.pk})) == {visits["theirs"].pk}
    for role in ("chamber1", "dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(URL).status_code == 403


def test_one_visit_with_the_appeals_opened_from_it(visits, cast, login):
    appeal = raise_appeal_from_visit(actor=cast.users.staff, visit=visits["own"], category=category("consult"),
                                     title="用地指标紧张", content="用地指标紧张")
    body = login(cast.users.leader).get(f"{URL}{visits['own'].pk}/").json()
    assert body["enterprise"]["name"] == cast.ent1.name and body["appeal_count"] == 1
    assert body["appeals"] == [{"id": appeal.pk, "number": appeal.number, "title": "用地指标紧张",
                                "status": "submitted", "status_display": "已提交"}]


def test_another_leaders_or_federations_visit_is_not_found_and_audited(visits, cast, login):
    assert login(cast.users.leader).get(f"{URL}{visits['theirs'].pk}/").status_code == 404
    assert login(cast.users.outsider_staff).get(f"{URL}{visits['own'].pk}/").status_code == 404
    denied = AuditEvent.objects.filter(action="denied", object_type="engagement.visit")
    assert {(e.username, e.detail["via"]) for e in denied} == {("leader", "api"), ("outsider", "api")}


def test_a_leader_records_a_visit_of_their_enterprise(visits, cast, login):
    client = login(cast.users.leader)
    response = client.post(URL, {"liaison": visits["own_liaison"].pk, "visited_on": timezone.localdate().isoformat(),
                                 "visitors": "区领导王某"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["enterprise"]["id"] == cast.ent1.pk
    assert Visit.objects.get(pk=response.json()["id"]).recorded_by == cast.users.leader


@pytest.mark.parametrize(("role", "body", "message"), [
    ("staff", {"enterprise": "ent1", "visited_on": "tomorrow"}, "走访日期不能晚于今天"),
    ("leader", {"liaison": "own_liaison", "visited_on": "tomorrow"}, "走访日期不能晚于今天"),
    ("leader", {"liaison": "their_liaison"}, "包联关系不存在或不在您的范围内"),
    ("leader", {"enterprise": "ent2"}, "只能记录本人包联企业的走访"),
    ("staff", {"enterprise": "ent_other"}, "企业不存在或不在您的范围内"),
    ("outsider_staff", {"enterprise": "ent1"}, "企业不存在或不在您的范围内"),
    ("outsider_staff", {"liaison": "own_liaison"}, "包联关系不存在或不在您的范围内"),
    ("staff", {"enterprise": "ent1", "visitors": ""}, ""),
    ("staff", {}, "请选择走访的企业"),
], ids=["future-staff", "future-leader", "their-liaison", "unassigned-enterprise", "other-federation",
        "outsider-into-district", "outsider-liaison", "no-visitors", "no-enterprise"])
def test_a_bad_visit_is_refused_with_400_and_nothing_is_written(visits, cast, login, role, body, message):
    today = timezone.localdate()
    data = {"visited_on": (today - timedelta(days=1)).isoformat(), "visitors": "区领导"}
    for name, value in body.items():
        if name == "enterprise":
            value = getattr(cast, value).pk
        elif name == "liaison":
            value = visits[value].pk
        elif value == "tomorrow":
            value = (today + timedelta(days=1)).isoformat()
        data[name] = value
    before = Visit.objects.count()
    response = login(getattr(cast.users, role)).post(URL, data, content_type="application/json")
    assert response.status_code == 400, response.content
    assert message in str(response.json())
    assert Visit.objects.count() == before


def test_another_federations_enterprise_is_answered_like_a_missing_one(visits, cast, login):
    """Which enterprise ids exist in another federation is not revealed: the same 400 for both."""
    client = login(cast.users.staff)
    data = {"visited_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "visitors": "区领导"}
    missing = max(cast.ent1.pk, cast.ent2.pk, cast.ent_other.pk) + 1000
    answers = [client.post(URL, {**data, "enterprise": pk}, content_type="application/json")
               for pk in (cast.ent_other.pk, missing)]
    assert [r.status_code for r in answers] == [400, 400]
    assert answers[0].json() == answers[1].json() and "企业不存在或不在您的范围内。" in str(answers[0].json())
    assert Visit.objects.count() == 3


@pytest.mark.parametrize("role", ["chamber1", "dept1", "ent1", "auditor"])
def test_roles_without_liaison_record_nothing(visits, cast, login, role):
    response = login(getattr(cast.users, role)).post(URL, {"enterprise": cast.ent1.pk, "visitors": "某",
                                                           "visited_on": "2025-06-01"},
                                                     content_type="application/json")
    assert response.status_code == 403 and Visit.objects.count() == 3
