"""Figures of 通知公告 (the seeds' "建立信息网络，及时向企业提供信息服务"), registered with the figures layer with the
records behind each, and the notices part of the statistics page (`sections(user=, period=)`).

The notices of a figure are those the user reads (`selectors.scopes.notices_visible_to`: the federation's roles
every notice of their federations, a chamber secretary those its chamber sent) sent within the period (`sent_at`)
and not withdrawn since (a withdrawn notice left the inboxes; its receipts stay on its page).

- 发送通知 (`communications.notices_sent`): those notices.
- 送达对象 (`communications.notice_recipients`): their recipients fixed when they were sent — enterprises (read on
  the phone by their users) and persons without an enterprise (reached by SMS only); the records are the receipts.
- 已读回执 (`communications.notice_reads`): the enterprise recipients that have opened the notice (up to now).
- 阅读率 (`communications.read_rate`): 已读 ÷ the enterprise recipients (a person reached by SMS has nothing to
  open); the records are the enterprise recipients. 无数据 when no enterprise was reached.

Narrowing (a table row's drill-down): `chamber=` (the sending chamber's id, or "none": sent by the federation
itself) and `audience=` (an `Audience` value); an id outside the user's scope or an unknown value is a 404.
"""

from django.db.models import Count
from django.http import Http404
from django.urls import reverse

from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Audience, Notice, NoticeRecipient
from ..selectors.notices import receipt_counts
from ..selectors.scopes import notices_visible_to
from .common import NONE, grouped
from .links import counted_card, records_url

SOURCE = "communications-notices"  # the json_script element the notice charts read
AUDIENCES = dict(Audience.choices)

IN_PERIOD = "发送时间在统计期间内、未撤回的通知公告（商会秘书处为本商会发出的）"
SENT = IN_PERIOD
RECIPIENTS = (f"{IN_PERIOD}的送达对象：发送时确定的企业（由企业账号在手机上阅读）和无所属企业的人士（仅短信），"
              "同一通知中每个对象只计一次；记录为这些接收记录")
READS = f"{IN_PERIOD}的企业接收对象中，截至今天已有账号打开阅读的"
READ_RATE = f"{IN_PERIOD}的企业接收对象中已阅读的比例（仅短信的人士不计入）；记录为这些企业接收记录"


# --- the records ------------------------------------------------------------------------------------------------
def _narrowed(user, rows, *, chamber=None, audience=None):
    """`rows` of one table row (see the module's docstring); 404 for an id outside the scope or an unknown value."""
    if chamber is not None:
        if chamber == NONE:
            rows = rows.filter(chamber__isnull=True)
        elif chambers_in_scope(user).filter(pk=chamber).exists():
            rows = rows.filter(chamber_id=chamber)
        else:
            raise Http404("没有该商会。")
    if audience is not None:
        if audience not in AUDIENCES:
            raise Http404("没有该发送对象类型。")
        rows = rows.filter(audience=audience)
    return rows


def notices_in(user, period, **narrowing):
    """The notices the user reads sent within `period` and not withdrawn, optionally of one table row."""
    start, end = period.bounds
    rows = notices_visible_to(user).filter(status=Notice.Status.SENT, sent_at__gte=start, sent_at__lt=end)
    return _narrowed(user, rows, **narrowing)


def receipts_in(user, period, **narrowing):
    """The receipts (recipients) of those notices."""
    notices = notices_in(user, period, **narrowing).select_related(None).values("pk")
    return NoticeRecipient.objects.filter(notice__in=notices).select_related("notice", "read_by")


# --- registered figures ------------------------------------------------------------------------------------------
@ui.figure("communications.notices_sent", label="发送通知", unit="条", definition=SENT)
def notices_sent(*, user, period, chamber=None, audience=None):
    return notices_in(user, period, chamber=chamber, audience=audience).select_related(
        "chamber_audience", "committee", "working_group", "event", "saved_filter")


@ui.figure("communications.notice_recipients", label="送达对象", unit="个", definition=RECIPIENTS)
def notice_recipients(*, user, period, chamber=None, audience=None):
    return receipts_in(user, period, chamber=chamber, audience=audience)


@ui.figure("communications.notice_reads", label="已读回执", unit="个", definition=READS)
def notice_reads(*, user, period, chamber=None, audience=None):
    return receipts_in(user, period, chamber=chamber, audience=audience).filter(read_at__isnull=False)


@ui.figure("communications.read_rate", label="阅读率", unit="%", definition=READ_RATE)
def read_rate(*, user, period, chamber=None, audience=None):
    rows = receipts_in(user, period, chamber=chamber, audience=audience).filter(enterprise__isnull=False)
    found = rows.order_by().aggregate(**receipt_counts())
    return ui.share(found["read"], found["enterprises"]), rows


# --- the drill-down's columns ------------------------------------------------------------------------------------
NOTICE_COLUMNS = [
    Column("编号", "number", link=lambda n: reverse("communications:notice", args=[n.pk]), sort="number"),
    Column("标题", "title", wrap=True),
    Column("发送单位", lambda n: n.chamber.name if n.chamber_id else "工商联", wrap=True),
    Column("发送对象", lambda n: n.audience_label, wrap=True),
    Column("发送时间", "sent_at", sort="sent_at"),
]
RECEIPT_COLUMNS = [
    Column("通知", lambda r: r.notice.title, link=lambda r: reverse("communications:notice", args=[r.notice_id]),
           wrap=True),
    Column("接收对象", "name", wrap=True, sort="name"),
    Column("方式", lambda r: "企业账号" if r.enterprise_id else "仅短信"),
    Column("阅读时间", "read_at", sort="read_at"),
    Column("提醒次数", "reminders"),
]
KEYS = ("communications.notices_sent", "communications.notice_recipients", "communications.notice_reads",
        "communications.read_rate")
