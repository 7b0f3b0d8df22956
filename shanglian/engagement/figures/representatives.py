"""Figures of the representative-figures database (DESIGN §4: "执委中51名安排为人大代表、政协委员"), registered with
the figures layer (`shanglian.ui.figures`) with the records behind each, and its part of the statistics page
(`sections(user=, period=)`, composed by `statistics_views.py`).

Definitions (the same words are each figure's `definition`); every date is the period's last day (期末):

- **代表人士**: persons of the user's scope who on that day hold a political arrangement in force (人大代表,
  政协委员, 党代表: started, not past its 届满日期) or a position in the federation's or a chamber's bodies
  (`orgs.Position` of a term in force then, within the position's own dates). The structure statistics (age,
  education, 新生代, party affiliation) are of these persons.
- **政治安排**: the arrangements in force on that day; **新增政治安排**: those whose 起始日期 falls in the period.
- **执委**: distinct persons holding a position of 主席/副主席/常委/执委 in the federation's term (a term of the
  federation itself, not of a chamber) in force on that day; **执委中安排为人大代表、政协委员**: those of them who
  hold an NPC or CPPCC arrangement (any level; a 党代表 does not count) in force on that day.
- **新生代占比** = 新生代企业家 among the 代表人士 ÷ 代表人士; none → no value (shown 无数据).
- **代表人士所获荣誉**: the persons' honours (`PersonHonour`) of the years the period lies in (an honour has a year
  only); the records are the honours. An honour keeps no level (国家/省/市/区): it is not narrowed by one.
- Age bands from `birth_year` at that day's year: 35岁及以下, 36–45岁, 46–55岁, 56–65岁, 65岁以上, 未填.

Drill-downs: `engagement.representatives` takes `band=` (a key of `AGE_BANDS` or "none"), `education=` /
`affiliation=` (a dictionary item's id or "none") and `new_generation=` ("yes"/"no"); `engagement.arrangements`
takes `kind=` and `level=`. `NARROWING` lists them per key (the records page passes those it finds in its query
string); `RECORD_COLUMNS` gives each key's drill-down columns (no personal number shown). A section carries its
chart's numbers (`section.chart_data`, {SOURCE: data}).

Cost: every table is one grouped query over the period end's 代表人士 or arrangements (hundreds of rows, not
the city's persons: the population is read through the arrangements' and positions' own indexes).
"""

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.http import Http404
from django.urls import reverse

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.common.models import DictItem
from shanglian.members.selectors import persons_visible_to
from shanglian.orgs.models import Position
from shanglian.orgs.selectors import federation_ids_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Arrangement, arrangement_in_force_q
from ..selectors.representatives import arrangements_visible_to, honours_visible_to, position_in_force_q
from .links import card, records_url

SOURCE = "engagement-representatives"  # the json_script element of this part's charts
EXECUTIVE_TITLES = (Position.Title.CHAIRMAN, Position.Title.VICE_CHAIRMAN, Position.Title.STANDING,
                    Position.Title.EXECUTIVE)
ARRANGED_KINDS = (Arrangement.Kind.NPC, Arrangement.Kind.CPPCC)
NONE = "none"  # a drill-down's value for 未填
# (key, label, youngest age, oldest age): an age is the period end's year minus the birth year
AGE_BANDS = (("upto35", "35岁及以下", None, 35), ("36to45", "36—45岁", 36, 45), ("46to55", "46—55岁", 46, 55),
             ("56to65", "56—65岁", 56, 65), ("over65", "65岁以上", 66, None))
UNKNOWN = "未填"

REPRESENTATIVES = ("统计期末在任政治安排（人大代表、政协委员、党代表）或在工商联、商会本届组织中任职（主席、副主席、常委、执委、"
                   "会长、副会长、秘书长、理事等）的人士")
EXECUTIVES = "统计期末工商联本级届次中担任主席、副主席、常委、执委的人士（按人计）"


# --- the rows behind the figures ---------------------------------------------------------------------------
def representatives_on(user, day):
    """The 代表人士 of the user's scope on `day` (see the module's docstring)."""
    persons = persons_visible_to(user)
    arranged = Arrangement.objects.filter(arrangement_in_force_q(day), person=OuterRef("pk"))
    placed = Position.objects.filter(position_in_force_q(day), person=OuterRef("pk"))
    return persons.filter(Q(Exists(arranged)) | Q(Exists(placed)))


