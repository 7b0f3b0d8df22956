"""Every menu page, list variant and API list (page_catalogue.py: the pages bench/bench_pages.py times), as
each role of the cast, runs the same number of queries on a small district and on the same district
grown three times over (enterprises, persons, memberships, chamber members, appeals in several states,
policies pushed with their deliveries and messages, and the audit rows all of that writes). A count that
grows with the data is an N+1: the failure names the page, the role and both counts.

The district is built once for the module (inside a transaction rolled back at the end): each page is
asked once to warm up, then counted on the small district and again on the grown one.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.middleware import needs_second_factor
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Status
from shanglian.appeals.tests.factories import make_appeal, submit
from shanglian.common.models import DictItem
from shanglian.engagement.models import EnterpriseParty, PartyActivity, PartyInstructor
from shanglian.events.models import CheckIn
from shanglian.policies.services import Eligibility, publish_policy, save_policy

from .page_catalogue import pages_for

pytestmark = pytest.mark.django_db  # so that pytest-django sets up the test database `answers` builds in

# The cast's users (shanglian/conftest.py) and their roles.
ROLES = {"admin": Role.SYSADMIN, "staff": Role.STAFF, "leader": Role.LEADER, "chamber1": Role.CHAMBER,
         "chamber2": Role.CHAMBER, "dept1": Role.DEPARTMENT, "ent1": Role.ENTERPRISE, "auditor": Role.AUDITOR,
         "outsider_staff": Role.STAFF}
WORDS = {"appeal": "稳岗", "member": "天津"}
SMALL, GROWN = 1, 3  # units of data added to the cast (see `grow`)

# (page label, role) -> why its count grows today; each is an xfail(strict=True): fixed, it fails until removed.
GROWING = {}

CASES = [(page, role) for role, role_value in ROLES.items() for page in pages_for(role_value)]


# The enterprise a nested API list (enterprises/{enterprise_id}/policies/) is asked for: one in the role's scope.
ENTERPRISE_OF = {"chamber2": "ent2", "outsider_staff": "ent_other"}
TOTAL = re.compile(r'class="total">共 (\d+) 条')


@dataclass(frozen=True)
class Answer:
    status: int
    queries: int
    rows: int | None  # a list's 共 N 条, an API list's count


def _rows(response):
    if response.status_code != 200:
        return None
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return body.get("count") if isinstance(body, dict) else len(body)
    found = TOTAL.search(response.content.decode())
    return int(found.group(1)) if found else None


def grow(cast, units, start):
    """Add `units` units of data to the cast's district (and some to the other district): per unit, an
    enterprise with its legal representative in each chamber, their memberships, an enterprise of the
    other district, ent1's appeals in three states, one the desk registered for a new enterprise and sent
    to two departments, one of the other district, a policy published and pushed (deliveries, messages),
    events: one held by the federation (two invitees, both checked in), one of each chamber (ent1 invited to
    chamber1's), one of the other district, each chamber member's 政治引领 (`grow_engagement`), and 光彩公益 and
    评选表彰 (`grow_welfare_and_honours`)."""
    staff = cast.users.staff
    subsidy = DictItem.objects.get(kind="benefit_type", code="subsidy")
    for n in range(start, start + units):
        newest = []
        for chamber in (cast.chamber1, cast.chamber2):
            enterprise = testing.make_enterprise(cast.district, chamber=chamber, street=cast.street)
            person = testing.make_person(cast.district, name=f"赵增{n}", enterprise=enterprise)
            testing.make_membership(cast.district, enterprise, joined=date(2025, 3, n))
            testing.make_membership(cast.district, person, joined=date(2026, 2, n))
            grow_engagement(cast, n, enterprise, person)
            newest.append((chamber, enterprise, person))
        grow_welfare_and_honours(cast, n, newest)
        grow_growth(cast, n, newest)
        grow_communications(cast, n, newest)
        other = testing.make_enterprise(cast.other)
        testing.make_membership(cast.other, other)
        for status in (Status.SUBMITTED, Status.HANDLING, Status.CLOSED):
            make_appeal(cast, status, title=f"申请稳岗补贴政策解读{n}")
        make_appeal(cast, Status.HANDLING, actor=staff, enterprise=enterprise, channel="phone",
                    departments=[cast.dept1, cast.dept2])
        submit(cast, actor=cast.users.outsider_staff, enterprise=other, channel="phone")
        policy = save_policy(actor=staff, data={
            "title": f"稳岗返还实施细则{n}", "department": cast.dept1, "document_number": "", "expires_on": None,
            "benefit_type": subsidy, "full_text": "", "published_on": date(2026, 3, n)}, eligibility=Eligibility())
        publish_policy(actor=staff, policy=policy, push=True)
        held = testing.make_event(cast.district, status="finished", title=f"财税培训班{n}",
                                  starts_at=timezone.now() - timedelta(days=n))
        for invitee in (enterprise, person):
            invitation = testing.make_invitation(held, invitee, status="accepted")
            CheckIn.objects.create(event=held, invitation=invitation, enterprise=invitation.enterprise,
                                   name=invitation.name, method=CheckIn.Method.SCAN)
        for chamber, invitee in ((cast.chamber1, cast.ent1), (cast.chamber2, enterprise)):
            testing.make_invitation(testing.make_event(cast.district, chamber=chamber, title=f"商会沙龙{n}"), invitee)
        testing.make_event(cast.other, title=f"南开区培训班{n}")


def grow_engagement(cast, n, enterprise, person):
    """政治引领 of one chamber member: the person's arrangement and proposal, the enterprise under the leader's
    liaison with a visit, its party census, own organisation (with an activity) and instructor."""
    testing.make_arrangement(person, kind="cppcc", start=date(2023, 1, n))
    testing.make_proposal(cast.district, year=2025, submitters=[person], title=f"关于稳岗扩岗的提案{n}")
    liaison = testing.make_liaison(enterprise, user=cast.users.leader)
    testing.make_visit(enterprise, liaison=liaison, recorded_by=cast.users.leader)
    EnterpriseParty.objects.create(enterprise=enterprise, party_members=2 + n, surveyed_on=date(2025, 6, 30))
    organisation = testing.make_party_organisation(cast.district, enterprise=enterprise, founded=date(2022, 1, n))
    PartyActivity.objects.create(organisation=organisation, kind="party_lecture", held_on=date(2025, 5, n),
                                 title=f"党课{n}", attendees=3)
    PartyInstructor.objects.create(federation=cast.district, name=f"指导员{n}", enterprise=enterprise,
                                   start=date(2025, 1, n))


def grow_welfare_and_honours(cast, n, newest):
    """光彩公益 and 评选表彰 of one unit (`newest`: each chamber with its newest member and that member's legal
    representative): a federation campaign that each newest member gives cash to and its representative goods,
    through the chamber; each chamber's own campaign; the member paired with a target village; the year's programme
    (two categories, the members nominated by their chambers, scored by the staff judge, a published list per
    category and its correction); each chamber's assessment (五有 for the street chamber, 四好 for the other, items
    claimed and waiting to be verified) and the federation's 五好; and the other district's campaign, donation,
    pairing and programme with its list."""
    year = 2010 + n
    campaign = testing.make_campaign(cast.district, name=f"春芽基金{n}", kind="education", start=date(year, 1, 1))
    programme = testing.make_programme(cast.district, year=year, status="scoring", categories=("依法纳税", "社会责任"))
    judge = testing.make_judge(programme, cast.users.staff)
    testing.make_judge(programme, cast.users.leader)
    members = []
    for chamber, enterprise, person in newest:
        members.append(enterprise)
        testing.make_campaign(cast.district, name=f"{chamber.name}助学{n}", chamber=chamber, start=date(year, 3, 1))
        testing.make_donation(enterprise, cash=f"{1000 + n}.50", chamber=chamber, campaign=campaign,
                              donated_on=date(2025, 4, n), recipient_village=testing.make_village(cast.district))
        testing.make_donation(person, goods_value="300.25", goods_description="图书", chamber=chamber,
                              campaign=campaign, donated_on=date(2025, 5, n), recipient="某小学")
        testing.make_pairing(enterprise, testing.make_village(cast.district), kind="industry")
        for category in programme.categories.all():
            nomination = testing.make_nomination(category, enterprise, chamber=chamber, by=cast.users.staff)
            testing.make_scores(nomination, judge, [80 + n, 90])
        scheme = "five_have" if chamber.kind == "street" else "four_good"
        assessment = testing.make_assessment(chamber, scheme=scheme, year=year, status="submitted")
        for item in assessment.items.all():
            testing.claim_item(assessment, item.code, **({"met": True} if scheme == "five_have" else {"score": 20}))
    testing.make_assessment(cast.district, scheme="five_good", year=year)
    for category in programme.categories.all():
        testing.make_honour_list(category, members, superseded=True)
        testing.make_honour_list(category, members[::-1], version=2, reason="更正排名")
    other_campaign = testing.make_campaign(cast.other, name=f"南开区助学{n}")
    testing.make_donation(testing.make_enterprise(cast.other), cash="800.00", campaign=other_campaign)
    testing.make_pairing(testing.make_enterprise(cast.other), testing.make_village(cast.other))
    other_programme = testing.make_programme(cast.other, year=year, categories=("促进就业",))
    testing.make_honour_list(other_programme.categories.get(), [testing.make_enterprise(cast.other)])


def grow_growth(cast, n, newest):
    """会员发展与服务 of one unit (`newest`: each chamber with its newest member and that member's legal
    representative): prospects of the federation and of each chamber; a would-be member applying to each chamber
    (one approved) and ent1's withdrawn application; each newest member enrolled in 双万双服, listed in the
    directory with every field shown, posting a need linked to a 融资推介会 that ent1 asks to contact, with an outcome
    of each kind; a closed post; a working group with its lead and a member, a project with a milestone and a linked
    appeal; the newest pair as a suspected duplicate; and the other district's prospect, enrollment, listing and
    post."""
    from shanglian.growth.models import GroupMember, Milestone

    staff = cast.users.staff
    testing.make_prospect(cast.district, owner=staff, industry=cast.ent1.industry, next_step=f"电话联系{n}")
    event = testing.make_event(cast.district, kind="financing", status="finished", title=f"融资推介会{n}",
                               starts_at=timezone.now() - timedelta(days=n))
    group = testing.make_working_group(cast.district, name=f"专项工作组{n}", lead=newest[0][2])
    project = testing.make_group_project(group, name=f"共性问题项目{n}")
    Milestone.objects.create(project=project, title=f"节点{n}", due=date(2025, 6, n))
    project.appeals.add(make_appeal(cast, Status.HANDLING, title=f"融资难问题{n}"))
    for chamber, enterprise, person in newest:
        chamber_user = cast.users.chamber1 if chamber == cast.chamber1 else cast.users.chamber2
        testing.make_prospect(cast.district, owner=chamber_user, chamber=chamber, enterprise=enterprise,
                              stage="contacted")
        newcomer = testing.make_enterprise(cast.district, street=cast.street)
        applicant = testing.make_user(Role.ENTERPRISE, enterprise=newcomer)
        testing.make_application(newcomer, applicant, chamber=chamber,
                                 **({"status": "approved"} if chamber == cast.chamber1 else {}))
        testing.make_enrollment(enterprise, by=staff, liaison=staff)
        testing.make_listing(enterprise, shown=("industry", "products", "street", "address", "contact_name",
                                                "contact_mobile", "website", "intro"), products=f"产品{n}")
        post = testing.make_post(enterprise, by=staff, category="financing", amount="500000")
        post.events.add(event)
        testing.make_contact_request(post, cast.ent1, by=cast.users.ent1)
        testing.make_outcome(enterprise, by=staff, post=post, event=event, partner=cast.ent1)
        testing.make_outcome(enterprise, by=staff, kind="hiring", amount=None, jobs=3 + n, event=event)
        if person != newest[0][2]:  # the first newest person leads the group, the others are members
            GroupMember.objects.create(group=group, person=person, enterprise=enterprise, joined=date(2025, 2, n))
    testing.make_post(newest[1][1], by=staff, category="supply", status="closed", closed_reason="已对接")
    testing.make_application(cast.ent1, cast.users.ent1, status="withdrawn")
    testing.make_duplicate(newest[0][1], newest[1][1])
    other = testing.make_enterprise(cast.other)
    testing.make_membership(cast.other, other)
    testing.make_prospect(cast.other, owner=cast.users.outsider_staff)
    testing.make_enrollment(other, by=cast.users.outsider_staff)
    testing.make_listing(other)
    testing.make_post(other, by=cast.users.outsider_staff)


def grow_communications(cast, n, newest):
    """通知调研与宣传 of one unit (`newest`: each chamber with its newest member and that member's legal
    representative): a federation notice sent to ent1 and the newest members (ent1's read), each chamber's notice to
    its newest member and ent1, a withdrawn one; a saved filter; a federation survey with a question of each kind sent
    to the same, answered by the newest members (and a draft of ent1's), each chamber's survey answered by its newest
    member; a research report drawing on the survey and a visit; an article featuring the newest persons and
    enterprises; a rule with two versions; a friendly organisation with an agreement and two exchanges; and the other
    district's notice, survey, answer, report, article, rule and partner."""
    from shanglian.communications.models import Agreement, RuleVersion

    staff = cast.users.staff
    firms = [cast.ent1] + [enterprise for _, enterprise, _ in newest]
    notice = testing.make_notice(cast.district, by=staff, status="sent", title=f"关于开展调研的通知{n}",
                                 sent_at=timezone.now())
    for enterprise in firms:
        testing.make_notice_recipient(notice, enterprise, read_at=timezone.now() if enterprise == cast.ent1 else None)
    withdrawn = testing.make_notice(cast.district, by=staff, status="withdrawn", withdrawn_reason="内容有误")
    testing.make_notice_recipient(withdrawn, cast.ent1)
    testing.make_saved_filter(cast.district, name=f"友谊路街道会员{n}", criteria={"street": str(cast.street.pk)})
    questions = [{"kind": "single", "text": f"经营状况{n}", "options": ["好转", "持平", "下滑"]},
                 ("multiple", "主要困难"), {"kind": "scale", "text": "满意度"}, ("text", "意见建议"),
                 {"kind": "number", "text": "从业人数", "minimum": 0, "unit": "人"}]
    survey = testing.make_survey(cast.district, by=staff, status="open", title=f"民营企业发展环境问卷{n}",
                                 questions=questions)
    asked = list(survey.questions.order_by("order"))
    for enterprise in firms:
        testing.make_survey_recipient(survey, enterprise)
    values = dict(zip(asked, ([n % 3], [0, 1], 4, f"建议{n}", 20 + n), strict=True))
    for chamber, enterprise, _person in newest:
        testing.make_response(survey, enterprise, answers=values)
        chamber_user = cast.users.chamber1 if chamber == cast.chamber1 else cast.users.chamber2
        own = testing.make_survey(cast.district, by=chamber_user, chamber=chamber, status="open",
                                  audience="chamber", chamber_audience=chamber, questions=[("single", "是否参加")])
        testing.make_survey_recipient(own, enterprise)
        testing.make_survey_recipient(own, cast.ent1)
        testing.make_response(own, enterprise, answers={own.questions.get(): [0]})
        sent = testing.make_notice(cast.district, by=chamber_user, chamber=chamber, status="sent",
                                   audience="chamber", chamber_audience=chamber, sent_at=timezone.now())
        testing.make_notice_recipient(sent, enterprise)
        testing.make_notice_recipient(sent, cast.ent1)
    testing.make_response(survey, cast.ent1, by=cast.users.ent1, status="draft", answers={asked[0]: [0]})
    report = testing.make_report(cast.district, title=f"民营经济发展调研报告{n}", submitted_to="both",
                                 submitted_on=date(2025, 6, n), instructed=True, instructed_by="区委书记",
                                 instructed_on=date(2025, 6, 10 + n))
    report.surveys.add(survey)
    report.visits.add(testing.make_visit(newest[0][1], recorded_by=staff))
    testing.make_article(cast.district, title=f"民营企业家风采{n}", persons=[p for _, _, p in newest],
                         enterprises=[e for _, e, _ in newest], published_on=date(2025, 5, n))
    rule = testing.make_rule(cast.district, title=f"工作规则{n}")
    RuleVersion.objects.create(rule=rule, version=2, text="第一条 修订。", adopted_by="executive",
                               adopted_on=date(2025, 1, n), effective_from=date(2025, 2, n))
    partner = testing.make_partner(cast.district, name=f"友好工商联{n}")
    Agreement.objects.create(partner=partner, title=f"友好合作协议{n}", signed_on=date(2023, 5, n))
    testing.make_exchange(partner)
    testing.make_exchange(partner, direction="outgoing", date_=date(2025, 9, n))
    other = testing.make_enterprise(cast.other)
    other_notice = testing.make_notice(cast.other, by=cast.users.outsider_staff, status="sent",
                                       sent_at=timezone.now())
    testing.make_notice_recipient(other_notice, other)
    other_survey = testing.make_survey(cast.other, by=cast.users.outsider_staff, status="open",
                                       questions=[("single", "是否参加")])
    testing.make_survey_recipient(other_survey, other)
    testing.make_response(other_survey, other, answers={other_survey.questions.get(): [1]})
    testing.make_report(cast.other)
    testing.make_article(cast.other, enterprises=[other])
    testing.make_rule(cast.other)
    testing.make_exchange(testing.make_partner(cast.other))


def _client(user):
    client = Client()
    client.force_login(user)
    if needs_second_factor(user):
        testing.verify_second_factor(client, user)
    client.user = user  # whose URLs the catalogue builds (本企业信息 is the user's own enterprise)
    return client


def _measure(cast, clients, *, warm_up):
    answers = {}
    for page, role in CASES:
        client = clients[role]
        words = {**WORDS, "enterprise": getattr(cast, ENTERPRISE_OF.get(role, "ent1")).pk}
        path = page.path(client.user, words)
        if warm_up:  # a first visit may fill a cache or a session key
            client.get(path)
        reset_queries()  # the log keeps 9,000 queries: a full one would count every page as 0
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        answers[(page.label, role)] = Answer(response.status_code, len(queries), _rows(response))
    return answers


@pytest.fixture(scope="module")
def answers(django_db_setup, django_db_blocker, tmp_path_factory):
    """(page label, role) -> (Answer on the small district, Answer on the grown one)."""
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        AUDIT_CHECKPOINT_FILE=tmp_path_factory.mktemp("audit") / "audit-checkpoint.json",
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})
    with django_db_blocker.unblock(), fast, transaction.atomic():
        testing.ensure_reference_data()
        cast = testing.make_cast()
        clients = {role: _client(getattr(cast.users, role)) for role in ROLES}
        grow(cast, SMALL, start=1)
        small = _measure(cast, clients, warm_up=True)
        grow(cast, GROWN - SMALL, start=1 + SMALL)
        grown = _measure(cast, clients, warm_up=False)
        transaction.set_rollback(True)
    return {key: (small[key], grown[key]) for key in small}


