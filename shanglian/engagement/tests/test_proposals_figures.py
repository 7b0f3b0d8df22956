"""Proposals' figures on a hand-built dataset, the answers computed by hand: proposals per year, the adoption rate
(已采纳 ÷ 已采纳 + 未采纳; 无数据 over nothing decided, never 0% or an error), the measures, each in the user's scope;
and the statistics page's sections built from them."""

from datetime import date

import pytest
from django.template.loader import render_to_string

from shanglian import testing
from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.engagement.figures import proposals as figures
from shanglian.engagement.models import Proposal
from shanglian.ui.figures import compute, gather_chart_data

S = Proposal.Status
K = Proposal.Kind


@pytest.fixture
def book(cast):
    """2023: A 提案 adopted (王建国, with a measure), B 建议 not adopted (the federation), C 提案 replied;
    2024: D 议案 adopted (chamber 1, with a measure), E 社情民意 adopted without a measure (陈浙江), F 提案 not adopted
    (王建国 and 陈浙江), G 建议 submitted (the federation), and a draft; 2025: H 提案 handling.
    Another federation's 2024 proposal, adopted."""
    fed, topic = cast.district, DictItem.objects.get(kind="proposal_topic", code="finance")

    def make(year, kind, status, **fields):
        return testing.make_proposal(fed, year=year, kind=kind, status=status, **fields)

    return {
        "A": make(2023, K.PROPOSAL, S.ADOPTED, submitters=[cast.person1], measure="设立应急转贷资金", topic=topic,
                  decided_on=date(2023, 9, 1)),
        "B": make(2023, K.SUGGESTION, S.NOT_ADOPTED, body="federation", decline_reason="已有政策"),
        "C": make(2023, K.PROPOSAL, S.REPLIED, submitters=[cast.person1]),
        "D": make(2024, K.MOTION, S.ADOPTED, body="chamber", chamber=cast.chamber1, measure="开通融资服务专窗",
                  topic=topic, decided_on=date(2024, 10, 1)),
        "E": make(2024, K.OPINION, S.ADOPTED, submitters=[cast.person2]),
        "F": make(2024, K.PROPOSAL, S.NOT_ADOPTED, submitters=[cast.person1, cast.person2], decline_reason="条件不成熟"),
        "G": make(2024, K.SUGGESTION, S.SUBMITTED, body="federation"),
        "draft": make(2024, K.PROPOSAL, S.DRAFT, submitters=[cast.person1]),
        "H": make(2025, K.PROPOSAL, S.HANDLING, submitters=[cast.person2]),
        "other": testing.make_proposal(cast.other, year=2024, status=S.ADOPTED, body="federation", measure="外区举措"),
    }


def value(key, user, period):
    return compute(key, user=user, period=period).value


def test_proposals_per_year_count_the_submitted_ones_of_the_year_in_scope(cast, book):
    staff = cast.users.staff
    assert [value("engagement.proposals", staff, Period.year(y)) for y in (2022, 2023, 2024, 2025)] == [0, 3, 4, 1]
    records = compute("engagement.proposals", user=staff, period=Period.year(2024)).records
    assert set(records) == {book["D"], book["E"], book["F"], book["G"]}  # not the draft, not the other federation's
    assert value("engagement.proposals", staff, Period.custom(date(2023, 1, 1), date(2024, 12, 31))) == 7
    assert value("engagement.proposals", cast.users.outsider_staff, Period.year(2024)) == 1


def test_the_adoption_rate_is_adopted_over_decided(cast, book):
    staff = cast.users.staff
    assert value("engagement.adoption_rate", staff, Period.year(2023)) == pytest.approx(50.0)  # A of A, B
    rate_2024 = compute("engagement.adoption_rate", user=staff, period=Period.year(2024))
    assert float(rate_2024.value) == 66.7  # D, E of D, E, F: 2 ÷ 3
    assert set(rate_2024.records) == {book["D"], book["E"], book["F"]}  # the denominator's records
    both = Period.custom(date(2023, 1, 1), date(2024, 12, 31))
    assert float(value("engagement.adoption_rate", staff, both)) == 60.0  # A, D, E of A, B, D, E, F: 3 ÷ 5
    assert value("engagement.proposals_adopted", staff, Period.year(2024)) == 2


def test_an_adoption_rate_over_nothing_decided_is_no_data(cast, book):
    staff = cast.users.staff
    assert value("engagement.adoption_rate", staff, Period.year(2025)) is None  # H is still being handled
    assert value("engagement.adoption_rate", staff, Period.year(2019)) is None  # no proposal at all
    cards = figures.sections(user=staff, period=Period.year(2025))[0].figures
    rate = next(card for card in cards if card.key == "engagement.adoption_rate")
    assert rate.display == "无数据"


def test_measures_are_the_adopted_ones_with_a_measure(cast, book):
    staff = cast.users.staff
    assert set(compute("engagement.measures", user=staff, period=Period.year(2024)).records) == {book["D"]}
    assert value("engagement.measures", staff, Period.custom(date(2023, 1, 1), date(2025, 12, 31))) == 2


def test_a_chamber_counts_only_its_own_and_its_members_persons_proposals(cast, book):
    # chamber 1: its own D and those of 王建国 (A, C, F); chamber 2: those of 陈浙江 (E, F, H)
    c1, c2 = cast.users.chamber1, cast.users.chamber2
    assert set(compute("engagement.proposals", user=c1, period=Period.year(2024)).records) == {book["D"], book["F"]}
    assert set(compute("engagement.proposals", user=c2, period=Period.year(2024)).records) == {book["E"], book["F"]}
    assert float(value("engagement.adoption_rate", c1, Period.year(2024))) == 50.0  # D of D, F
    assert value("engagement.proposals", c1, Period.year(2025)) == 0


