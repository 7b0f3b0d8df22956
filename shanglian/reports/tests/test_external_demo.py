"""The demo's external values (reports/demo.py, builder "reports_external"): the demo district's values of every
shipped indicator for the last three full years, each with its source and the document it comes from; growth rates
that agree with the counts they describe; the quarters so far; the same day gives the same values."""

from datetime import date
from decimal import Decimal

import pytest

from shanglian.common.periods import Period
from shanglian.demo import registry
from shanglian.reports import demo, values
from shanglian.reports.models import ExternalIndicator, ExternalValue, PeriodKind

pytestmark = pytest.mark.django_db

TODAY = date(2026, 8, 15)


@pytest.fixture
def built(cast):
    result = type("Result", (), {"federation": cast.district, "users": {"staff": cast.users.staff}})()
    return demo.build_external(result, today=TODAY)


def test_every_shipped_indicator_has_the_last_three_years_with_sources(cast, built):
    years = {2023, 2024, 2025}
    for indicator in ExternalIndicator.objects.all():
        yearly = ExternalValue.objects.filter(indicator=indicator, period_kind=PeriodKind.YEAR)
        assert set(yearly.values_list("year", flat=True)) == years, indicator.code
        assert set(yearly.values_list("source", flat=True)) == {indicator.source}
    assert all(v.note and v.federation_id == cast.district.pk for v in built)


def test_the_values_are_realistic_and_the_growth_rates_agree_with_the_counts(cast, built):
    def value(code, year):
        return ExternalValue.objects.get(indicator__code=code, period_kind="year", year=year).value

    assert Decimal(250) < value("private_value_added", 2025) < Decimal(400)  # ~300 亿元
    firms = value("private_enterprises", 2025), value("private_enterprises", 2024)
    expected = ((firms[0] / firms[1] - 1) * 100).quantize(Decimal("0.01"))
    assert value("private_enterprises_growth", 2025) == expected
    reported = values.measure("external.private_value_added", user=cast.users.leader, period=Period.year(2025))
    assert reported.value == Decimal("338.64") and reported.figure.year_ago == Decimal("319.95")
    assert reported.source == "区统计局"


def test_the_quarters_of_the_year_before_sum_to_its_value_and_this_years_stop_at_the_last_finished(built):
    quarters = ExternalValue.objects.filter(indicator__code="private_value_added", period_kind="quarter")
    last_year = list(quarters.filter(year=2025).order_by("number").values_list("value", flat=True))
    assert len(last_year) == 4 and sum(last_year) == Decimal("338.64")
    assert list(quarters.filter(year=2026).values_list("number", flat=True).order_by("number")) == [1, 2]


def test_the_same_day_gives_the_same_plan_and_the_builder_is_registered():
    assert demo.external_plan(TODAY) == demo.external_plan(TODAY)
    assert demo.external_plan(date(2027, 1, 1))[0][2] == 2024  # follows the day
    registry.discover()
    builder = registry.builders()["reports_external"]
    assert builder.after == ("members",) and builder.counts is demo.counts_external
