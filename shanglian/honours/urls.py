from django.urls import path

from . import assessment_views, list_views, nomination_views, programme_views, statistics_views

app_name = "honours"
urlpatterns = [
    # 评选活动 (programme_views.py): programmes, their categories with criteria, their judges
    path("programmes/", programme_views.programme_list, name="programmes"),
    path("programmes/new/", programme_views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", programme_views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/delete/", programme_views.programme_delete, name="programme_delete"),
    path("programmes/<int:pk>/do/<slug:action>/", programme_views.programme_transition,
         name="programme_transition"),
    path("programmes/<int:pk>/categories/new/", programme_views.category_create, name="category_create"),
    path("categories/<int:pk>/", programme_views.category_detail, name="category"),
    path("categories/<int:pk>/edit/", programme_views.category_edit, name="category_edit"),
    path("categories/<int:pk>/delete/", programme_views.category_delete, name="category_delete"),
    path("programmes/<int:pk>/judges/", programme_views.judges, name="judges"),
    path("judges/<int:pk>/delete/", programme_views.judge_delete, name="judge_delete"),
    # 提名与评分 (nomination_views.py)
    path("nominations/", nomination_views.nomination_list, name="nominations"),
    path("categories/<int:pk>/nominate/", nomination_views.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", nomination_views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/edit/", nomination_views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/withdraw/", nomination_views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/attachments/<int:pk>/", nomination_views.attachment_download, name="attachment_download"),
    path("scoring/", nomination_views.my_scoring, name="my_scoring"),
    path("nominations/<int:pk>/score/", nomination_views.nomination_score, name="nomination_score"),
    # 榜单 (list_views.py): ranking, publication, corrections
    path("categories/<int:pk>/ranking/", list_views.ranking, name="ranking"),
    path("categories/<int:pk>/publish/", list_views.list_publish, name="list_publish"),
    path("lists/", list_views.list_index, name="lists"),
    path("lists/export/", list_views.list_export, name="lists_export"),
    path("lists/<int:pk>/", list_views.list_detail, name="list"),
    path("lists/<int:pk>/correct/", list_views.list_correct, name="list_correct"),
    # 商会评估 (assessment_views.py): 五有, 四好商会, 五好工商联
    path("assessments/", assessment_views.assessment_list, name="assessments"),
    path("assessments/new/", assessment_views.assessment_create, name="assessment_create"),
    path("assessments/export/", assessment_views.assessment_export, name="assessments_export"),
    path("assessment-items/", assessment_views.item_list, name="assessment_items"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/delete/", assessment_views.assessment_delete, name="assessment_delete"),
    path("assessments/<int:pk>/do/<slug:action>/", assessment_views.assessment_transition,
         name="assessment_transition"),
    path("assessments/<int:pk>/items/<slug:code>/", assessment_views.item_edit, name="item_edit"),
    path("assessment-items/<int:pk>/verify/", assessment_views.item_verify, name="item_verify"),
    path("evidence/<int:pk>/", assessment_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", assessment_views.evidence_delete, name="evidence_delete"),
    path("assessments/compliance/", assessment_views.compliance, name="compliance"),
    # 统计 (statistics_views.py)
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/records/<str:key>/", statistics_views.figure_records, name="figure_records"),
]
