"""/api/v1/reports/: 统计报告, read only — the registry of figures (every registered figure with its definition and
every external indicator), a figure's value for a period with 同比, 环比, their directions, the year's target and
the gap, and the records behind it. Every number comes from `values.measure`, as on the pages, the xlsx and the
Word report: nothing here counts anything itself.

- `GET figures/`: the registry — key, label, unit, definition, area (`values.AREAS`), external or not, whether
  同比/环比 apply, and the narrowing parameters the figure takes (a chamber, a category …).
- `GET figures/<key>/?year=&quarter=&month=&start=&end=&federation=&<narrowing>=`: the value. The period is read
  as the pages' period form reads it (`ui.periods.PeriodForm`), but a wrong one is a 400 with the Chinese
  message here, never silently the current year. `federation`: one federation of the caller's subtree
  (`values.as_federation`); any other id is 404. A value that cannot be computed is null with `missing`, the
  reason in Chinese ("无数据", never 0).
- `GET figures/<key>/records/?…`: the records behind the value, paginated (id, text, the model's label) — the
  figure's own records, i.e. the app's scoped selectors; personal data only as the record's name (never an ID
  number or a mobile). An external figure has no records: 404.

The federation's roles only (sysadmin, staff, leader); a chamber, a department, an enterprise and the auditor get
403 — as on every reports page. An unknown key is 404 "没有该统计指标。".
"""

import inspect

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shanglian.accounts.roles import FEDERATION_ROLES, role_of
from shanglian.common.validators import is_id
from shanglian.orgs.models import Federation
from shanglian.ui import figures as registry
from shanglian.ui.periods import PERIOD_FIELDS, PeriodForm

from . import values
from .models import ExternalIndicator

REFUSAL = "您没有查看统计报告的权限。"
MAX_PARAM = 40  # a narrowing value is cut to this many characters
# Keyword arguments of a figure function that are not a narrowing a caller may choose.
NOT_NARROWING = frozenset({"user", "period", "today", "summaries"})
KEY_PATTERN = r"[A-Za-z0-9_.\-]{1,120}"
# What `values.direction` answers; named once in the schema (settings' ENUM_NAME_OVERRIDES: ReportsDirectionEnum).
DIRECTIONS = [("up", "上升"), ("down", "下降"), ("flat", "持平")]


class ReportsReaderPermission(permissions.BasePermission):
    """The federation's roles, refused before anything is read."""

    message = REFUSAL

    def has_permission(self, request, view):
        return role_of(request.user) in FEDERATION_ROLES


# --- what a figure takes ------------------------------------------------------------------------------------
def narrowing_names(key):
    """The narrowing parameters a registered figure names ((name, required) in order); an external figure none."""
    if key.startswith(values.EXTERNAL):
        return ()
    parameters = inspect.signature(registry.get(key).function).parameters.values()
    return tuple((p.name, p.default is inspect.Parameter.empty) for p in parameters
                 if p.kind == inspect.Parameter.KEYWORD_ONLY and p.name not in NOT_NARROWING)


def read_narrowing(key, params):
    """The narrowing a request asks for, as the figure takes it: an id (digits) as an int — a wrong one (20 digits)
    is 404 before any query —, anything else as text cut to MAX_PARAM characters (the figure's to refuse, 404).
    A parameter the figure does not name is ignored; one it requires and that is missing is a 400."""
    narrowing = {}
    for name, required in narrowing_names(key):
        value = (params.get(name) or "").strip()[:MAX_PARAM]
        if not value:
            if required:
                raise serializers.ValidationError({name: [f"该指标需要指定 {name}。"]})
            continue
        if value.isdigit():
            if not is_id(value):
                raise Http404("没有该记录。")
            value = int(value)
        narrowing[name] = value
    return narrowing


def read_period(params):
    """The period asked for (the current year when none is); a wrong one is a 400 with the form's messages."""
    form = PeriodForm({name: params.get(name) for name in PERIOD_FIELDS if params.get(name) not in (None, "")})
    if form.is_bound and form.data and not form.is_valid():
        raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.period()


