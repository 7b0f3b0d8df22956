"""Pages of 问卷调查 for the back office: the list (search, 导出), 新建/编辑/删除/复制, one survey's page (its reach,
its questions with their skip logic, the steps of `workflow.SURVEY_FLOW`: 发布问卷/结束收集/重新开放), the builder's
question pages (添加/编辑/删除/上移/下移, only while 设计中), the results (charts per question, cross-tabulation by
商会/行业门类/企业规模) and the xlsx export of the raw answers. Thin: parse, call a selector or a service, render.

Readers: the federation's roles and a chamber secretary (its own chamber's surveys, and of their answers only its
active members'); the sender roles (`SENDER_ROLES`) write, a leader reads; the others 403; another scope's survey
404. The enterprise answers on the phone (`h5_views`); the answer sheets and 提醒未填 are `response_views`'.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import role_of
from shanglian.common.errors import Refused
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.imports.exports import audited_export
from shanglian.ui.figures import Chart
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.surveys import CrossTabForm, QuestionForm, SurveyForm, SurveySearchForm
from .models import Question, Survey
from .selectors import results as result_selectors
from .selectors import surveys as selectors
from .selectors.responses import questions_of
from .selectors.scopes import surveys_visible_to
from .services import surveys as services
from .workflow import SURVEY_FLOW

S = Survey.Status
K = Question.Kind
GROUP = ("通知调研与宣传", None)
CRUMBS = [GROUP, ("问卷调查", "communications:surveys")]
HISTORY_ROWS = 50
STATUS_TAGS = {S.DRAFT: "tag-muted", S.OPEN: "tag-info", S.CLOSED: "tag-success"}
CHART_SOURCE = "survey-results-data"


def _today():
    return timezone.localdate()


def _sender(survey):
    return survey.chamber.name if survey.chamber_id else "工商联"


def _percent(share):
    return "—" if share is None else f"{share * 100:.1f}%"


def _detail(survey):
    return reverse("communications:survey", args=[survey.pk])


EXPORT_FIELDS = [
    ("编号", lambda s: s.number),
    ("标题", lambda s: s.title),
    ("发起方", _sender),
    ("发送对象", lambda s: s.audience_label),
    ("填写方式", lambda s: s.get_respondent_display()),
    ("状态", lambda s: s.get_status_display()),
    ("截止日期", lambda s: day_text(s.closes_on)),
    ("题目数", lambda s: s.question_count),
    ("发送企业数", lambda s: s.recipient_count),
    ("答卷数", lambda s: s.response_count),
    ("发布时间", lambda s: timezone.localtime(s.opened_at).strftime("%Y-%m-%d %H:%M") if s.opened_at else ""),
]


# --- the list ------------------------------------------------------------------------------------------------
def _surveys(request):
    user = request.user
    surveys_visible_to(user)  # 403 before anything else for a role without surveys
    form = SurveySearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, Survey.objects.none()
    return form, selectors.survey_list(user, filters=form.cleaned_data if form.is_bound else {}, today=_today())


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的问卷" if request.GET else "暂无问卷"


def _status_tag(survey):
    if survey.status == S.OPEN and survey.closes_on and survey.closes_on < _today():
        return "tag-warning"
    return STATUS_TAGS.get(survey.status, "")


@never_cache
@login_required
def survey_list(request):
    form, qs = _surveys(request)
    keeper = selectors.can_keep(request.user)
    toolbar = [Action("新建问卷", reverse("communications:survey_create"), "primary")] if keeper else []
    toolbar.append(export_action(request, "communications:surveys_export"))

    def actions(s):
        shown = [Action("查看", _detail(s))]
        if s.status != S.DRAFT:
            shown.append(Action("结果", reverse("communications:survey_results", args=[s.pk])))
        elif keeper:
            shown.append(Action("编辑", reverse("communications:survey_edit", args=[s.pk])))
        return shown

    page = ListPage(
        title="问卷调查",
        breadcrumbs=[GROUP, ("问卷调查", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("编号", "number", sort="number"),
            Column("标题", "title", link=_detail, sort="title", wrap=True),
            Column("发起方", _sender),
            Column("发送对象", "audience_label", wrap=True),
            Column("状态", "get_status_display", tag=_status_tag, sort="status"),
            Column("截止日期", lambda s: day_text(s.closes_on), sort="closes_on"),
            Column("题目数", "question_count"),
            Column("答卷/发送", lambda s: f"{s.response_count}/{s.recipient_count}" if s.status != S.DRAFT else "—"),
        ],
        row_actions=actions,
        empty_text=_empty_text(request, form),
        default_sort="-id",
    )
    return render_list(request, page, qs)


@login_required
def survey_export(request):
    form, qs = _surveys(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('communications:surveys')}?{request.GET.urlencode()}")
    rows = [[get(s) for _, get in EXPORT_FIELDS] for s in qs.order_by("-id")]
    return audited_export(actor=request.user, title="问卷调查", object_type="communications.survey",
                          sheets=[("问卷调查", [header for header, _ in EXPORT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one survey ----------------------------------------------------------------------------------------------
def _buttons(request, survey):
    role = role_of(request.user)
    if not selectors.can_keep(request.user):
        return []
    return [{"name": t.name, "label": t.label, "style": t.meta.get("style", "default"),
             "confirm": t.meta.get("confirm", ""),
             "url": reverse("communications:survey_transition", args=[survey.pk, t.url_part])}
            for t in SURVEY_FLOW.available(request.user, survey, role=role)]


def condition_text(question):
    """跳题逻辑 as a sentence: 仅当第2题选“是”时显示."""
    condition = question.show_if
    if condition is None or question.show_if_option is None:
        return ""
    options = condition.options or []
    option = options[question.show_if_option] if question.show_if_option < len(options) else "（选项已删除）"
    return f"仅当第{condition.order}题选“{option}”时显示"


def describe(question):
    """What a question's kind asks for: its options, its scale, its bounds."""
    if question.kind in Question.CHOICE_KINDS:
        return "；".join(f"{chr(65 + i) if i < 26 else i + 1}. {o}" for i, o in enumerate(question.options or []))
    if question.kind == K.SCALE:
        ends = [f"{question.low}{'（' + question.low_label + '）' if question.low_label else ''}",
                f"{question.high}{'（' + question.high_label + '）' if question.high_label else ''}"]
        return f"{ends[0]} — {ends[1]}"
    if question.kind == K.NUMBER:
        bounds = []
        if question.minimum is not None:
            bounds.append(f"不小于 {question.minimum.normalize():f}")
        if question.maximum is not None:
            bounds.append(f"不大于 {question.maximum.normalize():f}")
        unit = f"单位：{question.unit}" if question.unit else ""
        return "，".join([*bounds, unit] if unit else bounds) or "任意数值"
    return "文字回答"


