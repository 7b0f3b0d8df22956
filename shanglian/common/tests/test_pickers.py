"""The GB/T 4754 industry picker (common.pickers): the tree level by level, the search by code or name,
the levels a form accepts, the fields' cleaning; and the autocomplete field's refusal of malformed ids."""

import re

import pytest
from django import forms
from django.urls import reverse

from shanglian.common.models import IndustryCode
from shanglian.common.pickers import AutocompleteField, IndustryField, IndustryMultipleField


def _nodes(response):
    """(code, selectable) of each node the endpoint answered with."""
    assert response.status_code == 200
    html = response.content.decode()
    picks = re.findall(r'data-pick="([^"]+)"', html)
    labels = re.findall(r'<span class="tree-label"[^>]*><span class="tree-code">([^<]+)</span>', html)
    return picks, labels


def _get(client, **params):
    return client.get(reverse("common:industries"), params)


def test_the_tree_starts_with_the_20_sections_and_opens_level_by_level(cast, login):
    client = login(cast.users.staff)
    picks, _ = _nodes(_get(client))
    assert len(picks) == 20 and picks[0] == "A" and "C" in picks
    picks, _ = _nodes(_get(client, parent="C"))
    assert picks[0] == "13" and "26" in picks and len(picks) == 31
    picks, _ = _nodes(_get(client, parent="26"))
    assert picks[0] == "261"
    page = _get(client, parent="261").content.decode()
    assert 'data-pick="2614"' in page and "有机化学原料制造" in page and "data-tree-toggle" not in page  # 小类: leaves


@pytest.mark.parametrize(("query", "first", "also"), [
    ("26", "26", "2614"),          # by the start of a code: the broadest level first
    ("软件", "I", "6513"),          # by a fragment of the name
    ("c", "C", None),               # a section letter in lower case
])
def test_the_search_finds_codes_by_code_or_name(cast, login, query, first, also):
    picks, _ = _nodes(_get(login(cast.users.staff), q=query))
    assert picks[0] == first and (also is None or also in picks)


def test_a_search_result_shows_its_parent_and_nothing_found_is_said(cast, login):
    client = login(cast.users.staff)
    page = _get(client, q="应用软件").content.decode()
    assert 'data-pick="6513"' in page and "651 软件开发" in page
    assert "没有匹配“不存在的行业”的行业" in _get(client, q="不存在的行业").content.decode()


def test_only_the_levels_a_form_accepts_are_offered(cast, login):
    client = login(cast.users.staff)
    picks, labels = _nodes(_get(client, levels="division"))
    assert picks == [] and len(labels) == 20  # 门类 open the tree but cannot be chosen
    page = _get(client, parent="C", levels="division").content.decode()
    assert 'data-pick="26"' in page and "data-tree-toggle" not in page  # the tree ends at 大类
    picks, _ = _nodes(_get(client, q="26", levels="division"))
    assert picks == ["26"]


@pytest.mark.parametrize("who", ["staff", "chamber1", "dept1", "ent1", "auditor"])
def test_every_signed_in_user_may_read_the_classification(cast, login, who):
    assert _get(login(getattr(cast.users, who)), q="26").status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = _get(client, q="26")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class IndustryForm(forms.Form):
    one = IndustryField(label="行业", required=False, levels=("class",))
    many = IndustryMultipleField(label="适用行业", required=False)


@pytest.mark.django_db
def test_the_fields_clean_to_a_code_and_to_a_list_of_codes():
    form = IndustryForm({"one": "6513", "many": ["26", "c", "2611"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["one"] == IndustryCode.objects.get(code="6513")
    assert form.cleaned_data["many"] == ["C", "26", "2611"]
    empty = IndustryForm({})
    assert empty.is_valid() and empty.cleaned_data["many"] == [] and empty.cleaned_data["one"] is None


@pytest.mark.django_db
def test_the_fields_refuse_unknown_codes_and_other_levels_in_chinese():
    form = IndustryForm({"one": "65", "many": ["C", "99", "制造业"]})
    assert not form.is_valid()
    assert form.errors["one"] == ["行业代码不存在，请从行业分类中选择。"]
    assert form.errors["many"][0].startswith("行业代码不存在：")


@pytest.mark.django_db
def test_the_picker_shows_the_chosen_codes_as_chips_with_hidden_inputs():
    html = str(IndustryForm({"many": ["C", "6513"]})["many"])
    assert 'name="many" value="C"' in html and 'name="many" value="6513"' in html
    assert "C 制造业" in html and "6513 应用软件开发" in html and 'data-multiple="1"' in html


@pytest.mark.django_db
def test_the_autocomplete_field_refuses_malformed_ids_before_any_query(django_assert_num_queries):
    field = AutocompleteField(IndustryCode.objects.none(), url="/", noun="记录")
    for value in ("1" * 19, "-3", "1e5", "12 3"):
        with django_assert_num_queries(0), pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert refused.value.messages == ["所选记录不存在或不在您的管理范围内，请重新选择。"]