RECORD_COLUMNS = {**dict.fromkeys(KEYS, RECEIPT_COLUMNS), "communications.notices_sent": NOTICE_COLUMNS}
NARROWING = dict.fromkeys(KEYS, ("chamber", "audience"))
HEADLINE = ("communications.notices_sent", "communications.notice_recipients", "communications.read_rate")


# --- the statistics page's sections --------------------------------------------------------------------------------
COLUMNS = (ui.Col("通知"), ui.Col("送达对象"), ui.Col("其中企业"), ui.Col("仅短信人士"), ui.Col("已读"),
           ui.Col("阅读率", unit="%"))


def _cells(notices, receipts):
    n, enterprises, read = receipts.get("n", 0), receipts.get("enterprises", 0), receipts.get("read", 0)
    return (notices, n, enterprises, n - enterprises, read, ui.share(read, enterprises))


def _table(title, first, rows, total, dom_id):
    shown = tuple(rows)
    if shown:
        shown += (total,)
    return ui.FigureTable(title, (ui.Col(first), *COLUMNS), shown, row_header=True, dom_id=dom_id,
                          empty_text="统计期间没有发送通知")


def _rates(rows):
    return [{"name": row.cells[0], "value": ui.chart_number(row.cells[6])} for row in rows if row.cells[6] is not None]


def sections(*, user, period):
    """The notices part: the headline's numbers by sender (the federation itself, each chamber) and by kind of
    audience. Five queries whatever the data."""
    notices = notices_in(user, period).select_related(None)
    receipts = NoticeRecipient.objects.filter(notice__in=notices.values("pk"))
    overall = receipts.order_by().aggregate(**receipt_counts())
    total_notices = notices.count()
    total = ui.Row(("合计", *_cells(total_notices, overall)), label="合计", total=True,
                   records_url=records_url("communications.notices_sent", period))

    by_sender = grouped(notices, "chamber_id", "chamber__name", n=Count("pk"))
    sender_receipts = grouped(receipts, "notice__chamber_id", **receipt_counts())
    senders = sorted(by_sender.values(), key=lambda row: (row["chamber_id"] is not None, row["chamber__name"] or ""))
    sender_rows = [ui.Row((row["chamber__name"] or "工商联", *_cells(row["n"], sender_receipts.get(row["chamber_id"],
                                                                                                  {}))),
                          label=row["chamber__name"] or "工商联",
                          records_url=records_url("communications.notices_sent", period,
                                                  chamber=row["chamber_id"] or NONE))
                   for row in senders]

    by_audience = grouped(notices, "audience", n=Count("pk"))
    audience_receipts = grouped(receipts, "notice__audience", **receipt_counts())
    audience_rows = [ui.Row((label, *_cells(by_audience[kind]["n"], audience_receipts.get(kind, {}))), label=label,
                            records_url=records_url("communications.notices_sent", period, audience=kind))
                     for kind, label in Audience.choices if kind in by_audience]
    return [
        ui.FigureSection(
            title=f"通知公告（按发送单位，{period.label}）", dom_id="stats-notices-senders",
            note="阅读率为企业接收对象中已阅读的比例；无所属企业的人士仅收到短信，不计入阅读率。",
            figures=[counted_card("communications.notices_sent", total_notices, period),
                     counted_card("communications.notice_recipients", overall["n"], period),
                     counted_card("communications.notice_reads", overall["read"], period),
                     counted_card("communications.read_rate", ui.share(overall["read"], overall["enterprises"]),
                                  period)],
            chart=ui.Chart("ranking", SOURCE, "chart-notices-senders", "各发送单位通知阅读率（%），数据见下表",
                           key="noticeSenderRates", unit="%") if _rates(sender_rows) else None,
            chart_empty_text="统计期间没有发送给企业的通知",
            table=_table("通知公告（按发送单位）", "发送单位", sender_rows, total, "table-notices-senders"),
            chart_data={SOURCE: {"noticeSenderRates": _rates(sender_rows)}}),
        ui.FigureSection(
            title=f"通知公告（按发送对象，{period.label}）", dom_id="stats-notices-audiences",
            chart=ui.Chart("pie", SOURCE, "chart-notices-audiences", "各类发送对象的通知条数，数据见下表",
                           key="noticeAudiences") if audience_rows else None,
            chart_empty_text="统计期间没有发送通知",
            table=_table("通知公告（按发送对象）", "发送对象", audience_rows, total, "table-notices-audiences"),
            chart_data={SOURCE: {"noticeAudiences": [{"name": row.cells[0], "value": row.cells[1]}
                                                     for row in audience_rows]}}),
    ]


def last_sent(user):
    """The notice the user's scope sent last (not withdrawn) with its receipts' counts, or None (the 工作台)."""
    notice = (notices_visible_to(user).filter(status=Notice.Status.SENT).select_related(None)
              .order_by("-sent_at", "-id").first())
    if notice is None:
        return None
    found = notice.recipients.order_by().aggregate(**receipt_counts())
    return notice, found


__all__ = ["NARROWING", "RECORD_COLUMNS", "last_sent", "notices_in", "receipts_in",
           "sections"]