def _term_federations(user):
    """The federations whose own terms' executives the user counts: a federation role's scope, a chamber
    secretary's federation (its members' persons among the executives)."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return federation_ids_in_scope(user)
    if role == Role.CHAMBER:
        return [user.chamber.federation_id] if user.chamber_id else []
    persons_visible_to(user)  # the refusal (403) of the other roles
    return []


def executives_on(user, day):
    """The 执委 of the user's scope on `day`: distinct persons (each once, whatever their positions)."""
    positions = Position.objects.filter(position_in_force_q(day), title__in=EXECUTIVE_TITLES,
                                        term__chamber__isnull=True, term__federation_id__in=_term_federations(user))
    return persons_visible_to(user).filter(pk__in=positions.values("person_id"))


def arranged_executives_on(user, day):
    """The 执委 on `day` holding an NPC or CPPCC arrangement in force then."""
    arranged = Arrangement.objects.filter(arrangement_in_force_q(day), kind__in=ARRANGED_KINDS, person=OuterRef("pk"))
    return executives_on(user, day).filter(Exists(arranged))


def arrangements_on(user, day):
    return arrangements_visible_to(user).filter(arrangement_in_force_q(day))


def age_band(day):
    """The age band of a person on `day`'s year, as a CASE over the birth year (NONE when not given)."""
    whens = [When(birth_year__isnull=True, then=Value(NONE))]
    for key, _label, youngest, oldest in AGE_BANDS:
        condition = {}
        if oldest is not None:
            condition["birth_year__gte"] = day.year - oldest
        if youngest is not None:
            condition["birth_year__lte"] = day.year - youngest
        whens.append(When(**condition, then=Value(key)))
    return Case(*whens, default=Value(NONE), output_field=CharField())


def _narrow_persons(persons, day, *, band=None, education=None, affiliation=None, new_generation=None):
    """The persons of one row of a structure table (a drill-down); an unknown value is a 404."""
    if band is not None:
        if band != NONE and band not in {key for key, *_ in AGE_BANDS}:
            raise Http404("没有该年龄段。")
        persons = persons.annotate(age_band=age_band(day)).filter(age_band=band)
    for field, kind, value in (("education", "education", education),
                               ("political_affiliation", "political_affiliation", affiliation)):
        if value is None:
            continue
        if value == NONE:
            persons = persons.filter(**{f"{field}__isnull": True})
        elif str(value).isdigit() and DictItem.objects.filter(kind=kind, pk=value).exists():
            persons = persons.filter(**{f"{field}_id": int(value)})
        else:
            raise Http404("没有该分类。")
    if new_generation is not None:
        if new_generation not in ("yes", "no"):
            raise Http404("没有该分类。")
        persons = persons.filter(is_new_generation=new_generation == "yes")
    return persons


# --- registered figures (shanglian.ui.figures) -------------------------------------------------------------
@ui.figure("engagement.representatives", label="代表人士", unit="人", definition=REPRESENTATIVES)
def representatives(*, user, period, **narrowing):
    day = period.as_of()
    return _narrow_persons(representatives_on(user, day), day, **narrowing)


@ui.figure("engagement.arrangements", label="政治安排", unit="项",
           definition="统计期末在任的政治安排（人大代表、政协委员、党代表，各层级），一人多项分别计")
def arrangements(*, user, period, kind=None, level=None):
    qs = arrangements_on(user, period.as_of())
    if kind is not None:
        if kind not in Arrangement.Kind.values:
            raise Http404("没有该安排类别。")
        qs = qs.filter(kind=kind)
    if level is not None:
        if level not in Arrangement.Level.values:
            raise Http404("没有该层级。")
        qs = qs.filter(level=level)
    return qs


@ui.figure("engagement.new_arrangements", label="新增政治安排", unit="项",
           definition="起始日期在统计期间内的政治安排（人大代表、政协委员、党代表，各层级）")
def new_arrangements(*, user, period):
    return arrangements_visible_to(user).filter(start__gte=period.start, start__lte=period.end)


@ui.figure("engagement.executives", label="执委", unit="人", definition=EXECUTIVES)
def executives(*, user, period):
    return executives_on(user, period.as_of())


@ui.figure("engagement.executives_arranged", label="执委中安排为人大代表、政协委员", unit="人",
           definition=f"{EXECUTIVES}中，统计期末在任人大代表或政协委员（任一层级；党代表不计）的人数")
def executives_arranged(*, user, period):
    return arranged_executives_on(user, period.as_of())


@ui.figure("engagement.new_generation_share", label="新生代占比", unit="%",
           definition=f"代表人士中新生代企业家所占比例；代表人士为{REPRESENTATIVES}；记录为全部代表人士（分母）")
def new_generation_share(*, user, period):
    persons = representatives_on(user, period.as_of())
    counts = persons.order_by().aggregate(n=Count("pk"), young=Count("pk", filter=Q(is_new_generation=True)))
    return ui.share(counts["young"], counts["n"]), persons