def test_the_figures_narrow_to_a_row_and_refuse_another_scopes_ids(cast, book):
    from django.http import Http404

    staff, y2024 = cast.users.staff, Period.year(2024)
    assert value("engagement.proposals", staff, y2024) == 4
    assert compute("engagement.proposals", user=staff, period=y2024, kind=K.PROPOSAL).value == 1
    assert compute("engagement.proposals", user=staff, period=y2024, person=cast.person2.pk).value == 2
    assert compute("engagement.proposals", user=staff, period=y2024, body="federation").value == 1
    assert compute("engagement.proposals", user=staff, period=y2024, chamber=cast.chamber1.pk).value == 1
    with pytest.raises(Http404):
        compute("engagement.proposals", user=cast.users.chamber2, period=y2024, chamber=cast.chamber1.pk)
    with pytest.raises(Http404):
        compute("engagement.proposals", user=staff, period=y2024, kind="petition")


def _table(section_list, dom_id):
    return next(s.table for s in section_list if s.table is not None and s.table.dom_id == dom_id)


def test_the_sections_hold_the_same_numbers_in_their_tables(cast, book):
    found = figures.sections(user=cast.users.staff, period=Period.year(2024))
    years = _table(found, "table-proposal-years")
    by_year = {row.cells[0]: row.cells for row in years.rows}
    assert list(by_year) == [2020, 2021, 2022, 2023, 2024]  # the last five years at least
    # 年度, 议案, 提案, 建议, 社情民意信息, 合计, 已采纳, 未采纳, 采纳率
    assert by_year[2024][1:8] == (1, 1, 1, 1, 4, 2, 1)
    assert float(by_year[2024][8]) == 66.7 and by_year[2022][8] is None
    assert by_year[2023][5] == 3 and float(by_year[2023][8]) == 50.0
    kinds = {row.cells[0]: row.cells for row in _table(found, "table-proposal-kinds").rows}
    assert kinds["议案"][1:3] == (1, 1) and kinds["提案"][1:4] == (1, 0, 1)
    submitters = {row.cells[0]: row.cells for row in _table(found, "table-proposal-submitters").rows}
    assert submitters["陈浙江"][1:4] == ("个人", 2, 1)  # E and F
    assert submitters["王建国"][1:4] == ("个人", 1, 0)  # F
    assert submitters["工商联"][1:3] == ("以工商联名义", 1)  # G
    assert submitters[cast.chamber1.name][1:4] == ("以商会名义", 1, 1)  # D
    topics = {row.cells[0]: row.cells for row in _table(found, "table-proposal-topics").rows}
    assert topics["融资与金融服务"][1] == 1 and topics["未分类"][1] == 3
    measures = _table(found, "table-proposal-measures")
    assert [row.cells[0] for row in measures.rows] == [book["D"].number]
    assert gather_chart_data(found)[figures.SOURCE]["yearTotals"] == [0, 0, 0, 3, 4]


def test_a_rate_over_nothing_reads_no_data_on_the_page_and_in_the_export(cast, book):
    found = figures.sections(user=cast.users.staff, period=Period.year(2025))
    html = "".join(render_to_string("ui/_figure_section.html", {"section": s}) for s in found)
    assert 'data-kpi="采纳率" id="figure-adoption-rate">无数据</span>' in html
    assert '<td>无数据</td>' in html  # the per-year table's rate of a year without decisions
    years = _table(found, "table-proposal-years")
    assert years.sheet_rows()[0][-1] == "无数据"  # 2021: nothing decided


def test_a_rows_link_opens_the_list_of_exactly_its_proposals(cast, book, login):
    import re

    client = login(cast.users.staff)
    found = figures.sections(user=cast.users.staff, period=Period.year(2024))
    rows = [row for s in found if s.table is not None for row in s.table.rows if row.records_url
            and "/engagement/proposals/?" in row.records_url]
    assert rows
    for row in rows:
        count = row.cells[5] if isinstance(row.cells[0], int) else row.cells[1] if isinstance(row.cells[1], int) \
            else row.cells[2]
        page = client.get(row.records_url).content.decode()
        shown = re.search(r"共 (\d+) 条", page)
        assert shown and int(shown.group(1)) == count, (row.label, row.records_url)
    for card in found[0].figures:
        page = client.get(card.records_url).content.decode()
        if card.unit == "%":
            continue
        assert int(re.search(r"共 (\d+) 条", page).group(1)) == card.value, card.label


def test_the_link_of_a_year_older_than_ten_years_opens_exactly_that_years_proposals(cast, book, login):
    import re

    old = testing.make_proposal(cast.district, year=2010, kind=K.PROPOSAL, status=S.ADOPTED, body="federation",
                                measure="设立中小企业发展专项资金")
    client = login(cast.users.staff)
    found = figures.sections(user=cast.users.staff, period=Period.year(2010))
    row = next(row for row in _table(found, "table-proposal-years").rows if row.cells[0] == 2010)
    page = client.get(row.records_url).content.decode()
    assert int(re.search(r"共 (\d+) 条", page).group(1)) == 1 and old.number in page
    assert not any(proposal.number in page for proposal in book.values())
    for card in found[0].figures:
        if card.unit != "%":
            page = client.get(card.records_url).content.decode()
            assert int(re.search(r"共 (\d+) 条", page).group(1)) == card.value == 1, card.label
