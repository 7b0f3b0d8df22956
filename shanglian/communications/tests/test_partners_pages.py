"""友好商会 and 交流互访 pages: the lists in each user's scope with their exports, one partner's page with its
agreements and exchanges, the editors' forms (bad input answered 400 in Chinese, nothing written), and every page
of one partner, agreement or exchange × every role of the cast (the federation's roles read, the editors write, the
others 403, another federation 404)."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import Agreement, Exchange, Partner

PARTNERS = reverse("communications:partners")
EXCHANGES = reverse("communications:exchanges")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
READERS = {"admin", "staff", "leader"}
EDITORS = {"admin", "staff"}


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def partner(cast):
    partner = testing.make_partner(cast.district, name="河北雄安新区工商联", since=date(2023, 5, 1))
    Agreement.objects.create(partner=partner, title="友好合作框架协议", signed_on=date(2023, 5, 1))
    testing.make_exchange(partner, direction="incoming", date_=date(2024, 4, 1), delegates=12, purpose="考察产业园")
    testing.make_exchange(partner, direction="outgoing", date_=date(2025, 3, 1), delegates=6, purpose="回访交流")
    return partner


def test_the_federations_roles_list_their_partners_others_are_refused(cast, partner, login):
    testing.make_partner(cast.other, name="南开区友好商会")
    for role in ("staff", "leader"):
        page = login(getattr(cast.users, role)).get(PARTNERS).content.decode()
        assert count(page) == 1 and "河北雄安新区工商联" in page and "2025-03-01" in page and "南开" not in page
    assert "登记友好组织" in login(cast.users.staff).get(PARTNERS).content.decode()
    assert "登记友好组织" not in login(cast.users.leader).get(PARTNERS).content.decode()
    for role in ("chamber1", "dept1", "ent1", "auditor"):
        client = login(getattr(cast.users, role))
        assert client.get(PARTNERS).status_code == 403 and client.get(EXCHANGES).status_code == 403


def test_the_exchange_list_totals_what_it_lists_and_filters(cast, partner, login):
    client = login(cast.users.leader)
    page = client.get(EXCHANGES).content.decode()
    assert count(page) == 2 and "来访 1 次 12 人，出访 1 次 6 人" in page
    page = client.get(f"{EXCHANGES}?direction=outgoing").content.decode()
    assert count(page) == 1 and "回访交流" in page and "来访 0 次 0 人" in page
    page = client.get(f"{EXCHANGES}?start=2025-01-01&end=2024-01-01").content.decode()
    assert count(page) == 0 and "截止日期不能早于起始日期" in page


def test_the_exports_are_what_is_listed_and_audited(cast, partner, login):
    client = login(cast.users.staff)
    book = load_workbook(BytesIO(client.get(reverse("communications:partners_export")).content))
    assert book["友好组织"]["A2"].value == "河北雄安新区工商联" and book["合作协议"]["B2"].value == "友好合作框架协议"
    book = load_workbook(BytesIO(client.get(reverse("communications:exchanges_export") + "?direction=incoming").content))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "来访" and rows[0][5] == 12
    assert AuditEvent.objects.filter(action="export", object_type="communications.exchange").exists()


def test_the_partner_page_shows_its_agreements_and_exchanges(cast, partner, login):
    page = login(cast.users.leader).get(partner.get_absolute_url()).content.decode()
    assert page.count("data-agreement") == 1 and page.count("data-exchange>") == 2
    assert "来访 1 次，出访 1 次，共 18 人次" in page and "登记协议" not in page
    assert "登记协议" in login(cast.users.staff).get(partner.get_absolute_url()).content.decode()


def test_an_editor_keeps_a_partner_its_agreements_and_exchanges_through_the_pages(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("communications:partner_create"), {
        "name": "张家口市工商联", "kind": "federation", "region": "河北省张家口市", "since": "2024-03-01"})
    partner = Partner.objects.get()
    assert response.status_code == 302 and response["Location"] == partner.get_absolute_url()
    response = client.post(reverse("communications:agreement_create", args=[partner.pk]), {
        "title": "友好商会协议", "signed_on": "2024-03-01", "summary": "互派挂职"})
    assert response.status_code == 302 and partner.agreements.get().summary == "互派挂职"
    event = testing.make_event(cast.district, kind="symposium", status="finished")
    response = client.post(reverse("communications:exchange_create", args=[partner.pk]), {
        "direction": "outgoing", "date": "2024-09-10", "leader": "李主席", "delegates": "15", "purpose": "考察冰雪产业",
        "event_number": event.number.lower()})
    exchange = Exchange.objects.get()
    assert response.status_code == 302 and exchange.event == event and exchange.delegates == 15
    assert event.number in client.get(reverse("communications:exchange_edit", args=[exchange.pk])).content.decode()
    response = client.post(reverse("communications:exchange_edit", args=[exchange.pk]), {
        "direction": "outgoing", "date": "2024-09-10", "leader": "李主席", "delegates": "16", "purpose": "考察冰雪产业",
        "outcome": "签订招商意向2项", "event_number": ""})
    exchange.refresh_from_db()
    assert response.status_code == 302 and (exchange.delegates, exchange.event) == (16, None)


def test_bad_input_on_the_forms_is_answered_in_chinese_and_nothing_is_written(cast, partner, login):
    client = login(cast.users.staff)
    response = client.post(reverse("communications:partner_create"), {
        "name": "河北雄安新区工商联", "kind": "federation", "region": "河北", "since": "2024-03-01"})
    assert response.status_code == 400 and "已登记该友好组织" in response.content.decode()
    response = client.post(reverse("communications:exchange_create", args=[partner.pk]), {
        "direction": "incoming", "date": "2025-01-01", "leader": "张", "delegates": "1000", "purpose": "x",
        "event_number": "HD-NOPE"})
    content = response.content.decode()
    assert response.status_code == 400 and "人数应在 1 到 999 之间" in content and "未找到活动编号：HD-NOPE" in content
    response = client.post(reverse("communications:agreement_create", args=[partner.pk]), {
        "title": "补充协议", "signed_on": "2020-01-01"})
    assert response.status_code == 400 and "签署日期不能早于结好日期" in response.content.decode()
    assert Partner.objects.count() == 1 and Exchange.objects.count() == 2 and Agreement.objects.count() == 1


def test_deleting_a_partner_with_records_is_refused_and_names_them(cast, partner, login):
    client = login(cast.users.staff)
    page = client.get(reverse("communications:partner_delete", args=[partner.pk])).content.decode()
    assert "合作协议 1 条" in page and "交流互访 2 条" in page
    client.post(reverse("communications:partner_delete", args=[partner.pk]))
    assert Partner.objects.filter(pk=partner.pk).exists()


# --- every page of one record × every role ----------------------------------------------------------------------
def _expected(role, *, write):
    if role == "outsider_staff":
        return 404
    allowed = EDITORS if write else READERS
    return 200 if role in allowed else 403


PAGES = [
    ("communications:partner", "partner", False), ("communications:partner_edit", "partner", True),
    ("communications:partner_delete", "partner", True), ("communications:agreement_create", "partner", True),
    ("communications:agreement_edit", "agreement", True), ("communications:agreement_delete", "agreement", True),
    ("communications:exchange_create", "partner", True), ("communications:exchange_edit", "exchange", True),
    ("communications:exchange_delete", "exchange", True),
]
CASES = [(name, target, write, role) for name, target, write in PAGES for role in ROLES]


@pytest.mark.parametrize(("name", "target", "write", "role"), CASES, ids=[f"{n}-{r}" for n, _, _, r in CASES])
def test_every_page_of_one_record_answers_each_role(cast, partner, login, name, target, write, role):
    objects = {"partner": partner, "agreement": partner.agreements.get(), "exchange": partner.exchanges.first()}
    response = login(getattr(cast.users, role)).get(reverse(name, args=[objects[target].pk]))
    assert response.status_code == _expected(role, write=write)


def test_the_leader_posting_an_exchange_is_refused_and_nothing_changes(cast, partner, login):
    response = login(cast.users.leader).post(reverse("communications:exchange_create", args=[partner.pk]), {
        "direction": "incoming", "date": "2025-01-01", "leader": "张", "delegates": "3", "purpose": "x"})
    assert response.status_code == 403 and partner.exchanges.count() == 2


def test_the_lists_keep_their_query_count_with_more_rows(cast, login):
    client = login(cast.users.staff)
    testing.make_exchange(testing.make_partner(cast.district))
    for url in (PARTNERS, EXCHANGES):
        client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(PARTNERS)
        client.get(EXCHANGES)
    for _ in range(4):
        partner = testing.make_partner(cast.district)
        Agreement.objects.create(partner=partner, title="协议", signed_on=date(2024, 1, 1))
        testing.make_exchange(partner, event=testing.make_event(cast.district, kind="symposium"))
    with CaptureQueriesContext(connection) as many:
        client.get(PARTNERS)
        client.get(EXCHANGES)
    assert len(many) == len(few)
