"""Figures of 发展会员 (recruitment): new members against this year's targets and the "三多三少" gaps, the prospects
by stage and source, the online applications received and decided — registered with the figures layer
(`shanglian.ui.figures`) with the records behind each, and the recruitment part of the statistics page
(`sections(user=, period=)`).

- 新入会会员 (`growth.new_members`): the memberships of the user's scope (`members.selectors.memberships_visible_to`)
  whose 入会日期 falls within the period — the same rows as `members.joined`, here narrowed by target category.
- The target categories (`models.TargetCategory`) as conditions on a membership: 企业会员/团体会员/个人会员 its kind;
  私营企业 an enterprise member whose 企业类型 is 私营企业; 外地企业 one whose enterprise is not local; 高新技术企业 one
  whose enterprise is high-tech (the "三多三少" sides the reports find too few of, `members.figures.PAIR_SIDES`).
  As conditions on a prospect: its 拟入会类型 for the three kinds, its 私营/本地/高新 flags for the other three.
- 本年目标, 目标完成率, 距目标差额: the targets of the year the period ends in (`RecruitmentTarget`, the federation's
  roles only), against the members of the category who joined from 1 January of that year to the period's end. A
  category without a target has none of the three (无数据). Unnarrowed, the three member kinds add up (the 三多三少
  categories overlap them): the target is the sum of the kinds' targets, the completion the members of the kinds that
  have a target ÷ that sum, the gap the sum of each kind's gap (a kind over its target leaves no gap, never a
  negative one). Their records are the targets (the denominator's).
- 新增发展对象: prospects (`selectors.scopes.prospects_visible_to`: a chamber secretary its own chamber's) registered
  within the period, by their current stage and by source; 跟进中的发展对象: those now at 线索/已联系/已走访/已申请,
  registered by the period's end (a state of today: no 同比); 发展对象转化入会: those that reached 已入会 within the
  period.
- 收到入会申请 (submitted within the period), 批准入会申请 and 未通过入会申请 (decided within the period):
  `selectors.scopes.applications_visible_to` (a chamber secretary the applications naming its chamber).

Narrowing (the drill-down of a table row): `category=` (a target category), `stage=`, `source=` (a prospect's);
an unknown value is a 404. `RECORD_COLUMNS` gives each figure's columns for `ui.figures.records_page`; `NARROWING`
the parameters each takes.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse

from shanglian.accounts.roles import FEDERATION_ROLES, require_role, role_of
from shanglian.common.periods import Period
from shanglian.members.selectors import memberships_visible_to
from shanglian.orgs.selectors import federation_ids_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import MembershipApplication, Prospect, RecruitmentTarget, TargetCategory
from ..selectors.prospects import MEMBER_CATEGORY_Q, PROSPECT_CATEGORY_Q
from ..selectors.scopes import applications_visible_to, prospects_visible_to
from .links import counted_card, records_url

SOURCE = "growth-recruitment"  # the json_script element the recruitment charts read
C = TargetCategory
CATEGORY_LABELS = dict(C.choices)
KIND_CATEGORIES = (C.ENTERPRISE, C.GROUP, C.INDIVIDUAL)  # disjoint: they add up
STAGE_LABELS = dict(Prospect.Stage.choices)
SOURCE_LABELS = dict(Prospect.Source.choices)

# Which new members and which open prospects count towards a target category: the 发展目标 page's own definitions.
MEMBER_CONDITIONS = MEMBER_CATEGORY_Q
PROSPECT_CONDITIONS = PROSPECT_CATEGORY_Q

SCOPE = "（商会秘书处为本商会会员企业及其人士的会籍）"
NEW_MEMBERS = f"入会日期在统计期间内的会员{SCOPE}（其后已退会或暂停的也计入）；按类别查看时为该类别的会员"
YEAR_TO_DATE = "统计期末所在年度1月1日至统计期末入会的该类别会员"
TARGET = ("统计期末所在年度的发展会员目标；不分类别时为企业会员、团体会员、个人会员三类目标之和"
          "（私营、外地、高新技术企业目标与之重叠，不相加）；记录为这些目标")
COMPLETION = (f"{YEAR_TO_DATE} ÷ 该类别年度目标；不分类别时为有目标的会员类型的新入会会员之和 ÷ 其目标之和；"
              "没有目标时显示“无数据”；记录为目标（分母）")
GAP = (f"年度目标减去{YEAR_TO_DATE}，已完成的类别差额为0；不分类别时为企业、团体、个人三类差额之和；"
       "没有目标时显示“无数据”；记录为目标")
PROSPECT_SCOPE = "（商会秘书处为本商会的发展对象）"
PROSPECTS_NEW = f"登记日期在统计期间内的发展对象{PROSPECT_SCOPE}，按其当前阶段、来源分组"
PROSPECTS_OPEN = (f"统计期末前登记、当前处于线索、已联系、已走访或已申请阶段的发展对象{PROSPECT_SCOPE}"
                  "（当前状态，不计同比）；按类别查看时为可补该类别缺口的发展对象")
PROSPECTS_JOINED = f"统计期间内进入“已入会”阶段的发展对象{PROSPECT_SCOPE}"
APPLICATION_SCOPE = "（商会秘书处为申请同时加入本商会的）"
RECEIVED = f"提交时间在统计期间内的入会申请{APPLICATION_SCOPE}"
APPROVED = f"审核时间在统计期间内、已批准的入会申请{APPLICATION_SCOPE}"
REFUSED = f"审核时间在统计期间内、未通过的入会申请{APPLICATION_SCOPE}"


# --- the rows behind the figures ---------------------------------------------------------------------------------
def _category(category):
    if category is not None and category not in CATEGORY_LABELS:
        raise Http404("没有该目标类别。")
    return category


def new_members(user, start, end, category=None):
    """The memberships of the user's scope that joined from `start` to `end` (both included), of `category`."""
    rows = memberships_visible_to(user).filter(joined__gte=start, joined__lte=end)
    return rows.filter(MEMBER_CONDITIONS[_category(category)]) if category else rows


