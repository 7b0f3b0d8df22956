from django.urls import path

from . import import_views, picker_views, record_views, statistics_views, views

app_name = "members"
urlpatterns = [
    path("", views.membership_list, name="membership_list"),
    path("export/", views.membership_export, name="membership_export"),
    path("new/", record_views.membership_create, name="membership_create"),
    path("<int:pk>/", record_views.membership_detail, name="membership_detail"),
    path("<int:pk>/edit/", record_views.membership_edit, name="membership_edit"),
    path("<int:pk>/delete/", record_views.membership_delete, name="membership_delete"),
    *import_views.PAGES.urlpatterns(),
    path("statistics/", statistics_views.member_statistics, name="member_statistics"),
    path("statistics/export/", statistics_views.member_statistics_export, name="member_statistics_export"),
    path("statistics/records/", statistics_views.figure_records, name="figure_records"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/export/", views.enterprise_export, name="enterprise_export"),
    path("enterprises/new/", record_views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", record_views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/delete/", record_views.enterprise_delete, name="enterprise_delete"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/new/", record_views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", record_views.person_edit, name="person_edit"),
    path("persons/<int:pk>/delete/", record_views.person_delete, name="person_delete"),
    path("persons/<int:pk>/roles/", record_views.person_role_add, name="person_role_add"),
    path("persons/<int:pk>/roles/<int:role_pk>/remove/", record_views.person_role_remove, name="person_role_remove"),
    path("chambers/<int:pk>/members/", views.chamber_members, name="chamber_members"),
    path("chamber-members/new/", record_views.chamber_membership_create, name="chamber_membership_create"),
    path("chamber-members/<int:pk>/", record_views.chamber_membership_detail, name="chamber_membership_detail"),
    path("chamber-members/<int:pk>/edit/", record_views.chamber_membership_edit, name="chamber_membership_edit"),
    path("chamber-members/<int:pk>/delete/", record_views.chamber_membership_delete,
         name="chamber_membership_delete"),
    path("pick/enterprises/", picker_views.pick_enterprises, name="pick_enterprises"),
    path("pick/persons/", picker_views.pick_persons, name="pick_persons"),
]
