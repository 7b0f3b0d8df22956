"""The links of the honours figures, shared by the parts' `figures/<part>.py` and the statistics page: the
drill-down to the records behind a figure (`honours:figure_records`), for a period and optionally one table row
(its narrowing: a year, a category …), and a figure as a card linked to it. Imports no part (`figures/__init__.py`
imports them)."""

from dataclasses import replace

from django.urls import reverse
from django.utils.http import urlencode


def records_url(key, period, **narrowing):
    """The drill-down page of figure `key` in `period` (as the period form reads it back), narrowed to the given
    row; a narrowing of None or "" is left out (the whole figure)."""
    params = {**period.as_query(),
              **{name: value for name, value in narrowing.items() if value not in (None, "")}}
    return f"{reverse('honours:figure_records', args=[key])}?{urlencode(params)}"


def card(figure, period, *, prefix="figure", **changes):
    """A computed figure as a card of the honours pages: a stable element id (`<prefix>-<name>`, e.g.
    "figure-lists-published"), the link to its records instead of the records themselves; `changes` set anything
    else (a shorter label, another page holding exactly the records)."""
    name = figure.key.split(".", 1)[1].replace("_", "-")
    return replace(figure, **{"records": None, "dom_id": f"{prefix}-{name}",
                              "records_url": records_url(figure.key, period), **changes})
