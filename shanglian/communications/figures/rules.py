"""Figures of 规章制度 (the seeds' "共38项制度"), registered with the figures layer with the records behind each, and
the rules part of the statistics page (`sections(user=, period=)`).

The rules of a figure are those the user reads (`selectors.scopes.rules_visible_to`: the federation's roles and
the chambers of the federation).

- 现行制度 (`communications.rules_in_force`): rules in force on the period's state day (`Period.as_of`: its last
  day, or today while it runs) — with a version in force by then (施行日期 on or before it) and not repealed by then
  (`selectors.rules.in_force_q`, the rules library's own definition).
- 新制定制度 (`communications.rules_adopted`): rules whose first version was adopted (通过日期) within the period.
- 修订制度 (`communications.rules_revised`): rules with a later version (第2版起) adopted within the period — each
  rule once however many times it was revised.
- 废止制度 (`communications.rules_repealed`): rules repealed within the period.

Narrowing: `category=` (a `Rule.Category` value); an unknown value is a 404.
"""

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Rule, RuleVersion
from ..selectors.rules import in_force_q as in_force_on
from ..selectors.scopes import rules_visible_to
from .common import grouped
from .links import counted_card, records_url

CATEGORIES = dict(Rule.Category.choices)

IN_FORCE = "统计期末（期末晚于今天时为今天）现行的制度：已有版本施行、未废止"
ADOPTED = "首个版本的通过日期在统计期间内的制度（新制定）"
REVISED = "有修订版本（第2版起）通过日期在统计期间内的制度，同一制度多次修订只计一次"
REPEALED = "废止日期在统计期间内的制度"


def _rules(user, category):
    rows = rules_visible_to(user)
    if category is None:
        return rows
    if category not in CATEGORIES:
        raise Http404("没有该制度类别。")
    return rows.filter(category=category)


def _versions_in(period, *, first):
    versions = RuleVersion.objects.filter(adopted_on__gte=period.start, adopted_on__lte=period.end)
    return versions.filter(version=1) if first else versions.filter(version__gt=1)


@ui.figure("communications.rules_in_force", label="现行制度", unit="项", definition=IN_FORCE)
def rules_in_force(*, user, period, category=None):
    return _rules(user, category).filter(in_force_on(period.as_of()))


@ui.figure("communications.rules_adopted", label="新制定制度", unit="项", definition=ADOPTED)
def rules_adopted(*, user, period, category=None):
    return _rules(user, category).filter(pk__in=_versions_in(period, first=True).values("rule_id"))


@ui.figure("communications.rules_revised", label="修订制度", unit="项", definition=REVISED)
def rules_revised(*, user, period, category=None):
    return _rules(user, category).filter(pk__in=_versions_in(period, first=False).values("rule_id"))


@ui.figure("communications.rules_repealed", label="废止制度", unit="项", definition=REPEALED)
def rules_repealed(*, user, period, category=None):
    return _rules(user, category).filter(repealed_on__gte=period.start, repealed_on__lte=period.end)


RULE_COLUMNS = [
    Column("制度名称", "title", link=lambda r: reverse("communications:rule", args=[r.pk]), wrap=True, sort="title"),
    Column("类别", lambda r: r.get_category_display()),
    Column("废止日期", "repealed_on", sort="repealed_on"),
    Column("废止原因", "repeal_reason", wrap=True),
]
KEYS = ("communications.rules_in_force", "communications.rules_adopted", "communications.rules_revised",
        "communications.rules_repealed")
RECORD_COLUMNS = dict.fromkeys(KEYS, RULE_COLUMNS)
NARROWING = dict.fromkeys(KEYS, ("category",))
HEADLINE = ("communications.rules_in_force", "communications.rules_adopted", "communications.rules_revised")


def sections(*, user, period):
    """The rules part: by category, the rules in force on the state day, adopted, revised and repealed within the
    period. One query whatever the data."""
    day = period.as_of()
    adopted = _versions_in(period, first=True).values("rule_id")
    revised = _versions_in(period, first=False).values("rule_id")
    found = grouped(rules_visible_to(user), "category",
                    in_force=Count("pk", filter=in_force_on(day)), adopted=Count("pk", filter=Q(pk__in=adopted)),
                    revised=Count("pk", filter=Q(pk__in=revised)),
                    repealed=Count("pk", filter=Q(repealed_on__gte=period.start, repealed_on__lte=period.end)))
    names = ("in_force", "adopted", "revised", "repealed")
    rows = tuple(ui.Row((label, *(found[value][name] for name in names)), label=label,
                        records_url=records_url("communications.rules_in_force", period, category=value))
                 for value, label in Rule.Category.choices if value in found)
    totals = tuple(sum(row.cells[i] for row in rows) for i in range(1, 5))
    if rows:
        rows += (ui.Row(("合计", *totals), label="合计", total=True,
                        records_url=records_url("communications.rules_in_force", period)),)
    totals = totals or (0, 0, 0, 0)
    return [ui.FigureSection(
        title=f"规章制度（现行截至{day:%Y年%-m月%-d日}；制定、修订、废止按{period.label}）", dom_id="stats-rules",
        figures=[counted_card(key, value, period) for key, value in zip(KEYS, totals, strict=True)],
        chart=ui.Chart("ranking", "communications-rules", "chart-rules-categories", "各类别现行制度（项），数据见下表",
                       key="rulesInForce", unit="项") if any(row.cells[1] for row in rows) else None,
        chart_empty_text="没有现行的制度",
        table=ui.FigureTable("规章制度（按类别）", (ui.Col("类别"), ui.Col("现行"), ui.Col("新制定"), ui.Col("修订"),
                                               ui.Col("废止")), rows, row_header=True, dom_id="table-rules",
                             empty_text="还没有登记制度"),
        chart_data={"communications-rules": {"rulesInForce": [{"name": row.cells[0], "value": row.cells[1]}
                                                              for row in rows if not row.total and row.cells[1]]}})]


__all__ = ["NARROWING", "RECORD_COLUMNS", "sections"]
