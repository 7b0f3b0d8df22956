"""Statutory meetings on their pages: the attendee list from the body's current term, the quorum check before a
resolution (nothing written without it), the vote counted under the body's rule (computed here by hand), the
charter's rules set by editors, minutes, resolutions and their attachments within the event's scope."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.appeals.tests.factories import pdf_file
from shanglian.audit.models import AuditEvent
from shanglian.events import selectors, services
from shanglian.events.models import CheckIn, Event, QuorumRule, Resolution, ResolutionAttachment
from shanglian.orgs.models import Position, Term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(db):
    testing.ensure_reference_data()


@pytest.fixture
def terms(cast):
    """The district's 14th term (current) with five 常委会 members and an 执委; the 13th (expired) with one more."""
    current = Term.objects.create(federation=cast.district, number=14, start=date(2024, 1, 1))
    expired = Term.objects.create(federation=cast.district, number=13, start=date(2019, 1, 1), end=date(2023, 12, 31))
    titles = ["chairman", "vice_chairman", "vice_chairman", "standing", "standing"]
    members = [testing.make_person(cast.district, name=f"常委{n}") for n in range(5)]
    for person, title in zip(members, titles, strict=True):
        Position.objects.create(term=current, person=person, title=title)
    executive = testing.make_person(cast.district, name="执委甲")
    Position.objects.create(term=current, person=executive, title="executive")
    Position.objects.create(term=expired, person=cast.person2, title="standing")
    return members, executive


def _meeting(cast, kind="standing", status=Event.Status.REGISTRATION, **fields):
    return testing.make_event(cast.district, kind=kind, status=status, title="第十四届常委会第三次会议",
                              starts_at=timezone.now() + timedelta(minutes=5), **fields)


@pytest.fixture
def meeting(cast, terms, login):
    """A 常委会 whose attendee list was generated from its page, then begun (进行中)."""
    event = _meeting(cast)
    response = login(cast.users.staff).post(reverse("events:attendees_from_body", args=[event.pk]))
    assert response.status_code == 302
    Event.objects.filter(pk=event.pk).update(status=Event.Status.RUNNING)
    event.refresh_from_db()
    return event


def _present(event, count):
    """The first `count` invitations of the list checked in (those already are kept)."""
    for invitation in event.invitations.filter(checkins__isnull=True).order_by("id")[:count - event.checkins.count()]:
        CheckIn.objects.create(event=event, invitation=invitation, name=invitation.name, method=CheckIn.Method.SCAN)


def _vote(client, event, votes, title="审议年度工作报告", **extra):
    data = {"title": title, "text": "会议审议通过。", "votes_for": votes[0], "votes_against": votes[1],
            "abstentions": votes[2], **extra}
    return client.post(reverse("events:resolution_create", args=[event.pk]), data)


# --- the attendee list: the body's members in the current term ---------------------------------------------
def test_attendee_list_is_the_standing_committee_of_the_current_term(cast, meeting, terms):
    members, executive = terms
    invited = set(meeting.invitations.values_list("person_id", flat=True))
    assert invited == {p.pk for p in members}  # not the 执委, not the expired term's 常委
    assert executive.pk not in invited and cast.person2.pk not in invited


def test_positions_ended_before_or_begun_after_the_meeting_are_not_members(cast, terms):
    members, _ = terms
    current = Term.objects.get(number=14, chamber__isnull=True)
    left = testing.make_person(cast.district, name="已离任常委")
    Position.objects.create(term=current, person=left, title="standing", end=timezone.localdate() - timedelta(days=1))
    later = testing.make_person(cast.district, name="待任常委")
    Position.objects.create(term=current, person=later, title="standing", start=timezone.localdate() + timedelta(days=30))
    event = _meeting(cast)
    assert {p.person_id for p in selectors.body_members(event)} == {p.pk for p in members}


