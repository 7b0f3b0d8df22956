"""What the parts of the communications figures share: a row of a breakdown that has no record behind it ("none"),
the years of a by-year table, a count grouped in one query, and the CASE that puts a date in its year (no date
function per row)."""

from datetime import date

from django.db.models import Case, IntegerField, Value, When

NONE = "none"  # the narrowing value of "no such row" (a notice sent by the federation itself: no chamber)
YEARS = 5  # a by-year table: the five years up to the period's last


def year_span(last, years=YEARS):
    return range(last - years + 1, last + 1)


def year_case(field, span):
    """A CASE putting `field` (a date) in its calendar year among `span`, as an integer."""
    whens = [When(**{f"{field}__gte": date(year, 1, 1), f"{field}__lte": date(year, 12, 31)}, then=Value(year))
             for year in span]
    return Case(*whens, output_field=IntegerField())


def grouped(rows, *fields, **aggregates):
    """{value of the first field: {field or aggregate: value}} of `rows` grouped by `fields` (one query; the other
    fields are those the first determines, e.g. a name)."""
    return {row[fields[0]]: row for row in rows.select_related(None).order_by().values(*fields).annotate(**aggregates)}
