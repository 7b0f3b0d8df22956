from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("h5/me/", views.h5_me, name="h5_me"),
]
