from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

urlpatterns = [
    path("favicon.ico", lambda request: redirect(static("shanglian/favicon.svg"), permanent=True)),
    path("", include("shanglian.workbench.urls")),
    path("accounts/", include("shanglian.accounts.urls")),
    path("orgs/", include("shanglian.orgs.urls")),
    path("members/", include("shanglian.members.urls")),
    path("audit/", include("shanglian.audit.urls")),
    path("api/v1/", include("shanglian.api_urls")),
    path("admin/", admin.site.urls),
]

handler403 = "shanglian.workbench.views.permission_denied"
handler500 = "shanglian.workbench.views.server_error"
