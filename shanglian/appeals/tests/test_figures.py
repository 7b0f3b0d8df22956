"""The appeal KPIs as registered figures, and the drill-down from 诉求统计 to the appeals behind a figure:
in the user's KPI scope only, refused to enterprise users and auditors."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from shanglian.appeals.models import Status
from shanglian.common.periods import Period
from shanglian.ui.figures import compute

from .factories import make_appeal, submit

RECORDS = reverse("appeals:figure_records")


@pytest.fixture
def appeals(cast):
    """ent1 (chamber1) has a closed appeal at dept1; ent2 (chamber2) a submitted one."""
    closed = make_appeal(cast, Status.CLOSED, title="申请稳岗补贴政策解读")
    other = submit(cast, actor=cast.users.staff, enterprise=cast.ent2, title="之江贸易的诉求")
    return closed, other


def _year():
    return Period.year(timezone.localdate().year)


def test_registered_figures_give_the_value_and_the_records_behind_it(cast, appeals):
    staff = cast.users.staff
    received = compute("appeals.received", user=staff, period=_year(), compare=True)
    assert received.value == 2 and set(received.records) == set(appeals)
    assert received.previous == 0 and received.year_ago == 0
    rate = compute("appeals.closure_rate", user=staff, period=_year())
    # closed 1 of the 1 accepted; the records are the denominator (the accepted appeal)
    assert str(rate.value) == "100.0" and list(rate.records) == [appeals[0]]
    assert compute("appeals.satisfaction_score", user=staff, period=_year()).value == 100
    assert compute("appeals.received", user=cast.users.chamber2, period=_year()).value == 1
    assert compute("appeals.received", user=staff, period=_year(), department=cast.dept1.pk).value == 1


def test_an_enterprise_user_gets_no_figure(cast, appeals):
    with pytest.raises(PermissionDenied):
        compute("appeals.received", user=cast.users.ent1, period=_year())


def test_drill_down_lists_the_appeals_of_the_users_scope(cast, appeals, login):
    html = login(cast.users.staff).get(RECORDS, {"figure": "appeals.received"}).content.decode()
    assert "申请稳岗补贴政策解读" in html and "之江贸易的诉求" in html and "诉求总量" in html
    html = login(cast.users.chamber2).get(RECORDS, {"figure": "appeals.received"}).content.decode()
    assert "之江贸易的诉求" in html and "申请稳岗补贴政策解读" not in html
    html = login(cast.users.chamber1).get(RECORDS, {"figure": "appeals.closure_rate"}).content.decode()
    assert "申请稳岗补贴政策解读" in html


def test_a_department_cannot_drill_into_another_departments_row(cast, appeals, login):
    html = login(cast.users.dept1).get(RECORDS, {"figure": "appeals.received",
                                                 "department": cast.dept2.pk}).content.decode()
    assert "申请稳岗补贴政策解读" not in html and "没有对应的记录" in html


@pytest.mark.parametrize("user", ["ent1", "auditor"])
def test_enterprise_and_auditor_are_refused_the_records(cast, appeals, login, user):
    assert login(getattr(cast.users, user)).get(RECORDS, {"figure": "appeals.received"}).status_code == 403


@pytest.mark.parametrize("query", [{"figure": "members.in_force"}, {"figure": "appeals.nothing"},
                                   {"figure": "appeals.received", "category": "x"}])
def test_a_figure_of_another_app_or_a_bad_row_is_not_found(cast, login, query):
    assert login(cast.users.staff).get(RECORDS, query).status_code == 404


def test_the_statistics_page_links_cards_and_rows_to_their_records(cast, appeals, login):
    year = timezone.localdate().year
    html = login(cast.users.staff).get(reverse("appeals:statistics"), {"year": year}).content.decode()
    assert f"{RECORDS}?figure=appeals.received&amp;year={year}" in html
    assert f"figure=appeals.received&amp;year={year}&amp;department={cast.dept1.pk}" in html
    assert 'data-chart="combo" data-source="appeal-kpis" data-categories="months"' in html


@pytest.mark.parametrize("user", ["staff", "chamber1"])
def test_the_member_registry_readers_may_list_the_enrolled_enterprises(cast, appeals, login, user):
    response = login(getattr(cast.users, user)).get(RECORDS, {"figure": "appeals.enterprises_enrolled"})
    assert response.status_code == 200 and cast.ent1.uscc in response.content.decode()


def test_a_department_may_not_list_the_enrolled_enterprises(cast, appeals, login):
    """A department has no access to the enterprise registry: no 统一社会信用代码 through the drill-down."""
    response = login(cast.users.dept1).get(RECORDS, {"figure": "appeals.enterprises_enrolled"})
    assert response.status_code == 403 and cast.ent1.uscc not in response.content.decode()


def test_the_months_of_this_year_stop_at_this_month(cast, appeals):
    """诉求统计 shows no month that has not begun yet (no row of zeros in the table or the chart)."""
    from shanglian.appeals import figures

    today = timezone.localdate()
    months = figures.by_month(figures.kpi_scope(cast.users.staff), Period.year(today.year), today=today)
    assert [row.label for row in months] == [f"{today.year}年{m}月" for m in range(1, today.month + 1)]
    last_year = figures.by_month(figures.kpi_scope(cast.users.staff), Period.year(today.year - 1), today=today)
    assert len(last_year) == 12