HONOURS = ("年度在统计期间内的代表人士个人荣誉（荣誉只记年度：季度、月份统计时计其所在年度的荣誉；"
           "商会秘书处为本商会会员企业人士的荣誉）；一人获多项荣誉各计一项")


@ui.figure("engagement.person_honours", label="代表人士所获荣誉", unit="项", definition=HONOURS)
def person_honours(*, user, period):
    return honours_visible_to(user).filter(year__gte=period.start.year, year__lte=period.end.year)


# --- the statistics page's part ------------------------------------------------------------------------------
NARROWING = {
    "engagement.representatives": ("band", "education", "affiliation", "new_generation"),
    "engagement.arrangements": ("kind", "level"),
}


def _profile(person_id):
    return reverse("engagement:profile", args=[person_id])


_PERSON_COLUMNS = [
    Column("姓名", "name", link=lambda p: _profile(p.pk), sort="name"),
    Column("性别", "get_gender_display"),
    Column("出生年份", "birth_year", sort="birth_year"),
    Column("政治面貌", "political_affiliation.label"),
    Column("学历", "education.label"),
    Column("新生代", lambda p: "是" if p.is_new_generation else "否"),
]
_ARRANGEMENT_COLUMNS = [
    Column("姓名", "person.name", link=lambda a: _profile(a.person_id), sort="person__name"),
    Column("安排类别", "get_kind_display", sort="kind"),
    Column("层级", "get_level_display", sort="level"),
    Column("身份", "get_role_display"),
    Column("届次", "term"),
    Column("界别/代表团", "sector"),
    Column("起始日期", lambda a: a.start.isoformat(), sort="start"),
    Column("届满日期", lambda a: a.end.isoformat() if a.end else "", sort="end"),
]
_HONOUR_COLUMNS = [
    Column("姓名", "person.name", link=lambda h: _profile(h.person_id), sort="person__name"),
    Column("荣誉名称", "title", wrap=True),
    Column("授予单位", "conferred_by", wrap=True),
    Column("年度", "year", sort="year"),
]
RECORD_COLUMNS = {
    "engagement.representatives": _PERSON_COLUMNS,
    "engagement.executives": _PERSON_COLUMNS,
    "engagement.executives_arranged": _PERSON_COLUMNS,
    "engagement.new_generation_share": _PERSON_COLUMNS,
    "engagement.arrangements": _ARRANGEMENT_COLUMNS,
    "engagement.new_arrangements": _ARRANGEMENT_COLUMNS,
    "engagement.person_honours": _HONOUR_COLUMNS,
}


def _share_rows(rows, total, key, period, param):
    """(label, count, share, narrowing value) rows → table rows with their drill-down links."""
    return tuple(ui.Row((label, n, ui.share(n, total)), label=label,
                        records_url=records_url(key, period, **{param: value}))
                 for label, n, value in rows)


def _grouped(persons, field):
    """The persons counted by a dictionary field: [(label, n, id or NONE)] in the dictionary's order, 未填 last."""
    found = {row[field]: row["n"] for row in persons.order_by().values(field).annotate(n=Count("pk"))}
    items = DictItem.objects.filter(pk__in=[pk for pk in found if pk is not None]).order_by("order", "code")
    rows = [(item.label, found[item.pk], str(item.pk)) for item in items]
    if found.get(None):
        rows.append((UNKNOWN, found[None], NONE))
    return rows


def structure(user, day):
    """The structure of the 代表人士 on `day`: total, 新生代, and the counts by age band, education and party
    affiliation (four grouped queries)."""
    persons = representatives_on(user, day)
    counts = persons.order_by().aggregate(n=Count("pk"), young=Count("pk", filter=Q(is_new_generation=True)))
    bands = {row["age_band"]: row["n"] for row in
             persons.order_by().annotate(age_band=age_band(day)).values("age_band").annotate(n=Count("pk"))}
    age_rows = [(label, bands.get(key, 0), key) for key, label, *_ in AGE_BANDS]
    if bands.get(NONE):
        age_rows.append((UNKNOWN, bands[NONE], NONE))
    return {"total": counts["n"], "young": counts["young"], "ages": age_rows,
            "education": _grouped(persons, "education_id"),
            "affiliation": _grouped(persons, "political_affiliation_id")}


def arrangement_grid(user, day):
    """The arrangements in force on `day` counted by kind × level: {(kind, level): n} (one grouped query)."""
    return {(row["kind"], row["level"]): row["n"] for row in
            arrangements_on(user, day).order_by().values("kind", "level").annotate(n=Count("pk"))}


