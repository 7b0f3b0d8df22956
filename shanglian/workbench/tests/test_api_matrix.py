"""Every endpoint of /api/v1/ × every role of the cast × the records of another scope: 403 or 404, never
data (DESIGN §1; the page matrix is test_permission_matrix.py).

The endpoints are read from the OpenAPI schema that drf-spectacular generates from the router, not
listed here: a new module's ViewSet is in the matrix as soon as it is registered, and the test fails
until `scoped` below holds records of its model on both sides of every scope line. For each role:
- a list (a GET without a path parameter) answers 403, or 200 without any record of another scope;
- a retrieve or a detail GET action on a record of another scope answers 403/404;
- a detail POST action answers 403/404 and changes nothing (no row added or removed anywhere, the
  record untouched), whatever the body: the scope is checked before the input is parsed;
- a nested route (`enterprises/{enterprise_id}/policies/`) addressed by a record of another scope: 403/404.
"""

from datetime import date
from functools import cache

import pytest
from django.apps import apps
from django.db import connection
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Status
from shanglian.appeals.tests.factories import make_appeal, submit
from shanglian.common.models import DictItem
from shanglian.communications.models import Agreement, Notice, Survey
from shanglian.growth.models import Milestone
from shanglian.policies.models import Policy
from shanglian.policies.services import Eligibility, save_policy

ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
METHODS = ("get", "post", "put", "patch", "delete")
# Denied calls are audited (an append-only log): the one table a refused call may add rows to.
WRITTEN_BY_A_REFUSAL = {"audit.auditevent", "axes.accessattempt", "axes.accessfailurelog", "sessions.session"}
# Writes that address no record by their path: the record of another scope is in the body.
COVERED_ELSEWHERE = {
    # filing for an enterprise of another federation: 400, nothing created; for another enterprise: 403
    ("post", "/api/v1/appeals/"): "appeals/tests/test_api.py::test_staff_cannot_register_an_appeal_outside_its_"
                                  "federation, test_enterprise_user_cannot_submit_for_another_enterprise",
    # the invitee's self check-in: the event is named by the scanned code, the invitation (if any) by the body —
    # another enterprise's is 404 and nothing is checked in; any other role: 403
    ("post", "/api/v1/my-invitations/check-in/"): "events/tests/test_api.py::test_several_invitees_name_the_one_"
                                                  "checking_in, test_staff_cannot_self_check_in",
    # recording a visit (走访) for an enterprise or under a liaison of another scope: 400, nothing written; a role
    # without liaison: 403
    # registering a proposal naming persons or a chamber of another scope: 400, nothing written; a reader: 403
    ("post", "/api/v1/engagement/proposals/"): "engagement/tests/test_proposals_api.py::test_an_editor_creates_a_"
                                               "draft_and_a_proposal_without_a_submitter_is_a_400",
    ("post", "/api/v1/engagement/visits/"): "engagement/tests/test_liaison_api.py::test_a_bad_visit_is_refused_with_"
                                            "400_and_nothing_is_written, test_roles_without_liaison_record_nothing",
}
# Path parameters that address no record: 统计报告's figure key (/api/v1/reports/figures/{key}/…). Each is filled
# with a count figure over a model of the matrix — its records answer lists that model only within the role's scope.
KEYED = {"key": "members.in_force"}
# Users beside the cast's roles who own records of the matrix (made by `scoped`): an invitation is read only by its
# enterprise's user, and the cast has one (ent1); ent2's user proves ent2's invitation real.
RECORD_OWNERS = ["ent2"]


