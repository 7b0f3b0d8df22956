from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.audit.models import AuditAction, AuditResult
from shanglian.common.forms import Form, date_field
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.shortcuts import get_visible_or_404

from . import details
from .objects import describe, type_choices, type_label
from .people import actor_login, actor_name, actor_role
from .selectors import audit_events_visible_to

DATE_ERROR = {"invalid": "请输入正确的日期，如 2026-11-22。"}


class AuditSearchForm(Form):
    actor = forms.CharField(label="用户", required=False, max_length=150,
                            widget=forms.TextInput(attrs={"placeholder": "姓名或登录名"}))
    action = forms.ChoiceField(label="事件", required=False, choices=[("", "全部")] + list(AuditAction.choices))
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部")] + list(AuditResult.choices))
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    start = date_field("开始日期", error_messages=DATE_ERROR)
    end = date_field("结束日期", error_messages=DATE_ERROR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "全部")] + type_choices()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("开始日期不能晚于结束日期。")
        return data


RESULT_TAGS = {"success": "tag-success", "failure": "tag-warning", "denied": "tag-danger"}


def local_time(event):
    return timezone.localtime(event.timestamp).strftime("%Y-%m-%d %H:%M:%S")


def detail_url(event):
    return reverse("audit:event_detail", args=[event.pk])


def _events(request):
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters, audit_events_visible_to(request.user, filters=filters)


@login_required
@never_cache
def event_list(request):
    form, _, qs = _events(request)
    query = request.GET.copy()
    query.pop("page", None)
    export_url = reverse("audit:event_export") + (f"?{query.urlencode()}" if query else "")
    page = ListPage(
        title="审计日志",
        breadcrumbs=[("安全审计", None), ("审计日志", None)],
        search_form=form,
        toolbar=[Action("导出", export_url)],
        columns=[
            Column("时间", local_time, link=detail_url, sort="timestamp"),
            Column("用户", actor_name),
            Column("角色", actor_role),
            Column("事件", "get_action_display"),
            Column("结果", "get_result_display", tag=lambda e: RESULT_TAGS.get(e.result, "")),
            Column("对象类型", lambda e: type_label(e.object_type)),
            Column("对象", lambda e: describe(e, current=False).name, wrap=True),
            Column("IP 地址", "remote_addr"),
        ],
        row_actions=lambda e: [Action("详情", detail_url(e))],
        empty_text="没有符合条件的审计记录",
        per_page=50,
    )
    return render_list(request, page, qs)


@login_required
@never_cache
def event_detail(request, pk):
    event = get_visible_or_404(audit_events_visible_to(request.user), pk)
    obj = describe(event)
    trail_url = ""
    if event.object_type and event.object_id:
        trail_url = f"{reverse('audit:event_list')}?object_type={event.object_type}&object_id={event.object_id}"
    return render(request, "auditlog/event_detail.html", {
        "event": event,
        "time": local_time(event),
        "actor_name": actor_name(event),
        "actor_login": actor_login(event),
        "actor_role": actor_role(event),
        "object": obj,
        "trail_url": trail_url,
        "changes": details.changes(event),
        "lines": details.lines(event),
        "result_tag": RESULT_TAGS.get(event.result, ""),
        "change_actions": (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE),
        "breadcrumbs": [("安全审计", None), ("审计日志", "audit:event_list"), ("记录详情", None)],
    })


EXPORT_HEADERS = ["时间", "用户", "登录名", "角色", "事件", "结果", "IP 地址", "对象类型", "对象", "对象编号",
                  "修改内容", "其他详情", "请求编号", "请求路径"]


def _export_row(event):
    changes = "；".join(f"{c.field}：{c.old} → {c.new}" for c in details.changes(event))
    other = "；".join(f"{label}：{text}" for label, text in details.lines(event))
    return [local_time(event), actor_name(event), actor_login(event), actor_role(event), event.get_action_display(),
            event.get_result_display(), event.remote_addr, type_label(event.object_type),
            describe(event, current=False).name, event.object_id, changes, other, event.request_id, event.path]


@login_required
def event_export(request):
    """The filtered log as xlsx, through the one export pipeline; the export is itself an audit row."""
    form, _, qs = _events(request)
    if form.is_bound and not form.is_valid():
        response = event_list(request)  # the list with the form's messages; nothing exported
        response.status_code = 400
        return response
    rows = [_export_row(e) for e in qs.order_by("-id").iterator(chunk_size=2000)]
    return audited_export(actor=request.user, title="审计日志", object_type="audit.auditevent",
                          sheets=[("审计日志", EXPORT_HEADERS, rows)],
                          detail={"rows": len(rows), "filters": {k: v for k, v in request.GET.items() if v}})
