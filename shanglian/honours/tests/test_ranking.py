"""The ranking (`honours.ranking`): each judge's weighted score and the nomination's total worked out by hand, the
rounding (half up, once, to 3 places), the judges who count (every criterion scored, not conflicted), the tie rule
(equal totals broken by the heaviest criterion, then the next; still equal → one shared rank, 1, 2, 2, 4), and ties
at the last place enlarging the list. The pure part (`total_of`, `order`, `listed`) runs on plain data, without a
database."""

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.honours import ranking
from shanglian.honours.models import Nomination
from shanglian.honours.selectors.nominations import ScoreSheet, SheetRow


# --- plain data: no database ---------------------------------------------------------------------------------
def criterion(pk, name, weight, max_score=100):
    return SimpleNamespace(pk=pk, name=name, weight=Decimal(weight), max_score=max_score)


def total(pk, value, **means):
    return ranking.NominationTotal(SimpleNamespace(pk=pk), None if value is None else Decimal(value), 2,
                                   {int(k[1:]): Decimal(v) for k, v in means.items()})


TAX = criterion(1, "纳税额", "60")
CREDIT = criterion(2, "纳税信用", "40")


def test_a_judges_weighted_score_is_the_weighted_share_of_full_marks():
    # 60 × 80/100 + 40 × 90/100 = 48 + 36 = 84 of 100
    assert ranking.weighted_score({1: Decimal("80"), 2: Decimal("90")}, [TAX, CREDIT]) == 84
    # weights are normalised and full marks differ: (3 × 8/10 + 1 × 45/50) ÷ 4 × 100 = (2.4 + 0.9) ÷ 4 × 100 = 82.5
    assert ranking.weighted_score({1: 8, 2: 45}, [criterion(1, "甲", "3", 10), criterion(2, "乙", "1", 50)]) == \
        Fraction(165, 2)


def test_a_total_is_the_mean_of_the_full_unconflicted_judges_rounded_half_up_once():
    weights = [criterion(1, "甲", "3"), criterion(2, "乙", "1")]
    sheet = ScoreSheet(nomination=SimpleNamespace(pk=7), criteria=weights, rows=[
        # (3 × 80 + 1 × 80.01) ÷ 4 = 80.0025 → 80.003 half up (80.002 by banker's rounding)
        SheetRow(judge="A", scores={1: Decimal("80"), 2: Decimal("80.01")}, complete=True),
        SheetRow(judge="B", scores={1: Decimal("10")}, complete=False),  # not every criterion: left out
        SheetRow(judge="C", scores={1: Decimal("0"), 2: Decimal("0")}, complete=True, conflict="任被提名企业法定代表人"),
    ])
    result = ranking.total_of(sheet, weights)
    assert (result.total, result.judges, result.means) == (Decimal("80.003"), 1, {1: Decimal("80.000"),
                                                                                  2: Decimal("80.010")})
    two = ScoreSheet(nomination=SimpleNamespace(pk=8), criteria=weights, rows=[
        SheetRow(judge="A", scores={1: 80, 2: 80}, complete=True),
        SheetRow(judge="B", scores={1: 81, 2: 80}, complete=True),  # 80.75
        SheetRow(judge="C", scores={1: 80, 2: 81}, complete=True),  # 80.25
    ])
    assert ranking.total_of(two, weights).total == Decimal("80.333")  # (80 + 80.75 + 80.25) ÷ 3 = 80.3333…
    nobody = ScoreSheet(nomination=SimpleNamespace(pk=9), criteria=weights, rows=[
        SheetRow(judge="B", scores={1: Decimal("10")}, complete=False)])
    assert ranking.total_of(nobody, weights).total is None


