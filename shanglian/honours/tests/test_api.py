"""/api/v1/honours/: programmes (with categories and criteria, never the nominations), published lists (every
version, with their entries) and chamber assessments (items, evidence, levels), read only and scoped like the
pages — every registry reader its federation's programmes and lists, a chamber secretary its own chamber's
assessments; department, enterprise and auditor 403; another scope's record 404 (audited)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.honours.models import AssessmentItem, EvidenceFile, HonourListEntry

BASE = "/api/v1/honours/"
PROGRAMMES, LISTS, ASSESSMENTS = f"{BASE}programmes/", f"{BASE}lists/", f"{BASE}assessments/"


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return {row["id"] for row in rows(response)}


def publish(category, placed, *, version=1, reason="", superseded=False):
    """A published list of `category` (`testing.make_honour_list`) whose entries carry the scores `placed` gives:
    (enterprise, rank, score) triples."""
    honour_list = testing.make_honour_list(category, [(enterprise, rank) for enterprise, rank, _score in placed],
                                           version=version, reason=reason, superseded=superseded)
    for enterprise, _rank, score in placed:  # the published row as the publication scored it
        HonourListEntry.objects.filter(honour_list=honour_list, enterprise=enterprise).update(score=Decimal(score))
    return honour_list


@pytest.fixture
def awards(cast):
    """The district's 2025 programme (依法纳税: version 1 corrected by version 2; 社会责任: version 1), its 2024
    programme (closed, one list), a draft of 2026 without lists, and the other district's programme and list."""
    ent3 = testing.make_enterprise(cast.district, name="天津河西建设集团")
    p2025 = testing.make_programme(cast.district, year=2025, status="closed", categories=("依法纳税", "社会责任"))
    tax, duty = p2025.categories.order_by("order")
    p2024 = testing.make_programme(cast.district, year=2024, status="closed", categories=("科技创新",))
    draft = testing.make_programme(cast.district, year=2026, status="draft", name="2026年度评选（筹备）")
    other = testing.make_programme(cast.other, year=2025, categories=("促进就业",))
    testing.make_nomination(tax, cast.ent1, chamber=cast.chamber1, reason="纳税大户")
    return {
        "p2025": p2025, "p2024": p2024, "draft": draft, "other": other, "tax": tax, "duty": duty, "ent3": ent3,
        "tax_v1": publish(tax, [(cast.ent1, 1, "95.5"), (cast.ent2, 2, "90")], superseded=True),
        "tax_v2": publish(tax, [(cast.ent1, 1, "95.5"), (ent3, 1, "95.5"), (cast.ent2, 3, "90")], version=2,
                           reason="补录漏报的纳税数据"),
        "duty_v1": publish(duty, [(cast.ent2, 1, "88.125")]),
        "tech_v1": publish(p2024.categories.get(), [(ent3, 1, "80")]),
        "other_v1": publish(other.categories.get(), [(cast.ent_other, 1, "70")]),
    }


# --- programmes -----------------------------------------------------------------------------------------------
def test_a_programme_shows_its_categories_and_weighted_criteria_but_no_nomination(cast, login, awards):
    client = login(cast.users.staff)
    assert ids(client.get(PROGRAMMES)) == {awards[k].pk for k in ("p2025", "p2024", "draft")}
    one = client.get(f"{PROGRAMMES}{awards['p2025'].pk}/").json()
    assert (one["year"], one["status"], one["status_display"]) == (2025, "closed", "已结束")
    assert [c["name"] for c in one["categories"]] == ["依法纳税10强", "社会责任10强"]
    tax = one["categories"][0]
    assert tax["list_size"] == 10 and tax["current_list"] == awards["tax_v2"].pk
    assert [(c["name"], c["weight"], c["max_score"]) for c in tax["criteria"]] == [("纳税额", "60.00", 100),
                                                                                    ("纳税信用", "40.00", 100)]
    listed = rows(client.get(PROGRAMMES))
    assert not any("nominations" in p or any("nominations" in c for c in p["categories"]) for p in listed)
    assert "纳税大户" not in client.get(f"{PROGRAMMES}{awards['p2025'].pk}/").content.decode()
    draft = client.get(f"{PROGRAMMES}{awards['draft'].pk}/").json()
    assert draft["categories"][0]["current_list"] is None


