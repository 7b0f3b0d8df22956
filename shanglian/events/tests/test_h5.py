"""The invitee's phone pages: 我的活动 (its own enterprise's invitations only, 待回复 first), the 请柬 with the answer
(参加/不参加/代为参加, the deadline, the waitlist), the personal QR code and 已签到, the materials, the feedback after
the event, and 扫码签到 with the posted 签到码 — each of its answers. Other roles are refused; another
enterprise's invitation is 404 and nothing changes."""

import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.events import services, tokens
from shanglian.events.models import CheckIn, Event, Feedback, Invitation, Scan

pytestmark = pytest.mark.django_db

# A fixed Wednesday morning in the district: the events' days and the deadlines below are relative to it.
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def reference_data(db):
    testing.ensure_reference_data()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def later(cast, *, days=3, **fields):
    """An event of the district taking answers, in `days` days."""
    fields.setdefault("status", Event.Status.REGISTRATION)
    return testing.make_event(cast.district, starts_at=timezone.now() + timedelta(days=days), **fields)


def under_way(cast, **fields):
    """An event that started half an hour ago (its check-in is open)."""
    fields.setdefault("status", Event.Status.RUNNING)
    return testing.make_event(cast.district, starts_at=timezone.now() - timedelta(minutes=30), **fields)


def page_of(response):
    return response.content.decode()


# --- 我的活动 --------------------------------------------------------------------------------------------------
def test_my_events_list_only_the_enterprises_own_invitations_pending_first(cast, login):
    past = testing.make_event(cast.district, title="去年的培训班", starts_at=timezone.now() - timedelta(days=200),
                              status=Event.Status.FINISHED)
    soon = later(cast, title="下周的恳谈会", days=7, kind="dialogue", status=Event.Status.PUBLISHED)
    pending = later(cast, title="待回复的早餐会", days=10, kind="breakfast")
    testing.make_invitation(past, cast.ent1, status=Invitation.Status.ACCEPTED)
    testing.make_invitation(soon, cast.person1, status=Invitation.Status.ACCEPTED)
    testing.make_invitation(pending, cast.ent1)
    # not ent1's, or not to be seen yet
    testing.make_invitation(later(cast, title="之江贸易的请柬"), cast.ent2)
    testing.make_invitation(later(cast, title="尚在草稿的活动", status=Event.Status.DRAFT), cast.ent1)

    page = page_of(login(cast.users.ent1).get(reverse("events:h5_invitations")))
    assert page.index("待回复的早餐会") < page.index("下周的恳谈会") < page.index("去年的培训班")
    assert "有 1 份请柬待回复" in page
    pending_part = page.split('id="pending"')[1].split('id="upcoming"')[0]
    assert "待回复的早餐会" in pending_part and "前回复" in pending_part
    assert "之江贸易的请柬" not in page and "尚在草稿的活动" not in page
    assert 'id="past"' in page and "去年的培训班" in page.split('id="past"')[1]


def test_my_events_says_when_there_is_nothing_yet(cast, login):
    response = login(cast.users.ent1).get(reverse("events:h5_invitations"))
    assert response.status_code == 200 and "暂无活动邀请" in page_of(response)