def sections(*, user, period):
    """This part of the statistics page: the headline cards (with 同比 for the counts), the structure of the
    代表人士 at the period's end (age, education, 新生代, party affiliation) and the arrangements by kind × level,
    each as a chart and the same numbers in a table (`chart_data` holds the chart's numbers)."""
    day = period.as_of()
    stamp = f"{day:%Y年%-m月%-d日}"
    cards = [card(ui.compute(key, user=user, period=period, compare=ui.YEAR_AGO), period)
             for key in ("engagement.representatives", "engagement.arrangements", "engagement.new_arrangements",
                         "engagement.executives", "engagement.executives_arranged", "engagement.new_generation_share")]
    executives_n = next(c.value for c in cards if c.key == "engagement.executives")
    arranged_n = next(c.value for c in cards if c.key == "engagement.executives_arranged")
    found = structure(user, day)
    total = found["total"]
    key = "engagement.representatives"
    headline = ui.FigureSection(
        title=f"代表人士（{stamp}）", dom_id="stats-representatives", figures=cards,
        note=(f"执委 {executives_n} 人，其中安排为人大代表、政协委员 {arranged_n} 人"
              + (f"（占 {ui.share(arranged_n, executives_n)}%）" if executives_n else "")),
    )
    result = [headline]
    none_text = "统计期末没有代表人士"

    def structure_section(name, title, column, rows, param, chart_kind):
        chart = None
        if total:
            chart = ui.Chart(chart_kind, SOURCE, f"chart-rep-{name}", f"代表人士{title}，数据见下表", key=f"rep_{name}")
        table = ui.FigureTable(f"代表人士{title}", (ui.Col(column), ui.Col("人数"), ui.Col("占比", unit="%")),
                               _share_rows(rows, total, key, period, param)
                               + (ui.Row(("合计", total, ui.share(total, total)), label="合计", total=True),),
                               dom_id=f"table-rep-{name}", sheet=f"代表人士{title}")
        return ui.FigureSection(title=f"代表人士{title}（{stamp}）", dom_id=f"stats-rep-{name}", chart=chart,
                                chart_empty_text=none_text, table=table,
                                chart_data={SOURCE: {f"rep_{name}": [{"name": label, "value": n}
                                                                     for label, n, _ in rows if n]}})

    result.append(structure_section("ages", "年龄结构", "年龄段", found["ages"], "band", "ranking"))
    result.append(structure_section("education", "学历结构", "学历", found["education"], "education", "pie"))
    young = [("新生代企业家", found["young"], "yes"), ("其他", total - found["young"], "no")]
    result.append(structure_section("new-generation", "新生代占比", "类别", young, "new_generation", "pie"))
    result.append(structure_section("affiliation", "政治面貌", "政治面貌", found["affiliation"], "affiliation", "pie"))
    result.append(_grid_section(user, period, stamp))
    return result


def _grid_section(user, period, stamp):
    grid = arrangement_grid(user, period.as_of())
    levels = list(Arrangement.Level.choices)
    rows = []
    for kind, kind_label in Arrangement.Kind.choices:
        cells = [grid.get((kind, level), 0) for level, _ in levels]
        rows.append(ui.Row((kind_label, *cells, sum(cells)), label=kind_label,
                           records_url=records_url("engagement.arrangements", period, kind=kind)))
    totals = [sum(grid.get((kind, level), 0) for kind, _ in Arrangement.Kind.choices) for level, _ in levels]
    rows.append(ui.Row(("合计", *totals, sum(totals)), label="合计", total=True,
                       records_url=records_url("engagement.arrangements", period)))
    chart = None
    if sum(totals):
        chart = ui.Chart("combo", SOURCE, "chart-rep-arrangements", "在任政治安排（按类别、层级），数据见下表",
                         categories="rep_kinds", bars=";".join(f"rep_level_{level}:{label}" for level, label in levels),
                         axes="项")
    table = ui.FigureTable("在任政治安排（类别 × 层级）",
                           (ui.Col("安排类别"), *(ui.Col(label) for _, label in levels), ui.Col("合计")),
                           tuple(rows), dom_id="table-rep-arrangements", sheet="政治安排类别层级")
    data = {"rep_kinds": [label for _, label in Arrangement.Kind.choices],
            **{f"rep_level_{level}": [grid.get((kind, level), 0) for kind, _ in Arrangement.Kind.choices]
               for level, _ in levels}}
    return ui.FigureSection(title=f"在任政治安排（{stamp}）", dom_id="stats-rep-arrangements", chart=chart,
                            chart_empty_text="统计期末没有在任的政治安排", table=table, chart_data={SOURCE: data})


__all__ = ["NARROWING", "RECORD_COLUMNS", "SOURCE", "arranged_executives_on", "executives_on", "representatives_on",
           "sections", "structure"]
