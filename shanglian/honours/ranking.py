"""排名: the ranking of a category's nominations from the judges' scores, and the tie rule.

The total of a nomination
    Each judge's weighted score of a nomination is Σ(weight × score ÷ full marks) ÷ Σ weight × 100 (0–100; the
    weights are normalised, so 30/30/40 and 3/3/4 rank alike). Only the judges who scored *every* criterion of the
    category and are not conflicted on that nomination (the one conflict rule of `selectors.nominations`: the scores
    of a judge who must stand aside are left out, even if they were entered) count — the complete, unconflicted rows
    of the nomination's `selectors.nominations.score_sheets`. The nomination's total is
    the mean of those judges' weighted scores, rounded half up to 3 decimal places (computed exactly, rounded once).
    A withdrawn nomination is not ranked; an active one that no judge fully scored is *unranked* (listed apart,
    never on a list).

The tie rule (`TIE_RULE`, shown on the ranking page)
    1. A higher total ranks first.
    2. Equal totals (to 3 places) are broken by the higher mean score on the criterion with the largest weight, then
       on the criterion with the next largest weight, and so on; criteria of equal weight are taken in their order
       in the category. A mean score is the mean of the counted judges' scores on that criterion, rounded half up
       to 3 places.
    3. Rows still equal share one rank (并列), and the ranks after them are skipped: competition ranking 1, 2, 2, 4.
    4. A list takes `list_size` places, and every row tied with the row at the last place is taken too, so a list
       may be longer than its size (it then says so).

Everything here reads the scores once (`sheet(category)`) and then is plain arithmetic on that data: `total_of`,
`order` and `listed` take no database at all, so the rule is testable without pages.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .models import Criterion, Judge, Nomination
from .selectors.nominations import score_sheets

PLACES = 3

TIE_RULE = (
    "排名规则：按综合得分从高到低排列。每位评审委员的加权得分 = Σ（指标权重 × 得分 ÷ 满分）÷ 权重合计 × 100，"
    "只计入已为全部指标评分且无须回避的评审委员；综合得分为这些评审委员加权得分的平均值，四舍五入保留3位小数。"
    "综合得分相同（保留3位小数后）的，依次比较权重最大的指标的平均得分、权重次大的指标的平均得分……"
    "（权重相同的指标按指标排列顺序比较），高者在前；仍然相同的并列同一名次，其后的名次顺延（如 1、2、2、4）。"
    "榜单取上榜名额数的名次，与最后一个名次并列的企业一并上榜，此时上榜企业数多于名额。"
)


def round_half_up(value, places=PLACES):
    """An exact non-negative number (`Fraction`) as a Decimal with `places` decimals, rounded half up once."""
    scaled = Fraction(value) * 10 ** places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(whole).scaleb(-places)


def weighted_score(values, criteria):
    """One judge's weighted score of one nomination, exact: Σ(weight × value ÷ max_score) ÷ Σ weight × 100.
    `values` holds a value for every criterion ({criterion id: number})."""
    weights = sum(Fraction(c.weight) for c in criteria)
    earned = sum(Fraction(c.weight) * Fraction(values[c.pk]) / c.max_score for c in criteria)
    return earned / weights * 100


def tie_break_criteria(criteria):
    """The criteria in the order ties are broken: the largest weight first, equal weights in their given order."""
    return sorted(criteria, key=lambda c: -c.weight)  # sorted() is stable: equal weights keep their order


# --- the data ------------------------------------------------------------------------------------------------
@dataclass
class Sheet:
    """Everything a category's ranking is computed from, read once: its criteria in order, its panel, and one
    `selectors.nominations.ScoreSheet` per active nomination (each judge's scores, whether they are complete, and
    the judge's conflict with the nomination, by the one conflict rule of `selectors.nominations`)."""

    category: object
    criteria: list  # Criterion, in the category's order
    judges: list  # the programme's judges (Judge)
    sheets: list  # ScoreSheet of each active nomination, in nomination order


def sheet(category):
    """The category's criteria, panel and the score sheets of its active nominations (a few queries, whatever the
    number of rows)."""
    nominations = (Nomination.objects.filter(category=category).exclude(status=Nomination.Status.WITHDRAWN)
                   .select_related("category", "enterprise", "chamber").order_by("id"))
    sheets = score_sheets(nominations)
    return Sheet(category=category, criteria=list(Criterion.objects.filter(category=category).order_by("order", "id")),
                 judges=list(Judge.objects.filter(programme_id=category.programme_id).select_related("user")
                             .order_by("id")),
                 sheets=list(sheets.values()))


def counted_rows(score_sheet):
    """The judges' rows of a nomination that count: every criterion scored, and no conflict (回避)."""
    return [row for row in score_sheet.rows if row.complete and not row.conflict]


# --- totals ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NominationTotal:
    nomination: object
    total: Decimal | None  # 0–100, 3 places; None: no judge fully scored it (unranked)
    judges: int  # the judges counted
    means: dict = field(default_factory=dict)  # {criterion id: the counted judges' mean score, 3 places}


def total_of(score_sheet, criteria):
    """One nomination's total from its score sheet (see the module's docstring)."""
    counted = [row.scores for row in counted_rows(score_sheet)]
    if not criteria or not counted:
        return NominationTotal(score_sheet.nomination, None, 0)
    n = len(counted)
    mean = sum(weighted_score(values, criteria) for values in counted) / n
    means = {c.pk: round_half_up(sum(Fraction(values[c.pk]) for values in counted) / n) for c in criteria}
    return NominationTotal(score_sheet.nomination, round_half_up(mean), n, means)


def totals(data):
    """Every active nomination of the sheet with its total (None when nobody fully scored it)."""
    return [total_of(score_sheet, data.criteria) for score_sheet in data.sheets]


def nomination_totals(category):
    """The totals of the category's active nominations (see the module's docstring); unranked ones have None."""
    return totals(sheet(category))


# --- the order -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    rank: int
    nomination: object
    total: Decimal
    tied: bool  # shares its rank with another row (并列)
    judges: int = 0
    means: tuple = ()  # the mean scores on the tie-break criteria, in that order
    decided_by: str = ""  # equal total with the row above, placed after it by this criterion's mean score


def order(nomination_totals, criteria):
    """The ranked rows of `nomination_totals` (those with a total) by the tie rule, with competition ranks."""
    breakers = tie_break_criteria(criteria)
    keyed = [(t, (t.total, *[t.means[c.pk] for c in breakers])) for t in nomination_totals if t.total is not None]
    keyed.sort(key=lambda item: (tuple(-value for value in item[1]), item[0].nomination.pk))
    keys = [key for _t, key in keyed]
    rows = []
    for i, (t, key) in enumerate(keyed):
        rank = rows[-1].rank if i and keys[i - 1] == key else i + 1
        tied = (i > 0 and keys[i - 1] == key) or (i + 1 < len(keys) and keys[i + 1] == key)
        decided_by = ""
        if i and keys[i - 1] != key and keys[i - 1][0] == key[0]:
            first = next(j for j in range(1, len(key)) if keys[i - 1][j] != key[j])
            decided_by = breakers[first - 1].name
        rows.append(Row(rank=rank, nomination=t.nomination, total=t.total, tied=tied, judges=t.judges,
                        means=key[1:], decided_by=decided_by))
    return rows


def listed(rows, list_size):
    """The rows a list of `list_size` places takes: the first `list_size`, and every row tied at the last place."""
    if len(rows) <= list_size:
        return list(rows)
    last = rows[list_size - 1].rank
    return [row for row in rows if row.rank <= last]


def rank(category):
    """The category's ranked rows (rank, nomination, total, tied …), best first."""
    data = sheet(category)
    return order(totals(data), data.criteria)


# --- the whole picture for the ranking page and the publication ------------------------------------------------
@dataclass(frozen=True)
class Unfinished:
    judge: object
    missing: int  # nominations the judge may score and has not fully scored


@dataclass(frozen=True)
class Ranking:
    category: object
    criteria: list  # in the category's order
    breakers: list  # in the tie rule's order
    rows: list  # Row, best first
    listed: list  # the rows the list takes
    unranked: list  # nominations no judge fully scored
    unfinished: list  # Unfinished, judges with scoring left to do

    @property
    def longer(self):
        """The list takes more than its places (ties at the last place)."""
        return len(self.listed) > self.category.list_size


def unfinished(data):
    """The judges with nominations left to score fully (those they must stand aside from are not left)."""
    missing = {}
    for score_sheet in data.sheets:
        for row in score_sheet.rows:
            if not row.complete and not row.conflict:
                missing[row.judge.pk] = missing.get(row.judge.pk, 0) + 1
    return [Unfinished(judge, missing[judge.pk]) for judge in data.judges if missing.get(judge.pk)]


def ranking(category):
    """The category's ranking with what the list would take, the unranked nominations and the judges who have not
    finished (one read of the scores)."""
    data = sheet(category)
    computed = totals(data)
    rows = order(computed, data.criteria)
    return Ranking(category=category, criteria=data.criteria, breakers=tie_break_criteria(data.criteria), rows=rows,
                   listed=listed(rows, category.list_size),
                   unranked=[t.nomination for t in computed if t.total is None], unfinished=unfinished(data))
