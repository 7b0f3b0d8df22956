"""邀请 and the invitations of an event: picking persons and enterprises one by one or by a filter (a chamber,
a committee, members of a kind, an industry, an earlier event's list), the SMS refusal that writes nothing,
the list with its filter and export, cancelling an invitation, an RSVP taken by phone and the printed 请柬."""

import datetime
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import IndustryCode
from shanglian.events import services
from shanglian.events.models import CheckIn, Invitation
from shanglian.orgs.models import Committee, Position, Term


@pytest.fixture
def event(cast):
    return testing.make_event(cast.district, status="draft", title="民营企业家早餐会", kind="breakfast",
                              starts_at=timezone.now() + datetime.timedelta(days=5))


def invite_url(event):
    return reverse("events:invite", args=[event.pk])


def post_invite(client, event, follow=False, **data):
    return client.post(invite_url(event), {"channel": "site", **data}, follow=follow)


def invited(event):
    """The event's invitees as ({person names}, {enterprise names of enterprise invitations})."""
    rows = list(event.invitations.exclude(status="cancelled"))
    return {i.name for i in rows if i.person_id}, {i.name for i in rows if not i.person_id}


# --- picking -------------------------------------------------------------------------------------------------
def test_staff_invites_persons_and_enterprises_picked_one_by_one(cast, login, event):
    client = login(cast.users.staff)
    page = client.get(invite_url(event)).content.decode()
    assert 'name="person_1"' in page and 'name="enterprise_5"' in page and "按条件批量邀请" in page
    response = post_invite(client, event, person_1=cast.person1.pk, person_2=cast.person2.pk, person_3=cast.person1.pk,
                           enterprise_1=cast.ent2.pk)
    assert response.status_code == 302 and response["Location"] == reverse("events:invitations", args=[event.pk])
    assert invited(event) == ({"王建国", "陈浙江"}, {"天津之江贸易有限公司"})
    person_invitation = event.invitations.get(person=cast.person1)
    assert person_invitation.enterprise == cast.ent1  # the person came for their enterprise
    assert person_invitation.mobile_tail == cast.person1.mobile[-4:] and person_invitation.invited_by == cast.users.staff
    message = client.get(response["Location"]).content.decode()
    assert "已邀请 3 位。活动发布后受邀人即收到请柬。" in message


def test_inviting_again_skips_those_already_invited_and_says_how_many(cast, login, event):
    client = login(cast.users.staff)
    post_invite(client, event, person_1=cast.person1.pk)
    response = post_invite(client, event, person_1=cast.person1.pk, enterprise_1=cast.ent1.pk, follow=True)
    assert "已邀请 1 位，另有 1 位此前已受邀，未重复邀请" in response.content.decode()
    assert event.invitations.count() == 2


def test_nothing_chosen_is_refused_on_the_form(cast, login, event):
    response = post_invite(login(cast.users.staff), event)
    assert response.status_code == 400
    assert "请至少选择一位受邀人或一家受邀企业。" in response.content.decode()


def test_a_person_of_another_federation_cannot_be_picked(cast, login, event):
    outsider = testing.make_person(cast.other, name="南开某人")
    response = post_invite(login(cast.users.staff), event, person_1=outsider.pk)
    assert response.status_code == 400
    assert "所选人员不存在或不在您的管理范围内" in response.content.decode()
    assert not event.invitations.exists()


# --- filters -------------------------------------------------------------------------------------------------
def test_inviting_a_chambers_member_enterprises(cast, login, event):
    extra = testing.make_enterprise(cast.district, name="天津友谊新材料有限公司", chamber=cast.chamber1)
    post_invite(login(cast.users.staff), event, chamber=cast.chamber1.pk)
    assert invited(event) == (set(), {cast.ent1.name, extra.name})


def test_inviting_a_committees_members(cast, login, event):
    committee = Committee.objects.create(federation=cast.district, name="青年企业家委员会")
    term = Term.objects.create(federation=cast.district, number=5, start=datetime.date(2022, 1, 1))
    Position.objects.create(term=term, person=cast.person1, title=Position.Title.COMMITTEE_MEMBER, committee=committee)
    Position.objects.create(term=term, person=cast.person2, title=Position.Title.COMMITTEE_MEMBER, committee=committee,
                            end=datetime.date(2023, 1, 1))  # left the committee
    post_invite(login(cast.users.staff), event, committee=committee.pk)
    assert invited(event) == ({"王建国"}, set())


