from django.urls import path

from . import views

app_name = "common"
urlpatterns = [
    path("industries/", views.industry_options, name="industries"),
]