def _param(page, role):
    marks = [pytest.mark.xfail(strict=True, reason=GROWING[(page.label, role)])] if (page.label, role) in GROWING else []
    return pytest.param(page, role, marks=marks, id=f"{role}-{page.label}")


@pytest.mark.parametrize(("page", "role"), [_param(page, role) for page, role in CASES])
def test_page_runs_as_many_queries_on_a_grown_district_as_on_a_small_one(answers, page, role):
    small, grown = answers[(page.label, role)]
    # A menu page is the role's own (200); an API list answers 200 or refuses the role (403) at both sizes.
    allowed = {200, 403} if page.kind == "接口" else {200}
    assert small.status in allowed and grown.status == small.status, (
        f"{page.label} as {role}: status {small.status} on the small district, {grown.status} grown")
    assert grown.queries == small.queries, (
        f"{page.label} as {role}: {small.queries} queries on the small district, {grown.queries} on it grown "
        f"{GROWN}×")


def test_the_grown_district_shows_every_role_more_rows(answers):
    """The comparison above is between two sizes each role really sees: some list of every role holds more
    rows grown than small, and the federation's main lists all do."""
    grown_lists = {}
    for (label, role), (small, grown) in answers.items():
        if small.rows is not None and grown.rows is not None and grown.rows > small.rows:
            grown_lists.setdefault(role, set()).add(label)
    assert set(grown_lists) == set(ROLES)
    assert grown_lists["staff"] >= {"appeals:list", "appeals:list?q={appeal}", "members:membership_list",
                                    "members:enterprise_list", "members:person_list", "policies:list", "events:list",
                                    "/api/v1/appeals/", "/api/v1/enterprises/", "/api/v1/memberships/",
                                    "welfare:donations", "welfare:campaigns", "welfare:pairings", "honours:programmes",
                                    "honours:nominations", "honours:lists", "honours:assessments",
                                    "/api/v1/welfare/donations/", "/api/v1/welfare/campaigns/",
                                    "/api/v1/welfare/pairings/", "/api/v1/honours/programmes/",
                                    "/api/v1/honours/lists/", "/api/v1/honours/assessments/",
                                    "/api/v1/growth/prospects/", "/api/v1/growth/applications/",
                                    "/api/v1/growth/enrollments/", "/api/v1/growth/directory/",
                                    "/api/v1/growth/posts/", "/api/v1/growth/outcomes/", "/api/v1/growth/groups/",
                                    "/api/v1/communications/notices/", "/api/v1/communications/surveys/",
                                    "/api/v1/communications/responses/", "/api/v1/communications/reports/",
                                    "/api/v1/communications/articles/", "/api/v1/communications/rules/",
                                    "/api/v1/communications/partners/"}


def test_the_catalogue_holds_every_list_and_statistics_page_of_the_site():
    """Found, not listed: every page of our apps without a parameter whose name says list, statistics or
    home is in some role's catalogue, and every list of /api/v1/."""
    found = {page.name for role in set(ROLES.values()) for page in pages_for(role)}
    ours = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        urlconf = getattr(resolver.urlconf_name, "__name__", str(resolver.urlconf_name))
        if urlconf.startswith("shanglian."):
            ours |= {f"{namespace}:{name}" for name, patterns in resolver.reverse_dict.lists()
                     if isinstance(name, str) and not any(params for _, params in patterns[0][0])}
    wanted = {name for name in ours if name.endswith(("list", "statistics", "home", "inbox"))}
    assert wanted and wanted - found == set()
    assert {"/api/v1/appeals/", "/api/v1/enterprises/", "/api/v1/policies/",
            "/api/v1/enterprises/{enterprise_id}/policies/"} <= found