def test_every_registry_reader_reads_its_federations_programmes_only(cast, login, awards):
    for role in ("admin", "leader", "chamber1", "chamber2"):
        client = login(getattr(cast.users, role))
        assert ids(client.get(PROGRAMMES)) == {awards[k].pk for k in ("p2025", "p2024", "draft")}, role
        assert client.get(f"{PROGRAMMES}{awards['other'].pk}/").status_code == 404
    client = login(cast.users.outsider_staff)
    assert ids(client.get(PROGRAMMES)) == {awards["other"].pk}
    assert client.get(f"{PROGRAMMES}{awards['p2025'].pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="honours.programme",
                                     object_id=str(awards["p2025"].pk), detail__via="api").exists()


def test_the_programmes_filter_by_year_and_status(cast, login, awards):
    client = login(cast.users.chamber1)
    assert ids(client.get(f"{PROGRAMMES}?year=2024")) == {awards["p2024"].pk}
    assert ids(client.get(f"{PROGRAMMES}?status=draft")) == {awards["draft"].pk}
    assert ids(client.get(f"{PROGRAMMES}?status=closed&year=2025")) == {awards["p2025"].pk}
    for bad in ("status=open", "year=abc", "year=99999"):
        response = client.get(f"{PROGRAMMES}?{bad}")
        assert response.status_code == 400 and bad.split("=")[0] in response.json()


# --- published lists ------------------------------------------------------------------------------------------
def test_a_published_list_shows_its_entries_with_ties_and_its_version(cast, login, awards):
    client = login(cast.users.chamber2)
    one = client.get(f"{LISTS}{awards['tax_v2'].pk}/").json()
    assert one["programme"] == {"id": awards["p2025"].pk, "name": "优秀民营企业10强评选", "year": 2025}
    assert one["category"] == {"id": awards["tax"].pk, "name": "依法纳税10强", "list_size": 10}
    assert (one["year"], one["version"], one["current"], one["reason"]) == (2025, 2, True, "补录漏报的纳税数据")
    assert one["superseded_at"] is None
    assert [(e["rank"], e["tied"], e["enterprise_name"], e["score"]) for e in one["entries"]] == [
        (1, True, "天津友谊科技有限公司", "95.500"), (1, True, "天津河西建设集团", "95.500"),
        (3, False, "天津之江贸易有限公司", "90.000")]
    assert one["entries"][0]["enterprise"] == cast.ent1.pk
    old = client.get(f"{LISTS}{awards['tax_v1'].pk}/").json()
    assert old["current"] is False and old["superseded_at"] is not None and len(old["entries"]) == 2


def test_the_lists_are_read_by_every_registry_reader_of_the_federation(cast, login, awards):
    district = {awards[k].pk for k in ("tax_v1", "tax_v2", "duty_v1", "tech_v1")}
    for role in ("staff", "leader", "chamber1", "chamber2"):
        client = login(getattr(cast.users, role))
        assert ids(client.get(LISTS)) == district, role
        assert client.get(f"{LISTS}{awards['other_v1'].pk}/").status_code == 404
    assert ids(login(cast.users.outsider_staff).get(LISTS)) == {awards["other_v1"].pk}
    listed = [row["id"] for row in rows(login(cast.users.staff).get(LISTS))]
    assert listed == [awards[k].pk for k in ("tax_v2", "tax_v1", "duty_v1", "tech_v1")]  # year, category, version


def test_the_lists_filter_by_year_programme_category_and_current(cast, login, awards):
    client = login(cast.users.staff)
    assert ids(client.get(f"{LISTS}?year=2024")) == {awards["tech_v1"].pk}
    assert ids(client.get(f"{LISTS}?programme={awards['p2025'].pk}")) == {awards[k].pk for k in ("tax_v1", "tax_v2",
                                                                                                "duty_v1")}
    assert ids(client.get(f"{LISTS}?category={awards['tax'].pk}")) == {awards["tax_v1"].pk, awards["tax_v2"].pk}
    assert ids(client.get(f"{LISTS}?current=yes&year=2025")) == {awards["tax_v2"].pk, awards["duty_v1"].pk}
    assert ids(client.get(f"{LISTS}?current=no")) == {awards["tax_v1"].pk}
    assert ids(client.get(f"{LISTS}?category={awards['other'].categories.get().pk}")) == set()
    for bad in ("current=maybe", "category=-3", "year=abc", "programme=x"):
        assert client.get(f"{LISTS}?{bad}").status_code == 400


