"""工作报告引用指标: the mapping of the 92 quotes of the seed reports (data/seed-figures.tsv + data/quoted.toml) — every
row covered in order, every key registered and taking its keywords, every external indicator shipped — and the seeds'
own examples computed end to end through `values.measure` on a hand-built dataset."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from shanglian.common.periods import Period
from shanglian.reports import quoted, values
from shanglian.testing import (
    make_campaign,
    make_chamber,
    make_donation,
    make_enterprise,
    make_membership,
    make_pairing,
    make_person,
    make_village,
)

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)
SHARED_TSV = Path(settings.BASE_DIR).parent / "shared" / "data" / "seed-figures.tsv"


def _row(rows, text, key=None):
    """The measured row of the quote `text` (and of `key`, when a quote is mapped twice)."""
    found = [row for row in rows if row.quote.quote == text and (key is None or row.quote.key == key)]
    assert len(found) == 1, text
    return found[0]


# --- the mapping ---------------------------------------------------------------------------------------------------
def test_the_mapping_covers_every_row_of_the_seed_figures_in_order():
    quotes = quoted.load()
    lines = quoted.SEED_FIGURES.read_text(encoding="utf-8").splitlines()[1:]
    assert len(quotes) == len(lines) == 92
    assert [(q.seed, q.quote, q.value) for q in quotes] == [tuple(line.split("\t")[:3]) for line in lines]
    assert [q.number for q in quotes] == list(range(1, 93))
    assert len(quoted.seeds(quotes)) == 5
    assert all(q.seed_title for q in quotes)


def test_the_copy_of_the_seed_figures_is_the_shared_list():
    copy = quoted.SEED_FIGURES.read_text(encoding="utf-8")
    assert copy.startswith("seed\tquote\tvalue\t")
    if SHARED_TSV.exists():  # a clone without the shared folder beside it keeps the copy only
        assert copy == SHARED_TSV.read_text(encoding="utf-8")


def test_every_quote_is_computed_external_or_not_a_figure_and_the_counts_add_up():
    quotes = quoted.load()
    counted = quoted.counts(quotes)
    assert counted == {quoted.COMPUTED: 65, quoted.EXTERNAL: 14, quoted.NOT_HELD: 13}
    assert sum(counted.values()) == 92
    for quote in quotes:
        if quote.kind == quoted.COMPUTED:
            assert quote.period in quoted.PERIODS and not quote.external and not quote.not_held
        elif quote.kind == quoted.EXTERNAL:
            assert quote.figure_key == f"external.{quote.external}" and not quote.kwargs
        else:
            assert quote.not_held.endswith("。") and quote.figure_key == ""


def test_every_key_is_registered_takes_its_keywords_and_every_indicator_is_shipped():
    assert quoted.problems() == []


def test_every_computed_quote_computes_for_staff_with_its_keywords(cast):
    rows = quoted.measured(cast.users.staff, YEAR)
    assert len(rows) == 92
    for row in rows:
        if row.quote.kind == quoted.NOT_HELD:
            assert row.reported is None and row.display == "" and row.explanation.startswith(row.quote.not_held[:-1])
        else:
            assert row.reported is not None, (row.quote.number, row.reason)
            assert row.reported.key == row.quote.figure_key
            assert row.reported.external == (row.quote.kind == quoted.EXTERNAL)
            if row.value is None:
                assert row.display == "无数据" and "无数据：" in row.explanation


def test_a_quote_over_several_years_is_computed_over_them():
    three = next(q for q in quoted.load() if q.quote.startswith("近三年"))
    assert three.years == 3
    assert three.period_for(YEAR) == Period.custom(date(2023, 1, 1), date(2025, 12, 31))
    assert three.period_for(Period.quarter(2025, 2)).end == date(2025, 6, 30)
    one = next(q for q in quoted.load() if q.quote == "企业会员316家")
    assert one.period_for(YEAR) is YEAR


def _texts(entry):
    header = "seed\tquote\tvalue\trecords needed to compute it\n"
    tsv = header + "s.txt\t会员880个\t880个\t在册会员\n"
    return tsv, '[seeds]\n"s.txt" = "报告"\n[[quote]]\nseed = "s.txt"\nquote = "会员880个"\n' + entry


@pytest.mark.parametrize("entry", [
    'key = "members.in_force"\nexternal = "private_capital"\nperiod = "as_of"\n',  # two sources
    "",  # none
    'key = "members.in_force"\nperiod = "today"\n',  # no such period
    'key = "members.in_force"\nperiod = "year"\nyears = 0\n',
    'external = "private_capital"\nperiod = "year"\n',  # a period belongs to a key
    'key = "members.in_force"\nperiod = "year"\nkwargs = { kind = { dictionary = "event_kind" } }\n',
    'key = "members.in_force"\nperiod = "year"\nkwargs = { kind = true }\n',
    'key = "members.in_force"\nperiod = "year"\nvalue = "880"\n',  # unknown field
])
def test_a_malformed_entry_is_refused(entry):
    with pytest.raises(quoted.QuotedError):
        quoted.parse(*_texts(entry))


def test_an_entry_that_does_not_match_its_row_is_refused():
    tsv, toml = _texts('key = "members.in_force"\nperiod = "as_of"\n')
    assert quoted.parse(tsv, toml)[0].key == "members.in_force"
    with pytest.raises(quoted.QuotedError):
        quoted.parse(tsv, toml.replace('quote = "会员880个"', 'quote = "会员900个"'))
    with pytest.raises(quoted.QuotedError):
        quoted.parse(tsv + "s.txt\t企业会员316家\t316家\t在册会员\n", toml)  # a row without its entry


def test_problems_name_an_unregistered_key_an_unknown_keyword_and_a_missing_indicator():
    tsv, toml = _texts('key = "members.no_such_figure"\nperiod = "as_of"\n')
    assert "not a registered figure" in quoted.problems(quoted.parse(tsv, toml))[0]
    tsv, toml = _texts('key = "members.in_force"\nperiod = "as_of"\nkwargs = { colour = "red" }\n')
    assert "takes no keyword 'colour'" in quoted.problems(quoted.parse(tsv, toml))[0]
    tsv, toml = _texts('key = "events.held"\nperiod = "year"\n'
                       'kwargs = { kind = { dictionary = "event_kind", code = "no_such_kind" } }\n')
    assert "no dictionary item event_kind/no_such_kind" in quoted.problems(quoted.parse(tsv, toml))[0]
    tsv, toml = _texts('external = "no_such_indicator"\n')
    assert "no external indicator" in quoted.problems(quoted.parse(tsv, toml))[0]


def test_an_unregistered_key_reads_no_data_with_its_reason_not_an_error(cast):
    tsv, toml = _texts('key = "members.no_such_figure"\nperiod = "as_of"\n')
    [row] = quoted.measured(cast.users.staff, YEAR, quotes=quoted.parse(tsv, toml))
    assert row.reported is None and row.display == "无数据"
    assert row.explanation == f"无数据：{quoted.NOT_REGISTERED}"


# --- the seeds' own examples, end to end -------------------------------------------------------------------------
def test_316_enterprise_20_group_and_564_individual_members_in_force_are_900(cast):
    # the cast holds 2 enterprise, 1 group and 1 individual membership of the district in force since 2020
    joined = date(2025, 2, 1)
    for _ in range(316 - 2):
        make_membership(cast.district, make_enterprise(cast.district), joined=joined)
    for _ in range(20 - 1):
        make_membership(cast.district, make_chamber(cast.district, kind="other"), joined=joined)
    for n in range(564 - 1):
        make_membership(cast.district, make_person(cast.district, name=f"会员{n}"), joined=joined)
    # not counted: one that left before the year end, one that joins after it, one of the other district
    make_membership(cast.district, make_enterprise(cast.district), joined=joined, status="left",
                    left=date(2025, 6, 30), left_reason="企业注销")
    make_membership(cast.district, make_enterprise(cast.district), joined=date(2026, 1, 5))

    staff = cast.users.staff
    assert values.measure("members.in_force", user=staff, period=YEAR).value == 316 + 20 + 564 == 900
    assert values.measure("members.in_force.enterprise", user=staff, period=YEAR).value == 316
    assert values.measure("members.in_force.group", user=staff, period=YEAR).value == 20
    assert values.measure("members.in_force.individual", user=staff, period=YEAR).value == 564

    rows = quoted.measured(staff, YEAR)
    total = _row(rows, "我区有工商联会员880个")
    assert (total.value, total.display, total.quote.value) == (900, "900个", "880个")
    assert total.reported.records_url.startswith("/reports/figures/members.in_force/records/?year=2025")
    assert _row(rows, "企业会员316家").value == 316
    assert _row(rows, "团体会员20个").value == 20
    assert _row(rows, "个人会员564个").value == 564


def test_two_of_three_target_villages_paired_is_a_coverage_of_66_7(cast):
    paired = [make_village(cast.district), make_village(cast.district)]
    make_village(cast.district)  # a target village without a pairing
    make_village(cast.district, is_target=False)  # not a target: not counted
    make_pairing(cast.ent1, paired[0], start=date(2024, 5, 1))
    make_pairing(cast.chamber1, paired[1], start=date(2025, 3, 1))
    make_pairing(cast.ent2, paired[1], start=date(2025, 4, 1))  # a village paired twice is one village

    reported = values.measure("welfare.village_coverage", user=cast.users.staff, period=YEAR)
    assert reported.value == Decimal("66.7")  # 2 ÷ 3, one decimal, half up
    row = _row(quoted.measured(cast.users.staff, YEAR), "实现河西区对口帮扶的159个贫困村全覆盖")
    assert row.display == "66.7%"
    assert row.reported.figure.records.count() == 3  # the denominator: the three target villages


def test_no_target_village_is_no_data_with_the_reason_never_zero(cast):
    row = _row(quoted.measured(cast.users.staff, YEAR), "实现河西区对口帮扶的159个贫困村全覆盖")
    assert row.value is None and row.display == "无数据"
    assert row.explanation.startswith("无数据：统计期内没有可据以计算的记录")


def test_a_donor_enterprise_giving_to_two_campaigns_is_counted_once(cast):
    epidemic = make_campaign(cast.district, kind="epidemic")
    flood = make_campaign(cast.district, kind="disaster")
    make_donation(cast.ent1, cash="300000", campaign=epidemic, donated_on=date(2025, 2, 10))
    make_donation(cast.ent1, cash="100000", goods_value="50000", goods_description="救灾物资", campaign=flood, donated_on=date(2025, 7, 22))
    make_donation(cast.ent1, cash="999999", campaign=flood, donated_on=date(2024, 7, 22))  # another year
    make_donation(cast.person1, cash="20000", campaign=flood, donated_on=date(2025, 7, 23))  # not an enterprise

    staff = cast.users.staff
    assert values.measure("welfare.donor_enterprises", user=staff, period=YEAR).value == 1
    rows = quoted.measured(staff, YEAR)
    assert _row(rows, "436家民营企业捐款捐物").value == 1
    # 30 + 10 + 5 + 2 万元 in 2025, whoever gave
    assert _row(rows, "捐款捐物658万元").display == "47.00万元"
    # 疫情防控 only: the enterprise once, 30 万元; 灾害救助: 17 万元
    assert _row(rows, "24家会员企业累计为抗击疫情捐款捐物260余万元", "welfare.donor_enterprises").value == 1
    assert _row(rows, "24家会员企业累计为抗击疫情捐款捐物260余万元", "welfare.total").display == "30.00万元"
    assert _row(rows, "以及河南洪灾捐款捐物近200万元").display == "17.00万元"


def test_an_external_quote_reads_the_entered_value_with_its_source(cast):
    from shanglian.reports.models import ExternalIndicator, ExternalValue

    indicator = ExternalIndicator.objects.get(code="private_value_added")
    ExternalValue.objects.create(indicator=indicator, federation=cast.district, year=2025, value="319.95",
                                 source="区统计局（2025年统计公报）")
    rows = quoted.measured(cast.users.staff, YEAR)
    row = _row(rows, "2018年民营经济实现增加值319.95亿元")
    assert (row.display, row.reported.external) == ("319.95亿元", True)
    assert "外部数据 · 来源：区统计局（2025年统计公报）" in row.explanation
    missing = _row(rows, "较2016年增长28%")
    assert missing.display == "无数据" and "尚未录入2025年的数值" in missing.explanation
    # a district's value is its own: the other district sees nothing entered
    assert _row(quoted.measured(cast.users.outsider_staff, YEAR), "2018年民营经济实现增加值319.95亿元").value is None


def test_a_city_sees_one_district_and_a_district_not_another(cast):
    from django.http import Http404

    from shanglian.accounts.roles import Role
    from shanglian.testing import make_user

    make_membership(cast.other, make_enterprise(cast.other), joined=date(2025, 3, 1))
    city = make_user(Role.STAFF, federation=cast.city)
    whole = _row(quoted.measured(city, YEAR), "企业会员316家").value
    other = _row(quoted.measured(city, YEAR, federation=cast.other), "企业会员316家")
    district = _row(quoted.measured(city, YEAR, federation=cast.district), "企业会员316家").value
    assert (whole, district, other.value) == (4, 2, 2)
    assert f"federation={cast.other.pk}" in other.reported.records_url
    with pytest.raises(Http404):
        quoted.measured(cast.users.staff, YEAR, federation=cast.other)
