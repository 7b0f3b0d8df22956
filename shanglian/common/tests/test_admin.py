from django.contrib import admin
from django.test import RequestFactory

from shanglian.common.models import DictItem, HolidayDay, HolidayYear, IndustryCode


def test_reference_data_is_registered_in_the_admin():
    for model in (IndustryCode, DictItem, HolidayYear):
        assert admin.site.is_registered(model)


def test_industry_codes_are_read_only_in_the_admin():
    model_admin = admin.site._registry[IndustryCode]
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert {"code", "name"} <= set(model_admin.search_fields)


def test_holiday_days_are_edited_inline_with_their_year():
    model_admin = admin.site._registry[HolidayYear]
    assert [inline.model for inline in model_admin.inlines] == [HolidayDay]
