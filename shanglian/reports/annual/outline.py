"""What the annual work report says, in the manner of the seeds' reports: sections (一、…) of paragraphs, each
paragraph opening with its 楷体 heading (（一）…) and written only from the figures it names.

A sentence is a `str.format` text whose fields name the paragraph's `figures`:

    Block("（一）会员规模。", "截至{as_of}，{area}有工商联会员{total}，其中企业会员{enterprise}……",
          total="members.in_force", enterprise="members.in_force.enterprise")

- `{name}` — the figure's value with its unit ("900个", "98.5分", "66.7%"), or "（无数据：原因）" when it cannot be
  computed (never 0);
- `{name:同比}` — its change on the same period a year earlier, after a comma ("，同比增长12.5%", "，同比下降1.2个百分点",
  "，与上年同期持平"), or "" when there is nothing to compare (no value a year ago);
- `{year}`, `{as_of}` (截至… : "2026年底", or today's date while the year runs), `{area}` (全区/全市 …) and `{name}`
  (the federation's name) are the report's own words, not figures.

A figure is a key of the registry (`shanglian.ui.figures`) or an external indicator (`external.<code>`), optionally
with keyword arguments: `(key, {"kind": "training"})`. `tests/test_annual_report.py` checks every key resolves.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    heading: str
    text: str
    figures: dict = field(default_factory=dict)  # field name → key or (key, kwargs)

    def __init__(self, heading, text, **figures):
        object.__setattr__(self, "heading", heading)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "figures", figures)


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple


INTRO = Block(
    "",
    "{year}年，{name}围绕服务会员、服务发展开展工作。{area}民营经济增加值{value_added}，增长{value_added_growth}；民营企业{private}，"
    "个体工商户{individual}。现将{year}年度工作情况报告如下。",
    value_added="external.private_value_added",
    value_added_growth="external.private_value_added_growth",
    private="external.private_enterprises",
    individual="external.individual_businesses",
)

SECTIONS = (
    Section("一、会员发展与组织建设", (
        Block("（一）会员规模。",
              "截至{as_of}，{area}有工商联会员{total}，其中企业会员{enterprise}、团体会员{group}、个人会员{individual}；"
              "全年新入会会员{joined}，会员增长率{growth}。",
              total="members.in_force", enterprise="members.in_force.enterprise", group="members.in_force.group",
              individual="members.in_force.individual", joined="members.joined", growth="members.growth_rate"),
        Block("（二）会员结构。",
              "按“三多三少”结构统计，个体工商户占比{business}，个人会员占比{personal}，本地会员占比{local}，"
              "传统产业会员占比{traditional}。",
              business="members.share.business_type", personal="members.share.member_kind",
              local="members.share.locality", traditional="members.share.technology"),
        Block("（三）基层组织。",
              "{area}有基层商会{chambers}，全年新成立商会{founded}，设专门委员会{committees}；"
              "民营企业集中的行业共{concentrated}，其中{covered}已有行业商会覆盖，商会覆盖率{coverage}。"
              "镇街商会“五有”达标率{five_have}，“四好”商会{four_good}。",
              chambers="orgs.chambers", founded="orgs.chambers_founded", committees="orgs.committees",
              concentrated="members.industries_concentrated", covered="members.industries_covered",
              coverage="members.chamber_coverage", five_have="honours.five_have_rate",
              four_good="honours.four_good_chambers"),
        Block("（四）发展会员。",
              "全年新增发展对象{prospects}，收到入会申请{applications}，批准入会{approved}，本年发展目标完成率{completion}。",
              prospects="growth.prospects_new", applications="growth.applications_received",
              approved="growth.applications_approved", completion="growth.target_completion"),
    )),
    Section("二、服务企业与民营经济发展", (
        Block("（一）诉求办理。",
              "纳入服务平台的民营企业{enrolled}。全年受理企业诉求{received}{received:同比}；办结{closed}，办结率{closure}，"
              "按时办理率{on_time}，企业满意度{score}，满意率{satisfied}。",
              enrolled="appeals.enterprises_enrolled", received="appeals.received", closed="appeals.closed",
              closure="appeals.closure_rate", on_time="appeals.on_time_rate", score="appeals.satisfaction_score",
              satisfied="appeals.satisfaction_rate"),
        Block("（二）惠企政策。",
              "全年新发布惠企政策{published}，现行有效政策{live}；向企业推送政策{deliveries}，推送已读率{read}。",
              published="policies.published", live="policies.live", deliveries="policies.deliveries",
              read="policies.read_rate"),
        Block("（三）供需对接。",
              "发布供需信息{posts}，组织对接活动{events}，达成合作{deals}，合作金额{amount}，帮助企业融资{financing}。",
              posts="growth.posts", events="growth.matchmaking_events", deals="growth.deals",
              amount="growth.deal_amount", financing="growth.financing_amount"),
    )),
    Section("三、教育培训", (
        Block("（一）活动与培训。",
              "全年举办各类活动{held}，其中培训班、研讨班{trainings}，培训规模达{attendance}{attendance:同比}。",
              held="events.held", trainings="events.trainings", attendance="events.training_attendance"),
        Block("（二）参与情况。",
              "会员企业参与率{members}，全区企业参与率{enterprises}，活动平均出席率{turnout}。",
              members="events.member_participation", enterprises="events.enterprise_participation",
              turnout="events.turnout"),
    )),
    Section("四、政治引领与非公经济人士队伍建设", (
        Block("（一）代表人士。",
              "代表人士数据库在库{representatives}，执委中安排为人大代表、政协委员{arranged}，全年新增政治安排{new}。",
              representatives="engagement.representatives", arranged="engagement.executives_arranged",
              new="engagement.new_arrangements"),
        Block("（二）参政议政。",
              "全年提交议案、提案{proposals}，已采纳{adopted}，采纳率{rate}，转化为实际举措{measures}。",
              proposals="engagement.proposals", adopted="engagement.proposals_adopted",
              rate="engagement.adoption_rate", measures="engagement.measures"),
        Block("（三）非公党建。",
              "{area}非公企业和商会党组织{organisations}，联合党委{joint}，选派党建指导员{instructors}；"
              "党的组织覆盖率{organisation}，工作覆盖率{work}。",
              organisations="engagement.party_organisations", joint="engagement.joint_committees",
              instructors="engagement.party_instructors", organisation="engagement.organisation_coverage",
              work="engagement.work_coverage"),
        Block("（四）包联走访。",
              "包联企业{liaison}，走访企业{visited}，走访覆盖率{coverage}；走访中发现问题转为诉求{appeals}，已办结{solved}。",
              liaison="engagement.liaison_enterprises", visited="engagement.visited_enterprises",
              coverage="engagement.visit_coverage", appeals="engagement.visit_appeals",
              solved="engagement.visit_appeals_solved"),
    )),
    Section("五、光彩公益", (
        Block("（一）捐款捐物。",
              "全年{donors}民营企业捐款捐物{total}，其中捐款{cash}、捐物折价{goods}。",
              donors="welfare.donor_enterprises", total="welfare.total", cash="welfare.cash", goods="welfare.goods"),
        Block("（二）结对帮扶。",
              "帮扶目标村{targets}，已结对{paired}，结对覆盖率{coverage}；在期结对关系{pairings}。",
              targets="welfare.target_villages", paired="welfare.paired_villages",
              coverage="welfare.village_coverage", pairings="welfare.pairings_in_force"),
    )),
    Section("六、评选表彰、宣传调研与制度建设", (
        Block("（一）评选表彰。",
              "全年发布榜单{lists}，上榜企业{listed}，历年累计上榜企业{honoured}。",
              lists="honours.lists_published", listed="honours.enterprises_listed",
              honoured="honours.enterprises_honoured"),
        Block("（二）宣传调研。",
              "发送通知{notices}，阅读率{read}；刊发宣传报道{articles}；形成调研报告{reports}，报送{submitted}，获得批示{instructed}。",
              notices="communications.notices_sent", read="communications.read_rate",
              articles="communications.articles", reports="communications.reports_written",
              submitted="communications.reports_submitted", instructed="communications.reports_instructed"),
        Block("（三）制度建设。",
              "现行制度{rules}，全年新制定{adopted}、修订{revised}。",
              rules="communications.rules_in_force", adopted="communications.rules_adopted",
              revised="communications.rules_revised"),
    )),
)

# The charts: what each draws (the figures, read through `values.measure` like every sentence).
MEMBER_KINDS = ("members.in_force.enterprise", "members.in_force.group", "members.in_force.individual")
APPEALS_BY_MONTH = "appeals.received"
DONATIONS_BY_CAMPAIGN = "welfare.total"

# A city's report: its districts side by side (`aggregation.side_by_side`), these six figures as the columns.
DISTRICT_COLUMNS = ("members.in_force", "members.in_force.enterprise", "appeals.received", "appeals.closure_rate",
                    "events.training_attendance", "welfare.total")


def figure_keys():
    """Every (key, kwargs) the outline names, in order, each once."""
    seen = []
    for block in (INTRO, *(block for section in SECTIONS for block in section.blocks)):
        for named in block.figures.values():
            key, kwargs = named if isinstance(named, tuple) else (named, {})
            if (key, kwargs) not in seen:
                seen.append((key, kwargs))
    for key in (*MEMBER_KINDS, APPEALS_BY_MONTH, DONATIONS_BY_CAMPAIGN, *DISTRICT_COLUMNS):
        if (key, {}) not in seen:
            seen.append((key, {}))
    return seen
