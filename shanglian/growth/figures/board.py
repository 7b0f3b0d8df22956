"""Figures of 供需对接 (the supply–demand board and matchmaking), registered with the figures layer with the records
behind each, and the board part of the statistics page (`sections(user=, period=)`).

- 发布供需信息 (`growth.posts`): posts of the user's board (`selectors.scopes.posts_visible_to`: the federation's
  roles every post of their federations, a chamber secretary its federation's open posts) published within the
  period, by category.
- 对接请求 / 同意对接: contact requests made within the period / accepted within the period (`decided_at`), on the
  posts of the federation's roles (a chamber secretary reads no contact request: 403, and its page leaves them out).
- 对接成果, 达成合作, 合作金额, 融资金额, 招聘人数: the outcomes recorded (`outcomes_visible_to`: a chamber secretary
  those of its active member enterprises) reached within the period; amounts are summed exactly to the fen and shown
  in 万元 with two places (half up), 招聘人数 the jobs filled of the hiring outcomes.
- 对接活动 (`growth.matchmaking_events`, the seeds' "召开融资推介会8次"): the held events (`events.figures.held_events`:
  neither 草稿 nor 已取消, starting within the period, the user's events scope) of the matchmaking kinds — 企业对接洽谈会,
  融资推介会, 推介会, 招聘会 — by kind.

Narrowing: `category=` (a post category) for the posts and the requests, `kind=` (an outcome kind) for the outcomes,
`event_kind=` (the id of one of the matchmaking event kinds) for the events; an unknown value is a 404.
"""

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse

from shanglian.accounts.roles import FEDERATION_ROLES, role_of
from shanglian.common.models import DictItem
from shanglian.common.money import fen, wan, yuan_text
from shanglian.events.figures import held_events
from shanglian.ui import figures as ui
from shanglian.ui.figures import chart_number
from shanglian.ui.listing import Column

from ..models import ContactRequest, MatchOutcome, Post
from ..selectors.board import MATCHMAKING_KINDS
from ..selectors.scopes import contact_requests_visible_to, outcomes_visible_to, posts_visible_to
from .links import counted_card, records_url

SOURCE = "growth-board"
CATEGORY_LABELS = dict(Post.Category.choices)
KIND_LABELS = dict(MatchOutcome.Kind.choices)
K = MatchOutcome.Kind

POSTS = "发布时间在统计期间内的供需信息（商会秘书处为本工商联对接中的信息）"
REQUESTS = "请求时间在统计期间内的对接请求（工商联可见；商会秘书处不查看对接请求）"
ACCEPTED = "统计期间内发布方同意的对接请求（同意后请求方才能看到发布方的联系方式）"
OUTCOME_SCOPE = "（商会秘书处为本商会在册会员企业的成果）"
OUTCOMES = f"达成日期在统计期间内登记的对接成果{OUTCOME_SCOPE}"
DEALS = f"达成日期在统计期间内、类型为达成合作的对接成果{OUTCOME_SCOPE}"
DEAL_AMOUNT = (f"达成日期在统计期间内的达成合作成果{OUTCOME_SCOPE}的金额之和，精确到分后折算为万元（保留两位小数，四舍五入）；"
               "记录为这些成果")
FINANCING_AMOUNT = (f"达成日期在统计期间内的获得融资成果{OUTCOME_SCOPE}的金额之和，精确到分后折算为万元（保留两位小数，"
                    "四舍五入）；记录为这些成果")
JOBS = f"达成日期在统计期间内的招聘用工成果{OUTCOME_SCOPE}的招聘人数之和；记录为这些成果"
EVENTS = ("开始时间在统计期间内、已举办（非草稿、未取消）的企业对接洽谈会、融资推介会、推介会、招聘会"
          "（商会秘书处为本商会主办的）")


# --- the rows behind the figures ---------------------------------------------------------------------------------
def posts_in(user, period, category=None):
    start, end = period.bounds
    rows = posts_visible_to(user).filter(created_at__gte=start, created_at__lt=end)
    if category is not None:
        if category not in CATEGORY_LABELS:
            raise Http404("没有该供需类别。")
        rows = rows.filter(category=category)
    return rows


