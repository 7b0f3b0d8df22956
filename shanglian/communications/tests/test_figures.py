"""The 通知调研与宣传 figures on a hand-built dataset, every number worked out by hand: notices sent (a withdrawn one and
a draft out), their recipients (enterprises and an SMS-only person), read receipts and the read rate over the
enterprises; surveys published, answers submitted, the response rate over the enterprises sent to (a draft answer
does not count, two people of one enterprise count it once), appeals opened from answers; research reports
written, submitted and instructed; articles and the distinct persons and enterprises they feature; the rules in
force at the period's end, adopted, revised and repealed; the friendly organisations in being, agreements, visits
and their delegates — and a chamber secretary's figures only its scope's.

The dataset (`build_dataset`, also the statistics page's and the panel's tests), "today" 15 June 2026, all in the
district unless said (the cast: ent1 and person1 of chamber1, ent2 of chamber2):

Notices: N1 the federation's to 全体会员 sent 2025-03-10 — ent1 read, ent2 unread, P_sms (a person without an
enterprise, SMS only); N2 chamber1's to 商会会员 sent 2025-05-01 — ent1 read; N3 the federation's sent 2025-07-01,
withdrawn (ent1 read); N4 a draft; N5 the federation's sent 2024-06-01 — ent2 unread; NO the other district's sent
2025-04-01. 2025 for the federation: 2 notices, 4 recipients (3 enterprises, 1 SMS-only), 2 read, read rate 2/3 =
66.7 %; 2024: 1 notice. chamber1: N2 — 1 notice, 1 recipient, 100.0 %.

Surveys: S1 the federation's, per enterprise, opened 2025-04-01 — sent to ent1, ent2, E3 and P_sms; ent1 submitted
2025-04-05, ent2 2025-04-06, E3 a draft; an appeal opened from ent1's answer, submitted 2025-04-10. S2 chamber1's,
per person, opened 2025-06-01, closed — sent to ent1; answered by ent1's two users on 2025-06-02 and 06-03. S3 a
draft. S4 the federation's opened 2024-05-01 — sent to ent2, unanswered. SO the other district's. 2025 for the
federation: 2 published, 4 answers, response rate (2 + 1) / (3 + 1) = 75.0 %, 1 appeal. chamber1: S2 — 1, 2 answers,
100.0 %, no appeal.

Research reports: R1 survey, ended 2025-05-31, to 区委 2025-06-10, 批示 2025-07-01; R2 forum, ended 2025-09-30, to 区政府
2025-10-15; R3 ended 2024-11-30, to 区委、区政府 2025-01-05; R4 ended 2025-08-31, not submitted, 批示 2025-09-09; RO the
other district's. 2025: written 3 (R1 R2 R4), submitted 3 (R1 R2 R3), instructed 2 (R1 R4).

Articles: A1 municipal 2025-03-01 (person1, person2; ent1); A2 national 2025-08-01 (person1; ent1, ent2); A3 municipal
人物专访 2025-09-01 (nobody); A4 district 2024-05-01 (person2); AO the other district's 2025 (its person). 2025: 3
articles, 2 persons, 2 enterprises; municipal 2 (2 persons, 1 enterprise), national 1 (1, 2).

Rules (as of 2025-12-31): U1 work, in force since 2020; U2 meeting, adopted 2025-03-01, effective 2025-04-01; U3
finance since 2019, version 2 adopted 2025-06-01; U4 work since 2018, repealed 2025-09-01; U5 other, adopted
2025-12-20, effective 2026-01-01; UO the other district's. 2025: in force 3 (U1 U2 U3), adopted 2 (U2 U5), revised 1
(U3), repealed 1 (U4).

Partners: P1 since 2023-05-01 (agreement 2025-03-01; visits 来访 2025-04-01 8 people, 出访 2025-10-01 12); P2 since
2025-02-01 (来访 2025-06-01 5); P3 2020-01-01 → ended 2024-12-31 (来访 2024-03-01 6); PO the other district's. 2025:
partners 2, agreements 1, visits 3 (来访 2: 13 people, 出访 1: 12), 25 people.
"""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import services as appeal_services
from shanglian.appeals.models import Appeal, AppealCategory, Channel
from shanglian.common.periods import Period
from shanglian.communications.models import (
    Agreement,
    Notice,
    Response,
    ResponseAppeal,
    RuleVersion,
    Survey,
)
from shanglian.ui.figures import NO_DATA, YEAR_AGO, compute, format_value

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = Period.year(2025)


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def _sent(notice, when, *recipients):
    Notice.objects.filter(pk=notice.pk).update(sent_at=when)
    for enterprise, person, read in recipients:
        testing.make_notice_recipient(notice, enterprise, person=person, read_at=at(2025, 12, 1) if read else None)
    return notice