def targets_of(user, year, category=None):
    """This year's targets of the federations the user works in (the federation's roles; others 403)."""
    require_role(user, *FEDERATION_ROLES)
    rows = RecruitmentTarget.objects.filter(federation_id__in=federation_ids_in_scope(user), year=year)
    if category:
        return rows.filter(category=_category(category))
    return rows.filter(category__in=KIND_CATEGORIES)


@dataclass(frozen=True)
class Progress:
    """One target category this year: its target (None: none set), the members of it who joined this year to date,
    and the prospects now followed that would fill it."""

    category: str
    target: int | None
    joined: int
    prospects: int

    @property
    def label(self):
        return CATEGORY_LABELS[self.category]

    @property
    def rate(self):
        return ui.share(self.joined, self.target) if self.target else None

    @property
    def gap(self):
        return max(self.target - self.joined, 0) if self.target else None


def _counts(rows, conditions):
    found = rows.select_related(None).order_by().aggregate(
        **{f"n_{category}": Count("pk", filter=q) for category, q in conditions.items()})
    return {category: found[f"n_{category}"] or 0 for category in conditions}


def year_to_date(period):
    """1 January of the year the period ends in, to its end: what this year's targets are measured on."""
    return Period.custom(date(period.end.year, 1, 1), period.end)


def progress(user, period):
    """[Progress] of the six categories for the year the period ends in (three queries, whatever the data)."""
    span = year_to_date(period)
    targets = dict(RecruitmentTarget.objects.filter(
        federation_id__in=federation_ids_in_scope(user), year=span.end.year).order_by()
        .values_list("category").annotate(total=Sum("target")))
    joined = _counts(new_members(user, span.start, span.end), MEMBER_CONDITIONS)
    prospects = _counts(open_prospects(user, period), PROSPECT_CONDITIONS)
    return [Progress(category, targets.get(category), joined[category], prospects[category])
            for category in CATEGORY_LABELS]


def overall(rows):
    """The three member kinds together: Progress("", target, joined, prospects) over the kinds that have a target;
    its gap is the sum of their gaps (see the module's docstring)."""
    kinds = [row for row in rows if row.category in KIND_CATEGORIES and row.target]
    if not kinds:
        return None, None, None
    target = sum(row.target for row in kinds)
    joined = sum(row.joined for row in kinds)
    return target, ui.share(joined, target), sum(row.gap for row in kinds)


