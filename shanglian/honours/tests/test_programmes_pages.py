"""评选活动 pages: the list in each user's scope, one programme's page with the workflow's buttons (the editors'), the
steps taken from it, 新增/编辑/删除, a category's form with its criteria (one formset, all or nothing), the panel's
page, and every page of one programme, category or judge × every role of the cast (allowed 200, a refused role
403, another federation 404)."""

import re

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.honours.models import Category, Judge, Programme

P = Programme.Status
LIST = reverse("honours:programmes")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def programmes(cast):
    return {
        "draft": testing.make_programme(cast.district, name="科技创新10强评选", year=2026, status=P.DRAFT),
        "open": testing.make_programme(cast.district, name="依法纳税10强评选", year=2025, status=P.NOMINATING),
        "other": testing.make_programme(cast.other, name="南开区评选", year=2025, status=P.NOMINATING),
    }


def test_the_federation_and_its_chambers_list_their_programmes_others_are_refused(cast, programmes, login):
    for role in ("staff", "leader", "chamber1", "chamber2"):
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert count(page) == 2 and "依法纳税10强评选" in page and "南开区评选" not in page, role
    page = login(cast.users.outsider_staff).get(LIST).content.decode()
    assert count(page) == 1 and "南开区评选" in page
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403
    assert "新增评选活动" in login(cast.users.staff).get(LIST).content.decode()
    assert "新增评选活动" not in login(cast.users.chamber1).get(LIST).content.decode()


@pytest.mark.parametrize(("query", "expected"), [("q=纳税", {"open"}), ("year=2026", {"draft"}),
                                                 ("status=draft", {"draft"})], ids=["name", "year", "status"])
def test_the_list_filters(cast, programmes, login, query, expected):
    page = login(cast.users.staff).get(f"{LIST}?{query}").content.decode()
    assert count(page) == len(expected)
    for key in ("draft", "open"):
        assert (programmes[key].name in page) == (key in expected)


def test_an_invalid_search_lists_nothing_and_says_why(cast, programmes, login):
    page = login(cast.users.staff).get(f"{LIST}?year=abc").content.decode()
    assert count(page) == 0 and "年度应为四位数字" in page


def test_an_editor_creates_and_edits_a_programme_through_its_pages(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("honours:programme_create"), {"name": "和谐劳动关系10强评选", "year": "2025",
                                                                  "description": "", "nomination_deadline": ""})
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    assert programme.status == P.DRAFT
    response = client.post(reverse("honours:programme_edit", args=[programme.pk]),
                           {"name": "和谐劳动关系10强评选", "year": "2025", "description": "",
                            "nomination_deadline": "2025-13-40"})
    assert response.status_code == 400 and "提名截止日期格式应为" in response.content.decode()
    response = client.post(reverse("honours:programme_create"), {"name": "", "year": "1990"})
    assert response.status_code == 400 and "请填写评选名称" in response.content.decode()
    assert Programme.objects.count() == 1


def test_the_programme_page_shows_categories_and_the_editors_buttons(cast, programmes, login):
    programme = programmes["draft"]
    page = login(cast.users.staff).get(programme.get_absolute_url()).content.decode()
    assert "开始提名" in page and "依法纳税10强" in page and "纳税额（60 / 100）" in page
    assert "新增评选类别" in page and "评审委员" in page
    page = login(cast.users.chamber1).get(programme.get_absolute_url()).content.decode()
    assert "开始提名" not in page and "新增评选类别" not in page and "依法纳税10强" in page


def test_a_step_taken_from_the_page_moves_the_programme_and_a_refusal_is_said(cast, programmes, login):
    programme = programmes["open"]
    client = login(cast.users.staff)
    url = reverse("honours:programme_transition", args=[programme.pk, "score"])
    response = client.post(url, follow=True)
    assert "请先在“评审委员”中添加至少一位评审委员" in response.content.decode()
    programme.refresh_from_db()
    assert programme.status == P.NOMINATING
    testing.make_judge(programme, cast.users.leader)
    response = client.post(url, follow=True)
    assert "截止提名并开始评审成功" in response.content.decode()
    programme.refresh_from_db()
    assert programme.status == P.SCORING
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "结束评选" in page
    assert "尚未发布榜单的类别：依法纳税10强" in page
    assert client.post(reverse("honours:programme_transition", args=[programme.pk, "nonsense"])).status_code == 404