@cache
def endpoints():
    """(method, path template) of every operation in the generated schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple(sorted((method, path) for path, item in schema["paths"].items() for method in item if method in METHODS))


def _viewset_model(path):
    """The model a ViewSet route serves (its serializer's), found by resolving the route."""
    view = resolve(path).func
    viewset = view.cls(action="retrieve", kwargs={}, request=None, format_kwarg=None)
    if getattr(viewset, "queryset", None) is not None:
        return viewset.queryset.model
    return getattr(getattr(viewset.get_serializer_class(), "Meta", None), "model", None)  # None: no records listed


def _fill(template, value):
    return template.replace("{" + _param(template) + "}", str(value))


def _param(template):
    start = template.find("{")
    return template[start + 1:template.index("}", start)] if start >= 0 else None


def _param_model(template):
    """The model a path parameter addresses: `{id}`/`{pk}` the route's own, `{<model>_id}` that model."""
    name = _param(template)
    if name in ("id", "pk"):
        return _viewset_model(_fill(template, 1))
    label = name.removesuffix("_id")
    return next(m for m in apps.get_models() if m.__module__.startswith("shanglian.") and m._meta.model_name == label)


def _policy(actor, department, title, status=Policy.Status.PUBLISHED):
    policy = save_policy(actor=actor, data={
        "title": title, "department": department, "document_number": "", "expires_on": None,
        "benefit_type": DictItem.objects.get(kind="benefit_type", code="subsidy"), "full_text": "",
        "published_on": date(2026, 3, 1)}, eligibility=Eligibility())
    Policy.objects.filter(pk=policy.pk).update(status=status)
    return Policy.objects.get(pk=policy.pk)


def _by_model(*objects):
    grouped = {}
    for obj in objects:
        grouped.setdefault(type(obj), []).append(obj)
    return grouped


def _merge(*groups):
    merged = {}
    for group in groups:
        for model, objects in group.items():
            merged.setdefault(model, []).extend(objects)
    return merged


@pytest.fixture
def scoped(cast):
    """role → {model: the records that role must not reach}. Each kind of record of the API exists in
    both federations, and on both sides of the finer lines (chamber, department, enterprise)."""
    dept_other = testing.make_department(cast.other, name="南开区税务局")
    person_other = testing.make_person(cast.other, name="刘南开", enterprise=cast.ent_other)
    # the representative database (engagement/representatives/ serves persons): person1 (chamber1's), person2
    # (chamber2's) and the other district's person each hold an arrangement, so it has them on both sides of every line
    for person in (cast.person1, cast.person2, person_other):
        testing.make_arrangement(person)
    appeal_ent1 = make_appeal(cast, Status.HANDLING)  # ent1's, dispatched to dept1
    appeal_ent2 = make_appeal(cast, Status.HANDLING, actor=cast.users.staff, enterprise=cast.ent2, channel="phone",
                              departments=[cast.dept2])
    appeal_other = submit(cast, actor=cast.users.outsider_staff, enterprise=cast.ent_other, channel="phone")
    policy = _policy(cast.users.staff, cast.dept1, "河西区涉企公共法律服务清单")
    draft = _policy(cast.users.staff, cast.dept1, "稳岗返还（征求意见稿）", status=Policy.Status.DRAFT)
    policy_other = _policy(cast.users.outsider_staff, dept_other, "南开区小微企业贷款贴息")
    # events: the federation's own, each chamber's, the other federation's; invitations of ent1 and of ent2 (an
    # enterprise user reads its own enterprise's only, no other role reads my-invitations)
    event_fed = testing.make_event(cast.district, title="河西区民营企业家早餐会", kind="breakfast")
    event_chamber1 = testing.make_event(cast.district, title="友谊路街道商会沙龙", chamber=cast.chamber1)
    event_chamber2 = testing.make_event(cast.district, title="浙江商会年会", chamber=cast.chamber2)
    event_other = testing.make_event(cast.other, title="南开区民营企业培训班")
    invitation_ent1 = testing.make_invitation(event_fed, cast.ent1)
    invitation_ent2 = testing.make_invitation(event_chamber2, cast.ent2)
    cast.users.ent2 = testing.make_user(Role.ENTERPRISE, username="ent2", enterprise=cast.ent2)
    invitations = _by_model(invitation_ent1, invitation_ent2)
    # visits (走访): the leader's own (under their liaison), the staff's of ent2 (no liaison: not the leader's), the
    # other federation's; the editors read their federations', a leader their own, no other role any
    visit_leader = testing.make_visit(cast.ent1, liaison=testing.make_liaison(cast.ent1, user=cast.users.leader))
    visit_staff = testing.make_visit(cast.ent2, recorded_by=cast.users.staff)
    visits = _by_model(visit_leader, visit_staff)
    ms = cast.memberships
    district_members = _by_model(cast.ent1, cast.ent2, cast.person1, cast.person2, ms.ent1, ms.ent2, ms.person1,
                                 ms.chamber1)
    district = _merge(district_members, _by_model(appeal_ent1, appeal_ent2, policy, draft, event_fed, event_chamber1,
                                                  event_chamber2), invitations)
    other = _by_model(cast.ent_other, person_other, ms.ent_other, appeal_other, policy_other, event_other)
    district, other = _merge(district, visits), _merge(other, _by_model(testing.make_visit(cast.ent_other)))
    # proposals (议案提案): 王建国's (chamber1 sees its members' persons'), chamber2's as a body, the other federation's;
    # the federation reads its own, a chamber its chamber's and its persons', no other role any
    proposal_ch1 = testing.make_proposal(cast.district, submitters=[cast.person1], title="王建国的提案")
    proposal_ch2 = testing.make_proposal(cast.district, body="chamber", chamber=cast.chamber2, title="浙江商会的建议")
    proposals = _by_model(proposal_ch1, proposal_ch2)
    district = _merge(district, proposals)
    other = _merge(other, _by_model(testing.make_proposal(cast.other, body="federation", title="南开区的提案")))
    # 光彩公益 and 评选表彰 (`welfare_and_honours`): the federation reads its own, a chamber its chamber's (and the
    # federation's campaigns, programmes and lists), no other role any
    mine, theirs, welfare_other = welfare_and_honours(cast)
    district, other = _merge(district, mine["chamber1"], theirs["chamber1"]), _merge(other, welfare_other)
    # 会员发展与服务 (`growth_records`): the federation reads its own, a chamber its chamber's share, an enterprise its
    # own applications and its federation's listed directory and open board
    growth_district, growth_other, growth_unseen = growth_records(cast)
    district, other = _merge(district, growth_district), _merge(other, growth_other)
    # 通知调研与宣传 (`communications_records`): the federation reads its own, a chamber its chamber's notices, surveys
    # and answers (and the federation's articles and rules), an enterprise the notices and surveys sent to it
    comm_district, comm_other, comm_unseen = communications_records(cast)
    district, other = _merge(district, comm_district), _merge(other, comm_other)
    return {
        "admin": _merge(other, invitations), "staff": _merge(other, invitations),
        "leader": _merge(other, invitations, _by_model(visit_staff)),
        "outsider_staff": district,
        "auditor": _merge(district, other),  # the auditor reads the audit log, no business record
        "chamber1": _merge(other, invitations, visits, _by_model(proposal_ch2), theirs["chamber1"],
                           growth_unseen["chamber1"], comm_unseen["chamber1"],
                           _by_model(cast.ent2, cast.person2, ms.ent2, appeal_ent2, draft, event_fed, event_chamber2)),
        "chamber2": _merge(other, invitations, visits, _by_model(proposal_ch1), theirs["chamber2"],
                           growth_unseen["chamber2"], comm_unseen["chamber2"],
                           _by_model(cast.ent1, cast.person1, ms.ent1, ms.person1, ms.chamber1, appeal_ent1, draft,
                                     event_fed, event_chamber1)),
        # a department handles appeals and reads live policies: no member record, no event at all
        "dept1": _merge(other, district_members, invitations, visits, proposals, mine["chamber1"], theirs["chamber1"],
                        growth_district, comm_district,
                        _by_model(appeal_ent2, draft, event_fed, event_chamber1, event_chamber2)),
        "ent1": _merge(other, visits, proposals, mine["chamber1"], theirs["chamber1"], growth_unseen["ent1"],
                       comm_unseen["ent1"],
                       _by_model(cast.ent2, cast.person1, cast.person2, ms.ent1, ms.ent2, ms.person1, ms.chamber1,
                                 appeal_ent2, draft, event_fed, event_chamber1, event_chamber2, invitation_ent2)),
    }


def welfare_and_honours(cast):
    """光彩公益 and 评选表彰 records of the district on both sides of each chamber's line, and of the other district:
    (chamber → {model: what it reads}, chamber → {model: what it does not}, {model: the other district's}). A chamber
    reads the campaigns of the federation and its own, the donations it organised, the pairings of itself and its
    members, the programmes and published lists of its federation, its own assessments."""
    village = testing.make_village(cast.district, name="王庄村")
    campaign_fed = testing.make_campaign(cast.district, name="春芽基金", kind="education")
    programme = testing.make_programme(cast.district, categories=("依法纳税", "社会责任"))  # the second unpublished
    shared = _by_model(campaign_fed, programme,
                       testing.make_honour_list(programme.categories.order_by("order").first(), [cast.ent1]))
    own = {}
    for chamber, enterprise in ((cast.chamber1, cast.ent1), (cast.chamber2, cast.ent2)):
        own[chamber] = _by_model(
            testing.make_campaign(cast.district, name=f"{chamber.name}助学", chamber=chamber),
            testing.make_donation(enterprise, cash="1000.00", chamber=chamber, campaign=campaign_fed),
            testing.make_pairing(enterprise if chamber is cast.chamber1 else chamber, village),
            testing.make_assessment(chamber, scheme="five_have" if chamber.kind == "street" else "four_good"))
    # the federation's own: a donation it recorded without a chamber, its 五好 self-check
    federation_only = _by_model(testing.make_donation(cast.ent2, cash="500.00"),
                                testing.make_assessment(cast.district, scheme="five_good"))
    programme_other = testing.make_programme(cast.other, categories=("社会责任",))
    chamber_other = testing.make_chamber(cast.other, name="南开区某街道商会")
    other = _by_model(testing.make_campaign(cast.other, name="南开区助学"),
                      testing.make_donation(cast.ent_other, cash="800.00"),
                      testing.make_pairing(cast.ent_other, testing.make_village(cast.other)),
                      programme_other, testing.make_honour_list(programme_other.categories.get(), [cast.ent_other]),
                      testing.make_assessment(chamber_other))
    mine = {"chamber1": _merge(shared, own[cast.chamber1]), "chamber2": _merge(shared, own[cast.chamber2])}
    theirs = {"chamber1": _merge(own[cast.chamber2], federation_only),
              "chamber2": _merge(own[cast.chamber1], federation_only)}
    return mine, theirs, other


def growth_records(cast):
    """会员发展与服务 records of the district on both sides of each chamber's and the enterprise's line, and of the other
    district: ({model: the district's}, {model: the other district's}, role → {model: the district's it does not
    reach}). Prospects of the federation and of each chamber; applications of three would-be members (one naming
    each chamber, one none) and ent1's approved one; the enrollments, outcomes, directory listings and open posts of
    ent1 and ent2, a closed post of ent2, an unlisted member's listing; a working group with ent1's person as lead,
    a project and a milestone."""
    staff, users = cast.users.staff, cast.users
    prospects = {key: testing.make_prospect(cast.district, owner=owner, chamber=chamber, name=f"发展对象{key}")
                 for key, owner, chamber in (("fed", staff, None), ("chamber1", users.chamber1, cast.chamber1),
                                             ("chamber2", users.chamber2, cast.chamber2))}
    applications = {}
    for key, chamber in (("fed", None), ("chamber1", cast.chamber1), ("chamber2", cast.chamber2)):
        newcomer = testing.make_enterprise(cast.district, name=f"申请入会企业{key}")
        applicant = testing.make_user(Role.ENTERPRISE, enterprise=newcomer)
        applications[key] = testing.make_application(newcomer, applicant, chamber=chamber)
    applications["ent1"] = testing.make_application(cast.ent1, users.ent1, chamber=cast.chamber1, status="approved",
                                                    membership=cast.memberships.ent1)
    unlisted = testing.make_enterprise(cast.district, name="不愿公开的会员企业")
    testing.make_membership(cast.district, unlisted)
    post_ent1, post_ent2 = (testing.make_post(enterprise, by=staff, title=f"{enterprise.name}的需求")
                            for enterprise in (cast.ent1, cast.ent2))
    closed = testing.make_post(cast.ent2, by=staff, category="supply", title="已关闭的供应", status="closed",
                               closed_reason="已对接")
    group = testing.make_working_group(cast.district, name="融资服务组", lead=cast.person1)
    Milestone.objects.create(project=testing.make_group_project(group, name="银企对接项目"), title="首场对接会",
                             due=date(2025, 6, 30))
    own = {
        "chamber1": _by_model(prospects["chamber1"], applications["chamber1"], applications["ent1"],
                              testing.make_enrollment(cast.ent1, by=staff), testing.make_outcome(cast.ent1, by=staff)),
        "chamber2": _by_model(prospects["chamber2"], applications["chamber2"],
                              testing.make_enrollment(cast.ent2, by=staff),
                              testing.make_outcome(cast.ent2, by=staff, kind="hiring", amount=None, jobs=12)),
    }
    listed = _by_model(testing.make_listing(cast.ent1), testing.make_listing(cast.ent2), post_ent1, post_ent2, group)
    federation_only = _by_model(prospects["fed"], applications["fed"], testing.make_listing(unlisted, listed=False),
                                closed)
    district = _merge(own["chamber1"], own["chamber2"], listed, federation_only)
    other_ent = testing.make_enterprise(cast.other, name="南开区申请入会企业")
    other = _by_model(
        testing.make_prospect(cast.other, owner=users.outsider_staff),
        testing.make_application(other_ent, testing.make_user(Role.ENTERPRISE, enterprise=other_ent)),
        testing.make_enrollment(cast.ent_other, by=users.outsider_staff),
        testing.make_listing(cast.ent_other), testing.make_post(cast.ent_other, by=users.outsider_staff),
        testing.make_outcome(cast.ent_other, by=users.outsider_staff),
        testing.make_working_group(cast.other, name="南开区融资服务组"))
    # an enterprise reads its own application and the listed directory and open board of its federation
    ent1_reads = _merge(_by_model(applications["ent1"]), listed)
    ent1_reads.pop(type(group))
    unseen = {
        "chamber1": _merge(own["chamber2"], federation_only),
        "chamber2": _merge(own["chamber1"], federation_only),
        "ent1": {model: [obj for obj in objs if obj not in ent1_reads.get(model, [])]
                 for model, objs in district.items()},
    }
    return district, other, unseen


def communications_records(cast):
    """通知调研与宣传 records of the district on both sides of each chamber's and the enterprise's line, and of the
    other district: ({model: the district's}, {model: the other district's}, role → {model: the district's it does
    not reach}). Notices of the federation (sent to ent1 and ent2, sent to ent2 only, a draft, one withdrawn after
    reaching ent1) and of each chamber (sent to its member); surveys likewise (open, with their members' submitted
    answers); a research report drawing on the federation's survey; an article featuring person1 and ent1; a rule;
    a friendly organisation with an agreement and an exchange."""
    staff, users = cast.users.staff, cast.users
    questions = [("single", "企业经营状况是否好转"), ("text", "主要困难")]
    notices = {}
    for key, chamber, by, status, to in (
            ("fed", None, staff, "sent", (cast.ent1, cast.ent2)), ("fed_ent2", None, staff, "sent", (cast.ent2,)),
            ("draft", None, staff, "draft", ()), ("withdrawn", None, staff, "withdrawn", (cast.ent1,)),
            ("chamber1", cast.chamber1, users.chamber1, "sent", (cast.ent1,)),
            ("chamber2", cast.chamber2, users.chamber2, "sent", (cast.ent2,))):
        audience = "chamber" if chamber else "all"
        notices[key] = testing.make_notice(cast.district, by=by, chamber=chamber, status=status, audience=audience,
                                           chamber_audience=chamber, title=f"通知{key}")
        for enterprise in to:
            testing.make_notice_recipient(notices[key], enterprise)
    surveys, answers = {}, {}
    for key, chamber, by, status, to in (
            ("fed", None, staff, "open", (cast.ent1, cast.ent2)), ("fed_ent2", None, staff, "open", (cast.ent2,)),
            ("draft", None, staff, "draft", ()), ("chamber1", cast.chamber1, users.chamber1, "open", (cast.ent1,)),
            ("chamber2", cast.chamber2, users.chamber2, "open", (cast.ent2,))):
        audience = "chamber" if chamber else "all"
        survey = surveys[key] = testing.make_survey(cast.district, by=by, chamber=chamber, status=status,
                                                    audience=audience, chamber_audience=chamber,
                                                    title=f"问卷{key}", questions=questions)
        first, second = survey.questions.order_by("order")
        for enterprise in to:
            testing.make_survey_recipient(survey, enterprise)
            if key != "fed_ent2":
                answers[(key, enterprise.pk)] = testing.make_response(survey, enterprise,
                                                                      answers={first: [0], second: "融资难"})
    report = testing.make_report(cast.district)
    report.surveys.add(surveys["fed"])
    partner = testing.make_partner(cast.district, name="雄安新区工商联")
    testing.make_exchange(partner)
    Agreement.objects.create(partner=partner, title="友好合作协议", signed_on=date(2023, 5, 1))
    shared = _by_model(testing.make_article(cast.district, persons=[cast.person1], enterprises=[cast.ent1]),
                       testing.make_rule(cast.district, title="执委会工作规则"))
    federation_only = _by_model(notices["fed"], notices["fed_ent2"], notices["draft"], notices["withdrawn"],
                                surveys["fed"], surveys["fed_ent2"], surveys["draft"],
                                answers[("fed", cast.ent1.pk)], answers[("fed", cast.ent2.pk)], report, partner)
    own = {"chamber1": _by_model(notices["chamber1"], surveys["chamber1"], answers[("chamber1", cast.ent1.pk)]),
           "chamber2": _by_model(notices["chamber2"], surveys["chamber2"], answers[("chamber2", cast.ent2.pk)])}
    district = _merge(shared, federation_only, own["chamber1"], own["chamber2"])
    survey_other = testing.make_survey(cast.other, by=users.outsider_staff, status="open", questions=questions)
    testing.make_survey_recipient(survey_other, cast.ent_other)
    notice_other = testing.make_notice(cast.other, by=users.outsider_staff, status="sent")
    testing.make_notice_recipient(notice_other, cast.ent_other)
    other = _by_model(notice_other, survey_other, testing.make_response(survey_other, cast.ent_other),
                      testing.make_report(cast.other), testing.make_article(cast.other),
                      testing.make_rule(cast.other), testing.make_partner(cast.other, name="张家口市工商联"))
    # an enterprise reads (in its inbox and its surveys) what was sent to it; the staff endpoints refuse it
    ent1_reads = {Notice: [notices["fed"], notices["chamber1"]], Survey: [surveys["fed"], surveys["chamber1"]]}
    unseen = {
        "chamber1": _merge(own["chamber2"], federation_only),
        "chamber2": _merge(own["chamber1"], federation_only),
        "ent1": {model: [obj for obj in objs if obj not in ent1_reads.get(model, [])]
                 for model, objs in district.items()},
    }
    return district, other, unseen


def _counts():
    """The row count of every table (one query), to see that a refused call added or removed nothing."""
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                     if m._meta.label_lower not in WRITTEN_BY_A_REFUSAL and m._meta.managed})
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _row(obj):
    return type(obj).objects.filter(pk=obj.pk).values().first()


