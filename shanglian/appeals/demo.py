"""Demo appeals: a year of the demo district's service desk (诉求), built on the members demo.

Like `members.demo`, two steps:

- `generate(members_plan, end=..., seed=...)` draws every appeal's life from one `random.Random`
  into an `AppealsPlan` of plain values. It reads only the category dictionary and the working-day
  calendar; the same members plan, seed and `end` give the same plan (`fingerprint()`), whatever the
  day it runs on.
- `build(result, end=...)` saves a plan with bulk inserts and sets the `SQ<yyyymmdd>` counters.

Each appeal is lived step by step by `_Life`, whose methods mirror `services.py` (the same statuses,
assignment states, deadlines, timeline notes and ratings), and stops at `end` 00:01: what would
happen later is not written, so the appeals of the last days are still open — waiting to be
accepted, dispatched, signed for or replied to — and their deadlines straddle `end`. The sweep of
`tasks.py` (every 15 minutes) is lived too: an open appeal is 督办 the night its deadline passes, and
a department late to sign for one gets its reminder.

`seed_demo` passes `end` = the day it runs, so the 即将超期 / 已超期 queues of a fresh demo show
something today; the members demo stays fixed at `members.demo.AS_OF`, which is this module's
default `end`.

Demo logins act where they exist (staff accepts and dispatches, dept1 signs for and replies for
区税务局, ent1 submits and rates, leader supervises); other departments and enterprises have no user
in the demo, so their steps carry the department's contact person or the enterprise's contact as
the actor's name with no user, as an import from another system would.
"""

import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from shanglian.common.models import NumberSequence
from shanglian.common.workdays import SOURCE_FALLBACK, WorkdayCalendar, WorkdayResult
from shanglian.demo.registry import register
from shanglian.members import demo as members_demo
from shanglian.members.models import Enterprise, Person
from shanglian.orgs.models import Department

from .models import (
    OPEN_STATES,
    Appeal,
    AppealCategory,
    Assignment,
    Channel,
    ExtensionRequest,
    MediationResult,
    Rating,
    RatingRecord,
    Status,
    TimelineEntry,
    Urgency,
)
from .services import ACTION_LABELS

__all__ = ["AppealsPlan", "build", "counts", "generate"]

DEMO_SEED = members_demo.DEMO_SEED + 4  # the appeals' own stream: the members plan is unchanged
APPEALS_PER_ENTERPRISE = 0.85  # ≈ 1,275 appeals for the default 1,500 enterprises
MIN_APPEALS = 300  # a small demo still has enough for every queue and KPI
DAY_START, DAY_END = time(9), time(17)  # working hours, as in add_working_hours

# --- Shares that make the KPIs (tuned: 满意度 ≈ 97 分, 按时办理率 ≈ 97–98 %) -------------------------
REJECT_SHARE = 0.03
TWO_DEPARTMENTS_SHARE = 0.08  # when the template names more than one department
RETURN_SHARE = 0.025
LATE_SIGN_SHARE = 0.05
EXTENSION_SHARE = 0.06
EXTENSION_APPROVED_SHARE = 0.85
LATE_SHARE = 0.02
LATE_SHARE_RECENT = 0.3  # appeals of the last three weeks: a handful overdue now
LEADER_SUPERVISE_SHARE = 0.012
SELF_RATING = {Channel.PLATFORM: 0.8}  # the enterprise rates on the H5 page; otherwise a 回访 call
SELF_RATING_OTHER = 0.35
RATINGS = [(Rating.SATISFIED, 91), (Rating.BASICALLY, 7.5), (Rating.UNSATISFIED, 1.5)]
RATINGS_AFTER_REOPEN = [(Rating.SATISFIED, 70), (Rating.BASICALLY, 30)]
REOPEN_WHEN_UNSATISFIED = 0.7

CATEGORY_WEIGHTS = {"consult": 14, "finance": 12, "labour": 12, "approval": 12, "utilities": 8, "land": 6,
                    "market": 7, "innovation": 7, "suggestion": 6, "complaint": 6, "rights": 10}
CHANNELS = [(Channel.PLATFORM, 60), (Channel.PHONE, 15), (Channel.VISIT, 10), (Channel.EVENT, 8),
            (Channel.LETTER, 4), (Channel.OTHER, 3)]
# Appeals per month (relative, by month of the year): quiet around 春节 and in August.
MONTH_WEIGHTS = {1: 8, 2: 5, 3: 11, 4: 11, 5: 10, 6: 11, 7: 9, 8: 7, 9: 10, 10: 8, 11: 11, 12: 9}
EVENT_NOTES = ["{y}年{m}月民营企业诉求恳谈会", "第{n}期“政企早餐会”", "{y}年{m}月“双万双服”企业座谈会",
               "{y}年{m}月新生代企业家座谈会", "商会会长联席会议（{y}年{m}月）"]
VISIT_NOTES = ["区领导包联走访（{street}）", "“双万双服”入企走访（{street}）", "工商联班子成员走访（{street}）"]

