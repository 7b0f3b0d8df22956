from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shanglian.common.health import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),  # the load balancer's probe (docs/deploy.md)
    path("favicon.ico", lambda request: redirect(static("shanglian/favicon.svg"), permanent=True)),
    path("", include("shanglian.workbench.urls")),
    path("accounts/", include("shanglian.accounts.urls")),
    path("orgs/", include("shanglian.orgs.urls")),
    path("members/", include("shanglian.members.urls")),
    path("audit/", include("shanglian.auditlog.urls")),
    path("appeals/", include("shanglian.appeals.urls")),
    path("policies/", include("shanglian.policies.urls")),
    path("events/", include("shanglian.events.urls")),
    path("engagement/", include("shanglian.engagement.urls")),
    path("welfare/", include("shanglian.welfare.urls")),
    path("honours/", include("shanglian.honours.urls")),
    path("growth/", include("shanglian.growth.urls")),
    path("communications/", include("shanglian.communications.urls")),
    path("reports/", include("shanglian.reports.urls")),
    path("notifications/", include("shanglian.notifications.urls")),
    path("imports/", include("shanglian.imports.urls")),
    path("pickers/", include("shanglian.common.urls")),
    path("api/v1/", include("shanglian.api_urls")),
    # OpenAPI 3 schema and Swagger UI (login required; the UI's assets are vendored, its init script
    # is served as a file so that the CSP needs no inline script).
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "shanglian.workbench.views.permission_denied"
handler404 = "shanglian.workbench.views.page_not_found"
handler500 = "shanglian.workbench.views.server_error"