@pytest.mark.parametrize("role", ["staff", "chamber1", "dept1", "leader"])
def test_other_roles_cannot_open_the_invitees_pages(cast, login, role):
    invitation = testing.make_invitation(later(cast), cast.ent1)
    client = login(getattr(cast.users, role))
    for url in (reverse("events:h5_invitations"), reverse("events:h5_invitation", args=[invitation.pk]),
                reverse("events:h5_checkin")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("events:h5_rsvp", args=[invitation.pk]), {"answer": "accepted"}).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_another_enterprises_invitation_is_not_found_and_nothing_changes(cast, login, media):
    event = later(cast)
    services.add_materials(actor=cast.users.staff, event=event,
                           files=[SimpleUploadedFile("议程.pdf", PDF_BYTES, content_type="application/pdf")])
    theirs = testing.make_invitation(event, cast.ent2)
    material = event.attachments.get()
    client = login(cast.users.ent1)
    assert client.get(reverse("events:h5_invitation", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("events:h5_rsvp", args=[theirs.pk]), {"answer": "accepted"}).status_code == 404
    assert client.post(reverse("events:h5_feedback", args=[theirs.pk]), {"score": "5"}).status_code == 404
    assert client.get(reverse("events:h5_material", args=[theirs.pk, material.pk])).status_code == 404
    assert Invitation.objects.get(pk=theirs.pk).status == Invitation.Status.PENDING
    assert AuditEvent.objects.filter(action="denied", object_type="events.invitation",
                                     object_id=str(theirs.pk)).exists()


# --- the 请柬 and the answer ---------------------------------------------------------------------------------------
def test_the_invitation_page_shows_the_letter_and_the_answer_form(cast, login):
    event = later(cast, title="民营企业家座谈会", kind="symposium", leaders="区委副书记 张某",
                  programme_text="09:00 签到\n09:30 座谈交流")
    invitation = testing.make_invitation(event, cast.ent1)
    response = login(cast.users.ent1).get(reverse("events:h5_invitation", args=[invitation.pk]))
    page = page_of(response)
    assert response.status_code == 200
    assert "尊敬的天津友谊科技有限公司" in page and "诚邀贵企业出席" in page
    assert "区委副书记 张某" in page and "09:30 座谈交流" in page and "河西区工商联" in page
    assert reverse("events:h5_rsvp", args=[invitation.pk]) in page
    assert "代为参加" in page and "<svg" in page  # pending: the code is shown (the door checks in the undecided)


def test_answering_yes_through_the_page(cast, login):
    invitation = testing.make_invitation(later(cast), cast.ent1)
    client = login(cast.users.ent1)
    response = client.post(reverse("events:h5_rsvp", args=[invitation.pk]), {"answer": "accepted"}, follow=True)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.responded_by == cast.users.ent1
    assert "已回复：参加" in page_of(response)


def test_a_substitute_needs_a_name_and_is_shown_with_it(cast, login):
    invitation = testing.make_invitation(later(cast), cast.ent1)
    client = login(cast.users.ent1)
    url = reverse("events:h5_rsvp", args=[invitation.pk])
    refused = client.post(url, {"answer": "substitute", "substitute_name": ""})
    assert refused.status_code == 400 and "代为参加请填写代参加人姓名" in page_of(refused)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    page = page_of(client.post(url, {"answer": "substitute", "substitute_name": "李副总"}, follow=True))
    assert "由 李副总 代为参加" in page and "代参加人：李副总" in page
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.SUBSTITUTE


def test_an_answer_after_the_deadline_is_refused_and_changes_nothing(cast, login):
    event = later(cast, rsvp_deadline=timezone.now() + timedelta(minutes=5))
    invitation = testing.make_invitation(event, cast.ent1)
    client = login(cast.users.ent1)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):  # within the session's idle timeout
        response = client.post(reverse("events:h5_rsvp", args=[invitation.pk]), {"answer": "accepted"})
        again = client.get(reverse("events:h5_invitation", args=[invitation.pk]))
    closes = timezone.localtime(event.rsvp_deadline)
    assert response.status_code == 409
    assert f"报名已于{closes:%Y年%m月%d日 %H:%M}截止" in page_of(response)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING and invitation.responded_at is None
    assert "提交回复" not in page_of(again) and "截止" in page_of(again)  # no form once closed


def test_an_answer_before_registration_opens_is_refused(cast, login):
    invitation = testing.make_invitation(later(cast, status=Event.Status.PUBLISHED), cast.ent1)
    client = login(cast.users.ent1)
    assert "活动尚未开放报名" in page_of(client.get(reverse("events:h5_invitation", args=[invitation.pk])))
    response = client.post(reverse("events:h5_rsvp", args=[invitation.pk]), {"answer": "accepted"})
    assert response.status_code == 409 and "当前不接受报名回复" in page_of(response)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_a_full_event_puts_the_yes_on_the_waitlist_with_its_place(cast, login):
    event = later(cast, capacity=1)
    testing.make_invitation(event, cast.person2, status=Invitation.Status.ACCEPTED)
    invitation = testing.make_invitation(event, cast.ent1)
    client = login(cast.users.ent1)
    response = client.post(reverse("events:h5_rsvp", args=[invitation.pk]), {"answer": "accepted"}, follow=True)
    page = page_of(response)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.WAITLISTED
    assert "您已进入候补名单（第 1 位）" in page and "候补名单第 1 位" in page
    assert "<svg" not in page  # no place yet: no code


def test_a_cancelled_event_shows_why_and_no_code(cast, login):
    event = later(cast, status=Event.Status.CANCELLED, cancel_reason="场地调整")
    invitation = testing.make_invitation(event, cast.ent1, status=Invitation.Status.ACCEPTED)
    page = page_of(login(cast.users.ent1).get(reverse("events:h5_invitation", args=[invitation.pk])))
    assert "本活动已取消：场地调整" in page and "<svg" not in page and "提交回复" not in page