def test_equal_totals_are_broken_by_the_mean_on_the_heaviest_criterion():
    rows = ranking.order([total(1, "78.000", c1="70", c2="90"), total(2, "78.000", c1="90", c2="60"),
                          total(3, "90.000", c1="90", c2="90")], [CREDIT, TAX])  # TAX weighs more, wherever it is
    assert [(r.nomination.pk, r.rank, r.tied) for r in rows] == [(3, 1, False), (2, 2, False), (1, 3, False)]
    assert rows[2].decided_by == "纳税额" and rows[1].decided_by == "" and rows[1].means == (Decimal("90"),
                                                                                              Decimal("60"))


def test_then_the_next_heaviest_criterion_and_equal_weights_in_their_order():
    first, second, third = criterion(1, "甲", "50"), criterion(2, "乙", "25"), criterion(3, "丙", "25")
    rows = ranking.order([total(1, "80.000", c1="80", c2="70", c3="90"), total(2, "80.000", c1="80", c2="90",
                                                                               c3="70")], [first, second, third])
    assert [r.nomination.pk for r in rows] == [2, 1] and rows[1].decided_by == "乙"  # 乙 comes before 丙
    heavier = criterion(3, "丙", "30")
    rows = ranking.order([total(1, "80.000", c1="80", c2="70", c3="90"), total(2, "80.000", c1="80", c2="90",
                                                                               c3="70")], [first, second, heavier])
    assert [r.nomination.pk for r in rows] == [1, 2] and rows[1].decided_by == "丙"


def test_rows_still_equal_share_a_rank_and_the_next_rank_is_skipped():
    rows = ranking.order([total(4, "70.000", c1="70", c2="70"), total(2, "80.000", c1="80", c2="80"),
                          total(3, "80.000", c1="80", c2="80"), total(1, "90.000", c1="90", c2="90"),
                          total(5, None)], [TAX, CREDIT])
    assert [(r.nomination.pk, r.rank, r.tied) for r in rows] == [(1, 1, False), (2, 2, True), (3, 2, True),
                                                                 (4, 4, False)]
    assert all(not r.decided_by for r in rows)  # no criterion separated the tied pair
    assert 5 not in [r.nomination.pk for r in rows]  # nobody fully scored it: unranked


def test_ties_at_the_last_place_enlarge_the_list():
    rows = ranking.order([total(1, "90.000", c1="90", c2="90"), total(2, "80.000", c1="80", c2="80"),
                          total(3, "80.000", c1="80", c2="80"), total(4, "70.000", c1="70", c2="70")], [TAX, CREDIT])
    assert [r.nomination.pk for r in ranking.listed(rows, 2)] == [1, 2, 3]  # 2 places, the tie at 2nd taken too
    assert [r.nomination.pk for r in ranking.listed(rows, 3)] == [1, 2, 3]
    assert [r.nomination.pk for r in ranking.listed(rows, 1)] == [1]
    assert len(ranking.listed(rows, 10)) == 4


def test_the_tie_rule_is_written_in_the_module_and_for_the_page():
    assert "tie rule" in ranking.__doc__ and "competition ranking 1, 2, 2, 4" in ranking.__doc__
    assert "权重最大的指标" in ranking.TIE_RULE and "1、2、2、4" in ranking.TIE_RULE and "一并上榜" in ranking.TIE_RULE


# --- from the database -----------------------------------------------------------------------------------------
@pytest.fixture
def panel(cast):
    """A programme in 评审中 with one category (纳税额 60, 纳税信用 40; 2 places) and three judges."""
    programme = testing.make_programme(cast.district, status="scoring", list_size=2)
    category = programme.categories.get()
    judges = [testing.make_judge(programme, user) for user in
              (cast.users.staff, cast.users.leader,
               testing.make_user(Role.STAFF, username="judge3", federation=cast.district))]
    return SimpleNamespace(programme=programme, category=category, judges=judges)


def nominate(cast, panel, name, **fields):
    return testing.make_nomination(panel.category, testing.make_enterprise(cast.district, name=name), **fields)