def _opened(survey, when, *recipients):
    Survey.objects.filter(pk=survey.pk).update(opened_at=when)
    for enterprise, person in recipients:
        testing.make_survey_recipient(survey, enterprise, person=person)
    return survey


def _answered(survey, enterprise, when, *, by=None, status="submitted"):
    response = testing.make_response(survey, enterprise, by=by, status=status)
    if status == "submitted":
        Response.objects.filter(pk=response.pk).update(submitted_at=when)
    return response


def build_dataset(cast):
    district, other, staff = cast.district, cast.other, cast.users.staff
    chamber1 = cast.chamber1
    e3 = testing.make_enterprise(district, name="天津河西问卷科技有限公司")
    sms = testing.make_person(district, name="赵短信")
    ent1b = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    other_staff = cast.users.outsider_staff

    notices = SimpleNamespace(
        n1=_sent(testing.make_notice(district, by=staff, status="sent"), at(2025, 3, 10),
                 (cast.ent1, None, True), (cast.ent2, None, False), (None, sms, False)),
        n2=_sent(testing.make_notice(district, by=cast.users.chamber1, status="sent", chamber=chamber1,
                                     audience="chamber", chamber_audience=chamber1), at(2025, 5, 1),
                 (cast.ent1, None, True)),
        n3=_sent(testing.make_notice(district, by=staff, status="withdrawn"), at(2025, 7, 1), (cast.ent1, None, True)),
        n4=testing.make_notice(district, by=staff),
        n5=_sent(testing.make_notice(district, by=staff, status="sent"), at(2024, 6, 1), (cast.ent2, None, False)),
        no=_sent(testing.make_notice(other, by=other_staff, status="sent"), at(2025, 4, 1),
                 (cast.ent_other, None, True)),
    )

    questions = [("single", "贵企业今年经营状况是否好转？")]
    s1 = _opened(testing.make_survey(district, by=staff, status="open", questions=questions), at(2025, 4, 1),
                 (cast.ent1, None), (cast.ent2, None), (e3, None), (None, sms))
    s2 = _opened(testing.make_survey(district, by=cast.users.chamber1, status="closed", chamber=chamber1,
                                     audience="chamber", chamber_audience=chamber1, respondent="person",
                                     questions=questions), at(2025, 6, 1), (cast.ent1, None))
    s4 = _opened(testing.make_survey(district, by=staff, status="closed", questions=questions), at(2024, 5, 1),
                 (cast.ent2, None))
    so = _opened(testing.make_survey(other, by=other_staff, status="open", questions=questions), at(2025, 4, 1),
                 (cast.ent_other, None))
    answer1 = _answered(s1, cast.ent1, at(2025, 4, 5), by=cast.users.ent1)
    _answered(s1, cast.ent2, at(2025, 4, 6))
    _answered(s1, e3, None, status="draft")
    _answered(s2, cast.ent1, at(2025, 6, 2), by=cast.users.ent1)
    _answered(s2, cast.ent1, at(2025, 6, 3), by=ent1b)
    _answered(so, cast.ent_other, at(2025, 4, 7))
    appeal = appeal_services.submit_appeal(actor=staff, enterprise=cast.ent1,
                                           category=AppealCategory.objects.get(code="finance"), title="融资难问题",
                                           content="问卷中反映融资难，请协调办理。", channel=Channel.SURVEY)
    Appeal.objects.filter(pk=appeal.pk).update(submitted_at=at(2025, 4, 10))
    ResponseAppeal.objects.create(response=answer1, appeal=appeal)
    surveys = SimpleNamespace(s1=s1, s2=s2, s3=testing.make_survey(district, by=staff, questions=questions), s4=s4,
                              so=so, appeal=appeal)

    reports = SimpleNamespace(
        r1=testing.make_report(district, period_end=date(2025, 5, 31), submitted_to="committee",
                               submitted_on=date(2025, 6, 10), instructed=True, instructed_by="区委书记",
                               instructed_on=date(2025, 7, 1)),
        r2=testing.make_report(district, method="forum", period_start=date(2025, 8, 1), period_end=date(2025, 9, 30),
                               submitted_to="government", submitted_on=date(2025, 10, 15)),
        r3=testing.make_report(district, period_start=date(2024, 9, 1), period_end=date(2024, 11, 30),
                               submitted_to="both", submitted_on=date(2025, 1, 5)),
        r4=testing.make_report(district, method="visit", period_start=date(2025, 7, 1), period_end=date(2025, 8, 31),
                               instructed=True, instructed_by="区长", instructed_on=date(2025, 9, 9)),
        ro=testing.make_report(other, period_end=date(2025, 5, 31), submitted_to="committee",
                               submitted_on=date(2025, 6, 1)),
    )

    person_other = testing.make_person(other, name="南开人物")
    articles = SimpleNamespace(
        a1=testing.make_article(district, level="municipal", published_on=date(2025, 3, 1),
                                persons=[cast.person1, cast.person2], enterprises=[cast.ent1]),
        a2=testing.make_article(district, level="national", outlet="人民日报", published_on=date(2025, 8, 1),
                                persons=[cast.person1], enterprises=[cast.ent1, cast.ent2]),
        a3=testing.make_article(district, level="municipal", kind="feature", published_on=date(2025, 9, 1)),
        a4=testing.make_article(district, level="district", published_on=date(2024, 5, 1), persons=[cast.person2]),
        ao=testing.make_article(other, published_on=date(2025, 5, 1), persons=[person_other]),
    )

    u3 = testing.make_rule(district, category="finance", adopted_on=date(2019, 1, 1), effective_from=date(2019, 1, 1))
    RuleVersion.objects.create(rule=u3, version=2, text="修订后的条文。", adopted_by="standing",
                               adopted_on=date(2025, 6, 1), effective_from=date(2025, 7, 1))
    rules = SimpleNamespace(
        u1=testing.make_rule(district, adopted_on=date(2020, 1, 10), effective_from=date(2020, 2, 1)),
        u2=testing.make_rule(district, category="meeting", adopted_on=date(2025, 3, 1),
                             effective_from=date(2025, 4, 1)),
        u3=u3,
        u4=testing.make_rule(district, adopted_on=date(2018, 1, 1), effective_from=date(2018, 1, 1),
                             repealed_on=date(2025, 9, 1), repeal_reason="已被新制度取代"),
        u5=testing.make_rule(district, category="other", adopted_on=date(2025, 12, 20),
                             effective_from=date(2026, 1, 1)),
        uo=testing.make_rule(other, adopted_on=date(2020, 1, 1), effective_from=date(2020, 1, 1)),
    )

    p1 = testing.make_partner(district, name="雄安新区工商联", since=date(2023, 5, 1))
    p2 = testing.make_partner(district, name="张家口市工商联", region="河北省张家口市", since=date(2025, 2, 1))
    p3 = testing.make_partner(district, name="某市旧友好商会", kind="chamber", region="山西省", since=date(2020, 1, 1),
                              ended_on=date(2024, 12, 31))
    po = testing.make_partner(other, name="南开友好工商联", since=date(2020, 1, 1))
    Agreement.objects.create(partner=p1, title="友好合作协议", signed_on=date(2025, 3, 1))
    testing.make_exchange(p1, direction="incoming", date_=date(2025, 4, 1), delegates=8)
    testing.make_exchange(p1, direction="outgoing", date_=date(2025, 10, 1), delegates=12)
    testing.make_exchange(p2, direction="incoming", date_=date(2025, 6, 1), delegates=5)
    testing.make_exchange(p3, direction="incoming", date_=date(2024, 3, 1), delegates=6)
    testing.make_exchange(po, direction="outgoing", date_=date(2025, 5, 1), delegates=30)
    partners = SimpleNamespace(p1=p1, p2=p2, p3=p3, po=po)

    return SimpleNamespace(e3=e3, sms=sms, ent1b=ent1b, notices=notices, surveys=surveys, reports=reports,
                           articles=articles, rules=rules, partners=partners)


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def value(key, user, period=YEAR, **kwargs):
    return compute(key, user=user, period=period, **kwargs).value


