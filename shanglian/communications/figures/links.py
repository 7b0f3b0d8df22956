"""The links of the communications figures (`ui.figures.FigureLinks`), shared by the parts' `figures/<part>.py`, the
statistics page and the panels. Imports no part (`figures/__init__.py` imports them)."""

from shanglian.ui.figures import FigureLinks

LINKS = FigureLinks("communications")
records_url = LINKS.records_url
card = LINKS.card
counted_card = LINKS.counted_card