def requests_in(user, period, category=None, *, accepted=False):
    start, end = period.bounds
    rows = contact_requests_visible_to(user)
    if accepted:
        rows = rows.filter(status=ContactRequest.Status.ACCEPTED, decided_at__gte=start, decided_at__lt=end)
    else:
        rows = rows.filter(created_at__gte=start, created_at__lt=end)
    if category is not None:
        if category not in CATEGORY_LABELS:
            raise Http404("没有该供需类别。")
        rows = rows.filter(post__category=category)
    return rows


def outcomes_in(user, period, kind=None):
    rows = outcomes_visible_to(user).filter(reached_on__gte=period.start, reached_on__lte=period.end)
    if kind is not None:
        if kind not in KIND_LABELS:
            raise Http404("没有该成果类型。")
        rows = rows.filter(kind=kind)
    return rows


def matchmaking_events(user, period, event_kind=None):
    rows = held_events(user, period).filter(kind__code__in=MATCHMAKING_KINDS)
    if event_kind is not None:
        if not DictItem.objects.filter(kind="event_kind", code__in=MATCHMAKING_KINDS, pk=event_kind).exists():
            raise Http404("没有该对接活动类型。")
        rows = rows.filter(kind_id=event_kind)
    return rows


def _sum(rows, field):
    return rows.select_related(None).order_by().aggregate(total=Sum(field))["total"]


# --- registered figures ------------------------------------------------------------------------------------------
@ui.figure("growth.posts", label="发布供需信息", unit="条", definition=POSTS)
def posts(*, user, period, category=None):
    return posts_in(user, period, category)


@ui.figure("growth.contact_requests", label="对接请求", unit="次", definition=REQUESTS)
def contact_requests(*, user, period, category=None):
    return requests_in(user, period, category)


@ui.figure("growth.contacts_accepted", label="同意对接", unit="次", definition=ACCEPTED)
def contacts_accepted(*, user, period, category=None):
    return requests_in(user, period, category, accepted=True)


@ui.figure("growth.outcomes", label="对接成果", unit="项", definition=OUTCOMES)
def outcomes(*, user, period, kind=None):
    return outcomes_in(user, period, kind)


@ui.figure("growth.deals", label="达成合作", unit="项", definition=DEALS)
def deals(*, user, period):
    return outcomes_in(user, period, K.DEAL)


@ui.figure("growth.deal_amount", label="合作金额", unit="万元", definition=DEAL_AMOUNT)
def deal_amount(*, user, period):
    rows = outcomes_in(user, period, K.DEAL)
    return wan(_sum(rows, "amount")), rows


@ui.figure("growth.financing_amount", label="融资金额", unit="万元", definition=FINANCING_AMOUNT)
def financing_amount(*, user, period):
    rows = outcomes_in(user, period, K.FINANCING)
    return wan(_sum(rows, "amount")), rows


@ui.figure("growth.jobs", label="招聘人数", unit="人", definition=JOBS)
def jobs(*, user, period):
    rows = outcomes_in(user, period, K.HIRING)
    return _sum(rows, "jobs") or 0, rows


@ui.figure("growth.matchmaking_events", label="对接活动", unit="场", definition=EVENTS)
def matchmaking_events_figure(*, user, period, event_kind=None):
    return matchmaking_events(user, period, event_kind)


