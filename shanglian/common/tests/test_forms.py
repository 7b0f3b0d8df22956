"""The shared form fields: several files in one input, the date picker, the 行业大类 filter."""

import datetime

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from shanglian.common.forms import MultipleFileField, date_field, industry_division_field, split_numbers


class SampleForm(forms.Form):
    files = MultipleFileField(label="附件")
    on = date_field("统计日期")
    industry_division = industry_division_field(example="26")


def test_several_files_are_one_list_and_none_is_an_empty_list():
    a = SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    b = SimpleUploadedFile("b.pdf", b"%PDF-1.4")
    field = SampleForm.base_fields["files"]
    assert field.clean([a, None, b]) == [a, b]
    assert field.clean(a) == [a]
    assert field.clean(None) == [] and not field.required
    assert "multiple" in str(SampleForm()["files"])


def test_the_date_is_picked_in_the_browser_and_a_wrong_one_is_refused_in_chinese():
    html = str(SampleForm(initial={"on": datetime.date(2026, 1, 5)})["on"])
    assert 'type="date"' in html and 'value="2026-01-05"' in html
    form = SampleForm({"on": "2026-13-01"})
    assert not form.is_valid() and form.errors["on"] == ["统计日期格式应为 2026-11-22。"]
    assert SampleForm({"on": ""}).is_valid()


@pytest.mark.django_db
def test_the_industry_division_is_chosen_in_the_tree_and_cleans_to_its_code():
    form = SampleForm({"industry_division": "26"})
    assert form.is_valid() and form.cleaned_data["industry_division"] == "26"
    assert SampleForm({"industry_division": ""}).is_valid()
    for bad in ("2611", "C", "abc", "99", "9" * 20):  # another level, not a code, no such 大类
        form = SampleForm({"industry_division": bad})
        assert not form.is_valid()
        assert form.errors["industry_division"] == ["行业大类为 2 位数字代码，请从行业分类中选择。"]
    html = str(SampleForm({"industry_division": "26"})["industry_division"])
    assert 'data-picker="industry"' in html and 'placeholder="搜索代码或名称，如 26"' in html
    assert 'name="industry_division" value="26"' in html and "26 化学原料和化学制品制造业" in html


def test_numbers_typed_in_one_box_are_split_on_any_separator_once_each_in_order():
    assert split_numbers(" SQ2026001，SQ2026002、SQ2026001;SQ2026003\nSQ2026004 ") == [
        "SQ2026001", "SQ2026002", "SQ2026003", "SQ2026004"]
    assert split_numbers("") == [] and split_numbers(None) == []
