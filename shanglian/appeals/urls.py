from . import h5_views, kpi_views, views

app_name = "appeals"

# Staff and department pages (views.py), the enterprise H5 pages (h5_views.py) and the KPI pages
# (kpi_views.py) each declare their own routes.
urlpatterns = views.urlpatterns + h5_views.urlpatterns + kpi_views.urlpatterns