def test_a_chamber_board_is_drawn_from_its_chambers_term(cast, terms):
    board = Term.objects.create(federation=cast.district, chamber=cast.chamber1, number=3, start=date(2023, 6, 1))
    president = testing.make_person(cast.district, name="会长甲")
    director = testing.make_person(cast.district, name="理事乙")
    Position.objects.create(term=board, person=president, title="president")
    Position.objects.create(term=board, person=director, title="director")
    other = Term.objects.create(federation=cast.district, chamber=cast.chamber2, number=2, start=date(2023, 1, 1))
    Position.objects.create(term=other, person=testing.make_person(cast.district, name="他会理事"), title="director")
    old = Term.objects.create(federation=cast.district, chamber=cast.chamber1, number=2, start=date(2018, 6, 1),
                              end=date(2023, 5, 31))
    Position.objects.create(term=old, person=testing.make_person(cast.district, name="上届理事"), title="director")
    event = testing.make_event(cast.district, kind="chamber_board", chamber=cast.chamber1, status=Event.Status.DRAFT)
    assert {p.person_id for p in selectors.body_members(event)} == {president.pk, director.pk}


def test_generating_the_list_is_for_the_events_organisers(cast, terms, login):
    event = _meeting(cast)
    assert login(cast.users.leader).post(reverse("events:attendees_from_body", args=[event.pk])).status_code == 403
    assert login(cast.users.chamber2).post(reverse("events:attendees_from_body", args=[event.pk])).status_code == 404
    assert login(cast.users.staff).get(reverse("events:attendees_from_body", args=[event.pk])).status_code == 405
    assert not event.invitations.exists()


def test_the_list_is_offered_while_invitations_may_be_sent(cast, terms, login):
    event = _meeting(cast)
    content = login(cast.users.staff).get(reverse("events:detail", args=[event.pk])).content.decode()
    action = reverse("events:attendees_from_body", args=[event.pk])
    form = content[content.index(f'action="{action}"'):]
    assert "将按常委会现任届次的5位组成人员生成参会名单" in content
    assert 'name="csrfmiddlewaretoken"' in form[:form.index("</form>")]
    assert "会议开始后才能记录决议" in content


def test_a_body_without_a_current_term_is_explained(cast, login):
    event = _meeting(cast)
    response = login(cast.users.staff).post(reverse("events:attendees_from_body", args=[event.pk]), follow=True)
    assert "没有现任届次的组成人员" in response.content.decode()
    assert not event.invitations.exists()


# --- the quorum before a resolution -------------------------------------------------------------------------
def test_without_a_quorum_no_resolution_is_recorded(cast, meeting, login):
    _present(meeting, 3)  # 3 of 5 present: two thirds of 5 is 3.33, so 4 are needed
    client = login(cast.users.staff)
    before = Resolution.objects.count()
    response = _vote(client, meeting, (3, 0, 0))
    assert response.status_code == 409
    assert "未达到法定人数，不能形成决议：应到5人，实到3人，至少需4人出席" in response.content.decode()
    assert Resolution.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="events.resolution").exists()


def test_the_meeting_section_explains_why_no_resolution_can_be_recorded(cast, meeting, login):
    _present(meeting, 3)
    content = login(cast.users.staff).get(reverse("events:detail", args=[meeting.pk])).content.decode()
    assert 'data-quorum="not-met"' in content and "不能记录决议：未达到法定人数" in content
    assert reverse("events:resolution_create", args=[meeting.pk]) not in content
    page = login(cast.users.staff).get(reverse("events:resolution_create", args=[meeting.pk]))
    assert page.status_code == 200 and "不能记录决议" in page.content.decode() and 'name="title"' not in \
        page.content.decode()


def test_with_a_quorum_a_resolution_passes_with_more_than_half_of_those_present(cast, meeting, login):
    _present(meeting, 4)  # 4 ≥ ⌈5 × 2/3⌉ = 4
    client = login(cast.users.staff)
    content = client.get(reverse("events:detail", args=[meeting.pk])).content.decode()
    assert 'data-quorum="met"' in content and reverse("events:resolution_create", args=[meeting.pk]) in content
    assert _vote(client, meeting, (3, 1, 0), title="议题一").status_code == 302  # 3 > 4/2 → 通过
    assert _vote(client, meeting, (2, 1, 1), title="议题二").status_code == 302  # 2 is not > 2 → 未通过
    first, second = Resolution.objects.filter(event=meeting).order_by("id")
    assert (first.passed, first.present, first.eligible, first.votes_for) == (True, 4, 5, 3)
    assert second.passed is False
    content = client.get(reverse("events:detail", args=[meeting.pk])).content.decode()
    assert "议题一" in content and "通过" in content and "未通过" in content


