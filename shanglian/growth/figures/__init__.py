"""The growth app's figures (discovered at startup as `<app>.figures`), one module per part — `recruitment` (new
members against this year's targets and the 三多三少 gaps, prospects, applications), `service` (服务企业/双万双服 and
the 会员名录), `board` (供需对接: posts, contact requests, outcomes in 万元, matchmaking events) and `groups` (专项工作组,
their projects and the appeals they resolved) — each also building its part of the statistics page
(`sections(user=, period=)`). `links` holds the drill-down links and the cards."""

from . import board, groups, recruitment, service  # noqa: F401  (registers the figures)
