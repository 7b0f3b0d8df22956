import pytest
from django.core.exceptions import ValidationError

from shanglian.common.errors import raise_grouped


def test_every_reason_is_raised_at_once_grouped_by_field():
    with pytest.raises(ValidationError) as raised:
        raise_grouped([("name", "请填写名称。"), ("__all__", "记录重复。"), ("name", "名称过长。")])
    assert raised.value.message_dict == {"name": ["请填写名称。", "名称过长。"], "__all__": ["记录重复。"]}


def test_no_reason_raises_nothing():
    assert raise_grouped([]) is None