# --- notices ---------------------------------------------------------------------------------------------------
def test_notices_sent_leave_out_drafts_and_withdrawn_ones(cast, data):
    staff = cast.users.staff
    assert value("communications.notices_sent", staff) == 2
    records = compute("communications.notices_sent", user=staff, period=YEAR).records
    assert set(records) == {data.notices.n1, data.notices.n2}


def test_recipients_count_the_enterprises_and_the_sms_only_persons(cast, data):
    assert value("communications.notice_recipients", cast.users.staff) == 4
    assert value("communications.notice_reads", cast.users.staff) == 2


def test_the_read_rate_is_over_the_enterprises_reached(cast, data):
    figure = compute("communications.read_rate", user=cast.users.staff, period=YEAR)
    assert str(figure.value) == "66.7" and figure.records.count() == 3


def test_a_notice_figure_compares_with_a_year_earlier(cast, data):
    figure = compute("communications.notices_sent", user=cast.users.staff, period=YEAR, compare=YEAR_AGO)
    assert figure.year_ago == 1 and figure.year_ago_change == "+100.0%"


def test_a_chamber_secretary_counts_only_its_chambers_notices(cast, data):
    secretary = cast.users.chamber1
    assert value("communications.notices_sent", secretary) == 1
    assert value("communications.notice_recipients", secretary) == 1
    assert str(value("communications.read_rate", secretary)) == "100.0"
    assert value("communications.notices_sent", cast.users.chamber2) == 0


