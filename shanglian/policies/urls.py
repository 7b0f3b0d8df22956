from django.urls import path

from . import h5_views, import_views, views

app_name = "policies"
urlpatterns = [
    # Staff pages (views.py)
    path("", views.policy_list, name="list"),
    path("export/", views.policy_export, name="export"),
    path("new/", views.policy_create, name="create"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/publish/", views.policy_publish, name="publish"),
    path("<int:pk>/push/", views.policy_push, name="push"),
    path("<int:pk>/delete/", views.policy_delete, name="delete"),
    path("<int:pk>/enterprises/", views.policy_matches, name="matches"),
    path("<int:pk>/enterprises/export/", views.policy_matches_export, name="matches_export"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    # The enterprise's phone pages (h5_views.py)
    path("h5/", h5_views.h5_list, name="h5_list"),
    path("h5/<int:pk>/", h5_views.h5_detail, name="h5_detail"),
    # 导入政策 (import_views.py)
    *import_views.PAGES.urlpatterns(),
]