# --- Texts ---------------------------------------------------------------------------------------
# Per category: (title, content, reply, departments by short name). Placeholders: {ent} enterprise,
# {road} a road of its street, {n} a count, {wan} an amount in 万元, {month}, {dept} the replying
# department (short name).
TEMPLATES = {
    "consult": [
        ("研发费用加计扣除政策适用咨询",
         "我公司{ent}为科技型中小企业，今年研发投入约{wan}万元，想了解研发费用加计扣除的比例、"
         "可加计的费用范围以及在季度预缴时能否享受，请给予政策辅导。",
         "{dept}答复：科技型中小企业研发费用按实际发生额的100%在税前加计扣除，可在7月、10月预缴申报时"
         "享受。已安排税收管理员上门辅导归集口径，并提供《研发支出辅助账》模板。", ["区税务局"]),
        ("小规模纳税人增值税减免政策咨询",
         "{ent}是小规模纳税人，月销售额在10万元上下浮动，想确认增值税减免和“六税两费”减半政策"
         "的适用条件，以及开具专用发票后是否还能享受。",
         "{dept}答复：月销售额10万元以下（季度30万元以下）免征增值税；开具增值税专用发票的部分"
         "应按规定缴税。“六税两费”减半征收可同时享受。已通过电子税务局推送政策解读。", ["区税务局"]),
        ("稳岗返还和社保补贴政策咨询",
         "我单位{ent}现有员工{n}人，去年未裁员，想了解失业保险稳岗返还的申领条件、返还比例和办理渠道。",
         "{dept}答复：经核查，贵单位符合稳岗返还条件，按“免申即享”方式办理，资金将于本月内直接"
         "拨付至单位基本账户，无需另行申请。", ["区人社局"]),
        ("个体工商户转企业政策咨询",
         "{ent}经营规模扩大，打算“个转企”，想了解变更登记需要的材料、原有许可能否延续以及有无扶持政策。",
         "{dept}答复：“个转企”可在政务服务中心一窗办理，原名称字号和行政许可可延续使用，"
         "已将材料清单和扶持政策告知企业，并安排专人全程帮办。", ["区市场监管局", "区政务服务办"]),
        ("外贸企业出口信用保险支持政策咨询",
         "{ent}今年开拓东南亚市场，出口额预计{wan}万元，想咨询出口信用保险保费补贴和展会补贴政策。",
         "{dept}答复：中小微外贸企业投保短期出口信用保险可享受保费补贴，参加境外展会可申请展位费"
         "补贴。已将申报通知和联系人告知企业。", ["区商务局"]),
        ("高新技术企业认定条件咨询",
         "{ent}拥有软件著作权{n}项，想了解申报高新技术企业的条件、时间安排和需要准备的材料。",
         "{dept}答复：已对照认定条件为企业做初步评估，知识产权和研发费用占比基本符合要求，"
         "建议补充科技成果转化材料，今年第二批申报将于近期启动，已纳入培育库跟踪服务。", ["区科技局"]),
    ],
    "finance": [
        ("申请科技型中小企业贷款贴息",
         "{ent}为入库科技型中小企业，今年向银行贷款{wan}万元用于研发设备购置，想申请科技型中小企业"
         "贷款贴息，请帮助了解申报流程和时限。",
         "{dept}答复：贵企业符合贴息条件，已指导企业在线提交贷款合同和付息凭证，预计下季度"
         "完成审核并拨付贴息资金。", ["区科技局", "区金融局", "区财政局"]),
        ("流动资金紧张，希望对接银行信用贷款",
         "受下游回款周期拉长影响，{ent}流动资金缺口约{wan}万元，缺少抵押物，希望帮助对接银行"
         "信用贷款或政策性担保。",
         "{dept}答复：已组织三家合作银行与企业对接，其中一家银行根据纳税信用评级给予“信易贷”"
         "授信，首笔款项已放款。", ["区金融局"]),
        ("申请增值税留抵退税",
         "{ent}前期购进设备形成较大留抵税额，约{wan}万元，想尽快申请留抵退税缓解资金压力。",
         "{dept}答复：经审核，企业符合增量留抵退税条件，已受理退税申请，退税款将在审核通过后"
         "直接退还至企业账户。", ["区税务局"]),
        ("首贷续贷遇到困难，请求协调",
         "{ent}原有贷款{wan}万元即将到期，银行提出需先还后贷，企业筹措过桥资金困难，请求协调"
         "无还本续贷。",
         "{dept}答复：已协调贷款银行开展无还本续贷评估，企业经营正常、纳税信用良好，银行同意"
         "办理续贷，避免了资金链断裂。", ["区金融局"]),
        ("创业担保贷款申请进度咨询",
         "{ent}负责人为返乡创业人员，上月提交了创业担保贷款申请（{wan}万元），至今未收到审核结果，"
         "请帮助了解进度。",
         "{dept}答复：经查询，申请材料缺少营业执照副本复印件，已电话告知企业补充，补齐后五个"
         "工作日内完成审核。", ["区人社局", "区财政局"]),
    ],
    "labour": [
        ("急需数控技工，请求帮助招聘",
         "{ent}新接订单较多，急需数控车床操作工和加工中心技工{n}名，多次在网上发布招聘信息效果不佳，"
         "请求帮助对接职业院校和人力资源市场。",
         "{dept}答复：已将企业岗位信息纳入本月专场招聘会，并推荐两所职业院校开展校企合作，"
         "首批已有多名学员到企业面试。", ["区人社局"]),
        ("申请以工代训和职业技能培训补贴",
         "{ent}今年组织新录用员工{n}人参加岗前技能培训，想了解职业技能培训补贴的申请条件和材料。",
         "{dept}答复：企业组织的岗前培训符合补贴条件，已指导企业通过线上平台备案培训计划，"
         "培训结束考核合格后可申请补贴。", ["区人社局"]),
        ("高校毕业生招聘和见习岗位需求",
         "{ent}计划招聘应届高校毕业生{n}名（软件开发、财务方向），希望参加高校毕业生专场招聘，"
         "并申报就业见习基地。",
         "{dept}答复：已将企业列入高校毕业生专场招聘参会名单，见习基地申报材料已受理，"
         "认定后可享受见习补贴。", ["区人社局"]),
        ("员工子女入学问题",
         "{ent}引进的{n}名技术骨干为外地户籍，子女今年秋季入学，想了解随迁子女入学政策，"
         "希望帮助协调就近入学。",
         "{dept}答复：已将企业人才子女入学需求纳入统筹安排，符合条件的随迁子女按政策就近"
         "入学，已告知企业报名时间和材料。", ["区教育局", "区人社局"]),
        ("劳务派遣用工备案咨询",
         "{ent}因季节性用工需要使用劳务派遣人员约{n}人，想了解用工比例限制和备案要求，避免违规。",
         "{dept}答复：劳务派遣用工数量不得超过用工总量的10%，已向企业说明相关规定并提供合规"
         "用工指引。", ["区人社局"]),
    ],
    "approval": [
        ("食品经营许可证变更办理时间长",
         "{ent}门店搬迁至{road}，申请食品经营许可证地址变更已近两周，尚未完成现场核查，影响开业，"
         "请求协调加快办理。",
         "{dept}答复：已安排执法人员于次日完成现场核查，许可证变更已办结，企业可正常营业。",
         ["区市场监管局"]),
        ("数电发票开票额度不足",
         "{ent}业务量增长，数电发票月度开票额度不够用，影响向客户开票结算，请求调整额度。",
         "{dept}答复：已根据企业纳税信用和经营情况为其临时调增开票额度，并说明了额度动态调整机制。",
         ["区税务局"]),
        ("装修工程施工许可办理咨询",
         "{ent}承租{road}商业用房进行内部装修，面积约{n}平方米，想了解是否需要办理施工许可以及"
         "消防审验的办理流程。",
         "{dept}答复：已告知企业施工许可和消防设计审查的办理条件，企业已在线提交申请，"
         "采取容缺受理方式办理。", ["区住建委", "区政务服务办"]),
        ("环评审批手续咨询",
         "{ent}拟新增一条小型生产线，想了解环境影响评价的类别和审批时限，以及能否告知承诺审批。",
         "{dept}答复：经对照名录，该项目属于登记表类别，实行备案管理，已指导企业在线完成备案。",
         ["区生态环境局"]),
        ("医疗机构执业登记审批进度",
         "{ent}筹建的门诊部已完成装修，执业登记申请提交后尚未安排现场审核，请帮助了解进度。",
         "{dept}答复：已安排专家于本周完成现场审核，材料齐全的当日核发执业许可证。", ["区卫健委"]),
        ("申请办理涉税证明",
         "{ent}参加政府采购投标，需要开具无欠税证明，想了解线上办理渠道。",
         "{dept}答复：无欠税证明可在电子税务局即时开具，已远程指导企业完成办理。", ["区税务局"]),
    ],
    "utilities": [
        ("厂区电力增容申请",
         "{ent}新增生产设备后用电负荷不足，需将厂区变压器由{n}千伏安增容，已向供电公司提出申请，"
         "希望加快方案答复和施工进度。",
         "{dept}答复：已协调供电公司开辟绿色通道，现场勘察和供电方案已确定，计划在两周内完成"
         "增容施工送电。", ["区发改委"]),
        ("门前道路积水影响经营",
         "{ent}位于{road}，每逢降雨门前道路严重积水，顾客无法进店，请求疏通排水设施。",
         "{dept}答复：已安排排水养护单位对该路段雨水管道进行疏掏，并增设收水井两处，积水问题已解决。",
         ["区城管委"]),
        ("天然气接入办理缓慢",
         "{ent}新开餐饮门店需接入天然气，报装后燃气公司迟迟未安排施工，影响开业计划。",
         "{dept}答复：已协调燃气公司现场勘查并确定施工方案，燃气管线已完成接入并通气。",
         ["区城管委", "区住建委"]),
        ("写字楼冬季供暖温度不达标",
         "{ent}所在{road}写字楼冬季室温长期低于18摄氏度，员工办公受影响，多次反映物业未解决。",
         "{dept}答复：已约谈供热单位和物业公司，对管网进行排气和平衡调节，经回访测温已达标。",
         ["区住建委"]),
        ("供水管网改造后水压偏低",
         "{ent}生产用水水压明显不足，影响清洗工序，请求协调供水部门检查管网。",
         "{dept}答复：经供水部门检测，系片区改造后阀门未完全开启所致，已调整完毕，水压恢复正常。",
         ["区城管委"]),
    ],
    "land": [
        ("租赁厂房到期，需要新的生产场地",
         "{ent}现租赁厂房明年到期，出租方不再续租，企业需要{n}平方米左右的生产和仓储空间，"
         "希望帮助推荐合适的载体。",
         "{dept}答复：已向企业推送区内三处可租赁的产业载体信息，并陪同企业实地查看，"
         "企业已与其中一处达成意向。", ["区商务局", "区规划资源局"]),
        ("老旧厂房改造审批咨询",
         "{ent}计划对自有老旧厂房进行改造用于研发办公，想了解是否涉及用途变更和规划审批。",
         "{dept}答复：已就改造方案进行预审，在不改变土地用途的前提下可按程序办理，已告知企业"
         "办理流程。", ["区规划资源局", "区住建委"]),
        ("申请入驻产业园区",
         "{ent}为软件企业，员工{n}人，希望入驻区内数字经济产业园并享受租金减免政策。",
         "{dept}答复：企业符合园区产业定位，已推荐入驻并协调首年租金减免，入驻手续正在办理。",
         ["区商务局", "区科技局"]),
        ("不动产登记办理遇到困难",
         "{ent}购置的办公用房因开发商原因迟迟无法办理不动产权证，影响企业融资抵押。",
         "{dept}答复：已约谈开发企业并督促其补齐材料，登记中心开通专窗，产权证已办理完毕。",
         ["区规划资源局"]),
    ],
    "market": [
        ("希望参加政府采购和国企供需对接",
         "{ent}主营产品质量稳定，希望参加区里组织的国企与民企供需对接会，拓展本地市场。",
         "{dept}答复：已将企业纳入下期供需对接会参会名单，并推送政府采购意向公开信息。",
         ["区商务局"]),
        ("申请参加境外展会补贴",
         "{ent}计划参加东盟博览会，展位费约{wan}万元，想了解能否获得展会补贴。",
         "{dept}答复：该展会列入支持目录，企业参展后可申请展位费补贴，已告知申报时间和材料。",
         ["区商务局"]),
        ("老字号品牌推广支持",
         "{ent}经营多年，有意申报区级老字号，希望获得品牌推广和直播带货方面的支持。",
         "{dept}答复：已将企业纳入老字号培育名单，邀请企业参加本月“津门好物”直播推广活动。",
         ["区商务局"]),
        ("夜间经济外摆经营申请",
         "{ent}位于{road}，希望在夏季夜间开展外摆经营，想了解审批要求和规范。",
         "{dept}答复：该路段已纳入外摆试点区域，已指导企业签订外摆经营承诺书，按规定时段经营。",
         ["区城管委", "区商务局"]),
    ],
    "innovation": [
        ("科技型中小企业评价入库",
         "{ent}想申请科技型中小企业评价入库，对研发人员占比的计算口径不太清楚，请求辅导。",
         "{dept}答复：已组织专员对企业进行一对一辅导，企业已完成在线填报并通过评价入库。",
         ["区科技局"]),
        ("与高校开展产学研合作",
         "{ent}在新材料研发上遇到技术瓶颈，希望对接高校科研团队开展联合攻关。",
         "{dept}答复：已对接两所在津高校的相关团队，组织企业与专家座谈，双方已签订合作意向书。",
         ["区科技局"]),
        ("专利侵权预警和知识产权保护",
         "{ent}拥有发明专利{n}项，发现市场上出现疑似仿冒产品，希望获得知识产权保护指导。",
         "{dept}答复：已为企业提供专利侵权判定咨询，指导其向知识产权保护中心申请快速维权通道。",
         ["区市场监管局", "区科技局"]),
        ("申报市级企业技术中心",
         "{ent}研发团队{n}人，年研发投入{wan}万元，想申报市级企业技术中心，请帮助指导。",
         "{dept}答复：已将企业纳入申报培育名单，安排专家对申报材料进行预审并提出修改意见。",
         ["区科技局", "区发改委"]),
    ],
    "suggestion": [
        ("建议优化惠企政策兑现流程",
         "{ent}建议：目前部分惠企政策申报材料重复提交，兑现周期较长，建议推行“免申即享”和"
         "一网通办，缩短兑现时间。",
         "{dept}答复：感谢建议，我区已将12项政策纳入“免申即享”清单，后续将持续扩大范围。",
         ["区发改委", "区政务服务办"]),
        ("建议增加周边停车位",
         "{ent}所在{road}周边停车位紧张，员工和客户停车困难，建议增设公共停车泊位。",
         "{dept}答复：已对周边道路进行评估，拟在两条支路增设夜间及错时共享泊位，近期实施。",
         ["区城管委"]),
        ("建议延长纳税服务厅周末服务",
         "{ent}建议在申报期周末开放部分纳税服务窗口，方便个体工商户办理业务。",
         "{dept}答复：已在申报期设立“周末不打烊”服务窗口，并加强电子税务局远程帮办。",
         ["区税务局"]),
        ("建议开展民营企业家培训",
         "{ent}建议针对新生代企业家开展数字化转型和企业管理方面的专题培训。",
         "{dept}答复：已将建议纳入年度培训计划，下季度将举办数字化转型专题培训班。",
         ["区商务局", "区发改委"]),
    ],
    "complaint": [
        ("周边商户占道经营影响通行",
         "{ent}门前{road}有商户长期占道摆放货物，影响消防通道和顾客通行，多次协商无果。",
         "{dept}答复：执法人员已现场责令整改，占道物品已清理，并纳入日常巡查。", ["区城管委"]),
        ("遭遇不实网络差评和恶意索赔",
         "{ent}近期频繁遭遇同一人以“知假买假”为名恶意投诉索赔，并在网上发布不实评价，影响经营。",
         "{dept}答复：已依法核查相关投诉，对恶意投诉行为作出不予立案处理，并告知企业维权途径。",
         ["区市场监管局", "区公安分局"]),
        ("执法检查过于频繁",
         "{ent}反映本月已接受{n}次不同部门的检查，影响正常经营，希望推行“综合查一次”。",
         "{dept}答复：已将该企业纳入“综合查一次”联合检查名单，同一年度内原则上只检查一次。",
         ["区市场监管局", "区城管委"]),
        ("施工噪音扰民影响办公",
         "{ent}所在楼宇相邻工地夜间施工噪音大，影响员工休息和办公，请求依法查处。",
         "{dept}答复：已对施工单位夜间施工情况进行核查，责令其严格按照许可时段施工。",
         ["区生态环境局", "区住建委"]),
    ],
    "rights": [
        ("货款被拖欠，请求协助追讨",
         "{ent}向{counterpart}供货，累计{wan}万元货款逾期一年未付，多次催讨无果，请求工商联协助"
         "维权。",
         "{dept}答复：已组织双方进行诉前调解，明确了还款计划，对方同意分期支付欠款；调解不成的，"
         "将指导企业通过诉讼途径解决。", ["区法院", "区司法局"]),
        ("工程款被拖欠，影响农民工工资发放",
         "{ent}承建{counterpart}的装修工程已竣工验收，剩余工程款{wan}万元迟迟未结算，影响农民工"
         "工资发放。",
         "{dept}答复：已约谈建设单位，督促其按合同结算工程款并优先保障农民工工资，首笔款项已支付。",
         ["区住建委", "区人社局"]),
        ("合同纠纷寻求法律援助",
         "{ent}与{counterpart}因合同履行发生纠纷，涉及金额{wan}万元，企业缺少法务人员，希望获得"
         "法律援助和调解。",
         "{dept}答复：已安排公益律师为企业提供法律咨询，并引导双方到商会人民调解委员会进行调解。",
         ["区司法局"]),
        ("商标被仿冒，请求依法查处",
         "{ent}发现{counterpart}使用与本企业注册商标近似的标识销售同类商品，涉及金额约{wan}万元。",
         "{dept}答复：已对涉嫌侵权商品进行查扣并立案调查，侵权方已停止销售。",
         ["区市场监管局", "区公安分局"]),
        ("执行案件款项迟迟未到位",
         "{ent}与{counterpart}的买卖合同纠纷已胜诉，判决款{wan}万元申请执行半年仍未到位，"
         "请求协调加快执行。",
         "{dept}答复：已对该执行案件加大财产查控力度，查询到被执行人银行存款并予以冻结，"
         "执行款已部分到位。", ["区法院", "区检察院"]),
    ],
}
REJECT_REASONS = [
    "诉求内容与本企业已受理的诉求重复，已合并办理",
    "属于企业之间的正常商业纠纷，且已进入诉讼程序，不属于受理范围，已告知企业依法维权",
    "诉求内容不明确，已电话联系企业，企业表示暂无需办理",
    "所反映事项属于个人私事，不属于涉企诉求，已告知相关渠道",
]
RETURN_REASONS = [
    "该事项不属于本部门职责，建议派至{other}办理",
    "经核实，该事项由{other}主管，请重新派单",
]
EXTENSION_REASONS = ["涉及多个部门会商，需进一步协调", "需现场核查并等待第三方检测结果",
                     "涉及历史遗留问题，需调取档案材料", "需等待上级部门的政策口径"]
