"""Factories for tests: small functions that build valid objects with sensible defaults."""

import io
import itertools
import random
from datetime import date
from types import SimpleNamespace

from django_otp import DEVICE_ID_SESSION_KEY
from openpyxl import Workbook

from shanglian.accounts.roles import Role
from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.models import DictItem, IndustryCode

PASSWORD = "Test@Pass2026"
_rng = random.Random(7)
_seq = itertools.count(1)


def make_federation(*, name=None, level="county", region_code=None, parent=None):
    from shanglian.orgs.models import Federation

    n = next(_seq)
    return Federation.objects.create(
        name=name or f"测试区工商联{n}", level=level, region_code=region_code or f"{120100 + n:06d}", parent=parent
    )


def make_street(federation, *, name=None):
    from shanglian.orgs.models import Street

    n = next(_seq)
    return Street.objects.create(federation=federation, name=name or f"测试街道{n}", code=f"{120103000 + n:09d}")


def make_chamber(federation, *, name=None, kind="street", **fields):
    from shanglian.orgs.models import Chamber

    return Chamber.objects.create(federation=federation, name=name or f"测试商会{next(_seq)}", kind=kind, **fields)


def make_department(federation, *, name=None):
    from shanglian.orgs.models import Department

    return Department.objects.create(federation=federation, name=name or f"测试部门{next(_seq)}")


def make_enterprise(federation, *, name=None, chamber=None, **fields):
    from shanglian.members.models import ChamberMembership, Enterprise

    defaults = {
        "enterprise_type": DictItem.objects.get(kind="enterprise_type", code="private"),
        "industry": IndustryCode.objects.get(code="6513"),
        "uscc": make_uscc(_rng),
        "contact_name": "联系人",
        "contact_mobile": make_mobile(_rng),
        "employees": 10,
    }
    defaults.update(fields)
    enterprise = Enterprise.objects.create(federation=federation, name=name or f"天津测试科技有限公司{next(_seq)}",
                                           **defaults)
    if chamber is not None:
        ChamberMembership.objects.create(chamber=chamber, enterprise=enterprise, joined=date(2024, 3, 1))
    return enterprise


def make_person(federation, *, name="张三", enterprise=None, **fields):
    from shanglian.members.models import EnterpriseRole, Person

    birth = date(1985, 6, 1)
    defaults = {
        "gender": "M",
        "birth_year": birth.year,
        "id_number": make_id_number(_rng, "120103", birth, female=False),
        "mobile": make_mobile(_rng),
    }
    defaults.update(fields)
    person = Person.objects.create(federation=federation, name=name, **defaults)
    if enterprise is not None:
        EnterpriseRole.objects.create(person=person, enterprise=enterprise, role="legal_representative")
    return person


def make_user(role, *, username=None, federation=None, chamber=None, department=None, enterprise=None,
              password=PASSWORD):
    from shanglian.accounts.services import create_user

    return create_user(
        actor=None, username=username or f"{Role(role).value}{next(_seq)}", password=password, role=role,
        federation=federation, chamber=chamber, department=department, enterprise=enterprise, audit=False,
    )


def verify_second_factor(client, user):
    """Give a logged-in test client a verified second factor, as the OTP page would."""
    from shanglian.accounts.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="测试", key=TEST_TOTP_KEY, confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def ensure_reference_data():
    """Reload what the data migrations load (industry codes, dictionaries): a transactional test's
    flush removes it, and the next test would miss it."""
    import importlib

    from django.apps import apps

    from shanglian.common.industry import load_industry_codes

    if IndustryCode.objects.count() < 1971:  # 20 sections + 97 divisions + 473 groups + 1,381 classes
        load_industry_codes()
    if not DictItem.objects.exists():
        importlib.import_module("shanglian.common.migrations.0003_seed_dict_items").seed(apps, None)
    from shanglian.appeals.models import AppealCategory

    if not AppealCategory.objects.exists():
        importlib.import_module("shanglian.appeals.migrations.0002_seed_categories").seed(apps, None)
    if not DictItem.objects.filter(kind="benefit_type").exists():
        importlib.import_module("shanglian.policies.migrations.0002_benefit_types").seed(apps, None)
    if not DictItem.objects.filter(kind="event_kind").exists():
        importlib.import_module("shanglian.events.migrations.0002_event_kinds").seed(apps, None)
    if not DictItem.objects.filter(kind="proposal_topic").exists():
        importlib.import_module("shanglian.engagement.migrations.0002_dictionaries").seed(apps, None)
    if not DictItem.objects.filter(kind="welfare_campaign_kind").exists():
        importlib.import_module("shanglian.welfare.migrations.0002_dictionaries").seed(apps, None)
    if not DictItem.objects.filter(kind="event_kind", code="financing").exists():  # and the service programmes
        importlib.import_module("shanglian.growth.migrations.0002_dictionaries").seed(apps, None)
    from shanglian.reports.models import ExternalIndicator

    if not ExternalIndicator.objects.exists():  # the shipped external indicators (民营经济增加值 …)
        importlib.import_module("shanglian.reports.migrations.0002_external_indicators").seed(apps, None)


