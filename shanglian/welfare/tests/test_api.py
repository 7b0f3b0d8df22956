"""/api/v1/welfare/: donations, campaigns (with what they raised) and pairings, read only, scoped like the pages —
the federation its records, a chamber secretary its chamber's; department, enterprise and auditor 403; another
scope's record 404 (audited); amounts as strings to the fen; a person donor named, never their ID or mobile."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.welfare.models import DonationProof

BASE = "/api/v1/welfare/"
DONATIONS, CAMPAIGNS, PAIRINGS = f"{BASE}donations/", f"{BASE}campaigns/", f"{BASE}pairings/"


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return {row["id"] for row in rows(response)}


@pytest.fixture
def book(cast):
    """The federation's 春芽基金 (donations through chamber1 — ent1's cash, 王建国's goods — and through chamber2),
    chamber1's and chamber2's own campaigns, a donation the federation recorded itself (no chamber, 2024), and
    the other district's campaign and donation."""
    fund = testing.make_campaign(cast.district, name="春芽基金", kind="education", target_amount="100000.00")
    ch1_campaign = testing.make_campaign(cast.district, name="友谊路街道助学", chamber=cast.chamber1,
                                         start=date(2025, 1, 1), end=date(2025, 12, 31))
    ch2_campaign = testing.make_campaign(cast.district, name="浙商抗疫捐款", kind="epidemic", chamber=cast.chamber2,
                                         start=date(2020, 2, 1), end=date(2020, 6, 30))
    other_campaign = testing.make_campaign(cast.other, name="南开区助学")
    return {
        "fund": fund, "ch1_campaign": ch1_campaign, "ch2_campaign": ch2_campaign, "other_campaign": other_campaign,
        "ent1": testing.make_donation(cast.ent1, cash="1200.50", chamber=cast.chamber1, campaign=fund,
                                      recipient="河西区教育基金会", receipt_number="PJ-001"),
        "person1": testing.make_donation(cast.person1, goods_value="300.25", goods_description="图书200册",
                                         chamber=cast.chamber1, campaign=fund, recipient="某小学",
                                         donated_on=date(2025, 4, 2)),
        "ent2": testing.make_donation(cast.ent2, cash="1000", goods_value="99.99", goods_description="口罩",
                                      chamber=cast.chamber2, campaign=fund, donated_on=date(2025, 5, 6)),
        "fed": testing.make_donation(cast.ent2, cash="5000", donated_on=date(2024, 6, 1),
                                     recipient_village=testing.make_village(cast.district, name="王庄村")),
        "other": testing.make_donation(cast.ent_other, cash="800", campaign=other_campaign),
    }


# --- donations ------------------------------------------------------------------------------------------------
def test_staff_reads_the_donations_with_amounts_to_the_fen_and_the_donor(cast, login, book):
    client = login(cast.users.staff)
    listed = {row["id"]: row for row in rows(client.get(DONATIONS))}
    assert set(listed) == {book[k].pk for k in ("ent1", "person1", "ent2", "fed")}
    ent1 = listed[book["ent1"].pk]
    assert (ent1["cash"], ent1["goods_value"], ent1["total"]) == ("1200.50", "0.00", "1200.50")
    assert ent1["donor"] == {"kind": "enterprise", "kind_display": "企业", "id": cast.ent1.pk,
                             "name": "天津友谊科技有限公司"}
    assert ent1["chamber"] == {"id": cast.chamber1.pk, "name": "友谊路街道商会"}
    assert ent1["campaign"] == {"id": book["fund"].pk, "name": "春芽基金"}
    assert ent1["recipient"] == {"village": None, "name": "河西区教育基金会"}
    both = listed[book["ent2"].pk]
    assert (both["cash"], both["goods_value"], both["total"]) == ("1000.00", "99.99", "1099.99")
    fed = listed[book["fed"].pk]
    assert fed["chamber"] is None and fed["campaign"] is None
    assert fed["recipient"]["name"] == "王庄村" and fed["recipient"]["village"]["name"] == "王庄村"