DENY_NOTES = ["期限内可以办结，请抓紧办理", "事项较为简单，不同意延期"]
UNSATISFIED_COMMENTS = ["问题没有实质解决，只是解释政策", "答复后仍未落实，希望再跟进",
                        "处理时间太长，结果不理想"]
PRAISE_COMMENTS = ["", "", "", "办理及时，感谢！", "工作人员很负责", "问题解决了，非常满意", "答复清楚"]
BASIC_COMMENTS = ["", "基本解决，希望后续继续跟进", "答复及时，但还有部分问题"]
CLOSE_NOTES = ["经回访，企业诉求已依法依规答复，剩余事项超出部门职权，已向企业解释，予以办结",
               "部门已两次答复，企业诉求中的补偿要求无政策依据，经集体研究予以办结"]
REOPEN_REASONS = ["企业反映问题未实际解决，要求重新办理", "答复未落实，需部门继续跟进"]
LEADER_NOTES = ["请加快办理，按期答复企业", "该诉求影响企业正常经营，请优先办理"]
PERSONS_IN_CASE = "张王李刘陈杨赵黄周吴"


# --- The plan ------------------------------------------------------------------------------------


@dataclass
class StepPlan:
    """One TimelineEntry. `actor` names a demo login ("staff", "dept1" …) or None."""

    at: datetime
    actor: str | None
    actor_name: str
    action: str
    from_status: str
    to_status: str
    department: int | None
    note: str


