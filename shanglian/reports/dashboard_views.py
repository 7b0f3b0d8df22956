"""领导驾驶舱 (`dashboard`), its full-screen variant 数据大屏 (`screen`) and the streets' GeoJSON of their map
(`street_map`). The federation's roles only (a chamber, a department, an enterprise, the auditor: 403). What is
shown is read by `reports.dashboard.build` through `values.measure`; the views parse and render."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import FEDERATION_ROLES, require_role

from . import dashboard as boards

SCREEN_REFRESH_SECONDS = 300


def _board(request):
    require_role(request.user, *FEDERATION_ROLES)
    federation = boards.federation_asked(request.user, request.GET.get("federation"))
    form, period = boards.period_asked(request.GET)
    board = boards.build(request.user, period, federation)
    query = {**period.as_query(), **({"federation": federation.pk} if federation is not None else {})}
    map_query = {"federation": federation.pk} if federation is not None else {}
    board.map_url = reverse("reports:street_map") + (f"?{urlencode(map_query)}" if map_query else "")
    return form, board, query


@never_cache
@login_required
def dashboard(request):
    form, board, query = _board(request)
    return render(request, "reports/dashboard.html", {
        "board": board, "form": form.shown(), "no_map": boards.NO_MAP,
        "federations": boards.scope_choices(request.user),
        "federation_id": board.federation.pk,
        "screen_url": f"{reverse('reports:screen')}?{urlencode(query)}",
        "breadcrumbs": [("统计报告", None), ("领导驾驶舱", None)],
    })


@never_cache
@login_required
def screen(request):
    _form, board, query = _board(request)
    return render(request, "reports/screen.html", {
        "board": board, "no_map": boards.NO_MAP, "refresh_seconds": SCREEN_REFRESH_SECONDS,
        "updated": timezone.localtime(), "dashboard_url": f"{reverse('reports:dashboard')}?{urlencode(query)}",
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
