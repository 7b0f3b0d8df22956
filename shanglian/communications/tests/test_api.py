"""/api/v1/communications/: what a mini-program reads and the enterprise's two writes, scoped like the pages — the
federation's roles their federations' notices, surveys, answers, reports, articles, rules and partners; a chamber
secretary its chamber's notices, surveys and members' answers (and the federation's articles and rules); an
enterprise user only what was sent to its enterprise (inbox, my-surveys), reading a notice (first reader kept) and
answering a survey (draft, submit; bad answers 400 in Chinese with nothing written); every other role 403; another
scope's record 404 (audited)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import (
    Agreement,
    Answer,
    NoticeAttachment,
    NoticeRecipient,
    Response,
    RuleVersion,
)

BASE = "/api/v1/communications/"
NOTICES, SURVEYS, RESPONSES = f"{BASE}notices/", f"{BASE}surveys/", f"{BASE}responses/"
REPORTS, ARTICLES, RULES, PARTNERS = f"{BASE}reports/", f"{BASE}articles/", f"{BASE}rules/", f"{BASE}partners/"
INBOX, MY_SURVEYS = f"{BASE}inbox/", f"{BASE}my-surveys/"


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return {row["id"] for row in rows(response)}


def sent(cast, *to, by=None, chamber=None, status="sent", **fields):
    notice = testing.make_notice(cast.district, by=by or cast.users.staff, chamber=chamber, status=status,
                                 audience="chamber" if chamber else "all", chamber_audience=chamber,
                                 sent_at=timezone.now(), **fields)
    for enterprise in to:
        testing.make_notice_recipient(notice, enterprise)
    return notice


def opened(cast, *to, by=None, chamber=None, questions=None, **fields):
    survey = testing.make_survey(
        cast.district, by=by or cast.users.staff, chamber=chamber, status=fields.pop("status", "open"),
        audience="chamber" if chamber else "all", chamber_audience=chamber, opened_at=timezone.now(),
        questions=questions or [
            {"kind": "single", "text": "是否有融资需求", "options": ["有", "没有"]},
            {"kind": "number", "text": "融资需求金额", "unit": "万元", "minimum": 0, "maximum": 10000,
             "required": True},
            {"kind": "scale", "text": "对金融服务的满意度"},
            {"kind": "text", "text": "其他意见", "required": False}], **fields)
    questions = list(survey.questions.order_by("order"))
    if len(questions) >= 2 and questions[1].text == "融资需求金额":  # skip logic: amount only when 有
        questions[1].show_if, questions[1].show_if_option = questions[0], 0
        questions[1].save()
    for enterprise in to:
        testing.make_survey_recipient(survey, enterprise)
    return survey, questions


# --- staff reads ---------------------------------------------------------------------------------------------
def test_notices_are_read_by_the_federation_with_their_reach_and_by_a_chamber_only_its_own(cast, login):
    notice = sent(cast, cast.ent1, cast.ent2, title="关于会员信息更新的通知")
    NoticeRecipient.objects.filter(notice=notice, enterprise=cast.ent1).update(read_at=timezone.now())
    testing.make_notice_recipient(notice, person=testing.make_person(cast.district, name="独立人士"))
    own = sent(cast, cast.ent1, by=cast.users.chamber1, chamber=cast.chamber1)
    other = testing.make_notice(cast.other, by=cast.users.outsider_staff, status="sent")
    staff = login(cast.users.staff)
    listed = {row["id"]: row for row in rows(staff.get(NOTICES))}
    assert set(listed) == {notice.pk, own.pk}
    row = listed[notice.pk]
    assert (row["recipients"], row["enterprises"], row["read"], row["read_rate"]) == (3, 2, 1, 50.0)
    assert row["audience"] == "all" and row["audience_display"] == "全体会员" and row["chamber"] is None
    assert ids(login(cast.users.leader).get(NOTICES)) == {notice.pk, own.pk}
    chamber1 = login(cast.users.chamber1)
    assert ids(chamber1.get(NOTICES)) == {own.pk}
    assert chamber1.get(f"{NOTICES}{notice.pk}/").status_code == 404
    assert staff.get(f"{NOTICES}{other.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="communications.notice",
                                     object_id=str(other.pk), detail__via="api").exists()
    for role in ("dept1", "auditor", "ent1"):
        assert login(getattr(cast.users, role)).get(NOTICES).status_code == 403, role


def test_a_notice_has_its_body_attachments_and_receipts(cast, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice = sent(cast, cast.ent1, body="<p>请于<strong>月底前</strong>更新。</p>")
    NoticeAttachment.objects.create(notice=notice, original_name="填报说明.pdf", stored_name="abc123",
                                    content_type="application/pdf", size=12, sha256="0" * 64)
    body = login(cast.users.staff).get(f"{NOTICES}{notice.pk}/").json()
    assert body["body"] == "<p>请于<strong>月底前</strong>更新。</p>"
    assert [a["original_name"] for a in body["attachments"]] == ["填报说明.pdf"]
    assert [(r["enterprise"], r["read_at"]) for r in body["recipient_list"]] == [(cast.ent1.pk, None)]


def test_notices_filter_by_status_year_and_title_and_refuse_a_bad_filter(cast, login):
    notice = sent(cast, cast.ent1, title="财税培训通知")
    draft = testing.make_notice(cast.district, by=cast.users.staff, title="草稿通知")
    client = login(cast.users.staff)
    assert ids(client.get(f"{NOTICES}?status=draft")) == {draft.pk}
    assert ids(client.get(f"{NOTICES}?q=财税")) == {notice.pk}
    assert ids(client.get(f"{NOTICES}?year={timezone.localdate().year}")) == {notice.pk}
    for bad in ("status=lost", "year=abc"):
        response = client.get(f"{NOTICES}?{bad}")
        assert response.status_code == 400 and bad.split("=")[0] in response.json()


def test_a_survey_has_its_questions_with_skip_logic_and_counts(cast, login):
    survey, questions = opened(cast, cast.ent1, cast.ent2)
    testing.make_response(survey, cast.ent1, answers={questions[0]: [0], questions[1]: 300, questions[2]: 4})
    testing.make_response(survey, cast.ent2, status="draft")
    client = login(cast.users.staff)
    row = next(r for r in rows(client.get(SURVEYS)) if r["id"] == survey.pk)
    assert (row["questions"], row["recipients"], row["responses"]) == (4, 2, 1)
    detail = client.get(f"{SURVEYS}{survey.pk}/").json()
    amount = detail["question_list"][1]
    assert (amount["show_if"], amount["show_if_option"], amount["unit"]) == (questions[0].pk, 0, "万元")
    assert detail["question_list"][0]["options"] == ["有", "没有"]
    assert login(cast.users.chamber1).get(f"{SURVEYS}{survey.pk}/").status_code == 404


def test_a_chamber_secretary_reads_only_its_members_answers_to_its_own_surveys(cast, login):
    federation_survey, fq = opened(cast, cast.ent1, cast.ent2)
    own, oq = opened(cast, cast.ent1, by=cast.users.chamber1, chamber=cast.chamber1)
    theirs = testing.make_response(federation_survey, cast.ent1, answers={fq[0]: [1]})
    mine = testing.make_response(own, cast.ent1, answers={oq[0]: [0], oq[1]: 50, oq[2]: 5, oq[3]: "希望贴息"})
    testing.make_response(own, cast.ent2, status="draft")
    assert ids(login(cast.users.chamber1).get(RESPONSES)) == {mine.pk}
    assert ids(login(cast.users.chamber2).get(RESPONSES)) == set()
    staff = login(cast.users.staff)
    assert ids(staff.get(RESPONSES)) == {theirs.pk, mine.pk}  # submitted only
    assert ids(staff.get(f"{RESPONSES}?survey={own.pk}")) == {mine.pk}
    detail = login(cast.users.chamber1).get(f"{RESPONSES}{mine.pk}/").json()
    answers = {a["question"]: a for a in detail["answers"]}
    assert answers[oq[0].pk]["choice_labels"] == ["有"] and answers[oq[1].pk]["number"] == "50.00"
    assert answers[oq[3].pk]["text"] == "希望贴息"
    assert login(cast.users.chamber1).get(f"{RESPONSES}{theirs.pk}/").status_code == 404
    assert login(cast.users.ent1).get(RESPONSES).status_code == 403


def test_reports_are_the_federations_with_the_surveys_and_visits_they_drew_on(cast, login):
    survey, _ = opened(cast, cast.ent1)
    report = testing.make_report(cast.district, submitted_to="both", submitted_on=date(2025, 6, 10), instructed=True,
                                 instructed_by="区委书记", instructed_on=date(2025, 6, 20), instruction="请研究落实。")
    report.surveys.add(survey)
    report.visits.add(testing.make_visit(cast.ent1))
    detail = login(cast.users.leader).get(f"{REPORTS}{report.pk}/").json()
    assert detail["submitted_to_display"] == "区委、区政府" and detail["instructed_by"] == "区委书记"
    assert [s["id"] for s in detail["surveys"]] == [survey.pk]
    assert [v["enterprise"] for v in detail["visits"]] == [cast.ent1.name]
    assert ids(login(cast.users.staff).get(f"{REPORTS}?instructed=yes")) == {report.pk}
    assert ids(login(cast.users.staff).get(f"{REPORTS}?instructed=no")) == set()
    for role in ("chamber1", "dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(REPORTS).status_code == 403, role


def test_articles_are_read_by_the_federation_and_its_chambers_and_filter_by_person_and_level(cast, login):
    feature = testing.make_article(cast.district, level="national", outlet="人民日报", persons=[cast.person1],
                                   enterprises=[cast.ent1], published_on=date(2025, 5, 1))
    news = testing.make_article(cast.district, level="district", published_on=date(2024, 3, 1))
    other = testing.make_article(cast.other)
    chamber2 = login(cast.users.chamber2)
    assert ids(chamber2.get(ARTICLES)) == {feature.pk, news.pk}
    assert chamber2.get(f"{ARTICLES}{other.pk}/").status_code == 404
    row = next(r for r in rows(chamber2.get(f"{ARTICLES}?person={cast.person1.pk}")))
    assert row["id"] == feature.pk and row["level_display"] == "中央级"
    assert row["persons"] == [{"id": cast.person1.pk, "name": cast.person1.name}]
    assert ids(chamber2.get(f"{ARTICLES}?level=district")) == {news.pk}
    assert ids(chamber2.get(f"{ARTICLES}?year=2025&enterprise={cast.ent1.pk}")) == {feature.pk}
    assert chamber2.get(f"{ARTICLES}?level=galactic").status_code == 400
    assert login(cast.users.ent1).get(ARTICLES).status_code == 403


def test_rules_show_whether_in_force_and_their_versions_newest_first(cast, login):
    rule = testing.make_rule(cast.district, title="执委会工作规则")
    RuleVersion.objects.create(rule=rule, version=2, text="第一条 修订后。", adopted_by="executive",
                               adopted_on=date(2025, 1, 5), effective_from=date(2025, 2, 1), note="完善议事程序")
    repealed = testing.make_rule(cast.district, title="会员证管理暂行办法", repealed_on=date(2025, 3, 1),
                                 repeal_reason="已并入新办法")
    future = testing.make_rule(cast.district, title="新制度", adopted_on=timezone.localdate(),
                               effective_from=timezone.localdate() + timedelta(days=30))
    client = login(cast.users.chamber1)
    listed = {row["id"]: row for row in rows(client.get(RULES))}
    assert {k: v["in_force"] for k, v in listed.items()} == {rule.pk: True, repealed.pk: False, future.pk: False}
    assert listed[rule.pk]["latest"]["version"] == 2 and "text" not in listed[rule.pk]["latest"]
    assert ids(client.get(f"{RULES}?in_force=yes")) == {rule.pk}
    detail = client.get(f"{RULES}{rule.pk}/").json()
    assert [v["version"] for v in detail["versions"]] == [2, 1] and detail["versions"][0]["text"] == "第一条 修订后。"
    assert login(cast.users.dept1).get(RULES).status_code == 403


def test_partners_have_their_agreements_and_exchanges_and_are_the_federations_only(cast, login):
    partner = testing.make_partner(cast.district, name="雄安新区工商联")
    Agreement.objects.create(partner=partner, title="友好合作协议", signed_on=date(2023, 5, 1))
    testing.make_exchange(partner)
    testing.make_exchange(partner, direction="outgoing", date_=date(2025, 9, 1), delegates=12)
    ended = testing.make_partner(cast.district, name="唐山市路北区工商联", ended_on=date(2024, 1, 1))
    client = login(cast.users.leader)
    row = next(r for r in rows(client.get(PARTNERS)) if r["id"] == partner.pk)
    assert (row["agreements"], row["exchanges"]) == (1, 2)
    assert ids(client.get(f"{PARTNERS}?active=no")) == {ended.pk}
    detail = client.get(f"{PARTNERS}{partner.pk}/").json()
    assert [e["direction"] for e in detail["exchange_list"]] == ["outgoing", "incoming"]
    assert detail["agreement_list"][0]["title"] == "友好合作协议"
    for role in ("chamber1", "ent1"):
        assert login(getattr(cast.users, role)).get(PARTNERS).status_code == 403, role


# --- the enterprise's inbox ------------------------------------------------------------------------------------
def test_the_inbox_lists_only_the_notices_sent_to_the_enterprise_and_not_withdrawn(cast, login):
    mine = sent(cast, cast.ent1, title="发给本企业的通知")
    chamber = sent(cast, cast.ent1, by=cast.users.chamber1, chamber=cast.chamber1)
    theirs = sent(cast, cast.ent2)
    withdrawn = sent(cast, cast.ent1, status="withdrawn")
    client = login(cast.users.ent1)
    listed = rows(client.get(INBOX))
    assert {r["id"] for r in listed} == {mine.pk, chamber.pk}
    assert {r["sender"] for r in listed} == {cast.district.name, cast.chamber1.name}
    assert all(r["read_at"] is None for r in listed)
    for notice in (theirs, withdrawn):
        assert client.get(f"{INBOX}{notice.pk}/").status_code == 404
    for role in ("staff", "chamber1", "dept1"):
        assert login(getattr(cast.users, role)).get(INBOX).status_code == 403, role


def test_reading_a_notice_through_the_api_keeps_the_first_reader(cast, login):
    notice = sent(cast, cast.ent1)
    first = login(cast.users.ent1)
    answer = first.post(f"{INBOX}{notice.pk}/read/", {}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    receipt = NoticeRecipient.objects.get(notice=notice, enterprise=cast.ent1)
    assert receipt.read_by == cast.users.ent1
    colleague = testing.make_user(Role.ENTERPRISE, enterprise=cast.ent1)
    login(colleague).post(f"{INBOX}{notice.pk}/read/", {}, content_type="application/json")
    receipt.refresh_from_db()
    assert receipt.read_by == cast.users.ent1  # the first reader wins
    assert ids(first.get(f"{INBOX}?unread=yes")) == set()
    assert ids(first.get(f"{INBOX}?unread=no")) == {notice.pk}


def test_reading_a_notice_sent_to_another_enterprise_is_404_and_changes_nothing(cast, login):
    notice = sent(cast, cast.ent2)
    response = login(cast.users.ent1).post(f"{INBOX}{notice.pk}/read/", {}, content_type="application/json")
    assert response.status_code == 404
    assert not NoticeRecipient.objects.filter(read_at__isnull=False).exists()
    assert login(cast.users.staff).post(f"{INBOX}{notice.pk}/read/").status_code == 403


# --- the enterprise's surveys ----------------------------------------------------------------------------------
def test_my_surveys_lists_the_surveys_sent_to_the_enterprise_with_my_status(cast, login):
    waiting, _ = opened(cast, cast.ent1, title="待填问卷")
    done, dq = opened(cast, cast.ent1, title="已填问卷")
    testing.make_response(done, cast.ent1, by=cast.users.ent1, answers={dq[0]: [1], dq[2]: 3})
    closed, _ = opened(cast, cast.ent1, status="closed", title="已结束问卷")
    theirs, _ = opened(cast, cast.ent2)
    draft = testing.make_survey(cast.district, by=cast.users.staff)
    client = login(cast.users.ent1)
    listed = {r["id"]: r for r in rows(client.get(MY_SURVEYS))}
    assert set(listed) == {waiting.pk, done.pk, closed.pk}
    assert (listed[waiting.pk]["my_status"], listed[waiting.pk]["can_answer"]) == ("none", True)
    assert (listed[done.pk]["my_status"], listed[done.pk]["can_answer"]) == ("submitted", False)
    assert listed[closed.pk]["can_answer"] is False
    assert ids(client.get(f"{MY_SURVEYS}?mine=none")) == {waiting.pk, closed.pk}
    for survey in (theirs, draft):
        assert client.get(f"{MY_SURVEYS}{survey.pk}/").status_code == 404
    detail = client.get(f"{MY_SURVEYS}{done.pk}/").json()
    assert [a["question"] for a in detail["answers"]] == [dq[0].pk, dq[2].pk]
    assert detail["questions"][1]["show_if"] == dq[0].pk
    assert login(cast.users.staff).get(MY_SURVEYS).status_code == 403


def _answers(questions, *values):
    body = []
    for question, value in zip(questions, values, strict=False):
        if value is None:
            continue
        key = "choices" if question.kind in ("single", "multiple") else ("text" if question.kind == "text"
                                                                          else "number")
        body.append({"question": question.pk, key: value})
    return {"answers": body}


def test_a_draft_is_saved_resumed_and_then_submitted(cast, login):
    survey, q = opened(cast, cast.ent1)
    client = login(cast.users.ent1)
    url = f"{MY_SURVEYS}{survey.pk}/"
    saved = client.post(f"{url}draft/", _answers(q, [0]), content_type="application/json")
    assert saved.status_code == 200 and saved.json()["my_status"] == "draft"  # a draft may leave questions empty
    resumed = client.get(url).json()
    assert [(a["question"], a["choices"]) for a in resumed["answers"]] == [(q[0].pk, [0])]
    submitted = client.post(f"{url}submit/", _answers(q, [0], "120.5", 4, "希望贴息"), content_type="application/json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["my_status"] == "submitted" and submitted.json()["can_answer"] is False
    response = Response.objects.get(survey=survey)
    assert response.status == "submitted" and response.respondent == cast.users.ent1
    again = client.post(f"{url}submit/", _answers(q, [1], None, 2), content_type="application/json")
    assert again.status_code == 409 and "已经提交" in again.json()["detail"]
    assert Answer.objects.get(response=response, question=q[0]).choices == [0]


def test_an_answer_to_a_question_hidden_by_skip_logic_is_dropped(cast, login):
    survey, q = opened(cast, cast.ent1)
    client = login(cast.users.ent1)
    answer = client.post(f"{MY_SURVEYS}{survey.pk}/submit/", _answers(q, [1], 500, 3),
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert set(Answer.objects.filter(response__survey=survey).values_list("question", flat=True)) == {q[0].pk,
                                                                                                        q[2].pk}


@pytest.mark.parametrize(("values", "message"), [
    (([0], None, 4), "必答题"),  # the amount is shown (有) and required
    (([0], 50, 9), "之间"),  # the scale runs 1–5
    (([0], -5, 3), "不能小于"),
    (([0, 1], 50, 3), "只能选择一个"),
    (([7], 50, 3), "选项"),
])
def test_a_bad_answer_is_a_400_in_chinese_and_nothing_is_written(cast, login, values, message):
    survey, q = opened(cast, cast.ent1)
    answer = login(cast.users.ent1).post(f"{MY_SURVEYS}{survey.pk}/submit/", _answers(q, *values),
                                         content_type="application/json")
    assert answer.status_code == 400 and message in answer.json()["detail"]
    assert not Response.objects.filter(survey=survey).exists()


def test_a_question_of_another_survey_or_a_malformed_body_is_a_400(cast, login):
    survey, q = opened(cast, cast.ent1)
    _other, oq = opened(cast, cast.ent1)
    client = login(cast.users.ent1)
    foreign = client.post(f"{MY_SURVEYS}{survey.pk}/draft/", {"answers": [{"question": oq[0].pk, "choices": [0]}]},
                          content_type="application/json")
    assert foreign.status_code == 400 and "不属于这份问卷" in foreign.json()["detail"]
    twice = client.post(f"{MY_SURVEYS}{survey.pk}/draft/",
                        {"answers": [{"question": q[0].pk, "choices": [0]}, {"question": q[0].pk, "choices": [1]}]},
                        content_type="application/json")
    assert twice.status_code == 400
    assert client.post(f"{MY_SURVEYS}{survey.pk}/draft/", {}, content_type="application/json").status_code == 400
    assert not Response.objects.exists()


def test_a_closed_survey_or_one_not_sent_to_the_enterprise_takes_no_answer(cast, login):
    closed, cq = opened(cast, cast.ent1, status="closed")
    past, pq = opened(cast, cast.ent1, closes_on=timezone.localdate() - timedelta(days=1))
    theirs, tq = opened(cast, cast.ent2)
    client = login(cast.users.ent1)
    for survey, q in ((closed, cq), (past, pq)):
        answer = client.post(f"{MY_SURVEYS}{survey.pk}/submit/", _answers(q, [1], None, 3),
                             content_type="application/json")
        assert answer.status_code == 409, answer.content
    assert client.post(f"{MY_SURVEYS}{theirs.pk}/submit/", _answers(tq, [1], None, 3),
                       content_type="application/json").status_code == 404
    assert login(cast.users.chamber1).post(f"{MY_SURVEYS}{theirs.pk}/draft/", {},
                                           content_type="application/json").status_code == 403
    assert not Response.objects.exists()


def test_a_survey_answered_per_person_keeps_each_users_own_sheet(cast, login):
    survey, q = opened(cast, cast.ent1, respondent="person")
    colleague = testing.make_user(Role.ENTERPRISE, enterprise=cast.ent1)
    for user, choice in ((cast.users.ent1, [1]), (colleague, [0])):
        answer = login(user).post(f"{MY_SURVEYS}{survey.pk}/draft/", _answers(q, choice),
                                  content_type="application/json")
        assert answer.status_code == 200
    assert Response.objects.filter(survey=survey).count() == 2
    mine = login(cast.users.ent1).get(f"{MY_SURVEYS}{survey.pk}/").json()
    assert [a["choices"] for a in mine["answers"]] == [[1]]


def test_the_lists_run_as_many_queries_for_many_rows_as_for_one(cast, login):
    def count(user, url):
        client = login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add():
        notice = sent(cast, cast.ent1, cast.ent2)
        survey, q = opened(cast, cast.ent1, cast.ent2)
        testing.make_response(survey, cast.ent2, answers={q[0]: [1], q[2]: 4})
        testing.make_article(cast.district, persons=[cast.person1], enterprises=[cast.ent1, cast.ent2])
        testing.make_rule(cast.district)
        testing.make_exchange(testing.make_partner(cast.district))
        return notice

    add()
    staff, ent1 = cast.users.staff, cast.users.ent1
    urls = [(staff, u) for u in (NOTICES, SURVEYS, RESPONSES, REPORTS, ARTICLES, RULES, PARTNERS)]
    urls += [(ent1, INBOX), (ent1, MY_SURVEYS)]
    small = [count(user, url) for user, url in urls]
    for _ in range(3):
        add()
    assert [count(user, url) for user, url in urls] == small
