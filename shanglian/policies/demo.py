"""Demo policies: the demo district's policy library (惠企政策), built on the members demo.

Registered as the demo builder "policies" (run by `manage.py seed_demo`, demo mode only, after the
builder "members"; it reads nothing of the appeals, and builders with no order between them run by
name, so appeals come first and the ids are always the same) and used by tests. Two steps:

- `generate(members_plan, end=..., seed=...)` draws about 200 policies of the district's departments
  (titles, 文号, dates over the ~2.7 years before `end`, summaries and full texts from templates,
  benefit types, 免申即享, eligibility conditions) and the 服务包 into a `PoliciesPlan` of plain
  values. It reads nothing but the members plan: the same plan, seed and `end` give the same
  policies (`fingerprint()`), whatever the day it runs on.
- `build(result, end=...)` saves them with bulk inserts, then lives the pushes: a published policy
  that was pushed went, on its push day, to the enterprises it matched *that day* — found by
  `matching.enterprises_for_policy(policy, on=push day)`, the database matching the service uses —
  and a share of them (30–70 % per policy) read it afterwards, before `end`. A policy is never pushed
  after its expiry date. The draws of the pushes come from a generator seeded by (seed, policy), so
  the same database gives the same deliveries.

A policy whose expiry date is before `end` is 已失效 (what the nightly `expire_policies` would have
done); a few recent ones are still 草稿. The demo enterprise login (ent1) gets a handful of recent
policies written for a firm like it (its industry division, its size, its street), pushed to it and
mostly unread, so its 为您推荐 and inbox have something to show today.
"""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.common.excel import insert_rows
from shanglian.common.models import DictItem
from shanglian.demo import orgs
from shanglian.demo.files import load_csv, load_toml, words
from shanglian.demo.registry import register
from shanglian.demo.saving import write_rows
from shanglian.members import demo as members_demo
from shanglian.members.models import Enterprise
from shanglian.notifications.models import Notification
from shanglian.orgs.models import Department, Street

from . import matching, summaries
from .models import Policy, PolicyDelivery, PolicyIndustry, PolicyPackage, delimited

__all__ = ["PoliciesPlan", "build", "counts", "generate"]

DEMO_SEED = members_demo.DEMO_SEED + 5  # the policies' own stream
POLICY_COUNT = 200
DRAFTS = 6
SPAN_DAYS = 1000  # policies published over the ~2.7 years before `end`
# 免申即享 (≈ 15 % overall): common for tax cuts and 稳岗 refunds, rarer for the rest.
AUTOMATIC_SHARES = {"tax": 0.35, "employment": 0.3, None: 0.1}
PUSH_SHARE = 0.65  # of the published policies with conditions, those pushed to the enterprises they match
BROAD_PUSH_SHARE = 0.2  # a policy for every firm (a service list, a court's measures) is rarely pushed
READ_SHARES = (0.30, 0.70)  # the read rate of one push is drawn in this range
ENT1_POLICIES = 6  # written for the demo enterprise, pushed to it in the last weeks
ENT1_READ = 2  # of those, read by ent1 already
PUSH_HOUR = time(10)

# --- Texts (data/policies.toml, data/policy_themes.csv) ------------------------------------------
_TEXTS = load_toml("policies.toml")
# department short name → 文号 prefix
ISSUERS = _TEXTS["issuers"]


def _profile(row):
    return (tuple(row.get("industries", ())), tuple(row.get("sizes", ())), tuple(row.get("enterprise_types", ())),
            row.get("high_tech_required", False), (row.get("min_employees"), row.get("max_employees")),
            (row.get("min_registered_years"), row.get("max_registered_years")), row.get("members_only", False),
            row["target"])


# Eligibility profiles: (industries, sizes, enterprise types, high tech, employees range, years range,
# members only, what the policy is for — a phrase for the texts).
PROFILES = {name: _profile(row) for name, row in _TEXTS["profiles"].items()}

# (department, title — {y} the year, benefit type, profile, packages, what it gives)
THEMES = [(row["department"], row["title"], row["benefit_type"], row["profile"], tuple(words(row["packages"])),
           row["gives"]) for row in load_csv("policy_themes.csv")]

PACKAGES = [(row["name"], row["description"]) for row in _TEXTS["packages"]]

