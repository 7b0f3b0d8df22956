"""The communications app's figures (discovered at startup as `<app>.figures`), one module per part — `notices`
(通知公告: sent, reached, read), `surveys` (问卷调查: published, answers, response rate, appeals opened from answers),
`research` (调研报告: written, submitted, 批示), `publicity` (宣传: articles and the persons and enterprises they
feature), `rules` (规章制度 in force, adopted, revised, repealed) and `partners` (友好组织, agreements, visits) — each
also building its part of the statistics page (`sections(user=, period=)`). `links` holds the drill-down links and
the cards, `common` what the parts share."""

from . import notices, partners, publicity, research, rules, surveys  # noqa: F401  (registers the figures)
