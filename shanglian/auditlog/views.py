from django import forms
from django.contrib.auth.decorators import login_required
from django.utils import timezone

from shanglian.audit.models import AuditAction, AuditResult
from shanglian.common.forms import date_field
from shanglian.ui.listing import Column, ListPage, render_list

from .selectors import audit_events_visible_to


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="用户名", required=False)
    action = forms.ChoiceField(label="事件", required=False, choices=[("", "全部")] + list(AuditAction.choices))
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部")] + list(AuditResult.choices))
    start = date_field("开始日期", error_messages={"invalid": "请输入正确的日期，如 2026-11-22。"})
    end = date_field("结束日期", error_messages={"invalid": "请输入正确的日期，如 2026-11-22。"})


RESULT_TAGS = {"success": "tag-success", "failure": "tag-warning", "denied": "tag-danger"}


@login_required
def event_list(request):
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = audit_events_visible_to(request.user, filters=filters)
    page = ListPage(
        title="审计日志",
        breadcrumbs=[("安全审计", None), ("审计日志", None)],
        search_form=form,
        columns=[
            Column("时间", lambda e: timezone.localtime(e.timestamp).strftime("%Y-%m-%d %H:%M:%S"), sort="timestamp"),
            Column("用户", "username"),
            Column("事件", "get_action_display"),
            Column("结果", "get_result_display", tag=lambda e: RESULT_TAGS.get(e.result, "")),
            Column("IP 地址", "remote_addr"),
            Column("对象", lambda e: e.object_repr or e.object_type),
            Column("请求编号", "request_id"),
        ],
        per_page=50,
    )
    return render_list(request, page, qs)