def make_membership(federation, subject, *, kind=None, joined=date(2020, 1, 1), number="", **fields):
    """A federation membership of an Enterprise, a Person or a Chamber (group)."""
    from shanglian.members.models import Enterprise, Membership, Person

    if isinstance(subject, Enterprise):
        kind, key = kind or Membership.Kind.ENTERPRISE, "enterprise"
    elif isinstance(subject, Person):
        kind, key = kind or Membership.Kind.INDIVIDUAL, "person"
    else:
        kind, key = kind or Membership.Kind.GROUP, "group"
    return Membership.objects.create(federation=federation, kind=kind, joined=joined, number=number,
                                     **{key: subject}, **fields)


def make_event(federation, *, kind="training", title=None, starts_at=None, hours=3, status="registration",
               chamber=None, **fields):
    """An event of `federation` (organised by `chamber` when given), starting in an hour by default."""
    from datetime import timedelta

    from django.utils import timezone

    from shanglian.events.models import STATUTORY_BODIES, Event

    starts_at = starts_at or timezone.now() + timedelta(hours=1)
    kind_item = DictItem.objects.get(kind="event_kind", code=kind)
    return Event.objects.create(
        federation=federation, number=f"HD{next(_seq):012d}", title=title or f"测试活动{next(_seq)}",
        kind=kind_item, body=STATUTORY_BODIES.get(kind, ""), starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours), venue="区工商联三楼会议室", status=status,
        organiser="chamber" if chamber is not None else "federation", chamber=chamber, **fields)


def make_invitation(event, subject, **fields):
    """An invitation of a Person (with the enterprise of their first role) or an Enterprise."""
    from shanglian.common.masking import mobile_tail
    from shanglian.events.models import Invitation
    from shanglian.members.models import Enterprise

    if isinstance(subject, Enterprise):
        return Invitation.objects.create(event=event, enterprise=subject, name=subject.name, **fields)
    role = subject.enterprise_roles.order_by("id").first()
    return Invitation.objects.create(event=event, person=subject, enterprise_id=role.enterprise_id if role else None,
                                     name=subject.name, mobile_tail=mobile_tail(subject.mobile), **fields)


def make_arrangement(person, *, kind="npc", level="district", term="第十八届", start=date(2022, 1, 1), end=None,
                     **fields):
    """A political arrangement (人大代表 of the district by default) of `person`, in force from 2022."""
    from shanglian.engagement.models import Arrangement

    return Arrangement.objects.create(federation_id=person.federation_id, person=person, kind=kind, level=level,
                                      term=term, start=start, end=end, **fields)


def make_proposal(federation, *, kind="proposal", year=2025, status="submitted", submitters=(), title=None,
                  **fields):
    """A proposal of `federation` (by `submitters`, persons; or pass body="federation")."""
    from shanglian.engagement.models import Proposal

    proposal = Proposal.objects.create(federation=federation, number=f"TA{next(_seq):012d}", kind=kind, year=year,
                                       status=status, title=title or f"关于优化营商环境的提案{next(_seq)}", **fields)
    proposal.submitters.set(submitters)
    return proposal


def make_liaison(enterprise, *, user=None, department=None, level="district", start=date(2025, 1, 1), **fields):
    """A liaison (包联) of `enterprise` by `user` (a leader or staff account) or `department`."""
    from shanglian.engagement.models import Liaison

    return Liaison.objects.create(federation_id=enterprise.federation_id, enterprise=enterprise, user=user,
                                  department=department, level=level, start=start, **fields)


