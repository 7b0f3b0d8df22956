from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("chambers/", views.chamber_list, name="chamber_list"),
    path("chambers/<int:pk>/", views.chamber_detail, name="chamber_detail"),
    path("committees/", views.committee_list, name="committee_list"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
]
