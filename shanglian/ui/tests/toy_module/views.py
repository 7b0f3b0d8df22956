from django.contrib.auth.decorators import login_required

from shanglian.accounts.roles import READER_ROLES, require_role
from shanglian.common.models import DictItem
from shanglian.ui.listing import Column, ListPage, render_list

KIND = "toy_module"


@login_required
def item_list(request):
    require_role(request.user, *READER_ROLES)
    page = ListPage(title="示例条目", columns=[Column("编码", "code"), Column("名称", "label")],
                    breadcrumbs=[("示例模块", None), ("示例条目", None)], default_sort="code")
    return render_list(request, page, DictItem.objects.filter(kind=KIND))
