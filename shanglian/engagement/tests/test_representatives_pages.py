"""The pages of the representative-figures database: the list (search, filters, export, scope, a query count that
does not grow with the rows), the profile (masked ID numbers, the audited reveal for permitted staff only, its
sections), the arrangement, honour and cultivation pages (bad input refused with nothing written) and another
scope's record (404, audited)."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.masking import mask
from shanglian.common.models import DictItem
from shanglian.engagement.models import Arrangement, Cultivation, PersonHonour
from shanglian.events.models import CheckIn
from shanglian.orgs.models import Position, Term


def grant_view_pii(user):
    user.user_permissions.add(Permission.objects.get(codename="view_pii"))
    return type(user).objects.get(pk=user.pk)


def rows_of(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


@pytest.fixture
def db_rows(cast):
    """person1 (of ent1, chamber1's member) 区人大代表 and a 执委 of the district's term; person2 (of ent2,
    chamber2's) 市政协委员; a person of the other district 区人大代表."""
    testing.make_arrangement(cast.person1, kind="npc", level="district", sector="经济界")
    testing.make_arrangement(cast.person2, kind="cppcc", level="city", term="第十五届")
    term = Term.objects.create(federation=cast.district, number=10, start=date(2021, 1, 1))
    Position.objects.create(term=term, person=cast.person1, title=Position.Title.EXECUTIVE)
    other = testing.make_person(cast.other, name="刘南开", enterprise=cast.ent_other)
    testing.make_arrangement(other)
    return other


# --- the list ------------------------------------------------------------------------------------------------
def test_list_shows_the_database_with_current_arrangements_and_positions(cast, login, db_rows):
    body = login(cast.users.staff).get(reverse("engagement:representatives")).content.decode()
    assert "王建国" in body and "陈浙江" in body and "刘南开" not in body
    assert "区（县）人大代表（第十八届）" in body and "河西区工商联第10届执委" in body
    assert "天津友谊科技有限公司" in body and "添加代表人士" in body and "导入政治安排" in body


def test_a_person_without_any_record_is_found_only_when_looking_for_someone_to_add(cast, login):
    client = login(cast.users.staff)
    assert "王建国" not in client.get(reverse("engagement:representatives")).content.decode()
    body = client.get(reverse("engagement:representatives") + "?scope=all").content.decode()
    assert "王建国" in body and "新增政治安排" in body


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("q=wjg", "王建国", "陈浙江"),  # pinyin initials
    ("q=之江贸易", "陈浙江", "王建国"),  # an enterprise's name
    ("kind=cppcc", "陈浙江", "王建国"),
    ("level=district", "王建国", "陈浙江"),
    ("position=executive", "王建国", "陈浙江"),
    ("new_generation=yes", "没有找到符合条件的人士", "王建国"),
], ids=["initials", "enterprise", "kind", "level", "position", "new-generation"])
def test_list_searches_and_filters(cast, login, db_rows, query, present, absent):
    body = login(cast.users.staff).get(reverse("engagement:representatives") + "?" + query).content.decode()
    assert present in body and absent not in body


@pytest.mark.parametrize(("name", "query"), [
    ("engagement:representatives", "kind=nonsense"),
    ("engagement:representatives", "in_force=yes&education=99999999"),
    ("engagement:representatives", "scope=everyone"),
    ("engagement:arrangements", "in_force=maybe"),
    ("engagement:arrangements", "level=galaxy&q=王"),
], ids=["kind", "education", "scope", "arrangement-in-force", "arrangement-level"])
def test_an_invalid_search_lists_nothing_and_says_why_in_chinese(cast, login, db_rows, name, query):
    client = login(cast.users.staff)
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "共 0 条" in page and "搜索条件有误：" in page and "选择一个有效的选项" in page
    assert "王建国" not in page and "陈浙江" not in page
    table = client.get(f"{reverse(name)}?{query}", headers={"HX-Request": "true"}).content.decode()
    assert "共 0 条" in table and "搜索条件有误：" in table  # a search refreshed in place says it too


