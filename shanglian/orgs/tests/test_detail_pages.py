"""What the organisation's pages show: a chamber's every member, a department's handlers and its
appeals, a committee's members, a chamber's terms, and the menu entries of the staff."""

from datetime import date

from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Status
from shanglian.appeals.tests.factories import make_appeal
from shanglian.orgs.models import Term
from shanglian.ui.navigation import navigation_for


def test_a_chamber_with_more_members_than_its_page_shows_links_to_all_of_them(cast, login):
    for i in range(21):
        testing.make_enterprise(cast.district, name=f"会员企业{i:02d}", chamber=cast.chamber1)
    client = login(cast.users.staff)
    page = client.get(reverse("orgs:chamber_detail", args=[cast.chamber1.pk])).content.decode()
    assert "查看全部 22 家会员" in page
    url = reverse("orgs:chamber_members", args=[cast.chamber1.pk])
    assert url in page
    listing = client.get(url + "?per_page=50").content.decode()
    assert "共 22 条" in listing and "天津友谊科技有限公司" in listing and "会员企业20" in listing


def test_the_chamber_member_list_leaves_out_those_who_left(cast, login):
    left = testing.make_enterprise(cast.district, name="已退会的企业", chamber=cast.chamber1)
    left.chamber_memberships.update(status="left")
    listing = login(cast.users.chamber1).get(reverse("orgs:chamber_members", args=[cast.chamber1.pk]))
    assert "已退会的企业" not in listing.content.decode() and "共 1 条" in listing.content.decode()


def test_a_department_page_shows_its_contact_handlers_and_appeals(cast, login):
    cast.dept1.contact, cast.dept1.phone = "赵科长", "022-23456789"
    cast.dept1.save()
    cast.users.dept1.display_name = "刘承办"
    cast.users.dept1.save()
    testing.make_user(Role.DEPARTMENT, username="dept1b", department=cast.dept2)  # another department's
    make_appeal(cast, Status.ASSIGNED, departments=[cast.dept1])
    page = login(cast.users.staff).get(reverse("orgs:department_detail", args=[cast.dept1.pk])).content.decode()
    assert "赵科长" in page and "022-23456789" in page
    assert "刘承办" in page and "dept1b" not in page
    assert "承办诉求" in page and f"{reverse('appeals:list')}?department={cast.dept1.pk}" in page
    own = login(cast.users.dept1).get(reverse("orgs:department_detail", args=[cast.dept1.pk])).content.decode()
    assert "承办诉求" in own and f'href="{reverse("appeals:list")}"' in own


def test_a_committee_page_lists_the_positions_that_name_it(cast, org, login):
    page = login(cast.users.leader).get(org.committee.get_absolute_url()).content.decode()
    assert "王建国" in page and "副主席" in page and str(org.term) in page


def test_a_terms_positions_come_by_rank(cast, org, login):
    from shanglian.orgs.models import Position

    Position.objects.create(term=org.term, person=cast.person2, title=Position.Title.CHAIRMAN)
    Position.objects.create(term=org.term, person=testing.make_person(cast.district, name="赵常委"),
                            title=Position.Title.STANDING)
    page = login(cast.users.staff).get(org.term.get_absolute_url()).content.decode()
    assert page.index("陈浙江") < page.index("王建国") < page.index("赵常委")  # 主席, 副主席, 常委
    assert reverse("orgs:position_edit", args=[org.position.pk]) in page


def test_a_chamber_secretary_reads_its_chambers_terms_from_its_page(cast, login):
    term = Term.objects.create(federation=cast.district, chamber=cast.chamber1, number=3, start=date(2023, 5, 1))
    client = login(cast.users.chamber1)
    page = client.get(reverse("orgs:chamber_detail", args=[cast.chamber1.pk])).content.decode()
    assert term.get_absolute_url() in page
    term_page = client.get(term.get_absolute_url()).content.decode()
    assert "友谊路街道商会第3届" in term_page and "新增职务" not in term_page


def test_the_staff_menu_has_terms_streets_and_villages(cast):
    labels = {item["label"] for group in navigation_for(cast.users.staff) for item in group["items"]}
    assert {"届次", "街道（镇）", "帮扶村", "专门委员会", "职能部门", "商会"} <= labels
    chamber_labels = {item["label"] for group in navigation_for(cast.users.chamber1) for item in group["items"]}
    assert "帮扶村" not in chamber_labels and "本商会" in chamber_labels
