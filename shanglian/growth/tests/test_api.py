"""/api/v1/growth/: prospects, applications, enrollments, the directory, posts, outcomes and working groups, read
only, scoped like the pages — the federation its records, a chamber secretary its chamber's share, an enterprise its
own applications and its federation's directory and open board; a department and the auditor 403; another scope's
record 404 (audited). A directory field the member hides is absent from every answer; only members in force are in
the directory; no contact mobile of a prospect, an applicant or a poster leaves through the API."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Status
from shanglian.appeals.tests.factories import make_appeal
from shanglian.audit.models import AuditEvent
from shanglian.growth.models import GroupMember, Milestone

BASE = "/api/v1/growth/"
PROSPECTS, APPLICATIONS, ENROLLMENTS = f"{BASE}prospects/", f"{BASE}applications/", f"{BASE}enrollments/"
DIRECTORY, POSTS, OUTCOMES, GROUPS = f"{BASE}directory/", f"{BASE}posts/", f"{BASE}outcomes/", f"{BASE}groups/"
REFUSAL = "您没有访问会员发展与服务的权限。"


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return {row["id"] for row in rows(response)}


def newcomer(cast, name):
    """An enterprise of the district that is not a member, with its user."""
    enterprise = testing.make_enterprise(cast.district, name=name)
    return enterprise, testing.make_user(Role.ENTERPRISE, enterprise=enterprise)


# --- prospects ------------------------------------------------------------------------------------------------
@pytest.fixture
def prospects(cast):
    return {
        "fed": testing.make_prospect(cast.district, owner=cast.users.staff, contact_mobile="13912345678",
                                     next_step="上门走访", next_step_on=date(2026, 12, 1)),
        "chamber1": testing.make_prospect(cast.district, owner=cast.users.chamber1, chamber=cast.chamber1),
        "chamber2": testing.make_prospect(cast.district, owner=cast.users.chamber2, chamber=cast.chamber2),
        "other": testing.make_prospect(cast.other, owner=cast.users.outsider_staff),
    }


def test_the_federation_reads_every_prospect_of_its_federation_without_the_contact_mobile(cast, login, prospects):
    for role in ("staff", "leader", "admin"):
        client = login(getattr(cast.users, role))
        assert ids(client.get(PROSPECTS)) == {prospects[k].pk for k in ("fed", "chamber1", "chamber2")}
    response = client.get(f"{PROSPECTS}{prospects['fed'].pk}/")
    body = response.json()
    assert body["stage"] == "lead" and body["stage_display"] == "线索" and body["next_step"] == "上门走访"
    assert body["owner"] and body["chamber"] is None
    assert "contact_mobile" not in body and "13912345678" not in response.content.decode()


def test_a_chamber_reads_its_own_chambers_prospects_only(cast, login, prospects):
    client = login(cast.users.chamber1)
    assert ids(client.get(PROSPECTS)) == {prospects["chamber1"].pk}
    assert client.get(f"{PROSPECTS}{prospects['chamber2'].pk}/").status_code == 404
    assert client.get(f"{PROSPECTS}{prospects['fed'].pk}/").status_code == 404


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_without_recruitment_are_refused_the_prospects(cast, login, prospects, role):
    response = login(getattr(cast.users, role)).get(PROSPECTS)
    assert response.status_code == 403 and response.json()["detail"] == REFUSAL


def test_a_prospect_of_another_scope_is_404_and_audited(cast, login, prospects):
    client = login(cast.users.staff)
    assert client.get(f"{PROSPECTS}{prospects['other'].pk}/").status_code == 404
    event = AuditEvent.objects.filter(action="denied").latest("id")
    assert event.object_type == "growth.prospect" and event.detail["via"] == "api"


@pytest.mark.parametrize("query", ["stage=joined2", "source=x", "chamber=abc", "chamber=123456789012345678901"])
def test_a_bad_prospect_filter_is_a_400(cast, login, prospects, query):
    response = login(cast.users.staff).get(f"{PROSPECTS}?{query}")
    assert response.status_code == 400


def test_prospects_filter_by_stage_and_chamber(cast, login, prospects):
    client = login(cast.users.staff)
    assert ids(client.get(f"{PROSPECTS}?chamber={cast.chamber2.pk}")) == {prospects["chamber2"].pk}
    assert ids(client.get(f"{PROSPECTS}?stage=visited")) == set()


# --- applications ---------------------------------------------------------------------------------------------
def test_an_enterprise_reads_its_own_applications_and_a_chamber_those_naming_it(cast, login):
    ent_a, user_a = newcomer(cast, "申请企业甲")
    ent_b, user_b = newcomer(cast, "申请企业乙")
    mine = testing.make_application(ent_a, user_a, chamber=cast.chamber1, contact_mobile="13712345678")
    theirs = testing.make_application(ent_b, user_b, chamber=cast.chamber2)
    plain = testing.make_application(*newcomer(cast, "申请企业丙"))
    assert ids(login(user_a).get(APPLICATIONS)) == {mine.pk}
    assert login(user_a).get(f"{APPLICATIONS}{theirs.pk}/").status_code == 404
    assert ids(login(cast.users.chamber1).get(APPLICATIONS)) == {mine.pk}
    assert ids(login(cast.users.staff).get(APPLICATIONS)) == {mine.pk, theirs.pk, plain.pk}
    response = login(cast.users.staff).get(f"{APPLICATIONS}{mine.pk}/")
    body = response.json()
    assert body["number"].startswith("RH") and body["status_display"] == "待审核" and body["attachments"] == []
    assert body["chamber"] == {"id": cast.chamber1.pk, "name": "友谊路街道商会"}
    assert "13712345678" not in response.content.decode()
    assert ids(login(cast.users.staff).get(f"{APPLICATIONS}?status=approved")) == set()
    assert login(cast.users.dept1).get(APPLICATIONS).status_code == 403


# --- enrollments and outcomes ----------------------------------------------------------------------------------
def test_enrollments_the_federation_all_a_chamber_its_members(cast, login):
    staff = cast.users.staff
    ent1 = testing.make_enrollment(cast.ent1, by=staff, liaison=cast.users.leader)
    ent2 = testing.make_enrollment(cast.ent2, by=staff, enrolled_on=date(2024, 1, 1), ended_on=date(2024, 12, 31))
    other = testing.make_enrollment(cast.ent_other, by=cast.users.outsider_staff)
    client = login(staff)
    listed = {row["id"]: row for row in rows(client.get(ENROLLMENTS))}
    assert set(listed) == {ent1.pk, ent2.pk}
    assert listed[ent1.pk]["programme"] == {"code": "shuangwan", "name": "双万双服"}
    assert listed[ent1.pk]["in_force"] is True and listed[ent2.pk]["in_force"] is False
    assert ids(client.get(f"{ENROLLMENTS}?in_force=yes")) == {ent1.pk}
    assert ids(client.get(f"{ENROLLMENTS}?in_force=no")) == {ent2.pk}
    assert client.get(f"{ENROLLMENTS}{other.pk}/").status_code == 404
    assert ids(login(cast.users.chamber1).get(ENROLLMENTS)) == {ent1.pk}
    assert login(cast.users.ent1).get(ENROLLMENTS).status_code == 403


def test_outcomes_with_amounts_as_strings_a_chamber_its_members(cast, login):
    staff = cast.users.staff
    deal = testing.make_outcome(cast.ent1, by=staff, amount="123456.7", partner=cast.ent2)
    hiring = testing.make_outcome(cast.ent2, by=staff, kind="hiring", amount=None, jobs=12, partner_name="某职校")
    listed = {row["id"]: row for row in rows(login(staff).get(OUTCOMES))}
    assert listed[deal.pk]["amount"] == "123456.70" and listed[deal.pk]["partner"]["name"] == "天津之江贸易有限公司"
    assert listed[hiring.pk]["amount"] is None and listed[hiring.pk]["jobs"] == 12
    assert listed[hiring.pk]["partner"] == {"id": None, "name": "某职校"}
    # chamber2's member ent2 is the partner of ent1's deal: chamber2 sees both
    assert ids(login(cast.users.chamber2).get(OUTCOMES)) == {deal.pk, hiring.pk}
    assert ids(login(cast.users.chamber1).get(OUTCOMES)) == {deal.pk}
    assert ids(login(staff).get(f"{OUTCOMES}?kind=hiring")) == {hiring.pk}


# --- directory ------------------------------------------------------------------------------------------------
@pytest.fixture
def directory(cast):
    """ent1 listed showing industry and products; ent2 listed showing everything; an unlisted member; a listed
    enterprise whose membership ended (not in the directory); the other district's listing."""
    everything = ("industry", "products", "street", "address", "contact_name", "contact_mobile", "website", "intro")
    unlisted = testing.make_enterprise(cast.district, name="不公开企业")
    testing.make_membership(cast.district, unlisted)
    former = testing.make_enterprise(cast.district, name="已退会企业")
    testing.make_membership(cast.district, former, left=date(2025, 1, 1), left_reason="企业申请退会")
    return {
        "ent1": testing.make_listing(cast.ent1, products="工业软件", intro="不该出现的简介", website="https://a.example.com"),
        "ent2": testing.make_listing(cast.ent2, shown=everything, products="浙江小商品", intro="诚信经营"),
        "unlisted": testing.make_listing(unlisted, listed=False),
        "former": testing.make_listing(former),
        "other": testing.make_listing(cast.ent_other),
    }


