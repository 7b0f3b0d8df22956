"""保存的筛选: a sender saves the member registry's filters under a name (an editor its federation's, a chamber
secretary its chamber's, without 所属商会), a duplicate name refused in Chinese, edited and deleted by who keeps it
(a filter a notice was sent to stays, refused naming it); the list and its pages × every role; a saved filter as a
notice's audience."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shanglian import testing
from shanglian.communications.models import SavedFilter
from shanglian.communications.services import filters as services
from shanglian.communications.services import notices as notice_services

LIST = reverse("communications:filters")
CREATE = reverse("communications:filter_create")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def filters(cast):
    return {"federation": services.save_filter(actor=cast.users.staff, name="浙江商会企业",
                                               criteria={"kind": "enterprise", "chamber": cast.chamber2.pk}),
            "chamber": services.save_filter(actor=cast.users.chamber1, name="本会企业", criteria={"kind": "enterprise"})}


def test_a_sender_saves_the_registrys_filters_under_a_name(cast, login):
    client = login(cast.users.staff)
    response = client.post(CREATE, {"name": "友谊路街道企业", "kind": "enterprise", "street": str(cast.street.pk),
                                    "industry_division": "", "q": ""})
    assert response.status_code == 302
    saved = SavedFilter.objects.get()
    assert saved.criteria == {"kind": "enterprise", "street": cast.street.pk} and saved.federation == cast.district
    page = client.get(LIST).content.decode()
    assert "会员类型：企业会员；街道：友谊路街道" in page


def test_a_chamber_secretarys_filter_is_its_chambers_and_never_names_a_chamber(cast, login):
    client = login(cast.users.chamber1)
    assert "所属商会" not in client.get(CREATE).content.decode()
    client.post(CREATE, {"name": "本会企业", "kind": "enterprise", "chamber": str(cast.chamber2.pk)})
    saved = SavedFilter.objects.get()
    assert saved.chamber == cast.chamber1 and "chamber" not in saved.criteria


def test_a_duplicate_name_is_refused_in_chinese_and_nothing_written(cast, login, filters):
    response = login(cast.users.staff).post(CREATE, {"name": "浙江商会企业", "kind": "individual"})
    assert response.status_code == 400 and "已有同名的筛选" in response.content.decode()
    assert SavedFilter.objects.count() == 2
    # the same name in a chamber is another filter
    services.save_filter(actor=cast.users.chamber2, name="浙江商会企业", criteria={})
    with pytest.raises(ValidationError):
        services.save_filter(actor=cast.users.staff, name=" ", criteria={})


def test_an_unknown_choice_is_refused_in_chinese(cast, login):
    response = login(cast.users.staff).post(CREATE, {"name": "坏筛选", "street": "999999", "kind": "robot"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "所选街道不存在或不在您的查看范围内" in page and "会员类型不在可选范围内" in page
    assert not SavedFilter.objects.exists()


def test_each_sender_lists_and_keeps_its_own(cast, login, filters):
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(page) == 1 and "本会企业" in page and "浙江商会企业" not in page
    page = login(cast.users.staff).get(LIST).content.decode()
    assert count(page) == 2  # the federation sees its chambers' filters, keeps its own
    assert reverse("communications:filter_edit", args=[filters["chamber"].pk]) not in page
    with pytest.raises(PermissionDenied):
        services.delete_filter(actor=cast.users.staff, saved_filter=filters["chamber"])
    with pytest.raises(PermissionDenied):
        services.save_filter(actor=cast.users.chamber2, saved_filter=filters["chamber"], name="改", criteria={})


def test_editing_and_deleting_a_filter(cast, login, filters):
    client = login(cast.users.staff)
    saved = filters["federation"]
    client.post(reverse("communications:filter_edit", args=[saved.pk]), {"name": "个人会员", "kind": "individual"})
    saved.refresh_from_db()
    assert saved.name == "个人会员" and saved.criteria == {"kind": "individual"}
    client.post(reverse("communications:filter_delete", args=[saved.pk]))
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_a_filter_a_notice_was_sent_to_is_kept(cast, login, filters):
    saved = filters["federation"]
    notice = notice_services.save_notice(actor=cast.users.staff, title="给浙江商会企业", body="正文",
                                         audience="filter", saved_filter=saved)
    notice_services.send_notice(actor=cast.users.staff, notice=notice)
    assert list(notice.recipients.values_list("enterprise_id", flat=True)) == [cast.ent2.pk]
    response = login(cast.users.staff).post(reverse("communications:filter_delete", args=[saved.pk]), follow=True)
    assert "不能删除保存的筛选“浙江商会企业”：还有通知公告 1 条与它关联" in response.content.decode()
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_filter_pages_for_every_role(cast, login, filters, role):
    client = login(getattr(cast.users, role))
    senders = {"admin": 200, "staff": 200, "leader": 403, "chamber1": 200, "chamber2": 200, "dept1": 403,
               "ent1": 403, "auditor": 403, "outsider_staff": 200}
    assert client.get(LIST).status_code == senders[role]
    assert client.get(CREATE).status_code == senders[role]
    federations = {**senders, "chamber1": 404, "chamber2": 404, "outsider_staff": 404}
    chambers = {**senders, "admin": 404, "staff": 404, "chamber2": 404, "outsider_staff": 404}
    for page in ("communications:filter_edit", "communications:filter_delete"):
        assert client.get(reverse(page, args=[filters["federation"].pk])).status_code == federations[role]
        assert client.get(reverse(page, args=[filters["chamber"].pk])).status_code == chambers[role]
    testing.make_saved_filter(cast.district)  # nothing a refused role did changed a filter
    assert SavedFilter.objects.filter(name="浙江商会企业").exists()
