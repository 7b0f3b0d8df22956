"""The honours app's figures (discovered at startup as `<app>.figures`), one module per part — `lists` (评选表彰:
published lists, enterprises honoured, nominations) and `assessments` (商会评估: 五有/四好/五好) — each also building
its part of the statistics page (`sections(user=, period=)`, with `RECORD_COLUMNS` and `NARROWING` for the
drill-down)."""

from . import assessments, lists  # noqa: F401  (registers the figures)