# --- the drill-down's columns ------------------------------------------------------------------------------------
POST_COLUMNS = [
    Column("编号", "number", link=lambda p: reverse("growth:post", args=[p.pk]), sort="number"),
    Column("标题", "title", wrap=True),
    Column("类别", lambda p: p.get_category_display()),
    Column("发布企业", lambda p: p.enterprise.name, wrap=True),
    Column("状态", lambda p: p.get_status_display()),
    Column("发布时间", "created_at", sort="created_at"),
]
REQUEST_COLUMNS = [
    Column("供需信息", lambda r: r.post.title, link=lambda r: reverse("growth:post", args=[r.post_id]), wrap=True),
    Column("发布企业", lambda r: r.post.enterprise.name, wrap=True),
    Column("请求企业", lambda r: r.requester.name, wrap=True),
    Column("状态", lambda r: r.get_status_display()),
    Column("请求时间", "created_at", sort="created_at"),
]
OUTCOME_COLUMNS = [
    Column("成果类型", lambda o: o.get_kind_display()),
    Column("企业", lambda o: o.enterprise.name, wrap=True),
    Column("对接方", lambda o: o.partner.name if o.partner_id else o.partner_name or None, wrap=True),
    Column("金额（元）", lambda o: yuan_text(o.amount) if o.amount else None, sort="amount"),
    Column("招聘人数", "jobs"),
    Column("对接活动", lambda o: o.event.title if o.event_id else None, wrap=True),
    Column("达成日期", "reached_on", sort="reached_on"),
]
EVENT_COLUMNS = [
    Column("活动编号", "number", link=lambda e: reverse("events:detail", args=[e.pk]), sort="number"),
    Column("活动名称", "title", wrap=True),
    Column("活动类型", lambda e: e.kind.label),
    Column("开始时间", "starts_at", sort="starts_at"),
    Column("地点", "venue", wrap=True),
]
OUTCOME_KEYS = ("growth.outcomes", "growth.deals", "growth.deal_amount", "growth.financing_amount", "growth.jobs")
RECORD_COLUMNS = {
    "growth.posts": POST_COLUMNS,
    "growth.contact_requests": REQUEST_COLUMNS,
    "growth.contacts_accepted": REQUEST_COLUMNS,
    **dict.fromkeys(OUTCOME_KEYS, OUTCOME_COLUMNS),
    "growth.matchmaking_events": EVENT_COLUMNS,
}
NARROWING = {
    "growth.posts": ("category",), "growth.contact_requests": ("category",),
    "growth.contacts_accepted": ("category",), "growth.outcomes": ("kind",),
    "growth.matchmaking_events": ("event_kind",),
}


# --- the statistics page's sections --------------------------------------------------------------------------------
def _posts(user, period):
    by_category = dict(posts_in(user, period).select_related(None).order_by().values_list("category")
                       .annotate(n=Count("pk")))
    federation = role_of(user) in FEDERATION_ROLES
    requests, accepted = {}, {}
    if federation:
        start, end = period.bounds
        rows = (contact_requests_visible_to(user).select_related(None).order_by().values("post__category")
                .annotate(made=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
                          accepted=Count("pk", filter=Q(status=ContactRequest.Status.ACCEPTED,
                                                        decided_at__gte=start, decided_at__lt=end))))
        for row in rows:
            requests[row["post__category"]], accepted[row["post__category"]] = row["made"], row["accepted"]
    columns = (ui.Col("类别"), ui.Col("发布供需信息"), *((ui.Col("对接请求"), ui.Col("同意对接")) if federation else ()))

    def cells(label, category=None):
        if category is None:
            found = (sum(by_category.values()), sum(requests.values()), sum(accepted.values()))
        else:
            found = (by_category.get(category, 0), requests.get(category, 0), accepted.get(category, 0))
        return (label, *(found if federation else found[:1]))

    shown = tuple(ui.Row(cells(label, category), label=label,
                         records_url=records_url("growth.posts", period, category=category))
                  for category, label in CATEGORY_LABELS.items())
    total = cells("合计")
    shown += (ui.Row(total, label="合计", records_url=records_url("growth.posts", period), total=True),)
    cards = [counted_card("growth.posts", total[1], period)]
    if federation:
        cards += [counted_card("growth.contact_requests", total[2], period),
                  counted_card("growth.contacts_accepted", total[3], period)]
    return ui.FigureSection(
        title=f"供需信息（按类别，{period.label}）", dom_id="stats-growth-posts", figures=cards,
        note="对接请求经平台转达，发布方同意后请求方才能看到其联系方式。" if federation else "",
        chart=ui.Chart("ranking", SOURCE, "chart-growth-posts", "各类供需信息条数，数据见下表", key="postCategories",
                       unit="条") if total[1] else None,
        chart_empty_text="统计期间没有发布供需信息",
        table=ui.FigureTable("供需信息（按类别）", columns, shown, row_header=True, dom_id="table-growth-posts"),
        chart_data={SOURCE: {"postCategories": [{"name": row.cells[0], "value": row.cells[1]}
                                                for row in shown[:-1] if row.cells[1]]}})