def test_votes_beyond_those_present_are_refused(cast, meeting, login):
    _present(meeting, 4)
    response = _vote(login(cast.users.staff), meeting, (3, 1, 1))
    assert response.status_code == 400
    assert "赞成、反对、弃权合计5票，超过实到人数4人" in response.content.decode()
    assert not Resolution.objects.exists()


def test_negative_or_missing_votes_are_refused_in_chinese(cast, meeting, login):
    _present(meeting, 4)
    response = _vote(login(cast.users.staff), meeting, (-1, "", "x"))
    content = response.content.decode()
    assert response.status_code == 400
    assert "赞成票数须为非负整数" in content and "请填写反对票数" in content and "弃权票数须为非负整数" in content
    assert not Resolution.objects.exists()


def test_a_rule_set_on_the_rules_page_changes_the_outcome(cast, meeting, login):
    _present(meeting, 4)
    staff = login(cast.users.staff)
    response = staff.post(reverse("events:quorum_rules"), {"body": "standing", "quorum_numerator": 1,
                                                            "quorum_denominator": 2, "pass_numerator": 3,
                                                            "pass_denominator": 4})
    assert response.status_code == 302
    assert _vote(staff, meeting, (3, 1, 0)).status_code == 302
    resolution = Resolution.objects.get()
    assert resolution.passed is False  # 3 is not more than 3/4 of 4 (under the default rule it would pass)
    assert resolution.rule.startswith("常委会：出席≥1/2，赞成>3/4")


def test_a_looser_quorum_lets_a_smaller_meeting_decide(cast, meeting, login):
    QuorumRule.objects.create(federation=cast.district, body="standing", quorum_numerator=1, quorum_denominator=2)
    _present(meeting, 3)  # ⌈5 × 1/2⌉ = 3
    assert _vote(login(cast.users.staff), meeting, (2, 1, 0)).status_code == 302  # 2 > 3/2
    assert Resolution.objects.get().passed is True


def test_another_federations_rule_does_not_apply(cast, meeting, login):
    QuorumRule.objects.create(federation=cast.other, body="standing", quorum_numerator=1, quorum_denominator=2)
    _present(meeting, 3)
    assert _vote(login(cast.users.staff), meeting, (3, 0, 0)).status_code == 409


