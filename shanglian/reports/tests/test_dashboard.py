"""领导驾驶舱 and 数据大屏: the numbers are `values.measure`'s, the months add up to the figure month by month, the
query count does not grow with the records, the scope (roles, `?federation=`), targets and 无数据 on the page."""

import json
import re
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import Role
from shanglian.common.periods import Period
from shanglian.events.models import CheckIn
from shanglian.orgs.models import Federation
from shanglian.reports import dashboard, values
from shanglian.reports.models import FigureTarget
from shanglian.testing import (
    make_donation,
    make_enterprise,
    make_event,
    make_membership,
    make_person,
    make_street,
    make_user,
)

YEAR = 2025
PERIOD = Period.year(YEAR)
QUERY = {"year": YEAR}


def _at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _training(federation, day, attendees=()):
    event = make_event(federation, kind="training", starts_at=_at(day), status="closed")
    for person in attendees:
        CheckIn.objects.create(event=event, person=person, name=person.name, method=CheckIn.Method.MANUAL,
                               checked_in_at=_at(day, 11))
    return event


def _records(cast, n, *, month=3, streets=()):
    """n more enterprise members joining in `month` of YEAR (on the given streets in turn), a training with n
    attendees that month and a donation each."""
    people = []
    for i in range(n):
        street = streets[i % len(streets)] if streets else None
        enterprise = make_enterprise(cast.district, street=street)
        make_membership(cast.district, enterprise, joined=date(YEAR, month, 1 + i % 27))
        make_donation(enterprise, cash="10000", donated_on=date(YEAR, month, 2))
        people.append(make_person(cast.district, name=f"学员{month}{i}", enterprise=enterprise))
    _training(cast.district, date(YEAR, month, 15), people)


def _card_values(html):
    """{dom id: shown value} of the page's cards."""
    return {m.group(1): m.group(2).strip() for m in
            re.finditer(r'class="dash-card-value" id="((?:dash|headline)-[\w-]+)"[^>]*>([^<]*)<', html)}


def _page_data(html):
    return json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html,
                                re.S).group(1))


def test_the_cards_show_what_values_measure_computes(cast, login):
    _records(cast, 4, month=3, streets=[cast.street])
    _records(cast, 2, month=5)
    client = login(cast.users.staff)
    response = client.get(reverse("reports:dashboard"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    shown = _card_values(html)
    headline = dashboard.registered(dashboard.HEADLINE)
    keys = dashboard.registered(tuple(k for _, _, ks in dashboard.SECTIONS for k in ks))
    assert len(shown) == len(headline) + len(keys)
    for prefix, group in (("headline", headline), ("dash", keys)):
        for key in group:
            reported = values.measure(key, user=cast.users.staff, period=PERIOD)
            assert shown[dashboard.Card(reported, prefix=prefix).dom_id] == reported.display, key
    # every number links to its records
    reported = values.measure("members.joined", user=cast.users.staff, period=PERIOD)
    assert reported.value == 6
    assert f'href="{reported.records_url}"'.replace("&", "&amp;") in html


def test_a_leader_reads_the_same_dashboard(cast, login):
    _records(cast, 3)
    staff = _card_values(login(cast.users.staff).get(reverse("reports:dashboard"), QUERY).content.decode())
    leader = _card_values(login(cast.users.leader).get(reverse("reports:dashboard"), QUERY).content.decode())
    assert staff == leader


@pytest.mark.parametrize("name", ["chamber1", "dept1", "ent1", "auditor"])
@pytest.mark.parametrize("page", ["reports:dashboard", "reports:screen", "reports:street_map"])
def test_other_roles_are_refused(cast, login, name, page):
    assert login(getattr(cast.users, name)).get(reverse(page)).status_code == 403


def test_the_months_add_up_to_the_figure_month_by_month(cast):
    _records(cast, 3, month=2)
    _records(cast, 5, month=7)
    _records(cast, 1, month=12)
    board = dashboard.build(cast.users.staff, PERIOD)
    assert board.data["months"] == [f"{m}月" for m in range(1, 13)]
    for key in dashboard.MONTHLY:
        series = board.data[key]
        for month, number in enumerate(series, start=1):
            measured = values.measure(key, user=cast.users.staff, period=Period.month(YEAR, month), compare=False)
            assert number == measured.value, (key, month)
        assert sum(series) == values.measure(key, user=cast.users.staff, period=PERIOD, compare=False).value
    assert board.data["members.joined"][1] == 3 and board.data["members.joined"][6] == 5
    assert board.data["events.training_attendance"][6] == 5


def test_the_query_count_does_not_grow_with_the_records(cast, login):
    client = login(cast.users.staff)
    url = reverse("reports:dashboard")
    # Industries are concentrated at both sizes (the 商会覆盖率 threshold at one firm): a concentration that only
    # the grown district reaches would add its divisions' queries, a change of state and not of size.
    Federation.objects.filter(pk=cast.district.pk).update(chamber_coverage_threshold=1)
    _records(cast, 2, month=3, streets=[cast.street])
    client.get(url, QUERY)  # caches (sessions, dictionaries) warmed
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, QUERY).status_code == 200
    other_street = make_street(cast.district, name="马场街道")
    _records(cast, 12, month=4, streets=[cast.street, other_street])
    _records(cast, 9, month=9, streets=[other_street])
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, QUERY).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_streets_of_the_map_link_to_exactly_the_members_counted(cast):
    other_street = make_street(cast.district, name="马场街道")
    _records(cast, 3, month=3, streets=[other_street])
    board = dashboard.build(cast.users.staff, PERIOD)
    streets = {row["name"]: row for row in board.data["streets"]}
    assert streets["马场街道"]["value"] == 3
    assert streets["友谊路街道"]["value"] == 1  # ent1 of the cast
    reported = values.measure("members.by_street", user=cast.users.staff, period=PERIOD,
                              street=other_street.pk)
    assert reported.value == 3 and reported.records_url == streets["马场街道"]["url"]
    assert {m.enterprise.street_id for m in reported.figure.records} == {other_street.pk}