def make_visit(enterprise, *, visited_on=None, liaison=None, visitors="区领导", **fields):
    """A visit (走访) to `enterprise`, yesterday by default."""
    from datetime import timedelta

    from django.utils import timezone

    from shanglian.engagement.models import Visit

    return Visit.objects.create(federation_id=enterprise.federation_id, enterprise=enterprise, liaison=liaison,
                                visited_on=visited_on or timezone.localdate() - timedelta(days=1),
                                visitors=visitors, **fields)


def make_party_organisation(federation, *, kind="branch", name=None, enterprise=None, chamber=None, street=None,
                            members_count=5, covered=(), **fields):
    """A party organisation hosted by `enterprise`, `chamber` or `street` (exactly one)."""
    from shanglian.engagement.models import PartyOrganisation

    organisation = PartyOrganisation.objects.create(
        federation=federation, kind=kind, name=name or f"测试党组织{next(_seq)}", enterprise=enterprise,
        chamber=chamber, street=street, members_count=members_count, **fields)
    organisation.covered_enterprises.set(covered)
    return organisation


def make_campaign(federation, *, name=None, kind="rural", start=date(2024, 1, 1), chamber=None, **fields):
    """A 公益项目 of the federation (or of `chamber`); `kind` is a `welfare_campaign_kind` code."""
    from shanglian.welfare.models import Campaign

    return Campaign.objects.create(
        federation=federation, chamber=chamber, name=name or f"测试公益项目{next(_seq)}", start=start,
        kind=DictItem.objects.get(kind="welfare_campaign_kind", code=kind), **fields)


def make_village(federation, *, name=None, is_target=True, **fields):
    from shanglian.orgs.models import Village

    return Village.objects.create(federation=federation, name=name or f"测试村{next(_seq)}", is_target=is_target,
                                  **fields)


def make_donation(donor, *, cash="0", goods_value="0", goods_description="", donated_on=date(2025, 3, 1),
                  chamber=None, campaign=None, **fields):
    """A donation by `donor` (an Enterprise, a Person or a Chamber; its federation is the donor's), numbered
    like the service numbers it; amounts in yuan as strings or Decimals."""
    from decimal import Decimal

    from shanglian.common.numbering import daily_number
    from shanglian.members.models import Enterprise, Person
    from shanglian.welfare.models import Donation

    kind = "enterprise" if isinstance(donor, Enterprise) else "person" if isinstance(donor, Person) else "chamber"
    return Donation.objects.create(
        federation=donor.federation, number=daily_number("JZ"), donor_kind=kind, **{f"donor_{kind}": donor},
        chamber=chamber if chamber is not None else (donor if kind == "chamber" else None), campaign=campaign,
        donated_on=donated_on, cash=Decimal(cash), goods_value=Decimal(goods_value),
        goods_description=goods_description, **fields)


def make_pairing(partner, village, *, kind="industry", start=date(2024, 1, 1), end=None, **fields):
    """A pairing of `partner` (an Enterprise or a Chamber) with `village`."""
    from shanglian.members.models import Enterprise
    from shanglian.welfare.models import Pairing

    side = "enterprise" if isinstance(partner, Enterprise) else "chamber"
    return Pairing.objects.create(federation=village.federation, village=village, kind=kind, start=start, end=end,
                                  **{side: partner}, **fields)


def make_programme(federation, *, name="优秀民营企业10强评选", year=2025, status="nominating", categories=("依法纳税",),
                   criteria=(("纳税额", "60"), ("纳税信用", "40")), list_size=10):
    """An award programme with one category per name (each with `criteria`: (name, weight) pairs)."""
    from decimal import Decimal

    from shanglian.honours.models import Category, Criterion, Programme

    programme = Programme.objects.create(federation=federation, name=name, year=year, status=status)
    for order, label in enumerate(categories):
        category = Category.objects.create(programme=programme, name=f"{label}10强", list_size=list_size,
                                           order=order)
        for position, (criterion, weight) in enumerate(criteria):
            Criterion.objects.create(category=category, name=criterion, weight=Decimal(weight), order=position)
    return programme


def make_nomination(category, enterprise, *, chamber=None, by=None, reason="推荐理由", **fields):
    from shanglian.honours.models import Nomination

    return Nomination.objects.create(category=category, enterprise=enterprise, chamber=chamber, nominated_by=by,
                                     reason=reason, **fields)