@pytest.mark.parametrize(("kind", "expected"), [
    ("enterprise", (set(), {"天津友谊科技有限公司", "天津之江贸易有限公司"})),
    ("individual", ({"王建国"}, set())),
], ids=["enterprise-members", "individual-members"])
def test_inviting_the_members_of_a_kind(cast, login, event, kind, expected):
    testing.make_enterprise(cast.district, name="非会员企业")
    post_invite(login(cast.users.staff), event, member_kind=kind)
    assert invited(event) == expected


def test_inviting_an_industrys_enterprises_within_the_scope(cast, login, event):
    retail = IndustryCode.objects.filter(level="class", code__startswith="52").order_by("code").first()
    shop = testing.make_enterprise(cast.district, name="天津某某百货有限公司", industry=retail)
    testing.make_enterprise(cast.other, name="南开某某超市有限公司", industry=retail)  # another federation's
    response = post_invite(login(cast.users.staff), event, industry="52")
    assert response.status_code == 302
    assert invited(event) == (set(), {shop.name})


def test_an_industry_must_be_a_division(cast, login, event):
    response = post_invite(login(cast.users.staff), event, industry="5212")
    assert response.status_code == 400
    assert "行业大类为 2 位数字代码" in response.content.decode()


def test_inviting_an_earlier_events_list_or_only_those_who_came(cast, login, event):
    earlier = testing.make_event(cast.district, status="finished", title="上期早餐会",
                                 starts_at=timezone.now() - datetime.timedelta(days=30))
    came = testing.make_invitation(earlier, cast.person1)
    testing.make_invitation(earlier, cast.ent2)
    CheckIn.objects.create(event=earlier, invitation=came, person=cast.person1, enterprise=cast.ent1, name="王建国",
                           method=CheckIn.Method.MANUAL)
    client = login(cast.users.staff)
    post_invite(client, event, like_event=earlier.pk, attended_only="on")
    assert invited(event) == ({"王建国"}, set())
    post_invite(client, event, like_event=earlier.pk)
    assert invited(event) == ({"王建国"}, {"天津之江贸易有限公司"})


def test_only_attended_needs_an_earlier_event(cast, login, event):
    response = post_invite(login(cast.users.staff), event, attended_only="on", person_1=cast.person1.pk)
    assert response.status_code == 400
    assert "请先选择要沿用名单的往期活动。" in response.content.decode()
    assert not event.invitations.exists()


def test_a_chamber_secretary_invites_within_its_chamber_only(cast, login):
    event = testing.make_event(cast.district, status="draft", chamber=cast.chamber1)
    client = login(cast.users.chamber1)
    page = client.get(invite_url(event)).content.decode()
    assert cast.chamber1.name in page and cast.chamber2.name not in page and 'name="committee"' not in page
    response = post_invite(client, event, chamber=cast.chamber2.pk)
    assert response.status_code == 400 and not event.invitations.exists()
    post_invite(client, event, chamber=cast.chamber1.pk, person_1=cast.person1.pk)
    assert invited(event) == ({"王建国"}, {"天津友谊科技有限公司"})


# --- SMS -----------------------------------------------------------------------------------------------------
def test_an_sms_invitation_to_someone_without_a_mobile_is_refused_and_nothing_written(cast, login, event):
    no_mobile = testing.make_person(cast.district, name="赵无号", enterprise=cast.ent1, mobile="")
    response = login(cast.users.staff).post(invite_url(event), {
        "channel": "sms", "person_1": cast.person1.pk, "person_2": no_mobile.pk})
    assert response.status_code == 400
    assert "以下受邀人没有手机号，不能发送短信邀请：赵无号。请补全手机号或改为站内通知。" in response.content.decode()
    assert not event.invitations.exists()
    assert not AuditEvent.objects.filter(object_type="events.event", object_id=str(event.pk)).exists()


def test_an_sms_invitation_records_its_channel(cast, login, event):
    post_invite(login(cast.users.staff), event, channel="sms", person_1=cast.person1.pk)
    assert event.invitations.get().channel == Invitation.Channel.SMS


# --- who may invite ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "expected"), [("leader", 403), ("dept1", 403), ("ent1", 403), ("auditor", 403),
                                                ("chamber1", 404), ("chamber2", 404), ("outsider_staff", 404)])
