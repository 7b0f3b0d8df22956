"""会员发展与服务 on the enterprise 360° page (growth/sections.py): the enterprise's prospect stage, applications,
enrollments (服务中 or 已退出, with the liaison), posts and outcomes (amounts in 元 to the fen) and the working groups
its people sit on, as the reader's scope holds them; the editors always see it, a leader only when there is
something, the enterprise itself and the roles without the registry never. The dataset: test_figures.py — ent1 is
enrolled in 双万双服 since 2024 (N1) and was in 重点企业服务 until October 2025 (N2), posted T1 (open) and T3 (closed),
reached O1 (达成合作 1,234,567.89 元 with ent2) and O3 (融资 5,000,000.00 元), and 赵组员 of ent1 sits on 融资服务组; ent2
is O1's partner and reached O2 (0.01 元)."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shanglian import testing
from shanglian.growth.tests.test_figures import SHANGHAI, build_dataset

TEMPLATE = "growth/_enterprise_section.html"


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def section(client, enterprise):
    response = client.get(reverse("members:enterprise_detail", args=[enterprise.pk]))
    assert response.status_code == 200
    found = next((s for s in response.context["sections"] if s.template == TEMPLATE), None)
    return found, response.content.decode()


def test_staff_see_an_enterprises_enrollments_board_and_groups(cast, data, login):
    found, html = section(login(cast.users.staff), cast.ent1)
    context = found.context
    assert [(e.pk, e.in_force) for e in context["enrollments"]] == [(data.enrollments.n2.pk, False),
                                                                    (data.enrollments.n1.pk, True)]
    assert context["post_counts"] == {"total": 2, "open": 1}
    assert context["outcome_count"] == 2
    assert (context["deal_amount"], context["financing_amount"], context["jobs"]) == ("1,234,567.89",
                                                                                      "5,000,000.00", 0)
    assert [seat.group.name for seat in context["seats"]] == ["融资服务组"]
    assert 'id="growth"' in html and "data-deal>1,234,567.89 元" in html and "服务中" in html


def test_a_partners_outcome_is_counted_for_it_too(cast, data, login):
    found, html = section(login(cast.users.staff), cast.ent2)
    assert found.context["outcome_count"] == 2  # O1 as partner, O2 as its own
    assert found.context["deal_amount"] == "1,234,567.90"
    assert [e.in_force for e in found.context["enrollments"]] == [False]  # N3 ended on 31 Dec 2025


def test_a_prospects_stage_and_its_application_are_shown(cast, data, login):
    applicant = data.applications.a3.enterprise
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff, enterprise=applicant, stage="visited",
                                     next_step="约见法定代表人")
    found, html = section(login(cast.users.staff), applicant)
    assert [p.pk for p in found.context["prospects"]] == [prospect.pk]
    assert [a.pk for a in found.context["applications"]] == [data.applications.a3.pk]
    assert "已走访" in html and "约见法定代表人" in html and data.applications.a3.number in html


def test_a_chamber_secretary_sees_its_scope_only(cast, data, login):
    found, _html = section(login(cast.users.chamber1), cast.ent1)
    assert found.context["post_counts"]["total"] == 1  # T1: it reads the open posts only
    assert found.context["outcome_count"] == 2
    found, _html = section(login(cast.users.chamber2), cast.ent2)
    assert found.context["outcome_count"] == 2 and len(found.context["enrollments"]) == 1


def test_a_leader_sees_nothing_when_there_is_nothing_and_staff_see_the_empty_card(cast, data, login):
    found, _html = section(login(cast.users.leader), data.e7)
    assert found is None
    found, html = section(login(cast.users.staff), data.e7)
    assert found is not None and "未纳入服务项目" in html and "未参加专项工作组" in html


def test_the_enterprise_itself_sees_no_growth_card(cast, data, login):
    found, html = section(login(cast.users.ent1), cast.ent1)
    assert found is None and 'id="growth"' not in html


def _queries(client, enterprise):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("members:enterprise_detail", args=[enterprise.pk])).status_code == 200
    return len(queries)


def test_the_cards_queries_do_not_grow_with_the_rows(cast, data, login):
    client = login(cast.users.staff)
    client.get(reverse("members:enterprise_detail", args=[cast.ent1.pk]))
    before = _queries(client, cast.ent1)
    staff = cast.users.staff
    for i in range(4):
        testing.make_enrollment(cast.ent1, by=staff, enrolled_on=date(2020, 1, 1 + i), ended_on=date(2020, 2, 1))
        testing.make_post(cast.ent1, by=staff, category="technology")
        testing.make_outcome(cast.ent1, by=staff, reached_on=date(2025, 8, 1 + i))
        group = testing.make_working_group(cast.district, name=f"加量工作组{i}", established=date(2025, 8, 1))
        person = testing.make_person(cast.district, name=f"加量{i}", enterprise=cast.ent1)
        group.members.create(person=person, enterprise=cast.ent1, joined=date(2025, 8, 1))
    assert _queries(client, cast.ent1) == before
