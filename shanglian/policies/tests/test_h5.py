"""The enterprise's policy pages on the phone: 为您推荐 (its own matches only), all live policies with a
search, one policy (opening it is the read receipt); other roles refused, drafts and expired policies
and other federations' policies not found."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian import testing
from shanglian.policies import services
from shanglian.policies.models import PolicyDelivery
from shanglian.policies.services import Eligibility

from .test_views import PDF_BYTES, benefit, expire, make_policy, page_of


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def for_ent1(cast, title, **fields):
    """A live policy only ent1 matches (ent2 has no street)."""
    return make_policy(cast, title=title, eligibility=Eligibility(streets=[cast.street.pk]), publish=True, **fields)


def for_ent2_only(cast, title):
    cast.ent2.industry_id = "2611"
    cast.ent2.save()
    return make_policy(cast, title=title, eligibility=Eligibility(industries=["C"]), publish=True)


def test_recommendations_are_the_enterprises_own_matches(cast, login):
    mine = for_ent1(cast, "友谊路街道小微企业房租补贴", is_automatic=True)
    for_ent2_only(cast, "制造业技术改造补助")
    page = page_of(login(cast.users.ent1).get(reverse("policies:h5_list")))
    recommended = page.split('id="recommended"')[1].split('id="all"')[0]
    assert "友谊路街道小微企业房租补贴" in recommended and "免申即享" in recommended
    assert "制造业技术改造补助" not in recommended
    assert reverse("policies:h5_detail", args=[mine.pk]) in recommended
    # the whole library lists every live policy; the matching one says so
    everything = page.split('id="all"')[1]
    assert "制造业技术改造补助" in everything and "符合条件" in everything and "共 2 条" in everything


def test_pushed_and_unread_policies_are_marked_until_opened(cast, login):
    pushed = make_policy(cast, title="推送过的政策", publish=True, push=True)
    make_policy(cast, title="未推送的政策", publish=True)
    client = login(cast.users.ent1)
    recommended = page_of(client.get(reverse("policies:h5_list"))).split('id="recommended"')[1].split('id="all"')[0]
    assert recommended.count("未读") == 1 and recommended.count("h5-card-highlight") == 1
    client.get(reverse("policies:h5_detail", args=[pushed.pk]))
    recommended = page_of(client.get(reverse("policies:h5_list"))).split('id="recommended"')[1].split('id="all"')[0]
    assert "未读" not in recommended


def test_drafts_expired_and_other_districts_policies_are_never_listed(cast, login):
    make_policy(cast, title="尚未发布的草稿")
    expire(make_policy(cast, title="已过期的消费券", publish=True))
    nankai = testing.make_department(cast.other, name="南开区科技局")
    make_policy(cast, title="南开区人才政策", federation_staff=cast.users.outsider_staff, department=nankai,
                publish=True)
    city_staff = testing.make_user("staff", username="city_staff", federation=cast.city)
    city_dept = testing.make_department(cast.city, name="市科技局")
    make_policy(cast, title="天津市科技型企业认定奖励", federation_staff=city_staff, department=city_dept,
                publish=True)
    page = page_of(login(cast.users.ent1).get(reverse("policies:h5_list")))
    assert "天津市科技型企业认定奖励" in page  # the city's policies apply to its districts
    for title in ("尚未发布的草稿", "已过期的消费券", "南开区人才政策"):
        assert title not in page


def test_search_finds_policies_and_marks_the_words(cast, login):
    for_ent1(cast, "科技型中小企业贷款贴息办法", summary="对企业的银行贷款给予贴息支持。")
    for_ent1(cast, "稳岗补贴实施细则")
    page = page_of(login(cast.users.ent1).get(reverse("policies:h5_list"), {"q": "贴息"}))
    assert "“贴息”的搜索结果" in page and "共 1 条" in page
    assert "<mark>贴息</mark>" in page and "稳岗补贴实施细则" not in page
    assert 'id="recommended"' not in page


def test_all_recommendations_can_be_paged_through(cast, login):
    for n in range(12):
        for_ent1(cast, f"面向友谊路街道的政策{n:02d}", published_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    client = login(cast.users.ent1)
    page = page_of(client.get(reverse("policies:h5_list")))
    assert "查看全部 12 条推荐" in page
    page = page_of(client.get(reverse("policies:h5_list"), {"show": "recommended"}))
    assert "共 12 条" in page and page.count("面向友谊路街道的政策") == 12


def test_an_enterprise_without_matches_is_told_how_to_get_them(cast, login):
    for_ent2_only(cast, "制造业技术改造补助")
    page = page_of(login(cast.users.ent1).get(reverse("policies:h5_list")))
    assert "暂无与贵企业匹配的政策" in page


def test_the_policies_tab_is_in_the_bottom_bar(cast, login):
    page = page_of(login(cast.users.ent1).get(reverse("policies:h5_list")))
    assert 'class="h5-tabbar"' in page and 'class="sidebar"' not in page
    assert f'class="h5-tab active" href="{reverse("policies:h5_list")}"' in page


@pytest.mark.parametrize("who", ["admin", "staff", "leader", "chamber1", "dept1", "auditor"])
def test_other_roles_are_refused_the_phone_pages(cast, login, who):
    policy = make_policy(cast, publish=True)
    client = login(getattr(cast.users, who))
    assert client.get(reverse("policies:h5_list")).status_code == 403
    assert client.get(reverse("policies:h5_detail", args=[policy.pk])).status_code == 403


def test_detail_shows_the_policy_and_records_the_read(cast, login, media):
    policy = services.save_policy(
        actor=cast.users.staff,
        data={"title": "友谊路街道小微企业房租补贴", "department": cast.dept1, "document_number": "河西财〔2026〕5号",
              "benefit_type": benefit(), "summary": "按实际租金的30%给予补贴。",
              "full_text": "第一条 为减轻小微企业负担……", "application_method": "每年3月在线申报。",
              "contact": "022-27777777 李老师"},
        eligibility=Eligibility(streets=[cast.street.pk]),
        files=[SimpleUploadedFile("申报表.pdf", PDF_BYTES, content_type="application/pdf")])
    services.publish_policy(actor=cast.users.staff, policy=policy, push=True)
    page = page_of(login(cast.users.ent1).get(reverse("policies:h5_detail", args=[policy.pk])))
    for text in ("友谊路街道小微企业房租补贴", "河西财〔2026〕5号", "按实际租金的30%给予补贴。", "第一条 为减轻小微企业负担",
                 "每年3月在线申报。", "022-27777777 李老师", "申报表.pdf", "贵企业符合本政策的适用条件", "友谊路街道"):
        assert text in page
    assert reverse("policies:attachment", args=[policy.attachments.get().pk]) in page
    delivery = PolicyDelivery.objects.get(policy=policy, enterprise=cast.ent1)
    assert delivery.read_at is not None and delivery.read_by == cast.users.ent1


def test_opening_an_unpushed_policy_is_no_receipt(cast, login):
    policy = make_policy(cast, publish=True)
    response = login(cast.users.ent1).get(reverse("policies:h5_detail", args=[policy.pk]))
    assert response.status_code == 200 and not PolicyDelivery.objects.exists()


def test_drafts_expired_and_other_districts_policies_are_not_found(cast, login):
    draft = make_policy(cast, title="尚未发布的草稿")
    expired = expire(make_policy(cast, title="已过期的消费券", publish=True))
    nankai = testing.make_department(cast.other, name="南开区科技局")
    foreign = make_policy(cast, title="南开区人才政策", federation_staff=cast.users.outsider_staff,
                          department=nankai, publish=True)
    client = login(cast.users.ent1)
    for policy in (draft, expired, foreign):
        assert client.get(reverse("policies:h5_detail", args=[policy.pk])).status_code == 404