def make_judge(programme, user, *, person=None):
    from shanglian.honours.models import Judge

    return Judge.objects.create(programme=programme, user=user, person=person)


def make_scores(nomination, judge, values):
    """The judge's scores of the nomination, one value per criterion of its category in order (None: not scored).
    Written as they are, without the scoring service's checks (a conflict that arose after scoring, a test's
    hand-made sheet)."""
    from decimal import Decimal

    from shanglian.honours.models import Score

    criteria = list(nomination.category.criteria.order_by("order", "id"))
    return [Score.objects.create(nomination=nomination, judge=judge, criterion=criterion, value=Decimal(str(value)))
            for criterion, value in zip(criteria, values, strict=True) if value is not None]


def make_honour_list(category, enterprises, *, version=1, reason="", published_by=None, superseded=False):
    """A published list of `category` with `enterprises` ranked 1, 2, 3 … in order (an (enterprise, rank) pair
    sets a rank; equal ranks are tied), as the publication would write it."""
    from django.utils import timezone

    from shanglian.honours.models import HonourList, HonourListEntry

    now = timezone.now()
    honour_list = HonourList.objects.create(category=category, version=version, reason=reason, published_at=now,
                                            published_by=published_by, superseded_at=now if superseded else None)
    placed = [item if isinstance(item, tuple) else (item, n) for n, item in enumerate(enterprises, start=1)]
    ranks = [rank for _enterprise, rank in placed]
    HonourListEntry.objects.bulk_create(
        HonourListEntry(honour_list=honour_list, rank=rank, enterprise=enterprise, enterprise_name=enterprise.name,
                        tied=ranks.count(rank) > 1) for enterprise, rank in placed)
    return honour_list


def make_assessment(subject, *, scheme="five_have", year=2025, status="draft"):
    """An assessment of a Chamber (五有 / 四好) or of a Federation (五好), with one empty item per item of its
    scheme."""
    from shanglian.honours.models import Assessment, AssessmentItem
    from shanglian.honours.schemes import SCHEMES
    from shanglian.orgs.models import Chamber

    chamber = subject if isinstance(subject, Chamber) else None
    assessment = Assessment.objects.create(federation=chamber.federation if chamber else subject, chamber=chamber,
                                           scheme=scheme, year=year, status=status)
    AssessmentItem.objects.bulk_create(AssessmentItem(assessment=assessment, code=item.code)
                                       for item in SCHEMES[scheme].items)
    return assessment


def claim_item(assessment, code, *, met=None, score=None, status="pending", note="佐证说明见附件"):
    """An item of `assessment` filled in: its claim (`met` for 五有, `score` for a scored scheme), a note as its
    evidence, and its verification `status` (pending, verified, returned)."""
    from shanglian.honours.models import AssessmentItem

    AssessmentItem.objects.filter(assessment=assessment, code=code).update(met=met, score=score, status=status,
                                                                          note=note)
    return AssessmentItem.objects.get(assessment=assessment, code=code)


# --- growth (会员发展与服务) and the registry's duplicate queue ------------------------------------------------
def make_prospect(federation, *, name=None, owner, stage="lead", chamber=None, enterprise=None,
                  stage_changed_on=date(2026, 3, 1), **fields):
    """A 发展对象 followed by `owner`; `enterprise` (a registry record) gives it its name."""
    from shanglian.growth.models import Prospect

    return Prospect.objects.create(
        federation=federation, chamber=chamber, enterprise=enterprise, owner=owner, stage=stage,
        name=name or (enterprise.name if enterprise is not None else f"发展对象企业{next(_seq)}"),
        stage_changed_on=stage_changed_on, **fields)


def make_application(enterprise, applicant, *, federation=None, status="submitted", chamber=None, **fields):
    """An online 入会申请 of `enterprise` by its user `applicant`, with the form filled from the registry."""
    from shanglian.common.numbering import daily_number
    from shanglian.growth.models import MembershipApplication

    defaults = {"enterprise_name": enterprise.name, "uscc": enterprise.uscc, "legal_representative": "张法人",
                "address": "天津市河西区友谊路1号", "main_products": "软件开发", "contact_name": "联系人",
                "contact_mobile": make_mobile(_rng), "industry": enterprise.industry}
    defaults.update(fields)
    return MembershipApplication.objects.create(
        federation=federation or enterprise.federation, number=daily_number("RH"), enterprise=enterprise,
        applicant=applicant, chamber=chamber, status=status, **defaults)


