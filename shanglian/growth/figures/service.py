"""Figures of 服务企业（双万双服） and the 会员名录, registered with the figures layer with the records behind each, and
the service part of the statistics page (`sections(user=, period=)`).

- 纳入服务企业 (`growth.enrolled`, the seeds' "纳入民营企业1515家"): the distinct enterprises with a service enrollment
  (`selectors.scopes.enrollments_visible_to`: the federation's roles their federations', a chamber secretary its
  active member enterprises') in force on the period's state day (`Period.as_of`: its last day, or today while it
  runs) — 纳入日期 on or before it, 退出日期 empty or after it. An enterprise enrolled in two programmes counts once;
  by programme it counts in each. This is the enrollment itself, not a proxy (appeals, visits).
- 新纳入服务企业: the distinct enterprises with an enrollment whose 纳入日期 falls within the period.
- 名录展示会员 (`growth.listed`): the directory entries listed today (`listings_visible_to`) of enterprises that are
  members in force today of the entry's federation (`members.selectors.membership_in_force_q`) — a state of today,
  no 同比.

Narrowing: `programme=` (a `service_programme` dictionary item's id, checked before any query by the page; an id
that is not a service programme is a 404).
"""

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shanglian.common.models import DictItem
from shanglian.members.models import Enterprise
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..selectors.enrollments import in_force_q
from ..selectors.listings import member_in_force
from ..selectors.scopes import enrollments_visible_to, listings_visible_to
from .links import counted_card, records_url

SOURCE = "growth-service"
PROGRAMME_KIND = "service_programme"
SCOPE = "（商会秘书处为本商会在册会员企业）"
ENROLLED = (f"统计期末（期末晚于今天时为今天）处于纳入状态的服务企业{SCOPE}：纳入日期不晚于该日、尚未退出；同一企业纳入多个"
            "服务项目只计一次（按服务项目查看时各计一次）；记录为这些企业")
ENROLLED_NEW = f"纳入日期在统计期间内的服务企业{SCOPE}（同一企业只计一次）；记录为这些企业"
LISTED = "当前在会员名录中展示、且今天为该工商联在册会员的企业名录条目（当前状态，不计同比）"


def _programme(programme):
    if programme is not None and not DictItem.objects.filter(kind=PROGRAMME_KIND, pk=programme).exists():
        raise Http404("没有该服务项目。")
    return programme


def enrollments_on(user, day, programme=None):
    """The enrollments of the user's scope in force on `day` (of one programme)."""
    rows = enrollments_visible_to(user).filter(in_force_q(day))
    return rows.filter(programme_id=_programme(programme)) if programme is not None else rows


def enrollments_in(user, period, programme=None):
    rows = enrollments_visible_to(user).filter(enrolled_on__gte=period.start, enrolled_on__lte=period.end)
    return rows.filter(programme_id=_programme(programme)) if programme is not None else rows


def _enterprises(enrollments):
    return Enterprise.objects.filter(pk__in=enrollments.select_related(None).order_by().values("enterprise_id")
                                     ).select_related("industry", "street")


def listed_entries(user):
    """The directory entries listed today of members in force today of the entry's federation."""
    return listings_visible_to(user).filter(member_in_force(timezone.localdate()), listed=True)


# --- registered figures ------------------------------------------------------------------------------------------
@ui.figure("growth.enrolled", label="纳入服务企业", unit="家", definition=ENROLLED)
def enrolled(*, user, period, programme=None):
    return _enterprises(enrollments_on(user, period.as_of(), programme))


@ui.figure("growth.enrolled_new", label="新纳入服务企业", unit="家", definition=ENROLLED_NEW)
def enrolled_new(*, user, period, programme=None):
    return _enterprises(enrollments_in(user, period, programme))


@ui.figure("growth.listed", label="名录展示会员", unit="家", definition=LISTED, compare=False)
def listed(*, user, period):
    return listed_entries(user)