@pytest.mark.parametrize(("name", "back"), [("engagement:representatives_export", "engagement:representatives"),
                                            ("engagement:arrangements_export", "engagement:arrangements")])
def test_an_export_asked_with_an_invalid_search_exports_nothing(cast, login, db_rows, name, back):
    client = login(cast.users.staff)
    response = client.get(f"{reverse(name)}?kind=nonsense")
    assert response.status_code == 302 and response["Location"] == f"{reverse(back)}?kind=nonsense"
    page = client.get(response["Location"]).content.decode()
    assert "搜索条件有误，请修改后再导出。" in page and "共 0 条" in page
    assert not AuditEvent.objects.filter(action="export").exists()


def test_in_force_filter_follows_the_dates(cast, login, db_rows):
    Arrangement.objects.filter(person=cast.person2).update(end=timezone.localdate() - timedelta(days=1))
    client = login(cast.users.staff)
    body = client.get(reverse("engagement:representatives") + "?in_force=yes").content.decode()
    assert "王建国" in body and "陈浙江" not in body
    body = client.get(reverse("engagement:representatives") + "?in_force=no").content.decode()
    assert "陈浙江" in body and "王建国" not in body
    body = client.get(reverse("engagement:arrangements") + "?in_force=no").content.decode()
    assert "陈浙江" in body and "王建国" not in body and "不在任" in body


def test_chamber_secretary_sees_only_its_chambers_persons(cast, login, db_rows):
    client = login(cast.users.chamber1)
    body = client.get(reverse("engagement:representatives")).content.decode()
    assert "王建国" in body and "陈浙江" not in body and "添加代表人士" not in body
    body = client.get(reverse("engagement:arrangements")).content.decode()
    assert "王建国" in body and "陈浙江" not in body
    rows = rows_of(client.get(reverse("engagement:representatives_export")))
    assert [r[0] for r in rows[1:]] == ["王建国"]


def test_exports_mask_id_numbers_unless_permitted_staff_ask(cast, login, db_rows):
    number = cast.person1.id_number
    for user in (cast.users.chamber1, cast.users.leader, cast.users.staff):
        for name in ("engagement:representatives_export", "engagement:arrangements_export"):
            rows = rows_of(login(user).get(reverse(name) + "?pii=1"))
            assert number not in str(rows) and mask("id_number", number) in str(rows)
    staff = grant_view_pii(cast.users.staff)
    rows = rows_of(login(staff).get(reverse("engagement:representatives_export") + "?pii=1"))
    assert number in str(rows) and cast.person1.mobile in str(rows)
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.detail["pii"] is True and number not in str(event.detail)
    rows = rows_of(login(staff).get(reverse("engagement:representatives_export")))
    assert number not in str(rows)


def test_list_query_count_does_not_grow_with_the_rows(cast, login, db_rows):
    client = login(cast.users.staff)
    urls = [reverse("engagement:representatives"), reverse("engagement:arrangements")]
    few = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few[url] = len(queries.captured_queries)
    term = Term.objects.get(number=10)
    for n in range(12):
        person = testing.make_person(cast.district, name=f"增员{n}", enterprise=cast.ent1)
        testing.make_arrangement(person, level="city" if n % 2 else "district")
        Position.objects.create(term=term, person=person, title=Position.Title.STANDING)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        assert "增员11" in body
        assert len(queries.captured_queries) == few[url], url


