"""Money in the statistics: sums read from the database exact to the fen (`common.money.fen`), shown in 万元 with
two places (`wan`).

The amounts are `Decimal` yuan (`models.MONEY`: two places) and never pass through a float here. On PostgreSQL a
SUM of numeric is exact. On SQLite a DecimalField is stored with numeric affinity and summed in floating point:
each addition may round, so the error grows with the number of rows summed and with the size of the total, and
Django's converter for an aggregate over a DecimalField (its `output_field` resolved from the column) gives the
result back as a `Decimal` of 15 significant digits (`1234.57000000000`, `1234.56999999999`). `common.money.fen`
rounds that back to the fen, which gives the exact sum as long as the accumulated error stays under half a fen —
true for the row counts and totals of this project (`tests/test_figures.py` checks it on the database the suite
runs on), not a guarantee for any total; PostgreSQL, the production database, needs no such rounding.
"""

from decimal import ROUND_HALF_UP, Decimal

from shanglian.common.money import FEN, fen

TEN_THOUSAND = Decimal(10000)


def wan(yuan):
    """Yuan (a sum as read, or a Decimal) as 万元 with two places, rounded half up: 12,345.67 元 → 1.23 万元;
    6,580,000 元 → 658.00 万元."""
    return (fen(yuan) / TEN_THOUSAND).quantize(FEN, rounding=ROUND_HALF_UP)


def chart_number(value):
    """A Decimal for a chart's JSON only (ECharts draws numbers); never used in any sum or table."""
    return None if value is None else float(value)


__all__ = ["chart_number", "wan"]