def _progress_of(user, period, category):
    require_role(user, *FEDERATION_ROLES)
    rows = progress(user, period)
    if category:
        row = next(row for row in rows if row.category == _category(category))
        return row.target, row.rate, row.gap
    return overall(rows)


def prospects_in(user, period, *, stage=None, source=None):
    start, end = period.bounds
    rows = prospects_visible_to(user).filter(created_at__gte=start, created_at__lt=end)
    if stage is not None:
        if stage not in STAGE_LABELS:
            raise Http404("没有该阶段。")
        rows = rows.filter(stage=stage)
    if source is not None:
        if source not in SOURCE_LABELS:
            raise Http404("没有该来源。")
        rows = rows.filter(source=source)
    return rows


def open_prospects(user, period, category=None):
    rows = prospects_visible_to(user).filter(stage__in=Prospect.OPEN_STAGES, created_at__lt=period.bounds[1])
    return rows.filter(PROSPECT_CONDITIONS[_category(category)]) if category else rows


def applications_in(user, period, status=None):
    start, end = period.bounds
    rows = applications_visible_to(user)
    if status is None:
        return rows.filter(submitted_at__gte=start, submitted_at__lt=end)
    return rows.filter(status=status, decided_at__gte=start, decided_at__lt=end)


# --- registered figures ------------------------------------------------------------------------------------------
@ui.figure("growth.new_members", label="新入会会员", unit="个", definition=NEW_MEMBERS)
def new_members_figure(*, user, period, category=None):
    return new_members(user, period.start, period.end, category)


@ui.figure("growth.target", label="本年发展目标", unit="个", definition=TARGET)
def target(*, user, period, category=None):
    return _progress_of(user, period, category)[0], targets_of(user, period.end.year, category)


@ui.figure("growth.target_completion", label="发展目标完成率", unit="%", definition=COMPLETION)
def target_completion(*, user, period, category=None):
    return _progress_of(user, period, category)[1], targets_of(user, period.end.year, category)


@ui.figure("growth.target_gap", label="距发展目标差额", unit="个", definition=GAP)
def target_gap(*, user, period, category=None):
    return _progress_of(user, period, category)[2], targets_of(user, period.end.year, category)


@ui.figure("growth.prospects_new", label="新增发展对象", unit="个", definition=PROSPECTS_NEW)
def prospects_new(*, user, period, stage=None, source=None):
    return prospects_in(user, period, stage=stage, source=source)


@ui.figure("growth.prospects_open", label="跟进中的发展对象", unit="个", definition=PROSPECTS_OPEN, compare=False)
def prospects_open(*, user, period, category=None):
    return open_prospects(user, period, category)


@ui.figure("growth.prospects_joined", label="发展对象转化入会", unit="个", definition=PROSPECTS_JOINED)
def prospects_joined(*, user, period):
    return prospects_visible_to(user).filter(stage=Prospect.Stage.JOINED, stage_changed_on__gte=period.start,
                                             stage_changed_on__lte=period.end)


@ui.figure("growth.applications_received", label="收到入会申请", unit="份", definition=RECEIVED)
def applications_received(*, user, period):
    return applications_in(user, period)


@ui.figure("growth.applications_approved", label="批准入会申请", unit="份", definition=APPROVED)
def applications_approved(*, user, period):
    return applications_in(user, period, MembershipApplication.Status.APPROVED)


@ui.figure("growth.applications_refused", label="未通过入会申请", unit="份", definition=REFUSED)
def applications_refused(*, user, period):
    return applications_in(user, period, MembershipApplication.Status.REFUSED)


# --- the drill-down's columns ------------------------------------------------------------------------------------
def _member_name(m):
    return str(m.enterprise or m.person or m.group)


