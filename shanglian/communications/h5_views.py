"""Notices and surveys on the enterprise's phone (H5): 通知公告 (the notices sent to its enterprise, unread ones
marked; opening one is the enterprise's read receipt; its attachments) and 问卷调查 (the surveys sent to it with
the user's status; one survey answered with 保存草稿 / 提交, or read back once submitted or closed). Enterprise
users only (403 otherwise); a notice or survey not sent to the enterprise, or a withdrawn notice, is 404.
Everything starts from `selectors.scopes.notices_received_by` and `surveys_sent_to`. Reached from 我的 and the
消息 tab (every notice and survey arrives there through `notifications.notify`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from shanglian.accounts.roles import enterprise_only
from shanglian.common.errors import Refused
from shanglian.common.uploads import download_response
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.answers import AnswerForm
from .models import Response, Survey
from .selectors import responses as selectors
from .selectors.scopes import notices_received_by, surveys_sent_to
from .services.receipts import mark_notice_read
from .services.responses import answer_refusal, save_answers

PER_PAGE = 20
ATTACHMENT_FOLDER = "communications"
MY_STATUS = {None: ("未填写", "warning"), Response.Status.DRAFT: ("草稿", "info"),
             Response.Status.SUBMITTED: ("已提交", "success")}


def _render(request, template, context, status=200):
    """Every page here belongs to 我的 (the 消息 tab brings the user to one notice or survey)."""
    return render(request, template, {**context, "tab": "me"}, status=status)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


# --- 通知公告 ------------------------------------------------------------------------------------------------------
@enterprise_only
def inbox(request):
    page = _page(request, selectors.inbox(request.user))
    return _render(request, "communications/h5/inbox.html", {
        "page_obj": page, "notices": list(page.object_list), "unread": selectors.unread_count(request.user)})


@enterprise_only
def notice(request, pk):
    """One notice: opening it is the enterprise's read receipt (the first reader kept)."""
    user = request.user
    notice = get_visible_or_404(notices_received_by(user).select_related("federation", "chamber"), pk)
    receipt = mark_notice_read(user=user, notice=notice)
    return _render(request, "communications/h5/notice.html", {
        "notice": notice, "receipt": receipt, "attachments": list(notice.attachments.all()),
        "sender": notice.chamber.name if notice.chamber_id else notice.federation.name})


@enterprise_only
def attachment(request, pk):
    stored = get_visible_or_404(selectors.received_attachments(request.user), pk)
    return download_response(ATTACHMENT_FOLDER, stored)


# --- 问卷调查 ------------------------------------------------------------------------------------------------------
@enterprise_only
def surveys(request):
    page = _page(request, selectors.my_surveys(request.user))
    cards = []
    for survey in page.object_list:
        label, tag = MY_STATUS.get(survey.my_status, MY_STATUS[None])
        refusal = answer_refusal(survey)
        if refusal and survey.my_status != Response.Status.SUBMITTED:
            label, tag = "已截止", "muted"
        cards.append({"survey": survey, "label": label, "tag": tag, "open": not refusal})
    return _render(request, "communications/h5/surveys.html", {"page_obj": page, "cards": cards})


@enterprise_only
def survey(request, pk):
    """One survey: the answer form (保存草稿 / 提交) while it may be answered and the user's sheet is not submitted;
    else the answers given, read only, and why it cannot be answered."""
    user = request.user
    survey = get_visible_or_404(surveys_sent_to(user).select_related("federation", "chamber"), pk)
    questions = selectors.questions_of(survey)
    response = selectors.my_response(user, survey)
    refusal = answer_refusal(survey)
    submitted = response is not None and response.status == Response.Status.SUBMITTED
    context = {"survey": survey, "response": response, "refusal": refusal,
               "sender": survey.chamber.name if survey.chamber_id else survey.federation.name,
               "per_person": survey.respondent == Survey.Respondent.PERSON}
    if submitted or refusal:
        if request.method == "POST":
            messages.error(request, "这份问卷已经提交，不能再修改。" if submitted else refusal)
            return redirect("communications:h5_survey", pk=survey.pk)
        return _render(request, "communications/h5/survey.html", {
            **context, "rows": selectors.answer_rows(questions, response) if response else []})
    saved = selectors.answer_values(response)
    errors, status = [], 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        form = AnswerForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                response = save_answers(actor=user, survey=survey, values=form.values(), submit=submit)
            except Refused as exc:
                errors, status = [exc.message], 409
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            else:
                if submit:
                    messages.success(request, "问卷已提交，感谢您的参与！")
                else:
                    messages.success(request, "草稿已保存，可以稍后继续填写。")
                return redirect("communications:h5_survey", pk=survey.pk)
        else:
            status = 400
    else:
        form = AnswerForm(questions=questions, saved=saved)
    return _render(request, "communications/h5/survey.html", {
        **context, "form": form, "rows": form.rows(), "errors": errors}, status=status)
