"""The sender's pages of the answers (response_views): the answers received for one survey, 提醒未填, one answer
sheet read back, 转为诉求 from a sheet or a question. The federation's roles read their federations' surveys' answers,
a chamber secretary only its own chamber's surveys and only its members' answers; the senders remind; only the
editors open an appeal; department, enterprise and auditor 403; another scope 404; drafts are never shown."""

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.appeals.models import Appeal, Channel
from shanglian.appeals.tests.factories import category
from shanglian.communications.models import ResponseAppeal
from shanglian.notifications.models import Notification


@pytest.fixture
def world(cast):
    """The federation's survey (sent to ent1 and ent2: ent1 submitted, ent2 a draft) and chamber1's survey (sent to
    ent1 and ent2 — ent2 is no member of chamber1 — both submitted)."""
    fed = testing.make_survey(cast.district, by=cast.users.staff, status="open", title="联邦问卷",
                              questions=[{"kind": "single", "text": "是否遇到融资困难", "options": ["是", "否"]},
                                         ("text", "具体困难")])
    fq = list(fed.questions.order_by("order"))
    for enterprise in (cast.ent1, cast.ent2):
        testing.make_survey_recipient(fed, enterprise)
    fed_answer = testing.make_response(fed, cast.ent1, by=cast.users.ent1,
                                       answers={fq[0]: [0], fq[1]: "银行抽贷，资金周转困难"})
    fed_draft = testing.make_response(fed, cast.ent2, status="draft", answers={fq[0]: [1]})
    own = testing.make_survey(cast.district, by=cast.users.chamber1, chamber=cast.chamber1, status="open",
                              title="商会问卷", questions=[("text", "对商会的建议")])
    oq = own.questions.get()
    for enterprise in (cast.ent1, cast.ent2):
        testing.make_survey_recipient(own, enterprise)
    own_member = testing.make_response(own, cast.ent1, by=cast.users.ent1, answers={oq: "多组织培训"})
    own_outsider = testing.make_response(own, cast.ent2, answers={oq: "非会员的建议"})
    return {"fed": fed, "fq": fq, "fed_answer": fed_answer, "fed_draft": fed_draft, "own": own,
            "own_member": own_member, "own_outsider": own_outsider}


def get(client, name, obj):
    return client.get(reverse(name, args=[obj.pk]))


# --- the answers of one survey ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "fed", "own"), [
    ("admin", 200, 200), ("staff", 200, 200), ("leader", 200, 200), ("chamber1", 404, 200), ("chamber2", 404, 404),
    ("dept1", 403, 403), ("ent1", 403, 403), ("auditor", 403, 403), ("outsider_staff", 404, 404),
])
def test_the_answers_of_a_survey_are_read_in_scope(cast, login, world, role, fed, own):
    client = login(getattr(cast.users, role))
    assert get(client, "communications:survey_responses", world["fed"]).status_code == fed
    assert get(client, "communications:survey_responses", world["own"]).status_code == own


def test_the_answers_list_shows_submitted_sheets_only(cast, login, world):
    page = get(login(cast.users.staff), "communications:survey_responses", world["fed"]).content.decode()
    assert cast.ent1.name in page and cast.ent2.name not in page  # ent2's is a draft
    assert reverse("communications:response", args=[world["fed_answer"].pk]) in page
    assert "提醒未填（1家）" in page


def test_a_chamber_secretary_sees_only_its_members_answers(cast, login, world):
    client = login(cast.users.chamber1)
    page = get(client, "communications:survey_responses", world["own"]).content.decode()
    assert cast.ent1.name in page and cast.ent2.name not in page
    staff_page = get(login(cast.users.staff), "communications:survey_responses", world["own"]).content.decode()
    assert cast.ent2.name in staff_page


def test_the_answers_list_is_searched_by_enterprise(cast, login, world):
    client = login(cast.users.staff)
    url = reverse("communications:survey_responses", args=[world["own"].pk])
    page = client.get(url, {"q": "之江"}).content.decode()
    assert cast.ent2.name in page and cast.ent1.name not in page


def test_a_leader_reads_the_answers_without_the_reminder(cast, login, world):
    page = get(login(cast.users.leader), "communications:survey_responses", world["fed"]).content.decode()
    assert cast.ent1.name in page and "提醒未填" not in page