def test_a_rate_without_records_reads_no_data_with_its_reason(cast, login):
    html = login(cast.users.staff).get(reverse("reports:dashboard"), QUERY).content.decode()
    assert _card_values(html)["dash-appeals-satisfaction-rate"] == "无数据"
    assert values.MISSING_INTERNAL in html


def test_a_target_shows_with_its_gap(cast, login):
    FigureTarget.objects.create(federation=cast.district, key="members.joined", year=YEAR, value=Decimal("10"))
    _records(cast, 4)
    html = login(cast.users.staff).get(reverse("reports:dashboard"), QUERY).content.decode()
    assert "目标不低于10 个" in html and "差6 个" in html
    FigureTarget.objects.filter(key="members.joined").update(value=Decimal("3"))
    html = login(cast.users.staff).get(reverse("reports:dashboard"), QUERY).content.decode()
    assert "已达成" in html


def test_the_default_period_is_this_year_to_date_with_its_year_ago(cast, login):
    today = timezone.localdate()
    make_membership(cast.district, make_enterprise(cast.district), joined=date(today.year - 1, 1, 1))
    response = login(cast.users.staff).get(reverse("reports:dashboard"))
    board = response.context["board"]
    assert (board.period.start, board.period.end) == (date(today.year, 1, 1), today)
    card = next(card for card in board.headline if card.key == "members.joined")
    assert card.change is not None or card.reported.figure.year_ago == 0


def test_a_city_user_looks_at_one_district_and_a_district_only_at_itself(cast, login):
    _records(cast, 3)
    city_staff = make_user(Role.STAFF, federation=cast.city)
    client = login(city_staff)
    response = client.get(reverse("reports:dashboard"), {**QUERY, "federation": cast.district.pk})
    assert response.status_code == 200
    district = values.measure("members.in_force", user=city_staff, period=PERIOD, federation=cast.district)
    assert _card_values(response.content.decode())["headline-members-in-force"] == district.display
    whole = client.get(reverse("reports:dashboard"), QUERY)
    city = values.measure("members.in_force", user=city_staff, period=PERIOD)
    assert _card_values(whole.content.decode())["headline-members-in-force"] == city.display
    assert city.value == district.value + 1  # the other district's member
    assert "本区尚未配置街道地图" in whole.content.decode()  # no map of the city's streets is shipped
    staff = login(cast.users.staff)
    for bad in (cast.other.pk, cast.city.pk, "abc", "9" * 20, "-1"):
        assert staff.get(reverse("reports:dashboard"), {"federation": bad}).status_code == 404
        assert staff.get(reverse("reports:street_map"), {"federation": bad}).status_code == 404


def test_the_street_map_is_the_shipped_geojson_or_404(cast, login):
    response = login(cast.users.staff).get(reverse("reports:street_map"))
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["type"] == "FeatureCollection"
    html = login(cast.users.leader).get(reverse("reports:dashboard")).content.decode()
    assert 'data-dash-chart="map"' in html and reverse("reports:street_map") in html
    outsider = login(cast.users.outsider_staff)  # 南开区 (120104): no map shipped
    assert outsider.get(reverse("reports:street_map")).status_code == 404
    html = outsider.get(reverse("reports:dashboard")).content.decode()
    assert "本区尚未配置街道地图" in html and 'data-dash-chart="map"' not in html


def test_the_screen_has_no_navigation_and_refreshes_itself(cast, login):
    _records(cast, 2)
    response = login(cast.users.leader).get(reverse("reports:screen"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "主导航" not in html
    assert 'data-refresh="300"' in html and 'id="screen-fullscreen"' in html
    assert _card_values(html)["headline-members-joined"] == "2"
    assert "<script>" not in html and "style=" not in html  # CSP: no inline script or style


def test_the_dashboard_links_to_the_screen_for_the_same_period(cast, login):
    html = login(cast.users.staff).get(reverse("reports:dashboard"), {"year": YEAR, "quarter": 2}).content.decode()
    assert f'{reverse("reports:screen")}?year={YEAR}&amp;quarter=2' in html
    assert "<script>" not in html and " style=" not in html


def test_a_board_without_a_map_lists_the_streets_with_most_members_and_links_to_all(cast, login, monkeypatch):
    monkeypatch.setattr(dashboard, "STREETS_LISTED", 2)
    streets = [make_street(cast.district, name=f"测试{n}街道") for n in range(3)]
    for n, street in enumerate(streets):  # 1, 2 and 3 members
        _records(cast, n + 1, month=3, streets=[street])
    city_staff = make_user(Role.STAFF, federation=cast.city)  # the city has no map
    response = login(city_staff).get(reverse("reports:dashboard"), QUERY)
    data = response.context["board"].data
    assert [row["name"] for row in data["streets"]] == ["测试2街道", "测试1街道"]
    assert data["streetsTotal"] == 4  # with the cast's 友谊路街道
    html = response.content.decode()
    assert "共 4 个街道，此处列出在册企业会员最多的 2 个" in html
    assert f'href="{data["streetsAll"]}"'.replace("&", "&amp;") in html
    district = login(cast.users.staff).get(reverse("reports:dashboard"), QUERY).context["board"].data
    assert len(district["streets"]) == 4 and "streetsAll" not in district  # the district's map draws every street