# --- the profile ---------------------------------------------------------------------------------------------
def test_profile_brings_the_persons_records_together(cast, login, db_rows):
    person = cast.person1
    PersonHonour.objects.create(federation=cast.district, person=person, title="优秀建设者", year=2024)
    Cultivation.objects.create(federation=cast.district, person=person, start=date(2024, 1, 1),
                               plan=DictItem.objects.get(kind="cultivation_plan", code="outstanding_youth"))
    proposal = testing.make_proposal(cast.district, submitters=[person], title="关于支持民营企业融资的提案")
    event = testing.make_event(cast.district, title="民营企业家培训班", starts_at=timezone.now() - timedelta(days=3),
                               status="finished")
    invitation = testing.make_invitation(event, person)
    CheckIn.objects.create(event=event, invitation=invitation, person=person, name=person.name,
                           enterprise=cast.ent1, method=CheckIn.Method.MANUAL,
                           checked_in_at=event.starts_at)
    body = login(cast.users.staff).get(reverse("engagement:profile", args=[person.pk])).content.decode()
    for text in ("区（县）", "人大代表", "经济界", "河西区工商联", "执委", "天津友谊科技有限公司", "优秀建设者",
                 "杰青领航计划", proposal.title, "参加活动", "民营企业家培训班", "新增政治安排"):
        assert text in body, text
    assert person.id_number not in body and mask("id_number", person.id_number) in body
    assert person.mobile not in body and "显示完整信息" not in body


def test_events_attended_are_those_the_reader_may_see(cast, login, db_rows):
    person = cast.person1
    held = timezone.now() - timedelta(days=5)
    for title, chamber in (("区工商联执委会", None), ("友谊路商会沙龙", cast.chamber1)):
        event = testing.make_event(cast.district, title=title, starts_at=held, status="finished", chamber=chamber)
        CheckIn.objects.create(event=event, person=person, name=person.name, method=CheckIn.Method.MANUAL,
                               checked_in_at=held)
    url = reverse("engagement:profile", args=[person.pk])
    staff = login(cast.users.staff).get(url).content.decode()
    assert "区工商联执委会" in staff and "友谊路商会沙龙" in staff and "共 2 次" in staff
    chamber = login(cast.users.chamber1).get(url).content.decode()
    assert "友谊路商会沙龙" in chamber and "区工商联执委会" not in chamber and "共 1 次" in chamber


def test_chamber_secretary_reads_the_profile_but_edits_nothing(cast, login, db_rows):
    client = login(cast.users.chamber1)
    body = client.get(reverse("engagement:profile", args=[cast.person1.pk])).content.decode()
    assert "王建国" in body and "新增政治安排" not in body and cast.person1.id_number not in body
    arrangement = Arrangement.objects.get(person=cast.person1)
    assert client.get(reverse("engagement:arrangement_edit", args=[arrangement.pk])).status_code == 403
    assert client.post(reverse("engagement:arrangement_delete", args=[arrangement.pk])).status_code == 403
    assert Arrangement.objects.filter(pk=arrangement.pk).exists()