def test_a_field_the_member_hides_is_absent_from_the_directory_api(cast, login, directory):
    cast.ent1.address = "友谊路1号保密地址"
    cast.ent1.save()
    for user in (cast.users.staff, cast.users.chamber2, cast.users.ent1):
        client = login(user)
        listed = {row["id"]: row for row in rows(client.get(DIRECTORY))}
        one = client.get(f"{DIRECTORY}{directory['ent1'].pk}/").json()
        for entry in (listed[directory["ent1"].pk], one):
            assert set(entry) == {"id", "name", "listed", "industry", "products"}
            assert entry["name"] == "天津友谊科技有限公司" and entry["products"] == "工业软件"
        body = client.get(DIRECTORY).content.decode() + client.get(f"{DIRECTORY}{directory['ent1'].pk}/").content.decode()
        assert "不该出现的简介" not in body and "a.example.com" not in body and "保密地址" not in body
        assert cast.ent1.contact_mobile not in body
        ent2 = listed[directory["ent2"].pk]
        assert ent2["contact_mobile"] == cast.ent2.contact_mobile and ent2["intro"] == "诚信经营"


def test_only_members_in_force_are_in_the_directory_and_unlisted_ones_only_for_the_federation(cast, login, directory):
    staff = login(cast.users.staff)
    assert ids(staff.get(DIRECTORY)) == {directory[k].pk for k in ("ent1", "ent2", "unlisted")}
    assert {row["id"]: row["listed"] for row in rows(staff.get(DIRECTORY))}[directory["unlisted"].pk] is False
    assert staff.get(f"{DIRECTORY}{directory['former'].pk}/").status_code == 404
    for user in (cast.users.chamber1, cast.users.ent1):
        client = login(user)
        assert ids(client.get(DIRECTORY)) == {directory["ent1"].pk, directory["ent2"].pk}
        assert client.get(f"{DIRECTORY}{directory['unlisted'].pk}/").status_code == 404
    _enterprise, outsider = newcomer(cast, "非会员企业")
    assert ids(login(outsider).get(DIRECTORY)) == set()  # not a member: no directory
    assert login(cast.users.dept1).get(DIRECTORY).status_code == 403