def _ids(response):
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


def check_role(client, foreign):
    """The breaches of `foreign` (model → records) found through every endpoint, as readable lines."""
    breaches = []
    for method, template in endpoints():
        if _param(template) in KEYED:
            breaches += _check_keyed(client, foreign, method, template)
            continue
        model = _param_model(template) if _param(template) else None
        if model is None:  # a list (or a create, which addresses no record)
            if method != "get":
                assert (method, template) in COVERED_ELSEWHERE, f"{method} {template}: not in the matrix"
                continue
            response = client.get(template)
            hidden = {obj.pk for obj in foreign.get(_viewset_model(template), [])}
            if _viewset_model(template) is None:  # a list of no records (the figures' registry)
                if response.status_code not in (200, 403):
                    breaches.append(f"GET {template}: {response.status_code}")
                continue
            if response.status_code == 200 and (leaked := _ids(response) & hidden):
                breaches.append(f"GET {template}: lists {sorted(leaked)}")
            elif response.status_code not in (200, 403):
                breaches.append(f"GET {template}: {response.status_code}")
            continue
        for obj in foreign[model]:
            path = _fill(template, obj.pk)
            before = (_counts(), _row(obj)) if method != "get" else None
            response = getattr(client, method)(path, {}, content_type="application/json")
            if response.status_code not in (403, 404):
                breaches.append(f"{method.upper()} {path} ({model._meta.model_name} {obj}): "
                                f"{response.status_code} {response.content[:200]!r}")
            if method != "get" and (_counts(), _row(obj)) != before:
                breaches.append(f"{method.upper()} {path}: changed the database")
    return breaches


