"""`filtered`: a search form's plain filters as field lookups; empty values do not narrow."""

from shanglian.common.models import DictItem
from shanglian.common.selectors import filtered


def test_filled_filters_narrow_and_empty_ones_do_not(db):
    items = DictItem.objects.filter(kind="benefit_type")
    lookups = {"code": "code", "q": "label__contains", "missing": "label"}
    assert list(filtered(items, {"code": "subsidy", "q": "", "missing": None}, lookups)) == \
        list(items.filter(code="subsidy"))
    assert filtered(items, {"code": "subsidy", "q": "税"}, lookups).count() == 0
    assert filtered(items, None, lookups).count() == items.count() > 1
