from django.urls import path

from . import h5_views, kpi_views, views

app_name = "appeals"
urlpatterns = [
    # Staff and department pages (views.py)
    path("", views.appeal_list, name="list"),
    path("export/", views.appeal_export, name="export"),
    path("new/", views.appeal_create, name="create"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/print/", views.appeal_print, name="print"),
    path("<int:pk>/xlsx/", views.appeal_export_one, name="export_one"),
    path("<int:pk>/<slug:action>/", views.appeal_act, name="act"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    # The enterprise's phone pages (h5_views.py)
    path("h5/", h5_views.h5_home, name="h5_home"),
    path("h5/new/", h5_views.h5_create, name="h5_create"),
    path("h5/<int:pk>/", h5_views.h5_detail, name="h5_detail"),
    path("h5/<int:pk>/rate/", h5_views.h5_rate, name="h5_rate"),
    path("h5/<int:pk>/reopen/", h5_views.h5_reopen, name="h5_reopen"),
    # 诉求统计 (kpi_views.py)
    path("statistics/", kpi_views.statistics, name="statistics"),
    path("statistics/export/", kpi_views.statistics_export, name="statistics_export"),
    path("statistics/records/", kpi_views.figure_records, name="figure_records"),
]
