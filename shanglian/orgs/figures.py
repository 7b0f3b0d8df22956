"""Figures of the organisation itself (the seeds' "12个专门委员会", "规范街道、异地、行业、楼宇等25个基层商会", the
streets of the district), registered with the figures layer (`shanglian.ui.figures`) with the records behind each.

The records come from the scoped selectors (`selectors.py`): a federation role reads its federation and those
under it (a city sees the sum of its districts), a chamber secretary its own chamber (the chamber figures) and
nothing else (403, as the organisation's pages refuse it).

What the records keep decides what can be compared over time:

- **专门委员会** and **街道（镇）** carry no dates: they are counted as they are (the committees and streets of the
  scope), so they have no 同比/环比.
- **基层商会**: a chamber's founding date (`Chamber.founded`, optional) is kept, its status (正常/暂停活动/已注销) only
  as it is now. A chamber counts at the period's end (today while the period runs, `Period.as_of`) when its status
  is 正常 and it was founded on or before that day (a chamber without a founding date counts as founded); a
  chamber suspended or dissolved since is left out of earlier periods too. `kind=` narrows to one
  `Chamber.Kind` (街道（镇）商会, 行业商会, 异地商会, 楼宇商会, 其他).
- **新成立商会**: chambers whose founding date falls in the period, whatever their status now; `kind=` as above.

`RECORD_COLUMNS` gives each figure's drill-down columns, `NARROWING` the parameters each takes.
"""

from django.http import Http404
from django.urls import reverse

from shanglian.ui.figures import figure
from shanglian.ui.listing import Column

from .models import Chamber
from .selectors import chambers_in_scope, committees_visible_to, streets_in_scope

KIND_LABELS = dict(Chamber.Kind.choices)
AS_OF = "统计期末（期末晚于今天时为今天）"
CHAMBERS = (f"状态为“正常”且成立日期不晚于{AS_OF}的商会（未填成立日期的视为已成立；商会状态只记当前状态，"
            "已暂停活动或注销的商会在此前各期也不计入；商会秘书处为本商会）")
FOUNDED = "成立日期在统计期间内的商会（不论其当前状态；商会秘书处为本商会）"
COMMITTEES = "本工商联及所辖工商联的专门委员会（专门委员会不记设立日期，按现有数计，不作同比环比）"
STREETS = "本工商联及所辖工商联辖区内的街道（镇）（不记设立日期，按现有数计，不作同比环比）"


def _of_kind(chambers, kind):
    if kind is None:
        return chambers
    if kind not in KIND_LABELS:
        raise Http404("没有该商会类型。")
    return chambers.filter(kind=kind)


def active_chambers(user, on, kind=None):
    """The chambers of the user's scope active on `on` (see the module's docstring)."""
    chambers = chambers_in_scope(user).filter(status=Chamber.Status.ACTIVE).exclude(founded__gt=on)
    return _of_kind(chambers, kind).select_related("federation", "street")


@figure("orgs.committees", label="专门委员会", unit="个", compare=False, definition=COMMITTEES)
def committees(*, user, period):
    return committees_visible_to(user)


@figure("orgs.chambers", label="基层商会", unit="个", definition=CHAMBERS)
def chambers(*, user, period, kind=None):
    return active_chambers(user, period.as_of(), kind)


@figure("orgs.chambers_founded", label="新成立商会", unit="个", definition=FOUNDED)
def chambers_founded(*, user, period, kind=None):
    chambers = chambers_in_scope(user).filter(founded__gte=period.start, founded__lte=period.end)
    return _of_kind(chambers, kind).select_related("federation", "street")


@figure("orgs.streets", label="街道（镇）", unit="个", compare=False, definition=STREETS)
def streets(*, user, period):
    return streets_in_scope(user)


# --- the drill-down's columns -------------------------------------------------------------------------------
CHAMBER_COLUMNS = [
    Column("商会名称", "name", link=lambda c: reverse("orgs:chamber_detail", args=[c.pk]), wrap=True, sort="name"),
    Column("类型", "get_kind_display", sort="kind"),
    Column("所属工商联", "federation.name"),
    Column("所在街道", "street.name"),
    Column("成立日期", "founded", sort="founded"),
    Column("状态", "get_status_display", sort="status"),
]
COMMITTEE_COLUMNS = [
    Column("名称", "name", link=lambda c: reverse("orgs:committee_detail", args=[c.pk]), wrap=True, sort="name"),
    Column("所属工商联", "federation.name"),
]
STREET_COLUMNS = [
    Column("名称", "name", link=lambda s: reverse("orgs:street_detail", args=[s.pk]), sort="name"),
    Column("街道代码", "code", sort="code"),
    Column("镇", lambda s: "镇" if s.is_town else "街道"),
    Column("所属工商联", "federation.name"),
]
RECORD_COLUMNS = {"orgs.committees": COMMITTEE_COLUMNS, "orgs.chambers": CHAMBER_COLUMNS,
                  "orgs.chambers_founded": CHAMBER_COLUMNS, "orgs.streets": STREET_COLUMNS}
NARROWING = {"orgs.chambers": ("kind",), "orgs.chambers_founded": ("kind",)}