def test_a_programme_is_deleted_only_in_preparation(cast, programmes, login):
    client = login(cast.users.staff)
    response = client.get(reverse("honours:programme_delete", args=[programmes["open"].pk]))
    assert response.status_code == 302
    draft = programmes["draft"]
    page = client.get(reverse("honours:programme_delete", args=[draft.pk])).content.decode()
    assert "确认删除" in page
    assert client.post(reverse("honours:programme_delete", args=[draft.pk])).status_code == 302
    assert not Programme.objects.filter(pk=draft.pk).exists()


def formset_data(rows, *, initial=0, **category):
    data = {"name": "社会责任10强", "list_size": "10", "order": "2", **category,
            "criteria-TOTAL_FORMS": str(len(rows)), "criteria-INITIAL_FORMS": str(initial),
            "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "20"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{n}-{key}"] = value
    return data


def test_a_category_is_added_with_its_criteria_in_one_form(cast, programmes, login):
    programme = programmes["draft"]
    client = login(cast.users.staff)
    url = reverse("honours:category_create", args=[programme.pk])
    page = client.get(url).content.decode()
    assert 'name="criteria-TOTAL_FORMS"' in page and "评分说明" in page
    rows = [{"name": "公益捐赠", "weight": "50", "max_score": "100", "description": "年度捐赠额"},
            {"name": "志愿服务", "weight": "50", "max_score": "50", "description": ""},
            {"name": "", "weight": "", "max_score": "100", "description": ""}]  # a blank row is ignored
    response = client.post(url, formset_data(rows))
    category = Category.objects.get(name="社会责任10强")
    assert response.status_code == 302 and response["Location"] == category.get_absolute_url()
    assert list(category.criteria.values_list("name", "max_score")) == [("公益捐赠", 100), ("志愿服务", 50)]


def test_a_bad_criterion_redraws_the_form_and_saves_nothing(cast, programmes, login):
    programme = programmes["draft"]
    client = login(cast.users.staff)
    rows = [{"name": "公益捐赠", "weight": "0", "max_score": "100", "description": ""}]
    response = client.post(reverse("honours:category_create", args=[programme.pk]), formset_data(rows))
    assert response.status_code == 400 and "权重必须大于 0" in response.content.decode()
    rows = [{"name": "公益捐赠", "weight": "10", "max_score": "0", "description": ""}]
    response = client.post(reverse("honours:category_create", args=[programme.pk]), formset_data(rows))
    assert response.status_code == 400 and "满分至少为 1" in response.content.decode()
    response = client.post(reverse("honours:category_create", args=[programme.pk]), formset_data([]))
    assert response.status_code == 400 and "请至少设置一项评分指标" in response.content.decode()
    assert not Category.objects.filter(name="社会责任10强").exists()


def test_an_existing_category_is_edited_and_a_criterion_removed(cast, programmes, login):
    category = programmes["draft"].categories.get()
    tax, credit = category.criteria.order_by("order")
    rows = [{"pk": str(tax.pk), "name": "纳税额", "weight": "70", "max_score": "100", "description": ""},
            {"pk": str(credit.pk), "name": "纳税信用", "weight": "30", "max_score": "100", "description": "",
             "DELETE": "on"}]
    response = login(cast.users.staff).post(reverse("honours:category_edit", args=[category.pk]),
                                            formset_data(rows, initial=2, name="依法纳税10强"))
    assert response.status_code == 302
    assert list(category.criteria.values_list("name", flat=True)) == ["纳税额"]


def test_categories_cannot_be_changed_once_scoring_started(cast, programmes, login):
    programme = programmes["open"]
    Programme.objects.filter(pk=programme.pk).update(status=P.SCORING)
    client = login(cast.users.staff)
    category = programme.categories.get()
    for url in (reverse("honours:category_create", args=[programme.pk]),
                reverse("honours:category_edit", args=[category.pk]),
                reverse("honours:category_delete", args=[category.pk])):
        response = client.get(url, follow=True)
        assert "评审开始后不能再修改类别和评分指标" in response.content.decode(), url
    assert client.post(reverse("honours:category_delete", args=[category.pk])).status_code == 302
    assert Category.objects.filter(pk=category.pk).exists()