# --- resolutions: pages and attachments ----------------------------------------------------------------------
def test_a_resolution_with_its_attachment_is_read_within_the_events_scope(cast, meeting, login):
    _present(meeting, 4)
    staff = login(cast.users.staff)
    response = _vote(staff, meeting, (4, 0, 0), files=[pdf_file("决议文本.pdf")])
    resolution = Resolution.objects.get()
    assert response["Location"] == reverse("events:resolution", args=[resolution.pk])
    attachment = ResolutionAttachment.objects.get(resolution=resolution)
    page = staff.get(reverse("events:resolution", args=[resolution.pk]))
    assert page.status_code == 200 and "决议文本.pdf" in page.content.decode()
    download = staff.get(reverse("events:resolution_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(cast.users.leader).get(reverse("events:resolution", args=[resolution.pk])).status_code == 200
    for user, status in ((cast.users.chamber1, 404), (cast.users.outsider_staff, 404), (cast.users.dept1, 403),
                         (cast.users.ent1, 403)):
        client = login(user)
        assert client.get(reverse("events:resolution", args=[resolution.pk])).status_code == status
        assert client.get(reverse("events:resolution_attachment", args=[attachment.pk])).status_code == status


def test_a_forbidden_attachment_writes_nothing(cast, meeting, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _present(meeting, 4)
    script = SimpleUploadedFile("决议.exe", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/octet-stream")
    response = _vote(login(cast.users.staff), meeting, (4, 0, 0), files=[script])
    assert response.status_code == 400
    assert not Resolution.objects.exists() and not ResolutionAttachment.objects.exists()


def test_leaders_read_but_do_not_record(cast, meeting, login):
    _present(meeting, 4)
    leader = login(cast.users.leader)
    assert leader.get(reverse("events:resolution_create", args=[meeting.pk])).status_code == 403
    assert _vote(leader, meeting, (4, 0, 0)).status_code == 403
    content = leader.get(reverse("events:detail", args=[meeting.pk])).content.decode()
    assert "应到" in content and "按机构生成参会名单" not in content
    assert not Resolution.objects.exists()


# --- minutes ---------------------------------------------------------------------------------------------------
def test_minutes_are_saved_and_audited(cast, meeting, login):
    staff = login(cast.users.staff)
    assert staff.get(reverse("events:minutes", args=[meeting.pk])).status_code == 200
    response = staff.post(reverse("events:minutes", args=[meeting.pk]), {"minutes": "一、审议工作报告。\n二、讨论换届。"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "一、审议工作报告。\n二、讨论换届。"
    assert AuditEvent.objects.filter(object_type="events.event", object_id=str(meeting.pk), action="update").exists()
    assert "讨论换届" in staff.get(reverse("events:detail", args=[meeting.pk])).content.decode()


def test_minutes_wait_for_the_meeting_and_are_the_organisers(cast, terms, login):
    event = _meeting(cast)
    response = login(cast.users.staff).post(reverse("events:minutes", args=[event.pk]), {"minutes": "提前写好的纪要"})
    assert response.status_code == 409 and "会议开始后才能填写纪要" in response.content.decode()
    assert login(cast.users.leader).get(reverse("events:minutes", args=[event.pk])).status_code == 403
    assert login(cast.users.outsider_staff).get(reverse("events:minutes", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.minutes == ""


# --- the charter's rules ----------------------------------------------------------------------------------------
def test_editors_set_a_rule_and_it_is_audited(cast, login):
    staff = login(cast.users.staff)
    page = staff.get(reverse("events:quorum_rules") + "?body=executive")
    assert page.status_code == 200 and "修改议事规则 · 执委会" in page.content.decode()
    response = staff.post(reverse("events:quorum_rules"), {"body": "executive", "quorum_numerator": 3,
                                                            "quorum_denominator": 4, "pass_numerator": 1,
                                                            "pass_denominator": 2})
    assert response.status_code == 302
    rule = QuorumRule.objects.get(federation=cast.district, body="executive")
    assert (rule.quorum_numerator, rule.quorum_denominator) == (3, 4)
    audit = AuditEvent.objects.get(object_type="events.quorumrule", object_id=str(rule.pk))
    assert audit.action == "create" and {"field": "出席比例（分子）", "old": "", "new": "3"} in audit.detail["changes"]
    staff.post(reverse("events:quorum_rules"), {"body": "executive", "quorum_numerator": 2, "quorum_denominator": 3,
                                                "pass_numerator": 1, "pass_denominator": 2})
    update = AuditEvent.objects.filter(object_type="events.quorumrule", action="update").get()
    assert {"field": "出席比例（分子）", "old": "3", "new": "2"} in update.detail["changes"]


@pytest.mark.parametrize(("data", "message"), [
    ({"quorum_numerator": 4, "quorum_denominator": 3, "pass_numerator": 1, "pass_denominator": 2}, "出席比例不能大于1"),
    ({"quorum_numerator": 2, "quorum_denominator": 3, "pass_numerator": 2, "pass_denominator": 2}, "通过比例须小于1"),
    ({"quorum_numerator": 0, "quorum_denominator": 3, "pass_numerator": 1, "pass_denominator": 2},
     "出席比例分子须为1至100之间的整数"),
    ({"quorum_numerator": "二", "quorum_denominator": 3, "pass_numerator": 1, "pass_denominator": 2},
     "出席比例分子须为整数"),
    ({"quorum_numerator": 2, "quorum_denominator": "", "pass_numerator": 1, "pass_denominator": 2}, "请填写出席比例分母"),
], ids=["quorum-above-one", "pass-share-one", "zero", "not-a-number", "missing"])
def test_a_bad_rule_is_refused_in_chinese_and_nothing_is_written(cast, login, data, message):
    response = login(cast.users.staff).post(reverse("events:quorum_rules"), {"body": "standing", **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert not QuorumRule.objects.exists()


def test_an_unknown_body_is_refused(cast, login):
    response = login(cast.users.staff).post(reverse("events:quorum_rules"), {
        "body": "senate", "quorum_numerator": 1, "quorum_denominator": 2, "pass_numerator": 1, "pass_denominator": 2})
    assert response.status_code == 400 and "请选择会议机构" in response.content.decode()
    assert not QuorumRule.objects.exists()


def test_leaders_and_chambers_read_the_rules_others_are_refused(cast, login):
    QuorumRule.objects.create(federation=cast.district, body="congress", quorum_numerator=1, quorum_denominator=2)
    for user in (cast.users.leader, cast.users.chamber1):
        content = login(user).get(reverse("events:quorum_rules")).content.decode()
        assert "不少于 1/2" in content and "本会设定" in content and "?body=" not in content
    leader = login(cast.users.leader)
    assert leader.post(reverse("events:quorum_rules"), {"body": "congress", "quorum_numerator": 2,
                                                        "quorum_denominator": 3, "pass_numerator": 1,
                                                        "pass_denominator": 2}).status_code == 403
    assert QuorumRule.objects.get().quorum_numerator == 1
    for user in (cast.users.dept1, cast.users.ent1, cast.users.auditor):
        assert login(user).get(reverse("events:quorum_rules")).status_code == 403


def test_the_rule_service_refuses_readers(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_quorum_rule(actor=cast.users.leader, body="standing", quorum_numerator=1, quorum_denominator=2,
                                  pass_numerator=1, pass_denominator=2)
    assert not QuorumRule.objects.exists()


# --- in a browser: the meeting's section, the resolution form and the rules at a desk and on a phone -------------
DESK, PHONE = {"width": 1440, "height": 900}, {"width": 375, "height": 667}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_meeting_pages_fit_a_desk_and_a_phone(live_server, cast, terms, browser, artifacts_dir):
    event = _meeting(cast)
    services.invite_body(actor=cast.users.staff, event=event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.RUNNING)
    _present(event, 3)
    sizes = (("desk", DESK), ("phone", PHONE))
    pages, errors = {}, []
    for size_name, size in sizes:
        context = browser.new_context(viewport=size, locale="zh-CN", timezone_id="Asia/Shanghai")
        page = pages[size_name] = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        testing.sign_in(page, live_server.url, cast.users.staff.username)
        page.goto(f"{live_server.url}{reverse('events:detail', args=[event.pk])}#meeting")
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("不能记录决议：未达到法定人数").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.locator("#meeting").screenshot(path=str(artifacts_dir / f"events-meeting-not-met-{size_name}.png"))
    _present(event, 4)
    for size_name, _size in sizes:
        page = pages[size_name]
        page.reload()
        page.get_by_role("link", name="记录决议").click()
        page.wait_for_load_state("networkidle")
        page.get_by_label("决议事项").fill(f"审议2026年工作报告（{size_name}）")
        page.get_by_label("赞成").fill("3")
        page.get_by_label("反对").fill("1")
        page.screenshot(path=str(artifacts_dir / f"events-resolution-form-{size_name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.get_by_role("button", name="记录决议").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("已记录决议").is_visible()
        page.screenshot(path=str(artifacts_dir / f"events-resolution-{size_name}.png"), full_page=True)
        page.goto(f"{live_server.url}{reverse('events:detail', args=[event.pk])}#meeting")
        page.wait_for_load_state("networkidle")
        page.locator("#meeting").screenshot(path=str(artifacts_dir / f"events-meeting-met-{size_name}.png"))
        page.goto(f"{live_server.url}{reverse('events:quorum_rules')}?body=standing")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(artifacts_dir / f"events-rules-{size_name}.png"), full_page=True)
        page.context.close()
    assert errors == []
    assert Resolution.objects.filter(event=event, passed=True).count() == 2