def test_the_ranking_of_a_category_from_its_scores(cast, panel):
    a, b, c = (nominate(cast, panel, name) for name in ("甲公司", "乙公司", "丙公司"))
    testing.make_scores(a, panel.judges[0], [80, 90])  # 84
    testing.make_scores(a, panel.judges[1], [70, 100])  # 82 → 83.000
    testing.make_scores(b, panel.judges[0], [90, 60])  # 78
    testing.make_scores(b, panel.judges[1], [90, 60])  # 78 → 78.000, 纳税额 90
    testing.make_scores(c, panel.judges[0], [70, 90])  # 78 → 78.000, 纳税额 70
    testing.make_scores(c, panel.judges[2], [70, None])  # judge 3 did not finish: left out
    totals = {t.nomination.pk: (t.total, t.judges) for t in ranking.nomination_totals(panel.category)}
    assert totals == {a.pk: (Decimal("83.000"), 2), b.pk: (Decimal("78.000"), 2), c.pk: (Decimal("78.000"), 1)}
    rows = ranking.rank(panel.category)
    assert [(r.nomination.pk, r.rank, r.tied, r.total) for r in rows] == [
        (a.pk, 1, False, Decimal("83.000")), (b.pk, 2, False, Decimal("78.000")), (c.pk, 3, False, Decimal("78.000"))]
    assert rows[2].decided_by == "纳税额"


def test_a_conflicted_judges_scores_are_left_out(cast, panel):
    """The leader sits on the panel as 王建国, who represents 天津友谊科技 (ent1): their scores of ent1's nomination
    — entered before the link was known — do not count; their scores of others do."""
    conflicted = panel.judges[1]
    conflicted.person = cast.person1
    conflicted.save()
    own = testing.make_nomination(panel.category, cast.ent1)
    other = nominate(cast, panel, "丁公司")
    testing.make_scores(own, panel.judges[0], [60, 60])  # 60
    testing.make_scores(own, conflicted, [100, 100])  # would make it 80
    testing.make_scores(other, conflicted, [50, 50])  # 50: counted
    totals = {t.nomination.pk: (t.total, t.judges) for t in ranking.nomination_totals(panel.category)}
    assert totals == {own.pk: (Decimal("60.000"), 1), other.pk: (Decimal("50.000"), 1)}
    result = ranking.ranking(panel.category)
    # the conflicted judge owes nothing on ent1's nomination; judge 1 and judge 3 have nominations left
    assert {(u.judge.pk, u.missing) for u in result.unfinished} == {(panel.judges[0].pk, 1), (panel.judges[2].pk, 2)}


def test_withdrawn_and_unscored_nominations_are_not_ranked(cast, panel):
    scored, unscored = nominate(cast, panel, "戊公司"), nominate(cast, panel, "己公司")
    withdrawn = nominate(cast, panel, "庚公司", status=Nomination.Status.WITHDRAWN)
    for nomination in (scored, withdrawn):
        testing.make_scores(nomination, panel.judges[0], [90, 90])
    result = ranking.ranking(panel.category)
    assert [r.nomination.pk for r in result.rows] == [scored.pk]
    assert result.unranked == [unscored]
    assert withdrawn.pk not in {t.nomination.pk for t in ranking.nomination_totals(panel.category)}


def test_a_tie_at_the_last_place_makes_the_list_longer_and_says_so(cast, panel):
    a, b, c = (nominate(cast, panel, name) for name in ("甲公司", "乙公司", "丙公司"))
    testing.make_scores(a, panel.judges[0], [95, 95])
    testing.make_scores(b, panel.judges[0], [80, 70])
    testing.make_scores(c, panel.judges[0], [80, 70])
    result = ranking.ranking(panel.category)  # 2 places
    assert [(r.nomination.pk, r.rank, r.tied) for r in result.listed] == [(a.pk, 1, False), (b.pk, 2, True),
                                                                          (c.pk, 2, True)]
    assert result.longer