def test_the_read_rate_over_nothing_is_no_data(cast, data):
    assert format_value(value("communications.read_rate", cast.users.chamber2)) == NO_DATA


def test_notices_narrow_to_a_sender_and_an_audience(cast, data):
    staff = cast.users.staff
    assert value("communications.notices_sent", staff, chamber="none") == 1
    assert value("communications.notices_sent", staff, chamber=cast.chamber1.pk) == 1
    assert value("communications.notices_sent", staff, audience="chamber") == 1
    assert value("communications.notice_recipients", staff, audience="all") == 3
    with pytest.raises(Http404):
        compute("communications.notices_sent", user=staff, period=YEAR, audience="nobody")
    with pytest.raises(Http404):
        compute("communications.notices_sent", user=cast.users.chamber1, period=YEAR, chamber=cast.chamber2.pk)


def test_the_other_district_counts_its_own_notices(cast, data):
    assert value("communications.notices_sent", cast.users.outsider_staff) == 1


# --- surveys ---------------------------------------------------------------------------------------------------
def test_surveys_published_leave_out_the_drafts(cast, data):
    staff = cast.users.staff
    assert value("communications.surveys_opened", staff) == 2
    assert value("communications.surveys_opened", staff, period=Period.year(2024)) == 1
    assert value("communications.surveys_opened", staff, chamber=cast.chamber1.pk) == 1


def test_answers_count_the_submitted_ones_only(cast, data):
    assert value("communications.responses", cast.users.staff) == 4
    assert value("communications.responses", cast.users.staff, survey=data.surveys.s1.pk) == 2


def test_the_response_rate_counts_an_enterprise_once_and_no_sms_person(cast, data):
    figure = compute("communications.response_rate", user=cast.users.staff, period=YEAR)
    assert str(figure.value) == "75.0" and figure.records.count() == 4
    assert str(value("communications.response_rate", cast.users.staff, survey=data.surveys.s1.pk)) == "66.7"
    assert str(value("communications.response_rate", cast.users.staff, period=Period.year(2024))) == "0.0"


def test_appeals_opened_from_answers_are_counted(cast, data):
    figure = compute("communications.survey_appeals", user=cast.users.staff, period=YEAR)
    assert figure.value == 1 and list(figure.records) == [data.surveys.appeal]
    assert value("communications.survey_appeals", cast.users.staff, period=Period.year(2026)) == 0


def test_a_chamber_secretary_counts_only_its_surveys_and_its_members_answers(cast, data):
    secretary = cast.users.chamber1
    assert value("communications.surveys_opened", secretary) == 1
    assert value("communications.responses", secretary) == 2
    assert str(value("communications.response_rate", secretary)) == "100.0"
    assert value("communications.survey_appeals", secretary) == 0
    with pytest.raises(Http404):
        compute("communications.responses", user=secretary, period=YEAR, survey=data.surveys.s1.pk)