def make_enrollment(enterprise, *, by, programme="shuangwan", enrolled_on=date(2025, 3, 1), ended_on=None,
                    **fields):
    from shanglian.growth.models import ServiceEnrollment

    return ServiceEnrollment.objects.create(
        federation=enterprise.federation, enterprise=enterprise, enrolled_by=by, enrolled_on=enrolled_on,
        ended_on=ended_on, programme=DictItem.objects.get(kind="service_programme", code=programme), **fields)


def make_listing(enterprise, *, shown=("industry", "products"), listed=True, **fields):
    from shanglian.growth.models import DirectoryListing

    return DirectoryListing.objects.create(federation=enterprise.federation, enterprise=enterprise, listed=listed,
                                           shown_fields=list(shown), **fields)


def make_post(enterprise, *, by, category="purchase", title=None, valid_until=date(2099, 12, 31), **fields):
    from shanglian.common.numbering import daily_number
    from shanglian.growth.models import Post

    defaults = {"body": "需求说明", "industry": enterprise.industry, "keywords": "电子 元器件"}
    defaults.update(fields)
    return Post.objects.create(federation=enterprise.federation, number=daily_number("GX"), enterprise=enterprise,
                               posted_by=by, category=category, title=title or f"测试供需{next(_seq)}",
                               valid_until=valid_until, **defaults)


def make_contact_request(post, requester, *, by, message="希望对接", **fields):
    from shanglian.growth.models import ContactRequest

    return ContactRequest.objects.create(post=post, requester=requester, requested_by=by, message=message, **fields)


def make_outcome(enterprise, *, by, kind="deal", amount="100000", jobs=None, reached_on=date(2025, 6, 1), **fields):
    from decimal import Decimal

    from shanglian.growth.models import MatchOutcome

    return MatchOutcome.objects.create(
        federation=enterprise.federation, kind=kind, enterprise=enterprise, recorded_by=by, reached_on=reached_on,
        amount=Decimal(amount) if amount is not None else None, jobs=jobs, **fields)


def make_working_group(federation, *, name=None, focus="融资难融资贵", established=date(2025, 1, 1), lead=None,
                       **fields):
    """A 专项工作组; `lead` (a Person) joins it as 组长."""
    from shanglian.growth.models import GroupMember, WorkingGroup

    group = WorkingGroup.objects.create(federation=federation, name=name or f"测试工作组{next(_seq)}", focus=focus,
                                        established=established, **fields)
    if lead is not None:
        GroupMember.objects.create(group=group, person=lead, is_lead=True, joined=established)
    return group


def make_group_project(group, *, name=None, start=date(2025, 3, 1), due=date(2025, 12, 31), status="active",
                       **fields):
    from shanglian.growth.models import GroupProject

    return GroupProject.objects.create(group=group, name=name or f"测试项目{next(_seq)}", goal="解决共性问题",
                                       start=start, due=due, status=status, **fields)


def make_duplicate(first, second, *, reasons=("name",)):
    """A suspected duplicate pair of two enterprises or two persons (the older first)."""
    from shanglian.members.models import DuplicateCandidate, Enterprise

    kind = "enterprise" if isinstance(first, Enterprise) else "person"
    return DuplicateCandidate.objects.create(federation=first.federation, kind=kind, reasons=list(reasons),
                                             **{f"first_{kind}": first, f"second_{kind}": second})


def make_notice(federation, *, by, title=None, audience="all", status="draft", chamber=None, body="<p>通知正文</p>",
                **fields):
    """A 通知公告 (a draft unless `status` says otherwise; `communications.services.notices.send_notice` sends one
    for real — recipients and inbox messages)."""
    from shanglian.common.numbering import daily_number
    from shanglian.communications.models import Notice

    return Notice.objects.create(federation=federation, chamber=chamber, number=daily_number("TZ"), created_by=by,
                                 title=title or f"测试通知{next(_seq)}", body=body, audience=audience, status=status,
                                 **fields)


def make_notice_recipient(notice, enterprise=None, *, person=None, read_at=None, **fields):
    from shanglian.communications.models import NoticeRecipient

    name = enterprise.name if enterprise is not None else person.name
    return NoticeRecipient.objects.create(notice=notice, enterprise=enterprise, person=person, name=name,
                                          read_at=read_at, **fields)


