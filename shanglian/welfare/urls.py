from django.urls import path

from . import campaign_views, donation_views, pairing_views, statistics_views

app_name = "welfare"
urlpatterns = [
    # 捐赠 (donation_views.py)
    path("donations/", donation_views.donation_list, name="donations"),
    path("donations/export/", donation_views.donation_export, name="donations_export"),
    path("donations/new/", donation_views.donation_create, name="donation_create"),
    path("donations/<int:pk>/", donation_views.donation_detail, name="donation"),
    path("donations/<int:pk>/edit/", donation_views.donation_edit, name="donation_edit"),
    path("donations/<int:pk>/delete/", donation_views.donation_delete, name="donation_delete"),
    path("donations/<int:pk>/certificate/", donation_views.donation_certificate, name="donation_certificate"),
    path("donations/proofs/<int:pk>/", donation_views.proof_download, name="proof_download"),
    path("donations/proofs/<int:pk>/delete/", donation_views.proof_delete, name="proof_delete"),
    *donation_views.IMPORT_PAGES.urlpatterns("donations/import/"),
    # 公益项目 (campaign_views.py)
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", campaign_views.campaign_delete, name="campaign_delete"),
    # 结对帮扶 (pairing_views.py)
    path("pairings/", pairing_views.pairing_list, name="pairings"),
    path("pairings/export/", pairing_views.pairing_export, name="pairings_export"),
    path("pairings/new/", pairing_views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", pairing_views.pairing_detail, name="pairing"),
    path("pairings/<int:pk>/edit/", pairing_views.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/delete/", pairing_views.pairing_delete, name="pairing_delete"),
    path("villages/coverage/", pairing_views.village_coverage, name="village_coverage"),
    # 统计 (statistics_views.py)
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/records/<str:key>/", statistics_views.figure_records, name="figure_records"),
]
