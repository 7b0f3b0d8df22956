"""The board's pages (back office and the enterprise's phone): who may open which, another scope's post 404, the
consent seen from the pages (the requester's pages never hold the poster's contact before 同意, the desk's never),
a post with no category refused in Chinese (400) with nothing written, closing, the audited exports, the outcomes'
pages and the 待办's links."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.growth.models import ContactRequest, MatchOutcome, Post
from shanglian.growth.services import board as services
from shanglian.growth.todos import board_todos

READERS = ["admin", "staff", "leader", "chamber1", "chamber2", "outsider_staff"]
EDITORS = ["admin", "staff"]


@pytest.fixture
def ent2_user(cast):
    return testing.make_user(Role.ENTERPRISE, username="ent2", enterprise=cast.ent2)


@pytest.fixture
def post(cast):
    return testing.make_post(cast.ent1, by=cast.users.ent1, title="采购电子元器件一批")


def url(name, *args):
    return reverse(f"growth:{name}", args=args)


def h5_data(**fields):
    values = {"category": "purchase", "title": "采购包装材料", "body": "每月约2万个纸箱",
              "keywords": "包装 纸箱", "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat()}
    values.update(fields)
    return values


# --- who opens what ----------------------------------------------------------------------------------------------------
def test_one_post_is_read_in_scope_and_404_outside(cast, login, post):
    expected = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403,
                "auditor": 403, "outsider_staff": 404}
    for role, status in expected.items():
        assert login(getattr(cast.users, role)).get(url("post", post.pk)).status_code == status, role
    response = login(cast.users.ent1).get(url("post", post.pk))
    assert response.status_code == 302 and response["Location"] == url("h5_post", post.pk)


def test_a_closed_post_is_the_federations_not_a_chambers(cast, login, post):
    services.close_post(actor=cast.users.staff, post=post, reason="已完成")
    assert login(cast.users.staff).get(url("post", post.pk)).status_code == 200
    assert login(cast.users.chamber1).get(url("post", post.pk)).status_code == 404


def test_editing_a_post_is_the_editors_and_the_posters(cast, login, post, ent2_user):
    for role, status in {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "dept1": 403, "auditor": 403,
                         "outsider_staff": 404, "ent1": 200}.items():
        assert login(getattr(cast.users, role)).get(url("post_edit", post.pk)).status_code == status, role
    assert login(ent2_user).get(url("post_edit", post.pk)).status_code == 404


def test_the_phone_pages_are_the_enterprises(cast, login, post):
    for role in ("admin", "staff", "leader", "chamber1", "dept1", "auditor"):
        client = login(getattr(cast.users, role))
        for name, args in (("h5_board", ()), ("h5_post_create", ()), ("h5_contacts", ()), ("h5_post", (post.pk,))):
            assert client.get(url(name, *args)).status_code == 403, (role, name)


def test_another_federations_member_cannot_open_a_district_post(cast, login, post):
    outsider = testing.make_user(Role.ENTERPRISE, username="ent_other", enterprise=cast.ent_other)
    client = login(outsider)
    assert client.get(url("h5_post", post.pk)).status_code == 404
    assert client.post(url("h5_contact_request", post.pk), {"message": "希望对接"}).status_code == 404
    assert not ContactRequest.objects.exists()


# --- the board on the phone -------------------------------------------------------------------------------------------
def test_the_phone_board_lists_others_live_posts_and_the_members_own(cast, login, post, ent2_user):
    testing.make_post(cast.ent2, by=ent2_user, category="supply", title="供应电阻电容")
    testing.make_post(cast.ent2, by=ent2_user, title="已关闭的需求", status="closed")
    testing.make_post(cast.ent_other, by=cast.users.outsider_staff, title="南开的需求")
    page = login(cast.users.ent1).get(url("h5_board")).content.decode()
    assert "供应电阻电容" in page and "采购电子元器件一批" in page  # others' live, and its own under 我发布的
    assert "已关闭的需求" not in page and "南开的需求" not in page
    searched = login(cast.users.ent1).get(url("h5_board"), {"category": "purchase"}).content.decode()
    assert "共 0 条" in searched and "供应电阻电容" not in searched.split('id="board"')[1]


def test_a_non_member_is_told_the_board_is_for_members(cast, login, post):
    enterprise = testing.make_enterprise(cast.district, name="天津未入会商贸有限公司")
    user = testing.make_user(Role.ENTERPRISE, username="nonmember", enterprise=enterprise)
    client = login(user)
    page = client.get(url("h5_board")).content.decode()
    assert "仅向在册会员企业开放" in page and "采购电子元器件一批" not in page
    response = client.post(url("h5_post_create"), h5_data())
    assert response.status_code == 400 and not Post.objects.filter(enterprise=enterprise).exists()


def test_a_member_posts_on_its_phone(cast, login):
    response = login(cast.users.ent1).post(url("h5_post_create"), h5_data())
    created = Post.objects.get(title="采购包装材料")
    assert response.status_code == 302 and response["Location"] == url("h5_post", created.pk)
    assert created.enterprise == cast.ent1 and created.keywords == "包装 纸箱"


@pytest.mark.parametrize("category", ["", "lottery"], ids=["missing", "unknown"])
def test_a_post_with_no_category_is_refused_on_the_phone_in_chinese_with_nothing_written(cast, login, category):
    before = (Post.objects.count(), AuditEvent.objects.filter(action="create").count())
    response = login(cast.users.ent1).post(url("h5_post_create"), h5_data(category=category))
    assert response.status_code == 400
    assert "请选择供需类别" in response.content.decode()
    assert (Post.objects.count(), AuditEvent.objects.filter(action="create").count()) == before


def test_a_post_with_no_category_is_refused_in_the_back_office_too(cast, login):
    data = {**h5_data(category=""), "enterprise": cast.ent2.pk}
    response = login(cast.users.staff).post(url("post_create"), data)
    assert response.status_code == 400 and "请选择供需类别" in response.content.decode()
    assert not Post.objects.exists()


def test_staff_post_on_behalf_of_an_enterprise(cast, login):
    fair = testing.make_event(cast.district, kind="matchmaking", title="企业对接洽谈会")
    data = {**h5_data(), "enterprise": cast.ent2.pk, "events": [fair.pk]}
    response = login(cast.users.staff).post(url("post_create"), data)
    created = Post.objects.get()
    assert response.status_code == 302 and created.enterprise == cast.ent2 and list(created.events.all()) == [fair]
    page = login(cast.users.staff).get(url("post", created.pk)).content.decode()
    assert "企业对接洽谈会" in page


# --- consent, seen from the pages --------------------------------------------------------------------------------------
def test_the_requester_never_sees_the_posters_contact_before_acceptance(cast, login, post, ent2_user):
    mobile = cast.ent1.contact_mobile
    client = login(ent2_user)
    page = client.get(url("h5_post", post.pk)).content.decode()
    assert mobile not in page and "发起对接请求" in page
    response = client.post(url("h5_contact_request", post.pk), {"message": "我司可供货"})
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    for name, args in (("h5_post", (post.pk,)), ("h5_contacts", ()), ("h5_board", ())):
        page = client.get(url(name, *args)).content.decode()
        assert mobile not in page, name
    assert "对方同意后您将看到其联系方式" in client.get(url("h5_post", post.pk)).content.decode()
    # the desk sees who asked whom, never a contact
    desk = login(cast.users.staff)
    assert mobile not in desk.get(url("post", post.pk)).content.decode()
    assert mobile not in desk.get(url("contacts")).content.decode()
    # the poster accepts on its phone: now, and only now, the requester sees the contact
    poster = login(cast.users.ent1)
    poster_page = poster.get(url("h5_post", post.pk)).content.decode()
    assert "同意对接" in poster_page and "我司可供货" in poster_page
    assert poster.post(url("contact_transition", request.pk, "accept")).status_code == 302
    client = login(ent2_user)
    assert mobile in client.get(url("h5_post", post.pk)).content.decode()
    assert mobile in client.get(url("h5_contacts")).content.decode()


def test_the_api_never_gives_a_posters_contact(cast, login, post, ent2_user):
    """The read API's posts (`growth/api.py`) carry no contact: it goes only through an accepted request's pages."""
    request = testing.make_contact_request(post, cast.ent2, by=ent2_user)
    services.accept_contact(actor=cast.users.ent1, contact_request=request)
    client = login(ent2_user)
    for path in ("/api/v1/growth/posts/", f"/api/v1/growth/posts/{post.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert cast.ent1.contact_mobile not in response.content.decode(), path


def test_a_declined_request_leaves_the_contact_hidden(cast, login, post, ent2_user):
    request = testing.make_contact_request(post, cast.ent2, by=ent2_user)
    assert login(cast.users.ent1).post(url("contact_transition", request.pk, "decline")).status_code == 302
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.DECLINED
    page = login(ent2_user).get(url("h5_post", post.pk)).content.decode()
    assert cast.ent1.contact_mobile not in page and "婉拒" in page


def test_the_requester_cannot_accept_its_own_request_from_the_page(cast, login, post, ent2_user):
    request = testing.make_contact_request(post, cast.ent2, by=ent2_user)
    response = login(ent2_user).post(url("contact_transition", request.pk, "accept"))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.PENDING
    assert cast.ent1.contact_mobile not in login(ent2_user).get(url("h5_post", post.pk)).content.decode()


def test_contact_transitions_are_refused_to_other_roles_and_other_enterprises(cast, login, post, ent2_user):
    request = testing.make_contact_request(post, cast.ent2, by=ent2_user)
    for role in ("staff", "leader", "chamber1", "dept1", "auditor"):
        assert login(getattr(cast.users, role)).post(
            url("contact_transition", request.pk, "accept")).status_code == 403, role
    outsider = testing.make_user(Role.ENTERPRISE, username="ent_other", enterprise=cast.ent_other)
    assert login(outsider).post(url("contact_transition", request.pk, "accept")).status_code == 404
    assert login(cast.users.ent1).post(url("contact_transition", request.pk, "nonsense")).status_code == 404
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.PENDING


def test_asking_twice_is_refused_in_chinese(cast, login, post, ent2_user):
    testing.make_contact_request(post, cast.ent2, by=ent2_user)
    response = login(ent2_user).post(url("h5_contact_request", post.pk), {"message": "再问一次"})
    assert response.status_code == 409 and services.ALREADY_ASKED in response.content.decode()
    assert ContactRequest.objects.count() == 1


# --- closing ------------------------------------------------------------------------------------------------------------
def test_the_poster_closes_its_post_from_the_phone_and_a_missing_reason_is_refused(cast, login, post):
    client = login(cast.users.ent1)
    response = client.post(url("post_transition", post.pk, "close"), {"reason": ""})
    assert response.status_code == 400 and "请填写关闭原因" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.OPEN
    response = client.post(url("post_transition", post.pk, "close"), {"reason": "已达成合作"})
    assert response.status_code == 302 and response["Location"] == url("h5_post", post.pk)
    post.refresh_from_db()
    assert post.status == Post.Status.CLOSED


def test_staff_close_from_the_back_office_and_readers_cannot(cast, login, post):
    assert login(cast.users.leader).post(url("post_transition", post.pk, "close"),
                                         {"reason": "x"}).status_code == 403
    assert login(cast.users.outsider_staff).post(url("post_transition", post.pk, "close"),
                                                 {"reason": "x"}).status_code == 404
    response = login(cast.users.staff).post(url("post_transition", post.pk, "close"), {"reason": "过期"})
    assert response.status_code == 302 and response["Location"] == url("post", post.pk)


# --- lists and exports ---------------------------------------------------------------------------------------------------
def test_the_board_list_filters_and_exports_what_it_lists(cast, login, post):
    testing.make_post(cast.ent2, by=cast.users.staff, category="supply", title="供应钢材")
    client = login(cast.users.staff)
    response = client.get(url("posts"), {"category": "supply"})
    assert response.context["page_obj"].paginator.count == 1
    export = client.get(url("posts_export"), {"category": "supply"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 2 and rows[1][2] == "供应钢材"
    assert AuditEvent.objects.filter(action="export", object_type="growth.post").exists()


def test_the_desks_todos_open_lists_of_exactly_what_they_count(cast, login, post, ent2_user):
    request = testing.make_contact_request(post, cast.ent2, by=ent2_user)
    ContactRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=10))
    testing.make_contact_request(testing.make_post(cast.ent1, by=cast.users.ent1), cast.ent2, by=ent2_user)
    testing.make_post(cast.ent2, by=cast.users.staff, valid_until=timezone.localdate() - timedelta(days=1))
    client = login(cast.users.staff)
    todos = list(board_todos(cast.users.staff))
    assert len(todos) == 2
    for todo in todos:
        shown = re.search(r"共 (\d+) 条", client.get(todo.url).content.decode())
        assert shown and int(shown.group(1)) == todo.count == 1, todo.label


# --- outcomes --------------------------------------------------------------------------------------------------------------
def test_staff_record_an_outcome_from_a_post_and_it_is_counted(cast, login, post):
    client = login(cast.users.staff)
    form = client.get(url("outcome_create"), {"post": post.pk})
    assert form.status_code == 200
    response = client.post(url("outcome_create"), {
        "kind": "deal", "enterprise": cast.ent1.pk, "partner": cast.ent2.pk, "post": post.pk,
        "reached_on": timezone.localdate().isoformat(), "amount": "1,250,000.50"})
    assert response.status_code == 302, response.content.decode()[:2000]
    outcome = MatchOutcome.objects.get()
    assert str(outcome.amount) == "1250000.50" and outcome.recorded_by == cast.users.staff
    page = client.get(url("outcomes")).content.decode()
    assert "1,250,000.50" in page and "共 1 条" in page
    assert "天津友谊科技有限公司" in client.get(url("post", post.pk)).content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "hiring"}, "招聘用工须填写招聘人数"),
    ({"kind": "deal"}, "达成合作或获得融资须填写金额"),
    ({"kind": "deal", "amount": "100", "post": None}, "请至少关联一条供需信息或一场对接活动"),
    ({"kind": "", "amount": "100"}, "请选择成果类型"),
], ids=["hiring-without-jobs", "deal-without-amount", "untraced", "no-kind"])
def test_a_bad_outcome_is_refused_in_chinese_with_nothing_written(cast, login, post, data, message):
    values = {"enterprise": cast.ent1.pk, "post": post.pk, "reached_on": timezone.localdate().isoformat(), **data}
    values = {k: v for k, v in values.items() if v is not None}
    response = login(cast.users.staff).post(url("outcome_create"), values)
    assert response.status_code == 400 and message in response.content.decode()
    assert not MatchOutcome.objects.exists()


def test_outcomes_are_read_in_scope_and_written_by_editors(cast, login, post):
    outcome = testing.make_outcome(cast.ent1, by=cast.users.staff, post=post)
    other = testing.make_outcome(cast.ent_other, by=cast.users.outsider_staff)
    assert login(cast.users.chamber1).get(url("outcomes")).context["page_obj"].paginator.count == 1
    assert login(cast.users.chamber2).get(url("outcomes")).context["page_obj"].paginator.count == 0
    for role, status in {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "dept1": 403, "ent1": 403,
                         "auditor": 403, "outsider_staff": 404}.items():
        client = login(getattr(cast.users, role))
        assert client.get(url("outcome_edit", outcome.pk)).status_code == status, role
        assert client.get(url("outcome_delete", outcome.pk)).status_code == status, role
    assert login(cast.users.staff).get(url("outcome_edit", other.pk)).status_code == 404
    response = login(cast.users.staff).post(url("outcome_delete", outcome.pk))
    assert response.status_code == 302 and not MatchOutcome.objects.filter(pk=outcome.pk).exists()


# --- the lists' queries do not grow with their rows ------------------------------------------------------------------------
def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _grow(cast, ent2_user, n):
    fair = testing.make_event(cast.district, kind="financing")
    for _ in range(n):
        mine = testing.make_post(cast.ent1, by=cast.users.ent1, category="purchase")
        theirs = testing.make_post(cast.ent2, by=ent2_user, category="supply")
        theirs.events.add(fair)
        testing.make_contact_request(mine, cast.ent2, by=ent2_user)
        testing.make_contact_request(theirs, cast.ent1, by=cast.users.ent1, status="accepted")
        testing.make_outcome(cast.ent1, by=cast.users.staff, post=mine, partner=cast.ent2, event=fair)
        testing.make_outcome(cast.ent2, by=cast.users.staff, kind="hiring", amount=None, jobs=3, event=fair)


def test_the_board_pages_keep_their_query_count_as_rows_grow(cast, login, ent2_user):
    pages = {"staff": [url("posts"), url("contacts"), url("outcomes")], "chamber1": [url("posts"), url("outcomes")],
             "ent1": [url("h5_board"), url("h5_contacts")]}
    _grow(cast, ent2_user, 1)
    before = {(role, path): _queries(login(getattr(cast.users, role)), path)
              for role, paths in pages.items() for path in paths}
    _grow(cast, ent2_user, 4)
    after = {(role, path): _queries(login(getattr(cast.users, role)), path)
             for role, paths in pages.items() for path in paths}
    assert after == before
