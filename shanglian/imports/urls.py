from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("exports/<uuid:job_id>/", views.export_job, name="export_job"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
]
