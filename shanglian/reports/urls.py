from django.urls import path

from . import annual_views, catalogue_views, dashboard_views, district_views, external_views, seed_views

app_name = "reports"
urlpatterns = [
    # 领导驾驶舱 and 数据大屏 (dashboard_views.py), the streets' GeoJSON of the map
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/refresh/", dashboard_views.refresh, name="dashboard_refresh"),
    path("screen/", dashboard_views.screen, name="screen"),
    path("map/streets.geojson", dashboard_views.street_map, name="street_map"),
    # 指标库 (catalogue_views.py): every figure for a period, one figure, its records; targets
    path("figures/", catalogue_views.catalogue, name="catalogue"),
    path("figures/<str:key>/", catalogue_views.figure_detail, name="figure"),
    path("figures/<str:key>/records/", catalogue_views.figure_records, name="records"),
    path("targets/", catalogue_views.targets, name="targets"),
    path("targets/new/", catalogue_views.target_edit, name="target_create"),
    path("targets/<int:pk>/edit/", catalogue_views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", catalogue_views.target_delete, name="target_delete"),
    path("targets/coverage/", catalogue_views.coverage_threshold, name="coverage_threshold"),
    # 外部指标 (external_views.py): the indicators and their values per period
    path("external/", external_views.value_list, name="externals"),
    path("external/export/", external_views.value_export, name="externals_export"),
    path("external/new/", external_views.value_edit, name="external_create"),
    path("external/<int:pk>/edit/", external_views.value_edit, name="external_edit"),
    path("external/<int:pk>/delete/", external_views.value_delete, name="external_delete"),
    path("external/indicators/", external_views.indicator_list, name="indicators"),
    path("external/indicators/new/", external_views.indicator_edit, name="indicator_create"),
    path("external/indicators/<int:pk>/edit/", external_views.indicator_edit, name="indicator_edit"),
    *external_views.IMPORT_PAGES.urlpatterns("external/import/"),
    # 各区对比 (district_views.py): a city's districts side by side and summed
    path("districts/", district_views.districts, name="districts"),
    # 工作报告引用指标 (seed_views.py): the figures the work reports quote and where each comes from
    path("quoted/", seed_views.quoted, name="quoted"),
    # 年度工作报告 (annual_views.py): generate in the background, progress, download; the Word template
    path("annual/", annual_views.annual, name="annual"),
    path("annual/<int:pk>/", annual_views.run_detail, name="annual_run"),
    path("annual/<int:pk>/<str:kind>/", annual_views.run_download, name="annual_download"),
    path("annual/template/", annual_views.template_download, name="template_download"),
    path("annual/template/upload/", annual_views.template_upload, name="template_upload"),
    path("annual/template/reset/", annual_views.template_reset, name="template_reset"),
]