def test_a_person_donor_is_named_but_their_id_number_and_mobile_never_leave(cast, login, book):
    client = login(cast.users.staff)
    for response in (client.get(DONATIONS), client.get(f"{DONATIONS}{book['person1'].pk}/")):
        body = response.content.decode()
        assert cast.person1.id_number not in body and cast.person1.mobile not in body
        assert not re.search(r"(?<!\d)1\d{10}(?!\d)", body)
    one = client.get(f"{DONATIONS}{book['person1'].pk}/").json()
    assert one["donor"] == {"kind": "person", "kind_display": "个人", "id": cast.person1.pk, "name": "王建国"}
    assert (one["cash"], one["goods_description"], one["goods_value"]) == ("0.00", "图书200册", "300.25")


def test_a_donation_shows_its_proofs_and_certificate(cast, login, book):
    DonationProof.objects.create(donation=book["ent1"], original_name="转账凭证.pdf", stored_name="x" * 32,
                                 content_type="application/pdf", size=1024, sha256="0" * 64)
    one = login(cast.users.chamber1).get(f"{DONATIONS}{book['ent1'].pk}/").json()
    assert [p["original_name"] for p in one["proofs"]] == ["转账凭证.pdf"]
    assert one["proofs"][0]["download_url"].endswith(f"/welfare/donations/proofs/{one['proofs'][0]['id']}/")
    assert one["certificate_url"].endswith(f"/welfare/donations/{book['ent1'].pk}/certificate/")
    assert one["receipt_number"] == "PJ-001" and one["number"] == book["ent1"].number


def test_a_chamber_secretary_reads_the_donations_its_chamber_organised_only(cast, login, book):
    client = login(cast.users.chamber1)
    assert ids(client.get(DONATIONS)) == {book["ent1"].pk, book["person1"].pk}
    for foreign in ("ent2", "fed", "other"):
        assert client.get(f"{DONATIONS}{book[foreign].pk}/").status_code == 404
    event = AuditEvent.objects.filter(action="denied").latest("id")
    assert event.detail["via"] == "api" and event.object_type == "welfare.donation"
    assert ids(login(cast.users.chamber2).get(DONATIONS)) == {book["ent2"].pk}


def test_another_federation_reads_none_of_the_districts_donations(cast, login, book):
    client = login(cast.users.outsider_staff)
    assert ids(client.get(DONATIONS)) == {book["other"].pk}
    assert client.get(f"{DONATIONS}{book['ent1'].pk}/").status_code == 404
    assert login(cast.users.leader).get(f"{DONATIONS}{book['other'].pk}/").status_code == 404


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_outside_welfare_are_refused_every_endpoint(cast, login, book, role):
    client = login(getattr(cast.users, role))
    for url in (DONATIONS, CAMPAIGNS, PAIRINGS, f"{DONATIONS}{book['ent1'].pk}/", f"{CAMPAIGNS}{book['fund'].pk}/"):
        response = client.get(url)
        assert response.status_code == 403 and response.json()["detail"] == "您没有访问光彩公益的权限。"
    assert client.get(f"{DONATIONS}?year=abc").status_code == 403  # refused before the filter is read


def test_the_donations_filter_by_year_campaign_and_donor_kind(cast, login, book):
    client = login(cast.users.staff)
    assert ids(client.get(f"{DONATIONS}?year=2024")) == {book["fed"].pk}
    assert ids(client.get(f"{DONATIONS}?campaign={book['fund'].pk}")) == {book[k].pk for k in ("ent1", "person1",
                                                                                              "ent2")}
    assert ids(client.get(f"{DONATIONS}?donor_kind=person")) == {book["person1"].pk}
    assert ids(client.get(f"{DONATIONS}?year=2025&donor_kind=enterprise")) == {book["ent1"].pk, book["ent2"].pk}
    assert ids(client.get(f"{DONATIONS}?campaign={book['other_campaign'].pk}")) == set()


@pytest.mark.parametrize("query", ["year=abc", "year=1800", "campaign=-1", "campaign=99999999999999999999",
                                   "donor_kind=robot"])
def test_a_bad_donation_filter_is_a_400_with_a_chinese_message(cast, login, book, query):
    response = login(cast.users.staff).get(f"{DONATIONS}?{query}")
    assert response.status_code == 400
    field = query.split("=")[0]
    assert field in response.json() and re.search(r"[\u4e00-\u9fff]", str(response.json()[field]))