def test_open_surveys_are_a_state_of_today(cast, data):
    figure = compute("communications.surveys_open", user=cast.users.staff, period=YEAR, compare=True)
    assert figure.value == 1 and figure.year_ago is None


# --- research reports ------------------------------------------------------------------------------------------
def test_reports_written_submitted_and_instructed(cast, data):
    staff = cast.users.staff
    assert value("communications.reports_written", staff) == 3
    assert value("communications.reports_submitted", staff) == 3
    assert value("communications.reports_instructed", staff) == 2
    assert value("communications.reports_submitted", staff, destination="committee") == 1
    assert value("communications.reports_written", staff, method="forum") == 1
    with pytest.raises(Http404):
        compute("communications.reports_written", user=staff, period=YEAR, method="magic")


def test_a_chamber_secretary_has_no_research_reports(cast, data):
    with pytest.raises(PermissionDenied):
        compute("communications.reports_written", user=cast.users.chamber1, period=YEAR)


# --- publicity -------------------------------------------------------------------------------------------------
def test_articles_and_the_distinct_persons_and_enterprises_they_feature(cast, data):
    staff = cast.users.staff
    assert value("communications.articles", staff) == 3
    persons = compute("communications.persons_featured", user=staff, period=YEAR)
    assert persons.value == 2 and set(persons.records) == {cast.person1, cast.person2}
    assert value("communications.enterprises_featured", staff) == 2
    assert value("communications.articles", staff, level="municipal") == 2
    assert value("communications.persons_featured", staff, level="national") == 1
    assert value("communications.articles", staff, kind="feature") == 1
    assert value("communications.persons_featured", staff, period=Period.year(2024)) == 1


def test_a_chamber_secretary_reads_its_federations_publicity(cast, data):
    assert value("communications.articles", cast.users.chamber1) == 3
    assert value("communications.persons_featured", cast.users.outsider_staff) == 1


def test_an_unknown_outlet_level_is_a_404(cast, data):
    with pytest.raises(Http404):
        compute("communications.articles", user=cast.users.staff, period=YEAR, level="galactic")


# --- rules -----------------------------------------------------------------------------------------------------
def test_rules_in_force_at_the_periods_end(cast, data):
    staff = cast.users.staff
    figure = compute("communications.rules_in_force", user=staff, period=YEAR)
    assert set(figure.records) == {data.rules.u1, data.rules.u2, data.rules.u3}
    assert value("communications.rules_in_force", staff, period=Period.year(2024)) == 3  # U1, U3, U4
    assert value("communications.rules_in_force", staff, period=Period.year(2026)) == 4  # today: U5 came in


def test_rules_adopted_revised_and_repealed_in_the_period(cast, data):
    staff = cast.users.staff
    assert set(compute("communications.rules_adopted", user=staff, period=YEAR).records) == {data.rules.u2,
                                                                                            data.rules.u5}
    assert list(compute("communications.rules_revised", user=staff, period=YEAR).records) == [data.rules.u3]
    assert value("communications.rules_repealed", staff) == 1
    assert value("communications.rules_in_force", staff, category="work") == 1
    assert value("communications.rules_in_force", cast.users.chamber1) == 3


# --- partners --------------------------------------------------------------------------------------------------
def test_partners_agreements_and_visits(cast, data):
    staff = cast.users.staff
    assert set(compute("communications.partners", user=staff, period=YEAR).records) == {data.partners.p1,
                                                                                       data.partners.p2}
    assert value("communications.partners", staff, period=Period.year(2024)) == 1  # P1: P3 ended on the last day
    assert value("communications.agreements", staff) == 1
    assert value("communications.exchanges", staff) == 3
    assert value("communications.exchanges", staff, direction="incoming") == 2
    figure = compute("communications.exchange_delegates", user=staff, period=YEAR)
    assert figure.value == 25 and figure.records.count() == 3
    assert value("communications.exchange_delegates", staff, direction="outgoing") == 12
    with pytest.raises(Http404):
        compute("communications.exchanges", user=staff, period=YEAR, direction="sideways")


def test_a_chamber_secretary_has_no_partners(cast, data):
    with pytest.raises(PermissionDenied):
        compute("communications.partners", user=cast.users.chamber1, period=YEAR)
