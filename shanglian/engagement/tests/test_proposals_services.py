"""Proposals' services (services/proposals.py): a proposal is saved as 草拟 with its submitters, a proposal without
a submitter is refused and nothing is written, every transition of PROPOSAL_FLOW is allowed from its states to the
editors and refused otherwise (state: Refused, role: PermissionDenied), the step dates are checked, and of two
editors acting on one proposal at once exactly one wins."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.common.models import DictItem
from shanglian.common.records import snapshot
from shanglian.engagement.models import Proposal, ProposalLog
from shanglian.engagement.services import proposals as services
from shanglian.engagement.workflow import PROPOSAL_FLOW
from shanglian.policies.models import Policy
from shanglian.policies.services import Eligibility, save_policy

S = Proposal.Status
TODAY = timezone.localdate


def data(cast, **overrides):
    values = {"kind": Proposal.Kind.PROPOSAL, "title": "关于优化民营企业融资环境的提案", "text": "建议设立应急转贷资金。",
              "topic": DictItem.objects.get(kind="proposal_topic", code="finance"), "year": TODAY().year,
              "session": "区政协十六届三次会议", "body": "", "chamber": None, "recipient": "区政协",
              "submitters": [cast.person1]}
    values.update(overrides)
    return values


def rows():
    return Proposal.objects.count(), ProposalLog.objects.count(), AuditEvent.objects.count()


# --- create, edit, delete ----------------------------------------------------------------------------------
def test_a_proposal_is_saved_as_a_draft_with_its_number_submitters_timeline_and_audit(cast):
    proposal = services.save_proposal(actor=cast.users.staff, data=data(cast, submitters=[cast.person1, cast.person2]))
    assert proposal.status == S.DRAFT and proposal.federation == cast.district
    assert proposal.number.startswith(f"TA{TODAY():%Y%m%d}") and len(proposal.number) == 14
    assert list(proposal.submitters.order_by("id")) == [cast.person1, cast.person2]
    step = proposal.log.get()
    assert (step.action, step.action_label, step.to_status, step.actor) == ("draft_proposal", "新建议案提案", S.DRAFT,
                                                                           cast.users.staff)
    audit = AuditEvent.objects.get(action="create", object_type="engagement.proposal")
    changed = {row["field"]: row["new"] for row in audit.detail["changes"]}
    assert changed["标题"] == "关于优化民营企业融资环境的提案" and changed["提交人"] == "王建国、陈浙江"
    second = services.save_proposal(actor=cast.users.staff, data=data(cast, title="另一件"))
    assert second.number != proposal.number


def test_a_proposal_without_a_submitter_is_refused_and_nothing_is_written(cast):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        services.save_proposal(actor=cast.users.staff, data=data(cast, submitters=[], body=""))
    assert refused.value.message_dict == {"submitters": ["请至少选择一位提交人，或选择以工商联、商会名义提交。"]}
    assert rows() == before


def test_a_body_alone_is_a_submitter_and_a_chamber_body_needs_its_chamber(cast):
    federation = services.save_proposal(actor=cast.users.staff, data=data(cast, submitters=[], body="federation"))
    assert federation.body == "federation" and not federation.submitters.exists()
    chamber = services.save_proposal(actor=cast.users.staff,
                                     data=data(cast, submitters=[], body="chamber", chamber=cast.chamber1))
    assert chamber.chamber == cast.chamber1
    before = rows()
    with pytest.raises(ValidationError) as refused:
        services.save_proposal(actor=cast.users.staff, data=data(cast, submitters=[], body="chamber"))
    assert refused.value.message_dict == {"chamber": ["以商会名义提交时请选择商会。"]}
    with pytest.raises(ValidationError, match="只有以商会名义提交时才选择商会"):
        services.save_proposal(actor=cast.users.staff, data=data(cast, chamber=cast.chamber1))
    assert rows() == before


def test_submitters_and_chambers_must_be_in_the_actors_scope(cast):
    person_other = testing.make_person(cast.other, name="刘南开", enterprise=cast.ent_other)
    chamber_other = testing.make_chamber(cast.other, name="南开区商会")
    before = rows()
    with pytest.raises(ValidationError) as refused:
        services.save_proposal(actor=cast.users.staff, data=data(cast, submitters=[person_other]))
    assert refused.value.message_dict == {"submitters": ["所选提交人不存在或不在您的管理范围内。"]}
    with pytest.raises(ValidationError, match="所选商会不存在或不在您的管理范围内"):
        services.save_proposal(actor=cast.users.staff,
                               data=data(cast, submitters=[], body="chamber", chamber=chamber_other))
    with pytest.raises(ValidationError, match="所选提交人不存在"):
        services.save_proposal(actor=cast.users.staff, data=data(cast, submitters=[99_999_999]))
    assert rows() == before


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"title": "  "}, "title", "请填写标题。"),
    ({"title": "题" * 201}, "title", "标题不能超过 200 字（现为 201 字）。"),
    ({"kind": "petition"}, "kind", "请选择类别（议案、提案、建议或社情民意信息）。"),
    ({"year": 1980}, "year", "年度应在 1990 年至"),
    ({"year": None}, "year", "请填写年度。"),
    ({"session": "会" * 61}, "session", "会议/届次不能超过 60 字"),
], ids=["blank-title", "long-title", "kind", "old-year", "no-year", "long-session"])
def test_bad_fields_are_refused_in_chinese_and_nothing_is_written(cast, overrides, field, message):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        services.save_proposal(actor=cast.users.staff, data=data(cast, **overrides))
    assert refused.value.message_dict[field][0].startswith(message)
    assert rows() == before


def test_only_the_editors_create_and_edit(cast):
    for user in (cast.users.leader, cast.users.chamber1, cast.users.dept1, cast.users.ent1, cast.users.auditor):
        with pytest.raises(PermissionDenied):
            services.save_proposal(actor=user, data=data(cast))
    assert services.save_proposal(actor=cast.users.admin, data=data(cast)).status == S.DRAFT


def test_an_edit_is_audited_with_its_changes_until_the_proposal_is_decided(cast):
    proposal = services.save_proposal(actor=cast.users.staff, data=data(cast))
    services.save_proposal(actor=cast.users.staff, proposal=proposal,
                           data=data(cast, title="关于设立应急转贷资金的提案", submitters=[cast.person2]))
    proposal.refresh_from_db()
    assert proposal.title == "关于设立应急转贷资金的提案" and list(proposal.submitters.all()) == [cast.person2]
    update = AuditEvent.objects.get(action="update", object_type="engagement.proposal")
    assert {row["field"] for row in update.detail["changes"]} == {"标题", "提交人"}
    Proposal.objects.filter(pk=proposal.pk).update(status=S.ADOPTED)
    before = snapshot(Proposal.objects.get(pk=proposal.pk))
    with pytest.raises(Refused, match="议案提案当前为“已采纳”，不能再修改"):
        services.save_proposal(actor=cast.users.staff, proposal=proposal, data=data(cast, title="再改"))
    assert snapshot(Proposal.objects.get(pk=proposal.pk)) == before


def test_another_federations_staff_cannot_change_the_proposal(cast):
    proposal = services.save_proposal(actor=cast.users.staff, data=data(cast))
    with pytest.raises(PermissionDenied):
        services.save_proposal(actor=cast.users.outsider_staff, proposal=proposal, data=data(cast, submitters=[]))
    with pytest.raises(PermissionDenied):
        services.submit_proposal(actor=cast.users.outsider_staff, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.delete_proposal(actor=cast.users.outsider_staff, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == S.DRAFT


def test_only_a_draft_is_deleted_and_its_timeline_goes_with_it(cast):
    draft = services.save_proposal(actor=cast.users.staff, data=data(cast))
    submitted = testing.make_proposal(cast.district, submitters=[cast.person1])
    with pytest.raises(Refused, match="只有草拟状态的议案提案可以删除"):
        services.delete_proposal(actor=cast.users.staff, proposal=submitted)
    with pytest.raises(PermissionDenied):
        services.delete_proposal(actor=cast.users.leader, proposal=draft)
    services.delete_proposal(actor=cast.users.staff, proposal=draft)
    assert not Proposal.objects.filter(pk=draft.pk).exists() and not ProposalLog.objects.filter(proposal_id=draft.pk)
    assert Proposal.objects.filter(pk=submitted.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="engagement.proposal",
                                     object_id=str(draft.pk)).exists()


# --- the workflow ------------------------------------------------------------------------------------------
def _policy(cast):
    policy = save_policy(actor=cast.users.staff, data={
        "title": "河西区民营企业应急转贷资金管理办法", "department": cast.dept1, "document_number": "", "expires_on": None,
        "benefit_type": DictItem.objects.get(kind="benefit_type", code="subsidy"), "full_text": "",
        "published_on": date(2025, 3, 1)}, eligibility=Eligibility())
    Policy.objects.filter(pk=policy.pk).update(status=Policy.Status.PUBLISHED)
    return policy


# The keyword arguments of each transition's service (what its form or serializer hands over).
ARGS = {
    "submit_proposal": lambda cast: {},
    "register_proposal": lambda cast: {"note": "已立案"},
    "hand_over": lambda cast: {"department": cast.dept1},
    "record_reply": lambda cast: {"reply": "已会同有关部门研究落实。"},
    "adopt_proposal": lambda cast: {"measure": "区政府设立民营企业应急转贷资金"},
    "decline_proposal": lambda cast: {"reason": "已有相关政策覆盖"},
}
TRANSITIONS = [t for t in PROPOSAL_FLOW if not t.creates]
CASES = [(t.name, state) for t in TRANSITIONS for state in S.values]


@pytest.mark.parametrize(("name", "state"), CASES, ids=[f"{n}-from-{s}" for n, s in CASES])
def test_every_transition_is_allowed_from_its_states_and_refused_from_the_others(cast, name, state):
    transition = PROPOSAL_FLOW[name]
    proposal = testing.make_proposal(cast.district, status=state, submitters=[cast.person1],
                                     submitted_on=None if state == S.DRAFT else TODAY() - timedelta(days=30))
    before = snapshot(proposal), ProposalLog.objects.count()
    if state in transition.sources:
        done = PROPOSAL_FLOW.run(name, actor=cast.users.staff, obj=proposal, data=ARGS[name](cast))
        assert done.status == transition.target
        step = ProposalLog.objects.filter(proposal=proposal).latest("id")
        assert (step.action, step.from_status, step.to_status) == (name, state, transition.target)
        audit = AuditEvent.objects.filter(object_type="engagement.proposal", object_id=str(proposal.pk)).latest("id")
        assert {k: audit.detail[k] for k in ("transition", "from", "to")} == {"transition": name, "from": state,
                                                                               "to": transition.target}
        assert {"field": "状态", "old": S(state).label, "new": S(transition.target).label} in audit.detail["changes"]
    else:
        with pytest.raises(Refused) as refused:
            PROPOSAL_FLOW.run(name, actor=cast.users.staff, obj=proposal, data=ARGS[name](cast))
        assert refused.value.message.startswith(f"议案提案当前状态为“{S(state).label}”，不能{transition.label}")
        assert (snapshot(Proposal.objects.get(pk=proposal.pk)), ProposalLog.objects.count()) == before


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
@pytest.mark.parametrize("name", [t.name for t in TRANSITIONS])
def test_only_the_editors_take_the_steps(cast, role, name):
    state = PROPOSAL_FLOW[name].sources[0]
    proposal = testing.make_proposal(cast.district, status=state, submitters=[cast.person1],
                                     submitted_on=None if state == S.DRAFT else TODAY() - timedelta(days=30))
    before = snapshot(proposal)
    with pytest.raises(PermissionDenied):
        PROPOSAL_FLOW.run(name, actor=getattr(cast.users, role), obj=proposal, data=ARGS[name](cast))
    assert snapshot(Proposal.objects.get(pk=proposal.pk)) == before


def test_a_proposal_lives_from_draft_to_adopted_with_its_dates_reply_and_policy(cast):
    staff, day = cast.users.staff, TODAY()
    policy = _policy(cast)
    p = services.save_proposal(actor=staff, data=data(cast))
    p = services.submit_proposal(actor=staff, proposal=p, submitted_on=day - timedelta(days=60), note="大会期间提交")
    p = services.register_proposal(actor=staff, proposal=p, registered_on=day - timedelta(days=50))
    p = services.hand_over_proposal(actor=staff, proposal=p, department=cast.dept1.pk, note="请于三个月内答复")
    p = services.record_reply(actor=staff, proposal=p, reply="已会同金融局研究。", replied_on=day - timedelta(days=10))
    p = services.adopt_proposal(actor=staff, proposal=p, measure="设立应急转贷资金", policy=policy.pk)
    p.refresh_from_db()
    assert (p.status, p.submitted_on, p.registered_on, p.replied_on, p.decided_on) == (
        S.ADOPTED, day - timedelta(days=60), day - timedelta(days=50), day - timedelta(days=10), day)
    assert (p.department, p.reply, p.measure, p.policy) == (cast.dept1, "已会同金融局研究。", "设立应急转贷资金", policy)
    steps = list(p.log.order_by("id").values_list("action", "note"))
    assert [action for action, _ in steps] == ["draft_proposal", "submit_proposal", "register_proposal", "hand_over",
                                               "record_reply", "adopt_proposal"]
    assert steps[3][1] == "承办部门：区税务局；请于三个月内答复"
    assert steps[5][1] == "实际举措：设立应急转贷资金；对应政策：河西区民营企业应急转贷资金管理办法"


@pytest.mark.parametrize(("name", "field", "kwargs", "message"), [
    ("submit_proposal", "submitted_on", {}, "提交日期不能晚于今天。"),
    ("register_proposal", "registered_on", {}, "立案日期不能晚于今天。"),
    ("record_reply", "replied_on", {"reply": "已答复"}, "答复日期不能晚于今天。"),
    ("adopt_proposal", "decided_on", {"measure": "举措"}, "采纳结果日期不能晚于今天。"),
    ("decline_proposal", "decided_on", {"reason": "原因"}, "采纳结果日期不能晚于今天。"),
], ids=["submit", "register", "reply", "adopt", "decline"])
def test_a_step_dated_in_the_future_is_refused(cast, name, field, kwargs, message):
    state = PROPOSAL_FLOW[name].sources[-1]
    proposal = testing.make_proposal(cast.district, status=state, submitters=[cast.person1])
    before = snapshot(proposal)
    with pytest.raises(ValidationError) as refused:
        PROPOSAL_FLOW.run(name, actor=cast.users.staff, obj=proposal,
                          data={**kwargs, field: TODAY() + timedelta(days=1)})
    assert refused.value.messages == [message]
    assert snapshot(Proposal.objects.get(pk=proposal.pk)) == before


def test_a_step_dated_before_the_step_before_it_is_refused(cast):
    day = TODAY()
    proposal = testing.make_proposal(cast.district, status=S.REGISTERED, submitters=[cast.person1],
                                     submitted_on=day - timedelta(days=20), registered_on=day - timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        services.record_reply(actor=cast.users.staff, proposal=proposal, reply="已答复",
                              replied_on=day - timedelta(days=11))
    assert refused.value.messages == [f"答复日期不能早于立案日期（{day - timedelta(days=10):%Y-%m-%d}）。"]
    submitted = testing.make_proposal(cast.district, status=S.SUBMITTED, submitted_on=day - timedelta(days=5),
                                      submitters=[cast.person1])
    with pytest.raises(ValidationError, match="采纳结果日期不能早于提交日期"):
        services.decline_proposal(actor=cast.users.staff, proposal=submitted, reason="不符合",
                                  decided_on=day - timedelta(days=6))
    assert Proposal.objects.get(pk=submitted.pk).status == S.SUBMITTED


@pytest.mark.parametrize(("name", "kwargs", "message"), [
    ("hand_over", {"department": None}, "请选择承办部门。"),
    ("record_reply", {"reply": "  "}, "请填写答复意见。"),
    ("adopt_proposal", {"measure": ""}, "请填写转化的实际举措。"),
    ("decline_proposal", {"reason": ""}, "请填写未采纳原因。"),
    ("decline_proposal", {"reason": "因" * 201}, "未采纳原因不能超过 200 字（现为 201 字）。"),
], ids=["no-department", "no-reply", "no-measure", "no-reason", "long-reason"])
def test_a_step_without_what_it_records_is_refused(cast, name, kwargs, message):
    proposal = testing.make_proposal(cast.district, status=PROPOSAL_FLOW[name].sources[-1], submitters=[cast.person1])
    before = snapshot(proposal), ProposalLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        PROPOSAL_FLOW.run(name, actor=cast.users.staff, obj=proposal, data=kwargs)
    assert refused.value.messages == [message]
    assert (snapshot(Proposal.objects.get(pk=proposal.pk)), ProposalLog.objects.count()) == before


def test_a_department_or_policy_outside_the_scope_is_refused(cast):
    dept_other = testing.make_department(cast.other, name="南开区金融局")
    policy_other = save_policy(actor=cast.users.outsider_staff, data={
        "title": "南开区贴息办法", "department": dept_other, "document_number": "", "expires_on": None,
        "benefit_type": DictItem.objects.get(kind="benefit_type", code="subsidy"), "full_text": "",
        "published_on": date(2025, 3, 1)}, eligibility=Eligibility())
    registered = testing.make_proposal(cast.district, status=S.REGISTERED, submitters=[cast.person1])
    with pytest.raises(ValidationError, match="所选承办部门不存在或不在您的管理范围内"):
        services.hand_over_proposal(actor=cast.users.staff, proposal=registered, department=dept_other)
    replied = testing.make_proposal(cast.district, status=S.REPLIED, submitters=[cast.person1])
    with pytest.raises(ValidationError, match="所选惠企政策不存在或不在您的查看范围内"):
        services.adopt_proposal(actor=cast.users.staff, proposal=replied, measure="举措", policy=policy_other.pk)
    assert Proposal.objects.get(pk=registered.pk).status == S.REGISTERED
    assert Proposal.objects.get(pk=replied.pk).status == S.REPLIED


# --- two editors at once -------------------------------------------------------------------------------------
def test_a_stale_proposal_is_refused_because_the_service_rereads_under_lock(cast):
    proposal = testing.make_proposal(cast.district, status=S.REPLIED, submitters=[cast.person1])
    first, second = Proposal.objects.get(pk=proposal.pk), Proposal.objects.get(pk=proposal.pk)
    staff2 = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    services.adopt_proposal(actor=cast.users.staff, proposal=first, measure="设立应急转贷资金")
    assert second.status == S.REPLIED  # what the second editor still sees
    with pytest.raises(Refused, match="议案提案当前状态为“已采纳”，不能未采纳"):
        services.decline_proposal(actor=staff2, proposal=second, reason="不采纳")
    proposal.refresh_from_db()
    assert proposal.status == S.ADOPTED and proposal.decline_reason == ""
    assert ProposalLog.objects.filter(proposal=proposal, action__in=["adopt_proposal", "decline_proposal"]).count() == 1


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
def test_two_editors_deciding_at_once_exactly_one_wins(reference_data, cast):
    proposal = testing.make_proposal(cast.district, status=S.REPLIED, submitters=[cast.person1])
    staff2 = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    outcomes = _race([
        lambda: services.adopt_proposal(actor=cast.users.staff, proposal=proposal.pk, measure="设立应急转贷资金"),
        lambda: services.decline_proposal(actor=staff2, proposal=proposal.pk, reason="已有政策覆盖"),
    ])
    kinds = sorted(kind for kind, _ in outcomes)
    assert "error" not in kinds, outcomes
    assert kinds.count("won") == 1, outcomes
    proposal.refresh_from_db()
    assert proposal.status in (S.ADOPTED, S.NOT_ADOPTED)
    assert ProposalLog.objects.filter(proposal=proposal).count() == 1
