"""The drill-down of the reports (`reports:records`): the records behind any figure — of several apps — are exactly
the records counted, in the user's scope, as a list page with an export; `?federation=` narrows a city to one of its
districts and anything else is 404; a chamber secretary, a department, an enterprise and the auditor are refused."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian.accounts.roles import Role
from shanglian.appeals.tests.factories import submit
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.events.models import CheckIn
from shanglian.reports import values
from shanglian.reports.models import ExternalIndicator, ExternalValue, PeriodKind
from shanglian.testing import (
    make_campaign,
    make_donation,
    make_enterprise,
    make_event,
    make_membership,
    make_person,
    make_proposal,
    make_user,
)

pytestmark = pytest.mark.django_db
YEAR = 2025


def _url(key, **params):
    params.setdefault("year", YEAR)
    return f"{reverse('reports:records', args=[key])}?" + "&".join(f"{k}={v}" for k, v in params.items())


def _listed(response):
    """The rows' first cells (序号 aside) of a list page: the record names."""
    return [row["cells"][0]["text"] for row in response.context["rows"]]


def _count(response):
    return response.context["paginator"].count


def _sheet_rows(response):
    book = load_workbook(BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


# --- exactly the records counted -------------------------------------------------------------------------------
def test_members_in_force_lists_exactly_the_memberships_counted(cast, login):
    joined_late = make_enterprise(cast.district, name="天津晚入会有限公司")
    make_membership(cast.district, joined_late, joined=date(2026, 6, 1))  # after the period: not counted
    left = make_enterprise(cast.district, name="天津已退会有限公司")
    make_membership(cast.district, left, joined=date(2021, 1, 1), left=date(2024, 5, 1), status="left",
                    left_reason="经营调整")
    counted = values.measure("members.in_force", user=cast.users.staff, period=Period.year(YEAR))
    response = login(cast.users.staff).get(_url("members.in_force"))
    assert response.status_code == 200
    numbers = {m.number for m in counted.figure.records}
    assert _count(response) == counted.value == len(numbers) == 4  # ent1, ent2, person1, chamber1 of the district
    assert set(_listed(response)) == numbers
    assert "HX-2020-0001" in numbers and "NK-2020-0001" not in numbers


def test_donor_enterprises_lists_each_donor_once_across_campaigns(cast, login):
    first, second = make_campaign(cast.district, name="春芽基金"), make_campaign(cast.district, name="乡村振兴")
    make_donation(cast.ent1, cash="1000", campaign=first, donated_on=date(YEAR, 3, 1))
    make_donation(cast.ent1, cash="500", campaign=second, donated_on=date(YEAR, 5, 1))
    make_donation(cast.ent2, cash="800", campaign=second, donated_on=date(YEAR, 6, 1))
    make_donation(cast.ent_other, cash="900", donated_on=date(YEAR, 6, 1))  # another district
    counted = values.measure("welfare.donor_enterprises", user=cast.users.staff, period=Period.year(YEAR))
    assert counted.value == 2
    response = login(cast.users.staff).get(_url("welfare.donor_enterprises"))
    assert response.status_code == 200
    assert _count(response) == 2
    page = response.content.decode()
    assert cast.ent1.name in page and cast.ent2.name in page and cast.ent_other.name not in page


def test_a_campaign_narrows_the_donations_and_a_malformed_id_is_404(cast, login):
    first, second = make_campaign(cast.district, name="春芽基金"), make_campaign(cast.district, name="乡村振兴")
    make_donation(cast.ent1, cash="1000", campaign=first, donated_on=date(YEAR, 3, 1))
    make_donation(cast.ent2, cash="800", campaign=second, donated_on=date(YEAR, 6, 1))
    client = login(cast.users.staff)
    assert _count(client.get(_url("welfare.donations"))) == 2
    assert _count(client.get(_url("welfare.donations", campaign=first.pk))) == 1
    assert client.get(_url("welfare.donations", campaign="abc")).status_code == 404
    assert client.get(_url("welfare.donations", campaign="1" * 20)).status_code == 404


def test_appeals_received_lists_the_appeals_of_the_period_in_scope(cast, login):
    this_year = timezone.localdate().year
    submit(cast)
    submit(cast, title="咨询融资担保政策")
    counted = values.measure("appeals.received", user=cast.users.staff, period=Period.year(this_year))
    response = login(cast.users.staff).get(_url("appeals.received", year=this_year))
    assert response.status_code == 200
    assert _count(response) == counted.value == 2
    assert set(_listed(response)) == {a.number for a in counted.figure.records}


def test_attendance_lists_the_checkins_of_the_events_held(cast, login):
    starts = timezone.make_aware(datetime(YEAR, 4, 10, 9))
    held = make_event(cast.district, starts_at=starts, status="finished")
    make_event(cast.district, starts_at=starts + timedelta(days=400), status="finished")  # next year
    for name, enterprise in (("王建国", cast.ent1), ("陈浙江", cast.ent2)):
        CheckIn.objects.create(event=held, enterprise=enterprise, name=name, method="manual",
                               checked_in_at=starts + timedelta(minutes=5))
    counted = values.measure("events.attendance", user=cast.users.staff, period=Period.year(YEAR))
    response = login(cast.users.staff).get(_url("events.attendance"))
    assert _count(response) == counted.value == 2
    assert set(_listed(response)) == {"王建国", "陈浙江"}


def test_proposals_list_the_proposals_filed_in_the_year(cast, login):
    person = make_person(cast.district, name="李代表")
    make_proposal(cast.district, year=YEAR, submitters=[person], title="关于优化营商环境的提案")
    make_proposal(cast.district, year=YEAR - 1, submitters=[person], title="上一年的提案")
    counted = values.measure("engagement.proposals", user=cast.users.staff, period=Period.year(YEAR))
    response = login(cast.users.staff).get(_url("engagement.proposals"))
    assert _count(response) == counted.value == 1
    assert "关于优化营商环境的提案" in response.content.decode()


def test_the_export_holds_every_record_and_is_audited(cast, login):
    response = login(cast.users.staff).get(_url("members.in_force", export="xlsx"))
    assert response.status_code == 200
    rows = _sheet_rows(response)
    assert rows[0][0] == "序号" and len(rows) - 1 == 4
    assert AuditEvent.objects.filter(action="export", object_type="reports.records").count() == 1


def test_an_external_figure_lists_the_value_entered_with_its_source(cast, login):
    indicator = ExternalIndicator.objects.create(code="test_records_value", name="测试增加值", unit="亿元",
                                                 definition="测试口径", source="区统计局")
    ExternalValue.objects.create(indicator=indicator, federation=cast.district, period_kind=PeriodKind.YEAR,
                                 year=YEAR, value=Decimal("338.64"), source="区统计局")
    client = login(cast.users.staff)
    response = client.get(_url(indicator.key))
    assert _count(response) == 1 and "338.64" in response.content.decode()
    missing = client.get(_url(indicator.key, year=YEAR + 1))
    assert _count(missing) == 0 and "尚未录入" in missing.content.decode()


# --- scope ------------------------------------------------------------------------------------------------------
def test_a_city_user_narrowed_to_a_district_sees_that_districts_records_only(cast, login):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    client = login(city_staff)
    whole = client.get(_url("members.in_force"))
    district = client.get(_url("members.in_force", federation=cast.district.pk))
    other = client.get(_url("members.in_force", federation=cast.other.pk))
    assert (_count(whole), _count(district), _count(other)) == (5, 4, 1)
    assert set(_listed(other)) == {"NK-2020-0001"}


@pytest.mark.parametrize("asked", ["other", "city", "abc", "9" * 20], ids=["other", "city", "text", "huge"])
def test_a_district_asking_for_another_federation_gets_404(cast, login, asked):
    federation = {"other": cast.other.pk, "city": cast.city.pk}.get(asked, asked)
    response = login(cast.users.staff).get(_url("members.in_force", federation=federation))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["chamber1", "dept1", "ent1", "auditor"])
def test_other_roles_are_refused(cast, login, who):
    assert login(getattr(cast.users, who)).get(_url("members.in_force")).status_code == 403


def test_the_leader_reads_the_records(cast, login):
    assert login(cast.users.leader).get(_url("members.in_force")).status_code == 200


def test_an_unknown_figure_is_404_and_an_unknown_parameter_is_ignored(cast, login):
    client = login(cast.users.staff)
    assert client.get(_url("members.nothing")).status_code == 404
    assert client.get(_url("external.nothing")).status_code == 404
    assert _count(client.get(_url("members.in_force", colour="red"))) == 4


def test_a_figure_that_needs_its_chamber_is_404_without_one_and_lists_it_with_one(cast, login):
    client = login(cast.users.staff)
    assert client.get(_url("members.by_chamber")).status_code == 404
    response = client.get(_url("members.by_chamber", chamber=cast.chamber1.pk))
    assert response.status_code == 200 and _count(response) == 1
