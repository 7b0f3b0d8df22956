"""指标目标: the year's targets with the figure's value and the gap; the editors add, change and delete them (audited,
one per federation, figure and year, a clear Chinese refusal of a bad value that changes nothing); the leader reads;
the chamber-coverage threshold (商会覆盖率口径) is the editors' too. Other roles are refused (403), another
federation's target is 404."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.orgs.models import Federation
from shanglian.reports import values
from shanglian.reports.catalogue import Entry
from shanglian.reports.demo import DEMO_TARGETS, build_targets
from shanglian.reports.models import FigureTarget
from shanglian.reports.services.targets import DUPLICATE, save_target, set_coverage_threshold
from shanglian.testing import make_enterprise, make_membership, make_pairing, make_village

pytestmark = pytest.mark.django_db
YEAR = 2025


def _data(**changes):
    return {"key": "welfare.village_coverage", "year": str(YEAR), "direction": "min", "value": "100",
            "note": "帮扶目标村结对全覆盖", **changes}


def _target(federation, key="welfare.village_coverage", value="100", direction="min", year=YEAR):
    return FigureTarget.objects.create(federation=federation, key=key, year=year, direction=direction,
                                       value=Decimal(value))


# --- the gap ----------------------------------------------------------------------------------------------------
def test_the_gap_of_an_at_least_target_is_what_is_still_short(cast):
    villages = [make_village(cast.district) for _ in range(3)]
    make_pairing(cast.ent1, villages[0])
    make_pairing(cast.ent2, villages[1])
    target = _target(cast.district)
    reported = values.measure("welfare.village_coverage", user=cast.users.staff, period=Period.year(YEAR),
                              targets={target.key: target})
    entry = Entry(area="welfare", reported=reported)
    assert reported.value == Decimal("66.7")  # two of three target villages paired
    assert reported.gap == Decimal("33.3") and reported.met is False
    assert entry.target_text == "不低于 100%" and entry.gap_text == "差 33.3%"


def test_an_at_most_target_is_met_below_it_and_a_missing_value_has_no_gap(cast):
    target = _target(cast.district, key="appeals.overdue", value="5", direction="max")
    met = values.measure("appeals.overdue", user=cast.users.staff, period=Period.year(YEAR),
                         targets={target.key: target})
    assert met.value == 0 and met.gap == Decimal("-5") and met.met is True
    rate = _target(cast.district)  # no target village: 无数据
    missing = values.measure("welfare.village_coverage", user=cast.users.staff, period=Period.year(YEAR),
                             targets={rate.key: rate})
    assert missing.value is None and missing.gap is None
    assert Entry(area="welfare", reported=missing).gap_text == "无数据"


# --- the list ---------------------------------------------------------------------------------------------------
def test_the_list_shows_each_target_with_its_value_and_gap(cast, login):
    make_village(cast.district)
    _target(cast.district)
    for _ in range(2):
        make_membership(cast.district, make_enterprise(cast.district), joined=date(YEAR, 3, 1))
    _target(cast.district, key="members.joined", value="2")
    _target(cast.other, key="members.joined", value="99")  # another district's
    response = login(cast.users.staff).get(f"{reverse('reports:targets')}?year={YEAR}")
    assert response.status_code == 200
    rows = {row["cells"][1]["text"]: row["cells"] for row in response.context["rows"]}
    assert set(rows) == {"帮扶村结对覆盖率", "新入会会员"}
    assert rows["新入会会员"][3]["text"] == "2 个" and rows["新入会会员"][4]["text"] == "达成"
    assert rows["帮扶村结对覆盖率"][4]["text"] == "差 100%"
    assert "99" not in rows["新入会会员"][2]["text"]


def test_the_leader_reads_the_targets_without_editing_them(cast, login):
    _target(cast.district)
    client = login(cast.users.leader)
    response = client.get(f"{reverse('reports:targets')}?year={YEAR}")
    assert response.status_code == 200 and "新增目标" not in response.content.decode()
    assert client.get(reverse("reports:target_create")).status_code == 403
    assert client.post(reverse("reports:target_create"), _data()).status_code == 403
    assert FigureTarget.objects.count() == 1


@pytest.mark.parametrize("who", ["chamber1", "dept1", "ent1", "auditor"])
def test_other_roles_are_refused_every_target_page(cast, login, who):
    target = _target(cast.district)
    client = login(getattr(cast.users, who))
    for url in (reverse("reports:targets"), reverse("reports:target_create"),
                reverse("reports:target_edit", args=[target.pk]), reverse("reports:target_delete", args=[target.pk]),
                reverse("reports:coverage_threshold")):
        assert client.get(url).status_code == 403, url


# --- add, change, delete ----------------------------------------------------------------------------------------
def test_staff_adds_a_target_and_it_is_audited(cast, login):
    response = login(cast.users.staff).post(reverse("reports:target_create"), _data())
    assert response.status_code == 302
    target = FigureTarget.objects.get()
    assert (target.federation, target.key, target.year, target.value) == (cast.district, "welfare.village_coverage",
                                                                        YEAR, Decimal("100"))
    assert target.set_by == cast.users.staff
    assert AuditEvent.objects.filter(action="create", object_type="reports.figuretarget").count() == 1


def test_an_external_indicator_may_have_a_target(cast, login):
    from shanglian.reports.models import ExternalIndicator

    indicator = ExternalIndicator.objects.create(code="test_target_value", name="测试增加值", unit="亿元",
                                                 definition="测试口径", source="区统计局")
    response = login(cast.users.staff).post(reverse("reports:target_create"), _data(key=indicator.key, value="300"))
    assert response.status_code == 302
    assert FigureTarget.objects.get().key == "external.test_target_value"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"value": "NaN"}, "value", "目标值应为数字。"),
    ({"value": "Infinity"}, "value", "目标值应为数字。"),
    ({"value": "abc"}, "value", "目标值应为数字。"),
    ({"value": "120"}, "value", "百分比指标的目标值应在 0—100 之间。"),
    ({"value": "-1"}, "value", "目标值不能为负数。"),
    ({"key": "members.nothing"}, "key", "没有该统计指标。"),
    ({"year": "20261"}, "year", "年份应在 1950—2999 之间。"),
    ({"direction": "sideways"}, "direction", "请选择方向（不低于或不高于）。"),
], ids=["nan", "infinity", "text", "over-100", "negative", "unknown-key", "year", "direction"])
def test_a_bad_target_is_refused_in_chinese_and_nothing_is_saved(cast, login, changes, field, message):
    response = login(cast.users.staff).post(reverse("reports:target_create"), _data(**changes))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert not FigureTarget.objects.exists()


def test_a_second_target_for_the_same_figure_and_year_is_refused(cast, login):
    _target(cast.district)
    response = login(cast.users.staff).post(reverse("reports:target_create"), _data(value="90"))
    assert response.status_code == 400
    assert DUPLICATE in response.context["form"].errors["key"]
    assert FigureTarget.objects.get().value == Decimal("100")


def test_staff_changes_a_target_and_the_change_is_audited(cast, login):
    target = _target(cast.district)
    response = login(cast.users.staff).post(reverse("reports:target_edit", args=[target.pk]), _data(value="95"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal("95")
    event = AuditEvent.objects.get(action="update", object_type="reports.figuretarget")
    assert {"field": "目标值", "old": "100", "new": "95"} in event.detail["changes"]


def test_staff_deletes_a_target_after_confirming(cast, login):
    target = _target(cast.district)
    client = login(cast.users.staff)
    assert client.get(reverse("reports:target_delete", args=[target.pk])).status_code == 200
    assert client.post(reverse("reports:target_delete", args=[target.pk])).status_code == 302
    assert not FigureTarget.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="reports.figuretarget").count() == 1


def test_another_federations_target_is_404(cast, login):
    target = _target(cast.other)
    client = login(cast.users.staff)
    assert client.get(reverse("reports:target_edit", args=[target.pk])).status_code == 404
    assert client.post(reverse("reports:target_delete", args=[target.pk])).status_code == 404
    assert FigureTarget.objects.filter(pk=target.pk).exists()
    assert client.get(f"{reverse('reports:targets')}?federation={cast.other.pk}").status_code == 404


def test_the_service_refuses_a_leader_and_a_federation_outside_the_scope(cast):
    with pytest.raises(PermissionDenied):
        save_target(actor=cast.users.leader, data={}, federation=cast.district)
    with pytest.raises(PermissionDenied):
        save_target(actor=cast.users.staff, federation=cast.other,
                    data={"key": "members.joined", "year": YEAR, "direction": "min", "value": Decimal("1")})
    with pytest.raises(ValidationError):
        save_target(actor=cast.users.staff, federation=cast.district,
                    data={"key": "members.joined", "year": YEAR, "direction": "min", "value": Decimal("NaN")})
    assert not FigureTarget.objects.exists()


def test_a_city_editor_sets_a_districts_target(cast, login):
    from shanglian.accounts.roles import Role
    from shanglian.testing import make_user

    city_staff = make_user(Role.STAFF, federation=cast.city)
    client = login(city_staff)
    response = client.post(f"{reverse('reports:target_create')}?federation={cast.district.pk}", _data())
    assert response.status_code == 302
    assert FigureTarget.objects.get().federation == cast.district
    district_list = f"{reverse('reports:targets')}?year={YEAR}&federation={cast.district.pk}"
    assert response.url == district_list
    listed = client.get(district_list)
    assert len(listed.context["rows"]) == 1
    # Deleting it asks, then goes back to the district's list, not the city's own.
    target = FigureTarget.objects.get()
    page = client.get(reverse("reports:target_delete", args=[target.pk]))
    assert district_list.replace("&", "&amp;") in page.content.decode()
    assert client.post(reverse("reports:target_delete", args=[target.pk])).url == district_list
    assert not FigureTarget.objects.exists()


# --- 商会覆盖率口径 -----------------------------------------------------------------------------------------------
def test_staff_sets_the_coverage_threshold_and_it_is_audited(cast, login):
    response = login(cast.users.staff).post(reverse("reports:coverage_threshold"), {"threshold": "25"})
    assert response.status_code == 302
    assert Federation.objects.get(pk=cast.district.pk).chamber_coverage_threshold == 25
    event = AuditEvent.objects.get(action="update", object_type="orgs.federation")
    assert event.detail["changes"][0]["new"] == "25"


@pytest.mark.parametrize("value", ["0", "10001", "abc", "1.5"])
def test_a_bad_threshold_is_refused_and_nothing_changes(cast, login, value):
    response = login(cast.users.staff).post(reverse("reports:coverage_threshold"), {"threshold": value})
    assert response.status_code == 400
    assert "请输入 1—10000 之间的整数。" in response.context["form"].errors["threshold"]
    assert Federation.objects.get(pk=cast.district.pk).chamber_coverage_threshold == 10


def test_the_leader_may_not_set_the_threshold(cast, login):
    assert login(cast.users.leader).post(reverse("reports:coverage_threshold"), {"threshold": "3"}).status_code == 403
    with pytest.raises(PermissionDenied):
        set_coverage_threshold(actor=cast.users.leader, federation=cast.district, threshold=3)
    assert Federation.objects.get(pk=cast.district.pk).chamber_coverage_threshold == 10


# --- the demo ---------------------------------------------------------------------------------------------------
def test_the_demo_sets_the_seeds_targets_for_this_year_and_the_last(cast):
    from types import SimpleNamespace

    build_targets(SimpleNamespace(federation=cast.district, users={"staff": cast.users.staff}),
                  today=date(2026, 12, 1))
    assert FigureTarget.objects.count() == 2 * len(DEMO_TARGETS)
    coverage = FigureTarget.objects.get(key="members.chamber_coverage", year=2026)
    assert coverage.value == Decimal("60") and coverage.direction == "min"
    assert set(FigureTarget.objects.values_list("year", flat=True)) == {2025, 2026}
    for key, *_ in DEMO_TARGETS:
        values.spec(key)  # every demo target names a registered figure
