"""Appeal KPIs (DESIGN §3) on a hand-built dataset whose every expected figure is worked out by hand
below: overall, per department, per category, per month; the scopes; an empty period; the page, the
工作台 panel and the export.

The dataset (2025, all through the services, dates placed with time_machine; "d" = working days,
March and September 2025 have no holidays):

  A1  3 Mar  ent1 融资贷款 → dept1 (deadline 10 Mar); dept1 replies  5 Mar: on time, 2d; 满意 → closed
  A2  4 Mar  ent2 融资贷款 → dept2 (deadline set to 5 Mar); replies 6 Mar: LATE, 2d; 基本满意 → closed
  A3 10 Mar  ent1 政策咨询 → dept1 (deadline 11 Mar); replies 13 Mar: LATE, 3d; 不满意; reopened 14 Mar
             (new deadline 17 Mar); dept1 replies 17 Mar: on time, 1d; 基本满意 → closed
  A4 12 Mar  ent2 融资贷款, rejected
  A5  1 Sep  ent1 融资贷款 → dept1 + dept2 (deadline 8 Sep); dept1 replies 4 Sep: on time, 3d; dept2
             signed, has not replied → still 办理中, overdue on 15 Sep
  A6  2 Sep  ent2 投诉举报 → dept2 (deadline 16 Sep); replies 4 Sep: on time, 2d; 不满意 → stays 已答复
  A7  3 Mar  ent_other (another district) — outside every scope of the test federation

"Today" is 15 Sep 2025. ent1 is a member of chamber1, ent2 of chamber2. ent3 (chamber1 member, no
appeal) got an enterprise account on 1 Jun 2025; ent4 has an account that was deactivated.
"""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import figures, panels, services
from shanglian.appeals.models import Assignment, Channel, Rating, Status
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period

from .factories import category, department_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2025, 9, 15)
YEAR_2025 = Period.year(2025)


def at(month, day, hour=10):
    return time_machine.travel(datetime(2025, month, day, hour, 0, tzinfo=SHANGHAI), tick=False)


def now():
    return at(TODAY.month, TODAY.day)


def _submit(cast, enterprise, code, title):
    return services.submit_appeal(actor=cast.users.staff, enterprise=enterprise, category=category(code),
                                  title=title, content=f"{title}，请协调办理。", channel=Channel.PHONE)


def _dispatch(cast, appeal, departments, deadline=None):
    staff = cast.users.staff
    appeal = services.accept_appeal(actor=staff, appeal=appeal)
    appeal = services.dispatch_appeal(actor=staff, appeal=appeal, departments=departments, deadline=deadline)
    for department in departments:
        appeal = services.department_accept(actor=department_user(cast, department), appeal=appeal)
    return appeal


def _reply(cast, appeal, department):
    return services.reply_appeal(actor=department_user(cast, department), appeal=appeal,
                                 reply="经核实已按政策办理，详见答复。")


def _rate(cast, appeal, rating):
    return services.rate_appeal(actor=cast.users.staff, appeal=appeal, rating=rating,
                                comment="答复未解决问题" if rating == Rating.UNSATISFIED else "")