def _check_keyed(client, foreign, method, template):
    """An endpoint addressed by a figure key: 200 or 403, listing no record of another scope (the figure's records
    are those of `members.in_force`: memberships)."""
    from shanglian.members.models import Membership

    path = _fill(template, KEYED[_param(template)])
    response = getattr(client, method)(path)
    if response.status_code not in (200, 403):
        return [f"{method.upper()} {path}: {response.status_code}"]
    body = response.json() if response.status_code == 200 else {}
    hidden = {obj.pk for obj in foreign.get(Membership, [])}
    if isinstance(body, dict) and "results" in body and (leaked := _ids(response) & hidden):
        return [f"{method.upper()} {path}: lists {sorted(leaked)}"]
    return []


@pytest.mark.parametrize("role", ROLES)
def test_role_reaches_no_record_of_another_scope_through_the_api(cast, login, scoped, role):
    client = login(getattr(cast.users, role))
    assert check_role(client, scoped[role]) == []


def test_every_record_of_another_scope_is_reachable_by_its_own_scope(cast, login, scoped):
    """The matrix's records are real ones: each is retrieved (200) by some role of the cast, so a
    refusal above is the scope's, not an id that exists nowhere."""
    unreached = {(model, obj.pk) for foreign in scoped.values() for model, objs in foreign.items() for obj in objs}
    retrieves = {(_param_model(t), t) for m, t in endpoints() if m == "get" and _param(t) in ("id", "pk")
                 and t.endswith("{" + _param(t) + "}/")}
    for role in ROLES + RECORD_OWNERS:
        client = login(getattr(cast.users, role))
        for model, template in retrieves:
            for key in [k for k in unreached if k[0] is model]:
                if client.get(_fill(template, key[1])).status_code == 200:
                    unreached.discard(key)
    assert unreached == set()


def test_the_matrix_finds_the_endpoints_of_every_api_module():
    found = endpoints()
    prefixes = {path.split("/")[3] for _, path in found}
    assert prefixes >= {"appeals", "enterprises", "persons", "memberships", "policies", "events", "my-invitations",
                        "engagement", "welfare", "honours", "growth", "communications", "reports"}
    assert ("post", "/api/v1/appeals/{id}/accept/") in found  # the workflow's generated actions
    assert ("get", "/api/v1/enterprises/{enterprise_id}/policies/") in found  # a nested route
    assert ("get", "/api/v1/reports/figures/{key}/records/") in found  # a route addressed by a figure key