@dataclass
class ExtensionPlan:
    requested_by: str | None
    requested_at: datetime
    days: int
    reason: str
    old_deadline: date
    decision: str = ExtensionRequest.Decision.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    new_deadline: date | None = None


@dataclass
class AssignmentPlan:
    department: int
    round: int
    dispatched_by: str | None
    dispatched_at: datetime
    sign_deadline: datetime
    deadline: date
    deadline_provisional: bool
    state: str = Assignment.State.ASSIGNED
    accepted_at: datetime | None = None
    returned_at: datetime | None = None
    return_reason: str = ""
    replied_at: datetime | None = None
    replied_by: str | None = None
    reply: str = ""
    replied_on_time: bool | None = None
    working_days_to_reply: int | None = None
    sign_overdue_notified_at: datetime | None = None
    extensions: list = field(default_factory=list)


@dataclass
class RatingPlan:
    rating: str
    comment: str
    source: str
    rated_by: str | None
    rated_at: datetime
    round: int


@dataclass
class AppealPlan:
    enterprise: int
    person: int | None
    contact_name: str
    submitted_by: str | None
    channel: str
    category: str
    title: str
    content: str
    urgency: str
    source_note: str
    submitted_at: datetime
    counterpart: str = ""
    amount_involved: Decimal | None = None
    legal_aid_given: bool = False
    mediation_result: str = ""
    number: str = ""
    status: str = Status.SUBMITTED
    accepted_at: datetime | None = None
    first_dispatched_at: datetime | None = None
    deadline: date | None = None
    deadline_provisional: bool = False
    replied_at: datetime | None = None
    replied_on_time: bool | None = None
    closed_at: datetime | None = None
    rejected_reason: str = ""
    is_supervised: bool = False
    supervised_at: datetime | None = None
    reopen_count: int = 0
    rating: str = ""
    rated_at: datetime | None = None
    assignments: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    steps: list = field(default_factory=list)


@dataclass
class AppealsPlan:
    seed: int
    end: date
    appeals: list  # AppealPlan, in number order

    def fingerprint(self):
        """A digest of everything generated, for determinism checks."""
        return hashlib.sha256(repr((self.seed, self.end, self.appeals)).encode()).hexdigest()


# --- Working time --------------------------------------------------------------------------------


