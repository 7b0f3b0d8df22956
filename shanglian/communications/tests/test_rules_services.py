"""The rules library's services and selectors: a rule comes with its first version, a new version keeps the
previous ones and must come after them, a version cites only a passed resolution of the federation's meeting of
the body that adopted it on that day, 废止 once with a reason, the rules in force on a day and the version in force
then, and the comparison of two versions — every refusal in Chinese with nothing written."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.communications.models import Rule, RuleVersion
from shanglian.communications.selectors import rules as selectors
from shanglian.communications.services import rules as services
from shanglian.events.models import Resolution

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _version(**overrides):
    data = {"text": "第一条 为规范常委会议事，制定本规则。\n第二条 常委会每半年召开一次。", "adopted_by": "standing",
            "adopted_on": date(2024, 1, 10), "effective_from": date(2024, 2, 1), "resolution": None, "note": ""}
    return {**data, **overrides}


def _new_rule(cast, **overrides):
    return services.save_rule(actor=cast.users.staff,
                              data={"title": "常务委员会工作规则", "category": "meeting", **_version(**overrides)})


def _resolution(federation, *, kind="standing", day=date(2024, 1, 10), passed=True, chamber=None):
    meeting = testing.make_event(federation, kind=kind, status="finished", chamber=chamber,
                                 starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))
    return Resolution.objects.create(event=meeting, title="审议通过《常务委员会工作规则》", eligible=30, present=28,
                                     votes_for=27, votes_against=0, abstentions=1, passed=passed, rule="三分之二")


def test_a_new_rule_comes_with_its_first_version_and_is_audited(cast):
    rule = _new_rule(cast)
    version = rule.versions.get()
    assert (rule.federation, rule.created_by, version.version, version.adopted_by) == (
        cast.district, cast.users.staff, 1, "standing")
    assert AuditEvent.objects.filter(object_type="communications.rule", action="create").count() == 1
    assert AuditEvent.objects.filter(object_type="communications.ruleversion", action="create").count() == 1


def test_bad_input_for_a_new_rule_is_refused_in_chinese_and_nothing_is_written(cast):
    testing.make_rule(cast.district, title="常务委员会工作规则")
    with pytest.raises(ValidationError) as caught:
        services.save_rule(actor=cast.users.staff, data={
            "title": "常务委员会工作规则", "category": "nope", **_version(text="  ", adopted_by="chamber_board",
                                                                     effective_from=date(2024, 1, 1))})
    errors = caught.value.message_dict
    assert errors["title"] == ["本工商联已有同名的制度。"] and errors["category"] == ["请选择制度类别。"]
    assert errors["text"] == ["请填写制度条文。"] and "审议通过机构" in errors["adopted_by"][0]
    assert errors["effective_from"] == ["施行日期不能早于通过日期。"]
    assert Rule.objects.count() == 1 and RuleVersion.objects.count() == 1


def test_a_new_version_keeps_the_previous_in_history_and_comes_after_it(cast):
    rule = _new_rule(cast)
    second = services.add_version(actor=cast.users.staff, rule=rule, data=_version(
        text="第一条 为规范常委会议事，制定本规则。\n第二条 常委会每季度召开一次。", adopted_on=date(2025, 1, 8),
        effective_from=date(2025, 1, 8), note="改为每季度召开"))
    assert second.version == 2 and list(rule.versions.order_by("version").values_list("version", flat=True)) == [1, 2]
    with pytest.raises(ValidationError) as caught:
        services.add_version(actor=cast.users.staff, rule=rule, data=_version(
            text=second.text, adopted_on=date(2024, 12, 1), effective_from=date(2025, 1, 8)))
    errors = caught.value.message_dict
    assert errors["text"] == ["条文与第2版相同，无需登记新版本。"]
    assert errors["adopted_on"] == ["通过日期不能早于第2版的通过日期（2025-01-08）。"]
    assert errors["effective_from"] == ["施行日期须晚于第2版的施行日期（2025-01-08）。"]
    assert rule.versions.count() == 2


def test_a_version_cites_only_a_passed_resolution_of_the_adopting_bodys_meeting_that_day(cast):
    good = _resolution(cast.district)
    rule = _new_rule(cast, resolution=good)
    assert rule.versions.get().resolution == good
    refused = {
        "a failed vote": _resolution(cast.district, passed=False),
        "another federation": _resolution(cast.other),
        "a chamber's meeting": _resolution(cast.district, kind="chamber_board", chamber=cast.chamber1),
    }
    for why, resolution in refused.items():
        with pytest.raises(ValidationError) as caught:
            services.add_version(actor=cast.users.staff, rule=rule, data=_version(
                text="新条文", adopted_on=date(2024, 1, 10), effective_from=date(2024, 3, 1), resolution=resolution))
        assert caught.value.message_dict["resolution"] == ["请选择本工商联会议通过的决议。"], why
    executive = _resolution(cast.district, kind="executive", day=date(2024, 6, 1))
    with pytest.raises(ValidationError) as caught:
        services.add_version(actor=cast.users.staff, rule=rule, data=_version(
            text="新条文", adopted_on=date(2024, 5, 30), effective_from=date(2024, 7, 1), resolution=executive))
    errors = caught.value.message_dict
    assert errors["resolution"] == ["该决议是执委会的决议，与审议通过机构不符。"]
    assert errors["adopted_on"] == ["通过日期应为该决议所在会议的日期（2024-06-01）。"]
    assert rule.versions.count() == 1


def test_repeal_takes_a_day_and_a_reason_once_and_stops_new_versions(cast):
    rule = _new_rule(cast)
    with pytest.raises(ValidationError) as caught:
        services.repeal_rule(actor=cast.users.staff, rule=rule, repealed_on=date(2024, 1, 1), reason=" ")
    assert caught.value.message_dict == {"repealed_on": ["废止日期不能早于制度首次施行日期（2024-02-01）。"],
                                         "reason": ["请填写废止原因。"]}
    services.repeal_rule(actor=cast.users.staff, rule=rule, repealed_on=date(2025, 3, 1), reason="并入新章程")
    rule.refresh_from_db()
    assert (rule.repealed_on, rule.repeal_reason) == (date(2025, 3, 1), "并入新章程")
    with pytest.raises(Refused, match="该制度已于 2025-03-01 废止"):
        services.repeal_rule(actor=cast.users.staff, rule=rule, repealed_on=date(2025, 4, 1), reason="再次")
    with pytest.raises(Refused, match="不能再修订"):
        services.add_version(actor=cast.users.staff, rule=rule, data=_version(text="新条文",
                                                                              effective_from=date(2025, 5, 1)))
    assert rule.versions.count() == 1


def test_only_the_editors_of_the_rules_federation_change_it(cast):
    rule = _new_rule(cast)
    for user in (cast.users.leader, cast.users.chamber1, cast.users.outsider_staff, cast.users.ent1):
        with pytest.raises(PermissionDenied):
            services.add_version(actor=user, rule=rule, data=_version(text="新条文", effective_from=date(2025, 1, 1)))
        with pytest.raises(PermissionDenied):
            services.delete_rule(actor=user, rule=rule)
    services.delete_rule(actor=cast.users.admin, rule=rule)
    assert not Rule.objects.exists() and not RuleVersion.objects.exists()


def test_the_rules_in_force_on_a_day_and_the_version_in_force_then(cast):
    rule = _new_rule(cast)  # v1 in force from 2024-02-01
    services.add_version(actor=cast.users.staff, rule=rule, data=_version(
        text="第二版", adopted_on=date(2025, 1, 8), effective_from=date(2025, 2, 1)))
    repealed = testing.make_rule(cast.district, effective_from=date(2024, 1, 1), repealed_on=date(2025, 6, 1))
    testing.make_rule(cast.other, effective_from=date(2024, 1, 1))
    staff = cast.users.staff

    def in_force(on):
        return set(selectors.rules_in_force(staff, on).values_list("pk", flat=True))

    assert in_force(date(2024, 1, 15)) == {repealed.pk}
    assert in_force(date(2024, 2, 1)) == {rule.pk, repealed.pk}
    assert in_force(date(2025, 6, 1)) == {rule.pk}
    assert selectors.version_in_force(rule, date(2025, 1, 31)).version == 1
    assert selectors.version_in_force(rule, date(2025, 2, 1)).version == 2
    assert selectors.version_in_force(repealed, date(2025, 6, 1)) is None
    versions = selectors.versions_in_force(staff, date(2025, 3, 1))
    assert {(v.rule_id, v.version) for v in versions} == {(rule.pk, 2), (repealed.pk, 1)}
    assert selectors.status_on(rule, date(2024, 1, 15)) == selectors.Status.PENDING
    assert selectors.status_on(repealed, date(2025, 6, 1)) == selectors.Status.REPEALED
    assert set(selectors.rules_in_force(cast.users.chamber1, date(2025, 3, 1))) == {rule, repealed}
    with pytest.raises(PermissionDenied):
        selectors.rules_in_force(cast.users.dept1)


def test_the_list_filters_by_status_on_a_day_and_shows_the_version_then(cast):
    rule = _new_rule(cast)
    services.add_version(actor=cast.users.staff, rule=rule, data=_version(
        text="第二版", adopted_on=date(2025, 1, 8), effective_from=date(2025, 2, 1)))
    repealed = testing.make_rule(cast.district, effective_from=date(2024, 1, 1), repealed_on=date(2025, 6, 1))
    on = date(2025, 3, 1)
    rows = {r.pk: r for r in selectors.rule_list(cast.users.staff, on=on)}
    assert (rows[rule.pk].current_version, rows[rule.pk].current_from, rows[rule.pk].version_count) == (
        2, date(2025, 2, 1), 2)

    def listed(status, day):
        return {r.pk for r in selectors.rule_list(cast.users.staff, filters={"status": status}, on=day)}

    assert listed("in_force", on) == {rule.pk, repealed.pk}
    assert listed("repealed", date(2025, 6, 1)) == {repealed.pk}
    assert listed("pending", date(2024, 1, 15)) == {rule.pk}


def test_two_versions_are_compared_line_by_line_with_the_changed_characters(cast):
    rule = testing.make_rule(cast.district, text="第一条 总则。\n第二条 每半年召开一次。\n第三条 附则。")
    newer = RuleVersion.objects.create(rule=rule, version=2, text="第一条 总则。\n第二条 每季度召开一次。\n第四条 新增条款。",
                                       adopted_by="standing", adopted_on=date(2025, 1, 1),
                                       effective_from=date(2025, 1, 1))
    comparison = selectors.compare_versions(newer, rule.versions.get(version=1))  # either order: older first
    assert (comparison.older.version, comparison.newer.version) == (1, 2)
    kinds = [(line.kind, line.old_no, line.new_no) for line in comparison.lines]
    assert kinds == [("same", 1, 1), ("removed", 2, None), ("added", None, 2), ("removed", 3, None),
                     ("added", None, 3)]
    removed, added = comparison.lines[1], comparison.lines[2]
    assert [text for text, changed in removed.pieces if changed] == ["半年"]
    assert [text for text, changed in added.pieces if changed] == ["季度"]
    assert (comparison.removed, comparison.added) == (2, 2) and not comparison.identical


def test_a_version_effective_tomorrow_is_not_yet_in_force(cast):
    tomorrow = selectors.today() + timedelta(days=1)
    rule = testing.make_rule(cast.district, adopted_on=selectors.today(), effective_from=tomorrow)
    assert not selectors.rules_in_force(cast.users.staff).filter(pk=rule.pk).exists()
    assert selectors.rules_in_force(cast.users.staff, tomorrow).filter(pk=rule.pk).exists()
