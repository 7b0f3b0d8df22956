from . import h5_views, import_views, views

app_name = "policies"

# Staff pages (views.py), the enterprise H5 pages (h5_views.py) and the import (import_views.py)
# each declare their own routes.
urlpatterns = views.urlpatterns + h5_views.urlpatterns + import_views.urlpatterns