def make_survey(federation, *, by, title=None, audience="all", status="draft", chamber=None,
                respondent="enterprise", questions=(), **fields):
    """A 问卷调查 with `questions`: (kind, text) pairs or dicts of `Question`'s fields; a choice question without
    options gets 是/否."""
    from shanglian.common.numbering import daily_number
    from shanglian.communications.models import Question, Survey

    survey = Survey.objects.create(federation=federation, chamber=chamber, number=daily_number("WJ"), created_by=by,
                                   title=title or f"测试问卷{next(_seq)}", audience=audience, status=status,
                                   respondent=respondent, **fields)
    for order, question in enumerate(questions, start=1):
        values = dict(question) if isinstance(question, dict) else {"kind": question[0], "text": question[1]}
        if values["kind"] in ("single", "multiple"):
            values.setdefault("options", ["是", "否"])
        Question.objects.create(survey=survey, order=order, **values)
    return survey


def make_survey_recipient(survey, enterprise=None, *, person=None, **fields):
    from shanglian.communications.models import SurveyRecipient

    name = enterprise.name if enterprise is not None else person.name
    return SurveyRecipient.objects.create(survey=survey, enterprise=enterprise, person=person, name=name, **fields)


def make_response(survey, enterprise, *, by=None, status="submitted", answers=None):
    """An answer sheet of `enterprise` (by its user `by`); `answers` maps a Question to its value: a list of option
    positions for a choice question, a number for a scale or number question, a string for a text question."""
    from decimal import Decimal

    from django.utils import timezone

    from shanglian.communications.models import Answer, Response

    key = f"u{by.pk}" if survey.respondent == "person" and by is not None else f"e{enterprise.pk}"
    response = Response.objects.create(survey=survey, enterprise=enterprise, respondent=by, respondent_key=key,
                                       status=status, submitted_at=timezone.now() if status == "submitted" else None)
    for question, value in (answers or {}).items():
        if isinstance(value, (list, tuple)):
            Answer.objects.create(response=response, question=question, choices=list(value))
        elif isinstance(value, str):
            Answer.objects.create(response=response, question=question, text=value)
        else:
            Answer.objects.create(response=response, question=question, number=Decimal(str(value)))
    return response


def make_saved_filter(federation, *, name=None, criteria=None, chamber=None, by=None):
    from shanglian.communications.models import SavedFilter

    return SavedFilter.objects.create(federation=federation, chamber=chamber, name=name or f"测试筛选{next(_seq)}",
                                      criteria=criteria or {}, created_by=by)


def make_report(federation, *, title=None, method="survey", period_start=date(2025, 3, 1),
                period_end=date(2025, 5, 31), **fields):
    from shanglian.communications.models import ResearchReport

    return ResearchReport.objects.create(federation=federation, title=title or f"测试调研报告{next(_seq)}",
                                         topic=fields.pop("topic", "民营企业发展环境"), method=method,
                                         period_start=period_start, period_end=period_end, **fields)


def make_article(federation, *, title=None, outlet="天津日报", level="municipal", published_on=date(2025, 6, 1),
                 persons=(), enterprises=(), **fields):
    from shanglian.communications.models import Article

    article = Article.objects.create(federation=federation, title=title or f"测试报道{next(_seq)}", outlet=outlet,
                                     level=level, published_on=published_on, **fields)
    article.persons.set(persons)
    article.enterprises.set(enterprises)
    return article


def make_rule(federation, *, title=None, category="work", adopted_by="standing", adopted_on=date(2024, 1, 10),
              effective_from=date(2024, 2, 1), text="第一条 为规范工作，制定本制度。", **fields):
    """A 规章制度 with its first version."""
    from shanglian.communications.models import Rule, RuleVersion

    rule = Rule.objects.create(federation=federation, title=title or f"测试制度{next(_seq)}", category=category,
                               **fields)
    RuleVersion.objects.create(rule=rule, version=1, text=text, adopted_by=adopted_by, adopted_on=adopted_on,
                               effective_from=effective_from)
    return rule


def make_partner(federation, *, name=None, kind="federation", region="河北省雄安新区", since=date(2023, 5, 1),
                 **fields):
    from shanglian.communications.models import Partner

    return Partner.objects.create(federation=federation, name=name or f"测试友好工商联{next(_seq)}", kind=kind,
                                  region=region, since=since, **fields)