# --- campaigns ------------------------------------------------------------------------------------------------
def test_a_campaign_shows_what_it_raised_summed_to_the_fen(cast, login, book):
    listed = {row["id"]: row for row in rows(login(cast.users.staff).get(CAMPAIGNS))}
    assert set(listed) == {book[k].pk for k in ("fund", "ch1_campaign", "ch2_campaign")}
    fund = listed[book["fund"].pk]
    # cash 1200.50 + 1000.00; goods 300.25 + 99.99; together 2600.74 in three donations
    assert (fund["raised_cash"], fund["raised_goods"], fund["raised_total"], fund["donation_count"]) == (
        "2200.50", "400.24", "2600.74", 3)
    assert fund["target_amount"] == "100000.00" and fund["chamber"] is None
    assert fund["kind"] == {"code": "education", "label": "助学助教"}
    empty = listed[book["ch1_campaign"].pk]
    assert (empty["raised_cash"], empty["raised_goods"], empty["raised_total"], empty["donation_count"]) == (
        "0.00", "0.00", "0.00", 0)
    assert empty["chamber"] == {"id": cast.chamber1.pk, "name": "友谊路街道商会"}


def test_a_chamber_reads_the_federations_campaigns_and_its_own_with_its_own_donations_counted(cast, login, book):
    client = login(cast.users.chamber1)
    listed = {row["id"]: row for row in rows(client.get(CAMPAIGNS))}
    assert set(listed) == {book["fund"].pk, book["ch1_campaign"].pk}
    fund = listed[book["fund"].pk]  # chamber2's donation to the fund is not chamber1's to see
    assert (fund["raised_cash"], fund["raised_goods"], fund["raised_total"], fund["donation_count"]) == (
        "1200.50", "300.25", "1500.75", 2)
    assert client.get(f"{CAMPAIGNS}{book['ch2_campaign'].pk}/").status_code == 404
    assert client.get(f"{CAMPAIGNS}{book['other_campaign'].pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="welfare.campaign",
                                     object_id=str(book["ch2_campaign"].pk)).exists()
    assert client.get(f"{CAMPAIGNS}{book['fund'].pk}/").json()["raised_total"] == "1500.75"


def test_the_campaigns_filter_by_year_and_kind(cast, login, book):
    old = testing.make_campaign(cast.district, name="旧项目", start=date(2019, 3, 1), end=date(2021, 1, 31))
    client = login(cast.users.staff)
    assert ids(client.get(f"{CAMPAIGNS}?year=2020")) == {book["ch2_campaign"].pk, old.pk}  # running that year
    assert ids(client.get(f"{CAMPAIGNS}?year=2024")) == {book["fund"].pk}
    assert ids(client.get(f"{CAMPAIGNS}?year=2025")) == {book["fund"].pk, book["ch1_campaign"].pk}
    assert ids(client.get(f"{CAMPAIGNS}?year=2030")) == {book["fund"].pk}  # open-ended: still running
    assert ids(client.get(f"{CAMPAIGNS}?kind=epidemic")) == {book["ch2_campaign"].pk}
    assert ids(client.get(f"{CAMPAIGNS}?kind=epidemic&year=2025")) == set()
    assert client.get(f"{CAMPAIGNS}?year=twenty").status_code == 400


# --- pairings -------------------------------------------------------------------------------------------------
@pytest.fixture
def pairings(cast):
    village = testing.make_village(cast.district, name="李庄村")
    return {
        "ent1": testing.make_pairing(cast.ent1, village, kind="industry", committed_amount="50000.00",
                                     delivered_amount="12000.50", commitment="建设蔬菜大棚"),
        "chamber1": testing.make_pairing(cast.chamber1, testing.make_village(cast.district, name="张庄村"),
                                         kind="education", start=date(2020, 1, 1), end=date(2022, 12, 31)),
        "ent2": testing.make_pairing(cast.ent2, village, kind="employment"),
        "chamber2": testing.make_pairing(cast.chamber2, testing.make_village(cast.district), kind="consumption"),
        "other": testing.make_pairing(cast.ent_other, testing.make_village(cast.other)),
        "village": village,
    }


