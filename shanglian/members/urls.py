from django.urls import path

from . import import_views, picker_views, statistics_views, views

app_name = "members"
urlpatterns = [
    path("", views.membership_list, name="membership_list"),
    path("export/", views.membership_export, name="membership_export"),
    *import_views.PAGES.urlpatterns(),
    path("statistics/", statistics_views.member_statistics, name="member_statistics"),
    path("statistics/export/", statistics_views.member_statistics_export, name="member_statistics_export"),
    path("statistics/records/", statistics_views.figure_records, name="figure_records"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/export/", views.enterprise_export, name="enterprise_export"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("pick/enterprises/", picker_views.pick_enterprises, name="pick_enterprises"),
    path("pick/persons/", picker_views.pick_persons, name="pick_persons"),
]