def test_the_directory_is_searched_only_by_what_an_entry_shows(cast, login, directory):
    client = login(cast.users.staff)
    assert ids(client.get(f"{DIRECTORY}?products=小商品")) == {directory["ent2"].pk}
    assert ids(client.get(f"{DIRECTORY}?q=友谊科技")) == {directory["ent1"].pk}
    assert ids(client.get(f"{DIRECTORY}?products=工业软件")) == {directory["ent1"].pk}
    cast.ent1.street = cast.ent2.street = cast.street
    cast.ent1.save()
    cast.ent2.save()
    assert ids(client.get(f"{DIRECTORY}?street={cast.street.pk}")) == {directory["ent2"].pk}  # ent1 hides its street
    assert ids(client.get(f"{DIRECTORY}?industry=65")) == {directory[k].pk for k in ("ent1", "ent2", "unlisted")}
    assert client.get(f"{DIRECTORY}?street=x").status_code == 400


# --- posts ----------------------------------------------------------------------------------------------------
def test_the_board_an_enterprise_sees_open_posts_and_its_own_never_a_contact(cast, login):
    staff = cast.users.staff
    event = testing.make_event(cast.district, kind="financing", title="融资推介会")
    own_closed = testing.make_post(cast.ent1, by=cast.users.ent1, status="closed", closed_reason="已对接")
    open_ent2 = testing.make_post(cast.ent2, by=staff, category="financing", amount="500000")
    open_ent2.events.add(event)
    closed_ent2 = testing.make_post(cast.ent2, by=staff, status="closed", closed_reason="已对接")
    other = testing.make_post(cast.ent_other, by=cast.users.outsider_staff)
    client = login(cast.users.ent1)
    assert ids(client.get(POSTS)) == {own_closed.pk, open_ent2.pk}
    assert client.get(f"{POSTS}{closed_ent2.pk}/").status_code == 404
    assert client.get(f"{POSTS}{other.pk}/").status_code == 404
    response = client.get(f"{POSTS}{open_ent2.pk}/")
    body = response.json()
    assert body["amount"] == "500000.00" and body["category_display"] == "融资需求"
    assert [e["title"] for e in body["events"]] == ["融资推介会"]
    assert cast.ent2.contact_mobile not in response.content.decode() and "contact" not in body
    assert ids(login(cast.users.chamber1).get(POSTS)) == {open_ent2.pk}
    assert ids(login(staff).get(f"{POSTS}?status=closed")) == {own_closed.pk, closed_ent2.pk}
    assert login(cast.users.auditor).get(POSTS).status_code == 403