# --- the drill-down's columns ------------------------------------------------------------------------------------
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True,
           sort="name"),
    Column("统一社会信用代码", "uscc"),
    Column("行业", lambda e: e.industry.name, wrap=True),
    Column("所在街道", lambda e: e.street.name if e.street_id else None),
]
LISTING_COLUMNS = [
    Column("企业名称", lambda entry: entry.enterprise.name, wrap=True),
    Column("行业", lambda entry: entry.enterprise.industry.name, wrap=True),
    Column("更新时间", "updated_at", sort="updated_at"),
]
RECORD_COLUMNS = {"growth.enrolled": ENTERPRISE_COLUMNS, "growth.enrolled_new": ENTERPRISE_COLUMNS,
                  "growth.listed": LISTING_COLUMNS}
NARROWING = {"growth.enrolled": ("programme",), "growth.enrolled_new": ("programme",)}


# --- the statistics page's sections --------------------------------------------------------------------------------
def _by_programme(rows):
    return dict(rows.select_related(None).order_by().values_list("programme_id")
                .annotate(n=Count("enterprise_id", distinct=True)))


def _distinct(rows):
    return rows.select_related(None).order_by().aggregate(n=Count("enterprise_id", distinct=True))["n"]


def _enrollments(user, period):
    day = period.as_of()
    current, new = enrollments_on(user, day), enrollments_in(user, period)
    in_force, joined = _by_programme(current), _by_programme(new)
    total_in_force, total_new = _distinct(current), _distinct(new)
    programmes = DictItem.objects.filter(kind=PROGRAMME_KIND).filter(
        Q(is_active=True) | Q(pk__in=[*in_force, *joined])).order_by("order", "code")
    shown = tuple(ui.Row((item.label, in_force.get(item.pk, 0), joined.get(item.pk, 0)), label=item.label,
                         records_url=records_url("growth.enrolled", period, programme=item.pk))
                  for item in programmes)
    shown += (ui.Row(("合计（去重）", total_in_force, total_new), label="合计（去重）",
                     records_url=records_url("growth.enrolled", period), total=True),)
    return ui.FigureSection(
        title=f"服务企业（按服务项目，截至{day:%Y年%-m月%-d日}）", dom_id="stats-growth-enrollments",
        note="纳入企业按统计期末（期末晚于今天时为今天）的纳入状态统计；同一企业纳入多个服务项目时在各项目中各计一次，"
             "合计行只计一次。",
        figures=[counted_card("growth.enrolled", total_in_force, period),
                 counted_card("growth.enrolled_new", total_new, period)],
        chart=ui.Chart("ranking", SOURCE, "chart-growth-enrollments", "各服务项目纳入企业（家），数据见下表",
                       key="enrolledProgrammes", unit="家") if total_in_force else None,
        chart_empty_text="没有纳入服务的企业",
        table=ui.FigureTable("服务企业（按服务项目）", (ui.Col("服务项目"), ui.Col("纳入企业"), ui.Col("本期新纳入")),
                             shown, row_header=True, dom_id="table-growth-enrollments"),
        chart_data={SOURCE: {"enrolledProgrammes": [{"name": row.cells[0], "value": row.cells[1]}
                                                    for row in shown[:-1] if row.cells[1]]}})


def _directory(user, period):
    return ui.FigureSection(
        title="会员名录（当前）", dom_id="stats-growth-directory",
        note="会员自行选择在名录中展示的字段；未展示的字段不会出现在任何页面、接口和导出中。",
        figures=[counted_card("growth.listed", listed_entries(user).count(), period)])


def sections(*, user, period):
    """The service part: enrollments by programme (in force and new) and the directory's listed members. Six
    queries whatever the data."""
    return [_enrollments(user, period), _directory(user, period)]


__all__ = ["NARROWING", "RECORD_COLUMNS", "enrollments_on", "listed_entries", "sections"]