# --- assessments ----------------------------------------------------------------------------------------------
@pytest.fixture
def assessments(cast):
    five_have = testing.make_assessment(cast.chamber1, scheme="five_have", year=2025, status="submitted")
    item = five_have.items.get(code="office")
    AssessmentItem.objects.filter(pk=item.pk).update(met=True, note="街道提供办公室两间", status="verified",
                                                     review_note="已实地查看", verified_at=timezone.now())
    EvidenceFile.objects.create(item=item, original_name="办公场所照片.jpg", stored_name="e" * 32,
                                content_type="image/jpeg", size=2048, sha256="1" * 64)
    four_good = testing.make_assessment(cast.chamber2, scheme="four_good", year=2025, status="confirmed")
    four_good.total_score, four_good.level = Decimal("82.50"), "“四好”商会"
    four_good.save()
    return {
        "five_have": five_have, "four_good": four_good,
        "five_good": testing.make_assessment(cast.district, scheme="five_good", year=2024),
        "old": testing.make_assessment(cast.chamber1, scheme="five_have", year=2024, status="confirmed"),
        "other": testing.make_assessment(testing.make_chamber(cast.other, name="南开区某街道商会"), year=2025),
    }


def test_an_assessment_shows_its_items_in_the_schemes_order_with_evidence(cast, login, assessments):
    one = login(cast.users.chamber1).get(f"{ASSESSMENTS}{assessments['five_have'].pk}/").json()
    assert (one["scheme"], one["scheme_display"], one["status"], one["status_display"]) == (
        "five_have", "镇街商会“五有”", "submitted", "已提交")
    assert one["subject"] == {"kind": "chamber", "id": cast.chamber1.pk, "name": "友谊路街道商会"}
    assert one["max_total"] is None and one["levels"] == [] and one["level"] == ""
    assert [(i["code"], i["label"]) for i in one["items"]] == [
        ("sign", "机构牌子"), ("team", "工作班子"), ("office", "办公场所"), ("funds", "工作经费"), ("activities", "活动开展")]
    office = one["items"][2]
    assert (office["met"], office["status"], office["status_display"], office["review_note"]) == (
        True, "verified", "已核实", "已实地查看")
    assert office["max_score"] is None and office["note"] == "街道提供办公室两间"
    assert [e["original_name"] for e in office["evidence"]] == ["办公场所照片.jpg"]
    assert office["evidence"][0]["download_url"].endswith(f"/honours/evidence/{office['evidence'][0]['id']}/")
    assert one["items"][0]["status"] == "empty" and one["items"][0]["evidence"] == []


def test_a_scored_assessment_shows_its_total_level_and_the_schemes_levels(cast, login, assessments):
    one = login(cast.users.leader).get(f"{ASSESSMENTS}{assessments['four_good'].pk}/").json()
    assert (one["total_score"], one["max_total"], one["level"]) == ("82.50", 100, "“四好”商会")
    assert one["levels"] == [{"floor": "90.00", "label": "示范商会"}, {"floor": "75.00", "label": "“四好”商会"},
                             {"floor": "60.00", "label": "合格"}]
    assert [(i["label"], i["max_score"]) for i in one["items"]][0] == ("政治引领好", 25)
    federation = login(cast.users.leader).get(f"{ASSESSMENTS}{assessments['five_good'].pk}/").json()
    assert federation["subject"] == {"kind": "federation", "id": cast.district.pk, "name": "河西区工商联"}