# --- working groups -------------------------------------------------------------------------------------------
def test_a_working_group_with_its_lead_members_projects_milestones_and_appeals(cast, login):
    group = testing.make_working_group(cast.district, name="融资服务专项工作组", lead=cast.person1)
    GroupMember.objects.create(group=group, person=cast.person2, enterprise=cast.ent2, joined=date(2025, 2, 1))
    project = testing.make_group_project(group, name="银企对接")
    Milestone.objects.create(project=project, title="召开推介会", due=date(2025, 6, 30), done_on=date(2025, 6, 20))
    project.appeals.add(make_appeal(cast, Status.CLOSED), make_appeal(cast, Status.HANDLING))
    other = testing.make_working_group(cast.other, name="南开区工作组")
    for user in (cast.users.staff, cast.users.chamber2):
        client = login(user)
        [row] = rows(client.get(GROUPS))
        assert (row["name"], row["lead"], row["members"], row["projects"]) == ("融资服务专项工作组", "王建国", 2, 1)
        body = client.get(f"{GROUPS}{group.pk}/").json()
        assert [m["person"] for m in body["member_list"]] == ["王建国", "陈浙江"]
        assert body["member_list"][1]["enterprise"] == "天津之江贸易有限公司"
        [item] = body["project_list"]
        assert (item["appeals"], item["appeals_resolved"]) == (2, 1)
        assert [m["title"] for m in item["milestones"]] == ["召开推介会"]
        assert client.get(f"{GROUPS}{other.pk}/").status_code == 404
    assert login(cast.users.ent1).get(GROUPS).status_code == 403
    assert ids(login(cast.users.staff).get(f"{GROUPS}?active=no")) == set()


def test_the_lists_run_as_many_queries_for_many_rows_as_for_one(cast, login):
    staff = cast.users.staff

    def add(n):
        for _ in range(n):
            enterprise = testing.make_enterprise(cast.district, chamber=cast.chamber1)
            testing.make_membership(cast.district, enterprise)
            testing.make_prospect(cast.district, owner=staff, chamber=cast.chamber1, enterprise=enterprise)
            testing.make_application(enterprise, testing.make_user(Role.ENTERPRISE, enterprise=enterprise),
                                     chamber=cast.chamber1)
            testing.make_enrollment(enterprise, by=staff, liaison=staff)
            testing.make_listing(enterprise)
            post = testing.make_post(enterprise, by=staff)
            post.events.add(testing.make_event(cast.district, kind="matchmaking"))
            testing.make_outcome(enterprise, by=staff, post=post, partner=cast.ent1)
            group = testing.make_working_group(cast.district, lead=testing.make_person(cast.district))
            testing.make_group_project(group)

    def counts():
        client = login(staff)
        found = {}
        for url in (PROSPECTS, APPLICATIONS, ENROLLMENTS, DIRECTORY, POSTS, OUTCOMES, GROUPS):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    add(1)
    few = counts()
    add(4)
    assert counts() == few
