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

from shanglian.common.money import wan
from shanglian.ui.figures import chart_number

__all__ = ["chart_number", "wan"]
