"""答卷 (services.responses): an enterprise's user saves a draft and resumes it, submits once; required questions
the skip logic shows, choices, scales and numbers within their bounds; every bad input a Chinese error naming the
question and nothing written; only a user of a recipient enterprise, only while the survey is 收集中 and not past
its 截止日期; one answer sheet per respondent even with two simultaneous submissions; 提醒未填 reaches the silent
once a day; an answer opens an appeal (channel 问卷调查) linked both ways."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, close_old_connections, connection
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Channel
from shanglian.appeals.tests.factories import category
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.communications.models import Answer, Response, ResponseAppeal
from shanglian.communications.services import responses as services
from shanglian.notifications.models import Notification


def open_survey(cast, *, respondent="enterprise", closes_on=None, recipients=("ent1",), by=None, chamber=None):
    """An open survey sent to `recipients`: 1 single 是否有融资需求 (是/否), 2 number 融资需求金额 (0–10000 万元) shown
    only when 1 is 是, 3 scale 营商环境满意度 1–5, 4 multiple 主要困难 (4 options, optional), 5 text 建议 (optional)."""
    survey = testing.make_survey(cast.district, by=by or cast.users.staff, status="open", respondent=respondent,
                                 closes_on=closes_on, chamber=chamber, questions=[
                                     {"kind": "single", "text": "是否有融资需求", "options": ["是", "否"]},
                                     {"kind": "number", "text": "融资需求金额", "minimum": Decimal("0"),
                                      "maximum": Decimal("10000"), "unit": "万元"},
                                     {"kind": "scale", "text": "营商环境满意度", "low": 1, "high": 5},
                                     {"kind": "multiple", "text": "主要困难", "required": False,
                                      "options": ["融资", "用工", "市场", "政策"]},
                                     {"kind": "text", "text": "建议", "required": False},
                                 ])
    q = list(survey.questions.order_by("order"))
    q[1].show_if, q[1].show_if_option = q[0], 0
    q[1].save()
    for name in recipients:
        testing.make_survey_recipient(survey, getattr(cast, name))
    return survey, q


def values(q, *answers):
    return {question.pk: value for question, value in zip(q, answers, strict=False)}


def test_a_draft_is_saved_without_its_required_answers_and_resumed(cast):
    survey, q = open_survey(cast)
    response = services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [0]))
    assert (response.status, response.respondent_key, response.enterprise) == ("draft", f"e{cast.ent1.pk}", cast.ent1)
    assert list(response.answers.values_list("question", "choices")) == [(q[0].pk, [0])]
    response = services.save_answers(actor=cast.users.ent1, survey=survey,
                                     values=values(q, [0], "120.5", 4), submit=True)
    assert response.status == "submitted" and response.submitted_at is not None
    saved = {a.question_id: a for a in response.answers.all()}
    assert saved[q[1].pk].number == Decimal("120.50") and saved[q[2].pk].number == 4
    assert Response.objects.count() == 1


def test_another_user_of_the_enterprise_continues_its_draft(cast):
    survey, q = open_survey(cast)
    colleague = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1]))
    response = services.save_answers(actor=colleague, survey=survey, values=values(q, [1], None, 3), submit=True)
    assert Response.objects.get() == response and response.respondent == colleague and response.status == "submitted"


def test_a_survey_answered_per_person_takes_one_sheet_from_each_user(cast):
    survey, q = open_survey(cast, respondent="person")
    colleague = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    first = services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 3), submit=True)
    second = services.save_answers(actor=colleague, survey=survey, values=values(q, [1], None, 5), submit=True)
    assert {first.respondent_key, second.respondent_key} == {f"u{cast.users.ent1.pk}", f"u{colleague.pk}"}
    with pytest.raises(Refused, match="已经提交"):
        services.save_answers(actor=colleague, survey=survey, values=values(q, [1], None, 4), submit=True)


def test_a_submitted_sheet_does_not_change(cast):
    survey, q = open_survey(cast)
    services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 3), submit=True)
    for submit in (False, True):
        with pytest.raises(Refused, match="已经提交"):
            services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 1), submit=submit)
    assert Answer.objects.get(question=q[2]).number == 3


# --- the checks --------------------------------------------------------------------------------------------------
def refused(cast, survey, vals, *, submit=True):
    with pytest.raises(ValidationError) as caught:
        services.save_answers(actor=cast.users.ent1, survey=survey, values=vals, submit=submit)
    assert not Response.objects.exists() and not Answer.objects.exists()
    return caught.value


def test_a_required_question_left_empty_is_refused_naming_it(cast):
    survey, q = open_survey(cast)
    error = refused(cast, survey, values(q, [1], None, None))
    assert error.message_dict == {f"q{q[2].pk}": ["第3题：此题为必答题，请作答。"]}


def test_a_required_question_hidden_by_the_skip_logic_is_not_asked_and_its_answer_is_dropped(cast):
    survey, q = open_survey(cast)
    response = services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], "500", 4),
                                     submit=True)  # 否: the amount is hidden
    assert not response.answers.filter(question=q[1]).exists()
    assert response.answers.count() == 2


def test_a_question_the_skip_logic_shows_must_be_answered(cast):
    survey, q = open_survey(cast)
    error = refused(cast, survey, values(q, [0], "", 4))  # 是: the amount is asked
    assert error.message_dict == {f"q{q[1].pk}": ["第2题：此题为必答题，请作答。"]}


@pytest.mark.parametrize(("position", "answer", "message"), [
    (0, [2], "第1题：所选选项不在本题的选项中。"),
    (0, [0, 1], "第1题：单选题只能选择一个选项。"),
    (0, ["x"], "第1题：选项无效。"),
    (0, [True], "第1题：选项无效。"),
    (2, 6, "第3题：请在 1 到 5 之间选择。"),
    (2, 0, "第3题：请在 1 到 5 之间选择。"),
    (2, "3.5", "第3题：请在 1 到 5 之间选择。"),
    (3, [1, 4], "第4题：所选选项不在本题的选项中。"),
    (4, "长" * 2001, "第5题：不能超过 2000 字（现为 2001 字）。"),
    (4, 12, "第5题：请填写文字。"),
])
def test_an_answer_out_of_range_is_refused_and_nothing_is_written(cast, position, answer, message):
    survey, q = open_survey(cast)
    vals = values(q, [1], "10", 3)  # the amount, hidden while 否, is dropped
    vals[q[position].pk] = answer
    for submit in (False, True):  # a draft checks its values too
        error = refused(cast, survey, vals, submit=submit)
        assert error.message_dict == {f"q{q[position].pk}": [message]}


@pytest.mark.parametrize(("amount", "message"), [
    ("-1", "第2题：不能小于 0万元。"), ("10000.01", "第2题：不能大于 10000万元。"), ("abc", "第2题：请填写数字。"),
    ("1.234", "第2题：最多保留两位小数。"), ("NaN", "第2题：请填写数字。"),
])
def test_a_number_outside_its_bounds_is_refused(cast, amount, message):
    survey, q = open_survey(cast)
    error = refused(cast, survey, values(q, [0], amount, 3))
    assert error.message_dict == {f"q{q[1].pk}": [message]}


def test_every_question_at_fault_is_named_at_once(cast):
    survey, q = open_survey(cast)
    error = refused(cast, survey, values(q, [], None, 9))
    assert set(error.message_dict) == {f"q{q[0].pk}", f"q{q[2].pk}"}


def test_a_question_of_another_survey_or_a_bad_key_is_refused(cast):
    survey, q = open_survey(cast)
    other, other_q = open_survey(cast)
    with pytest.raises(ValidationError, match="不属于本问卷"):
        services.save_answers(actor=cast.users.ent1, survey=survey, values={other_q[0].pk: [0]})
    with pytest.raises(ValidationError, match="题目编号无效"):
        services.save_answers(actor=cast.users.ent1, survey=survey, values={"第一题": [0]})
    with pytest.raises(ValidationError, match="答案格式有误"):
        services.save_answers(actor=cast.users.ent1, survey=survey, values=[[0]])
    assert not Response.objects.exists()


def test_question_ids_as_strings_work_like_the_api_sends_them(cast):
    survey, q = open_survey(cast)
    response = services.save_answers(actor=cast.users.ent1, survey=survey,
                                     values={str(q[0].pk): ["0"], str(q[1].pk): 80, str(q[2].pk): "5"}, submit=True)
    assert response.answers.get(question=q[0]).choices == [0] and response.answers.get(question=q[1]).number == 80


# --- who and when ------------------------------------------------------------------------------------------------
def test_only_a_user_of_a_recipient_enterprise_answers(cast):
    survey, q = open_survey(cast)  # sent to ent1 only
    ent2_user = testing.make_user(Role.ENTERPRISE, username="ent2u", enterprise=cast.ent2)
    for actor in (ent2_user, cast.users.staff, cast.users.chamber1, cast.users.leader):
        with pytest.raises(PermissionDenied):
            services.save_answers(actor=actor, survey=survey, values=values(q, [1], None, 3), submit=True)
    assert not Response.objects.exists()


@pytest.mark.parametrize(("status", "closes_on", "message"), [
    ("draft", None, "尚未发布"), ("closed", None, "已结束收集"),
    ("open", date.today() - timedelta(days=1), "截止"),
])
def test_a_survey_not_collecting_is_not_answered(cast, status, closes_on, message):
    survey, q = open_survey(cast, closes_on=closes_on)
    survey.status = status
    survey.save()
    with pytest.raises(Refused, match=message):
        services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 3), submit=True)
    assert not Response.objects.exists()


def test_a_survey_closing_today_is_still_answered(cast):
    survey, q = open_survey(cast, closes_on=date.today())
    assert services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 3),
                                 submit=True).status == "submitted"


def test_saving_and_submitting_are_audited(cast):
    survey, q = open_survey(cast)
    response = services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1]))
    services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 2), submit=True)
    rows = AuditEvent.objects.filter(object_type="communications.response", object_id=str(response.pk)).order_by("id")
    assert [(e.action, e.detail["action"]) for e in rows] == [("create", "draft"), ("update", "submit")]


# --- two submissions at once ------------------------------------------------------------------------------------
@pytest.fixture
def reference_data(transactional_db):
    testing.ensure_reference_data()


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ("won", call())
        except (Refused, PermissionDenied) as exc:
            outcomes[i] = ("refused", exc)
        except OperationalError as exc:  # SQLite's shared-cache test database: "database table is locked"
            outcomes[i] = ("locked", exc) if "locked" in str(exc) else ("error", exc)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_users_submitting_at_once_leave_one_answer_sheet(reference_data, cast):
    survey, q = open_survey(cast)
    colleague = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    outcomes = _race([
        lambda: services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 2),
                                      submit=True),
        lambda: services.save_answers(actor=colleague, survey=survey, values=values(q, [1], None, 5), submit=True),
    ])
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds in (["refused", "won"], ["locked", "won"]), outcomes
    assert Response.objects.filter(survey=survey).count() == 1
    response = Response.objects.get(survey=survey)
    assert response.status == "submitted" and response.answers.count() == 2
    winner = next(result for kind, result in outcomes if kind == "won")
    assert response.respondent == winner.respondent
    refusal = next(result for kind, result in outcomes if kind != "won")
    if isinstance(refusal, Refused):
        assert "提交" in refusal.message or "保存" in refusal.message


# --- 提醒未填 ----------------------------------------------------------------------------------------------------
def test_reminding_the_silent_tells_only_the_enterprises_without_a_submitted_answer_once_a_day(cast):
    survey, q = open_survey(cast, recipients=("ent1", "ent2"))
    ent2_user = testing.make_user(Role.ENTERPRISE, username="ent2u", enterprise=cast.ent2)
    services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 3), submit=True)
    assert services.remind_silent(actor=cast.users.staff, survey=survey) == 1
    told = Notification.objects.filter(kind="survey")
    assert [n.recipient for n in told] == [ent2_user]
    assert told.get().url == reverse("communications:h5_survey", args=[survey.pk])
    assert survey.recipients.get(enterprise=cast.ent2).reminders == 1
    assert services.remind_silent(actor=cast.users.staff, survey=survey) == 0  # today already
    assert told.count() == 1
    assert AuditEvent.objects.filter(object_type="communications.survey", detail__action="remind_silent").count() == 1


def test_a_draft_does_not_count_as_answered_for_the_reminder(cast):
    survey, q = open_survey(cast)
    services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1]))
    assert services.remind_silent(actor=cast.users.staff, survey=survey) == 1


def test_reminding_is_refused_when_everyone_answered_or_the_survey_is_closed(cast):
    survey, q = open_survey(cast)
    services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1], None, 3), submit=True)
    with pytest.raises(Refused, match="全部填写对象都已提交"):
        services.remind_silent(actor=cast.users.staff, survey=survey)
    survey.status = "closed"
    survey.save()
    with pytest.raises(Refused, match="已结束"):
        services.remind_silent(actor=cast.users.staff, survey=survey)


def test_only_the_survey_senders_in_scope_remind(cast):
    survey, _ = open_survey(cast)
    for actor in (cast.users.leader, cast.users.dept1, cast.users.ent1, cast.users.auditor):
        with pytest.raises(PermissionDenied):
            services.remind_silent(actor=actor, survey=survey)
    for actor in (cast.users.chamber1, cast.users.outsider_staff):  # not their survey
        with pytest.raises(PermissionDenied):
            services.remind_silent(actor=actor, survey=survey)
    chamber_survey, _ = open_survey(cast, by=cast.users.chamber1, chamber=cast.chamber1)
    assert services.remind_silent(actor=cast.users.chamber1, survey=chamber_survey) == 1
    assert not Notification.objects.filter(kind="survey").exclude(recipient=cast.users.ent1).exists()


# --- 转为诉求 ----------------------------------------------------------------------------------------------------
def answered(cast):
    survey, q = open_survey(cast)
    response = services.save_answers(actor=cast.users.ent1, survey=survey,
                                     values=values(q, [0], "300", 2, [0, 1], "贷款审批太慢"), submit=True)
    return survey, q, response


def test_an_answer_opens_an_appeal_linked_both_ways(cast):
    survey, q, response = answered(cast)
    appeal = services.raise_appeal_from_response(actor=cast.users.staff, response=response, question=q[3],
                                                 category=category("consult"), title="融资和用工困难",
                                                 content="问卷反映融资、用工困难。")
    assert appeal.channel == Channel.SURVEY and appeal.enterprise == cast.ent1 and appeal.status == "submitted"
    assert appeal.source_note == f"问卷《{survey.title}》（{survey.number}）第4题：主要困难"
    link = ResponseAppeal.objects.get()
    assert (link.response, link.question, link.appeal) == (response, q[3], appeal)
    assert appeal.raised_by_survey == link and list(response.raised_appeals.all()) == [link]
    assert AuditEvent.objects.filter(object_type="communications.response", object_id=str(response.pk),
                                     detail__appeal_raised=appeal.number).exists()


def test_an_appeal_from_the_whole_sheet_names_the_survey_and_keeps_the_extra_note(cast):
    survey, _, response = answered(cast)
    appeal = services.raise_appeal_from_response(actor=cast.users.staff, response=response,
                                                 category=category("consult"), title="意见建议",
                                                 content="贷款审批太慢", source_note="电话回访确认")
    assert appeal.source_note == f"问卷《{survey.title}》（{survey.number}）；电话回访确认"
    assert ResponseAppeal.objects.get().question is None


def test_only_the_editors_open_an_appeal_from_an_answer_they_may_read(cast):
    _, q, response = answered(cast)
    for actor in (cast.users.leader, cast.users.chamber1, cast.users.ent1, cast.users.dept1):
        with pytest.raises(PermissionDenied):
            services.raise_appeal_from_response(actor=actor, response=response, category=category("consult"),
                                                title="x", content="x")
    with pytest.raises(PermissionDenied):  # another federation's staff
        services.raise_appeal_from_response(actor=cast.users.outsider_staff, response=response,
                                            category=category("consult"), title="x", content="x")
    assert not ResponseAppeal.objects.exists()


def test_a_bad_appeal_or_a_foreign_question_writes_nothing(cast):
    _, q, response = answered(cast)
    other, other_q = open_survey(cast)
    with pytest.raises(ValidationError):
        services.raise_appeal_from_response(actor=cast.users.staff, response=response, category=category("consult"),
                                            title="", content="x")
    with pytest.raises(ValidationError, match="不属于这份问卷"):
        services.raise_appeal_from_response(actor=cast.users.staff, response=response, question=other_q[0],
                                            category=category("consult"), title="x", content="x")
    assert not ResponseAppeal.objects.exists()


def test_a_draft_is_not_turned_into_an_appeal(cast):
    survey, q = open_survey(cast)
    draft = services.save_answers(actor=cast.users.ent1, survey=survey, values=values(q, [1]))
    with pytest.raises(PermissionDenied):
        services.raise_appeal_from_response(actor=cast.users.staff, response=draft, category=category("consult"),
                                            title="x", content="x")
