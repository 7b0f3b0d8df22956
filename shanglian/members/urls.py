from django.urls import path

from . import import_views, statistics_views, views

app_name = "members"
urlpatterns = [
    path("", views.membership_list, name="membership_list"),
    path("export/", views.membership_export, name="membership_export"),
    path("import/", import_views.member_import, name="member_import"),
    path("import/template/", import_views.member_import_template, name="member_import_template"),
    path("import/<uuid:job_id>/", import_views.member_import_job, name="member_import_job"),
    path("import/<uuid:job_id>/commit/", import_views.member_import_commit, name="member_import_commit"),
    path("import/<uuid:job_id>/errors/", import_views.member_import_errors, name="member_import_errors"),
    path("statistics/", statistics_views.member_statistics, name="member_statistics"),
    path("statistics/export/", statistics_views.member_statistics_export, name="member_statistics_export"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/export/", views.enterprise_export, name="enterprise_export"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
]
