import pytest
from django.db import IntegrityError, transaction

from shanglian.common.models import DictItem
from shanglian.common.selectors import dict_choices, dict_items, dict_label

pytestmark = pytest.mark.django_db


def test_seeded_dictionaries_are_present_in_order():
    assert dict_choices("enterprise_type") == [
        ("private", "私营企业"),
        ("individual", "个体工商户"),
        ("foreign", "外商投资企业"),
        ("hmt", "港澳台投资企业"),
        ("other", "其他"),
    ]
    assert [item.code for item in dict_items("political_affiliation")] == [
        "cpc",
        "democratic",
        "nonparty",
        "masses",
    ]
    assert [item.label for item in dict_items("education")] == [
        "博士研究生",
        "硕士研究生",
        "大学本科",
        "大专",
        "其他",
    ]


def test_inactive_items_are_left_out_but_keep_their_label():
    DictItem.objects.filter(kind="education", code="college").update(is_active=False)
    assert "college" not in [item.code for item in dict_items("education")]
    assert dict_label("education", "college") == "大专"


def test_staff_added_item_appears_in_its_order():
    DictItem.objects.create(kind="education", code="highschool", label="高中及以下", order=45)
    assert [item.code for item in dict_items("education")][-2:] == ["highschool", "other"]


def test_code_is_unique_within_a_kind_only():
    DictItem.objects.create(kind="nation", code="other", label="其他")
    with pytest.raises(IntegrityError), transaction.atomic():
        DictItem.objects.create(kind="education", code="other", label="重复")


def test_label_of_unknown_code_is_the_default():
    assert dict_label("education", "nope") == ""
    assert dict_label("education", "nope", default="未知") == "未知"
