"""`reports.values`: the one way the reports ask for a figure — a registered figure computed by its app for the
user (or the user seen from one of its districts), an external one read from what staff entered with its source,
the year's target and the gap, and the reason a value is missing."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from shanglian.common.periods import Period
from shanglian.reports import values
from shanglian.reports.models import ExternalIndicator, ExternalValue, FigureTarget, PeriodKind
from shanglian.testing import make_enterprise, make_membership

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


@pytest.fixture
def indicator(db):
    return ExternalIndicator.objects.create(code="test_value_added", name="测试增加值", unit="亿元",
                                            definition="区统计局发布的测试口径", source="区统计局")


def _members(federation, n, joined=date(2025, 3, 1)):
    for _ in range(n):
        make_membership(federation, make_enterprise(federation), joined=joined)


def test_a_registered_figure_is_the_apps_own_with_the_link_to_its_records(cast):
    _members(cast.district, 3)
    _members(cast.district, 2, joined=date(2024, 5, 1))
    reported = values.measure("members.joined", user=cast.users.staff, period=YEAR)
    assert reported.value == 3
    assert reported.figure.year_ago == 2
    assert reported.records_url.startswith("/reports/figures/members.joined/records/?year=2025")
    assert not reported.external and reported.missing == ""


def test_a_rate_over_nothing_is_no_data_with_its_reason(cast):
    reported = values.measure("welfare.village_coverage", user=cast.users.staff, period=YEAR)
    assert reported.value is None
    assert reported.display == "无数据"
    assert "分母为零" in reported.missing


def test_a_city_user_seen_from_one_district_counts_that_district_only(cast):
    from shanglian.accounts.roles import Role
    from shanglian.testing import make_user

    city_staff = make_user(Role.STAFF, federation=cast.city)
    _members(cast.district, 3)
    _members(cast.other, 2)
    whole = values.measure("members.joined", user=city_staff, period=YEAR).value
    district = values.measure("members.joined", user=city_staff, period=YEAR, federation=cast.district)
    other = values.measure("members.joined", user=city_staff, period=YEAR, federation=cast.other).value
    assert (whole, district.value, other) == (5, 3, 2)
    assert f"federation={cast.district.pk}" in district.records_url
    assert city_staff.federation == cast.city  # the user itself is left as it was


def test_a_district_user_cannot_be_seen_from_another_district(cast):
    with pytest.raises(Http404):
        values.measure("members.joined", user=cast.users.staff, period=YEAR, federation=cast.other)
    with pytest.raises(Http404):
        values.as_federation(cast.users.staff, cast.city)  # its parent is outside its scope too


def test_a_user_seen_from_a_district_cannot_be_saved(cast):
    from shanglian.accounts.roles import Role
    from shanglian.testing import make_user

    seen = values.as_federation(make_user(Role.STAFF, federation=cast.city), cast.district)
    with pytest.raises(RuntimeError):
        seen.save()


def test_an_external_value_is_read_with_its_source_and_its_comparisons(cast, indicator):
    for year, value in ((2024, "300.5"), (2025, "319.9500")):
        ExternalValue.objects.create(indicator=indicator, federation=cast.district, year=year, value=Decimal(value),
                                     source="区统计局年报")
    reported = values.measure("external.test_value_added", user=cast.users.staff, period=YEAR)
    assert (reported.value, reported.figure.year_ago, reported.figure.previous) == (
        Decimal("319.95"), Decimal("300.5"), Decimal("300.5"))
    assert reported.external and reported.source == "区统计局年报"
    assert reported.records_url == ""


def test_an_external_value_not_entered_is_no_data_and_says_so(cast, indicator):
    ExternalValue.objects.create(indicator=indicator, federation=cast.district, period_kind=PeriodKind.QUARTER,
                                 year=2025, number=1, value=Decimal("80"), source="区统计局")
    reported = values.measure("external.test_value_added", user=cast.users.staff, period=YEAR)
    assert reported.value is None and "尚未录入2025年的数值" in reported.missing
    quarter = values.measure("external.test_value_added", user=cast.users.staff, period=Period.quarter(2025, 1))
    assert quarter.value == 80
    other = values.measure("external.test_value_added", user=cast.users.outsider_staff, period=Period.quarter(2025, 1))
    assert other.value is None  # another federation's entry is not its own


def test_an_unknown_key_is_404(cast):
    with pytest.raises(Http404):
        values.measure("members.nothing_of_the_kind", user=cast.users.staff, period=YEAR)
    with pytest.raises(Http404):
        values.measure("external.nothing_of_the_kind", user=cast.users.staff, period=YEAR)


def test_the_gap_to_a_target_counts_towards_it_in_its_direction(cast):
    _members(cast.district, 3)
    FigureTarget.objects.create(federation=cast.district, key="members.joined", year=2025, value=Decimal("5"))
    reported = values.measure("members.joined", user=cast.users.staff, period=YEAR)
    assert (reported.gap, reported.met) == (Decimal("2"), False)
    at_most = FigureTarget(federation=cast.district, key="members.joined", year=2025, value=Decimal("5"),
                           direction=FigureTarget.Direction.AT_MOST)
    assert values.Reported(figure=reported.figure, target=at_most).met is True
    assert values.Reported(figure=reported.figure).gap is None
    targets = values.targets_of(cast.district, 2025)
    assert values.measure("members.joined", user=cast.users.staff, period=YEAR, targets=targets).gap == Decimal("2")


@pytest.mark.parametrize(("now", "before", "way"), [(3, 2, "up"), (1, 2, "down"), (2, 2, "flat"), (None, 2, None),
                                                    (Decimal("1.5"), None, None)])
def test_the_direction_of_a_change(now, before, way):
    assert values.direction(now, before) == way


def test_plain_numbers_drop_their_padding_and_never_read_as_exponents():
    assert str(values.plain(Decimal("1000.0000"))) == "1000"
    assert str(values.plain(Decimal("12.5000"))) == "12.5"
