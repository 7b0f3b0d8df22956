"""Every page of the spine × every role: the allowed user gets 200, a refused action 403, a refused
object 404 (DESIGN §1: data scope is enforced in selectors, and a guessed URL gives 404)."""

import pytest
from django.urls import reverse

ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]

# page name, object the URL points at (attribute of the cast, or None), expected status per user
MATRIX = [
    ("workbench:home", None, {**dict.fromkeys(ROLES, 200), "ent1": 302}),  # ent1 → its H5 pages
    ("accounts:profile", None, dict.fromkeys(ROLES, 200)),
    ("workbench:h5_me", None, {**dict.fromkeys(ROLES, 403), "ent1": 200}),  # 我的: the enterprise's phone pages
    ("members:membership_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                       "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                       "outsider_staff": 200}),
    ("members:membership_export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                         "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 200}),
    ("members:enterprise_export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                         "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 200}),
    ("members:member_statistics", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                         "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 200}),
    ("members:member_statistics_export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                                "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                                "outsider_staff": 200}),
    ("members:figure_records", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                      "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                      "outsider_staff": 200}),
    ("members:member_import", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                     "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                     "outsider_staff": 200}),
    ("members:member_import_template", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                              "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                              "outsider_staff": 200}),
    ("members:enterprise_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                       "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                       "outsider_staff": 200}),
    ("members:enterprise_detail", "ent1", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                           "chamber2": 404, "dept1": 403, "ent1": 200, "auditor": 403,
                                           "outsider_staff": 404}),
    ("members:enterprise_detail", "ent2", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 404,
                                           "chamber2": 200, "dept1": 403, "ent1": 404, "auditor": 403,
                                           "outsider_staff": 404}),
    ("members:person_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                   "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("members:person_detail", "person1", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                          "chamber2": 404, "dept1": 403, "ent1": 403, "auditor": 403,
                                          "outsider_staff": 404}),
    # the member registry's write pages: editors everywhere in scope, a chamber secretary its own members
    ("members:enterprise_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200,
                                         "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("members:enterprise_edit", "ent1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 404,
                                         "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 404}),
    ("members:enterprise_delete", "ent1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                           "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                           "outsider_staff": 404}),
    ("members:person_export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                     "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                     "outsider_staff": 200}),
    ("members:person_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                     "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("members:person_edit", "person1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                        "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 404}),
    ("members:person_delete", "person1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                          "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                          "outsider_staff": 404}),
    ("members:membership_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                         "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 200}),
    ("members:chamber_membership_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200,
                                                 "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                                 "outsider_staff": 200}),
    ("members:chamber_members", "chamber1", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                             "chamber2": 404, "dept1": 403, "ent1": 403, "auditor": 403,
                                             "outsider_staff": 404}),
    # The pickers' endpoints (members.pickers): what the user's scope holds; members/tests/test_pickers.py
    # checks the matches themselves.
    # 疑似重复, 查找疑似重复 and 合并记录: the editors only, each of its own federations (outsider_staff sees its own, empty)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("members:duplicates", "members:duplicates_scan", "members:merges")],
    ("members:pick_enterprises", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                        "chamber2": 200, "dept1": 403, "ent1": 200, "auditor": 403,
                                        "outsider_staff": 200}),
    ("members:pick_persons", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                    "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                    "outsider_staff": 200}),
    ("common:industries", None, dict.fromkeys(ROLES, 200)),  # GB/T 4754: reference data
    ("orgs:chamber_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                 "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("orgs:chamber_detail", "chamber1", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                         "chamber2": 404, "dept1": 403, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 404}),
    ("orgs:chamber_detail", "chamber2", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 404,
                                         "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 404}),
    ("orgs:committee_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                                   "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("orgs:department_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                                    "dept1": 200, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("orgs:department_detail", "dept1", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403,
                                         "chamber2": 403, "dept1": 200, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 404}),
    ("orgs:department_detail", "dept2", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403,
                                         "chamber2": 403, "dept1": 404, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 404}),
    ("orgs:chamber_edit", "chamber1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 404,
                                       "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 404}),
    ("orgs:department_edit", "dept1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                       "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 404}),
    *[(f"orgs:{kind}_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                     "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for kind in ("chamber", "committee", "department", "street", "village", "term")],
    *[(f"orgs:{kind}_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                                   "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for kind in ("street", "village")],
    ("orgs:term_list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                              "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("appeals:list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                            "dept1": 200, "ent1": 302, "auditor": 403, "outsider_staff": 200}),
    ("appeals:export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                              "dept1": 200, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("appeals:create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                              "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("notifications:inbox", None, dict.fromkeys(ROLES, 200)),
    ("appeals:statistics", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                  "dept1": 200, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("appeals:statistics_export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                         "chamber2": 200, "dept1": 200, "ent1": 403, "auditor": 403,
                                         "outsider_staff": 200}),
    ("appeals:figure_records", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200,
                                      "chamber2": 200, "dept1": 200, "ent1": 403, "auditor": 403,
                                      "outsider_staff": 200}),
    ("policies:list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                             "dept1": 200, "ent1": 302, "auditor": 403, "outsider_staff": 200}),  # ent1 → H5
    ("policies:export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                               "dept1": 200, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("policies:create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                               "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("policies:import", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                               "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("policies:import_template", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                        "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                        "outsider_staff": 200}),
    ("policies:h5_list", None, {**dict.fromkeys(ROLES, 403), "ent1": 200}),
    # the invitee's phone pages: 我的活动 and 扫码签到 (events/tests/test_h5.py)
    ("events:h5_invitations", None, {**dict.fromkeys(ROLES, 403), "ent1": 200}),
    ("events:h5_checkin", None, {**dict.fromkeys(ROLES, 403), "ent1": 200}),
    # events: the federation reads (leaders too), a chamber secretary its chamber's; the organisers add
    ("events:list", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                           "dept1": 403, "ent1": 302, "auditor": 403, "outsider_staff": 200}),  # ent1 → H5
    ("events:export", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                             "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("events:create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200,
                             "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("audit:event_list", None, {"admin": 403, "staff": 403, "leader": 403, "chamber1": 403, "chamber2": 403,
                                "dept1": 403, "ent1": 403, "auditor": 200, "outsider_staff": 403}),
    ("audit:event_export", None, {"admin": 403, "staff": 403, "leader": 403, "chamber1": 403, "chamber2": 403,
                                  "dept1": 403, "ent1": 403, "auditor": 200, "outsider_staff": 403}),
    ("admin:index", None, {"admin": 200, "staff": 403, "leader": 403, "chamber1": 403, "chamber2": 403,
                           "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 403}),
    # statutory meetings' rules: the federation and the chambers read, editors set (events/tests/test_meetings.py)
    ("events:quorum_rules", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                   "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # the rotating chair: every role reads the roster (issue 20.7) but the auditor (the audit log only); its keepers
    # plan it (a chamber secretary its own chamber's) — events/tests/test_roster.py
    ("events:roster", None, {**dict.fromkeys(ROLES, 200), "auditor": 403}),
    ("events:roster_plan", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200,
                                  "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 活动统计: the event readers, each on its own scope (events/tests/test_statistics_page.py)
    ("events:statistics", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                 "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 签到表导入: the organisers, each into its own events (events/tests/test_import.py)
    ("events:attendance_import", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200,
                                        "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("events:attendance_import_template", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200,
                                                 "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                                 "outsider_staff": 200}),
    # 非公党建: the member registry's readers (a chamber secretary its chamber's and its members'); the editors keep
    # organisations, instructors and the census (engagement/tests/test_party_views.py, test_party_import.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:party_organisations", "engagement:party_organisations_export",
                   "engagement:party_instructors", "engagement:party_census", "engagement:party_coverage")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:party_organisation_create", "engagement:party_instructor_create",
                   "engagement:party_census_import", "engagement:party_census_import_template")],
    ("engagement:party_census_edit", "ent1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                              "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                              "outsider_staff": 404}),
    # 包联企业 (the editors keep the assignments), 我的包联企业 and 走访记录 (the editors, and a leader their own):
    # chamber, department, enterprise and auditor 403 (engagement/tests/test_liaison_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:liaisons", "engagement:liaisons_export", "engagement:liaison_create")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:my_liaisons", "engagement:visits", "engagement:visits_export",
                   "engagement:visit_create")],
    # 代表人士数据库: the member registry's readers (a chamber secretary its members' persons), the editors write
    # (engagement/tests/test_representatives_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:representatives", "engagement:representatives_export", "engagement:arrangements",
                   "engagement:arrangements_export")],
    ("engagement:profile", "person1", {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 404,
                                       "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 404}),
    *[(page, "person1", {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                         "ent1": 403, "auditor": 403, "outsider_staff": 404})
      for page in ("engagement:arrangement_create", "engagement:honour_create", "engagement:cultivation_create")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:arrangement_import", "engagement:arrangement_import_template")],
    # 议案提案: the federation reads, a chamber secretary its chamber's and its persons'; the editors write and import
    # (engagement/tests/test_proposals_pages.py, test_proposals_import.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:proposals", "engagement:proposals_export")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("engagement:proposal_create", "engagement:proposal_import", "engagement:proposal_import_template")],
    # 政治引领统计: the member registry's readers, each on its own scope (engagement/tests/test_statistics.py)
    ("engagement:statistics", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                     "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 商会评估: the member registry's readers read their scope (a chamber secretary its own chamber's assessments,
    # items and 五有达标情况); the keepers (editors, a chamber secretary) create (honours/tests/test_assessments_pages.py,
    # test_compliance.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("honours:assessments", "honours:assessments_export", "honours:assessment_items",
                   "honours:compliance")],
    ("honours:assessment_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200,
                                         "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 发布榜单 (the published lists, their export) and 表彰评估统计: the member registry's readers, a published list being
    # public to the federation (honours/tests/test_lists_pages.py, test_honours_statistics.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("honours:lists", "honours:lists_export", "honours:statistics")],
    # 评选活动: the member registry's readers read their federation's programmes, the editors create them; 提名: the
    # nominators and judges (a chamber secretary its chamber's and its members'); 我的评审: the judges' roles (staff,
    # leader — an empty queue when on no panel) (honours/tests/test_programmes_pages.py, test_nominations_pages.py,
    # test_scoring.py)
    ("honours:programmes", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                  "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("honours:programme_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                        "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("honours:nominations", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                   "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("honours:my_scoring", None, {"admin": 403, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                                  "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 光彩公益 捐款捐物 and 公益项目: the member registry's readers read their scope (a chamber secretary its chamber's
    # donations, the federation's and its own campaigns); the WELFARE_KEEPER_ROLES record and import (a chamber
    # secretary its own chamber's), a leader reads (welfare/tests/test_donations_pages.py, test_donations_import.py,
    # test_campaigns_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("welfare:donations", "welfare:donations_export", "welfare:campaigns")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("welfare:donation_create", "welfare:donation_import", "welfare:donation_import_template",
                   "welfare:campaign_create")],
    # 结对帮扶, 帮扶村覆盖 and 光彩公益统计: the member registry's readers, each on its own scope (a chamber secretary its
    # chamber's and its members' pairings, its federation's target villages); the WELFARE_KEEPER_ROLES add pairings, a
    # leader reads (welfare/tests/test_pairings_pages.py, test_statistics.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("welfare:pairings", "welfare:pairings_export", "welfare:village_coverage", "welfare:statistics")],
    ("welfare:pairing_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200,
                                      "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 发展会员: the member registry's readers read their scope (a chamber secretary its own chamber's prospects); the
    # RECRUITER_ROLES add and import (a chamber secretary its own chamber's), a leader reads; 发展目标: the federation's
    # roles read, the editors keep (growth/tests/test_prospects_pages.py, test_prospects_import.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:prospects", "growth:prospects_export")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:prospect_create", "growth:prospect_import", "growth:prospect_import_template")],
    ("growth:targets", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                              "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("growth:target_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                    "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 专项工作组: the member registry's readers read their federation's groups; the editors organise them
    # (growth/tests/test_groups_pages.py)
    ("growth:groups", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                             "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    ("growth:group_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                   "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 供需对接: the member registry's readers read their federation's board (an enterprise is sent to its phone board),
    # the editors post on behalf of an enterprise; 对接请求 the federation's roles only (a chamber 403); 对接成果 the
    # readers read their scope, the editors record; the phone pages (供需, 发布, 我的对接) the enterprise's
    # (growth/tests/test_board_pages.py)
    ("growth:posts", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                            "dept1": 403, "ent1": 302, "auditor": 403, "outsider_staff": 200}),
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:posts_export", "growth:outcomes", "growth:outcomes_export")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:post_create", "growth:outcome_create")],
    ("growth:contacts", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                               "dept1": 403, "ent1": 302, "auditor": 403, "outsider_staff": 200}),
    *[(page, None, {**dict.fromkeys(ROLES, 403), "ent1": 200})
      for page in ("growth:h5_board", "growth:h5_post_create", "growth:h5_contacts")],
    # 服务企业（双万双服）: the member registry's readers read their scope (a chamber secretary its active members'
    # enrollments); the editors enroll and import, a leader reads (growth/tests/test_enrollments_pages.py,
    # test_enrollments_import.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:enrollments", "growth:enrollments_export")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:enrollment_create", "growth:enrollment_import", "growth:enrollment_import_template")],
    # 会员名录: the member registry's readers search their federation's directory (an enterprise on its phone, where
    # it also sets its own listing); the editors turn the public page on or off (growth/tests/test_directory_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:directory", "growth:directory_export")],
    ("growth:directory_settings", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403,
                                         "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    *[(page, None, {**dict.fromkeys(ROLES, 403), "ent1": 200})
      for page in ("growth:h5_directory", "growth:h5_my_listing")],
    # 会员发展统计: the member registry's readers, each on its own scope (a chamber secretary its chamber's prospects
    # and applications, its members' enrollments and outcomes; no targets, no contact requests)
    # (growth/tests/test_statistics.py)
    ("growth:statistics", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                 "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 入会申请 (growth): the member registry's readers read their scope (a chamber secretary the applications naming its
    # chamber), the editors decide; an enterprise applies and follows its own on its phone — a member is told it need
    # not apply (growth/tests/test_applications_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("growth:applications", "growth:applications_export")],
    *[(page, None, {**dict.fromkeys(ROLES, 403), "ent1": 200}) for page in ("growth:h5_apply", "growth:h5_applications")],
    # the enterprise's 通知公告 and 问卷调查 on the phone (communications/tests/test_h5_pages.py)
    *[(page, None, {**dict.fromkeys(ROLES, 403), "ent1": 200})
      for page in ("communications:h5_inbox", "communications:h5_surveys")],
    # 问卷调查 (staff): the federation's roles and the chamber secretaries read their scope (a chamber its own chamber's
    # surveys); the senders create, a leader reads (communications/tests/test_surveys_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:surveys", "communications:surveys_export")],
    ("communications:survey_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200,
                                            "chamber2": 200, "dept1": 403, "ent1": 403, "auditor": 403,
                                            "outsider_staff": 200}),
    # 通知调研统计: the senders' and readers' roles, each on its own scope (a chamber secretary its chamber's notices
    # and surveys, its federation's publicity and rules; no research reports, no friendly organisations)
    # (communications/tests/test_statistics.py)
    ("communications:statistics", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200,
                                         "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 通知公告 (staff): the federation's roles and the chamber secretaries read their scope (a chamber its own chamber's
    # notices); the senders draft (and preview the audience) and keep their saved filters, a leader reads
    # (communications/tests/test_notices_pages.py, test_filters_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:notices", "communications:notices_export")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:notice_create", "communications:audience_preview", "communications:filters",
                   "communications:filter_create")],
    # 调研报告 (communications): the federation's roles read their federations' reports, the editors keep them; a chamber
    # secretary, a department, an enterprise and the auditor 403 (communications/tests/test_reports_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:reports", "communications:reports_export")],
    ("communications:report_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                            "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                            "outsider_staff": 200}),
    # 宣传报道 (communications): the federation's roles and the chambers of the federation read, the editors keep and
    # import (communications/tests/test_articles_pages.py, test_articles_import.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:articles", "communications:articles_export")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:article_create", "communications:article_import",
                   "communications:article_import_template")],
    # 规章制度 (communications): the federation's roles and the chambers of the federation read, the editors keep
    # (communications/tests/test_rules_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:rules", "communications:rules_export")],
    ("communications:rule_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                          "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                          "outsider_staff": 200}),
    # 友好商会 and 交流互访 (communications): the federation's roles read, the editors keep; a chamber secretary, a
    # department, an enterprise and the auditor 403 (communications/tests/test_partners_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("communications:partners", "communications:partners_export", "communications:exchanges",
                   "communications:exchanges_export")],
    ("communications:partner_create", None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403,
                                             "chamber2": 403, "dept1": 403, "ent1": 403, "auditor": 403,
                                             "outsider_staff": 200}),
    # 领导驾驶舱 and 数据大屏 (reports): the federation's roles read their federation's figures; the street map is the one
    # shipped for the federation's region (南开区 has none: 404); a chamber secretary, a department, an enterprise and the
    # auditor 403 (reports/tests/test_dashboard.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("reports:dashboard", "reports:screen")],
    ("reports:street_map", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                                  "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 404}),
    # 指标库 and 指标目标 (reports): the federation's roles read their federation's figures and targets, the editors
    # set the targets and the chamber-coverage threshold; chamber, department, enterprise and auditor 403
    # (reports/tests/test_catalogue.py, test_targets.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("reports:catalogue", "reports:targets")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("reports:target_create", "reports:coverage_threshold")],
    # 年度工作报告 (reports): the federation's roles generate, read and download — a leader too — and download the
    # template in use; the editors replace it or go back to the shipped one; chamber, department, enterprise and
    # auditor 403 (reports/tests/test_annual_pages.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("reports:annual", "reports:template_download")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("reports:template_upload", "reports:template_reset")],
    # 外部指标 (reports): the federation's roles read their federations' values and the indicators, the editors enter,
    # import and keep them; chamber, department, enterprise and auditor 403 (reports/tests/test_external_pages.py,
    # test_external_import.py)
    *[(page, None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("reports:externals", "reports:externals_export", "reports:indicators")],
    *[(page, None, {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403,
                    "ent1": 403, "auditor": 403, "outsider_staff": 200})
      for page in ("reports:external_create", "reports:external_import", "reports:external_import_template")],
    # the indicators are shared by every federation: the system administrator's only
    ("reports:indicator_create", None, {"admin": 200, "staff": 403, "leader": 403, "chamber1": 403, "chamber2": 403,
                                        "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 403}),
    # 工作报告引用指标 (reports): the federation's roles read what the platform says for each quote of the seed reports;
    # chamber, department, enterprise and auditor 403 (reports/tests/test_quoted_page.py)
    ("reports:quoted", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                              "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
    # 各区对比 (reports): the federation's roles — a district sees only itself; chamber, department, enterprise and
    # auditor 403 (reports/tests/test_districts.py: a city's districts, ?federation= outside the scope 404)
    ("reports:districts", None, {"admin": 200, "staff": 200, "leader": 200, "chamber1": 403, "chamber2": 403,
                                 "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 200}),
]

# Pages addressed by an import job's id: members/tests/test_import.py proves the owner is allowed and
# another user (same role) gets 404, and that other roles get 403.
COVERED_ELSEWHERE = {
    "members:member_import_job", "members:member_import_commit", "members:member_import_errors",
    # one membership's pages and a person's 企业任职 (POST only): members/tests/test_membership_pages.py,
    # test_person_pages.py (editors allowed, readers 403, another scope 404)
    "members:membership_detail", "members:membership_edit", "members:membership_delete",
    "members:chamber_membership_detail", "members:chamber_membership_edit", "members:chamber_membership_delete",
    "members:person_role_add", "members:person_role_remove",
    # one suspected pair (比对/合并/非重复) and one merge explained: members/tests/test_duplicate_pages.py (every role:
    # the editors of the pair's federation allowed, the other roles 403, another federation's editor 404)
    "members:duplicate", "members:duplicate_merge", "members:duplicate_dismiss", "members:merge",
    # pages of one appeal or one message: appeals/tests/test_views.py, test_h5.py, test_api.py, test_record.py
    "appeals:detail", "appeals:act", "appeals:attachment", "appeals:print", "appeals:export_one", "appeals:h5_home", "appeals:h5_create",
    "appeals:h5_detail", "appeals:h5_rate", "appeals:h5_reopen", "notifications:open", "notifications:read_all",
    # pages of one policy: policies/tests/test_views.py, test_h5.py; import jobs: policies/tests/test_import.py
    "policies:detail", "policies:edit", "policies:publish", "policies:push", "policies:delete", "policies:matches",
    "policies:matches_export", "policies:attachment", "policies:h5_detail", "policies:import_job",
    "policies:import_commit", "policies:import_errors",
    # pages of one committee, street, village, term or position, and the delete pages:
    # orgs/tests/test_record_permissions.py (its own cast of those records in two federations)
    "orgs:chamber_delete", "orgs:committee_detail", "orgs:committee_edit", "orgs:committee_delete",
    "orgs:department_delete", "orgs:street_detail", "orgs:street_edit", "orgs:street_delete",
    "orgs:village_detail", "orgs:village_edit", "orgs:village_delete", "orgs:term_detail", "orgs:term_edit",
    "orgs:term_delete", "orgs:position_create", "orgs:position_edit", "orgs:position_delete",
    # pages of one event, its invitations and materials: events/tests/test_views.py, test_invite_pages.py,
    # test_event_form.py (the organiser allowed, a leader reads only, another chamber or federation 404)
    "events:detail", "events:edit", "events:transition", "events:invite", "events:invitations",
    "events:invitations_export", "events:invitation_cancel", "events:invitation_rsvp", "events:invitation_print",
    "events:materials", "events:material", "events:material_delete", "events:raise_appeal",
    # one invitation on the invitee's phone, its answer, feedback and materials: events/tests/test_h5.py (its
    # enterprise's user allowed, other roles 403, another enterprise's invitation 404 and nothing changed)
    "events:h5_invitation", "events:h5_rsvp", "events:h5_feedback", "events:h5_material",
    # pages of one export job: imports/tests/test_background.py (the owner only, 404 for anyone else)
    "imports:export_job", "imports:export_download",
    # one audit record: auditlog/tests/test_event_list.py (the auditor only, 404 for a missing one)
    "audit:event_detail",
    # the sign-in pages: accounts/tests/test_login.py, test_second_factor.py, test_passwords.py, test_sms_login.py
    "accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_setup", "accounts:password_change",
    "accounts:sms_login",
    # a statutory meeting's pages and one month of the rotating chair: events/tests/test_meetings.py, test_roster.py
    # (organisers allowed, readers 403, another scope 404)
    "events:attendees_from_body", "events:minutes", "events:resolution_create", "events:resolution",
    "events:resolution_attachment", "events:duty",
    # one event's door (check-in), its 签到码 poster, sign-in sheet and scan log: events/tests/test_door.py
    # (organisers allowed on the door and poster, leaders 403; the sheet and log every event reader's; another
    # scope 404, every page × staff/admin/leader/chamber1/chamber2/dept1/ent1/auditor/outsider_staff)
    "events:door", "events:door_scan", "events:door_search", "events:door_manual", "events:door_walk_in",
    "events:poster", "events:poster_renew", "events:checkins", "events:checkins_export", "events:scans",
    # the records behind one figure of 活动统计 (addressed by the figure's key): events/tests/test_statistics_page.py
    # (readers allowed, department/enterprise/auditor 403, an unknown key or another scope's row 404)
    "events:figure_records",
    # one 签到表导入 job (check report, 确认导入, error report): events/tests/test_import.py (its uploader only,
    # 404 for another user; the roles that do not organise 403 on the upload page)
    "events:attendance_import_job", "events:attendance_import_commit", "events:attendance_import_errors",
    # one party organisation (查看/编辑/删除, 登记活动), one activity (删除), one instructor (编辑/删除):
    # engagement/tests/test_party_views.py (readers read their scope — chamber2 404 on chamber1's; editors write,
    # keepers record activities, leader 403, another federation or chamber 404); one 企业党员情况导入 job:
    # engagement/tests/test_party_import.py (its uploader only, 404 for another user, 403 for the other roles)
    "engagement:party_organisation", "engagement:party_organisation_edit", "engagement:party_organisation_delete",
    "engagement:party_activity_create", "engagement:party_activity_delete", "engagement:party_instructor_edit",
    "engagement:party_instructor_delete", "engagement:party_census_import_job",
    "engagement:party_census_import_commit", "engagement:party_census_import_errors",
    # one liaison or visit (查看/编辑/删除/结束包联/转为诉求): engagement/tests/test_liaison_pages.py (editors allowed,
    # a leader their own to read and record, another leader's or federation's 404, chamber/department/enterprise 403)
    "engagement:liaison", "engagement:liaison_edit", "engagement:liaison_delete", "engagement:visit",
    "engagement:visit_edit", "engagement:visit_raise_appeal",
    # one arrangement, honour or cultivation-plan entry (编辑/删除): engagement/tests/test_representatives_pages.py
    # (editors allowed, every other role 403, another federation's editor 404); one 政治安排导入 job:
    # engagement/tests/test_representatives_import.py (its uploader only, 404 for another user, 403 for readers)
    "engagement:arrangement_edit", "engagement:arrangement_delete", "engagement:honour_delete",
    "engagement:cultivation_edit", "engagement:cultivation_delete", "engagement:arrangement_import_job",
    "engagement:arrangement_import_commit", "engagement:arrangement_import_errors",
    # one proposal (查看/编辑/删除 and its workflow's steps): engagement/tests/test_proposals_pages.py (readers read
    # their scope — chamber1 404 on chamber2's; editors write, leader 403, another federation's editor 404); one
    # 议案提案导入 job: engagement/tests/test_proposals_import.py (its uploader only, 404 for another user)
    "engagement:proposal", "engagement:proposal_edit", "engagement:proposal_delete", "engagement:proposal_transition",
    "engagement:proposal_import_job", "engagement:proposal_import_commit", "engagement:proposal_import_errors",
    # the records behind one figure of 政治引领统计 (addressed by the figure's key): engagement/tests/test_statistics.py
    # (readers allowed, department/enterprise/auditor 403, a chamber 403 on liaison's, an unknown key or another
    # scope's row 404)
    "engagement:figure_records",
    # one assessment (查看/删除/提交核定/核定/退回), one item (填报/核实), one evidence file (下载/删除):
    # honours/tests/test_assessments_pages.py (readers read their scope — chamber2 404 on chamber1's —, keepers fill
    # in, only staff verify — a chamber secretary 403 —, leader 403 on the writes, department/enterprise/auditor 403,
    # another federation's staff 404)
    "honours:assessment", "honours:assessment_delete", "honours:assessment_transition", "honours:item_edit",
    "honours:item_verify", "honours:evidence_download", "honours:evidence_delete",
    # one category's ranking and 发布榜单, one published list and 更正榜单: honours/tests/test_lists_pages.py (the
    # ranking: staff/admin and leader read, chamber/department/enterprise/auditor 403, another federation 404;
    # publishing and correcting: editors only, leader and chamber 403, another federation 404, nothing written); the
    # records behind one figure of 表彰评估统计: honours/tests/test_honours_statistics.py (readers allowed,
    # department/enterprise/auditor 403, an unknown key or category 404)
    "honours:ranking", "honours:list_publish", "honours:list", "honours:list_correct", "honours:figure_records",
    # one programme, category or judge (查看/编辑/删除, its workflow's steps, 评选类别 and 评审委员):
    # honours/tests/test_programmes_pages.py (every role: readers read their federation's, editors keep them, leader
    # and chamber 403 on the writes, department/enterprise/auditor 403, another federation's staff 404); one nomination
    # (查看/提名/修改/撤回, its materials) and its scoring: honours/tests/test_nominations_pages.py, test_scoring.py
    # (chamber2 404 on chamber1's, leader 403 on the writes, a judge of another panel or a conflicted one 403, another
    # federation 404)
    "honours:programme", "honours:programme_edit", "honours:programme_delete", "honours:programme_transition",
    "honours:category", "honours:category_create", "honours:category_edit", "honours:category_delete",
    "honours:judges", "honours:judge_delete", "honours:nomination", "honours:nomination_create",
    "honours:nomination_edit", "honours:nomination_withdraw", "honours:attachment_download",
    "honours:nomination_score",
    # one donation (查看/编辑/删除/捐赠证书), one proof (下载/删除) and one campaign (查看/编辑/删除):
    # welfare/tests/test_donations_pages.py, test_campaigns_pages.py (every role: readers read their scope, keepers
    # write, leader 403 on the writes, department/enterprise/auditor 403, another chamber's or federation's 404);
    # one 捐赠记录导入 job: welfare/tests/test_donations_import.py (its uploader only, 404 for another user)
    "welfare:donation", "welfare:donation_edit", "welfare:donation_delete", "welfare:donation_certificate",
    "welfare:proof_download", "welfare:proof_delete", "welfare:campaign", "welfare:campaign_edit",
    "welfare:campaign_delete", "welfare:donation_import_job", "welfare:donation_import_commit",
    "welfare:donation_import_errors",
    # one pairing (查看/编辑/删除): welfare/tests/test_pairings_pages.py (readers read their scope — chamber2 404 on
    # chamber1's —, keepers write, leader 403 on the writes, department/enterprise/auditor 403, another federation's
    # staff 404); the records behind one figure of 光彩公益统计: welfare/tests/test_statistics.py (readers allowed,
    # department/enterprise/auditor 403, an unknown key or another scope's row 404)
    "welfare:pairing", "welfare:pairing_edit", "welfare:pairing_delete", "welfare:figure_records",
    # one membership application (staff: 查看/批准入会/不予通过, its files; the enterprise's phone: 查看/撤回):
    # growth/tests/test_applications_pages.py (every role: readers read their scope — chamber2 404 on chamber1's —,
    # the editors decide, leader and chamber 403 on the decisions, another federation's staff 404, another
    # enterprise's application 404 on the phone and nothing changed)
    "growth:application", "growth:application_transition", "growth:attachment_download", "growth:h5_application",
    "growth:h5_application_withdraw",
    # one prospect (查看/编辑/删除 and its stage steps) and one target (编辑/删除): growth/tests/test_prospects_pages.py
    # (readers read their scope — chamber2 404 on chamber1's —, keepers write, leader 403 on the writes, department/
    # enterprise/auditor 403, another federation's staff 404); one 发展对象导入 job: growth/tests/test_prospects_import.py
    # (its uploader only, 404 for another user, leader 403)
    "growth:prospect", "growth:prospect_edit", "growth:prospect_delete", "growth:prospect_transition",
    "growth:target_edit", "growth:target_delete", "growth:prospect_import_job", "growth:prospect_import_commit",
    "growth:prospect_import_errors",
    # one working group, member, project or milestone (查看/编辑/删除, 添加成员/移除成员, 新增项目/节点):
    # growth/tests/test_groups_pages.py (every role: readers — a chamber secretary too — read their federation's,
    # editors keep them, leader and chamber 403 on the writes, department/enterprise/auditor 403, another
    # federation's staff 404)
    "growth:group", "growth:group_edit", "growth:group_delete", "growth:group_member_add",
    "growth:group_member_remove", "growth:project_create", "growth:project", "growth:project_edit",
    "growth:project_delete", "growth:milestone_create", "growth:milestone_edit", "growth:milestone_delete",
    # one post (查看/编辑/关闭, on the back office and the phone), a contact request (同意/婉拒/撤回, POST) and one outcome
    # (编辑/删除): growth/tests/test_board_pages.py (readers read their scope — a chamber its federation's open posts —,
    # editors and the poster edit and close, only the two enterprises act on a request, leader/chamber 403 on the
    # writes, department/auditor 403, another federation's staff or member 404)
    "growth:post", "growth:post_edit", "growth:post_transition", "growth:contact_transition", "growth:h5_post",
    "growth:h5_contact_request", "growth:outcome_edit", "growth:outcome_delete",
    # one service enrollment (查看/编辑/退出/删除): growth/tests/test_enrollments_pages.py (readers read their scope —
    # chamber2 404 on chamber1's member —, editors write, leader/chamber 403 on the writes, department/enterprise/
    # auditor 403, another federation's staff 404); one 服务企业导入 job: growth/tests/test_enrollments_import.py and
    # the shared import pages' tests (its uploader only); the public directory (no login: 404 until the federation
    # turns it on, then open to anyone): growth/tests/test_directory_pages.py
    "growth:enrollment", "growth:enrollment_edit", "growth:enrollment_end", "growth:enrollment_delete",
    "growth:enrollment_import_job", "growth:enrollment_import_commit", "growth:enrollment_import_errors",
    "growth:directory_public",
    # the records behind one figure of 会员发展统计: growth/tests/test_statistics.py (readers allowed, department/
    # enterprise/auditor 403, a chamber secretary 403 on the targets and contact requests, an unknown key or a
    # malformed row 404)
    "growth:figure_records",
    # one notice, its attachment and one survey on the enterprise's phone: communications/tests/test_h5_pages.py
    # (ent1 on what was sent to it; another enterprise's user, a withdrawn notice, a draft survey 404; every other
    # role 403); the answers of one survey, one answer sheet, 转为诉求 and 提醒未填 (POST):
    # communications/tests/test_responses_pages.py (readers read their scope — a chamber secretary its own chamber's
    # surveys, chamber2 404 on chamber1's —, the senders remind, only the editors open an appeal, leader 403 on the
    # writes, department/enterprise/auditor 403, another federation's staff 404)
    "communications:h5_notice", "communications:h5_notice_attachment", "communications:h5_survey",
    "communications:survey_responses", "communications:survey_remind", "communications:response",
    "communications:response_appeal",
    # one survey (查看/编辑/删除/复制, 发布/结束/重新开放), its questions (添加/编辑/删除/移动), its results and the
    # raw answers' export: communications/tests/test_surveys_pages.py (every role: readers read their scope — chamber2
    # 404 on chamber1's, a chamber 404 on the federation's —, the senders keep them, leader 403 on the writes,
    # department/enterprise/auditor 403, another federation's staff 404)
    "communications:survey", "communications:survey_edit", "communications:survey_delete",
    "communications:survey_copy", "communications:survey_transition", "communications:question_create",
    "communications:question_edit", "communications:question_delete", "communications:question_move",
    "communications:survey_results", "communications:survey_answers_export",
    # the records behind one figure of 通知调研统计: communications/tests/test_statistics.py (readers allowed,
    # department/enterprise/auditor 403, a chamber secretary 403 on the research reports and the friendly
    # organisations and 404 on another chamber's survey, an unknown key or a malformed row 404)
    "communications:figure_records",
    # one notice (查看/编辑/删除, 发送/撤回, 提醒未读), its receipts and their export, its attachments, one saved filter
    # (编辑/删除): communications/tests/test_notices_pages.py, test_filters_pages.py (every role: readers read their
    # scope — a chamber 404 on the federation's and another chamber's —, the senders keep their own, the federation
    # 404 on writing a chamber's, leader 403 on the writes, department/enterprise/auditor 403, another federation's
    # staff 404)
    "communications:notice", "communications:notice_edit", "communications:notice_delete",
    "communications:notice_transition", "communications:notice_remind", "communications:notice_recipients",
    "communications:notice_recipients_export", "communications:notice_attachment", "communications:filter_edit",
    "communications:filter_delete",
    # one research report (查看/编辑/删除, its documents) and one article (查看/编辑/删除, its scans):
    # communications/tests/test_reports_pages.py, test_articles_pages.py (every role: readers read their federation's,
    # the editors keep, leader/chamber 403 on the writes, department/enterprise/auditor 403, another federation's
    # staff 404); one 宣传报道导入 job: communications/tests/test_articles_import.py and the shared import pages' tests
    # (its uploader only)
    "communications:report", "communications:report_edit", "communications:report_delete",
    "communications:report_document", "communications:article", "communications:article_edit",
    "communications:article_delete", "communications:article_scan", "communications:article_import_job",
    "communications:article_import_commit", "communications:article_import_errors",
    # one rule (查看/编辑/删除/修订/废止) and one of its versions: communications/tests/test_rules_pages.py (every role:
    # readers — the chambers too — read their federation's, the editors keep, leader/chamber 403 on the writes,
    # department/enterprise/auditor 403, another federation's staff 404)
    "communications:rule", "communications:rule_edit", "communications:rule_delete", "communications:rule_repeal",
    "communications:rule_version_create", "communications:rule_version",
    # one partner (查看/编辑/删除), its agreements and exchanges (新增/编辑/删除): communications/tests/test_partners_pages.py
    # (every role: the federation's roles read, the editors keep, leader 403 on the writes, chamber/department/
    # enterprise/auditor 403, another federation's staff 404)
    "communications:partner", "communications:partner_edit", "communications:partner_delete",
    "communications:agreement_create", "communications:agreement_edit", "communications:agreement_delete",
    "communications:exchange_create", "communications:exchange_edit", "communications:exchange_delete",
    # one figure of 指标库, the records behind any figure (exportable) and one target (编辑/删除):
    # reports/tests/test_catalogue.py, test_records.py, test_targets.py (the federation's roles read, the editors
    # write, leader 403 on the writes, chamber/department/enterprise/auditor 403, another federation's target or
    # `?federation=` outside the scope 404, an unknown figure 404)
    "reports:figure", "reports:records", "reports:target_edit", "reports:target_delete",
    # 立即更新 of a kept 领导驾驶舱 (a POST; GET 405): reports/tests/test_kept_boards.py (staff and leader queue it,
    # chamber/auditor 403, `federation` outside the scope 404)
    "reports:dashboard_refresh",
    # one annual report run (its page, the htmx polling) and its downloads (Word, Excel): reports/tests/
    # test_annual_pages.py (the federation's roles — a leader too — read and download their federations' runs,
    # chamber/department/enterprise/auditor 403, another federation's run 404, an unknown file kind 404)
    "reports:annual_run", "reports:annual_download",
    # one external value (编辑/删除), one indicator (编辑) and one 外部指标数值导入 job: reports/tests/
    # test_external_pages.py, test_external_import.py and the shared import pages' tests (the editors write, leader/
    # chamber 403 on the writes, another federation's value 404; a job its uploader only)
    "reports:external_edit", "reports:external_delete", "reports:indicator_edit", "reports:external_import_job",
    "reports:external_import_commit", "reports:external_import_errors",
}

CASES = [(page, target, role, expected[role]) for page, target, expected in MATRIX for role in ROLES]


@pytest.mark.parametrize(("page", "target", "role", "expected"), CASES,
                         ids=[f"{p}[{t or '-'}]-{r}-{e}" for p, t, r, e in CASES])
def test_role_gets_expected_status_on_page(cast, login, page, target, role, expected):
    client = login(getattr(cast.users, role))
    args = [getattr(cast, target).pk] if target else None
    response = client.get(reverse(page, args=args))
    assert response.status_code == expected


def test_every_matrix_page_is_refused_to_anonymous_users(client, cast):
    for page, target, _ in MATRIX:
        args = [getattr(cast, target).pk] if target else None
        url = reverse(page, args=args)
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_every_named_page_is_in_the_matrix():
    """A page added without a row here fails: every page needs its allowed and refused users."""
    from django.urls import get_resolver

    covered = {page for page, _, _ in MATRIX} | COVERED_ELSEWHERE
    ours = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        urlconf = getattr(resolver.urlconf_name, "__name__", str(resolver.urlconf_name))
        if urlconf.startswith("shanglian."):  # every app's pages, found, not listed
            ours |= {f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str)}
    assert {page.split(":")[0] for page in ours} >= {"workbench", "members", "appeals", "policies", "imports"}
    assert ours - covered == set()


def test_chamber_secretary_sees_only_own_chamber_in_lists(cast, login):
    client = login(cast.users.chamber1)
    content = client.get(reverse("orgs:chamber_list")).content.decode()
    assert "友谊路街道商会" in content and "河西区浙江商会" not in content
    content = client.get(reverse("members:enterprise_list")).content.decode()
    assert "天津友谊科技有限公司" in content and "天津之江贸易有限公司" not in content


def test_refused_object_is_audited_as_denial(cast, login):
    from shanglian.audit.models import AuditEvent

    client = login(cast.users.chamber2)
    client.get(reverse("orgs:chamber_detail", args=[cast.chamber1.pk]))
    event = AuditEvent.objects.filter(action="denied").latest("id")
    assert event.username == "chamber2" and event.object_type == "orgs.chamber"
    assert event.object_id == str(cast.chamber1.pk)