@pytest.fixture
def dataset(cast):
    staff = cast.users.staff
    dept1, dept2 = cast.dept1, cast.dept2
    d = SimpleNamespace()
    with at(3, 3):
        d.a1 = _dispatch(cast, _submit(cast, cast.ent1, "finance", "申请贷款贴息"), [dept1])
        d.a7 = services.submit_appeal(actor=cast.users.outsider_staff, enterprise=cast.ent_other,
                                      category=category("finance"), title="外区企业诉求", content="外区企业诉求内容",
                                      channel=Channel.PHONE)
    with at(3, 4):
        d.a2 = _dispatch(cast, _submit(cast, cast.ent2, "finance", "申请应急转贷"), [dept2], deadline="2025-03-05")
    with at(3, 5):
        d.a1 = _rate(cast, _reply(cast, d.a1, dept1), Rating.SATISFIED)
    with at(3, 6):
        d.a2 = _rate(cast, _reply(cast, d.a2, dept2), Rating.BASICALLY)
    with at(3, 10):
        d.a3 = _dispatch(cast, _submit(cast, cast.ent1, "consult", "咨询研发费用加计扣除"), [dept1])
    with at(3, 12):
        d.a4 = services.reject_appeal(actor=staff, appeal=_submit(cast, cast.ent2, "finance", "要求减免贷款"),
                                      reason="属于商业纠纷，请向法院起诉。")
    with at(3, 13):
        d.a3 = _rate(cast, _reply(cast, d.a3, dept1), Rating.UNSATISFIED)
    with at(3, 14):
        d.a3 = services.reopen_appeal(actor=staff, appeal=d.a3, reason="企业对答复不满意，请重新办理")
    with at(3, 17):
        d.a3 = _rate(cast, _reply(cast, d.a3, dept1), Rating.BASICALLY)
    with at(6, 1):
        d.ent3 = testing.make_enterprise(cast.district, name="天津友谊新材料有限公司", chamber=cast.chamber1)
        testing.make_user(Role.ENTERPRISE, username="ent3", enterprise=d.ent3)
        d.ent4 = testing.make_enterprise(cast.district, name="天津停用账号有限公司")
        ent4_user = testing.make_user(Role.ENTERPRISE, username="ent4", enterprise=d.ent4)
        ent4_user.is_active = False
        ent4_user.save(update_fields=["is_active"])
    with at(9, 1):
        d.a5 = _dispatch(cast, _submit(cast, cast.ent1, "finance", "申请首贷续贷"), [dept1, dept2])
    with at(9, 2):
        d.a6 = _dispatch(cast, _submit(cast, cast.ent2, "complaint", "投诉供电企业违规收费"), [dept2])
    with at(9, 4):
        d.a5 = _reply(cast, d.a5, dept1)
        d.a6 = _rate(cast, _reply(cast, d.a6, dept2), Rating.UNSATISFIED)
    return d


def rates(f):
    """The derived figures of a row, as shown."""
    return (f.closure_rate, f.on_time_rate, f.average_reply_days, f.satisfaction_score, f.satisfaction_rate)


def counts(f):
    return (f.received, f.accepted, f.closed, f.replied, f.replied_on_time, f.rated, f.overdue)


def D(text):
    return Decimal(text)


# --- the dataset is what the module docstring says ---------------------------------------------------
def test_dataset_is_as_described(dataset):
    d = dataset
    assert [d.a1.status, d.a2.status, d.a3.status, d.a4.status, d.a5.status, d.a6.status] == [
        Status.CLOSED, Status.CLOSED, Status.CLOSED, Status.REJECTED, Status.HANDLING, Status.REPLIED]
    replies = {(a.appeal_id, a.department.name, a.round): (a.replied_on_time, a.working_days_to_reply)
               for a in Assignment.objects.filter(replied_at__isnull=False).select_related("department")}
    assert replies == {
        (d.a1.pk, "区税务局", 0): (True, 2), (d.a2.pk, "区人社局", 0): (False, 2),
        (d.a3.pk, "区税务局", 0): (False, 3), (d.a3.pk, "区税务局", 1): (True, 1),
        (d.a5.pk, "区税务局", 0): (True, 3), (d.a6.pk, "区人社局", 0): (True, 2),
    }
    assert d.a5.deadline == date(2025, 9, 8) and d.a3.replied_on_time is True


# --- overall -----------------------------------------------------------------------------------------
def test_overall_figures_for_the_federation(dataset, cast):
    report = figures.kpi_report(cast.users.staff, YEAR_2025, today=TODAY)
    o = report.overall
    # received: A1–A6 = 6 (A7 is another district's); accepted: all but the rejected A4 = 5;
    # closed: A1, A2, A3 = 3; replied appeals (latest reply): A1 on time, A2 late, A3 on time (its
    # second reply), A6 on time = 4, 3 on time (A5 is not replied: dept2 still works on it);
    # rated: A1 满意, A2 基本满意, A3 基本满意 (the 不满意 was cleared by the reopen), A6 不满意 = 4;
    # overdue now: A5 (open, deadline 8 Sep < 15 Sep) = 1.
    assert counts(o) == (6, 5, 3, 4, 3, 4, 1)
    assert (o.satisfied, o.basically, o.unsatisfied) == (1, 2, 1)
    # 办结率 3/5 = 60.0%; 按时办理率 3/4 = 75.0%;
    # reply days over the six replied assignments: (2 + 2 + 3 + 1 + 3 + 2) / 6 = 13/6 = 2.1666… → 2.2;
    # 满意度 (100 + 80 + 80 + 0) / 4 = 65.0; 满意率 (1 + 2) / 4 = 75.0%.
    assert rates(o) == (D("60.0"), D("75.0"), D("2.2"), D("65.0"), D("75.0"))
    # 服务企业数: ent1, ent2 (appeals) + ent3 (active account since June) = 3; ent4's account is
    # inactive, ent_other is another district's.
    assert report.enterprises_enrolled == 3
    # The Suzhou 12345 four figures.
    assert report.headline == [("诉求总量", 6, ""), ("及时处办率", D("75.0"), "%"), ("办结率", D("60.0"), "%"),
                               ("满意率", D("75.0"), "%")]