def test_staff_reads_the_pairings_with_partner_village_and_amounts(cast, login, pairings):
    listed = {row["id"]: row for row in rows(login(cast.users.staff).get(PAIRINGS))}
    assert set(listed) == {pairings[k].pk for k in ("ent1", "chamber1", "ent2", "chamber2")}
    ent1 = listed[pairings["ent1"].pk]
    assert ent1["partner"] == {"kind": "enterprise", "id": cast.ent1.pk, "name": "天津友谊科技有限公司"}
    assert ent1["village"]["name"] == "李庄村" and ent1["village"]["is_target"] is True
    assert (ent1["kind"], ent1["kind_display"], ent1["in_force"]) == ("industry", "产业帮扶", True)
    assert (ent1["committed_amount"], ent1["delivered_amount"]) == ("50000.00", "12000.50")
    ended = listed[pairings["chamber1"].pk]
    assert ended["partner"] == {"kind": "chamber", "id": cast.chamber1.pk, "name": "友谊路街道商会"}
    assert ended["in_force"] is False and ended["committed_amount"] is None


def test_a_chamber_reads_its_own_pairings_and_its_members(cast, login, pairings):
    client = login(cast.users.chamber1)
    assert ids(client.get(PAIRINGS)) == {pairings["ent1"].pk, pairings["chamber1"].pk}
    for foreign in ("ent2", "chamber2", "other"):
        assert client.get(f"{PAIRINGS}{pairings[foreign].pk}/").status_code == 404
    assert ids(login(cast.users.chamber2).get(PAIRINGS)) == {pairings["ent2"].pk, pairings["chamber2"].pk}
    assert ids(login(cast.users.outsider_staff).get(PAIRINGS)) == {pairings["other"].pk}


def test_the_pairings_filter_by_kind_in_force_and_village(cast, login, pairings):
    client = login(cast.users.leader)
    assert ids(client.get(f"{PAIRINGS}?kind=education")) == {pairings["chamber1"].pk}
    assert ids(client.get(f"{PAIRINGS}?in_force=no")) == {pairings["chamber1"].pk}
    assert pairings["chamber1"].pk not in ids(client.get(f"{PAIRINGS}?in_force=yes"))
    assert ids(client.get(f"{PAIRINGS}?village={pairings['village'].pk}")) == {pairings["ent1"].pk,
                                                                               pairings["ent2"].pk}
    for bad in ("kind=gift", "in_force=maybe", "village=abc"):
        assert client.get(f"{PAIRINGS}?{bad}").status_code == 400


def test_a_pairing_starting_tomorrow_is_not_in_force(cast, login, pairings):
    later = testing.make_pairing(cast.ent1, pairings["village"], start=timezone.localdate() + timedelta(days=1))
    assert login(cast.users.staff).get(f"{PAIRINGS}{later.pk}/").json()["in_force"] is False


# --- the API as a whole ---------------------------------------------------------------------------------------
def test_writes_are_not_offered(cast, login, book):
    client = login(cast.users.staff)
    for url in (DONATIONS, CAMPAIGNS, PAIRINGS):
        assert client.post(url, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{DONATIONS}{book['ent1'].pk}/").status_code == 405
    assert client.patch(f"{CAMPAIGNS}{book['fund'].pk}/", {}, content_type="application/json").status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_a_list_runs_as_many_queries_for_many_rows_as_for_few(cast, login, book, pairings, role):
    client = login(getattr(cast.users, role))
    before = {url: _queries(client, url) for url in (DONATIONS, CAMPAIGNS, PAIRINGS)}
    for n in range(4):
        campaign = testing.make_campaign(cast.district, chamber=cast.chamber1)
        enterprise = testing.make_enterprise(cast.district, chamber=cast.chamber1)
        person = testing.make_person(cast.district, name=f"赵{n}", enterprise=enterprise)
        testing.make_donation(enterprise, cash="10.01", chamber=cast.chamber1, campaign=campaign,
                              recipient_village=testing.make_village(cast.district))
        testing.make_donation(person, goods_value="5", goods_description="衣物", chamber=cast.chamber1,
                              campaign=book["fund"])
        testing.make_pairing(enterprise, testing.make_village(cast.district))
    assert {url: _queries(client, url) for url in before} == before


def test_the_schema_documents_the_welfare_endpoints_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in (DONATIONS, f"{DONATIONS}{{id}}/", CAMPAIGNS, f"{CAMPAIGNS}{{id}}/", PAIRINGS, f"{PAIRINGS}{{id}}/"):
        assert f"{path}:" in schema
    assert "WelfareDonorKindEnum" in schema and "已筹合计（元）" in schema