def read_federation(params):
    """The federation asked for (`?federation=<id>`) or None; an id that is not one is a 400, an unknown one 404
    (one outside the caller's scope is 404 too, in `values.as_federation`)."""
    raw = (params.get("federation") or "").strip()
    if not raw:
        return None
    if not is_id(raw):
        raise serializers.ValidationError({"federation": ["请填写有效的 ID（正整数）。"]})
    federation = Federation.objects.filter(pk=int(raw)).first()
    if federation is None:
        raise Http404("没有该工商联。")
    return federation


def _number(value):
    return None if value is None else str(values.plain(value))


def registry_rows():
    """Every registered figure, then every active external indicator, as the registry endpoint lists them."""
    rows = [{"key": key, "label": spec.label, "unit": spec.unit, "definition": spec.definition,
             "area": values.AREAS.get(key.split(".", 1)[0], ""), "external": False, "compared": spec.compare,
             "parameters": [name for name, _required in narrowing_names(key)]}
            for key, spec in registry.registered().items()]
    rows += [{"key": indicator.key, "label": indicator.name, "unit": indicator.unit,
              "definition": indicator.definition, "area": values.AREAS["external"], "external": True,
              "compared": True, "parameters": []}
             for indicator in ExternalIndicator.objects.filter(active=True)]
    return rows


def value_dict(reported, *, federation, records_api):
    """A reported figure as the value endpoint answers it."""
    figure, target = reported.figure, reported.target
    return {
        "key": reported.key, "label": reported.label, "unit": reported.unit, "definition": reported.definition,
        "external": reported.external, "source": reported.source,
        "period": {"kind": figure.period.kind, "start": figure.period.start.isoformat(),
                   "end": figure.period.end.isoformat(), "label": figure.period.label},
        "federation": federation.pk if federation is not None else None,
        "value": _number(reported.value), "display": reported.display, "missing": reported.missing,
        "year_ago": _number(figure.year_ago), "year_ago_change": figure.year_ago_change,
        "year_ago_direction": values.direction(reported.value, figure.year_ago),
        "previous": _number(figure.previous), "previous_change": figure.previous_change,
        "previous_direction": values.direction(reported.value, figure.previous),
        "target": None if target is None else {"direction": target.direction,
                                               "direction_display": target.get_direction_display(),
                                               "value": _number(target.value), "note": target.note},
        "gap": _number(reported.gap), "met": reported.met,
        "records_url": reported.records_url, "records_api": records_api if reported.records_url else "",
    }


# --- serializers (the schema of the answers) ------------------------------------------------------------------
class ReportsFigureSerializer(serializers.Serializer):
    key = serializers.CharField(label="指标键")
    label = serializers.CharField(label="指标名称")
    unit = serializers.CharField(label="单位")
    definition = serializers.CharField(label="口径")
    area = serializers.CharField(label="领域")
    external = serializers.BooleanField(label="外部数据")
    compared = serializers.BooleanField(label="计算同比、环比")
    parameters = serializers.ListField(child=serializers.CharField(), label="可选的细分参数")


class ReportsPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField(label="期间类型（year/quarter/month/custom）")
    start = serializers.DateField(label="开始日期")
    end = serializers.DateField(label="结束日期")
    label = serializers.CharField(label="期间")


class ReportsTargetSerializer(serializers.Serializer):
    direction = serializers.CharField(label="方向（min 不低于 / max 不高于）")
    direction_display = serializers.CharField(label="方向名称")
    value = serializers.CharField(label="目标值")
    note = serializers.CharField(label="备注", allow_blank=True)