MEMBER_COLUMNS = [
    Column("会员证号", "number", sort="number"),
    Column("会员", _member_name, wrap=True),
    Column("会员类型", lambda m: m.get_kind_display()),
    Column("入会日期", "joined", sort="joined"),
]
TARGET_COLUMNS = [
    Column("年度", "year"),
    Column("类别", lambda t: t.get_category_display()),
    Column("目标（家/人）", "target"),
    Column("所属工商联", lambda t: str(t.federation), wrap=True),
    Column("说明", "note", wrap=True),
]
PROSPECT_COLUMNS = [
    Column("名称", "name", link=lambda p: reverse("growth:prospect", args=[p.pk]), wrap=True, sort="name"),
    Column("阶段", lambda p: p.get_stage_display()),
    Column("来源", lambda p: p.get_source_display()),
    Column("发展商会", lambda p: p.chamber.name if p.chamber_id else "工商联", wrap=True),
    Column("负责人", lambda p: p.owner.get_full_name() or p.owner.username),
    Column("进入当前阶段", "stage_changed_on", sort="stage_changed_on"),
]
APPLICATION_COLUMNS = [
    Column("申请编号", "number", link=lambda a: reverse("growth:application", args=[a.pk]), sort="number"),
    Column("企业名称", "enterprise_name", wrap=True),
    Column("状态", lambda a: a.get_status_display()),
    Column("同时申请加入商会", lambda a: a.chamber.name if a.chamber_id else None, wrap=True),
    Column("提交时间", "submitted_at", sort="submitted_at"),
]
TARGET_KEYS = ("growth.target", "growth.target_completion", "growth.target_gap")
APPLICATION_KEYS = ("growth.applications_received", "growth.applications_approved", "growth.applications_refused")
RECORD_COLUMNS = {
    "growth.new_members": MEMBER_COLUMNS,
    **dict.fromkeys(TARGET_KEYS, TARGET_COLUMNS),
    **dict.fromkeys(("growth.prospects_new", "growth.prospects_open", "growth.prospects_joined"), PROSPECT_COLUMNS),
    **dict.fromkeys(APPLICATION_KEYS, APPLICATION_COLUMNS),
}
NARROWING = {
    "growth.new_members": ("category",),
    **dict.fromkeys(TARGET_KEYS, ("category",)),
    "growth.prospects_new": ("stage", "source"),
    "growth.prospects_open": ("category",),
}


# --- the statistics page's sections --------------------------------------------------------------------------------
def _targets(user, period):
    rows = progress(user, period)
    span = year_to_date(period)
    shown = tuple(ui.Row((row.label, row.target, row.joined, row.rate, row.gap, row.prospects), label=row.label,
                         records_url=records_url("growth.new_members", span, category=row.category))
                  for row in rows)
    total_target, total_rate, total_gap = overall(rows)
    kinds_joined = sum(row.joined for row in rows if row.category in KIND_CATEGORIES)
    kinds_prospects = sum(row.prospects for row in rows if row.category in KIND_CATEGORIES)
    shown += (ui.Row(("三类会员合计", total_target, kinds_joined, total_rate, total_gap, kinds_prospects),
                     label="三类会员合计", records_url=records_url("growth.new_members", span), total=True),)
    return ui.FigureSection(
        title=f"发展会员目标完成情况（{span.end.year}年，截至{span.end:%-m月%-d日}）", dom_id="stats-growth-targets",
        note="本年新入会为当年1月1日至统计期末入会的会员；私营、外地、高新技术企业为“三多三少”中需补足的类别，"
             "与企业会员重叠，不计入合计；跟进中的发展对象为当前可补该类别缺口的发展对象；没有目标的类别显示“无数据”。",
        table=ui.FigureTable("发展会员目标完成情况", (
            ui.Col("类别"), ui.Col("年度目标"), ui.Col("本年新入会"), ui.Col("完成率", unit="%"), ui.Col("距目标差额"),
            ui.Col("跟进中的发展对象")), shown, row_header=True, dom_id="table-growth-targets"))


def _new_members(user, period):
    counts = _counts(new_members(user, period.start, period.end), MEMBER_CONDITIONS)
    shown = tuple(ui.Row((CATEGORY_LABELS[category], counts[category]), label=CATEGORY_LABELS[category],
                         records_url=records_url("growth.new_members", period, category=category))
                  for category in CATEGORY_LABELS)
    total = sum(counts[category] for category in KIND_CATEGORIES)
    shown += (ui.Row(("合计", total), label="合计", records_url=records_url("growth.new_members", period),
                     total=True),)
    return ui.FigureSection(
        title=f"新入会会员（按类别，{period.label}）", dom_id="stats-growth-new-members",
        note="合计为企业、团体、个人三类会员之和；私营、外地、高新技术企业是企业会员中的类别。",
        figures=[counted_card("growth.new_members", total, period)],
        table=ui.FigureTable("新入会会员（按类别）", (ui.Col("类别"), ui.Col("新入会会员")), shown, row_header=True,
                             dom_id="table-growth-new-members"))