def test_a_reopened_appeal_counts_by_its_latest_reply_overall_but_every_round_per_department(dataset, cast):
    report = figures.kpi_report(cast.users.staff, Period(date(2025, 3, 10), date(2025, 3, 10)), today=TODAY)
    # Only A3 was submitted on 10 Mar: overall it is one reply, on time (17 Mar); dept1 replied twice,
    # once late (13 Mar), once on time → 1/2 = 50.0%; reply days (3 + 1) / 2 = 2.0.
    assert (report.overall.replied, report.overall.replied_on_time, report.overall.on_time_rate) == (1, 1, D("100.0"))
    rows = {f.label: f for f in report.by_department}
    dept1 = rows["区税务局"]
    assert (dept1.label, dept1.replied, dept1.replied_on_time, dept1.on_time_rate) == ("区税务局", 2, 1, D("50.0"))
    assert dept1.average_reply_days == D("2.0")
    # 区人社局 had nothing submitted that day; its row is there for A5, overdue now whatever the period.
    assert counts(rows["区人社局"]) == (0, 0, 0, 0, 0, 0, 1)


# --- per department ----------------------------------------------------------------------------------
def test_figures_per_department(dataset, cast):
    rows = {f.label: f for f in figures.kpi_report(cast.users.staff, YEAR_2025, today=TODAY).by_department}
    assert list(rows) == ["区税务局", "区人社局"]
    dept1, dept2 = rows["区税务局"], rows["区人社局"]
    # 区税务局 holds A1, A3, A5: received 3, accepted 3, closed A1 + A3 = 2 → 办结率 2/3 = 66.666… → 66.7%;
    # its replies: A1 on time, A3 late, A3 (round 1) on time, A5 on time = 4, 3 on time → 75.0%;
    # reply days (2 + 3 + 1 + 3) / 4 = 9/4 = 2.25 → 2.3 (half up, not to even);
    # rated A1 满意 + A3 基本满意 = 2 → 满意度 (100 + 80) / 2 = 90.0, 满意率 2/2 = 100.0%;
    # overdue: A5 is overdue but dept1 has replied its part → 0.
    assert counts(dept1) == (3, 3, 2, 4, 3, 2, 0)
    assert rates(dept1) == (D("66.7"), D("75.0"), D("2.3"), D("90.0"), D("100.0"))
    # 区人社局 holds A2, A5, A6: received 3, accepted 3, closed A2 = 1 → 1/3 = 33.3%;
    # replies A2 late, A6 on time = 2, 1 on time → 50.0%; reply days (2 + 2) / 2 = 2.0;
    # rated A2 基本满意, A6 不满意 → (80 + 0) / 2 = 40.0, 满意率 1/2 = 50.0%; overdue: A5 → 1.
    assert counts(dept2) == (3, 3, 1, 2, 1, 2, 1)
    assert rates(dept2) == (D("33.3"), D("50.0"), D("2.0"), D("40.0"), D("50.0"))


