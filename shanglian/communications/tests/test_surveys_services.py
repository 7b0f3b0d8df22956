"""The writes of 问卷调查 (staff): a survey's own fields and audience, the builder's questions and their rules (skip
logic only on an earlier choice question, and kept consistent when questions change, move or go), and the states —
发布 (no questions, no one to send to, a bad audience: refused in Chinese, nothing written), 结束收集, 重新开放 — each
for an allowed and a refused user."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.communications.models import Question, Survey, SurveyRecipient
from shanglian.communications.services import surveys as services
from shanglian.notifications.models import Notification

S = Survey.Status
ALL = {"audience": "all"}


def _survey(user, **data):
    return services.save_survey(actor=user, **{"title": "民营企业发展环境问卷", "intro": "", "respondent": "enterprise",
                                              "closes_on": None, **ALL, **data})


def _question(user, survey, kind="single", text="是否遇到融资难题？", **data):
    values = {"kind": kind, "text": text, "required": True, "options": "是\n否" if kind in ("single", "multiple")
              else "", **data}
    return services.save_question(actor=user, survey=survey, **values)


# --- the survey ---------------------------------------------------------------------------------------------
def test_staff_creates_a_numbered_draft_survey_of_its_federation_and_it_is_audited(cast):
    survey = _survey(cast.users.staff)
    assert survey.status == S.DRAFT and survey.federation == cast.district and survey.chamber is None
    assert survey.number.startswith("WJ") and survey.created_by == cast.users.staff
    assert AuditEvent.objects.filter(action="create", object_type="communications.survey",
                                     object_id=str(survey.pk)).exists()


def test_a_chamber_secretarys_survey_is_its_chambers_and_may_only_go_to_its_chamber(cast):
    with pytest.raises(ValidationError) as caught:
        _survey(cast.users.chamber1)
    assert "商会秘书处只能发给本商会会员" in str(caught.value)
    assert not Survey.objects.exists()
    with pytest.raises(ValidationError) as caught:
        _survey(cast.users.chamber1, audience="chamber", chamber_audience=cast.chamber2)
    assert "商会秘书处只能发给本商会会员" in str(caught.value)
    survey = _survey(cast.users.chamber1, audience="chamber", chamber_audience=cast.chamber1)
    assert survey.chamber == cast.chamber1 and survey.federation == cast.district


def test_a_leader_and_other_roles_cannot_write_surveys(cast):
    for role in ("leader", "dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            _survey(getattr(cast.users, role))
    assert not Survey.objects.exists()


def test_a_survey_without_a_title_or_with_a_past_closing_date_is_refused_in_chinese(cast):
    with pytest.raises(ValidationError) as caught:
        _survey(cast.users.staff, title="  ", closes_on=date.today() - timedelta(days=1))
    assert caught.value.message_dict["title"] == ["请填写问卷标题。"]
    assert caught.value.message_dict["closes_on"] == ["截止日期不能早于今天。"]
    assert not Survey.objects.exists()


def test_an_audience_naming_nothing_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        _survey(cast.users.staff, audience="committee", committee=None)
    assert "请选择具体的专门委员会" in str(caught.value)


def test_an_open_survey_keeps_its_audience_but_its_title_and_date_may_change(cast):
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", questions=[("text", "建议")])
    with pytest.raises(ValidationError) as caught:
        services.save_survey(actor=cast.users.staff, survey=survey, audience="chamber", chamber_audience=cast.chamber1)
    assert services.AUDIENCE_LOCKED in str(caught.value)
    later = date.today() + timedelta(days=30)
    services.save_survey(actor=cast.users.staff, survey=survey, title="新标题", closes_on=later)
    survey.refresh_from_db()
    assert survey.title == "新标题" and survey.closes_on == later and survey.audience == "all"


def test_only_a_survey_in_design_is_deleted_with_its_questions(cast):
    survey = testing.make_survey(cast.district, by=cast.users.staff, questions=[("single", "甲"), ("text", "乙")])
    opened = testing.make_survey(cast.district, by=cast.users.staff, status="open", questions=[("text", "丙")])
    with pytest.raises(Refused) as caught:
        services.delete_survey(actor=cast.users.staff, survey=opened)
    assert "仅设计中的问卷可以删除" in caught.value.message
    with pytest.raises(PermissionDenied):
        services.delete_survey(actor=cast.users.leader, survey=survey)
    services.delete_survey(actor=cast.users.staff, survey=survey)
    assert not Survey.objects.filter(pk=survey.pk).exists()
    assert not Question.objects.filter(survey_id=survey.pk).exists()


def test_a_copy_is_a_new_survey_in_design_with_the_questions_and_their_skip_logic(cast):
    original = testing.make_survey(cast.district, by=cast.users.staff, status="closed",
                                   closes_on=date.today(), questions=[("single", "是否融资？")])
    first = original.questions.get()
    Question.objects.create(survey=original, order=2, kind="text", text="融资渠道", show_if=first, show_if_option=0)
    copy = services.copy_survey(actor=cast.users.staff, survey=original)
    assert copy.pk != original.pk and copy.status == S.DRAFT and copy.title.endswith("（副本）")
    assert copy.closes_on is None and copy.number != original.number
    copied = list(copy.questions.order_by("order"))
    assert [q.text for q in copied] == ["是否融资？", "融资渠道"]
    assert copied[1].show_if == copied[0] and copied[1].show_if_option == 0


def test_another_scope_cannot_change_a_chamber_survey(cast):
    survey = testing.make_survey(cast.district, by=cast.users.chamber1, chamber=cast.chamber1,
                                 audience="chamber", chamber_audience=cast.chamber1)
    with pytest.raises(PermissionDenied):
        services.save_survey(actor=cast.users.chamber2, survey=survey, title="改")
    with pytest.raises(PermissionDenied):
        services.save_survey(actor=cast.users.outsider_staff, survey=survey, title="改")
    services.save_survey(actor=cast.users.chamber1, survey=survey, title="改")


# --- the questions ------------------------------------------------------------------------------------------
def test_questions_are_added_in_order_and_audited(cast):
    survey = _survey(cast.users.staff)
    first = _question(cast.users.staff, survey)
    second = _question(cast.users.staff, survey, kind="scale", text="满意度", low=1, high=5, low_label="很不满意",
                       high_label="非常满意", options="忽略")
    assert (first.order, second.order) == (1, 2)
    assert first.options == ["是", "否"] and second.options == []
    assert AuditEvent.objects.filter(object_type="communications.question", object_id=str(second.pk)).exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "single", "options": "只有一个"}, "options", "选择题至少需要两个选项"),
    ({"kind": "multiple", "options": "甲\n甲\n乙"}, "options", "选项不能重复"),
    ({"kind": "scale", "low": 5, "high": 5}, "high", "最大值必须大于最小值"),
    ({"kind": "scale", "low": 0, "high": 11}, "high", "0–10"),
    ({"kind": "number", "minimum": "10", "maximum": "1"}, "maximum", "数值上限不能小于下限"),
    ({"kind": "text", "text": ""}, "text", "请填写题目"),
    ({"kind": "bogus"}, "kind", "请选择题型"),
], ids=["one-option", "duplicate-options", "flat-scale", "wide-scale", "inverted-bounds", "no-text", "bad-kind"])
def test_a_bad_question_is_refused_in_chinese_and_nothing_is_written(cast, data, field, message):
    survey = _survey(cast.users.staff)
    values = {"text": "题目", "required": True, **data}
    with pytest.raises(ValidationError) as caught:
        services.save_question(actor=cast.users.staff, survey=survey, **values)
    assert message in "".join(caught.value.message_dict[field])
    assert not survey.questions.exists()


def test_skip_logic_names_an_earlier_choice_question_and_one_of_its_options(cast):
    staff = cast.users.staff
    survey = _survey(staff)
    choice = _question(staff, survey, options="是\n否\n不确定")
    text = _question(staff, survey, kind="text", text="原因")
    shown = _question(staff, survey, kind="text", text="融资渠道", show_if=choice, show_if_option=2)
    assert shown.show_if == choice and shown.show_if_option == 2
    for show_if, option, message in ((text, 0, "只能选择单选题或多选题"), (choice, 3, "不在该题的选项中"),
                                     (choice, None, "同时选择题目和选项")):
        with pytest.raises(ValidationError) as caught:
            _question(staff, survey, kind="text", text="x", show_if=show_if, show_if_option=option)
        assert message in str(caught.value)
    other = testing.make_survey(cast.district, by=staff, questions=[("single", "别的问卷")])
    with pytest.raises(ValidationError) as caught:
        _question(staff, survey, kind="text", text="x", show_if=other.questions.get(), show_if_option=0)
    assert "排在本题之前" in str(caught.value)
    with pytest.raises(ValidationError):  # a question cannot depend on a later one
        services.save_question(actor=staff, survey=survey, question=choice, kind="single", text="是否", options="是\n否",
                               show_if=shown, show_if_option=0)
    assert survey.questions.count() == 3


def test_a_question_others_depend_on_keeps_its_option_its_kind_and_its_place(cast):
    staff = cast.users.staff
    survey = _survey(staff)
    choice = _question(staff, survey, options="是\n否")
    dependent = _question(staff, survey, kind="text", text="融资渠道", show_if=choice, show_if_option=1)
    with pytest.raises(ValidationError) as caught:
        services.save_question(actor=staff, survey=survey, question=choice, kind="single", text="是否", options="是")
    assert "第2个选项" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.save_question(actor=staff, survey=survey, question=choice, kind="single", text="是否",
                               options="否\n是")
    assert "请不要修改或调换它的位置" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.save_question(actor=staff, survey=survey, question=choice, kind="text", text="是否")
    assert "本题只能是选择题" in str(caught.value)
    with pytest.raises(Refused) as caught:
        services.delete_question(actor=staff, question=choice)
    assert "显示条件依赖本题" in caught.value.message
    with pytest.raises(Refused):
        services.move_question(actor=staff, question=choice, direction="down")
    with pytest.raises(Refused):
        services.move_question(actor=staff, question=dependent, direction="up")
    choice.refresh_from_db()
    assert choice.options == ["是", "否"] and choice.kind == "single" and choice.order == 1
    services.save_question(actor=staff, survey=survey, question=choice, kind="multiple", text="是否",
                           options="是\n否\n不清楚")  # adding an option after the named one is fine
    services.delete_question(actor=staff, question=dependent)
    services.delete_question(actor=staff, question=choice)
    assert not survey.questions.exists()


def test_moving_swaps_neighbours_and_deleting_closes_the_gap(cast):
    staff = cast.users.staff
    survey = _survey(staff)
    a, b, c = (_question(staff, survey, kind="text", text=t) for t in ("甲", "乙", "丙"))
    services.move_question(actor=staff, question=c, direction="up")
    assert list(survey.questions.order_by("order").values_list("text", flat=True)) == ["甲", "丙", "乙"]
    with pytest.raises(Refused) as caught:
        services.move_question(actor=staff, question=a, direction="up")
    assert "已经是第一题" in caught.value.message
    services.delete_question(actor=staff, question=a)
    assert list(survey.questions.order_by("order").values_list("order", "text")) == [(1, "丙"), (2, "乙")]


def test_questions_change_only_while_the_survey_is_in_design(cast):
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", questions=[("single", "甲")])
    question = survey.questions.get()
    for call in (lambda: _question(cast.users.staff, survey),
                 lambda: services.save_question(actor=cast.users.staff, survey=survey, question=question,
                                                kind="text", text="改"),
                 lambda: services.delete_question(actor=cast.users.staff, question=question),
                 lambda: services.move_question(actor=cast.users.staff, question=question, direction="down")):
        with pytest.raises(Refused) as caught:
            call()
        assert "题目不能再修改" in caught.value.message
    question.refresh_from_db()
    assert question.text == "甲" and survey.questions.count() == 1


def test_a_leader_cannot_add_a_question(cast):
    survey = _survey(cast.users.staff)
    with pytest.raises(PermissionDenied):
        _question(cast.users.leader, survey)
    assert not survey.questions.exists()


# --- the states ---------------------------------------------------------------------------------------------
def test_a_survey_with_no_questions_is_not_opened(cast):
    survey = _survey(cast.users.staff)
    with pytest.raises(Refused) as caught:
        services.open_survey(actor=cast.users.staff, survey=survey)
    assert caught.value.message == "问卷还没有题目，不能发布。"
    survey.refresh_from_db()
    assert survey.status == S.DRAFT and not SurveyRecipient.objects.exists() and not Notification.objects.exists()


def test_opening_fixes_the_recipients_and_tells_their_users(cast):
    survey = testing.make_survey(cast.district, by=cast.users.staff, questions=[("single", "是否")])
    services.open_survey(actor=cast.users.staff, survey=survey)
    survey.refresh_from_db()
    assert survey.status == S.OPEN and survey.opened_at is not None
    assert set(survey.recipients.values_list("enterprise_id", flat=True)) == {cast.ent1.pk, cast.ent2.pk}
    assert not survey.recipients.filter(enterprise__isnull=True).exists()
    message = Notification.objects.get(recipient=cast.users.ent1)
    assert message.kind == "survey" and survey.title in message.title
    assert message.url == reverse("communications:h5_survey", args=[survey.pk])
    assert AuditEvent.objects.filter(object_type="communications.survey", object_id=str(survey.pk),
                                     detail__transition="open_survey").exists()


def test_a_chamber_secretary_opens_its_survey_to_its_own_members_only(cast):
    survey = testing.make_survey(cast.district, by=cast.users.chamber1, chamber=cast.chamber1, audience="chamber",
                                 chamber_audience=cast.chamber1, questions=[("text", "建议")])
    with pytest.raises(PermissionDenied):
        services.open_survey(actor=cast.users.chamber2, survey=survey)
    with pytest.raises(PermissionDenied):
        services.open_survey(actor=cast.users.leader, survey=survey)
    services.open_survey(actor=cast.users.chamber1, survey=survey)
    assert list(survey.recipients.values_list("enterprise_id", flat=True)) == [cast.ent1.pk]


def test_an_audience_reaching_no_enterprise_is_refused_and_nothing_is_written(cast):
    empty = testing.make_chamber(cast.district, name="空商会")
    survey = testing.make_survey(cast.district, by=cast.users.staff, audience="chamber", chamber_audience=empty,
                                 questions=[("text", "建议")])
    with pytest.raises(Refused) as caught:
        services.open_survey(actor=cast.users.staff, survey=survey)
    assert "没有可以在线填写问卷的企业" in caught.value.message
    survey.refresh_from_db()
    assert survey.status == S.DRAFT and not SurveyRecipient.objects.exists()


def test_an_invalid_audience_is_refused_at_opening(cast):
    survey = testing.make_survey(cast.district, by=cast.users.staff, audience="chamber",
                                 questions=[("text", "建议")])
    with pytest.raises(Refused) as caught:
        services.open_survey(actor=cast.users.staff, survey=survey)
    assert caught.value.message.startswith("发送对象有误")


def test_a_survey_past_its_closing_date_is_neither_opened_nor_reopened(cast):
    yesterday = timezone.localdate() - timedelta(days=1)
    survey = testing.make_survey(cast.district, by=cast.users.staff, closes_on=yesterday, questions=[("text", "甲")])
    with pytest.raises(Refused) as caught:
        services.open_survey(actor=cast.users.staff, survey=survey)
    assert "截止日期" in caught.value.message
    closed = testing.make_survey(cast.district, by=cast.users.staff, status="closed", closes_on=yesterday,
                                 questions=[("text", "甲")])
    with pytest.raises(Refused) as caught:
        services.reopen_survey(actor=cast.users.staff, survey=closed)
    assert "请先把截止日期改到今天或以后" in caught.value.message
    closed.refresh_from_db()
    assert closed.status == S.CLOSED


def test_closing_and_reopening_move_the_state_and_a_wrong_state_is_refused(cast):
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", questions=[("text", "甲")])
    with pytest.raises(PermissionDenied):
        services.close_survey(actor=cast.users.leader, survey=survey)
    services.close_survey(actor=cast.users.staff, survey=survey)
    survey.refresh_from_db()
    assert survey.status == S.CLOSED and survey.closed_at is not None
    with pytest.raises(Refused) as caught:
        services.close_survey(actor=cast.users.staff, survey=survey)
    assert "不能结束收集" in caught.value.message
    services.reopen_survey(actor=cast.users.staff, survey=survey)
    survey.refresh_from_db()
    assert survey.status == S.OPEN and survey.closed_at is None
    with pytest.raises(Refused):
        services.open_survey(actor=cast.users.staff, survey=survey)
