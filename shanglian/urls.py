from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("shanglian.workbench.urls")),
    path("accounts/", include("shanglian.accounts.urls")),
    path("orgs/", include("shanglian.orgs.urls")),
    path("members/", include("shanglian.members.urls")),
    path("audit/", include("shanglian.audit.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "shanglian.workbench.views.permission_denied"
handler500 = "shanglian.workbench.views.server_error"