@dataclass
class PolicyPlan:
    title: str
    department: int  # index into the members plan's departments
    document_number: str
    published_on: date | None
    effective_from: date | None
    expires_on: date | None
    benefit_type: str
    summary: str
    full_text: str
    application_method: str
    contact: str
    is_automatic: bool
    status: str
    industries: tuple = ()
    sizes: tuple = ()
    enterprise_types: tuple = ()
    streets: tuple = ()  # indexes into orgs.STREETS
    high_tech_required: bool = False
    min_employees: int | None = None
    max_employees: int | None = None
    min_registered_years: int | None = None
    max_registered_years: int | None = None
    members_only: bool = False
    packages: tuple = ()  # indexes into PACKAGES
    push_on: date | None = None  # pushed on this day (10:00), or never
    read_share: float = 0.0
    for_ent1: bool = False  # written for the demo enterprise: pushed to it, read by it only if ent1_read
    ent1_read: bool = False


@dataclass
class PoliciesPlan:
    seed: int
    end: date
    policies: list = field(default_factory=list)

    def fingerprint(self):
        return hashlib.sha256(repr((self.seed, self.end, self.policies)).encode()).hexdigest()


# --- Generation ------------------------------------------------------------------------------------
def _day_between(rng, start, end):
    return start + timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def _cn(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _texts(theme, target, dept_name, dept_phone, title, effective, expires, automatic):
    short, _title, _benefit, _profile, _packages, gives = theme
    summary = (f"为进一步优化营商环境、支持{target}发展，{short}出台本政策：对符合条件的{target}，{gives}。"
               f"{'政策实行“免申即享”，符合条件的企业无需申请。' if automatic else ''}")
    until = f"有效期至{_cn(expires)}" if expires else "长期有效"
    paragraphs = [
        f"第一条 为深入贯彻落实国家和天津市关于促进民营经济发展壮大的决策部署，进一步减轻企业负担、"
        f"激发市场主体活力，结合我区实际，制定《{title}》。",
        f"第二条 支持对象。本政策适用于{target}。申请企业应当依法经营、信用良好，近三年未发生重大安全生产、"
        f"环境污染和严重失信行为。",
        f"第三条 支持内容。{gives}。同一项目不得重复享受区级同类政策，就高不重复。",
        "第四条 申报程序。" + ("符合条件的企业无需提出申请，由主管部门通过数据比对确定名单，公示无异议后直接拨付。"
                            if automatic else "企业按年度申报通知提交申请材料，主管部门会同相关部门审核，"
                                              "审核结果公示五个工作日无异议后兑现。"),
        "第五条 监督管理。企业对申报材料的真实性负责，以虚假材料骗取资金的，依法追回并纳入信用记录。",
        f"第六条 本政策自{_cn(effective)}起施行，{until}，由{dept_name}负责解释。",
    ]
    if automatic:
        method = f"免申即享：符合条件的企业无需申请，由{short}根据数据比对直接兑现，兑现结果在“河西区政务服务网”公示。"
    else:
        method = (f"登录“河西区政务服务网”惠企政策专区在线申报，或到区政务服务中心{short}窗口提交材料；"
                  f"申报时间以当年申报通知为准。")
    return summary, "\n\n".join(paragraphs), method, f"{short} {dept_phone}"


def _conditions(rng, profile, street_count):
    industries, sizes, types, high_tech, employees, years, members, _target = PROFILES[profile]
    streets = ()
    if rng.random() < 0.08:  # a few policies of one or two streets (街道楼宇、特色街区)
        streets = tuple(sorted(rng.sample(range(street_count), rng.choice((1, 2)))))
    return {"industries": industries, "sizes": sizes, "enterprise_types": types, "streets": streets,
            "high_tech_required": high_tech, "min_employees": employees[0], "max_employees": employees[1],
            "min_registered_years": years[0], "max_registered_years": years[1], "members_only": members}


def _expiry(rng, effective):
    draw = rng.random()
    if draw < 0.25:
        return None  # 长期有效
    if draw < 0.45:  # to the end of the year (of the next one when issued late in the year)
        return date(effective.year if effective.month < 10 else effective.year + 1, 12, 31)
    years = rng.choice((1, 2, 3))
    try:
        return effective.replace(year=effective.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return date(effective.year + years, 2, 28)


NO_CONDITIONS = {"industries": (), "sizes": (), "enterprise_types": (), "streets": (), "high_tech_required": False,
                 "min_employees": None, "max_employees": None, "min_registered_years": None,
                 "max_registered_years": None, "members_only": False}
SIZE_WORDS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


def _ent1_specs(ent):
    """Conditions a firm like the demo enterprise meets, each with the phrase naming whom it is for."""
    from shanglian.common.models import IndustryCode

    names = dict(IndustryCode.objects.filter(code__in=[ent.industry[:2], ent.industry[:3]]).values_list("code", "name"))
    specs = [({"industries": (ent.industry[:2],)}, f"{names.get(ent.industry[:2], '重点行业')}企业")]
    if ent.size:
        specs.append(({"sizes": (ent.size,)}, f"{SIZE_WORDS[ent.size]}企业"))
        specs.append(({"industries": (ent.industry[:3],), "sizes": (ent.size,)},
                      f"{names.get(ent.industry[:3], '重点行业')}{SIZE_WORDS[ent.size]}企业"))
    if ent.street is not None:
        specs.append(({"streets": (ent.street,)}, f"{orgs.STREETS[ent.street][0]}辖区企业"))
    specs.append(({"enterprise_types": (ent.type_code,)}, "民营企业" if ent.type_code == "private" else "中小企业"))
    if ent.employees is not None:
        specs.append(({"max_employees": max(ent.employees, 1) * 4}, "中小企业"))
    specs.append(({}, "各类市场主体"))
    return specs[:ENT1_POLICIES]


def generate(members_plan, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """About 200 policies of the demo district's departments, published over the ~2.7 years before `end`."""
    rng = random.Random(seed)
    departments = {short: i for i, (_name, short, _c, _p) in enumerate(members_plan.departments)}
    package_index = {name: i for i, (name, _d) in enumerate(PACKAGES)}
    street_count = len(orgs.STREETS)

    def make(theme, published, title, *, status=None, conditions=None, target=None, lasting=False):
        short, _template, benefit, profile, packages, _gives = theme
        dept = departments[short]
        dept_name, _short, _contact, phone = members_plan.departments[dept]
        automatic = rng.random() < AUTOMATIC_SHARES.get(benefit, AUTOMATIC_SHARES[None])
        effective = (published or end) + timedelta(days=rng.choice((0, 0, 0, 7, 15, 30)))
        expires = _expiry(rng, effective)
        if lasting:  # the demo enterprise's own policies stay in force (the draw is still made: same sequence)
            expires = None
        summary, full_text, method, contact = _texts(theme, target or PROFILES[profile][7], dept_name, phone, title,
                                                     effective, expires, automatic)
        if status is None:
            status = Policy.Status.EXPIRED if Policy(expires_on=expires).is_past_expiry(end) else Policy.Status.PUBLISHED
        return PolicyPlan(
            title=title, department=dept, document_number="", published_on=published, effective_from=effective,
            expires_on=expires, benefit_type=benefit, summary=summary, full_text=full_text,
            application_method=method, contact=contact, is_automatic=automatic, status=status,
            packages=tuple(package_index[p] for p in packages),
            **(conditions or _conditions(rng, profile, street_count)))

    policies = []
    # The demo enterprise's own: recent, live, for a firm like it.
    ent = members_plan.enterprises[members_plan.logins["enterprise"]]
    specs = _ent1_specs(ent)
    ent1_themes = [t for t in THEMES if t[3] in ("any", "private", "micro")][:len(specs)]
    for i, (theme, (extra, target)) in enumerate(zip(ent1_themes, specs, strict=True)):
        published = end - timedelta(days=3 + 6 * i)
        title = f"河西区{theme[0].removeprefix('区')}关于支持{target}发展的若干措施（{published.year}年）"
        policy = make(theme, published, title, conditions={**NO_CONDITIONS, **extra}, target=target, lasting=True)
        policy.status = Policy.Status.PUBLISHED
        policy.for_ent1, policy.ent1_read = True, i >= len(specs) - ENT1_READ
        policies.append(policy)

    # The others: each theme issued at most once a year (a yearly guide, or a revision of the measures).
    first, last = end - timedelta(days=SPAN_DAYS), end - timedelta(days=2)
    slots = []
    for index in range(len(THEMES)):
        for year in range(first.year, last.year + 1):
            low, high = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
            if low <= high:
                slots.append((index, low, high))
    rng.shuffle(slots)
    wanted = POLICY_COUNT - DRAFTS - len(policies)
    chosen = sorted((index, _day_between(rng, low, high)) for index, low, high in slots[:wanted])
    issued = set()
    for index, day in chosen:
        template = THEMES[index][1]
        title = template.format(y=day.year)
        if "{y}" not in template and index in issued:
            title += f"（{day.year}年修订）"
        issued.add(index)
        policies.append(make(THEMES[index], day, title))
    # Drafts: next year's editions being prepared, of themes not drawn above.
    spare = list(dict.fromkeys(index for index, _low, _high in slots[wanted:]))[:DRAFTS]
    drafts = []
    for index in spare:
        template = THEMES[index][1]
        title = template.format(y=end.year + 1) + (
            "" if "{y}" in template else "（修订征求意见稿）" if index in issued else "（征求意见稿）")
        drafts.append(make(THEMES[index], None, title, status=Policy.Status.DRAFT))
    titles = [p.title for p in policies + drafts]
    assert len(set(titles)) == len(titles), "demo policy titles must be unique"

    # 文号: per issuer and year, numbered in publishing order with gaps (other documents in between);
    # a few guides and lists carry none.
    policies.sort(key=lambda p: (p.published_on, p.title))
    counters = {}
    for policy in policies:
        if rng.random() < 0.08 and not policy.for_ent1:
            continue
        short = members_plan.departments[policy.department][1]
        key = (short, policy.published_on.year)
        counters[key] = counters.get(key, 0) + rng.randint(1, 6)
        policy.document_number = f"{ISSUERS[short]}〔{key[1]}〕{counters[key]}号"
    # Pushes: most published policies were pushed on their publishing day or soon after; never after
    # expiry, never on or after `end`.
    for policy in policies:
        if policy.for_ent1:
            policy.push_on = policy.published_on
        elif rng.random() < (PUSH_SHARE if _has_conditions(policy) else BROAD_PUSH_SHARE):
            day = policy.published_on + timedelta(days=rng.choice((0, 0, 1, 2, 3)))
            if day < end and (policy.expires_on is None or day <= policy.expires_on):
                policy.push_on = day
        policy.read_share = round(rng.uniform(*READ_SHARES), 3) if policy.push_on else 0.0
    return PoliciesPlan(seed=seed, end=end, policies=policies + drafts)


def _has_conditions(policy):
    return any(getattr(policy, name) != value for name, value in NO_CONDITIONS.items())


# --- Saving ----------------------------------------------------------------------------------------
def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None, progress=None):
    """Save the policies, packages and pushes of the demo district `result` (what the "members" builder
    returned: `run.results["members"]`)."""
    plan = plan or generate(result.plan, end=end, seed=seed)
    district, users = result.federation, result.users
    tz = timezone.get_current_timezone()
    staff = users.get("staff")
    ent1_user = users.get("ent1")
    departments = list(Department.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    streets = list(Street.objects.filter(federation=district).order_by("code").values_list("pk", flat=True))
    benefit_types = dict(DictItem.objects.filter(kind="benefit_type").values_list("code", "pk"))

    with transaction.atomic():
        packages = PolicyPackage.objects.bulk_create([
            PolicyPackage(federation=district, name=name, description=description, order=i + 1)
            for i, (name, description) in enumerate(PACKAGES)])
        objs = Policy.objects.bulk_create([
            Policy(
                federation=district, title=p.title, department_id=departments[p.department],
                document_number=p.document_number, published_on=p.published_on, effective_from=p.effective_from,
                expires_on=p.expires_on, summary=p.summary, full_text=p.full_text,
                benefit_type_id=benefit_types[p.benefit_type], application_method=p.application_method,
                contact=p.contact, is_automatic=p.is_automatic, status=p.status, sizes=delimited(p.sizes),
                enterprise_types=delimited(p.enterprise_types),
                streets=delimited(streets[s] for s in p.streets), high_tech_required=p.high_tech_required,
                min_employees=p.min_employees, max_employees=p.max_employees,
                min_registered_years=p.min_registered_years, max_registered_years=p.max_registered_years,
                members_only=p.members_only, created_by=staff,
                pushed_at=datetime.combine(p.push_on, PUSH_HOUR, tz) if p.push_on else None,
            )
            for p in plan.policies
        ], batch_size=500)
        PolicyIndustry.objects.bulk_create([PolicyIndustry(policy=obj, prefix=prefix)
                                            for obj, p in zip(objs, plan.policies, strict=True)
                                            for prefix in p.industries], batch_size=1000)
        through = PolicyPackage.policies.through
        through.objects.bulk_create([through(policy_id=obj.pk, policypackage_id=packages[i].pk)
                                     for obj, p in zip(objs, plan.policies, strict=True) for i in p.packages],
                                    batch_size=1000)
        ent1 = ent1_user.enterprise_id if ent1_user is not None else None

        def flush(deliveries):
            count = write_rows(PolicyDelivery, ["policy", "enterprise", "pushed_at", "pushed_by", "read_at", "read_by"],
                               deliveries)
            if progress is not None:
                progress.add("政策推送", count)

        messages = _pushes(plan, objs, district, staff, ent1, ent1_user, tz, flush)
        insert_rows(Notification, ["recipient", "kind", "title", "body", "url", "created_at", "read_at"], messages)
        summaries.rebuild()  # the deliveries went in as bulk rows, past the summary's signals
    return plan


FLUSH_ROWS = 20000  # deliveries written at a time: a large district's pushes are millions of rows


def _pushes(plan, objs, district, staff, ent1, ent1_user, tz, flush):
    """The deliveries of each pushed policy to the enterprises it matched on its push day, with reads,
    handed to `flush` a few thousand at a time; returns the demo login's notifications."""
    end = datetime.combine(plan.end, time(0), tz)
    deliveries, messages = [], []
    scope = Enterprise.objects.filter(federation=district)
    for index, (obj, p) in enumerate(zip(objs, plan.policies, strict=True)):
        if p.push_on is None:
            continue
        rng = random.Random(f"{plan.seed}:{index}")
        pushed_at = datetime.combine(p.push_on, PUSH_HOUR, tz)
        targets = (matching.enterprises_for_policy(obj, on=p.push_on, queryset=scope).order_by("pk")
                   .values_list("pk", flat=True).iterator(chunk_size=FLUSH_ROWS))
        for enterprise in targets:
            read_at = None
            if enterprise == ent1 and p.for_ent1:
                if p.ent1_read:
                    read_at = pushed_at + timedelta(hours=2 + rng.randrange(20))
            elif rng.random() < p.read_share:
                read_at = pushed_at + timedelta(minutes=rng.randrange(10, 60 * 24 * rng.choice((1, 3, 10))))
            if read_at is not None and read_at >= end:
                read_at = None
            reader = ent1_user.pk if read_at is not None and enterprise == ent1 else None
            deliveries.append((obj.pk, enterprise, pushed_at, staff.pk if staff else None, read_at, reader))
            if len(deliveries) >= FLUSH_ROWS:
                flush(deliveries)
                deliveries = []
            if enterprise == ent1 and ent1_user is not None:
                messages.append((ent1_user.pk, "policy", f"为您推荐惠企政策：{obj.title}", obj.summary[:200],
                                 reverse("policies:h5_detail", args=[obj.pk]), pushed_at, read_at))
    flush(deliveries)
    return messages


# --- Reporting -------------------------------------------------------------------------------------
def counts():
    deliveries = PolicyDelivery.objects.all()
    return [
        ("惠企政策", Policy.objects.count()),
        ("惠企政策（已发布、在有效期内）", Policy.objects.live().count()),
        ("政策服务包", PolicyPackage.objects.count()),
        ("政策推送", deliveries.count()),
        ("政策推送（已读）", deliveries.filter(read_at__isnull=False).count()),
    ]


@register("policies", after=("members",), counts=counts)
def seed(run):
    """`seed_demo`'s step: the policy library up to today, pushed to the enterprises each policy matched."""
    if not run.extra:
        return build(run.results["members"], end=run.today)
    progress = run.progress("惠企政策")
    plan = build(run.results["members"], end=run.today, progress=progress)
    if run.report is not None:
        run.report(progress.line("  惠企政策：完成 "))
    return plan