@never_cache
@login_required
def survey_detail(request, pk):
    user = request.user
    survey = get_visible_or_404(surveys_visible_to(user).select_related(*selectors.AUDIENCE_RELATED), pk)
    keeper = selectors.can_keep(user)
    designing = survey.status == S.DRAFT
    questions = questions_of(survey)
    return render(request, "communications/surveys/detail.html", {
        "survey": survey, "status_tag": _status_tag(survey), "sender": _sender(survey),
        "overdue": survey.status == S.OPEN and survey.closes_on is not None and survey.closes_on < _today(),
        "buttons": _buttons(request, survey),
        "keeper": keeper, "designing": designing, "can_build": keeper and designing,
        "questions": [{"q": q, "condition": condition_text(q), "describe": describe(q), "first": i == 0,
                       "last": i == len(questions) - 1} for i, q in enumerate(questions)],
        "reach": None if designing else selectors.survey_reach(user, survey),
        "history": list(history(survey)[:HISTORY_ROWS]) if keeper else None,
        "breadcrumbs": [*CRUMBS, (survey.title, None)],
    })


@never_cache
@login_required
@require_POST
def survey_transition(request, pk, action):
    """One row of SURVEY_FLOW (发布问卷, 结束收集, 重新开放) from the survey's page; the service checks the role (403),
    the scope and the state under the row lock (a refusal is said on the page)."""
    survey = get_visible_or_404(selectors.surveys_editable_by(request.user), pk)
    transition = next((t for t in SURVEY_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    SURVEY_FLOW.require_role(transition.name, role_of(request.user))
    try:
        SURVEY_FLOW.run(transition.name, actor=request.user, obj=survey, data={})
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{transition.label}成功。")
    return redirect(_detail(survey))


# --- create / edit / delete / copy ---------------------------------------------------------------------------
@staff_page
def survey_create(request):
    selectors.surveys_editable_by(request.user)  # 403 for a reader
    form = SurveyForm(request.POST or None, user=request.user)
    return edit_page(request, form=form,
                     save=lambda f: services.save_survey(actor=request.user, **f.service_kwargs()),
                     title="新建问卷", intro="保存后在问卷页面添加题目，题目齐全后发布。",
                     breadcrumbs=[*CRUMBS, ("新建", None)], sections=form.sections,
                     cancel_url=reverse("communications:surveys"))


@staff_page
def survey_edit(request, pk):
    survey = get_visible_or_404(selectors.surveys_editable_by(request.user), pk)
    form = SurveyForm(request.POST or None, user=request.user, instance=survey)
    intro = "" if form.designing else "问卷已发布，发送对象和填写方式不能再修改；可修改标题、说明和截止日期。"
    return edit_page(request, form=form,
                     save=lambda f: services.save_survey(actor=request.user, survey=survey, **f.service_kwargs()),
                     title="编辑问卷", subject=survey.title, intro=intro, sections=form.sections,
                     breadcrumbs=[*CRUMBS, (survey.title, None), ("编辑", None)],
                     cancel_url=_detail(survey))


@staff_page
def survey_delete(request, pk):
    survey = get_visible_or_404(selectors.surveys_editable_by(request.user), pk)
    return delete_page(request, obj=survey,
                       delete=lambda: services.delete_survey(actor=request.user, survey=survey),
                       along=("questions",), cancel_url=_detail(survey),
                       done_url=reverse("communications:surveys"),
                       breadcrumbs=[*CRUMBS, (survey.title, None), ("删除", None)])


@never_cache
@login_required
@require_POST
def survey_copy(request, pk):
    survey = get_visible_or_404(selectors.surveys_editable_by(request.user), pk)
    copy = services.copy_survey(actor=request.user, survey=survey)
    messages.success(request, f"已复制为新问卷“{copy.title}”（设计中），可修改后发布。")
    return redirect(_detail(copy))


# --- the builder: questions ----------------------------------------------------------------------------------
def _refused_on_form(call):
    """A service call whose `Refused` (the survey no longer 设计中) belongs on the form."""
    def run(form):
        try:
            return call(form)
        except Refused as exc:
            raise ValidationError(exc.message) from None

    return run


def _to_survey(question):
    return f"{_detail(question.survey)}#question-{question.pk}"


@staff_page
def question_create(request, pk):
    survey = get_visible_or_404(selectors.surveys_editable_by(request.user), pk)
    if survey.status != S.DRAFT:
        messages.error(request, services.NOT_DESIGNING.format(state=survey.get_status_display()))
        return redirect(_detail(survey))
    form = QuestionForm(request.POST or None, survey=survey)
    save = _refused_on_form(lambda f: services.save_question(actor=request.user, survey=survey,
                                                             **f.service_kwargs()))
    return edit_page(request, form=form, save=save, then=_to_survey, title="添加题目", subject=survey.title,
                     intro="按题型填写对应的部分，其余部分留空即可。", sections=QuestionForm.SECTIONS,
                     breadcrumbs=[*CRUMBS, (survey.title, None), ("添加题目", None)],
                     cancel_url=_detail(survey))


def _question(request, pk):
    return get_visible_or_404(selectors.questions_editable_by(request.user), pk)


@staff_page
def question_edit(request, pk):
    question = _question(request, pk)
    survey = question.survey
    if survey.status != S.DRAFT:
        messages.error(request, services.NOT_DESIGNING.format(state=survey.get_status_display()))
        return redirect(_detail(survey))
    form = QuestionForm(request.POST or None, survey=survey, instance=question)
    save = _refused_on_form(lambda f: services.save_question(actor=request.user, survey=survey, question=question,
                                                             **f.service_kwargs()))
    return edit_page(request, form=form, save=save, then=_to_survey, title=f"编辑第{question.order}题",
                     subject=survey.title, sections=QuestionForm.SECTIONS,
                     breadcrumbs=[*CRUMBS, (survey.title, None), ("编辑题目", None)],
                     cancel_url=_detail(survey))


@staff_page
def question_delete(request, pk):
    question = _question(request, pk)
    survey = question.survey
    return delete_page(request, obj=question,
                       delete=lambda: services.delete_question(actor=request.user, question=question),
                       title=f"删除第{question.order}题", cancel_url=_detail(survey), done_url=_detail(survey),
                       breadcrumbs=[*CRUMBS, (survey.title, None), ("删除题目", None)])


@never_cache
@login_required
@require_POST
def question_move(request, pk, direction):
    question = _question(request, pk)
    if direction not in ("up", "down"):
        raise Http404("没有这个操作。")
    try:
        services.move_question(actor=request.user, question=question, direction=direction)
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect(_to_survey(question))


# --- results -------------------------------------------------------------------------------------------------
def _chart(result):
    key = f"q{result.question.pk}"
    data = [{"name": o.label, "value": o.count} for o in result.options]
    kind = "pie" if result.question.kind == K.SINGLE else "ranking"
    return key, data, Chart(kind, CHART_SOURCE, f"chart-{key}", f"第{result.question.order}题统计图", key=key)


def _cross_row(row):
    return {"label": row.label, "answered": row.answered,
            "cells": [f"{cell.count}（{_percent(cell.share)}）" for cell in row.cells]}


@never_cache
@login_required
def survey_results(request, pk):
    user = request.user
    survey = get_visible_or_404(surveys_visible_to(user).select_related(*selectors.AUDIENCE_RELATED), pk)
    results = result_selectors.survey_results(user, survey)
    chart_data, cards = {}, []
    for result in results["questions"]:
        chart = None
        if result.chartable:
            key, data, chart = _chart(result)
            chart_data[key] = data
        cards.append({"r": result, "chart": chart, "condition": condition_text(result.question),
                      "options": [{"label": o.label, "count": o.count, "share": _percent(o.share)}
                                  for o in result.options]})
    cross_form = CrossTabForm(request.GET or None, questions=[r.question for r in results["questions"]])
    chosen = cross_form.chosen()
    cross = None
    if chosen is not None:
        question, dimension = chosen
        table = result_selectors.cross_tab(user, survey, question, dimension)
        cross = {"question": question, "columns": table.columns, "note": table.note,
                 "rows": [_cross_row(row) for row in table.rows], "total": _cross_row(table.total)}
    return render(request, "communications/surveys/results.html", {
        "survey": survey, "responses": results["responses"], "cards": cards, "chart_source": CHART_SOURCE,
        "chart_data": chart_data, "cross_form": cross_form, "cross": cross,
        "cross_dimension": result_selectors.DIMENSIONS.get(chosen[1]) if chosen else "",
        "reach": selectors.survey_reach(user, survey) if survey.status != S.DRAFT else None,
        "breadcrumbs": [*CRUMBS, (survey.title, None), ("统计结果", None)],
    }, status=400 if cross_form.is_bound and cross_form.errors else 200)


@login_required
def answers_export(request, pk):
    """The raw answers: one row per answer sheet the user may see, one column per question (xlsx, audited)."""
    user = request.user
    survey = get_visible_or_404(surveys_visible_to(user), pk)
    headers, rows = result_selectors.answer_table(user, survey)
    return audited_export(actor=user, title=f"问卷答卷-{survey.number}", object_type="communications.survey",
                          sheets=[("答卷", headers, rows)],
                          detail={"rows": len(rows), "survey": survey.number, "object_id": str(survey.pk)})