# --- the personal code, materials, feedback ----------------------------------------------------------------------
def test_the_code_on_the_page_is_the_invitations_signed_token(cast, login):
    invitation = testing.make_invitation(under_way(cast), cast.person1, status=Invitation.Status.ACCEPTED)
    page = page_of(login(cast.users.ent1).get(reverse("events:h5_invitation", args=[invitation.pk])))
    from shanglian.events import qr

    assert str(qr.invitation_svg(invitation)) in page
    assert invitation.code not in page.replace(str(qr.invitation_svg(invitation)), "")  # never shown as text
    assert reverse("events:h5_checkin") + f"?invitation={invitation.pk}" in page  # 扫码签到 on the event's day


def test_once_checked_in_the_page_says_when_instead_of_the_code(cast, login):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(invitation))
    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    page = page_of(login(cast.users.ent1).get(reverse("events:h5_invitation", args=[invitation.pk])))
    assert f"已签到 {when:%H:%M}" in page and "<svg" not in page


def test_declined_and_waitlisted_invitees_see_no_code(cast, login):
    client = login(cast.users.ent1)
    for status in (Invitation.Status.DECLINED, Invitation.Status.WAITLISTED):
        invitation = testing.make_invitation(later(cast), cast.ent1, status=status)
        assert "<svg" not in page_of(client.get(reverse("events:h5_invitation", args=[invitation.pk])))


def test_materials_download_through_the_invitation_only(cast, login, media):
    event = later(cast)
    other = later(cast)
    for target in (event, other):
        services.add_materials(actor=cast.users.staff, event=target,
                               files=[SimpleUploadedFile("议程.pdf", PDF_BYTES, content_type="application/pdf")])
    invitation = testing.make_invitation(event, cast.ent1)
    client = login(cast.users.ent1)
    mine = event.attachments.get()
    page = page_of(client.get(reverse("events:h5_invitation", args=[invitation.pk])))
    assert reverse("events:h5_material", args=[invitation.pk, mine.pk]) in page
    response = client.get(reverse("events:h5_material", args=[invitation.pk, mine.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert "no-store" in response["Cache-Control"]
    # another event's material through this invitation: not found
    assert client.get(reverse("events:h5_material", args=[invitation.pk, other.attachments.get().pk])).status_code == 404


def test_feedback_after_the_event_once_only(cast, login):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.ent1)
    page_url = reverse("events:h5_invitation", args=[invitation.pk])
    url = reverse("events:h5_feedback", args=[invitation.pk])
    assert 'id="feedback"' not in page_of(client.get(page_url))  # not checked in: no form
    refused = client.post(url, {"score": "5"})
    assert refused.status_code == 409 and "签到参加活动后才能提交反馈" in page_of(refused)

    services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(invitation))
    assert "提交反馈" in page_of(client.get(page_url))
    bad = client.post(url, {"score": "9"})
    assert bad.status_code == 400 and "请选择总体评价" in page_of(bad) and not Feedback.objects.exists()
    done = client.post(url, {"score": "4", "useful": "政策解读很实用", "suggestion": ""}, follow=True)
    assert "反馈已提交" in page_of(done) and "您的评价：<strong>满意</strong>" in page_of(done)
    again = client.post(url, {"score": "1"})
    assert again.status_code == 409 and "您已提交过反馈" in page_of(again)
    assert list(Feedback.objects.values_list("score", "useful")) == [(4, "政策解读很实用")]


# --- 扫码签到 ----------------------------------------------------------------------------------------------------
def _check_in(client, payload, *, nonce=None, **extra):
    return client.post(reverse("events:h5_checkin"),
                       {"payload": payload, "nonce": nonce or uuid.uuid4().hex, **extra})


def test_the_checkin_page_loads_the_vendored_decoder_and_works_without_it(cast, login):
    page = page_of(login(cast.users.ent1).get(reverse("events:h5_checkin")))
    assert "/static/vendor/jsqr/jsQR.js" in page and "/static/shanglian/qrscan.js" in page
    assert "data-qr-scanner" in page and 'name="payload"' in page and 'name="nonce"' in page


def test_self_check_in_with_the_posted_code(cast, login):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    response = _check_in(login(cast.users.ent1), tokens.for_event(event))
    page = page_of(response)
    assert response.status_code == 200 and 'data-result="ok"' in page and "签到成功" in page and "王建国" in page
    checkin = CheckIn.objects.get()
    assert checkin.invitation == invitation and checkin.method == CheckIn.Method.SELF


def test_self_check_in_twice_says_already_with_who_and_when(cast, login):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(invitation))
    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    page = page_of(_check_in(login(cast.users.ent1), tokens.for_event(event)))
    assert 'data-result="already"' in page and f"已于 {when:%H:%M} 由 staff 签到" in page
    assert CheckIn.objects.count() == 1


