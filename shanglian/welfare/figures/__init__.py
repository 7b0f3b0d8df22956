"""The welfare app's figures (discovered at startup as `<app>.figures`), one module per part — `giving` (捐款捐物:
donors, totals in 万元 by campaign, year, organising chamber and industry) and `pairings` (结对帮扶 in force by kind,
target-village coverage) — each also building its part of the statistics page (`sections(user=, period=)`).
`amounts` holds the money arithmetic (exact sums to the fen, 万元 with two places), `links` the drill-down links."""

from . import giving, pairings  # noqa: F401  (registers the figures)
