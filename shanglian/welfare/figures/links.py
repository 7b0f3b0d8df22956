"""The links of the welfare figures, shared by the parts' `figures/<part>.py`, the statistics page, the panel and
the enterprise section: the drill-down to the records behind a figure (`welfare:figure_records`), for a period and
optionally one table row (its narrowing: a campaign, a chamber, an industry section, a kind …), and a figure as a
card linked to it. Imports no part (`figures/__init__.py` imports them)."""

from dataclasses import replace

from django.urls import reverse
from django.utils.http import urlencode

from shanglian.ui import figures as ui


def records_url(key, period, **narrowing):
    """The drill-down page of figure `key` in `period` (as the period form reads it back), narrowed to the given
    row; a narrowing of None or "" is left out (the whole figure)."""
    params = {**period.as_query(),
              **{name: value for name, value in narrowing.items() if value not in (None, "")}}
    return f"{reverse('welfare:figure_records', args=[key])}?{urlencode(params)}"


def card(figure, period, *, prefix="figure", **changes):
    """A computed figure as a card of the welfare pages: a stable element id (`<prefix>-<name>`, e.g.
    "headline-total"), the link to its records instead of the records themselves; `changes` set anything else."""
    name = figure.key.split(".", 1)[1].replace("_", "-")
    return replace(figure, **{"records": None, "dom_id": f"{prefix}-{name}",
                              "records_url": records_url(figure.key, period), **changes})


def counted_card(key, value, period, **changes):
    """The card of registered figure `key` with a value a section has already counted (no query of its own)."""
    spec = ui.get(key)
    figure = ui.Figure(label=spec.label, definition=spec.definition, value=value, unit=spec.unit, key=key,
                       period=period, alert=spec.alert)
    return card(figure, period, **changes)