# --- 提醒未填 ----------------------------------------------------------------------------------------------------
def test_the_sender_reminds_the_silent_from_the_answers_list(cast, login, world):
    ent2_user = testing.make_user("enterprise", username="ent2u", enterprise=cast.ent2)
    client = login(cast.users.staff)
    url = reverse("communications:survey_remind", args=[world["fed"].pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("communications:survey_responses", args=[world["fed"].pk])
    assert "已提醒 1 家未提交答卷的企业。" in response.content.decode()
    assert list(Notification.objects.filter(kind="survey").values_list("recipient", flat=True)) == [ent2_user.pk]
    again = client.post(url, follow=True).content.decode()
    assert "今天都已提醒过" in again and Notification.objects.filter(kind="survey").count() == 1


@pytest.mark.parametrize(("role", "status"), [
    ("leader", 403), ("dept1", 403), ("ent1", 403), ("auditor", 403), ("chamber1", 404), ("chamber2", 404),
    ("outsider_staff", 404),
])
def test_reminding_is_refused_outside_the_senders_in_scope(cast, login, world, role, status):
    response = login(getattr(cast.users, role)).post(reverse("communications:survey_remind", args=[world["fed"].pk]))
    assert response.status_code == status
    assert not Notification.objects.filter(kind="survey").exists()


def test_a_chamber_secretary_reminds_for_its_own_survey(cast, login, world):
    own = testing.make_survey(cast.district, by=cast.users.chamber1, chamber=cast.chamber1, status="open",
                              questions=[("text", "建议")])
    testing.make_survey_recipient(own, cast.ent1)
    response = login(cast.users.chamber1).post(reverse("communications:survey_remind", args=[own.pk]))
    assert response.status_code == 302
    assert list(Notification.objects.filter(kind="survey").values_list("recipient", flat=True)) == [cast.users.ent1.pk]


def test_reminding_by_get_is_not_allowed(cast, login, world):
    assert get(login(cast.users.staff), "communications:survey_remind", world["fed"]).status_code == 405


def test_reminding_a_closed_survey_is_refused_in_chinese(cast, login, world):
    world["fed"].status = "closed"
    world["fed"].save()
    response = login(cast.users.staff).post(reverse("communications:survey_remind", args=[world["fed"].pk]),
                                            follow=True)
    assert "已结束，不能提醒填写" in response.content.decode()
    assert not Notification.objects.filter(kind="survey").exists()


# --- one answer sheet --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "fed", "own_member", "own_outsider"), [
    ("admin", 200, 200, 200), ("staff", 200, 200, 200), ("leader", 200, 200, 200), ("chamber1", 404, 200, 404),
    ("chamber2", 404, 404, 404), ("dept1", 403, 403, 403), ("ent1", 403, 403, 403), ("auditor", 403, 403, 403),
    ("outsider_staff", 404, 404, 404),
])
def test_an_answer_sheet_is_read_in_scope(cast, login, world, role, fed, own_member, own_outsider):
    client = login(getattr(cast.users, role))
    assert get(client, "communications:response", world["fed_answer"]).status_code == fed
    assert get(client, "communications:response", world["own_member"]).status_code == own_member
    assert get(client, "communications:response", world["own_outsider"]).status_code == own_outsider


def test_a_draft_sheet_is_not_shown(cast, login, world):
    assert get(login(cast.users.staff), "communications:response", world["fed_draft"]).status_code == 404


def test_the_sheet_reads_back_its_answers_with_the_appeal_links_for_editors(cast, login, world):
    sheet = world["fed_answer"]
    page = get(login(cast.users.staff), "communications:response", sheet).content.decode()
    assert "是否遇到融资困难" in page and "银行抽贷，资金周转困难" in page
    assert f"{reverse('communications:response_appeal', args=[sheet.pk])}?question={world['fq'][1].pk}" in page
    leader = get(login(cast.users.leader), "communications:response", sheet).content.decode()
    assert "银行抽贷" in leader and reverse("communications:response_appeal", args=[sheet.pk]) not in leader


# --- 转为诉求 ----------------------------------------------------------------------------------------------------
def test_an_answer_becomes_an_appeal_and_each_page_shows_the_other(cast, login, world):
    sheet, question = world["fed_answer"], world["fq"][1]
    client = login(cast.users.staff)
    url = f"{reverse('communications:response_appeal', args=[sheet.pk])}?question={question.pk}"
    form = client.get(url).content.decode()
    assert "银行抽贷，资金周转困难" in form and 'name="enterprise"' not in form and 'name="channel"' not in form
    response = client.post(url, {"category": category("consult").pk, "urgency": "normal",
                                 "title": "银行抽贷", "content": "银行抽贷，资金周转困难"})
    link = ResponseAppeal.objects.get()
    appeal = link.appeal
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert (appeal.channel, appeal.enterprise, link.question) == (Channel.SURVEY, cast.ent1, question)
    assert "第2题：具体困难" in appeal.source_note
    page = get(client, "communications:response", sheet).content.decode()
    assert f'data-appeal="{appeal.number}"' in page


def test_a_bad_appeal_form_writes_nothing(cast, login, world):
    url = reverse("communications:response_appeal", args=[world["fed_answer"].pk])
    response = login(cast.users.staff).post(url, {"category": "", "urgency": "normal", "title": "", "content": "x"})
    assert response.status_code == 400 and "请选择诉求类别" in response.content.decode()
    assert not Appeal.objects.exists() and not ResponseAppeal.objects.exists()


def test_a_question_of_another_survey_or_a_bad_id_is_404(cast, login, world):
    client = login(cast.users.staff)
    base = reverse("communications:response_appeal", args=[world["fed_answer"].pk])
    other = world["own"].questions.get()
    for asked in (other.pk, "x", "99999999999999999999"):
        assert client.get(f"{base}?question={asked}").status_code == 404


@pytest.mark.parametrize(("role", "status"), [
    ("leader", 403), ("chamber1", 403), ("chamber2", 403), ("dept1", 403), ("ent1", 403), ("auditor", 403),
    ("outsider_staff", 404), ("admin", 200),
])
def test_only_the_editors_in_scope_open_an_appeal_from_an_answer(cast, login, world, role, status):
    client = login(getattr(cast.users, role))
    url = reverse("communications:response_appeal", args=[world["fed_answer"].pk])
    assert client.get(url).status_code == status
    if status != 200:
        client.post(url, {"category": category("consult").pk, "urgency": "normal", "title": "x", "content": "x"})
        assert not ResponseAppeal.objects.exists()