def test_the_category_page_lists_its_nominations_in_the_users_scope(cast, programmes, login):
    category = programmes["open"].categories.get()
    testing.make_nomination(category, cast.ent1, chamber=cast.chamber1)
    testing.make_nomination(category, cast.ent2, chamber=cast.chamber2)
    page = login(cast.users.staff).get(category.get_absolute_url()).content.decode()
    assert "天津友谊科技有限公司" in page and "天津之江贸易有限公司" in page and "提名企业" in page
    page = login(cast.users.chamber1).get(category.get_absolute_url()).content.decode()
    assert "天津友谊科技有限公司" in page and "天津之江贸易有限公司" not in page and "提名企业" in page
    page = login(cast.users.leader).get(category.get_absolute_url()).content.decode()
    assert "提名企业</a>" not in page  # a leader reads


def test_the_panel_page_adds_and_removes_judges(cast, programmes, login):
    programme = programmes["open"]
    client = login(cast.users.staff)
    url = reverse("honours:judges", args=[programme.pk])
    page = client.get(url).content.decode()
    assert "添加评审委员" in page and f'value="{cast.users.leader.pk}"' in page
    assert f'value="{cast.users.chamber1.pk}"' not in page and f'value="{cast.users.admin.pk}"' not in page
    response = client.post(url, {"user": str(cast.users.leader.pk), "person": str(cast.person1.pk), "note": "专家"})
    assert response.status_code == 302
    judge = Judge.objects.get()
    assert judge.person == cast.person1
    response = client.post(url, {"user": str(cast.users.chamber1.pk)})
    assert response.status_code == 400 and "请选择本工商联的工作人员或领导账号" in response.content.decode()
    assert "确认删除" in client.get(reverse("honours:judge_delete", args=[judge.pk])).content.decode()
    assert client.post(reverse("honours:judge_delete", args=[judge.pk])).status_code == 302
    assert not Judge.objects.exists()


def test_a_judge_who_scored_is_not_offered_for_removal_and_not_removed(cast, programmes, login):
    programme = programmes["open"]
    Programme.objects.filter(pk=programme.pk).update(status=P.SCORING)
    judge = testing.make_judge(programme, cast.users.leader)
    testing.make_scores(testing.make_nomination(programme.categories.get(), cast.ent1), judge, [60, 70])
    client = login(cast.users.staff)
    assert reverse("honours:judge_delete", args=[judge.pk]) not in client.get(
        reverse("honours:judges", args=[programme.pk])).content.decode()
    client.post(reverse("honours:judge_delete", args=[judge.pk]))
    assert Judge.objects.filter(pk=judge.pk).exists()


def test_another_scopes_programme_is_404_and_audited(cast, programmes, login):
    response = login(cast.users.outsider_staff).get(programmes["open"].get_absolute_url())
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="honours.programme",
                                     object_id=str(programmes["open"].pk)).exists()


# --- every page of one programme × every role ----------------------------------------------------------------------
READ = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403, "ent1": 403,
        "auditor": 403, "outsider_staff": 404}
KEEP = {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403, "ent1": 403,
        "auditor": 403, "outsider_staff": 404}
PAGES = [("honours:programme", "programme", READ), ("honours:category", "category", READ),
         ("honours:programme_edit", "programme", KEEP), ("honours:programme_delete", "programme", KEEP),
         ("honours:category_create", "programme", KEEP), ("honours:category_edit", "category", KEEP),
         ("honours:category_delete", "category", KEEP), ("honours:judges", "programme", KEEP),
         ("honours:judge_delete", "judge", KEEP)]
CASES = [(page, target, role, expected[role]) for page, target, expected in PAGES for role in ROLES]


@pytest.mark.parametrize(("page", "target", "role", "expected"), CASES,
                         ids=[f"{p}-{r}-{e}" for p, _t, r, e in CASES])
def test_every_page_of_a_programme_answers_each_role(cast, login, page, target, role, expected):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    objects = {"programme": programme, "category": programme.categories.get(),
               "judge": testing.make_judge(programme, cast.users.leader)}
    response = login(getattr(cast.users, role)).get(reverse(page, args=[objects[target].pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_transition_answers_each_role(cast, login, role):
    programme = testing.make_programme(cast.district, status=P.DRAFT)
    response = login(getattr(cast.users, role)).post(
        reverse("honours:programme_transition", args=[programme.pk, "open"]))
    assert response.status_code == {**KEEP, "admin": 302, "staff": 302}[role]
    programme.refresh_from_db()
    assert programme.status == (P.NOMINATING if role in ("admin", "staff") else P.DRAFT)
