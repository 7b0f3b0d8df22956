"""The organisation's forms use the pickers: a position's person is searched (members:pick_persons) and
must be of the term's federation; a chamber's industries are 大类 chosen in the GB/T 4754 tree."""

from django.urls import reverse

from shanglian.orgs.models import Chamber, Position


def test_the_position_form_offers_the_person_picker(cast, org, login):
    page = login(cast.users.staff).get(reverse("orgs:position_create", args=[org.term.pk])).content.decode()
    assert 'data-picker="autocomplete"' in page and f'hx-get="{reverse("members:pick_persons")}"' in page
    assert "南开人" not in page  # no long list of every person: nothing of another federation either


def test_a_position_names_the_person_chosen_and_refuses_a_malformed_id(cast, org, login):
    client = login(cast.users.staff)
    url = reverse("orgs:position_create", args=[org.term.pk])
    response = client.post(url, {"person": "12345678901234567890", "title": "standing"})
    assert response.status_code == 400 and "请从列表中选择本工商联的人员。" in response.content.decode()
    assert not Position.objects.filter(title="standing").exists()
    response = client.post(url, {"person": str(cast.person2.pk), "title": "standing"})
    assert response.status_code == 302 and Position.objects.get(title="standing").person == cast.person2


def test_a_chamber_covers_the_divisions_chosen_in_the_tree(cast, login):
    client = login(cast.users.staff)
    page = client.get(reverse("orgs:chamber_create")).content.decode()
    assert 'data-picker="industry"' in page and "按住 Ctrl" not in page
    data = {"name": "河西区软件行业商会", "kind": "industry", "status": "active", "industries": ["65", "64"]}
    assert client.post(reverse("orgs:chamber_create"), data).status_code == 302
    chamber = Chamber.objects.get(name="河西区软件行业商会")
    assert sorted(chamber.industries.values_list("code", flat=True)) == ["64", "65"]
    page = client.get(reverse("orgs:chamber_edit", args=[chamber.pk])).content.decode()
    assert 'name="industries" value="65"' in page and "65 软件和信息技术服务业" in page


def test_a_chamber_refuses_an_industry_that_is_not_a_division(cast, login):
    data = {"name": "河西区软件行业商会", "kind": "industry", "status": "active", "industries": ["6513"]}
    response = login(cast.users.staff).post(reverse("orgs:chamber_create"), data)
    assert response.status_code == 400 and "行业大类不存在：6513" in response.content.decode()
    assert not Chamber.objects.filter(name="河西区软件行业商会").exists()
