"""领导驾驶舱 (`dashboard`), its full-screen variant 数据大屏 (`screen`) and the streets' GeoJSON of their map
(`street_map`). The federation's roles only (a chamber, a department, an enterprise, the auditor: 403). What is
shown is read by `reports.dashboard.build` through `values.measure` — or, for a board slow to compute (a city's, a
province's), its last computation kept by `reports.boards`, which `refresh` (立即更新) recomputes in the background;
the views parse and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import FEDERATION_ROLES, require_role
from shanglian.ui.periods import PERIOD_FIELDS

from . import dashboard as boards
from .services import boards as kept

SCREEN_REFRESH_SECONDS = 300


def _asked(query):
    """(the period form, the period, whether it is the default year to date)."""
    form, period = boards.period_asked(query)
    return form, period, not any(query.get(name) for name in PERIOD_FIELDS)


def _board(request):
    require_role(request.user, *FEDERATION_ROLES)
    federation = boards.federation_asked(request.user, request.GET.get("federation"))
    form, period, rolling = _asked(request.GET)
    board = kept.board_for(request.user, period, federation, rolling=rolling)
    query = {**period.as_query(), **({"federation": federation.pk} if federation is not None else {})}
    map_query = {"federation": federation.pk} if federation is not None else {}
    board.map_url = reverse("reports:street_map") + (f"?{urlencode(map_query)}" if map_query else "")
    return form, board, query, rolling


@never_cache
@login_required
def dashboard(request):
    form, board, query, rolling = _board(request)
    return render(request, "reports/dashboard.html", {
        "period_query": {} if rolling else board.period.as_query(),
        "max_age_minutes": settings.SHANGLIAN_BOARD_MAX_AGE_MINUTES,
        "board": board, "form": form.shown(), "no_map": boards.NO_MAP,
        "federations": boards.scope_choices(request.user),
        "federation_id": board.federation.pk,
        "screen_url": f"{reverse('reports:screen')}?{urlencode(query)}",
        "breadcrumbs": [("统计报告", None), ("领导驾驶舱", None)],
    })


@require_POST
@login_required
def refresh(request):
    """立即更新 of a kept board (the dashboard's query in the POST): its recomputation queued, back to the board."""
    require_role(request.user, *FEDERATION_ROLES)
    federation = boards.federation_asked(request.user, request.POST.get("federation"))
    _form, period, rolling = _asked(request.POST)
    query = {**({} if rolling else period.as_query()), **({"federation": federation.pk} if federation else {})}
    back = reverse("reports:dashboard") + (f"?{urlencode(query)}" if query else "")
    took = kept.refresh_now(request.user, period, federation, rolling=rolling)
    if took is None:
        messages.info(request, "本看板每次打开时实时计算，无需更新。")
    else:
        messages.success(request, f"已开始在后台重新计算，约需 {max(1, round(took / 1000))} 秒，完成后刷新本页即可看到最新数字。")
    return redirect(back)


@never_cache
@login_required
def screen(request):
    _form, board, query, _rolling = _board(request)
    return render(request, "reports/screen.html", {
        "board": board, "no_map": boards.NO_MAP, "refresh_seconds": SCREEN_REFRESH_SECONDS,
        "updated": timezone.localtime(board.kept_at) if board.kept_at else timezone.localtime(), "dashboard_url": f"{reverse('reports:dashboard')}?{urlencode(query)}",
    })


@login_required
def street_map(request):
    """The GeoJSON of the streets of the federation looked at (its region's map shipped in reports/data/geo/);
    404 "本区尚未配置街道地图" when there is none."""
    require_role(request.user, *FEDERATION_ROLES)
    federation = boards.federation_asked(request.user, request.GET.get("federation")) or request.user.federation
    path = boards.geojson_path(federation)
    if path is None:
        raise Http404(boards.NO_MAP)
    return FileResponse(path.open("rb"), content_type="application/geo+json")
