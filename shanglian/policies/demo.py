"""Demo policies: the demo district's policy library (惠企政策), built on the members demo.

Like `members.demo` and `appeals.demo`, two steps:

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
from shanglian.demo.registry import register
from shanglian.members import demo as members_demo
from shanglian.members.models import Enterprise
from shanglian.notifications.models import Notification
from shanglian.orgs.models import Department, Street

from . import matching
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

# --- Texts ---------------------------------------------------------------------------------------
# (department short name, 文号 prefix)
ISSUERS = {
    "区税务局": "津河税发", "区人社局": "河西人社发", "区市场监管局": "河西市监发", "区法院": "河西法发",
    "区检察院": "河西检发", "区公安分局": "河西公发", "区住建委": "河西建发", "区商务局": "河西商务发",
    "区发改委": "河西发改", "区科技局": "河西科发", "区财政局": "河西财发", "区司法局": "河西司发",
    "区生态环境局": "河西环发", "区城管委": "河西城管发", "区卫健委": "河西卫健发", "区教育局": "河西教发",
    "区金融局": "河西金融发", "区政务服务办": "河西政务发", "区规划资源局": "规资河西发", "区应急局": "河西应急发",
}

# Eligibility profiles: (industries, sizes, enterprise types, high tech, employees range, years range,
# members only, what the policy is for — a phrase for the texts).
PROFILES = {
    "any": ((), (), (), False, (None, None), (None, None), False, "在我区依法登记注册的各类企业"),
    "micro": ((), ("small", "micro"), (), False, (None, None), (None, None), False, "小型、微型企业"),
    "individual": ((), (), ("individual",), False, (None, None), (None, None), False, "个体工商户"),
    "private": ((), (), ("private",), False, (None, None), (None, None), False, "民营企业"),
    "tech": (("I", "M"), ("medium", "small", "micro"), (), False, (None, None), (None, None), False,
             "信息技术服务和科技服务类中小企业"),
    "hightech": ((), (), (), True, (None, None), (None, None), False, "高新技术企业"),
    "srdi": (("C", "I"), ("medium", "small"), (), False, (None, None), (3, None), False,
             "成立满三年的制造业和软件信息业中小企业"),
    "startup": ((), ("small", "micro"), (), False, (None, None), (None, 3), False, "成立不满三年的初创企业"),
    "jobs": ((), (), (), False, (5, None), (None, None), False, "参加失业保险、从业人员 5 人以上的企业"),
    "bigjobs": ((), (), (), False, (50, None), (None, None), False, "从业人员 50 人以上的企业"),
    "trade": (("F",), (), (), False, (None, None), (None, None), False, "批发和零售业企业"),
    "catering": (("H",), (), (), False, (None, None), (None, None), False, "住宿和餐饮业经营主体"),
    "building": (("E",), (), (), False, (None, None), (None, None), False, "建筑业企业"),
    "property": (("K", "L"), (), (), False, (None, None), (None, None), False, "房地产和商务服务业企业"),
    "culture": (("R",), (), (), False, (None, None), (None, None), False, "文化、体育和娱乐业企业"),
    "health": (("Q",), (), (), False, (None, None), (None, None), False, "卫生和社会工作领域经营主体"),
    "education": (("P",), (), (), False, (None, None), (None, None), False, "教育培训机构"),
    "logistics": (("G",), (), (), False, (None, None), (None, None), False, "交通运输、仓储和邮政业企业"),
    "manufacturing": (("C",), (), (), False, (None, None), (None, None), False, "制造业企业"),
    "members": ((), (), (), False, (None, None), (None, None), True, "区工商联会员企业"),
    "smallfinance": ((), ("small", "micro"), (), False, (None, 300), (1, None), False,
                     "从业人员 300 人以下、成立满一年的小微企业"),
}

# (department, title — {y} the year, benefit type, profile, packages, what it gives)
THEMES = [
    ("区科技局", "河西区支持科技型中小企业发展若干措施", "innovation", "tech", ("科技创新服务包",),
     "研发投入后补助，最高 50 万元"),
    ("区科技局", "河西区高新技术企业认定奖励办法", "innovation", "hightech", ("科技创新服务包", "专精特新服务包"),
     "首次认定奖励 20 万元、重新认定奖励 10 万元"),
    ("区科技局", "{y}年度河西区科技型中小企业评价入库工作指南", "innovation", "tech", ("科技创新服务包",),
     "入库企业享受研发费用加计扣除等政策"),
    ("区科技局", "河西区科技成果转化项目资助管理办法", "subsidy", "hightech", ("科技创新服务包",),
     "按技术合同成交额的 5% 给予资助，最高 30 万元"),
    ("区科技局", "河西区企业研发机构建设奖励实施细则", "innovation", "srdi", ("专精特新服务包",),
     "新认定的市级企业技术中心奖励 30 万元"),
    ("区科技局", "河西区众创空间和孵化器扶持办法", "land", "startup", ("初创企业服务包",),
     "入孵企业两年内房租减半"),
    ("区发改委", "河西区促进民营经济高质量发展若干措施", "subsidy", "private", (),
     "在要素保障、融资、市场准入等方面给予支持"),
    ("区发改委", "河西区专精特新中小企业培育实施方案", "subsidy", "srdi", ("专精特新服务包",),
     "新认定的国家级专精特新“小巨人”企业奖励 100 万元"),
    ("区发改委", "{y}年河西区重点项目前期工作补助申报指南", "subsidy", "bigjobs", (),
     "按前期费用的 30% 给予补助"),
    ("区发改委", "河西区促进楼宇经济发展扶持办法", "land", "property", (),
     "对新入驻重点楼宇的企业给予三年租金补贴"),
    ("区发改委", "河西区以工代赈项目实施管理办法", "employment", "building", ("稳岗就业服务包",),
     "吸纳当地务工人员并发放劳务报酬"),
    ("区商务局", "河西区促进消费提质扩容若干措施", "market", "trade", (),
     "组织促消费活动并给予参与企业活动补贴"),
    ("区商务局", "河西区外贸企业开拓国际市场支持政策", "market", "trade", ("外贸企业服务包",),
     "境外展会展位费补贴 70%，出口信用保险保费补贴 50%"),
    ("区商务局", "{y}年河西区餐饮行业提振消费活动实施方案", "market", "catering", ("小微企业纾困服务包",),
     "参与“美食节”活动的餐饮企业给予推广补贴"),
    ("区商务局", "河西区老字号企业传承发展扶持办法", "subsidy", "trade", (),
     "老字号门店改造给予 20 万元以内补贴"),
    ("区商务局", "河西区跨境电商发展专项资金管理办法", "market", "trade", ("外贸企业服务包",),
     "跨境电商平台入驻费和海外仓租金补贴"),
    ("区商务局", "河西区夜间经济发展扶持措施", "market", "catering", (),
     "夜间经营的特色街区商户给予亮化补贴"),
    ("区人社局", "{y}年失业保险稳岗返还政策", "employment", "jobs", ("稳岗就业服务包",),
     "中小微企业按上年度实际缴纳失业保险费的 60% 返还"),
    ("区人社局", "河西区企业吸纳高校毕业生就业补贴办法", "employment", "any", ("稳岗就业服务包",),
     "吸纳毕业年度高校毕业生按每人 1500 元给予一次性扩岗补助"),
    ("区人社局", "河西区职业技能提升行动补贴实施细则", "talent", "jobs", ("稳岗就业服务包",),
     "企业职工取得职业资格证书的给予培训补贴"),
    ("区人社局", "河西区创业担保贷款及贴息管理办法", "finance", "startup", ("初创企业服务包",),
     "个人最高 30 万元、小微企业最高 400 万元创业担保贷款并贴息"),
    ("区人社局", "河西区就业见习基地认定和见习补贴办法", "employment", "bigjobs", ("稳岗就业服务包",),
     "按当地最低工资标准的 70% 给予见习补贴"),
    ("区人社局", "河西区高层次人才引进和服务保障办法", "talent", "hightech", ("科技创新服务包",),
     "引进的高层次人才给予安家补贴和子女入学保障"),
    ("区人社局", "{y}年度河西区社会保险费缓缴政策", "employment", "micro", ("小微企业纾困服务包",),
     "困难小微企业可申请缓缴养老、失业、工伤保险单位缴费部分"),
    ("区税务局", "小微企业和个体工商户所得税优惠政策指引（{y}年版）", "tax", "micro", ("小微企业纾困服务包",),
     "年应纳税所得额不超过 300 万元的部分减按 25% 计入并按 20% 税率缴纳"),
    ("区税务局", "研发费用税前加计扣除政策指引（{y}年版）", "tax", "tech", ("科技创新服务包", "专精特新服务包"),
     "研发费用按实际发生额的 100% 在税前加计扣除"),
    ("区税务局", "增值税小规模纳税人减免政策指引（{y}年版）", "tax", "micro", ("小微企业纾困服务包",),
     "月销售额 10 万元以下免征增值税"),
    ("区税务局", "“六税两费”减半征收政策指引（{y}年版）", "tax", "micro", ("小微企业纾困服务包",),
     "小规模纳税人、小型微利企业和个体工商户减半征收“六税两费”"),
    ("区税务局", "个体工商户个人所得税减半征收政策指引（{y}年版）", "tax", "individual", ("小微企业纾困服务包",),
     "年应纳税所得额不超过 200 万元的部分减半征收个人所得税"),
    ("区税务局", "增值税期末留抵退税政策指引（{y}年版）", "tax", "manufacturing", ("专精特新服务包",),
     "符合条件的制造业企业按月退还增量留抵税额"),
    ("区税务局", "高新技术企业所得税优惠政策指引（{y}年版）", "tax", "hightech", ("科技创新服务包",),
     "减按 15% 的税率征收企业所得税"),
    ("区财政局", "河西区政府采购支持中小企业发展实施办法", "market", "micro", ("小微企业纾困服务包",),
     "预留采购份额专门面向中小企业，小微企业报价给予 10% 扣除"),
    ("区财政局", "河西区中小企业融资担保费补贴办法", "finance", "smallfinance", ("小微企业纾困服务包",),
     "担保费率超过 1% 的部分由财政补贴"),
    ("区财政局", "河西区产业发展专项资金管理办法", "subsidy", "any", (),
     "对符合产业导向的项目给予专项资金支持"),
    ("区金融局", "河西区小微企业首贷续贷支持措施", "finance", "smallfinance", ("小微企业纾困服务包", "初创企业服务包"),
     "首贷企业给予贷款利息 30% 的贴息"),
    ("区金融局", "河西区企业上市挂牌奖励办法", "finance", "srdi", ("专精特新服务包",),
     "境内外首发上市分阶段奖励最高 500 万元"),
    ("区金融局", "河西区“信易贷”平台推广应用实施方案", "finance", "private", (),
     "依托信用信息为企业提供无抵押信用贷款"),
    ("区金融局", "河西区会员企业融资服务直通车工作方案", "finance", "members", (),
     "商会会员企业享受合作银行优惠利率和快速审批通道"),
    ("区市场监管局", "河西区个体工商户分型分类精准帮扶措施", "service", "individual", ("小微企业纾困服务包",),
     "对“名特优新”个体工商户给予培育扶持"),
    ("区市场监管局", "河西区知识产权资助和奖励办法", "innovation", "tech", ("科技创新服务包",),
     "发明专利授权每件资助 3000 元"),
    ("区市场监管局", "河西区“个转企”扶持措施", "subsidy", "individual", ("初创企业服务包",),
     "“个转企”后首年给予一次性奖励 1 万元"),
    ("区市场监管局", "河西区质量品牌提升奖励办法", "subsidy", "manufacturing", ("专精特新服务包",),
     "获得市级以上质量奖的企业给予奖励"),
    ("区市场监管局", "河西区轻微违法行为不予处罚清单（{y}年版）", "service", "any", (),
     "首次轻微违法且及时改正的不予行政处罚"),
    ("区政务服务办", "河西区企业开办“一网通办”服务指南", "service", "startup", ("初创企业服务包",),
     "企业开办全流程 1 个工作日内办结，免费刻制印章"),
    ("区政务服务办", "河西区涉企审批“容缺受理”实施办法", "service", "any", (),
     "主要申请材料齐全的先行受理、限期补正"),
    ("区政务服务办", "河西区惠企政策“免申即享”工作方案", "service", "any", (),
     "通过数据比对主动兑现符合条件企业的政策资金"),
    ("区住建委", "河西区建筑业企业做大做强奖励办法", "subsidy", "building", (),
     "年产值首次突破 10 亿元的建筑业企业给予奖励"),
    ("区住建委", "河西区老旧小区改造社会资本参与支持措施", "land", "building", (),
     "参与改造的企业享受经营性设施使用权"),
    ("区住建委", "河西区人才公寓申请和管理办法", "talent", "hightech", ("科技创新服务包",),
     "重点企业人才可申请入住人才公寓，租金优惠 30%"),
    ("区规划资源局", "河西区产业用地弹性年期出让实施办法", "land", "manufacturing", (),
     "工业用地可按 20 年弹性年期出让，降低用地成本"),
    ("区规划资源局", "河西区存量低效用地盘活支持措施", "land", "property", (),
     "存量用地转型发展的给予规划支持"),
    ("区生态环境局", "河西区环评审批正面清单（{y}年版）", "service", "manufacturing", (),
     "清单内项目豁免环评手续或实行告知承诺制"),
    ("区生态环境局", "河西区企业绿色低碳转型扶持办法", "subsidy", "manufacturing", (),
     "节能降碳改造项目按投资额的 10% 给予补助"),
    ("区城管委", "河西区户外招牌设置便利化措施", "service", "catering", (),
     "门店招牌设置实行告知承诺，即报即办"),
    ("区城管委", "河西区“外摆经营”规范管理试点方案", "market", "catering", ("小微企业纾困服务包",),
     "在试点街区允许餐饮商户规范外摆经营"),
    ("区卫健委", "河西区社会办医疗机构扶持办法", "subsidy", "health", (),
     "新设社会办医疗机构给予开办补贴"),
    ("区卫健委", "河西区托育机构建设运营补贴办法", "subsidy", "health", (),
     "普惠性托位按每个 1 万元给予建设补贴"),
    ("区教育局", "河西区校外培训机构规范发展指引", "service", "education", (),
     "非学科类培训机构审批一次告知、限时办结"),
    ("区教育局", "河西区产教融合型企业认定和奖励办法", "talent", "manufacturing", ("稳岗就业服务包",),
     "认定的产教融合型企业给予奖励并享受税费优惠"),
    ("区司法局", "河西区民营企业法治体检服务方案", "service", "private", (),
     "组织律师为民营企业免费开展法治体检"),
    ("区司法局", "河西区涉企公共法律服务清单（{y}年版）", "service", "any", (),
     "提供免费法律咨询、合同审查和纠纷调解"),
    ("区法院", "河西区人民法院服务保障民营经济发展十条措施", "service", "private", (),
     "涉企案件快立快审快执，慎用查封扣押冻结措施"),
    ("区检察院", "河西区人民检察院依法保护民营企业产权和企业家权益工作意见", "service", "private", (),
     "依法平等保护民营企业产权和企业家合法权益"),
    ("区公安分局", "河西区公安分局服务企业发展十二条措施", "service", "any", (),
     "涉企警情快速响应，企业办事“一次办好”"),
    ("区应急局", "河西区中小企业安全生产标准化建设补助办法", "subsidy", "manufacturing", (),
     "通过安全生产标准化三级达标的给予补助"),
    ("区应急局", "河西区企业安全生产责任保险推广实施方案", "subsidy", "logistics", (),
     "投保安全生产责任险的给予保费补贴"),
    ("区商务局", "河西区现代物流业发展扶持办法", "subsidy", "logistics", (),
     "新建冷链物流设施按投资额给予补贴"),
    ("区科技局", "河西区文化和科技融合发展扶持措施", "innovation", "culture", (),
     "数字文化创意项目给予资金支持"),
]

PACKAGES = [
    ("专精特新服务包", "面向专精特新中小企业：培育认定、研发奖励、上市挂牌和融资支持。"),
    ("初创企业服务包", "面向成立不满三年的初创企业：开办便利、孵化场地、创业担保贷款。"),
    ("稳岗就业服务包", "稳岗返还、扩岗补助、技能培训和见习补贴，帮助企业稳定用工。"),
    ("科技创新服务包", "高新技术企业认定、研发费用加计扣除、科技成果转化和人才支持。"),
    ("小微企业纾困服务包", "税费减免、融资担保、社保缓缴等小微企业和个体工商户纾困政策。"),
    ("外贸企业服务包", "境外展会、出口信用保险和跨境电商支持政策。"),
]

BENEFIT_WORDS = {"subsidy": "资金补贴", "tax": "税费减免", "finance": "融资支持", "talent": "人才支持",
                 "innovation": "科技创新支持", "land": "用地用房保障", "market": "市场开拓支持",
                 "employment": "稳岗就业支持", "service": "政务服务便利", "other": "支持"}


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
            status = Policy.Status.EXPIRED if expires is not None and expires < end else Policy.Status.PUBLISHED
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
def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None):
    """Save the policies, packages and pushes of the demo district `result` (members.demo.build's)."""
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
        deliveries, messages = _pushes(plan, objs, district, staff, ent1, ent1_user, tz)
        insert_rows(PolicyDelivery, ["policy", "enterprise", "pushed_at", "pushed_by", "read_at", "read_by"],
                    deliveries)
        insert_rows(Notification, ["recipient", "kind", "title", "body", "url", "created_at", "read_at"], messages)
    return plan


def _pushes(plan, objs, district, staff, ent1, ent1_user, tz):
    """The deliveries of each pushed policy to the enterprises it matched on its push day, with reads."""
    end = datetime.combine(plan.end, time(0), tz)
    deliveries, messages = [], []
    scope = Enterprise.objects.filter(federation=district)
    for index, (obj, p) in enumerate(zip(objs, plan.policies, strict=True)):
        if p.push_on is None:
            continue
        rng = random.Random(f"{plan.seed}:{index}")
        pushed_at = datetime.combine(p.push_on, PUSH_HOUR, tz)
        targets = sorted(matching.enterprises_for_policy(obj, on=p.push_on, queryset=scope)
                         .values_list("pk", flat=True))
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
            if enterprise == ent1 and ent1_user is not None:
                messages.append((ent1_user.pk, "policy", f"为您推荐惠企政策：{obj.title}", obj.summary[:200],
                                 reverse("policies:h5_detail", args=[obj.pk]), pushed_at, read_at))
    return deliveries, messages


# --- Reporting -------------------------------------------------------------------------------------
def counts():
    deliveries = PolicyDelivery.objects.all()
    return [
        ("惠企政策", Policy.objects.count()),
        ("惠企政策（已发布、在有效期内）", Policy.objects.filter(matching.live_q()).count()),
        ("政策服务包", PolicyPackage.objects.count()),
        ("政策推送", deliveries.count()),
        ("政策推送（已读）", deliveries.filter(read_at__isnull=False).count()),
    ]


@register("policies", after=("members",), counts=counts)
def seed(run):
    """`seed_demo`'s step: the policy library up to today, pushed to the enterprises each policy matched."""
    return build(run.results["members"], end=run.today)
