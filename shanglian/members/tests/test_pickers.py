"""The enterprise and person pickers (members.pickers): the endpoints answer only from the user's scope,
by a fragment of the name, pinyin initials or a credit code; the fields refuse an id outside the scope
or a malformed one in Chinese."""

import re

import pytest
from django import forms
from django.urls import reverse

from shanglian import testing
from shanglian.members.pickers import EnterpriseField, PersonField


def _names(response):
    assert response.status_code == 200
    return re.findall(r'data-label="([^"]+)"', response.content.decode())


def _pick(login, user, query, kind="enterprises"):
    return login(user).get(reverse(f"members:pick_{kind}"), {"q": query})


@pytest.mark.parametrize("query", ["友谊", "yykj", "TJYY", "友谊科技有限"])
def test_staff_find_an_enterprise_by_a_fragment_of_its_name_or_its_pinyin_initials(cast, login, query):
    assert _names(_pick(login, cast.users.staff, query)) == ["天津友谊科技有限公司"]


def test_staff_find_an_enterprise_by_its_credit_code_or_the_start_of_it(cast, login):
    assert _names(_pick(login, cast.users.staff, cast.ent1.uscc)) == ["天津友谊科技有限公司"]
    assert _names(_pick(login, cast.users.staff, cast.ent1.uscc[:16].lower())) == ["天津友谊科技有限公司"]
    page = _pick(login, cast.users.staff, cast.ent1.uscc).content.decode()
    assert f'data-value="{cast.ent1.pk}"' in page and cast.ent1.uscc in page  # the code tells look-alikes apart


def test_the_closest_match_comes_first_and_at_most_ten_are_listed(cast, login):
    for i in range(12):
        testing.make_enterprise(cast.district, name=f"天津辰航{i:02d}号物流有限公司")
    testing.make_enterprise(cast.district, name="辰航科技有限公司")
    response = _pick(login, cast.users.staff, "辰航")
    names = _names(response)
    assert len(names) == 10 and names[0] == "辰航科技有限公司"  # the name starting with it first
    assert "只显示前 10 个" in response.content.decode()


def test_another_federations_enterprises_are_never_offered(cast, login):
    assert _names(_pick(login, cast.users.staff, "南开")) == []
    assert "没有匹配“南开”的企业" in _pick(login, cast.users.staff, "南开").content.decode()
    assert _names(_pick(login, cast.users.outsider_staff, "南开")) == ["南开某某餐饮有限公司"]
    assert _names(_pick(login, cast.users.outsider_staff, "天津")) == []


def test_a_chamber_secretary_finds_only_the_chambers_own_members(cast, login):
    assert _names(_pick(login, cast.users.chamber1, "天津")) == ["天津友谊科技有限公司"]
    assert _names(_pick(login, cast.users.chamber2, "天津")) == ["天津之江贸易有限公司"]
    assert _names(_pick(login, cast.users.chamber1, cast.ent2.uscc)) == []


def test_an_enterprise_user_finds_only_itself(cast, login):
    assert _names(_pick(login, cast.users.ent1, "天津")) == ["天津友谊科技有限公司"]


@pytest.mark.parametrize("who", ["dept1", "auditor"])
def test_roles_without_the_registry_are_refused(cast, login, who):
    assert _pick(login, getattr(cast.users, who), "天津").status_code == 403
    assert _pick(login, getattr(cast.users, who), "王", kind="persons").status_code == 403


def test_an_empty_query_lists_nothing_and_says_what_to_type(cast, login):
    response = _pick(login, cast.users.staff, "  ")
    assert _names(response) == [] and "请输入企业名称、拼音首字母或统一社会信用代码" in response.content.decode()


def test_persons_are_found_by_name_or_initials_within_the_scope(cast, login):
    assert _names(_pick(login, cast.users.staff, "wjg", kind="persons")) == ["王建国"]
    assert _names(_pick(login, cast.users.staff, "建国", kind="persons")) == ["王建国"]
    assert _names(_pick(login, cast.users.chamber1, "陈", kind="persons")) == []
    assert _names(_pick(login, cast.users.chamber2, "陈", kind="persons")) == ["陈浙江"]
    assert _names(_pick(login, cast.users.outsider_staff, "王", kind="persons")) == []
    assert _pick(login, cast.users.ent1, "王", kind="persons").status_code == 403


