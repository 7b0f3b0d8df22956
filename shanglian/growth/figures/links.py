"""The links of the growth figures (`ui.figures.FigureLinks`), shared by the parts' `figures/<part>.py`, the statistics page, the panels and the enterprise section.
Imports no part (`figures/__init__.py` imports them)."""

from shanglian.ui.figures import FigureLinks

LINKS = FigureLinks("growth")
records_url = LINKS.records_url
card = LINKS.card
counted_card = LINKS.counted_card
