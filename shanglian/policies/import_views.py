"""政策导入 pages: the shared import pages (`common.import_views`) for the policy spreadsheet. An import
never pushes a policy to enterprises (the pages say so)."""

from shanglian.common.import_views import ImportPages

from .imports import import_template

PAGES = ImportPages(
    kind="policies", namespace="policies", name="import", noun="惠企政策",
    breadcrumbs=(("惠企政策", "policies:list"), ("导入政策", None)),
    templates="policies/import", make_template=import_template,
)
urlpatterns = PAGES.urlpatterns()
