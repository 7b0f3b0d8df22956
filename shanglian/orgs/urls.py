from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("chambers/", views.chamber_list, name="chamber_list"),
    path("chambers/new/", views.chamber_create, name="chamber_create"),
    path("chambers/<int:pk>/", views.chamber_detail, name="chamber_detail"),
    path("chambers/<int:pk>/edit/", views.chamber_edit, name="chamber_edit"),
    path("chambers/<int:pk>/delete/", views.chamber_delete, name="chamber_delete"),
    path("committees/", views.committee_list, name="committee_list"),
    path("committees/<int:pk>/", views.committee_detail, name="committee_detail"),
    *views.COMMITTEE_PAGES.urlpatterns("committees"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    *views.DEPARTMENT_PAGES.urlpatterns("departments"),
    path("streets/", views.street_list, name="street_list"),
    path("streets/<int:pk>/", views.street_detail, name="street_detail"),
    *views.STREET_PAGES.urlpatterns("streets"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/<int:pk>/", views.village_detail, name="village_detail"),
    *views.VILLAGE_PAGES.urlpatterns("villages"),
    path("terms/", views.term_list, name="term_list"),
    path("terms/<int:pk>/", views.term_detail, name="term_detail"),
    *views.TERM_PAGES.urlpatterns("terms"),
    path("terms/<int:pk>/positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
]
