"""Demo 通知调研与宣传 (issue 24, item 7), shaped like the seeds ("及时向企业提供信息服务", "问卷调查", "调研报告",
"成功宣传企业家近百人", "共38项制度", "缔结友好商会5个"): a few dozen sent notices with about 70% of the receipts read,
drafts and a withdrawn one; saved filters; surveys with questions of every kind and skip logic, a few hundred answer
sheets that keep each survey's skip logic and bounds, an appeal opened from one; research reports with 批示; about
150 articles featuring about 95 distinct persons; 38 rules in force with version histories and a repealed one; five
friendly organisations in force with agreements and exchanges; every model rule kept; deterministic; fast;
registered after the steps it links to."""

import time
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.db.models import Count, Q

from shanglian.accounts.models import User
from shanglian.appeals import demo as appeals_demo
from shanglian.appeals.models import Channel
from shanglian.communications import demo as communications_demo
from shanglian.communications.models import (
    Agreement,
    Answer,
    Article,
    Exchange,
    Notice,
    NoticeRecipient,
    Partner,
    Question,
    ResearchReport,
    Response,
    ResponseAppeal,
    Rule,
    RuleVersion,
    SavedFilter,
    Survey,
    SurveyRecipient,
)
from shanglian.communications.selectors.scopes import notices_visible_to, responses_visible_to
from shanglian.demo.registry import DEFAULT_ENTERPRISES, builders, discover, ordered
from shanglian.engagement import demo as engagement_demo
from shanglian.events import demo as events_demo
from shanglian.growth import demo as growth_demo
from shanglian.members import demo as members_demo
from shanglian.members.selectors import chamber_member_ids

END = members_demo.AS_OF
BUILD_SECONDS = 30  # the step's own time, well above what it takes on SQLite
pytestmark = pytest.mark.django_db

MODELS = (SavedFilter, Notice, NoticeRecipient, Survey, Question, SurveyRecipient, Response, Answer, ResponseAppeal,
          ResearchReport, Article, Rule, RuleVersion, Partner, Agreement, Exchange)


def _sorted(rows):
    return sorted(rows, key=repr)  # None (an unread receipt's time) sorts with the rest