def test_who_may_not_invite(cast, login, event, role, expected):
    client = login(getattr(cast.users, role))
    assert client.get(invite_url(event)).status_code == expected
    assert post_invite(client, event, person_1=cast.person1.pk).status_code == expected
    assert not event.invitations.exists()


def test_a_finished_event_takes_no_more_invitations(cast, login):
    event = testing.make_event(cast.district, status="finished")
    response = login(cast.users.staff).get(invite_url(event), follow=True)
    assert "活动已结束，不能再发出邀请。" in response.content.decode()


# --- the list ------------------------------------------------------------------------------------------------
@pytest.fixture
def answered(cast):
    """An event in registration with three invitations: one accepted and checked in, one pending, one declined."""
    event = testing.make_event(cast.district, title="财税政策座谈会", kind="symposium",
                               starts_at=timezone.now() + datetime.timedelta(days=2))
    accepted = testing.make_invitation(event, cast.person1, status="accepted", responded_at=timezone.now())
    CheckIn.objects.create(event=event, invitation=accepted, person=cast.person1, enterprise=cast.ent1, name="王建国",
                           method=CheckIn.Method.MANUAL)
    pending = testing.make_invitation(event, cast.person2)
    declined = testing.make_invitation(event, cast.ent2, status="declined")
    return event, accepted, pending, declined


def test_the_invitations_list_shows_each_invitee_and_filters_by_answer(cast, login, answered):
    event, accepted, pending, declined = answered
    client = login(cast.users.staff)
    url = reverse("events:invitations", args=[event.pk])
    html = client.get(url).content.decode()
    assert "共 3 条" in html and "王建国" in html and "陈浙江" in html and "天津之江贸易有限公司" in html
    assert cast.person1.mobile[-4:] in html and "电话登记回复" in html and "打印请柬" in html
    filtered = client.get(url, {"status": "pending"}).content.decode()
    assert "共 1 条" in filtered and "陈浙江" in filtered and "王建国" not in filtered
    # the one checked in cannot be cancelled from the list
    assert reverse("events:invitation_cancel", args=[accepted.pk]) not in html
    assert reverse("events:invitation_cancel", args=[pending.pk]) in html


def test_the_invitations_export_writes_the_same_rows_and_is_audited(cast, login, answered):
    event = answered[0]
    response = login(cast.users.staff).get(reverse("events:invitations_export", args=[event.pk]), {"status": "accepted"})
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("姓名", "企业", "手机尾号", "通知方式", "回复")
    assert [row[0] for row in rows[1:]] == ["王建国"] and rows[1][-1] == "是"
    assert AuditEvent.objects.filter(action="export", object_type="events.event").exists()


def test_a_leader_reads_the_invitations_without_row_actions(cast, login, answered):
    html = login(cast.users.leader).get(reverse("events:invitations", args=[answered[0].pk])).content.decode()
    assert "共 3 条" in html and "电话登记回复" not in html and "取消邀请" not in html


@pytest.mark.parametrize(("role", "expected"), [("chamber1", 404), ("chamber2", 404), ("dept1", 403),
                                                ("ent1", 403), ("outsider_staff", 404), ("auditor", 403)])
def test_who_may_not_read_the_invitations(cast, login, answered, role, expected):
    client = login(getattr(cast.users, role))
    assert client.get(reverse("events:invitations", args=[answered[0].pk])).status_code == expected
    assert client.get(reverse("events:invitations_export", args=[answered[0].pk])).status_code == expected


# --- cancel --------------------------------------------------------------------------------------------------
def test_staff_cancels_an_invitation_after_confirming(cast, login, answered):
    _event, _accepted, pending, _declined = answered
    client = login(cast.users.staff)
    url = reverse("events:invitation_cancel", args=[pending.pk])
    page = client.get(url).content.decode()
    assert "确定取消对“陈浙江”的邀请吗？" in page and "确认取消邀请" in page
    pending.refresh_from_db()
    assert pending.status == "pending"  # a GET changes nothing
    response = client.post(url, follow=True)
    pending.refresh_from_db()
    assert pending.status == "cancelled" and "已取消对“陈浙江”的邀请" in response.content.decode()