def test_a_person_is_shown_with_the_enterprises_the_user_may_see(cast, login):
    testing.make_person(cast.district, name="王建国", enterprise=cast.ent2)  # a namesake in chamber 2
    shared = cast.person1
    from shanglian.members.models import EnterpriseRole

    EnterpriseRole.objects.create(person=shared, enterprise=cast.ent2, role="shareholder")
    staff_page = _pick(login, cast.users.staff, "王建国", kind="persons").content.decode()
    assert "天津友谊科技有限公司法定代表人" in staff_page and "天津之江贸易有限公司股东" in staff_page
    chamber_page = _pick(login, cast.users.chamber1, "王建国", kind="persons").content.decode()
    assert "天津友谊科技有限公司法定代表人" in chamber_page and "之江" not in chamber_page


# --- the fields ----------------------------------------------------------------------------------
class ChooseForm(forms.Form):
    enterprise = EnterpriseField(label="企业")
    person = PersonField(label="联系人", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].scope_to(user)
        self.fields["person"].scope_to(user)


def test_the_field_accepts_an_enterprise_and_a_person_in_scope(cast):
    form = ChooseForm({"enterprise": str(cast.ent1.pk), "person": str(cast.person1.pk)}, user=cast.users.chamber1)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["enterprise"] == cast.ent1 and form.cleaned_data["person"] == cast.person1


@pytest.mark.parametrize("value", ["ent2", "ent_other", "12345678901234567890", "abc", "-1", "1.5", " "])
def test_the_field_refuses_an_id_outside_the_scope_or_malformed_in_chinese(cast, value):
    data = {"enterprise": str(getattr(cast, value).pk) if hasattr(cast, value) else value}
    form = ChooseForm(data, user=cast.users.chamber1)
    assert not form.is_valid()
    message = "请选择企业（输入后从列表中点选）。" if not value.strip() else "所选企业不存在或不在您的管理范围内，请重新选择。"
    assert form.errors["enterprise"] == [message]


def test_the_person_field_refuses_another_chambers_person(cast):
    form = ChooseForm({"enterprise": str(cast.ent1.pk), "person": str(cast.person2.pk)}, user=cast.users.chamber1)
    assert not form.is_valid() and form.errors["person"] == ["所选人员不存在或不在您的管理范围内，请重新选择。"]


def test_a_field_never_scoped_accepts_nothing(cast):
    field = EnterpriseField(label="企业")
    with pytest.raises(forms.ValidationError):
        field.clean(str(cast.ent1.pk))


def test_the_widget_shows_the_chosen_name_and_keeps_the_id_in_a_hidden_input(cast):
    html = str(ChooseForm({"enterprise": str(cast.ent1.pk)}, user=cast.users.staff)["enterprise"])
    assert f'type="hidden" name="enterprise" value="{cast.ent1.pk}"' in html
    assert 'value="天津友谊科技有限公司"' in html and 'role="combobox"' in html
    assert f'hx-get="{reverse("members:pick_enterprises")}"' in html
    # An id outside the scope shows no name (nothing of the other enterprise leaks into the page).
    html = str(ChooseForm({"enterprise": str(cast.ent_other.pk)}, user=cast.users.staff)["enterprise"])
    assert "南开" not in html


def test_the_field_built_for_a_user_is_scoped_at_once(cast):
    field = EnterpriseField(user=cast.users.chamber2, label="企业")
    assert field.clean(str(cast.ent2.pk)) == cast.ent2
    with pytest.raises(forms.ValidationError):
        field.clean(str(cast.ent1.pk))


@pytest.mark.parametrize("kind", ["enterprises", "persons"])
def test_a_control_character_in_the_search_is_dropped_not_a_server_error(cast, login, kind):
    # PostgreSQL refuses a NUL inside a string parameter; the picker drops it before the query.
    response = _pick(login, cast.users.staff, "友\x00谊\x1b" if kind == "enterprises" else "\x00", kind)
    assert response.status_code == 200
    if kind == "enterprises":
        assert _names(response) == ["天津友谊科技有限公司"]


def test_the_industry_search_drops_a_control_character(cast, login):
    response = login(cast.users.staff).get(reverse("common:industries"), {"q": "软件\x00", "parent": "\x00"})
    assert response.status_code == 200 and "软件" in response.content.decode()
