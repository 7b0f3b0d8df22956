"""The project's routes plus the module's, as `shanglian/urls.py` would include it (one line there)."""

from django.urls import include, path

from shanglian.urls import handler403, handler500  # noqa: F401
from shanglian.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("toy/", include("shanglian.ui.tests.toy_module.urls"))]