def test_a_checked_in_invitation_is_not_cancelled(cast, login, answered):
    accepted = answered[1]
    response = login(cast.users.staff).post(reverse("events:invitation_cancel", args=[accepted.pk]), follow=True)
    accepted.refresh_from_db()
    assert accepted.status == "accepted" and "受邀人已签到，不能取消请柬。" in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), [("leader", 403), ("chamber2", 404), ("dept1", 403),
                                                ("outsider_staff", 404), ("ent1", 403)])
def test_who_may_not_cancel_an_invitation(cast, login, answered, role, expected):
    pending = answered[2]
    client = login(getattr(cast.users, role))
    assert client.post(reverse("events:invitation_cancel", args=[pending.pk])).status_code == expected
    pending.refresh_from_db()
    assert pending.status == "pending"


# --- an RSVP by phone ----------------------------------------------------------------------------------------
def rsvp_url(invitation):
    return reverse("events:invitation_rsvp", args=[invitation.pk])


def test_staff_records_an_answer_taken_by_phone(cast, login, answered):
    pending = answered[2]
    client = login(cast.users.staff)
    assert "电话登记回复" in client.get(rsvp_url(pending)).content.decode()
    response = client.post(rsvp_url(pending), {"answer": "substitute", "substitute_name": "陈助理"}, follow=True)
    pending.refresh_from_db()
    assert (pending.status, pending.substitute_name, pending.responded_by) == ("substitute", "陈助理", cast.users.staff)
    assert "已登记“陈浙江”的回复：代为参加。" in response.content.decode()


def test_a_substitute_needs_a_name(cast, login, answered):
    pending = answered[2]
    response = login(cast.users.staff).post(rsvp_url(pending), {"answer": "substitute", "substitute_name": " "})
    assert response.status_code == 400 and "代为参加请填写代参加人姓名。" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_yes_past_the_capacity_goes_on_the_waitlist(cast, login, answered):
    event, _accepted, pending, _declined = answered
    event.capacity = 1
    event.save(update_fields=["capacity"])
    response = login(cast.users.staff).post(rsvp_url(pending), {"answer": "accepted"}, follow=True)
    pending.refresh_from_db()
    assert pending.status == "waitlisted" and "名额已满，“陈浙江”已列入候补" in response.content.decode()


def test_an_answer_after_the_deadline_is_refused_on_the_form(cast, login, answered):
    event, _accepted, pending, _declined = answered
    event.rsvp_deadline = timezone.now() - datetime.timedelta(hours=1)
    event.save(update_fields=["rsvp_deadline"])
    response = login(cast.users.staff).post(rsvp_url(pending), {"answer": "accepted"})
    assert response.status_code == 400 and "报名已于" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize(("role", "expected"), [("leader", 403), ("chamber2", 404), ("outsider_staff", 404),
                                                ("dept1", 403)])
def test_who_may_not_record_an_answer(cast, login, answered, role, expected):
    pending = answered[2]
    client = login(getattr(cast.users, role))
    assert client.post(rsvp_url(pending), {"answer": "accepted"}).status_code == expected
    pending.refresh_from_db()
    assert pending.status == "pending"


# --- the printed 请柬 -----------------------------------------------------------------------------------------
def test_the_printed_invitation_carries_the_facts_and_the_personal_qr(cast, login, answered):
    event, _accepted, pending, _declined = answered
    html = login(cast.users.staff).get(reverse("events:invitation_print", args=[pending.pk])).content.decode()
    assert "请　柬" in html and "尊敬的 <strong>陈浙江</strong>" in html and event.venue in html
    assert "<svg" in html and "入场签到二维码" in html and "data-print" in html
    assert "events/invitation_print.css" in html and "改为 A4 纸" in html
    assert pending.code not in html  # the code is only inside the signed token drawn as the QR


def test_a_cancelled_invitation_prints_without_its_qr(cast, login, answered):
    pending = answered[2]
    services.cancel_invitation(actor=cast.users.staff, invitation=pending)
    html = login(cast.users.staff).get(reverse("events:invitation_print", args=[pending.pk])).content.decode()
    assert "该请柬已取消，二维码不能用于签到。" in html and "<svg" not in html


@pytest.mark.parametrize(("role", "expected"), [("leader", 403), ("chamber2", 404), ("outsider_staff", 404),
                                                ("dept1", 403), ("ent1", 403)])
def test_who_may_not_print_an_invitation(cast, login, answered, role, expected):
    client = login(getattr(cast.users, role))
    assert client.get(reverse("events:invitation_print", args=[answered[2].pk])).status_code == expected
