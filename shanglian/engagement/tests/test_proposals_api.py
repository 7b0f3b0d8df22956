"""/api/v1/engagement/proposals/: the list and one proposal in the caller's scope, 新建 (草拟) by the editors, the
workflow's generated actions (200 with the proposal, 400 bad input, 403 a reader, 404 another scope whatever the
body, 409 a state that does not allow the step), each with its Chinese message and nothing changed when refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.records import snapshot
from shanglian.engagement.models import Proposal, ProposalLog

S = Proposal.Status
BASE = "/api/v1/engagement/proposals/"


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def book(cast):
    return {
        "mine": testing.make_proposal(cast.district, status=S.SUBMITTED, submitters=[cast.person1],
                                      title="关于优化融资环境的提案", submitted_on=timezone.localdate() - timedelta(days=9)),
        "theirs": testing.make_proposal(cast.district, status=S.SUBMITTED, submitters=[cast.person2],
                                        title="关于浙商回归的提案"),
        "other": testing.make_proposal(cast.other, status=S.SUBMITTED, body="federation", title="南开区的提案"),
    }


def test_the_list_and_a_proposal_are_scoped(cast, book, login):
    client = login(cast.users.staff)
    rows = client.get(BASE).json()
    ids = {row["id"] for row in (rows["results"] if isinstance(rows, dict) else rows)}
    assert ids == {book["mine"].pk, book["theirs"].pk}
    detail = client.get(f"{BASE}{book['mine'].pk}/").json()
    assert detail["status_display"] == "已提交" and detail["submitters"] == [{"id": cast.person1.pk, "name": "王建国"}]
    assert "timeline" in detail and "reply" in detail
    chamber = login(cast.users.chamber1)
    rows = chamber.get(BASE).json()
    assert {row["id"] for row in (rows["results"] if isinstance(rows, dict) else rows)} == {book["mine"].pk}
    assert chamber.get(f"{BASE}{book['theirs'].pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="engagement.proposal",
                                     object_id=str(book["theirs"].pk), detail__via="api").exists()
    for role in ("dept1", "ent1"):
        assert login(getattr(cast.users, role)).get(BASE).status_code == 403


def test_the_list_filters_and_refuses_a_bad_filter(cast, book, login):
    client = login(cast.users.staff)
    rows = client.get(f"{BASE}?submitter={cast.person2.pk}").json()
    assert [row["id"] for row in (rows["results"] if isinstance(rows, dict) else rows)] == [book["theirs"].pk]
    assert client.get(f"{BASE}?submitter=99999999999999999999").status_code == 400
    assert client.get(f"{BASE}?status=pending").status_code == 400


def test_an_editor_creates_a_draft_and_a_proposal_without_a_submitter_is_a_400(cast, login):
    client = login(cast.users.staff)
    response = post(client, BASE, {"kind": "suggestion", "title": "关于支持小微企业的建议",
                                   "year": timezone.localdate().year, "submitters": [cast.person1.pk]})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft" and response.json()["number"].startswith("TA")
    before = Proposal.objects.count()
    response = post(client, BASE, {"kind": "suggestion", "title": "无人提交", "year": timezone.localdate().year})
    assert response.status_code == 400
    assert "请至少选择一位提交人" in response.json()["detail"]
    person_other = testing.make_person(cast.other, name="刘南开")
    response = post(client, BASE, {"kind": "suggestion", "title": "外区人员", "year": timezone.localdate().year,
                                   "submitters": [person_other.pk]})
    assert response.status_code == 400 and "所选提交人不存在或不在您的管理范围内" in response.json()["detail"]
    assert Proposal.objects.count() == before
    assert post(login(cast.users.leader), BASE, {"kind": "suggestion", "title": "领导", "year": 2025,
                                                 "body": "federation"}).status_code == 403


def test_the_workflow_actions_take_the_steps(cast, book, login):
    client = login(cast.users.staff)
    pk = book["mine"].pk
    steps = [("register", {}), ("hand-over", {"department": cast.dept1.pk, "note": "请研究办理"}),
             ("reply", {"reply": "已会同有关部门研究落实。"}),
             ("adopt", {"measure": "设立应急转贷资金", "decided_on": timezone.localdate().isoformat()})]
    for slug, body in steps:
        response = post(client, f"{BASE}{pk}/{slug}/", body)
        assert response.status_code == 200, (slug, response.content)
    body = response.json()
    assert body["status"] == "adopted" and body["measure"] == "设立应急转贷资金"
    assert [step["action"] for step in body["timeline"]] == ["register_proposal", "hand_over", "record_reply",
                                                             "adopt_proposal"]
    assert body["department"] == {"id": cast.dept1.pk, "name": "区税务局"}


def test_a_refused_action_changes_nothing_and_says_why(cast, book, login):
    proposal = book["mine"]
    client = login(cast.users.staff)
    before = snapshot(proposal), ProposalLog.objects.count()
    response = post(client, f"{BASE}{proposal.pk}/adopt/", {"measure": "举措"})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("议案提案当前状态为“已提交”，不能采纳")
    assert post(client, f"{BASE}{proposal.pk}/decline/", {}).status_code == 400  # no reason
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(client, f"{BASE}{proposal.pk}/register/", {"registered_on": tomorrow})
    assert response.status_code == 400 and response.json()["detail"] == "立案日期不能晚于今天。"
    response = post(client, f"{BASE}{proposal.pk}/register/",
                    {"registered_on": (timezone.localdate() - timedelta(days=10)).isoformat()})
    assert response.status_code == 400 and "立案日期不能早于提交日期" in response.json()["detail"]
    assert post(login(cast.users.leader), f"{BASE}{proposal.pk}/register/", {}).status_code == 403
    assert post(login(cast.users.chamber1), f"{BASE}{proposal.pk}/register/", {}).status_code == 403
    assert post(login(cast.users.outsider_staff), f"{BASE}{proposal.pk}/register/", {}).status_code == 404
    assert (snapshot(Proposal.objects.get(pk=proposal.pk)), ProposalLog.objects.count()) == before


def test_the_schema_documents_every_action(cast, login):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for slug in ("submit", "register", "hand-over", "reply", "adopt", "decline"):
        assert "post" in paths[f"{BASE}{{id}}/{slug}/"], slug
    assert "post" in paths[BASE] and "get" in paths[f"{BASE}{{id}}/"]