# --- per category ------------------------------------------------------------------------------------
def test_figures_per_category(dataset, cast):
    rows = {f.label: f for f in figures.kpi_report(cast.users.staff, YEAR_2025, today=TODAY).by_category}
    # Dictionary order: 政策咨询 (1) before 融资贷款 (2) before 投诉举报 (10).
    assert list(rows) == ["政策咨询", "融资贷款", "投诉举报"]
    # 融资贷款: A1, A2, A4, A5 → received 4, accepted 3 (A4 rejected), closed A1 + A2 = 2 → 66.7%;
    # replied appeals A1 on time, A2 late → 1/2 = 50.0%; reply days A1 2, A2 2, A5(dept1) 3 → 7/3 =
    # 2.333… → 2.3; rated A1 100, A2 80 → 90.0, 满意率 100.0%; overdue A5 → 1.
    assert counts(rows["融资贷款"]) == (4, 3, 2, 2, 1, 2, 1)
    assert rates(rows["融资贷款"]) == (D("66.7"), D("50.0"), D("2.3"), D("90.0"), D("100.0"))
    # 政策咨询: A3 → 1, 1, closed 1 → 100.0%; latest reply on time → 100.0%; days (3 + 1) / 2 = 2.0;
    # 基本满意 → 80.0, 满意率 100.0%; overdue 0.
    assert counts(rows["政策咨询"]) == (1, 1, 1, 1, 1, 1, 0)
    assert rates(rows["政策咨询"]) == (D("100.0"), D("100.0"), D("2.0"), D("80.0"), D("100.0"))
    # 投诉举报: A6 → 1, 1, closed 0 → 0.0%; replied on time → 100.0%; 2 days → 2.0; 不满意 → 0.0 and
    # 满意率 0/1 = 0.0%; overdue 0.
    assert counts(rows["投诉举报"]) == (1, 1, 0, 1, 1, 1, 0)
    assert rates(rows["投诉举报"]) == (D("0.0"), D("100.0"), D("2.0"), D("0.0"), D("0.0"))


# --- per month ---------------------------------------------------------------------------------------
def test_figures_per_month(dataset, cast):
    months = figures.kpi_report(cast.users.staff, YEAR_2025, today=TODAY).by_month
    assert [f.label for f in months] == [f"2025年{m}月" for m in range(1, 10)]  # up to TODAY's month: none to come
    march, september = months[2], months[8]
    # March: A1–A4 → received 4, accepted 3, closed A1, A2, A3 = 3 → 3/3 = 100.0%;
    # replied A1 on time, A2 late, A3 on time → 2/3 = 66.666… → 66.7%;
    # reply days A1 2, A2 2, A3 3 and 1 → 8/4 = 2.0; rated 100, 80, 80 → 260/3 = 86.666… → 86.7,
    # 满意率 3/3 = 100.0%; overdue 0.
    assert counts(march) == (4, 3, 3, 3, 2, 3, 0)
    assert rates(march) == (D("100.0"), D("66.7"), D("2.0"), D("86.7"), D("100.0"))
    # September: A5, A6 → received 2, accepted 2, closed 0 → 0.0%; replied A6 on time → 100.0%;
    # reply days A5(dept1) 3, A6 2 → 2.5; rated A6 不满意 → 0.0, 满意率 0.0%; overdue A5 → 1.
    assert counts(september) == (2, 2, 0, 1, 1, 1, 1)
    assert rates(september) == (D("0.0"), D("100.0"), D("2.5"), D("0.0"), D("0.0"))
    # Every other month: nothing, and no rate at all ("无数据"), not 0.
    for month in months[:2] + months[3:8] + months[9:]:
        assert counts(month) == (0, 0, 0, 0, 0, 0, 0)
        assert rates(month) == (None, None, None, None, None)
    # The months add up to the year.
    assert sum(m.received for m in months) == 6 and sum(m.closed for m in months) == 3


# --- scopes ------------------------------------------------------------------------------------------
def test_department_sees_only_its_own_department(dataset, cast):
    report = figures.kpi_report(cast.users.dept1, YEAR_2025, today=TODAY)
    # dept1's scope is A1, A3, A5: received 3, accepted 3, closed 2 → 66.7%; replied appeals A1, A3
    # (both on time by their latest reply) → 100.0%; (A5 not replied as a whole);
    # its assignments' reply days (2 + 3 + 1 + 3) / 4 = 2.25 → 2.3; rated 100 + 80 → 90.0; overdue A5 → 1.
    assert counts(report.overall) == (3, 3, 2, 2, 2, 2, 1)
    assert rates(report.overall) == (D("66.7"), D("100.0"), D("2.3"), D("90.0"), D("100.0"))
    assert [f.label for f in report.by_department] == ["区税务局"]
    # 服务企业数 for a department: the enterprises of its appeals only (ent1) = 1.
    assert report.enterprises_enrolled == 1
    assert figures.department_figures(cast.users.dept1, YEAR_2025, today=TODAY) == report.by_department[0]


