"""The assessment schemes, as the documents that set them define them (code, not dictionary data: a scheme's
items are fixed by the higher federation's rules, and the figures name them).

- 五有 (township chambers, 镇街商会): 机构牌子、工作班子、办公场所、工作经费、活动开展 — each met or not; a chamber
  "meets the 五有" when all five are met and verified.
- 四好商会: 政治引领好、队伍建设好、服务发展好、自律规范好 — each scored up to its maximum; the total's level is
  the first of `levels` whose floor it reaches (below the last: 不达标).
- 五好工商联 (the federation's self-check): 政治引领好、参政议政好、服务发展好、基层组织好、自身建设好 — scored
  like 四好.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    guide: str  # what counts as evidence
    max_score: int | None = None  # None: a met / not-met item


@dataclass(frozen=True)
class Scheme:
    key: str
    items: tuple
    levels: tuple = ()  # ((floor, label), …) from the highest
    below = "不达标"

    @property
    def scored(self):
        return any(item.max_score for item in self.items)

    @property
    def max_total(self):
        return sum(item.max_score or 0 for item in self.items)

    def item(self, code):
        return next((i for i in self.items if i.code == code), None)

    def level_of(self, total):
        """The level a total reaches (None when there is no total yet)."""
        if total is None:
            return None
        for floor, label in self.levels:
            if Decimal(total) >= floor:
                return label
        return self.below


FIVE_HAVE = Scheme("five_have", (
    Item("sign", "机构牌子", "商会牌子悬挂的照片，登记或备案证明"),
    Item("team", "工作班子", "会长、副会长、秘书长名单及产生文件"),
    Item("office", "办公场所", "固定办公场所的照片、产权或租赁、无偿使用证明"),
    Item("funds", "工作经费", "会费收取、财政补助或企业资助的经费凭证"),
    Item("activities", "活动开展", "本年度开展活动的通知、照片、签到或纪要"),
))

FOUR_GOOD = Scheme("four_good", (
    Item("political", "政治引领好", "党建工作、理想信念教育、政治安排推荐", 25),
    Item("team", "队伍建设好", "会员发展、班子建设、秘书处专职人员", 25),
    Item("service", "服务发展好", "为会员解决诉求、政策宣讲、融资对接、光彩公益", 25),
    Item("discipline", "自律规范好", "章程、财务制度、换届按期、行业自律公约", 25),
), levels=((Decimal(90), "示范商会"), (Decimal(75), "“四好”商会"), (Decimal(60), "合格")))

FIVE_GOOD = Scheme("five_good", (
    Item("political", "政治引领好", "理论学习、理想信念教育、代表人士队伍", 20),
    Item("counsel", "参政议政好", "议案提案、调研报告、社情民意信息", 20),
    Item("service", "服务发展好", "诉求办理、惠企政策、营商环境监督", 20),
    Item("grassroots", "基层组织好", "商会覆盖率、镇街商会“五有”、商会党建", 20),
    Item("self", "自身建设好", "机关作风、制度建设、执委会常委会按期召开", 20),
), levels=((Decimal(90), "优秀"), (Decimal(75), "良好"), (Decimal(60), "合格")))

SCHEMES = {scheme.key: scheme for scheme in (FIVE_HAVE, FOUR_GOOD, FIVE_GOOD)}
