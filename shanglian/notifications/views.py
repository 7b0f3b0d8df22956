from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import Role, role_of
from shanglian.ui.listing import Action, Column, ListPage, render_list

from . import selectors, services


@login_required
def inbox(request):
    if role_of(request.user) == Role.ENTERPRISE:  # the enterprise's phone layout
        page_obj = Paginator(selectors.inbox(request.user), 20).get_page(request.GET.get("page"))
        return render(request, "notifications/h5_inbox.html", {
            "page_obj": page_obj, "tab": "messages"})  # the unread count: the shell context processor
    page = ListPage(
        title="站内消息",
        breadcrumbs=[("个人中心", None), ("站内消息", None)],
        columns=[
            Column("消息", "title", link=lambda n: reverse("notifications:open", args=[n.pk]),
                   tag=lambda n: "" if n.read_at else "tag-warning"),
            Column("内容", "body"),
            Column("时间", lambda n: f"{timezone.localtime(n.created_at):%Y-%m-%d %H:%M}", sort="created_at"),
            Column("状态", lambda n: "已读" if n.read_at else "未读",
                   tag=lambda n: "tag-default" if n.read_at else "tag-danger"),
        ],
        toolbar=[Action("全部标为已读", reverse("notifications:read_all"), method="post")],
        empty_text="暂无消息",
        default_sort="-created_at",
    )
    return render_list(request, page, selectors.inbox(request.user))


@login_required
def open_message(request, pk):
    """Mark one of the user's own messages read and go where it points (another user's: 404)."""
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(actor=request.user, notification_ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@login_required
def read_all(request):
    count = services.mark_read(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("notifications:inbox")
