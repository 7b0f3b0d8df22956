"""A policy's eligibility in words (the staff page, the phone page and the export): one row per condition,
不限 where the policy sets none. The names of industries, enterprise types and streets are read once."""

from shanglian.common.models import DictItem, IndustryCode
from shanglian.members.models import Enterprise
from shanglian.orgs.models import Street

NOT_SET = "不限"


def _range_text(low, high, unit, *, low_word="不少于", high_word="不超过"):
    if low is not None and high is not None:
        return f"{low}～{high} {unit}"
    if low is not None:
        return f"{low_word} {low} {unit}"
    if high is not None:
        return f"{high_word} {high} {unit}"
    return NOT_SET


def industry_prefixes(policy):
    """The policy's GB/T 4754 prefixes: sections (letters) first, then codes (uses a prefetch)."""
    return sorted((i.prefix for i in policy.industries.all()), key=lambda p: (p.isdigit(), p))


class EligibilityNames:
    """The names the eligibility text needs, loaded once: an export reuses them for every policy."""

    def __init__(self):
        self.industries = dict(IndustryCode.objects.values_list("code", "name"))
        self.types = dict(DictItem.objects.filter(kind="enterprise_type").values_list("code", "label"))
        self.streets = dict(Street.objects.values_list("pk", "name"))


def street_names(policy):
    """The names of the policy's streets, in its order (one query); a street no longer on file is left out."""
    streets = dict(Street.objects.filter(pk__in=policy.street_ids).values_list("pk", "name"))
    return [streets[pk] for pk in policy.street_ids if pk in streets]


def eligibility_rows(policy, names=None):
    """The eligibility in words, one (label, text) per condition; 不限 where the policy sets none."""
    names = names or EligibilityNames()
    sizes = dict(Enterprise.Size.choices)
    types, streets = names.types, names.streets
    return [
        ("适用行业", "、".join(f"{p} {names.industries.get(p, '')}".strip() for p in industry_prefixes(policy))
         or NOT_SET),
        ("企业规模", "、".join(label for code, label in sizes.items() if code in policy.size_list) or NOT_SET),
        ("企业类型", "、".join(types.get(t, t) for t in policy.enterprise_type_list) or NOT_SET),
        ("所在街道", "、".join(streets.get(s, str(s)) for s in policy.street_ids) or NOT_SET),
        ("高新技术企业", "限高新技术企业" if policy.high_tech_required else NOT_SET),
        ("从业人数", _range_text(policy.min_employees, policy.max_employees, "人")),
        ("成立年限", _range_text(policy.min_registered_years, policy.max_registered_years, "年",
                             low_word="成立满", high_word="成立不超过")),
        ("工商联会员", "限工商联会员" if policy.members_only else NOT_SET),
    ]


def eligibility_text(policy, names=None):
    """One line: 适用行业：C 制造业；企业规模：小型、微型 … (or 不限条件)."""
    parts = [f"{label}：{text}" for label, text in eligibility_rows(policy, names) if text != NOT_SET]
    return "；".join(parts) or "不限条件"
