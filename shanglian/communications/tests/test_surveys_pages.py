"""问卷调查 pages (staff): the list in each user's scope, the builder's forms (bad input answered 400 in Chinese, nothing
written), the states from the survey's page, the results with their charts and cross-tabulation, the raw answers'
export, the 待办 — and every page of one survey or question × every role of the cast (readers 200, a refused role
403, another scope 404)."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import Question, Survey
from shanglian.ui.todos import todos_for

LIST = reverse("communications:surveys")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
REFUSED = {"dept1": 403, "ent1": 403, "auditor": 403}


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def surveys(cast):
    federation = testing.make_survey(cast.district, by=cast.users.staff, title="区工商联营商环境问卷",
                                     questions=[{"kind": "single", "text": "融资是否困难", "options": ["是", "否"]},
                                                ("text", "意见建议")])
    chamber = testing.make_survey(cast.district, by=cast.users.chamber1, chamber=cast.chamber1, status="open",
                                  title="友谊路商会会员需求问卷", audience="chamber", chamber_audience=cast.chamber1,
                                  questions=[{"kind": "scale", "text": "满意度", "low": 1, "high": 5}])
    testing.make_survey_recipient(chamber, cast.ent1)
    testing.make_response(chamber, cast.ent1, by=cast.users.ent1, answers={chamber.questions.get(): 4})
    testing.make_survey(cast.other, by=cast.users.outsider_staff, title="南开区问卷")
    return {"federation": federation, "chamber": chamber}


# --- the list -----------------------------------------------------------------------------------------------
def test_each_reader_lists_the_surveys_of_its_scope_and_others_are_refused(cast, surveys, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert count(page) == 2 and "区工商联营商环境问卷" in page and "友谊路商会会员需求问卷" in page and "南开" not in page
    assert "新建问卷" in page
    page = login(cast.users.leader).get(LIST).content.decode()
    assert count(page) == 2 and "新建问卷" not in page
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(page) == 1 and "友谊路商会会员需求问卷" in page and "1/1" in page
    assert count(login(cast.users.chamber2).get(LIST).content.decode()) == 0
    page = login(cast.users.outsider_staff).get(LIST).content.decode()
    assert count(page) == 1 and "南开区问卷" in page
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403


def test_the_list_filters_by_status_and_an_invalid_filter_says_why(cast, surveys, login):
    client = login(cast.users.staff)
    page = client.get(f"{LIST}?status=open").content.decode()
    assert count(page) == 1 and "友谊路商会会员需求问卷" in page
    page = client.get(f"{LIST}?status=bogus").content.decode()
    assert count(page) == 0 and "请选择有效的状态" in page
    page = client.get(f"{LIST}?q=营商").content.decode()
    assert count(page) == 1


def test_the_list_export_is_the_listed_surveys_and_is_audited(cast, surveys, login):
    response = login(cast.users.chamber1).get(reverse("communications:surveys_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "标题", "发起方") and [r[1] for r in rows[1:]] == ["友谊路商会会员需求问卷"]
    assert AuditEvent.objects.filter(action="export", object_type="communications.survey", username="chamber1").exists()


def test_the_lists_queries_do_not_grow_with_the_surveys(cast, surveys, login):
    client = login(cast.users.staff)
    client.get(LIST)
    with CaptureQueriesContext(connection) as before:
        client.get(LIST)
    for n in range(5):
        survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", audience="event",
                                     event=testing.make_event(cast.district), questions=[("text", f"题{n}")])
        testing.make_survey_recipient(survey, cast.ent2)
    with CaptureQueriesContext(connection) as after:
        client.get(LIST)
    assert len(after) == len(before)


# --- the forms ----------------------------------------------------------------------------------------------
def test_staff_creates_a_survey_and_bad_input_is_refused_in_chinese(cast, login):
    client = login(cast.users.staff)
    url = reverse("communications:survey_create")
    response = client.post(url, {"title": "", "respondent": "enterprise", "audience": "chamber"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写问卷标题。" in page and "请选择商会" in page
    assert not Survey.objects.exists()
    response = client.post(url, {"title": "新问卷", "respondent": "person", "audience": "chamber",
                                 "chamber_audience": cast.chamber1.pk})
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("communications:survey", args=[survey.pk])
    assert survey.respondent == "person" and survey.chamber_audience == cast.chamber1


def test_a_chamber_secretary_is_offered_only_its_chambers_audiences(cast, login):
    client = login(cast.users.chamber1)
    page = client.get(reverse("communications:survey_create")).content.decode()
    assert "全体会员" not in page and "专门委员会委员" not in page and "河西区浙江商会" not in page
    response = client.post(reverse("communications:survey_create"), {
        "title": "越权", "respondent": "enterprise", "audience": "chamber", "chamber_audience": cast.chamber2.pk})
    assert response.status_code == 400 and not Survey.objects.exists()


def test_questions_are_built_on_the_survey_page_with_skip_logic(cast, surveys, login):
    client = login(cast.users.staff)
    survey = surveys["federation"]
    first = survey.questions.get(order=1)
    url = reverse("communications:question_create", args=[survey.pk])
    page = client.get(url).content.decode()
    assert f"{first.pk}:0" in page and "第1题“融资是否困难”选“是”" in page
    response = client.post(url, {"kind": "single", "text": "只有一个选项", "options": "甲", "required": "on"})
    assert response.status_code == 400 and "选择题至少需要两个选项" in response.content.decode()
    response = client.post(url, {"kind": "text", "text": "融资渠道", "condition": f"{first.pk}:0"})
    assert response.status_code == 302
    added = survey.questions.get(order=3)
    assert added.show_if == first and added.show_if_option == 0 and not added.required
    page = client.get(reverse("communications:survey", args=[survey.pk])).content.decode()
    assert "仅当第1题选“是”时显示" in page and "添加题目" in page
    response = client.post(reverse("communications:question_move", args=[added.pk, "up"]))
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.order == 2
    response = client.post(reverse("communications:question_delete", args=[first.pk]))
    assert response.status_code == 302 and survey.questions.filter(pk=first.pk).exists()  # refused: it is depended on
    response = client.post(reverse("communications:question_edit", args=[added.pk]),
                           {"kind": "text", "text": "融资渠道（可多填）", "condition": ""})
    added.refresh_from_db()
    assert response.status_code == 302 and added.text == "融资渠道（可多填）" and added.show_if is None


def test_an_open_surveys_questions_cannot_be_changed_from_the_pages(cast, surveys, login):
    client = login(cast.users.chamber1)
    survey = surveys["chamber"]
    question = survey.questions.get()
    response = client.get(reverse("communications:question_create", args=[survey.pk]))
    assert response.status_code == 302
    response = client.post(reverse("communications:question_edit", args=[question.pk]),
                           {"kind": "text", "text": "改"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "满意度"
    assert "添加题目" not in client.get(reverse("communications:survey", args=[survey.pk])).content.decode()


def test_opening_from_the_page_and_a_refusal_said_on_it(cast, surveys, login):
    client = login(cast.users.staff)
    empty = testing.make_survey(cast.district, by=cast.users.staff, title="空问卷")
    response = client.post(reverse("communications:survey_transition", args=[empty.pk, "open"]), follow=True)
    assert "问卷还没有题目，不能发布。" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == "draft"
    survey = surveys["federation"]
    client.post(reverse("communications:survey_transition", args=[survey.pk, "open"]))
    survey.refresh_from_db()
    assert survey.status == "open" and survey.recipients.count() == 2
    page = client.get(reverse("communications:survey", args=[survey.pk])).content.decode()
    assert 'data-transition="close_survey"' in page and "提醒未填" in page and 'data-recipients>2 家' in page
    leader = login(cast.users.leader)
    assert leader.post(reverse("communications:survey_transition", args=[survey.pk, "close"])).status_code == 403
    assert 'data-transition' not in leader.get(reverse("communications:survey", args=[survey.pk])).content.decode()


def test_a_copy_is_made_from_the_survey_page(cast, surveys, login):
    response = login(cast.users.chamber1).post(reverse("communications:survey_copy", args=[surveys["chamber"].pk]))
    copy = Survey.objects.get(title="友谊路商会会员需求问卷（副本）")
    assert response["Location"] == reverse("communications:survey", args=[copy.pk])
    assert copy.chamber == cast.chamber1 and copy.status == "draft" and copy.questions.count() == 1


# --- results and export -------------------------------------------------------------------------------------
def test_the_results_page_shows_charts_tables_and_a_cross_tabulation(cast, surveys, login):
    survey = surveys["chamber"]
    question = survey.questions.get()
    url = reverse("communications:survey_results", args=[survey.pk])
    client = login(cast.users.chamber1)
    page = client.get(url).content.decode()
    assert 'data-chart="ranking"' in page and 'id="survey-results-data"' in page
    assert "已提交答卷 1 份" in page and 'data-mean>平均分：4.00' in page
    page = client.get(f"{url}?question={question.pk}&by=size").content.decode()
    assert 'id="cross-table"' in page and "按企业规模" in page and "1（100.0%）" in page
    response = client.get(f"{url}?question={question.pk}&by=street")
    assert response.status_code == 400 and "分组只能是商会、行业门类或企业规模" in response.content.decode()
    assert login(cast.users.chamber2).get(url).status_code == 404


def test_the_raw_answers_export_has_one_row_per_sheet_and_is_audited(cast, surveys, login):
    survey = surveys["chamber"]
    response = login(cast.users.staff).get(reverse("communications:survey_answers_export", args=[survey.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][2:6] == ("填写企业", "填写人", "提交时间", "1. 满意度")
    assert len(rows) == 2 and rows[1][2] == "天津友谊科技有限公司" and rows[1][5] == 4
    assert AuditEvent.objects.filter(action="export", object_type="communications.survey",
                                     detail__survey=survey.number).exists()


# --- 待办 ----------------------------------------------------------------------------------------------------
def test_an_open_survey_past_its_date_is_a_todo_linking_to_exactly_it(cast, surveys, login):
    survey = surveys["chamber"]
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    todo = next(t for t in todos_for(cast.users.chamber1) if t.label == "已过截止日期仍在收集的问卷")
    assert todo.count == 1
    page = login(cast.users.chamber1).get(todo.url).content.decode()
    assert count(page) == 1 and "友谊路商会会员需求问卷" in page
    assert not any(t.label == "已过截止日期仍在收集的问卷" for t in todos_for(cast.users.chamber2))
    assert not any(t.label == "已过截止日期仍在收集的问卷" for t in todos_for(cast.users.leader))
    assert next(t for t in todos_for(cast.users.staff) if t.label == "已过截止日期仍在收集的问卷").count == 1


# --- every page of one survey × every role ------------------------------------------------------------------
def _pages(surveys):
    draft, opened = surveys["federation"], surveys["chamber"]
    question = draft.questions.get(order=1)
    return {
        "draft": (draft, [("communications:survey", [draft.pk]), ("communications:survey_edit", [draft.pk]),
                          ("communications:survey_delete", [draft.pk]),
                          ("communications:question_create", [draft.pk]),
                          ("communications:question_edit", [question.pk]),
                          ("communications:question_delete", [question.pk])]),
        "open": (opened, [("communications:survey", [opened.pk]), ("communications:survey_results", [opened.pk]),
                          ("communications:survey_answers_export", [opened.pk])]),
    }


KEEP_PAGES = {"communications:survey_edit", "communications:survey_delete", "communications:question_create",
              "communications:question_edit", "communications:question_delete"}
# the federation's draft: staff/admin keep it, the leader reads, no chamber sees it, the other federation 404
DRAFT_READ = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 404, "chamber2": 404, **REFUSED,
              "outsider_staff": 404}
DRAFT_KEEP = {**DRAFT_READ, "leader": 403}
# chamber1's open survey: its chamber and the federation read it, chamber1 and the editors keep it
OPEN_READ = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 404, **REFUSED,
             "outsider_staff": 404}
CASES = [(which, page, role) for which in ("draft", "open") for page in
         ({"draft": ["communications:survey", *sorted(KEEP_PAGES)],
           "open": ["communications:survey", "communications:survey_results",
                    "communications:survey_answers_export"]}[which]) for role in ROLES]


@pytest.mark.parametrize(("which", "page", "role"), CASES, ids=[f"{w}-{p}-{r}" for w, p, r in CASES])
def test_every_page_of_one_survey_answers_each_role(cast, surveys, login, which, page, role):
    survey, pages = _pages(surveys)[which]
    args = dict(pages)[page]
    expected = (DRAFT_KEEP if page in KEEP_PAGES else DRAFT_READ) if which == "draft" else OPEN_READ
    response = login(getattr(cast.users, role)).get(reverse(page, args=args))
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_post_only_pages_answer_each_role_and_change_nothing_when_refused(cast, surveys, login, role):
    survey = surveys["federation"]
    question = survey.questions.get(order=2)
    client = login(getattr(cast.users, role))
    expected = DRAFT_KEEP[role]
    before = Survey.objects.count()
    for url in (reverse("communications:survey_copy", args=[survey.pk]),
                reverse("communications:question_move", args=[question.pk, "up"]),
                reverse("communications:survey_transition", args=[survey.pk, "open"])):
        response = client.post(url)
        assert response.status_code == (302 if expected == 200 else expected), url
    question.refresh_from_db()
    survey.refresh_from_db()
    if expected == 200:
        assert Survey.objects.count() == before + 1 and question.order == 1 and survey.status == "open"
    else:
        assert Survey.objects.count() == before and question.order == 2 and survey.status == "draft"
    assert client.get(reverse("communications:question_move", args=[question.pk, "up"])).status_code in (403, 404,
                                                                                                       405)
    assert Question.objects.filter(survey=survey).count() == 2


def test_an_open_survey_is_edited_without_its_audience(cast, surveys, login):
    survey = surveys["chamber"]
    client = login(cast.users.chamber1)
    url = reverse("communications:survey_edit", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "发送对象和填写方式不能再修改" in page and 'name="audience"' not in page and 'name="respondent"' not in page
    later = timezone.localdate() + timedelta(days=10)
    response = client.post(url, {"title": "友谊路商会会员需求问卷（延期）", "intro": "", "closes_on": later.isoformat(),
                                 "audience": "all"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title.endswith("（延期）") and survey.closes_on == later
    assert survey.audience == "chamber" and survey.chamber_audience == cast.chamber1