def make_exchange(partner, *, direction="incoming", date_=date(2025, 4, 1), leader="张主席", delegates=8, **fields):
    from shanglian.communications.models import Exchange

    return Exchange.objects.create(partner=partner, direction=direction, date=date_, leader=leader,
                                   delegates=delegates, purpose=fields.pop("purpose", "考察交流"), **fields)


def make_cast():
    """The cast of `shanglian/conftest.py` (the fixture `cast`): two district federations under a city, chambers,
    departments, enterprises, persons, memberships and one user per role."""
    city = make_federation(name="天津市工商联", level="city", region_code="120100")
    district = make_federation(name="河西区工商联", level="county", region_code="120103", parent=city)
    other = make_federation(name="南开区工商联", level="county", region_code="120104", parent=city)
    street = make_street(district, name="友谊路街道")
    chamber1 = make_chamber(district, name="友谊路街道商会", street=street, secretary_general="李秘书")
    chamber2 = make_chamber(district, name="河西区浙江商会", kind="nonlocal")
    dept1 = make_department(district, name="区税务局")
    dept2 = make_department(district, name="区人社局")
    ent1 = make_enterprise(district, name="天津友谊科技有限公司", chamber=chamber1, street=street)
    ent2 = make_enterprise(district, name="天津之江贸易有限公司", chamber=chamber2)
    ent_other = make_enterprise(other, name="南开某某餐饮有限公司")
    person1 = make_person(district, name="王建国", enterprise=ent1)
    person2 = make_person(district, name="陈浙江", enterprise=ent2)
    memberships = SimpleNamespace(
        ent1=make_membership(district, ent1, number="HX-2020-0001"),
        ent2=make_membership(district, ent2, number="HX-2020-0002"),
        person1=make_membership(district, person1, number="HX-2020-0003"),
        chamber1=make_membership(district, chamber1, number="HX-2020-0004"),
        ent_other=make_membership(other, ent_other, number="NK-2020-0001"),
    )
    users = SimpleNamespace(
        admin=make_user(Role.SYSADMIN, username="admin", federation=district),
        staff=make_user(Role.STAFF, username="staff", federation=district),
        leader=make_user(Role.LEADER, username="leader", federation=district),
        chamber1=make_user(Role.CHAMBER, username="chamber1", chamber=chamber1),
        chamber2=make_user(Role.CHAMBER, username="chamber2", chamber=chamber2),
        dept1=make_user(Role.DEPARTMENT, username="dept1", department=dept1),
        ent1=make_user(Role.ENTERPRISE, username="ent1", enterprise=ent1),
        auditor=make_user(Role.AUDITOR, username="auditor", federation=district),
        outsider_staff=make_user(Role.STAFF, username="outsider", federation=other),
    )
    return SimpleNamespace(
        city=city, district=district, other=other, street=street, chamber1=chamber1, chamber2=chamber2,
        dept1=dept1, dept2=dept2, ent1=ent1, ent2=ent2, ent_other=ent_other, person1=person1, person2=person2,
        users=users, memberships=memberships,
    )


def sqlite_plan(queryset):
    """SQLite's EXPLAIN QUERY PLAN of a queryset, its steps joined by " | " (plan tests: which index serves it)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


# --- browser tests (Playwright's `page`) ---------------------------------------------------------------------
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # verify_second_factor's device key


def sign_in(page, base, username):
    """Log `username` in through the login page (and the second factor, for a role that must pass it)."""
    from django.urls import reverse

    page.goto(f"{base}{reverse('accounts:login')}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登 录").click()
    page.wait_for_load_state("networkidle")
    if "/otp/verify/" in page.url:  # the auditor passes the second factor like the sysadmin (issue 18)
        from binascii import unhexlify

        from django_otp.oath import TOTP

        page.get_by_label("动态口令").fill(f"{TOTP(unhexlify(TEST_TOTP_KEY)).token():06d}")
        page.get_by_role("button", name="验 证").click()
        page.wait_for_load_state("networkidle")


def overflow(page):
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def xlsx_of(headers, rows, *, title=None):
    """The bytes of an xlsx file an import reads: one sheet (named `title` when given), `headers` on the first row,
    then `rows`."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.title = title
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
