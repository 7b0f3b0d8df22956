from django.urls import path

from . import views

app_name = "toy_module"
urlpatterns = [path("", views.item_list, name="item_list")]