def _grouped(rows, field):
    return dict(rows.select_related(None).order_by().values_list(field).annotate(n=Count("pk")))


def _prospects(user, period):
    rows = prospects_in(user, period)
    by_stage, by_source = _grouped(rows, "stage"), _grouped(rows, "source")
    total = sum(by_stage.values())
    stages = tuple(ui.Row((label, by_stage.get(stage, 0)), label=label,
                          records_url=records_url("growth.prospects_new", period, stage=stage))
                   for stage, label in STAGE_LABELS.items())
    sources = tuple(ui.Row((label, by_source.get(source, 0)), label=label,
                           records_url=records_url("growth.prospects_new", period, source=source))
                    for source, label in SOURCE_LABELS.items())
    total_row = ui.Row(("合计", total), label="合计", records_url=records_url("growth.prospects_new", period),
                       total=True)
    return [
        ui.FigureSection(
            title=f"新增发展对象（按当前阶段，{period.label}）", dom_id="stats-growth-prospect-stages",
            figures=[counted_card("growth.prospects_new", total, period)],
            chart=ui.Chart("pie", SOURCE, "chart-growth-prospect-stages", "新增发展对象的当前阶段，数据见下表",
                           key="prospectStages") if total else None,
            chart_empty_text="统计期间没有新增发展对象",
            table=ui.FigureTable("新增发展对象（按阶段）", (ui.Col("阶段"), ui.Col("发展对象")), (*stages, total_row),
                                 row_header=True, dom_id="table-growth-prospect-stages"),
            chart_data={SOURCE: {"prospectStages": [{"name": row.cells[0], "value": row.cells[1]}
                                                    for row in stages if row.cells[1]]}}),
        ui.FigureSection(
            title=f"新增发展对象（按来源，{period.label}）", dom_id="stats-growth-prospect-sources",
            table=ui.FigureTable("新增发展对象（按来源）", (ui.Col("来源"), ui.Col("发展对象")), (*sources, total_row),
                                 row_header=True, dom_id="table-growth-prospect-sources")),
    ]


def _applications(user, period):
    start, end = period.bounds
    found = applications_visible_to(user).select_related(None).order_by().aggregate(
        received=Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
        approved=Count("pk", filter=Q(status=MembershipApplication.Status.APPROVED, decided_at__gte=start,
                                      decided_at__lt=end)),
        refused=Count("pk", filter=Q(status=MembershipApplication.Status.REFUSED, decided_at__gte=start,
                                     decided_at__lt=end)))
    joined = prospects_visible_to(user).filter(stage=Prospect.Stage.JOINED, stage_changed_on__gte=period.start,
                                               stage_changed_on__lte=period.end).count()
    return ui.FigureSection(
        title=f"入会申请与转化（{period.label}）", dom_id="stats-growth-applications",
        note="收到按提交时间统计，批准、未通过按审核时间统计；转化入会为统计期间内进入“已入会”阶段的发展对象。",
        figures=[counted_card("growth.applications_received", found["received"], period),
                 counted_card("growth.applications_approved", found["approved"], period),
                 counted_card("growth.applications_refused", found["refused"], period),
                 counted_card("growth.prospects_joined", joined, period)])


def sections(*, user, period):
    """The recruitment part: this year's targets and the 三多三少 gaps (the federation's roles), the period's new
    members by category, the new prospects by stage and by source, the applications. Eight queries at most."""
    found = [_targets(user, period)] if role_of(user) in FEDERATION_ROLES else []
    return [*found, _new_members(user, period), *_prospects(user, period), _applications(user, period)]


__all__ = ["NARROWING", "RECORD_COLUMNS", "Progress", "new_members", "progress", "sections"]