class ReportsValueSerializer(serializers.Serializer):
    key = serializers.CharField(label="指标键")
    label = serializers.CharField(label="指标名称")
    unit = serializers.CharField(label="单位")
    definition = serializers.CharField(label="口径")
    external = serializers.BooleanField(label="外部数据")
    source = serializers.CharField(label="数据来源（外部数据）", allow_blank=True)
    period = ReportsPeriodSerializer(label="统计期间")
    federation = serializers.IntegerField(label="工商联ID（为空：本会及下级）", allow_null=True)
    value = serializers.CharField(label="数值（无数据为空）", allow_null=True)
    display = serializers.CharField(label="显示值（无数据为“无数据”）")
    missing = serializers.CharField(label="无数据的原因", allow_blank=True)
    year_ago = serializers.CharField(label="上年同期", allow_null=True)
    year_ago_change = serializers.CharField(label="同比", allow_null=True)
    year_ago_direction = serializers.ChoiceField(choices=DIRECTIONS, allow_null=True, label="同比方向")
    previous = serializers.CharField(label="上期", allow_null=True)
    previous_change = serializers.CharField(label="环比", allow_null=True)
    previous_direction = serializers.ChoiceField(choices=DIRECTIONS, allow_null=True, label="环比方向")
    target = ReportsTargetSerializer(allow_null=True, label="本年目标")
    gap = serializers.CharField(label="距目标差额（正数为未达成）", allow_null=True)
    met = serializers.BooleanField(label="是否达成目标", allow_null=True)
    records_url = serializers.CharField(label="明细页面", allow_blank=True)
    records_api = serializers.CharField(label="明细接口", allow_blank=True)


class ReportsRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(label="记录ID")
    text = serializers.CharField(label="记录")
    model = serializers.CharField(label="记录类型")


class ReportsRecordPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(label="记录数")
    next = serializers.URLField(allow_null=True, label="下一页")
    previous = serializers.URLField(allow_null=True, label="上一页")
    results = ReportsRecordSerializer(many=True, label="本页记录")


PERIOD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年份（默认本年）"),
    OpenApiParameter("quarter", OpenApiTypes.INT, description="季度 1–4"),
    OpenApiParameter("month", OpenApiTypes.INT, description="月份 1–12"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期（与结束日期一起优先于年份）"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期"),
    OpenApiParameter("federation", OpenApiTypes.INT, description="下级工商联ID（市级用户查看某区）"),
    OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, description="指标键，如 members.in_force"),
]
ERRORS = {
    400: OpenApiResponse(description="期间或参数有误（字段名 → 中文说明）"),
    403: OpenApiResponse(description="角色无权查看统计报告"),
    404: OpenApiResponse(description="没有该统计指标，或工商联不在您的数据范围内"),
}


class FigureViewSet(viewsets.GenericViewSet):
    """统计指标（只读）：指标库、指标在某期间的数值及其明细记录。"""

    permission_classes = [permissions.IsAuthenticated, ReportsReaderPermission]
    serializer_class = ReportsFigureSerializer
    lookup_field = "key"
    lookup_value_regex = KEY_PATTERN

    def _measure(self, request, key):
        values.spec(key)  # 404 for a key that is neither registered nor an external indicator
        params = request.query_params
        period, federation = read_period(params), read_federation(params)
        narrowing = read_narrowing(key, params)
        reported = values.measure(key, user=request.user, period=period, federation=federation, **narrowing)
        return reported, period, federation, narrowing

    @extend_schema(summary="指标库", responses={200: ReportsFigureSerializer(many=True), 403: ERRORS[403]})
    def list(self, request):
        rows = registry_rows()
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(page)
        return Response(rows)

    @extend_schema(summary="指标数值（同比、环比、目标、差额）", parameters=PERIOD_PARAMETERS,
                   responses={200: ReportsValueSerializer, **ERRORS})
    def retrieve(self, request, key=None):
        reported, period, federation, narrowing = self._measure(request, key)
        api = reverse("reports-figure-records", args=[key])
        query = {**period.as_query(), **({"federation": federation.pk} if federation else {}), **narrowing}
        return Response(value_dict(reported, federation=federation, records_api=f"{api}?{urlencode(query)}"))

    @extend_schema(summary="指标明细记录", parameters=PERIOD_PARAMETERS,
                   responses={200: ReportsRecordPageSerializer, **ERRORS})
    @action(detail=True, methods=["get"], url_path="records", url_name="records")
    def records(self, request, key=None):
        reported, *_ = self._measure(request, key)
        records = reported.figure.records
        if records is None:
            raise Http404("该指标没有明细记录。")
        if not records.ordered:
            records = records.order_by("pk")
        page = self.paginate_queryset(records)
        label = str(records.model._meta.verbose_name)
        return self.get_paginated_response([{"id": obj.pk, "text": str(obj), "model": label} for obj in page])