def test_a_chamber_secretary_reads_its_own_chambers_assessments_only(cast, login, assessments):
    client = login(cast.users.chamber1)
    assert ids(client.get(ASSESSMENTS)) == {assessments["five_have"].pk, assessments["old"].pk}
    for foreign in ("four_good", "five_good", "other"):
        assert client.get(f"{ASSESSMENTS}{assessments[foreign].pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="honours.assessment",
                                     object_id=str(assessments["four_good"].pk)).exists()
    assert ids(login(cast.users.chamber2).get(ASSESSMENTS)) == {assessments["four_good"].pk}
    district = {assessments[k].pk for k in ("five_have", "four_good", "five_good", "old")}
    assert ids(login(cast.users.staff).get(ASSESSMENTS)) == district
    outsider = login(cast.users.outsider_staff)
    assert ids(outsider.get(ASSESSMENTS)) == {assessments["other"].pk}
    assert outsider.get(f"{ASSESSMENTS}{assessments['five_good'].pk}/").status_code == 404


def test_the_assessments_filter_by_year_scheme_status_and_chamber(cast, login, assessments):
    client = login(cast.users.staff)
    assert ids(client.get(f"{ASSESSMENTS}?year=2024")) == {assessments["five_good"].pk, assessments["old"].pk}
    assert ids(client.get(f"{ASSESSMENTS}?scheme=four_good")) == {assessments["four_good"].pk}
    assert ids(client.get(f"{ASSESSMENTS}?status=confirmed")) == {assessments["four_good"].pk, assessments["old"].pk}
    assert ids(client.get(f"{ASSESSMENTS}?chamber={cast.chamber1.pk}&year=2025")) == {assessments["five_have"].pk}
    for bad in ("scheme=six_good", "status=done", "chamber=abc", "year=0"):
        assert client.get(f"{ASSESSMENTS}?{bad}").status_code == 400


# --- the API as a whole ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_outside_the_registry_are_refused_every_endpoint(cast, login, awards, assessments, role):
    client = login(getattr(cast.users, role))
    for url, message in ((PROGRAMMES, "评选表彰"), (LISTS, "评选表彰"), (ASSESSMENTS, "商会评估"),
                         (f"{PROGRAMMES}{awards['p2025'].pk}/", "评选表彰"), (f"{LISTS}{awards['tax_v2'].pk}/", "评选表彰"),
                         (f"{ASSESSMENTS}{assessments['five_have'].pk}/", "商会评估")):
        response = client.get(url)
        assert response.status_code == 403 and message in response.json()["detail"], url
    assert client.get(f"{LISTS}?current=maybe").status_code == 403  # refused before the filter is read


def test_writes_are_not_offered(cast, login, awards, assessments):
    client = login(cast.users.staff)
    for url in (PROGRAMMES, LISTS, ASSESSMENTS):
        assert client.post(url, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{LISTS}{awards['tax_v2'].pk}/").status_code == 405
    assert client.put(f"{ASSESSMENTS}{assessments['five_have'].pk}/", {},
                      content_type="application/json").status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_a_list_runs_as_many_queries_for_many_rows_as_for_few(cast, login, awards, assessments, role):
    client = login(getattr(cast.users, role))
    before = {url: _queries(client, url) for url in (PROGRAMMES, LISTS, ASSESSMENTS)}
    for year in range(2015, 2019):
        programme = testing.make_programme(cast.district, year=year, categories=("依法纳税", "科技创新"),
                                           criteria=(("甲", "1"), ("乙", "2"), ("丙", "3")))
        for category in programme.categories.all():
            publish(category, [(cast.ent1, 1, "9"), (cast.ent2, 2, "8")])
        assessment = testing.make_assessment(cast.chamber1, scheme="four_good", year=year)
        for item in assessment.items.all():
            EvidenceFile.objects.create(item=item, original_name="a.pdf", stored_name=f"{year}{item.code}".ljust(32),
                                        content_type="application/pdf", size=1, sha256="2" * 64)
    assert {url: _queries(client, url) for url in before} == before


def test_the_schema_documents_the_honours_endpoints_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in (PROGRAMMES, f"{PROGRAMMES}{{id}}/", LISTS, f"{LISTS}{{id}}/", ASSESSMENTS, f"{ASSESSMENTS}{{id}}/"):
        assert f"{path}:" in schema
    assert "HonourAssessmentSchemeEnum" in schema and "上榜企业（并列者名次相同）" in schema