def test_chamber_sees_only_its_members_appeals(dataset, cast):
    report = figures.kpi_report(cast.users.chamber1, YEAR_2025, today=TODAY)
    # chamber1's member ent1 submitted A1, A3, A5: the same appeals as dept1's, so the same overall
    # counts; both departments appear (A5 went to dept2 too): dept2 received 1 (A5), overdue 1.
    assert counts(report.overall) == (3, 3, 2, 2, 2, 2, 1)
    rows = {f.label: f for f in report.by_department}
    assert counts(rows["区人社局"]) == (1, 1, 0, 0, 0, 0, 1)
    # 服务企业数: ent1 (appeals) + ent3 (member with an account) = 2.
    assert report.enterprises_enrolled == 2
    # chamber2's member ent2 submitted A2, A4, A6: received 3, accepted 2, closed 1 → 50.0%.
    other = figures.kpi_report(cast.users.chamber2, YEAR_2025, today=TODAY).overall
    assert (other.received, other.accepted, other.closed, other.closure_rate) == (3, 2, 1, D("50.0"))


def test_another_districts_staff_sees_only_their_own_appeals(dataset, cast):
    report = figures.kpi_report(cast.users.outsider_staff, YEAR_2025, today=TODAY)
    assert counts(report.overall) == (1, 0, 0, 0, 0, 0, 0) and report.by_department == []


def test_empty_period_gives_no_rates_and_counts_no_later_enrolment(dataset, cast):
    report = figures.kpi_report(cast.users.staff, Period.year(2024), today=TODAY)
    assert counts(report.overall)[:6] == (0, 0, 0, 0, 0, 0)
    assert report.overall.overdue == 1  # overdue now does not depend on the period
    assert rates(report.overall) == (None, None, None, None, None)
    # No appeal and no account existed by the end of 2024 (ent3's account dates from June 2025,
    # the cast's accounts from the day the test ran).
    assert report.enterprises_enrolled == 0
    assert report.by_category == [figures.Figures(label="融资贷款", key=report.by_category[0].key, overdue=1)]


# --- the page ----------------------------------------------------------------------------------------
def _get(login, user, url, **params):
    with now():
        client = login(user)
        return client.get(url, params)


