"""A statistics page composed of an app's parts (`figures/<part>.py`), configured once per app:

    STATISTICS = PartsStatistics(app="welfare", area="光彩公益", title="光彩公益统计", parts=((giving, None), …),
                                 card=links.card, export=audited_export, headline=("welfare.total", …), …)

    @never_cache
    @login_required
    def statistics(request):
        return STATISTICS.respond(request)

    @login_required
    def figure_records(request, key):
        return STATISTICS.records(request, key)

The page: the period form; a headline section of cards (`headline`: figure keys, each alone or with the roles it
is shown to; None: each shown part's own `HEADLINE`) with 同比 (YEAR_AGO) when the period is under a year; then
each shown part's `sections(user=, period=)`, in `parts` order (a part is `(module, roles)`: roles None is every
role of the page); rendered by `ui/figures_page.html`; `?export=xlsx` is the 总体 sheet of the headline and the
page's tables, through the app's `export` (`audited_export`: the ui floor imports no `imports`). The drill-down
(`records`) shows the records behind any `<app>.*` figure with the columns its part names (`RECORD_COLUMNS`), of
one table row as the part declares it takes (`NARROWING`): an id param is checked before any query (a wrong one
is 404), an id-or-none one may also be "none", every value is cut to `max_param` characters.

The views stay in the app's module (their module names the page in the audit log)."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from shanglian.accounts.roles import MEMBER_READER_ROLES, require_role, role_of
from shanglian.common.validators import is_id
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column
from shanglian.ui.periods import PeriodForm

MAX_COMPARED_DAYS = 366  # a period compared with the same period a year earlier (同比): a year at most
NONE = "none"  # an id-or-none param's "no such row" (未填)


def _link(obj):
    url = getattr(obj, "get_absolute_url", None)
    return url() if callable(url) else ""


FALLBACK_COLUMNS = [Column("记录", str, link=_link, wrap=True)]


def overall_table(cards):
    """The 总体 sheet of the export: each headline figure, now and a year earlier."""
    return ui.FigureTable("总体", (ui.Col("指标"), ui.Col("数值"), ui.Col("上年同期"), ui.Col("同比"), ui.Col("口径")),
                          tuple(ui.Row((f"{f.label}（{f.unit}）" if f.unit else f.label, f.value, f.year_ago,
                                        f.year_ago_change, f.definition)) for f in cards))


@dataclass(frozen=True)
class PartsStatistics:
    app: str  # the url namespace and the figure keys' prefix ("engagement": engagement:statistics, engagement.*)
    area: str  # the breadcrumbs' first item (政治引领)
    title: str  # the page's title and the export's (政治引领统计)
    parts: tuple  # ((module, roles or None), …) in the page's order
    card: object  # the app's `links.card(figure, period, prefix=)`: a figure as a card linked to its records
    export: object  # `audited_export`
    headline: tuple = None  # (key or (key, roles), …); None: each shown part's `HEADLINE`
    period_note: str = ""  # after the period in the period label: 统计期间：<period>（<period_note>）
    headline_note: str = "同比为与上年同期相比。"  # under the headline when compared
    uncompared_note: str = "统计期间超过一年，不计同比。"
    footnote: str = ""
    id_params: frozenset = frozenset()  # a row's id: checked before any query (a wrong one is 404), an int
    id_or_none_params: frozenset = frozenset()  # an id (an int) or "none"
    max_param: int = 40
    roles: tuple = MEMBER_READER_ROLES
    check: object = None  # called with the user before anything is counted (a scope's refusal first)
    url_name: str = ""  # default "<app>:statistics"
    object_type: str = ""  # of the export's audit event; default "<app>.statistics"
    report: str = ""  # the export's detail "report"; default "<app>_statistics"

    # --- the page ----------------------------------------------------------------------------------------
    @property
    def page_url_name(self):
        return self.url_name or f"{self.app}:statistics"

    def shown(self, user, roles):
        return roles is None or role_of(user) in roles

    def shown_parts(self, user):
        return [module for module, roles in self.parts if self.shown(user, roles)]

    def headline_keys(self, user):
        if self.headline is None:
            return [key for module in self.shown_parts(user) for key in getattr(module, "HEADLINE", ())]
        entries = [(entry, None) if isinstance(entry, str) else entry for entry in self.headline]
        return [key for key, roles in entries if self.shown(user, roles)]

    def headline_cards(self, user, period, compare):
        return [self.card(ui.compute(key, user=user, period=period, compare=compare), period, prefix="headline")
                for key in self.headline_keys(user)]

    def sections(self, user, period):
        """Each shown part's sections, in `parts` order."""
        return [section for module in self.shown_parts(user) for section in module.sections(user=user,
                                                                                             period=period)]

    def page(self, request):
        """(the FiguresPage, the period, the headline cards) for the acting user."""
        require_role(request.user, *self.roles)
        user = request.user
        if self.check is not None:
            self.check(user)
        form = PeriodForm(request.GET or None)
        period = form.period()
        compared = (period.end - period.start).days < MAX_COMPARED_DAYS
        cards = self.headline_cards(user, period, ui.YEAR_AGO if compared else False)
        headline = ui.FigureSection(
            title=f"核心指标（{period.label}）", dom_id="stats-headline", figures=cards,
            note=self.headline_note if compared else self.uncompared_note)
        sections = [headline, *self.sections(user, period)]
        url = reverse(self.page_url_name)
        page = ui.FiguresPage(
            title=self.title, breadcrumbs=[(self.area, None), (self.title, None)], form=form.shown(),
            period_label=f"统计期间：{period.label}（{self.period_note}）" if self.period_note
            else f"统计期间：{period.label}",
            reset_url=url, export_url=f"{url}?{urlencode({**form.query(), 'export': 'xlsx'})}",
            sections=sections, chart_data=ui.gather_chart_data(sections), footnote=self.footnote)
        return page, period, cards

    def respond(self, request):
        """The page, or with `?export=xlsx` its workbook (an audited export)."""
        page, period, cards = self.page(request)
        if request.GET.get("export") == "xlsx":
            return self.export(actor=request.user, title=self.title,
                               object_type=self.object_type or f"{self.app}.statistics",
                               sheets=ui.export_sheets(ui.export_tables([overall_table(cards), *page.tables])),
                               detail={"report": self.report or f"{self.app}_statistics",
                                       "start": period.start.isoformat(), "end": period.end.isoformat()})
        return render(request, "ui/figures_page.html", {"page": page, "breadcrumbs": page.breadcrumbs})

    # --- drill-down --------------------------------------------------------------------------------------
    def declared(self, key, name):
        """What the part of figure `key` declares for it in its dict `name` (RECORD_COLUMNS, NARROWING), or None."""
        for module, _roles in self.parts:
            found = getattr(module, name, {})
            if key in found:
                return found[key]
        return None

    def narrowing(self, request, key):
        """The table row a drill-down is of, as the figure takes it; ids are checked before any query (a wrong
        one is 404); other values are the figure's to refuse (404)."""
        narrowing = {}
        for name in sorted(self.declared(key, "NARROWING") or ()):
            value = (request.GET.get(name) or "").strip()[:self.max_param]
            if not value:
                continue
            if name in self.id_params or (name in self.id_or_none_params and value != NONE):
                if not is_id(value):
                    raise Http404("没有该记录。")
                value = int(value)
            narrowing[name] = value
        return narrowing

    def records(self, request, key):
        """The records behind a figure of the page (<title> → 明细), in the user's scope only, optionally of one
        table row; 404 for a key that is not one of the app's figures."""
        require_role(request.user, *self.roles)
        prefix = f"{self.app}."
        if not key.startswith(prefix) or key not in ui.registered(prefix):
            raise Http404("没有该统计指标。")
        period = PeriodForm(request.GET or None).period()
        return ui.records_page(request, key=key, period=period,
                               columns=self.declared(key, "RECORD_COLUMNS") or FALLBACK_COLUMNS,
                               breadcrumbs=[(self.area, None), (self.title, self.page_url_name)],
                               **self.narrowing(request, key))
