"""The supply–demand board's writes and reads (services.board, selectors.board): posting (an enterprise member in force
for itself, an editor on behalf of one of its federation), the refusals in Chinese with nothing written (no category,
a past 有效期至, a non-member, another federation's enterprise), closing, contact requests routed through the platform
with the poster's consent (the requester never sees the poster's contact before 同意; both sides told), the matching,
and the scopes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.growth.models import ContactRequest, Post
from shanglian.growth.selectors import board as selectors
from shanglian.growth.selectors.scopes import contact_requests_visible_to, posts_visible_to
from shanglian.growth.services import board as services
from shanglian.growth.workflow import CONTACT_FLOW
from shanglian.notifications.models import Notification


def post_data(**fields):
    values = {"category": Post.Category.PURCHASE, "title": "采购电子元器件", "body": "年采购量约100万元，长期合作",
              "valid_until": timezone.localdate() + timedelta(days=30), "keywords": "电子，元器件 电阻",
              "industry": None, "amount": None, "headcount": None}
    values.update(fields)
    return values


def written():
    return (Post.objects.count(), ContactRequest.objects.count(), AuditEvent.objects.count(),
            Notification.objects.count())


@pytest.fixture
def ent2_user(cast):
    return testing.make_user(Role.ENTERPRISE, username="ent2", enterprise=cast.ent2)


@pytest.fixture
def outsider_member(cast):
    """An enterprise member in force of the other federation, with its user."""
    return testing.make_user(Role.ENTERPRISE, username="ent_other", enterprise=cast.ent_other)


@pytest.fixture
def non_member(cast):
    enterprise = testing.make_enterprise(cast.district, name="天津未入会商贸有限公司")
    return testing.make_user(Role.ENTERPRISE, username="nonmember", enterprise=enterprise)


# --- posting -------------------------------------------------------------------------------------------------------
def test_a_member_enterprise_posts_for_itself_numbered_and_audited(cast):
    post = services.save_post(actor=cast.users.ent1, **post_data())
    assert post.number.startswith("GX") and post.enterprise == cast.ent1 and post.federation == cast.district
    assert post.posted_by == cast.users.ent1 and post.status == Post.Status.OPEN
    assert post.keywords == "电子 元器件 电阻"  # normalised, without repeats
    assert post.industry == cast.ent1.industry  # its own industry by default
    assert AuditEvent.objects.filter(object_type="growth.post", object_id=str(post.pk), action="create").exists()


def test_an_enterprise_cannot_post_for_another_enterprise(cast):
    post = services.save_post(actor=cast.users.ent1, enterprise=cast.ent2, **post_data())
    assert post.enterprise == cast.ent1


@pytest.mark.parametrize("category", ["", None, "lottery"], ids=["empty", "none", "unknown"])
def test_a_post_with_no_category_is_refused_in_chinese_and_nothing_is_written(cast, category):
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.save_post(actor=cast.users.ent1, **post_data(category=category))
    assert exc.value.message_dict["category"] == [services.NO_CATEGORY]
    assert "请选择供需类别" in services.NO_CATEGORY
    assert written() == before


def test_a_post_valid_until_yesterday_is_refused(cast):
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.save_post(actor=cast.users.ent1,
                           **post_data(valid_until=timezone.localdate() - timedelta(days=1)))
    assert exc.value.message_dict["valid_until"] == ["有效期至不能早于今天。"]
    assert written() == before


def test_an_enterprise_that_is_not_a_member_cannot_post(non_member):
    before = written()
    with pytest.raises(Refused) as exc:
        services.save_post(actor=non_member, **post_data())
    assert exc.value.message == services.NOT_A_MEMBER
    assert written() == before


def test_a_member_that_left_cannot_post(cast):
    cast.memberships.ent1.left = date(2024, 1, 1)
    cast.memberships.ent1.save()
    with pytest.raises(Refused):
        services.save_post(actor=cast.users.ent1, **post_data())


def test_staff_post_on_behalf_of_an_enterprise_of_their_federation_and_link_matchmaking_events(cast):
    fair = testing.make_event(cast.district, kind="financing", title="2026年融资推介会")
    post = services.save_post(actor=cast.users.staff, enterprise=cast.ent2, events=[fair],
                              **post_data(category=Post.Category.FINANCING))
    assert post.enterprise == cast.ent2 and post.posted_by == cast.users.staff
    assert list(post.events.all()) == [fair]
    event = AuditEvent.objects.get(object_type="growth.post", object_id=str(post.pk))
    assert event.detail["on_behalf"] is True


def test_a_post_cannot_be_linked_to_an_event_that_is_not_matchmaking(cast):
    training = testing.make_event(cast.district, kind="training")
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.save_post(actor=cast.users.staff, enterprise=cast.ent2, events=[training], **post_data())
    assert "对接活动" in exc.value.message_dict["events"][0]
    assert written() == before


def test_staff_of_another_federation_cannot_post_for_a_district_enterprise(cast):
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.save_post(actor=cast.users.outsider_staff, enterprise=cast.ent1, **post_data())
    assert exc.value.message_dict["enterprise"] == [services.OUT_OF_SCOPE]
    assert written() == before


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "auditor"])
def test_readers_and_other_roles_cannot_post(cast, role):
    with pytest.raises(PermissionDenied):
        services.save_post(actor=getattr(cast.users, role), enterprise=cast.ent1, **post_data())
    assert not Post.objects.exists()


def test_the_poster_edits_its_own_open_post_and_not_another(cast, ent2_user):
    post = services.save_post(actor=cast.users.ent1, **post_data())
    services.save_post(actor=cast.users.ent1, post=post, **post_data(title="采购电阻电容"))
    post.refresh_from_db()
    assert post.title == "采购电阻电容"
    with pytest.raises(PermissionDenied):
        services.save_post(actor=ent2_user, post=post, **post_data(title="改掉"))


# --- closing ---------------------------------------------------------------------------------------------------------
def test_the_poster_closes_its_post_with_a_reason_and_pending_requesters_are_told(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    testing.make_contact_request(post, cast.ent2, by=ent2_user)
    services.close_post(actor=cast.users.ent1, post=post, reason="已达成合作")
    post.refresh_from_db()
    assert post.status == Post.Status.CLOSED and post.closed_reason == "已达成合作"
    assert Notification.objects.filter(recipient=ent2_user, kind="growth_post_closed").exists()


def test_closing_needs_a_reason_and_a_closed_post_cannot_be_closed_again(cast):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    with pytest.raises(ValidationError):
        services.close_post(actor=cast.users.ent1, post=post, reason=" ")
    services.close_post(actor=cast.users.staff, post=post, reason="需求取消")
    with pytest.raises(Refused) as exc:
        services.close_post(actor=cast.users.ent1, post=post, reason="再关一次")
    assert "已关闭" in exc.value.message


def test_another_enterprise_or_a_leader_cannot_close_a_post(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    with pytest.raises(PermissionDenied):
        services.close_post(actor=ent2_user, post=post, reason="捣乱")
    with pytest.raises(PermissionDenied):
        services.close_post(actor=cast.users.leader, post=post, reason="领导")
    with pytest.raises(PermissionDenied):
        services.close_post(actor=cast.users.outsider_staff, post=post, reason="外区")
    post.refresh_from_db()
    assert post.status == Post.Status.OPEN


# --- contact requests and consent -------------------------------------------------------------------------------------
def test_a_contact_request_is_routed_to_the_poster_without_giving_the_contact(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = services.request_contact(actor=ent2_user, post=post, message="我司生产电阻，希望供货")
    assert request.status == ContactRequest.Status.PENDING and request.requester == cast.ent2
    told = Notification.objects.get(recipient=cast.users.ent1, kind="growth_contact_request")
    assert "天津之江贸易有限公司" in told.title and "同意后" in told.body
    # no contact yet: not on the requester's reads, not in the notification
    assert selectors.poster_contact(ent2_user, post) is None
    assert selectors.consented_contacts(request) is None
    assert cast.ent1.contact_mobile not in told.title + told.body


def test_the_requester_sees_the_posters_contact_only_after_the_poster_accepts(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = services.request_contact(actor=ent2_user, post=post, message="希望对接")
    assert selectors.poster_contact(ent2_user, post) is None
    services.accept_contact(actor=cast.users.ent1, contact_request=request)
    contact = selectors.poster_contact(ent2_user, post)
    assert contact["mobile"] == cast.ent1.contact_mobile and contact["name"] == cast.ent1.contact_name
    assert Notification.objects.filter(recipient=ent2_user, kind="growth_contact_decided",
                                       title__contains="已同意").exists()
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.ACCEPTED and request.decided_at is not None
    assert AuditEvent.objects.filter(object_type="growth.contactrequest", object_id=str(request.pk),
                                     detail__transition="accept_contact").exists()


def test_a_declined_or_withdrawn_request_never_shows_the_contact(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = services.request_contact(actor=ent2_user, post=post, message="希望对接")
    services.decline_contact(actor=cast.users.ent1, contact_request=request)
    assert selectors.poster_contact(ent2_user, post) is None
    assert Notification.objects.filter(recipient=ent2_user, title__contains="婉拒").exists()
    # a new request after the refusal, withdrawn: still nothing
    again = services.request_contact(actor=ent2_user, post=post, message="再次希望对接")
    services.withdraw_contact(actor=ent2_user, contact_request=again)
    assert selectors.poster_contact(ent2_user, post) is None
    assert Notification.objects.filter(recipient=cast.users.ent1, kind="growth_contact_withdrawn").exists()


def test_an_accepted_request_on_one_post_does_not_open_another_post_of_the_same_poster(cast, ent2_user):
    first = testing.make_post(cast.ent1, by=cast.users.ent1)
    second = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = services.request_contact(actor=ent2_user, post=first, message="希望对接")
    services.accept_contact(actor=cast.users.ent1, contact_request=request)
    assert selectors.poster_contact(ent2_user, first) is not None
    assert selectors.poster_contact(ent2_user, second) is None


def test_only_the_poster_accepts_or_declines_and_only_the_requester_withdraws(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = services.request_contact(actor=ent2_user, post=post, message="希望对接")
    with pytest.raises(PermissionDenied):
        services.accept_contact(actor=ent2_user, contact_request=request)  # the requester consenting for the poster
    with pytest.raises(PermissionDenied):
        services.accept_contact(actor=cast.users.staff, contact_request=request)  # nor the desk
    with pytest.raises(PermissionDenied):
        services.withdraw_contact(actor=cast.users.ent1, contact_request=request)
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.PENDING
    assert selectors.poster_contact(ent2_user, post) is None


def test_a_decided_request_cannot_be_decided_again(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = services.request_contact(actor=ent2_user, post=post, message="希望对接")
    services.accept_contact(actor=cast.users.ent1, contact_request=request)
    with pytest.raises(Refused) as exc:
        services.decline_contact(actor=cast.users.ent1, contact_request=request)
    assert "已同意" in exc.value.message
    with pytest.raises(Refused):
        services.withdraw_contact(actor=ent2_user, contact_request=request)


@pytest.mark.parametrize("case", ["own", "twice", "closed", "expired"])
def test_a_contact_request_that_breaks_a_rule_is_refused_in_chinese_with_nothing_written(cast, ent2_user, case):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    actor = ent2_user
    if case == "own":
        actor = cast.users.ent1
    elif case == "twice":
        services.request_contact(actor=ent2_user, post=post, message="第一次")
    elif case == "closed":
        post.status, post.closed_reason = Post.Status.CLOSED, "已完成"
        post.save()
    elif case == "expired":
        post.valid_until = timezone.localdate() - timedelta(days=1)
        post.save()
    before = written()
    with pytest.raises(Refused) as exc:
        services.request_contact(actor=actor, post=post, message="希望对接")
    assert exc.value.message == {"own": services.OWN_POST, "twice": services.ALREADY_ASKED,
                                 "closed": services.NOT_LIVE, "expired": services.NOT_LIVE}[case]
    assert written() == before


def test_a_non_member_or_another_federations_member_cannot_ask_for_a_contact(cast, non_member, outsider_member):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    for actor in (non_member, outsider_member):
        with pytest.raises(Refused) as exc:
            services.request_contact(actor=actor, post=post, message="希望对接")
        assert exc.value.message == services.NOT_A_MEMBER
    with pytest.raises(PermissionDenied):
        services.request_contact(actor=cast.users.staff, post=post, message="代企业请求")
    assert not ContactRequest.objects.exists()


def test_a_request_needs_a_message(cast, ent2_user):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    with pytest.raises(ValidationError):
        services.request_contact(actor=ent2_user, post=post, message="  ")
    assert not ContactRequest.objects.exists()


def test_contact_flow_is_the_enterprises_alone():
    assert CONTACT_FLOW.roles == {Role.ENTERPRISE}


# --- matching ---------------------------------------------------------------------------------------------------------
def test_a_purchase_matches_supply_of_the_same_division_or_a_shared_keyword(cast):
    staff = cast.users.staff
    purchase = testing.make_post(cast.ent1, by=staff, category="purchase", keywords="电阻 电容")
    same_division = testing.make_post(cast.ent2, by=staff, category="supply", keywords="钢材")
    other_industry = testing.make_enterprise(cast.district, industry_id="1311")
    testing.make_membership(cast.district, other_industry)
    by_keyword = testing.make_post(other_industry, by=staff, category="supply", keywords="电容")
    unrelated = testing.make_post(other_industry, by=staff, category="supply", keywords="大米")
    wrong_category = testing.make_post(cast.ent2, by=staff, category="purchase")
    own = testing.make_post(cast.ent1, by=staff, category="supply")
    closed = testing.make_post(cast.ent2, by=staff, category="supply", status="closed")
    expired = testing.make_post(cast.ent2, by=staff, category="supply",
                                valid_until=timezone.localdate() - timedelta(days=1))
    other_federation = testing.make_post(cast.ent_other, by=staff, category="supply")
    found = selectors.matches(staff, purchase)
    assert [m.post for m in found] == [same_division, by_keyword]
    assert found[0].same_division and found[1].keywords == ("电容",)
    assert "共同关键词：电容" in found[1].reasons
    for post in (unrelated, wrong_category, own, closed, expired, other_federation):
        assert post not in [m.post for m in found]


def test_matching_is_symmetric_between_supply_and_the_other_needs(cast):
    staff = cast.users.staff
    supply = testing.make_post(cast.ent1, by=staff, category="supply")
    for category in ("purchase", "technology", "financing", "hiring", "cooperation"):
        need = testing.make_post(cast.ent2, by=staff, category=category)
        assert supply in [m.post for m in selectors.matches(staff, need)], category
        assert need in [m.post for m in selectors.matches(staff, supply)], category
    technology = testing.make_post(cast.ent2, by=staff, category="technology")
    financing = testing.make_post(cast.ent1, by=staff, category="financing")
    assert financing not in [m.post for m in selectors.matches(staff, technology)]


def test_an_enterprise_is_matched_only_with_posts_it_may_see(cast):
    mine = testing.make_post(cast.ent1, by=cast.users.ent1, category="purchase")
    supply = testing.make_post(cast.ent2, by=cast.users.staff, category="supply")
    assert [m.post for m in selectors.matches(cast.users.ent1, mine)] == [supply]


# --- scope -----------------------------------------------------------------------------------------------------------
def test_the_board_is_scoped_to_the_federation_and_open_posts_for_members(cast, ent2_user, outsider_member,
                                                                        non_member):
    open_post = testing.make_post(cast.ent2, by=cast.users.staff)
    closed = testing.make_post(cast.ent2, by=cast.users.staff, status="closed")
    other = testing.make_post(cast.ent_other, by=cast.users.outsider_staff)
    assert set(posts_visible_to(cast.users.staff)) == {open_post, closed}
    assert set(posts_visible_to(cast.users.outsider_staff)) == {other}
    assert set(posts_visible_to(cast.users.ent1)) == {open_post}
    assert set(posts_visible_to(cast.users.chamber2)) == {open_post}
    assert set(posts_visible_to(ent2_user)) == {open_post, closed}  # its own, every status
    assert set(posts_visible_to(outsider_member)) == {other}
    assert set(posts_visible_to(non_member)) == set()
    for role in ("dept1", "auditor"):
        with pytest.raises(PermissionDenied):
            posts_visible_to(getattr(cast.users, role))


def test_contact_requests_are_seen_by_the_two_enterprises_and_the_federation_only(cast, ent2_user, outsider_member):
    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = testing.make_contact_request(post, cast.ent2, by=ent2_user)
    assert list(contact_requests_visible_to(cast.users.ent1)) == [request]
    assert list(contact_requests_visible_to(ent2_user)) == [request]
    assert list(contact_requests_visible_to(cast.users.staff)) == [request]
    assert list(contact_requests_visible_to(outsider_member)) == []
    assert list(contact_requests_visible_to(cast.users.outsider_staff)) == []
    with pytest.raises(PermissionDenied):
        contact_requests_visible_to(cast.users.chamber1)


def test_the_desk_is_shown_stale_requests_and_expired_open_posts(cast, ent2_user):
    from shanglian.growth.todos import board_todos

    post = testing.make_post(cast.ent1, by=cast.users.ent1)
    request = testing.make_contact_request(post, cast.ent2, by=ent2_user)
    ContactRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=8))
    testing.make_post(cast.ent2, by=cast.users.staff, valid_until=timezone.localdate() - timedelta(days=3))
    todos = {todo.label: todo for todo in board_todos(cast.users.staff)}
    assert todos["超过7天未处理的对接请求"].count == 1
    assert todos["已过期未关闭的供需信息"].count == 1
    assert list(board_todos(cast.users.leader)) == [] and list(board_todos(cast.users.outsider_staff)) == []
