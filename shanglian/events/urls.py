from django.urls import path

from . import door_views, h5_views, import_views, meeting_views, statistics_views, views

app_name = "events"
urlpatterns = [
    # Staff pages (views.py)
    path("", views.event_list, name="list"),
    path("export/", views.event_export, name="export"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", views.event_transition, name="transition"),
    path("<int:pk>/invite/", views.event_invite, name="invite"),
    path("<int:pk>/invitations/", views.invitation_list, name="invitations"),
    path("<int:pk>/invitations/export/", views.invitation_export, name="invitations_export"),
    path("invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    path("invitations/<int:pk>/rsvp/", views.invitation_rsvp, name="invitation_rsvp"),
    path("invitations/<int:pk>/print/", views.invitation_print, name="invitation_print"),
    path("<int:pk>/materials/", views.material_upload, name="materials"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("<int:pk>/appeal/", views.event_raise_appeal, name="raise_appeal"),
    # The door: check-in on a phone (door_views.py)
    path("<int:pk>/checkin/", door_views.door, name="door"),
    path("<int:pk>/checkin/scan/", door_views.door_scan, name="door_scan"),
    path("<int:pk>/checkin/search/", door_views.door_search, name="door_search"),
    path("<int:pk>/checkin/manual/<int:invitation_pk>/", door_views.door_manual, name="door_manual"),
    path("<int:pk>/checkin/walk-in/", door_views.door_walk_in, name="door_walk_in"),
    path("<int:pk>/checkin/poster/", door_views.poster, name="poster"),
    path("<int:pk>/checkin/poster/renew/", door_views.poster_renew, name="poster_renew"),
    path("<int:pk>/checkins/", door_views.checkin_list, name="checkins"),
    path("<int:pk>/checkins/export/", door_views.checkin_export, name="checkins_export"),
    path("<int:pk>/scans/", door_views.scan_list, name="scans"),
    # Statutory meetings and the rotating chair (meeting_views.py)
    path("<int:pk>/attendees/", meeting_views.attendees_from_body, name="attendees_from_body"),
    path("<int:pk>/minutes/", meeting_views.minutes_edit, name="minutes"),
    path("<int:pk>/resolutions/new/", meeting_views.resolution_create, name="resolution_create"),
    path("resolutions/<int:pk>/", meeting_views.resolution_detail, name="resolution"),
    path("resolutions/attachments/<int:pk>/", meeting_views.resolution_attachment, name="resolution_attachment"),
    path("rules/", meeting_views.quorum_rules, name="quorum_rules"),
    path("roster/", meeting_views.roster, name="roster"),
    path("roster/plan/", meeting_views.roster_plan, name="roster_plan"),
    path("roster/<int:pk>/", meeting_views.duty_detail, name="duty"),
    # Statistics (statistics_views.py)
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/records/<str:key>/", statistics_views.figure_records, name="figure_records"),
    # The enterprise's phone pages (h5_views.py)
    path("h5/", h5_views.my_invitations, name="h5_invitations"),
    path("h5/<int:pk>/", h5_views.invitation_page, name="h5_invitation"),
    path("h5/<int:pk>/rsvp/", h5_views.invitation_rsvp, name="h5_rsvp"),
    path("h5/<int:pk>/feedback/", h5_views.feedback, name="h5_feedback"),
    path("h5/<int:pk>/materials/<int:material_pk>/", h5_views.material_download, name="h5_material"),
    path("h5/checkin/", h5_views.self_check_in, name="h5_checkin"),
    # 签到表导入: the attendance of past events (import_views.py, on the shared import pages)
    *import_views.PAGES.urlpatterns("attendance/import/"),
]