def test_statistics_page_shows_the_figures(dataset, cast, login, django_assert_max_num_queries):
    with now():
        client = login(cast.users.staff)
        with django_assert_max_num_queries(25):
            response = client.get(reverse("appeals:statistics"), {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-kpi="诉求总量">6<' in html and 'data-kpi="及时处办率">75.0%<' in html
    assert 'data-kpi="办结率">60.0%<' in html and 'data-kpi="满意率">75.0%<' in html
    assert 'data-kpi="满意度">65.0分<' in html and 'data-kpi="服务企业数">3<' in html
    assert 'data-kpi="当前超期">1<' in html
    assert 'id="chart-appeal-months"' in html and 'id="chart-appeal-departments"' in html
    data = response.context["chart_data"]
    assert data["received"][2] == 4 and data["closed"][2] == 3 and data["score"][2] == 86.7
    assert data["departments"] == ["区税务局", "区人社局"] and data["onTime"] == [75.0, 50.0]
    assert '<script id="appeal-kpis" type="application/json">' in html
    assert "区税务局" in html and "外区企业诉求" not in html


def test_statistics_page_accepts_a_date_range(dataset, cast, login):
    response = _get(login, cast.users.staff, reverse("appeals:statistics"), start="2025-09-01", end="2025-09-30")
    assert response.context["report"].period == Period(date(2025, 9, 1), date(2025, 9, 30))
    assert response.context["report"].overall.received == 2
    assert "2025-09-01 至 2025-09-30" in response.content.decode()


def test_statistics_page_refuses_a_backwards_range_and_shows_the_current_year(dataset, cast, login):
    response = _get(login, cast.users.staff, reverse("appeals:statistics"), start="2025-09-30", end="2025-09-01")
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in response.content.decode()
    assert response.context["report"].period == YEAR_2025  # "today" is in 2025


def test_empty_period_shows_no_data_not_errors(dataset, cast, login):
    response = _get(login, cast.users.staff, reverse("appeals:statistics"), year=2024)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-kpi="诉求总量">0<' in html and 'data-kpi="及时处办率">无数据<' in html
    assert 'data-kpi="办结率">无数据<' in html and 'data-kpi="满意度">无数据<' in html
    assert 'id="chart-appeal-months"' not in html


def test_department_page_lists_only_its_department(dataset, cast, login):
    response = _get(login, cast.users.dept1, reverse("appeals:statistics"), year=2025)
    assert response.status_code == 200
    assert [f.label for f in response.context["report"].by_department] == ["区税务局"]
    html = response.content.decode()
    assert 'data-row="区税务局"' in html and 'data-row="区人社局"' not in html


def test_chamber_page_counts_only_its_members(dataset, cast, login):
    response = _get(login, cast.users.chamber1, reverse("appeals:statistics"), year=2025)
    assert response.status_code == 200 and 'data-kpi="诉求总量">3<' in response.content.decode()


@pytest.mark.parametrize("role", ["ent1", "auditor"])
def test_enterprise_and_auditor_are_refused(dataset, cast, login, role):
    for name in ("appeals:statistics", "appeals:statistics_export"):
        assert _get(login, getattr(cast.users, role), reverse(name)).status_code == 403


# --- the export --------------------------------------------------------------------------------------
def test_export_writes_the_four_sheets_and_an_audit_row(dataset, cast, login):
    response = _get(login, cast.users.staff, reverse("appeals:statistics_export"), year=2025)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["总体", "按部门", "按类别", "按月份"]
    overall = {row[0]: row[1] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overall["诉求总量"] == 6 and overall["办结率（%）"] == 60 and overall["满意度（百分制）"] == 65
    assert overall["及时处办率（按时办理率，%）"] == 75 and overall["服务企业数"] == 3
    departments = list(book["按部门"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in departments] == ["区税务局", "区人社局"]
    assert departments[0][4] == pytest.approx(66.7) and departments[0][8] == pytest.approx(2.3)
    months = list(book["按月份"].iter_rows(min_row=2, values_only=True))
    assert len(months) == 9 and months[0][4] == "无数据"  # January to September (the frozen today); January: no rate
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.username == "staff" and event.object_type == "appeals.statistics"
    assert event.detail["start"] == "2025-01-01" and event.detail["end"] == "2025-12-31"


def test_department_export_has_only_its_department(dataset, cast, login):
    response = _get(login, cast.users.dept1, reverse("appeals:statistics_export"), year=2025)
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert [row[0] for row in book["按部门"].iter_rows(min_row=2, values_only=True)] == ["区税务局"]


# --- the 工作台 panel ----------------------------------------------------------------------------------
def test_workbench_shows_this_years_figures_to_the_federation(dataset, cast, login):
    response = _get(login, cast.users.leader, reverse("workbench:home"))
    html = response.content.decode()
    assert 'id="home-kpis"' in html and 'data-kpi="诉求总量">6<' in html and 'data-kpi="满意率">75.0%<' in html
    assert 'id="chart-appeal-months"' in html and "echarts.min.js" in html
    panel = next(p for p in response.context["panels"] if p.template == "appeals/_home_kpis.html")
    assert panel.context["kpi_chart"]["received"][8] == 2  # September


def test_workbench_shows_a_department_its_own_figures(dataset, cast, login):
    html = _get(login, cast.users.dept1, reverse("workbench:home")).content.decode()
    # dept1's row of 2025 (see test_figures_per_department).
    assert 'id="home-kpis"' in html and 'data-kpi="诉求数">3<' in html and 'data-kpi="按时办理率">75.0%<' in html
    assert 'data-kpi="平均答复用时">2.3<' in html and "区人社局" not in html


def test_a_departments_cards_open_the_records_of_its_own_row(dataset, cast, login):
    """Each 查看明细 of a department's card opens its row's figure (the same value) and the records it
    counts: for 诉求数 and 当前超期 as many as the card says; for the rates the appeals behind them."""
    handler = cast.users.dept1
    with now():
        cards = {card.label: card for card in panels._department_cards(handler, YEAR_2025)}
    row = figures.department_figures(handler, YEAR_2025, today=TODAY)
    for label, card in cards.items():
        response = _get(login, handler, card.records_url)
        assert response.status_code == 200
        shown = response.context["page_obj"].paginator.count
        if label in ("诉求数", "当前超期"):
            assert shown == card.value, label
        assert card.value == getattr(row, dict((lbl, key) for key, lbl in panels.DEPARTMENT_CARDS)[label])
        title = f"（{YEAR_2025.label}）：{'—' if card.value is None else card.value}"
        assert title in response.content.decode(), label
    # dept1 replied its part of A5 (overdue as a whole, dept2 still holds it): nothing is late at dept1.
    assert cards["当前超期"].value == 0 and cards["诉求数"].value == 3
    # dept1's replies: A1, A3 (two rounds), A5 → 4 replies behind 75.0%, on the appeals A1, A3, A5.
    response = _get(login, handler, cards["按时办理率"].records_url)
    assert response.context["page_obj"].paginator.count == 3 and "75.0%" in response.content.decode()


def test_workbench_shows_no_kpis_to_the_auditor(dataset, cast, login):  # ent1 is sent to its H5 pages
    response = _get(login, cast.users.auditor, reverse("workbench:home"))
    assert response.status_code == 200 and 'id="home-kpis"' not in response.content.decode()


def test_workbench_shows_a_chamber_secretary_its_members_appeals_only(dataset, cast, login):
    """chamber1's members: ent1 (A1, A3 closed; A5 still 办理中 and past its deadline of 8 Sep)."""
    html = _get(login, cast.users.chamber1, reverse("workbench:home")).content.decode()
    assert "本商会会员诉求（2025年，截至9月15日）" in html
    assert 'data-kpi="诉求总量">3<' in html and 'data-kpi="满意率">100.0%<' in html and 'data-kpi="当前超期">1<' in html
    assert 'data-kpi="未办结">1<' in html and dataset.a5.number in html
    for other in (dataset.a2, dataset.a4, dataset.a6):  # ent2's appeals belong to chamber2
        assert other.number not in html
    assert 'id="chart-appeal-months"' not in html  # the months are the federation's


def test_a_chamber_without_open_appeals_sees_the_empty_state(dataset, cast, login):
    """chamber2's member ent2: A2 closed, A4 rejected, A6 replied — nothing open, nothing late."""
    html = _get(login, cast.users.chamber2, reverse("workbench:home")).content.decode()
    assert 'data-kpi="诉求总量">3<' in html and 'data-kpi="满意率">50.0%<' in html
    assert 'data-kpi="未办结">0<' in html and "本商会会员暂无未办结的诉求" in html
    assert dataset.a1.number not in html and dataset.a5.number not in html


def test_the_chamber_secretarys_overdue_card_opens_its_late_appeals(dataset, cast, login):
    response = _get(login, cast.users.chamber1, reverse("workbench:home"))
    panel = next(p for p in response.context["panels"] if p.template == "appeals/_home_kpis.html")
    overdue = next(card for card in panel.context["kpi_cards"] if card.key == "appeals.overdue")
    listed = _get(login, cast.users.chamber1, overdue.records_url)
    assert listed.context["page_obj"].paginator.count == 1 and dataset.a5.number in listed.content.decode()


def test_the_federations_cards_compare_with_the_same_days_a_year_earlier(dataset, cast, login):
    response = _get(login, cast.users.leader, reverse("workbench:home"))
    panel = next(p for p in response.context["panels"] if p.template == "appeals/_home_kpis.html")
    received = next(card for card in panel.context["kpi_cards"] if card.key == "appeals.received")
    assert received.period == Period.custom(date(2025, 1, 1), TODAY) and received.value == 6
    assert received.year_ago == 0 and received.previous is None  # 同比 only: 2024 had no appeals
    assert "start=2025-01-01" in received.records_url and "end=2025-09-15" in received.records_url