class _Clock:
    """Working days and hours in local (Asia/Shanghai) naive datetimes.

    `add_days` and `between` follow `add_working_days` / `working_days_between` step by step, on one
    `WorkdayCalendar` whose answers are kept per day (the project functions build a fresh calendar per
    call, and a year of appeals makes thousands of calls); the tests check every deadline and reply
    time of the demo against the project functions themselves. `advance` is `add_working_hours`
    (9–17 o'clock).
    """

    def __init__(self):
        self.calendar = WorkdayCalendar()
        self._lookups = {}

    def _lookup(self, day):
        if day not in self._lookups:
            self._lookups[day] = self.calendar.lookup(day)
        return self._lookups[day]

    def workday(self, day):
        return self._lookup(day)[0]

    def add_days(self, day, n):
        """add_working_days(day, n) for n >= 0."""
        current, provisional = day, False
        while n:
            current += timedelta(days=1)
            workday, source = self._lookup(current)
            provisional = provisional or source == SOURCE_FALLBACK
            n -= workday
        return WorkdayResult(current, provisional)

    def back(self, day, n):
        """add_working_days(day, -n).date."""
        while n:
            day -= timedelta(days=1)
            n -= self.workday(day)
        return day

    def between(self, start, end):
        """working_days_between(start, end) for start <= end."""
        return sum(self.workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

    def advance(self, start, seconds):
        """`start` plus `seconds` of working time (the semantics of add_working_hours)."""
        remaining, current = timedelta(seconds=seconds), start
        while True:
            day = current.date()
            close = datetime.combine(day, DAY_END)
            if self.workday(day) and current < close:
                current = max(current, datetime.combine(day, DAY_START))
                if remaining <= close - current:
                    return current + remaining
                remaining -= close - current
            current = datetime.combine(day + timedelta(days=1), DAY_START)

    def sign_deadline(self, dispatched_at, hours):
        return self.advance(dispatched_at, hours * 3600)


class _Stop(Exception):
    """The appeal's life reached the end of the demo (or the stage a showcase appeal stops at)."""


def _next_tick(moment, rng):
    """The first run of the 15-minute sweep strictly after `moment` (a few seconds past the quarter)."""
    base = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    return base + timedelta(minutes=15, seconds=rng.randint(2, 25))


# --- One appeal's life ---------------------------------------------------------------------------


class _Life:
    """Mirrors services.py on an AppealPlan: every method is one service call at time `t`."""

    def __init__(self, gen, appeal, stop_after=None):
        self.gen, self.a, self.rng, self.clock = gen, appeal, gen.rng, gen.clock
        self.stop_after = stop_after
        self.category = gen.categories[appeal.category]

    # Bookkeeping.
    def _at(self, t):
        if t >= self.gen.cutoff:
            raise _Stop
        self.sweep(t)

    def _done(self, stage):
        if stage == self.stop_after:
            raise _Stop

    def _log(self, t, actor, action, before, note="", department=None):
        self.a.steps.append(StepPlan(at=t, actor=actor, actor_name=self.gen.actor_name(actor, department, self.a),
                                     action=action, from_status=before, to_status=self.a.status,
                                     department=department, note=note))

    def current(self):
        return [s for s in self.a.assignments if s.round == self.a.reopen_count
                and s.state != Assignment.State.RETURNED]

    def _refresh_deadline(self):
        open_ones = [s for s in self.current() if s.state in (Assignment.State.ASSIGNED, Assignment.State.HANDLING)]
        if open_ones:
            latest = max(open_ones, key=lambda s: s.deadline)
            self.a.deadline = latest.deadline
            self.a.deadline_provisional = any(s.deadline_provisional for s in open_ones)

    def sweep(self, t):
        """What the 15-minute sweep did before `t`: 督办 once the deadline passed, sign-for reminders."""
        a, rng = self.a, self.rng
        last = a.steps[-1].at if a.steps else a.submitted_at
        if a.status in OPEN_STATES and not a.is_supervised and a.deadline is not None:
            tick = datetime.combine(a.deadline + timedelta(days=1), time(0, 0, rng.randint(2, 25)))
            if tick < t:
                tick = max(tick, last + timedelta(seconds=1))
                a.is_supervised, a.supervised_at = True, tick
                self._log(tick, None, "supervise", a.status, note="超过办理期限，系统自动督办")
        for s in a.assignments:
            if s.state == Assignment.State.ASSIGNED and s.sign_overdue_notified_at is None:
                tick = _next_tick(s.sign_deadline, rng)
                if tick < t:
                    s.sign_overdue_notified_at = tick

    def staff_after(self, t, lo, hi):
        return self.clock.advance(t, self.rng.randint(lo * 60, hi * 60))

    # The desk.
    def submit(self):
        a = self.a
        self._at(a.submitted_at)
        self._log(a.submitted_at, a.submitted_by, "submit", "")
        self._done("submit")

    def accept(self, t):
        self._at(t)
        before, self.a.status, self.a.accepted_at = self.a.status, Status.ACCEPTED, t
        self._log(t, "staff", "accept", before)
        self._done("accept")

    def reject(self, t, reason):
        self._at(t)
        before = self.a.status
        self.a.status, self.a.rejected_reason, self.a.closed_at = Status.REJECTED, reason, t
        self._log(t, "staff", "reject", before, note=reason)

    def dispatch(self, t, departments):
        self._at(t)
        a = self.a
        result = self.clock.add_days(t.date(), self.category.reply_days)
        sign = self.clock.sign_deadline(t, self.category.sign_hours)
        for d in sorted(departments):
            a.assignments.append(AssignmentPlan(
                department=d, round=a.reopen_count, dispatched_by="staff", dispatched_at=t, sign_deadline=sign,
                deadline=result.date, deadline_provisional=result.provisional))
        before = a.status
        a.status = Status.ASSIGNED
        a.first_dispatched_at = a.first_dispatched_at or t
        a.deadline, a.deadline_provisional = result.date, result.provisional
        names = "、".join(self.gen.departments[d][0] for d in sorted(departments))
        self._log(t, "staff", "dispatch", before, note=f"承办部门：{names}；办理期限：{result.date:%Y-%m-%d}")
        self._done("dispatch")

    # The departments.
    def department_accept(self, t, s):
        self._at(t)
        s.state, s.accepted_at = Assignment.State.HANDLING, t
        before, self.a.status = self.a.status, Status.HANDLING
        self._log(t, self.gen.dept_actor(s.department), "department_accept", before, department=s.department)

    def return_(self, t, s, reason):
        self._at(t)
        a = self.a
        s.state, s.returned_at, s.return_reason = Assignment.State.RETURNED, t, reason
        before = a.status
        remaining = self.current()
        if not remaining:
            a.status = Status.ACCEPTED
        elif all(r.state == Assignment.State.REPLIED for r in remaining):
            a.status, a.replied_at = Status.REPLIED, max(r.replied_at for r in remaining)
            a.replied_on_time = all(r.replied_on_time for r in remaining)
        self._refresh_deadline()
        self._log(t, self.gen.dept_actor(s.department), "return", before, note=reason, department=s.department)

    def request_extension(self, t, s, days, reason):
        self._at(t)
        s.extensions.append(ExtensionPlan(requested_by=self.gen.dept_actor(s.department), requested_at=t, days=days,
                                          reason=reason, old_deadline=s.deadline))
        self._log(t, self.gen.dept_actor(s.department), "request_extension", self.a.status, department=s.department,
                  note=f"申请延期 {days} 个工作日：{reason}")
        self._done("request_extension")

    def decide_extension(self, t, s, approve, note=""):
        self._at(t)
        request = s.extensions[-1]
        request.decided_by, request.decided_at, request.decision_note = "staff", t, note
        if approve:
            moved = self.clock.add_days(request.old_deadline, request.days)
            request.decision, request.new_deadline = ExtensionRequest.Decision.APPROVED, moved.date
            s.deadline, s.deadline_provisional = moved.date, moved.provisional
            text = f"同意延期至 {moved.date:%Y-%m-%d}"
        else:
            request.decision = ExtensionRequest.Decision.DENIED
            text = "不同意延期"
        self._refresh_deadline()
        self._log(t, "staff", "decide_extension", self.a.status, department=s.department,
                  note=text + (f"：{note}" if note else ""))

    def reply(self, t, s, text):
        self._at(t)
        a = self.a
        s.state, s.replied_at, s.replied_by, s.reply = (
            Assignment.State.REPLIED, t, self.gen.dept_actor(s.department), text)
        s.replied_on_time = t.date() <= s.deadline
        s.working_days_to_reply = max(self.clock.between(s.dispatched_at.date(), t.date()), 0)
        before = a.status
        if all(r.state == Assignment.State.REPLIED for r in self.current()):
            a.status, a.replied_at = Status.REPLIED, t
            a.replied_on_time = all(r.replied_on_time for r in self.current())
        self._log(t, self.gen.dept_actor(s.department), "reply", before, note=text, department=s.department)
        if a.status == Status.REPLIED:
            self._done("reply")

    # The enterprise, the desk's callback, closing and supervision.
    def rate(self, t, actor, source, rating, comment):
        self._at(t)
        a = self.a
        a.ratings.append(RatingPlan(rating=rating, comment=comment, source=source, rated_by=actor, rated_at=t,
                                    round=a.reopen_count))
        before = a.status
        a.rating, a.rated_at = rating, t
        if rating != Rating.UNSATISFIED:
            a.status, a.closed_at = Status.CLOSED, t
        label = Rating(rating).label
        self._log(t, actor, "rate", before,
                  note=f"{RatingRecord.Source(source).label}：{label}" + (f"。{comment}" if comment else ""))

    def reopen(self, t, actor, reason):
        self._at(t)
        a = self.a
        replied = [s for s in self.current() if s.state == Assignment.State.REPLIED]
        a.reopen_count += 1
        result = self.clock.add_days(t.date(), self.category.reply_days)
        for old in replied:
            a.assignments.append(AssignmentPlan(
                department=old.department, round=a.reopen_count, state=Assignment.State.HANDLING,
                dispatched_by=actor, dispatched_at=t, sign_deadline=t, accepted_at=t,
                deadline=result.date, deadline_provisional=result.provisional))
        before = a.status
        a.status, a.rating, a.rated_at, a.closed_at = Status.REOPENED, "", None, None
        a.replied_at, a.replied_on_time = None, None
        a.deadline, a.deadline_provisional = result.date, result.provisional
        self._log(t, actor, "reopen", before, note=f"{reason}（重办期限 {result.date:%Y-%m-%d}）")

    def close(self, t, note):
        self._at(t)
        before, self.a.status, self.a.closed_at = self.a.status, Status.CLOSED, t
        self._log(t, "staff", "close", before, note=note)

    def supervise(self, t, note):
        self._at(t)
        self.a.is_supervised, self.a.supervised_at = True, t
        self._log(t, "leader", "supervise", self.a.status, note=note)

    def update_rights_case(self, t):
        self._at(t)
        a = self.a
        parts = [f"对方当事人：{a.counterpart}"]
        if a.amount_involved is not None:
            parts.append(f"涉及金额：{a.amount_involved:,} 元")
        parts.append("已提供法律援助" if a.legal_aid_given else "未提供法律援助")
        if a.mediation_result:
            parts.append(f"调解结果：{MediationResult(a.mediation_result).label}")
        self._log(t, "staff", "update_rights_case", a.status, note="；".join(parts))


# --- Generation ----------------------------------------------------------------------------------


@dataclass
class _Draft:
    """The choices made before an appeal is lived."""

    appeal: AppealPlan
    departments: list
    reply: str
    stop_after: str | None = None
    reject: bool = False
    returned_to: int | None = None
    late: bool = False
    late_sign: bool = False
    extension: bool | None = None  # None: no extension; True/False: approved or denied
    leader: bool = False
    rights_update: tuple | None = None  # (legal aid, mediation result) set by the desk while handling
    self_rating: bool = True
    ratings: tuple = ()


class _Generator:
    def __init__(self, members_plan, end, seed):
        self.plan, self.end, self.rng = members_plan, end, random.Random(seed)
        self.cutoff = datetime.combine(end, time(0, 1))
        self.clock = _Clock()
        self.categories = {c.code: c for c in AppealCategory.objects.filter(code__in=list(CATEGORY_WEIGHTS))}
        missing = sorted(set(CATEGORY_WEIGHTS) - set(self.categories))
        if missing:
            raise RuntimeError("诉求类别缺少：" + "、".join(missing) + "。请先执行 migrate。")
        self.departments = members_plan.departments  # (name, short, contact, phone)
        self.dept_by_short = {short: i for i, (_n, short, _c, _p) in enumerate(self.departments)}
        self.login_department = members_plan.logins["department"]
        self.login_enterprise = members_plan.logins["enterprise"]
        self.display = dict(members_plan.logins["display"])
        self.display.update({u: d for u, _r, d, _unit in members_demo.DEMO_LOGINS if d})
        self.names = members_demo._Names(self.rng)
        self._enterprises()

    # Who acts.
    def dept_actor(self, department):
        return "dept1" if department == self.login_department else None

    def actor_name(self, actor, department, appeal):
        if actor in ("dept1",) or (actor is None and department is not None):
            d = self.departments[department]
            return f"{d[0]} {self.display['dept1'] if actor else d[2]}"
        if actor == "ent1":
            return f"企业 {self.display['ent1']}"
        if actor == "enterprise":  # an enterprise person without a demo login
            return f"企业 {appeal.contact_name}"
        if actor is None:
            return "系统"
        return self.display[actor]

    # Enterprises that may appeal, weighted: members, bigger firms and the login's firm more often.
    def _enterprises(self):
        plan = self.plan
        gone = {m.enterprise for m in plan.members
                if m.enterprise is not None and m.left_reason in members_demo.ENTERPRISE_ENDS}
        member = {m.enterprise for m in plan.members if m.enterprise is not None and m.left is None}
        size = {"large": 3.0, "medium": 2.2, "small": 1.4, "micro": 1.0}
        self.ent_pool, self.ent_weights = [], []
        for i, e in enumerate(plan.enterprises):
            if i in gone:
                continue
            self.ent_pool.append(i)
            self.ent_weights.append(size[e.size] * (2.0 if i in member else 1.0) * (1.0 if e.is_local else 0.7))
        self.persons_of = defaultdict(list)
        for p_idx, p in enumerate(plan.persons):
            for ent, _role in p.roles:
                self.persons_of[ent].append(p_idx)
        self.ent_cum = list(accumulate(self.ent_weights))

    def _pick_enterprise(self, day):
        while True:
            i = self.rng.choices(self.ent_pool, cum_weights=self.ent_cum)[0]
            if self.plan.enterprises[i].founded < day:
                return i

    # Drafting.
    def draft(self, *, submitted_at, enterprise=None, category=None, template=None, channel=None,
              departments=None, stop_after=None):
        rng, plan = self.rng, self.plan
        day = submitted_at.date()
        enterprise = self._pick_enterprise(day) if enterprise is None else enterprise
        e = plan.enterprises[enterprise]
        category = category or rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        title, content, reply, dept_names = template or rng.choice(TEMPLATES[category])
        if channel is None:
            channel = rng.choices([c for c, _w in CHANNELS], weights=[w for _c, w in CHANNELS])[0]
        persons = self.persons_of.get(enterprise, [])
        person = rng.choice(persons) if persons and rng.random() < 0.7 else None
        contact = plan.persons[person].name if person is not None else (e.contact_name or e.legal_representative)
        street = members_demo.STREETS[e.street] if e.street is not None else rng.choice(members_demo.STREETS)
        fills = {"ent": e.name, "road": f"{rng.choice(street[1])}{rng.randrange(1, 400)}号",
                 "n": rng.choice([3, 5, 6, 8, 10, 12, 15, 20, 30]), "wan": rng.choice([30, 50, 80, 120, 200, 300, 500])}
        rights = self.categories[category].is_rights_case
        counterpart, amount = "", None
        if rights:
            if rng.random() < 0.85:
                counterpart = f"天津市{self.names.brand()}{rng.choice(['建设工程', '商贸', '科技', '实业', '置业'])}有限公司"
            else:
                counterpart = f"{rng.choice(PERSONS_IN_CASE)}某某（个人）"
            amount = Decimal(rng.choice([8, 12, 15, 26, 38, 45, 60, 85, 120, 160, 240, 380])) * 10000 + \
                Decimal(rng.randrange(0, 100)) * 100
            fills["wan"] = f"{amount / 10000:.2f}".rstrip("0").rstrip(".")
        fills["counterpart"] = counterpart
        if departments is None:
            choices = [self.dept_by_short[n] for n in dept_names]
            departments = [choices[0]] if len(choices) == 1 else [rng.choice(choices)]
            if len(choices) > 1 and rng.random() < TWO_DEPARTMENTS_SHARE:
                departments = rng.sample(choices, 2)
        note = ""
        if channel == Channel.EVENT:
            note = rng.choice(EVENT_NOTES).format(y=day.year, m=day.month, n=rng.randrange(20, 80))
        elif channel == Channel.VISIT:
            note = rng.choice(VISIT_NOTES).format(street=street[0])
        is_login_firm = enterprise == self.login_enterprise
        if channel == Channel.PLATFORM:
            submitted_by = "ent1" if is_login_firm else "enterprise"
        else:
            submitted_by = "staff"
            submitted_at = self.clock.advance(submitted_at, rng.randint(0, 3600))  # registered in office hours
        appeal = AppealPlan(
            enterprise=enterprise, person=person, contact_name=contact, submitted_by=submitted_by, channel=channel,
            category=category, title=title, content=content.format(**fills), source_note=note,
            urgency=Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL, submitted_at=submitted_at,
            counterpart=counterpart, amount_involved=amount,
        )
        draft = _Draft(appeal=appeal, departments=departments, reply=reply, stop_after=stop_after)
        recent = (self.end - day).days <= 21
        draft.reject = rng.random() < REJECT_SHARE
        others = [self.dept_by_short[n] for n in dept_names if self.dept_by_short[n] not in departments]
        if len(departments) == 1 and others and rng.random() < RETURN_SHARE:  # returned to the one that handles it
            draft.returned_to = rng.choice(others)
        draft.late = rng.random() < (LATE_SHARE_RECENT if recent else LATE_SHARE)
        draft.late_sign = rng.random() < LATE_SIGN_SHARE
        if rng.random() < EXTENSION_SHARE and self.categories[category].reply_days > 1:
            draft.extension = rng.random() < EXTENSION_APPROVED_SHARE
        draft.leader = rng.random() < LEADER_SUPERVISE_SHARE
        if rights:
            draft.rights_update = (rng.random() < 0.45, rng.choices(
                [MediationResult.SETTLED, MediationResult.PARTIAL, MediationResult.FAILED,
                 MediationResult.LITIGATION, MediationResult.NONE], weights=[45, 20, 8, 12, 15])[0])
        draft.self_rating = rng.random() < SELF_RATING.get(channel, SELF_RATING_OTHER)
        first = rng.choices([r for r, _w in RATINGS], weights=[w for _r, w in RATINGS])[0]
        if first == Rating.UNSATISFIED:
            again = rng.choices([r for r, _w in RATINGS_AFTER_REOPEN], weights=[w for _r, w in RATINGS_AFTER_REOPEN])[0]
            draft.ratings = (first, again if rng.random() < REOPEN_WHEN_UNSATISFIED else None)
        else:
            draft.ratings = (first,)
        return draft

    # Living.
    def live(self, draft):
        life = _Life(self, draft.appeal, stop_after=draft.stop_after)
        try:
            self._live(life, draft)
        except _Stop:
            pass
        life.sweep(self.cutoff)
        return draft.appeal

    def _reply_text(self, draft, department, again=False):
        text = draft.reply.format(dept=self.departments[department][1])
        return f"（重办）经再次核实并跟进落实。{text}" if again else text

    def _live(self, life, d):
        rng, clock, a = self.rng, self.clock, d.appeal
        life.submit()
        t = life.staff_after(a.submitted_at, 20, 300)
        if d.reject:
            life.reject(t, rng.choice(REJECT_REASONS))
            return
        life.accept(t)
        t = life.staff_after(t, 10, 150)
        life.dispatch(t, d.departments)
        if d.returned_to is not None:
            s = a.assignments[-1]
            t = life.staff_after(t, 15, 100)
            life.return_(t, s, rng.choice(RETURN_REASONS).format(other=self.departments[d.returned_to][1]))
            t = life.staff_after(t, 20, 200)
            life.dispatch(t, [d.returned_to])
        current = life.current()
        for s in current:
            late = d.late_sign and s is current[0]
            t = max(t, clock.advance(s.dispatched_at, rng.randint(130 * 60, 300 * 60) if late
                                     else rng.randint(5 * 60, 110 * 60)))
            life.department_accept(t, s)
        life._done("department_accept")
        if d.leader:
            t = life.staff_after(t, 60, 600)
            life.supervise(t, rng.choice(LEADER_NOTES))
        if d.extension is not None:
            s = current[0]
            ask_day = clock.add_days(s.dispatched_at.date(), max(1, self.categories[a.category].reply_days - 2)).date
            t = max(life.staff_after(t, 30, 240), datetime.combine(ask_day, time(9, rng.randint(5, 55))))
            if t.date() <= s.deadline:
                life.request_extension(t, s, rng.choice([3, 5, 5, 10]), rng.choice(EXTENSION_REASONS))
                t = life.staff_after(t, 30, 300)
                life.decide_extension(t, s, d.extension, "" if d.extension else rng.choice(DENY_NOTES))
        if d.rights_update is not None:
            aid, mediation = d.rights_update
            if aid or mediation:
                a.legal_aid_given, a.mediation_result = aid, mediation
                t = life.staff_after(t, 120, 1200)
                life.update_rights_case(t)
        t = self._replies(life, d, current, t, d.late)
        self._ratings(life, d, t)

    def _replies(self, life, d, assignments, t, late):
        rng, clock = self.rng, self.clock
        for s in assignments:
            if late:
                day = clock.add_days(s.deadline, rng.randint(1, 6)).date
            else:
                span = clock.between(s.dispatched_at.date(), s.deadline)
                day = clock.add_days(s.dispatched_at.date(), rng.randint(min(1, span), span) if span else 0).date
            start = max(t, datetime.combine(day, DAY_START))
            t = clock.advance(start, rng.randint(10 * 60, 420 * 60 if start.time() == DAY_START else 60 * 60))
            life.reply(t, s, self._reply_text(d, s.department, again=s.round > 0))
        return t

    def _ratings(self, life, d, t):
        rng, clock = self.rng, self.clock
        first, *rest = d.ratings
        actor, source, t = self._rater(d, t)
        comment = rng.choice(UNSATISFIED_COMMENTS if first == Rating.UNSATISFIED else
                             PRAISE_COMMENTS if first == Rating.SATISFIED else BASIC_COMMENTS)
        life.rate(t, actor, source, first, comment)
        if first != Rating.UNSATISFIED:
            return
        again = rest[0] if rest else None
        if again is None:
            life.close(life.staff_after(t, 240, 900), rng.choice(CLOSE_NOTES))
            return
        reopener = actor if source == RatingRecord.Source.ENTERPRISE else "staff"
        t = clock.advance(t, rng.randint(5 * 60, 90 * 60)) if reopener != "staff" else life.staff_after(t, 60, 480)
        life.reopen(t, reopener, rng.choice(REOPEN_REASONS))
        t = self._replies(life, d, life.current(), t, late=False)
        actor, source, t = self._rater(d, t)
        life.rate(t, actor, source, again, rng.choice(PRAISE_COMMENTS if again == Rating.SATISFIED else BASIC_COMMENTS))

    def _rater(self, d, replied_at):
        """(actor, source, when): the enterprise within two days, else the desk's 回访 after three working days."""
        rng, clock, a = self.rng, self.clock, d.appeal
        if d.self_rating:
            actor = "ent1" if a.enterprise == self.login_enterprise else "enterprise"
            when = replied_at + timedelta(minutes=rng.randint(20, 2 * 24 * 60))
            if not time(7) <= when.time() <= time(22):
                when = datetime.combine(when.date() + timedelta(days=1), time(8, rng.randint(0, 59)))
            return actor, RatingRecord.Source.ENTERPRISE, when
        day = clock.add_days(replied_at.date(), rng.randint(3, 5)).date
        return "staff", RatingRecord.Source.CALLBACK, datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)))

    # Submission moments.
    def submission_days(self, n):
        start = self.end - timedelta(days=365)
        days = [start + timedelta(days=i) for i in range(365)]
        weights = [MONTH_WEIGHTS[d.month] * (1.0 if self.clock.workday(d) else 0.25) for d in days]
        return sorted(self.rng.choices(days, weights=weights, k=n))

    def moment(self, day):
        rng = self.rng
        minutes = rng.choice([rng.randint(8 * 60, 12 * 60), rng.randint(13 * 60, 18 * 60), rng.randint(19 * 60, 22 * 60)])
        return datetime.combine(day, time(minutes // 60, minutes % 60, rng.randint(0, 59)))

    def workday_back(self, k):
        return self.clock.back(self.end, k)

    def showcase(self):
        """Appeals placed so the demo logins' queues show every state on `end` (stops are the last step)."""
        ent, dept = self.login_enterprise, self.login_department
        tax = [t for c in ("consult", "approval", "finance", "suggestion") for t in TEMPLATES[c]
               if "区税务局" in t[3]]
        tax_cats = [c for c in ("consult", "approval", "finance", "suggestion") for t in TEMPLATES[c]
                    if "区税务局" in t[3]]
        five_day = [(c, t) for c, t in zip(tax_cats, tax, strict=True) if self.categories[c].reply_days >= 5]

        def at(k, hour, minute=0):
            return datetime.combine(self.workday_back(k), time(hour, minute))

        def tax_draft(when, stop, enterprise=None, pick=0, **kw):
            category, template = five_day[pick % len(five_day)]
            return self.draft(submitted_at=when, enterprise=enterprise, category=category, template=template,
                              channel=Channel.PLATFORM, departments=[dept], stop_after=stop, **kw)

        yesterday = self.end - timedelta(days=1)
        drafts = [
            # ent1: waiting to be accepted, waiting to be dispatched, being handled, replied (to rate).
            self.draft(submitted_at=datetime.combine(yesterday, time(20, 17)), enterprise=ent, category="labour",
                       template=TEMPLATES["labour"][0], channel=Channel.PLATFORM, stop_after="submit"),
            self.draft(submitted_at=at(1, 8, 42), enterprise=ent, category="utilities",
                       template=TEMPLATES["utilities"][0], channel=Channel.PLATFORM, stop_after="accept"),
            tax_draft(at(3, 8, 35), "department_accept", enterprise=ent, pick=0),
            self.draft(submitted_at=at(8, 9, 10), enterprise=ent, category="finance",
                       template=TEMPLATES["finance"][0], channel=Channel.PLATFORM, stop_after="reply"),
            # dept1: two to sign for, being handled (one due soon, one overdue), an extension pending.
            tax_draft(at(1, 8, 5), "dispatch", pick=1),
            tax_draft(at(2, 10, 20), "dispatch", pick=2),
            tax_draft(at(2, 8, 50), "department_accept", pick=3),
            tax_draft(at(5, 8, 20), "department_accept", pick=4),
            tax_draft(at(8, 8, 30), "department_accept", pick=5),
            tax_draft(at(4, 8, 15), "request_extension", pick=6),
        ]
        for draft in drafts:  # nothing random may undo what the showcase shows
            draft.reject, draft.returned_to, draft.late_sign, draft.leader = False, None, False, False
            draft.late = False
        drafts[-1].extension = True
        # ent1's history: one rejected, one reopened after 不满意 and then closed.
        old = self.draft(submitted_at=datetime.combine(self.end - timedelta(days=120), time(10, 12)),
                         enterprise=ent, category="market", template=TEMPLATES["market"][0],
                         channel=Channel.PLATFORM)
        old.reject = True
        reopened = self.draft(submitted_at=datetime.combine(self.end - timedelta(days=200), time(15, 3)),
                              enterprise=ent, category="approval", template=TEMPLATES["approval"][0],
                              channel=Channel.PLATFORM)
        reopened.reject, reopened.returned_to, reopened.late = False, None, False
        reopened.self_rating, reopened.ratings = True, (Rating.UNSATISFIED, Rating.SATISFIED)
        return drafts + [old, reopened]


def generate(members_plan, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """A year of appeals (the 365 days before `end`) of the members plan's district, lived up to `end`."""
    gen = _Generator(members_plan, end, seed)
    n = max(MIN_APPEALS, round(len(members_plan.enterprises) * APPEALS_PER_ENTERPRISE))
    drafts = gen.showcase()
    for day in gen.submission_days(n - len(drafts)):
        drafts.append(gen.draft(submitted_at=gen.moment(day)))
    appeals = [gen.live(d) for d in drafts]
    appeals = [a for a in appeals if a.submitted_at < gen.cutoff]
    appeals.sort(key=lambda a: a.submitted_at)
    per_day = Counter()
    for a in appeals:  # common.numbering.daily_number: SQ + local date + per-day counter
        day = a.submitted_at.date()
        per_day[day] += 1
        a.number = f"SQ{day:%Y%m%d}{per_day[day]:04d}"
    return AppealsPlan(seed=seed, end=end, appeals=appeals)


# --- Saving ----------------------------------------------------------------------------------------


def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None):
    """Save the appeals of the demo district `result` (members.demo.build's) with bulk inserts."""
    plan = plan or generate(result.plan, end=end, seed=seed)
    district, users = result.federation, result.users
    tz = timezone.get_current_timezone()

    def aware(value):
        return value.replace(tzinfo=tz) if value is not None else None

    def user(actor):
        return users.get(actor) if actor else None

    departments = list(Department.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    enterprises = list(Enterprise.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    persons = list(Person.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    categories = dict(AppealCategory.objects.values_list("code", "pk"))

    with transaction.atomic():
        appeal_objs = Appeal.objects.bulk_create([
            Appeal(
                federation=district, number=a.number, enterprise_id=enterprises[a.enterprise],
                person_id=persons[a.person] if a.person is not None else None, contact_name=a.contact_name,
                submitted_by=user(a.submitted_by), channel=a.channel, category_id=categories[a.category],
                title=a.title, content=a.content, urgency=a.urgency, source_note=a.source_note, status=a.status,
                submitted_at=aware(a.submitted_at), accepted_at=aware(a.accepted_at),
                first_dispatched_at=aware(a.first_dispatched_at), deadline=a.deadline,
                deadline_provisional=a.deadline_provisional, replied_at=aware(a.replied_at),
                replied_on_time=a.replied_on_time, closed_at=aware(a.closed_at), rejected_reason=a.rejected_reason,
                is_supervised=a.is_supervised, supervised_at=aware(a.supervised_at), reopen_count=a.reopen_count,
                rating=a.rating, rated_at=aware(a.rated_at), counterpart=a.counterpart,
                amount_involved=a.amount_involved, legal_aid_given=a.legal_aid_given,
                mediation_result=a.mediation_result,
            )
            for a in plan.appeals
        ], batch_size=500)
        appeal_ids = members_demo._ids(Appeal, appeal_objs, "number")

        pairs = [(appeal_id, s) for appeal_id, a in zip(appeal_ids, plan.appeals, strict=True) for s in a.assignments]
        assignment_objs = Assignment.objects.bulk_create([
            Assignment(
                appeal_id=appeal_id, department_id=departments[s.department], state=s.state, round=s.round,
                dispatched_by=user(s.dispatched_by), dispatched_at=aware(s.dispatched_at),
                sign_deadline=aware(s.sign_deadline), deadline=s.deadline, deadline_provisional=s.deadline_provisional,
                accepted_at=aware(s.accepted_at), returned_at=aware(s.returned_at), return_reason=s.return_reason,
                replied_at=aware(s.replied_at), replied_by=user(s.replied_by), reply=s.reply,
                replied_on_time=s.replied_on_time, working_days_to_reply=s.working_days_to_reply,
                sign_overdue_notified_at=aware(s.sign_overdue_notified_at),
            )
            for appeal_id, s in pairs
        ], batch_size=500)
        assignment_ids = [obj.pk for obj in assignment_objs]
        if None in assignment_ids:  # a backend that does not return ids from bulk inserts
            assignment_ids = list(Assignment.objects.filter(appeal_id__in=appeal_ids).order_by("pk")
                                  .values_list("pk", flat=True))
        ExtensionRequest.objects.bulk_create([
            ExtensionRequest(
                assignment_id=pk, requested_by=user(x.requested_by), requested_at=aware(x.requested_at), days=x.days,
                reason=x.reason, decision=x.decision, decided_by=user(x.decided_by), decided_at=aware(x.decided_at),
                decision_note=x.decision_note, old_deadline=x.old_deadline, new_deadline=x.new_deadline,
            )
            for pk, (_appeal_id, s) in zip(assignment_ids, pairs, strict=True) for x in s.extensions
        ])
        RatingRecord.objects.bulk_create([
            RatingRecord(appeal_id=appeal_id, rating=r.rating, comment=r.comment, source=r.source,
                         rated_by=user(r.rated_by), rated_at=aware(r.rated_at), round=r.round)
            for appeal_id, a in zip(appeal_ids, plan.appeals, strict=True) for r in a.ratings
        ], batch_size=1000)
        TimelineEntry.objects.bulk_create([
            TimelineEntry(appeal_id=appeal_id, at=aware(s.at), actor=user(s.actor), actor_name=s.actor_name,
                          action=s.action, action_label=ACTION_LABELS[s.action], from_status=s.from_status,
                          to_status=s.to_status,
                          department_id=departments[s.department] if s.department is not None else None,
                          note=s.note)
            for appeal_id, a in zip(appeal_ids, plan.appeals, strict=True) for s in a.steps
        ], batch_size=1000)
        _set_sequences(plan)
    return plan


def _set_sequences(plan):
    """The SQ<yyyymmdd> counters at the last number used each day, so new appeals continue after them."""
    last = Counter()
    for a in plan.appeals:
        key, value = a.number[:10], int(a.number[10:])
        last[key] = max(last[key], value)
    existing = {row.key: row for row in NumberSequence.objects.filter(key__in=list(last))}
    for row in existing.values():
        row.last = max(row.last, last[row.key])
    NumberSequence.objects.bulk_update(list(existing.values()), ["last"])
    NumberSequence.objects.bulk_create([NumberSequence(key=k, last=v) for k, v in last.items() if k not in existing])


def counts():
    """What seed_demo prints about the appeals: (label, count)."""
    appeals = Appeal.objects.all()
    return [
        ("诉求", appeals.count()),
        ("诉求（办理中）", appeals.filter(status__in=OPEN_STATES).count()),
        ("诉求（已督办）", appeals.filter(is_supervised=True).count()),
        ("办理记录", TimelineEntry.objects.count()),
    ]


@register("appeals", after=("members",), counts=counts)
def seed(run):
    """`seed_demo`'s step: the appeals' year ends today, so the deadline queues have something to show now."""
    return build(run.results["members"], end=run.today)
