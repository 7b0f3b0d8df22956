"""答卷 (the sender's side of a survey): the answers received for one survey (searched, paged, 提醒未填 for the
recipients who have not submitted), one answer sheet read back, and 转为诉求 — an appeal of the answering
enterprise opened from the sheet or one of its questions (channel 问卷调查, linked both ways).

Who: the federation's roles read the submitted answers to their federations' surveys, a chamber secretary those of
its chamber's active members to its own chamber's surveys (`selectors.scopes.responses_visible_to`); the senders
(editors, chamber) remind; only the editors register an appeal. Department, enterprise and auditor 403; a survey
or a sheet out of scope 404. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, SENDER_ROLES, Role, require_role, role_of
from shanglian.appeals.services import RightsCase
from shanglian.common.errors import Refused
from shanglian.common.validators import is_id
from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.records import staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.answers import ResponseAppealForm, ResponseSearchForm
from .models import Response, Survey
from .selectors import responses as selectors
from .selectors.scopes import responses_visible_to, surveys_visible_to
from .services import responses as services

READER_ROLES = FEDERATION_ROLES | {Role.CHAMBER}
CRUMBS = [("通知调研与宣传", None), ("问卷调查", "communications:surveys")]


def _survey_crumbs(survey, *tail):
    """Breadcrumbs name URL names without arguments, so the survey and its answers are labels only."""
    return [*CRUMBS, (survey.title, None), *tail]


@never_cache
@login_required
def response_list(request, pk):
    """The submitted answers to one survey that the user may read."""
    user = request.user
    require_role(user, *READER_ROLES)
    survey = get_visible_or_404(surveys_visible_to(user), pk)
    form = ResponseSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs = Response.objects.none()
        empty = "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        qs = selectors.survey_responses(user, survey, filters=form.filters() if form.is_bound else {})
        empty = "没有找到符合条件的答卷" if request.GET.get("q") else "还没有收到答卷"

    def detail(r):
        return reverse("communications:response", args=[r.pk])

    toolbar = [Action("问卷结果", reverse("communications:survey_results", args=[survey.pk])),
               Action("导出答卷", reverse("communications:survey_answers_export", args=[survey.pk]))]
    if role_of(user) in SENDER_ROLES and survey.status == Survey.Status.OPEN:
        silent = selectors.silent_recipients(survey).count()
        if silent:
            toolbar.insert(0, Action(f"提醒未填（{silent}家）", reverse("communications:survey_remind", args=[survey.pk]),
                                     "primary", method="post"))
    page = ListPage(
        title=f"答卷：{survey.title}", breadcrumbs=_survey_crumbs(survey, ("答卷", None)), search_form=form,
        toolbar=toolbar,
        columns=[
            Column("企业", "enterprise.name", link=detail, wrap=True, sort="enterprise__name"),
            Column("填写人", lambda r: str(r.respondent) if r.respondent_id else "—"),
            Column("提交时间", lambda r: f"{r.submitted_at:%Y-%m-%d %H:%M}" if r.submitted_at else "—",
                   sort="submitted_at"),
        ],
        row_actions=lambda r: [Action("查看", detail(r))],
        empty_text=empty, default_sort="-submitted_at",
    )
    return render_list(request, page, qs)


@login_required
@require_POST
def survey_remind(request, pk):
    """提醒未填: the recipients without a submitted answer told again (once a day each)."""
    user = request.user
    require_role(user, *SENDER_ROLES)
    survey = get_visible_or_404(surveys_visible_to(user), pk)
    try:
        count = services.remind_silent(actor=user, survey=survey)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        if count:
            messages.success(request, f"已提醒 {count} 家未提交答卷的企业。")
        else:
            messages.info(request, "未提交的企业今天都已提醒过，明天可再次提醒。")
    return redirect("communications:survey_responses", pk=survey.pk)


def _visible_response(request, pk):
    require_role(request.user, *READER_ROLES)
    return get_visible_or_404(responses_visible_to(request.user).select_related(
        "survey", "survey__chamber", "enterprise", "respondent"), pk)


@never_cache
@login_required
def response_detail(request, pk):
    """One answer sheet read back, question by question, with the appeals opened from it."""
    response = _visible_response(request, pk)
    survey = response.survey
    raised, hidden = selectors.response_appeals(request.user, response)
    return render(request, "communications/responses/detail.html", {
        "response": response, "survey": survey,
        "rows": selectors.answer_rows(selectors.questions_of(survey), response),
        "raised_appeals": raised, "hidden_appeals": hidden,
        "can_raise": services.may_raise_appeals(request.user),
        "breadcrumbs": _survey_crumbs(survey, ("答卷", None),
                                      (response.enterprise.name, None)),
    })


@staff_page
def response_appeal(request, pk):
    """转为诉求: the desk registers an appeal of the answering enterprise; its source names the survey (and the
    question, `?question=<id>`)."""
    require_role(request.user, *EDITOR_ROLES)
    response = _visible_response(request, pk)
    questions = selectors.questions_of(response.survey)
    question, number, answer = None, None, ""
    asked = request.GET.get("question", "")
    if asked:
        numbers = selectors.numbered(questions)
        if not is_id(asked) or int(asked) not in numbers:
            raise Http404("该题目不属于这份问卷。")
        question = next(q for q in questions if q.pk == int(asked))
        number = numbers[question.pk]
        row = next((r for r in selectors.answer_rows(questions, response) if r["question"].pk == question.pk), None)
        answer = row["text"] if row else ""
    form = ResponseAppealForm(request.POST or None, request.FILES or None, user=request.user, question=question,
                              answer=answer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.raise_appeal_from_response(
                actor=request.user, response=response, question=question, category=data["category"],
                title=data["title"], content=data["content"], urgency=data["urgency"],
                contact_name=data["contact_name"], contact_mobile=data["contact_mobile"],
                source_note=data["source_note"], files=data["files"],
                rights=RightsCase(counterpart=data["counterpart"], amount_involved=data["amount_involved"]))
        except Refused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已转为诉求，诉求编号 {appeal.number}，来源：{services.source_note(response, question, number)}。")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "communications/responses/raise_appeal.html", {
        "response": response, "survey": response.survey, "question": question, "number": number, "answer": answer,
        "form": form,
        "breadcrumbs": _survey_crumbs(response.survey, (response.enterprise.name, None),
                                      ("转为诉求", None)),
    }, status=400 if form.is_bound and form.errors else 200)