def test_the_same_scan_posted_twice_is_counted_once(cast, login):
    event = under_way(cast)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.ent1)
    first = _check_in(client, tokens.for_event(event), nonce="scan-1")
    second = _check_in(client, tokens.for_event(event), nonce="scan-1")
    assert 'data-result="ok"' in page_of(first) and 'data-result="ok"' in page_of(second)
    assert "这次扫描已提交过" in page_of(second)
    assert CheckIn.objects.count() == 1 and Scan.objects.count() == 1


@pytest.mark.parametrize("case", ["forged", "other_event", "personal_code", "stale"])
def test_self_check_in_refuses_a_wrong_code_with_its_reason(cast, login, case):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    elsewhere = under_way(cast, title="另一场活动")  # ent1 is not invited there
    payload, words = {
        "forged": (tokens.for_event(event)[:-3] + "xyz", "签名校验未通过"),
        "other_event": (tokens.for_event(elsewhere), "贵企业未受邀参加《另一场活动》"),
        "personal_code": (tokens.for_invitation(invitation), "这是参会人的请柬二维码"),
        "stale": (tokens.for_event(event), "签到码已作废"),
    }[case]
    if case == "stale":
        services.regenerate_checkin_code(actor=cast.users.staff, event=event)
    response = _check_in(login(cast.users.ent1), payload)
    page = page_of(response)
    assert response.status_code == 200 and 'data-result="refused"' in page and "拒绝签到" in page
    assert words in page
    assert not CheckIn.objects.exists()
    assert Scan.objects.get().result == Scan.Result.REFUSED  # the failed scan is logged


def test_self_check_in_outside_the_events_day_is_refused(cast, login):
    event = later(cast, days=3)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    page = page_of(_check_in(login(cast.users.ent1), tokens.for_event(event)))
    assert 'data-result="refused"' in page and "不在签到时间内" in page and not CheckIn.objects.exists()


def test_an_unreadable_code_typed_by_hand_is_answered_not_an_error(cast, login):
    client = login(cast.users.ent1)
    empty = client.post(reverse("events:h5_checkin"), {"payload": "", "nonce": "n1"})
    assert empty.status_code == 400 and "请扫描会场张贴的签到码" in page_of(empty)
    bad_nonce = _check_in(client, "SLE1:whatever", nonce="not a nonce!")
    assert bad_nonce.status_code == 400 and "扫描标识无效" in page_of(bad_nonce)
    page = page_of(_check_in(client, "hello"))
    assert 'data-result="refused"' in page and "无法识别的二维码" in page


def test_several_invitees_of_the_enterprise_choose_who_checks_in(cast, login):
    event = under_way(cast)
    second_person = testing.make_person(cast.district, name="赵副总", enterprise=cast.ent1)
    first = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    second = testing.make_invitation(event, second_person, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.ent1)
    code = tokens.for_event(event)
    response = _check_in(client, code)
    page = page_of(response)
    assert response.status_code == 409 and "请选择签到人" in page
    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' in page and not CheckIn.objects.exists()
    chosen = _check_in(client, code, invitation=second.pk)
    assert 'data-result="ok"' in page_of(chosen) and "赵副总" in page_of(chosen)
    assert list(CheckIn.objects.values_list("invitation", flat=True)) == [second.pk]


def test_opened_from_an_invitation_that_invitee_checks_in(cast, login):
    event = under_way(cast)
    second_person = testing.make_person(cast.district, name="赵副总", enterprise=cast.ent1)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    second = testing.make_invitation(event, second_person, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.ent1)
    assert "签到人：赵副总" in page_of(client.get(reverse("events:h5_checkin"), {"invitation": second.pk}))
    page = page_of(_check_in(client, tokens.for_event(event), hint=second.pk))
    assert 'data-result="ok"' in page and list(CheckIn.objects.values_list("invitation", flat=True)) == [second.pk]


def test_choosing_another_enterprises_invitation_is_refused(cast, login):
    event = under_way(cast)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    theirs = testing.make_invitation(event, cast.person2, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.ent1)
    response = _check_in(client, tokens.for_event(event), invitation=theirs.pk)
    assert response.status_code == 400 and "请选择本企业受邀参加该活动的签到人" in page_of(response)
    assert client.get(reverse("events:h5_checkin"), {"invitation": theirs.pk}).status_code == 404
    assert not CheckIn.objects.exists()