def _outcomes(user, period):
    rows = (outcomes_in(user, period).select_related(None).order_by().values("kind")
            .annotate(n=Count("pk"), amount=Sum("amount"), jobs=Sum("jobs")))
    found = {row["kind"]: row for row in rows}

    def cells(label, kinds):
        n = sum(found[kind]["n"] for kind in kinds if kind in found)
        amount = sum((fen(found[kind]["amount"]) for kind in kinds if kind in found), start=fen(None))
        jobs_filled = sum(found[kind]["jobs"] or 0 for kind in kinds if kind in found)
        return (label, n, wan(amount), jobs_filled)

    shown = tuple(ui.Row(cells(label, (kind,)), label=label, records_url=records_url("growth.outcomes", period,
                                                                                     kind=kind))
                  for kind, label in KIND_LABELS.items())
    total = cells("合计", tuple(KIND_LABELS))
    shown += (ui.Row(total, label="合计", records_url=records_url("growth.outcomes", period), total=True),)
    by_kind = {kind: row.cells for kind, row in zip(KIND_LABELS, shown, strict=False)}
    return ui.FigureSection(
        title=f"对接成果（{period.label}）", dom_id="stats-growth-outcomes",
        note="金额按元精确到分求和后折算为万元（保留两位小数，四舍五入）；招聘人数为招聘用工成果的招聘人数之和。",
        figures=[counted_card("growth.outcomes", total[1], period),
                 counted_card("growth.deals", by_kind[K.DEAL][1], period),
                 counted_card("growth.deal_amount", by_kind[K.DEAL][2], period),
                 counted_card("growth.financing_amount", by_kind[K.FINANCING][2], period),
                 counted_card("growth.jobs", by_kind[K.HIRING][3], period)],
        table=ui.FigureTable("对接成果（按类型）", (ui.Col("成果类型"), ui.Col("成果"), ui.Col("金额（万元）"),
                                                 ui.Col("招聘人数")), shown, row_header=True,
                             dom_id="table-growth-outcomes"))


def _events(user, period):
    counts = dict(matchmaking_events(user, period).select_related(None).order_by().values_list("kind_id")
                  .annotate(n=Count("pk")))
    kinds = DictItem.objects.filter(kind="event_kind", code__in=MATCHMAKING_KINDS).order_by("order", "code")
    shown = tuple(ui.Row((item.label, counts.get(item.pk, 0)), label=item.label,
                         records_url=records_url("growth.matchmaking_events", period, event_kind=item.pk))
                  for item in kinds)
    total = sum(counts.values())
    shown += (ui.Row(("合计", total), label="合计", records_url=records_url("growth.matchmaking_events", period),
                     total=True),)
    return ui.FigureSection(
        title=f"对接活动（按类型，{period.label}）", dom_id="stats-growth-events",
        note="对接活动为已举办（非草稿、未取消）的企业对接洽谈会、融资推介会、推介会和招聘会，按开始时间统计。",
        figures=[counted_card("growth.matchmaking_events", total, period)],
        chart=ui.Chart("ranking", SOURCE, "chart-growth-events", "各类对接活动场次，数据见下表", key="eventKinds",
                       unit="场") if total else None,
        chart_empty_text="统计期间没有举办对接活动",
        table=ui.FigureTable("对接活动（按类型）", (ui.Col("活动类型"), ui.Col("场次")), shown, row_header=True,
                             dom_id="table-growth-events"),
        chart_data={SOURCE: {"eventKinds": [{"name": row.cells[0], "value": chart_number(row.cells[1])}
                                            for row in shown[:-1] if row.cells[1]]}})


def sections(*, user, period):
    """The board part: posts by category (with the contact requests for the federation's roles), outcomes by kind
    with their amounts in 万元 and jobs, matchmaking events by kind. Five queries whatever the data."""
    return [_posts(user, period), _outcomes(user, period), _events(user, period)]


__all__ = ["MATCHMAKING_KINDS", "NARROWING", "RECORD_COLUMNS", "matchmaking_events", "outcomes_in", "sections"]