def _snapshot():
    """What the step saved, without ids or timestamps: to compare two builds."""
    return (
        _sorted(Notice.objects.values_list("title", "audience", "status", "sent_at", "chamber__name")),
        _sorted(NoticeRecipient.objects.values_list("notice__title", "enterprise__uscc", "person__name", "read_at")),
        _sorted(Response.objects.values_list("survey__title", "enterprise__uscc", "status", "submitted_at")),
        _sorted(Answer.objects.values_list("response__enterprise__uscc", "question__text", "choices", "number",
                                          "text")),
        _sorted(Article.objects.values_list("title", "outlet", "level", "published_on")),
        _sorted(RuleVersion.objects.values_list("rule__title", "version", "adopted_on", "effective_from")),
        _sorted(Exchange.objects.values_list("partner__name", "direction", "date", "delegates")),
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default district with its appeals, events, 政治引领, 会员发展 and 通知调研与宣传 to END, built once for the
    module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = members_demo.build(enterprises=DEFAULT_ENTERPRISES)
        appeals_plan = appeals_demo.build(result, end=END)
        events_demo.build(result, appeals_plan, end=END)
        engagement_demo.build(result, appeals_plan, end=END)
        growth_demo.build(result, end=END)
        started = time.monotonic()
        built = communications_demo.build(result, end=END)
        seconds = time.monotonic() - started
        snapshot = _snapshot()
        yield SimpleNamespace(result=result, built=built, seconds=seconds, snapshot=snapshot,
                              users={u.username: u for u in User.objects.filter(username__in=[
                                  "staff", "chamber1", "chamber2", "ent1"])})
        transaction.set_rollback(True)


def test_the_step_is_registered_after_the_steps_it_links_to():
    discover()
    step = builders()["communications"]
    assert set(step.after) == {"members", "appeals", "events", "engagement", "growth"}
    names = [b.name for b in ordered()]
    assert names.index("communications") > max(names.index(name) for name in step.after)


def test_the_build_is_deterministic_and_fast(demo):
    assert demo.seconds < BUILD_SECONDS
    with transaction.atomic():  # the same district built again from the same seed: the same rows
        ResponseAppeal.objects.all().delete()
        for model in reversed(MODELS):
            model.objects.all().delete()
        communications_demo.build(demo.result, end=END)
        assert _snapshot() == demo.snapshot
        transaction.set_rollback(True)


def test_every_row_keeps_the_models_rules(demo):
    for model in MODELS:
        rows = list(model.objects.all()[:400])
        assert rows, model
        for row in rows:
            row.full_clean(validate_unique=False)


def test_a_few_dozen_sent_notices_about_seventy_percent_read_drafts_and_a_withdrawn_one(demo):
    notices = Notice.objects.all()
    sent = notices.exclude(status="draft")
    assert 30 <= sent.count() <= 40
    assert notices.filter(status="draft").count() >= 2 and notices.filter(status="withdrawn").count() == 1
    assert set(sent.values_list("audience", flat=True)) >= {"all", "chamber", "committee", "group", "event"}
    assert not sent.annotate(n=Count("recipients")).filter(n=0).exists()  # every one reached somebody
    assert not notices.filter(status="draft", recipients__isnull=False).exists()
    receipts = NoticeRecipient.objects.filter(enterprise__isnull=False)
    share = receipts.filter(read_at__isnull=False).count() / receipts.count()
    assert 0.62 <= share <= 0.78
    for receipt in receipts.filter(read_by__isnull=False).select_related("read_by", "notice")[:200]:
        assert receipt.read_by.enterprise_id == receipt.enterprise_id and receipt.read_at >= receipt.notice.sent_at
    # a chamber secretary's notices go to its own chamber's members only
    chamber1 = demo.users["chamber1"]
    own = notices_visible_to(chamber1)
    assert own.exists() and not own.exclude(chamber_id=chamber1.chamber_id).exists()
    members = set(chamber_member_ids(chamber1.chamber_id).values_list("enterprise_id", flat=True))
    assert set(NoticeRecipient.objects.filter(notice__in=own).values_list("enterprise_id", flat=True)) <= members
    # the enterprise users of the recipients got the notice in their inbox
    from shanglian.notifications.models import Notification

    assert Notification.objects.filter(kind="notice").exists()
    assert SavedFilter.objects.filter(chamber__isnull=True).exists()
    assert SavedFilter.objects.filter(chamber__isnull=False).exists()


def test_surveys_of_every_kind_with_skip_logic_and_a_few_hundred_answers_that_keep_it(demo):
    surveys = Survey.objects.all()
    assert 6 <= surveys.count() <= 8
    assert set(surveys.values_list("status", flat=True)) == {"open", "closed"}
    assert surveys.filter(respondent="person").exists() and surveys.filter(chamber__isnull=False).exists()
    assert set(Question.objects.values_list("kind", flat=True)) == set(Question.Kind.values)
    assert Question.objects.filter(show_if__isnull=False).count() >= 3
    submitted = Response.objects.filter(status="submitted")
    assert 200 <= submitted.count() <= 700
    assert Response.objects.filter(status="draft", survey__status="open").exists()
    recipients = SurveyRecipient.objects.values_list("survey_id", "enterprise_id")
    assert set(Response.objects.values_list("survey_id", "enterprise_id")) <= set(recipients)
    answers = {}
    for answer in Answer.objects.select_related("question", "response"):
        answers.setdefault(answer.response_id, {})[answer.question_id] = answer
        question = answer.question
        if question.kind == "single":
            assert len(answer.choices) == 1 and 0 <= answer.choices[0] < len(question.options)
        elif question.kind == "multiple":
            assert answer.choices and all(0 <= c < len(question.options) for c in answer.choices)
        elif question.kind == "scale":
            assert question.low <= answer.number <= question.high
        elif question.kind == "number":
            assert answer.number >= (question.minimum or 0)
            assert question.maximum is None or answer.number <= question.maximum
        else:
            assert answer.text
    for sheet in submitted.select_related("survey").prefetch_related("survey__questions"):
        given = answers.get(sheet.pk, {})
        for question in sheet.survey.questions.all():
            shown = question.show_if_id is None or (
                question.show_if_id in given and question.show_if_option in given[question.show_if_id].choices)
            if not shown:
                assert question.pk not in given  # hidden by skip logic: never answered
            elif question.required:
                assert question.pk in given
    # a chamber secretary reads only its members' answers to its own surveys
    chamber1 = demo.users["chamber1"]
    visible = responses_visible_to(chamber1)
    assert visible.exists() and not visible.exclude(survey__chamber_id=chamber1.chamber_id).exists()


def test_an_appeal_was_opened_from_a_survey_answer(demo):
    raised = ResponseAppeal.objects.select_related("appeal", "response").get()
    assert raised.appeal.channel == Channel.SURVEY
    assert raised.appeal.enterprise_id == raised.response.enterprise_id
    assert raised.appeal.submitted_at >= raised.response.submitted_at


def test_research_reports_drawing_on_surveys_and_visits_some_with_an_instruction(demo):
    reports = ResearchReport.objects.all()
    assert reports.count() == 6
    assert reports.filter(surveys__isnull=False).exists() and reports.filter(visits__isnull=False).exists()
    assert reports.filter(instructed=True).count() == 3
    assert reports.filter(submitted_to__in=["committee", "government", "both"]).count() >= 3
    for report in reports.filter(instructed=True):
        assert report.submitted_on <= report.instructed_on <= END


def test_about_150_articles_featuring_about_95_distinct_entrepreneurs(demo):
    articles = Article.objects.all()
    assert articles.count() == 150
    persons = articles.filter(persons__isnull=False).values("persons").distinct().count()
    assert 90 <= persons <= 100  # "成功宣传企业家近百人"
    assert articles.filter(enterprises__isnull=False).distinct().count() >= 100
    assert articles.filter(persons__isnull=True).exists()  # the federation's own news
    assert set(articles.values_list("level", flat=True)) >= {"national", "provincial", "municipal", "district"}
    assert not articles.filter(published_on__gt=END).exists()


def test_thirty_eight_rules_in_force_with_version_histories_and_a_repealed_one(demo):
    rules = Rule.objects.all()
    in_force = rules.filter(Q(repealed_on__isnull=True) | Q(repealed_on__gt=END),
                            versions__effective_from__lte=END).distinct()
    assert in_force.count() == 38  # "共38项制度"
    assert rules.filter(repealed_on__lte=END).count() == 1
    assert rules.annotate(n=Count("versions")).filter(n__gte=2).exists()
    assert RuleVersion.objects.filter(resolution__isnull=False).exists()
    for rule in rules.prefetch_related("versions"):
        versions = sorted(rule.versions.all(), key=lambda v: v.version)
        assert [v.version for v in versions] == list(range(1, len(versions) + 1))
        assert all(a.adopted_on <= b.adopted_on for a, b in zip(versions, versions[1:], strict=False))
    for version in RuleVersion.objects.filter(resolution__isnull=False).select_related("resolution__event"):
        assert version.resolution.event.body == version.adopted_by


def test_five_friendly_organisations_in_force_with_agreements_and_exchanges_both_ways(demo):
    partners = Partner.objects.all()
    assert partners.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=END)).count() == 5  # "缔结友好商会5个"
    assert partners.filter(ended_on__lte=END).exists()
    assert not partners.annotate(n=Count("agreements")).filter(n=0).exists()
    assert set(Exchange.objects.values_list("direction", flat=True)) == {"incoming", "outgoing"}
    for exchange in Exchange.objects.select_related("partner"):
        assert exchange.partner.since <= exchange.date <= (exchange.partner.ended_on or END)