def test_another_scopes_person_is_not_found_and_the_try_is_audited(cast, login, db_rows):
    response = login(cast.users.chamber2).get(reverse("engagement:profile", args=[cast.person1.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="denied").latest("id")
    assert event.username == "chamber2" and event.object_type == "members.person"
    arrangement = Arrangement.objects.get(person=cast.person1)
    client = login(cast.users.outsider_staff)
    assert client.get(reverse("engagement:arrangement_edit", args=[arrangement.pk])).status_code == 404
    assert client.post(reverse("engagement:arrangement_delete", args=[arrangement.pk])).status_code == 404
    assert client.post(reverse("engagement:arrangement_create", args=[cast.person1.pk]),
                       {"kind": "cppcc", "level": "city", "role": "member", "term": "x",
                        "start": "2024-01-01"}).status_code == 404
    assert Arrangement.objects.filter(person=cast.person1).count() == 1


def test_only_permitted_staff_reveal_the_id_number_and_it_is_audited(cast, login, db_rows):
    url = reverse("engagement:profile", args=[cast.person1.pk])
    for user in (cast.users.leader, cast.users.staff):  # without the permission: no form, a POST refused
        client = login(user)
        assert "显示完整信息" not in client.get(url).content.decode()
        assert client.post(url, {"purpose": "核对", "password": testing.PASSWORD}).status_code == 403
    chamber1 = grant_view_pii(cast.users.chamber1)  # a chamber secretary never, even holding it
    assert login(chamber1).post(url, {"purpose": "核对", "password": testing.PASSWORD}).status_code == 403
    assert not AuditEvent.objects.filter(action="pii_view").exists()
    staff = grant_view_pii(cast.users.staff)
    client = login(staff)
    assert "显示完整信息" in client.get(url).content.decode()
    wrong = client.post(url, {"purpose": "核对代表身份", "password": "Wrong@Pass1"})
    assert wrong.status_code == 400 and cast.person1.id_number not in wrong.content.decode()
    body = client.post(url, {"purpose": "核对代表身份", "password": testing.PASSWORD}).content.decode()
    assert cast.person1.id_number in body and cast.person1.mobile in body
    event = AuditEvent.objects.get(action="pii_view", result="success")
    assert event.object_id == str(cast.person1.pk) and event.detail["purpose"] == "核对代表身份"
    assert cast.person1.id_number not in str(event.detail)


# --- arrangement, honour and cultivation pages ---------------------------------------------------------------
def arrangement_data(**changes):
    return {"kind": "npc", "level": "district", "role": "member", "term": "第十八届", "sector": "", "note": "",
            "start": "2022-01-01", "end": "", **changes}


def test_staff_adds_an_arrangement_through_the_form(cast, login):
    client = login(cast.users.staff)
    url = reverse("engagement:arrangement_create", args=[cast.person1.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, arrangement_data(sector="经济界"))
    assert response.status_code == 302 and response["Location"] == reverse("engagement:profile", args=[cast.person1.pk])
    assert Arrangement.objects.get().sector == "经济界"
    # the person is now in the database
    assert "王建国" in client.get(reverse("engagement:representatives")).content.decode()


def test_form_refuses_an_end_before_the_start_and_writes_nothing(cast, login):
    response = login(cast.users.staff).post(reverse("engagement:arrangement_create", args=[cast.person1.pk]),
                                            arrangement_data(start="2023-01-01", end="2022-12-31"))
    assert response.status_code == 400 and "届满日期不能早于起始日期。" in response.content.decode()
    assert not Arrangement.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


def test_form_refuses_an_overlap_of_the_same_seat_and_writes_nothing(cast, login):
    existing = testing.make_arrangement(cast.person1, start=date(2022, 1, 1), end=date(2026, 12, 31))
    client = login(cast.users.staff)
    response = client.post(reverse("engagement:arrangement_create", args=[cast.person1.pk]),
                           arrangement_data(start="2024-01-01"))
    assert response.status_code == 400 and "时间重叠" in response.content.decode()
    assert Arrangement.objects.count() == 1
    other = testing.make_arrangement(cast.person1, start=date(2017, 1, 1), end=date(2021, 12, 31))
    response = client.post(reverse("engagement:arrangement_edit", args=[other.pk]),
                           arrangement_data(start="2017-01-01", end="2022-03-01"))
    assert response.status_code == 400 and "时间重叠" in response.content.decode()
    other.refresh_from_db()
    existing.refresh_from_db()
    assert other.end == date(2021, 12, 31) and existing.start == date(2022, 1, 1)


def test_form_refuses_bad_values_in_chinese(cast, login):
    response = login(cast.users.staff).post(reverse("engagement:arrangement_create", args=[cast.person1.pk]),
                                            arrangement_data(kind="mayor", start="2022-13-01", term=""))
    body = response.content.decode()
    assert response.status_code == 400 and "日期格式应为 2026-11-22。" in body and "请填写届次。" in body
    assert not Arrangement.objects.exists()


def test_staff_edits_and_deletes_an_arrangement(cast, login):
    arrangement = testing.make_arrangement(cast.person1)
    client = login(cast.users.staff)
    response = client.post(reverse("engagement:arrangement_edit", args=[arrangement.pk]),
                           arrangement_data(end="2026-12-31", role="standing"))
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.end == date(2026, 12, 31) and arrangement.role == "standing"
    url = reverse("engagement:arrangement_delete", args=[arrangement.pk])
    assert "确定删除政治安排" in client.get(url).content.decode() and Arrangement.objects.exists()
    assert client.post(url).status_code == 302 and not Arrangement.objects.exists()


def test_honour_and_cultivation_pages(cast, login):
    client = login(cast.users.staff)
    person = cast.person1
    bad = client.post(reverse("engagement:honour_create", args=[person.pk]), {"title": "荣誉", "year": "2999"})
    assert bad.status_code == 400 and "年度不能晚于今年。" in bad.content.decode() and not PersonHonour.objects.exists()
    assert client.post(reverse("engagement:honour_create", args=[person.pk]),
                       {"title": "天津市劳动模范", "conferred_by": "天津市人民政府", "year": "2024"}).status_code == 302
    honour = PersonHonour.objects.get()
    assert client.post(reverse("engagement:honour_delete", args=[honour.pk])).status_code == 302
    assert not PersonHonour.objects.exists()
    plan = DictItem.objects.get(kind="cultivation_plan", code="new_generation")
    url = reverse("engagement:cultivation_create", args=[person.pk])
    bad = client.post(url, {"plan": plan.pk, "start": "2024-05-01", "end": "2024-01-01", "status": "active"})
    assert bad.status_code == 400 and "结束日期不能早于入选日期。" in bad.content.decode()
    assert client.post(url, {"plan": "99999999999999999999", "start": "2024-05-01",
                             "status": "active"}).status_code == 400
    assert client.post(url, {"plan": plan.pk, "start": "2024-05-01", "status": "active"}).status_code == 302
    entry = Cultivation.objects.get()
    assert client.post(reverse("engagement:cultivation_edit", args=[entry.pk]),
                       {"plan": plan.pk, "start": "2024-05-01", "end": "2025-06-30",
                        "status": "completed"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "completed"
    assert client.post(reverse("engagement:cultivation_delete", args=[entry.pk])).status_code == 302
    assert not Cultivation.objects.exists()
    body = client.get(reverse("engagement:profile", args=[person.pk])).content.decode()
    assert "变更记录" in body and "天津市劳动模范" in body  # the deleted honour's rows stay in its history


OBJECT_PAGES = ["engagement:arrangement_edit", "engagement:arrangement_delete", "engagement:honour_delete",
                "engagement:cultivation_edit", "engagement:cultivation_delete"]
EXPECTED = {"admin": 200, "staff": 200, "leader": 403, "chamber1": 403, "chamber2": 403, "dept1": 403, "ent1": 403,
            "auditor": 403, "outsider_staff": 404}


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_the_pages_of_one_record_are_the_editors_of_its_federation(cast, login, page):
    records = {
        "arrangement": testing.make_arrangement(cast.person1),
        "honour": PersonHonour.objects.create(federation=cast.district, person=cast.person1, title="荣誉", year=2024),
        "cultivation": Cultivation.objects.create(
            federation=cast.district, person=cast.person1, start=date(2024, 1, 1),
            plan=DictItem.objects.get(kind="cultivation_plan", code="backbone")),
    }
    record = records[page.split(":")[1].split("_")[0]]
    url = reverse(page, args=[record.pk])
    got = {role: login(getattr(cast.users, role)).get(url).status_code for role in EXPECTED}
    assert got == EXPECTED
    for role in ("leader", "chamber1", "outsider_staff"):
        login(getattr(cast.users, role)).post(url, {"term": "改动", "plan": record.pk, "start": "2020-01-01"})
    assert type(record).objects.filter(pk=record.pk).exists()
    record.refresh_from_db()
    assert not AuditEvent.objects.filter(action__in=["update", "delete"]).exists()
