"""友好商会 services and selectors: a partner of the actor's federation with its dates, agreements within the
friendship, exchanges with their delegates and the event they were, the partners in force on a day, the editors
alone writing — every refusal in Chinese with nothing written."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.communications.models import Agreement, Exchange, Partner
from shanglian.communications.selectors import partners as selectors
from shanglian.communications.services import partners as services


def _partner_data(**overrides):
    return {"name": "河北雄安新区工商联", "kind": "federation", "region": "河北省雄安新区", "contact": "王秘书长",
            "since": date(2023, 5, 1), "ended_on": None, "note": "", **overrides}


def _exchange_data(**overrides):
    return {"direction": "incoming", "date": date(2025, 4, 1), "leader": "张主席", "delegates": 12,
            "purpose": "考察数字经济产业园", "outcome": "", "event": None, **overrides}


def test_a_partner_is_registered_in_the_actors_federation_and_audited(cast):
    partner = services.save_partner(actor=cast.users.staff, data=_partner_data())
    assert (partner.federation, partner.created_by, partner.name) == (cast.district, cast.users.staff, "河北雄安新区工商联")
    assert AuditEvent.objects.filter(object_type="communications.partner", action="create").exists()


def test_bad_partner_input_is_refused_in_chinese_and_nothing_is_written(cast):
    testing.make_partner(cast.district, name="河北雄安新区工商联")
    tomorrow = selectors.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.save_partner(actor=cast.users.staff, data=_partner_data(kind="x", region=" ", since=tomorrow))
    errors = caught.value.message_dict
    assert errors == {"name": ["已登记该友好组织。"], "kind": ["请选择组织类型。"], "region": ["请填写所在地区。"],
                      "since": ["结好日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as caught:
        services.save_partner(actor=cast.users.staff, data=_partner_data(name="张家口市工商联",
                                                                         ended_on=date(2023, 1, 1)))
    assert caught.value.message_dict == {"ended_on": ["终止日期不能早于结好日期。"]}
    assert Partner.objects.count() == 1


def test_an_agreement_is_signed_within_the_friendship(cast):
    partner = testing.make_partner(cast.district, since=date(2023, 5, 1), ended_on=date(2025, 12, 31))
    agreement = services.save_agreement(actor=cast.users.staff, partner=partner, data={
        "title": "友好合作框架协议", "signed_on": date(2023, 5, 1), "ends_on": date(2026, 4, 30), "summary": "互设联络处"})
    assert agreement.partner == partner
    for signed, message in ((date(2023, 4, 30), "签署日期不能早于结好日期（2023-05-01）。"),
                            (date(2026, 1, 1), "签署日期不能晚于友好关系终止日期（2025-12-31）。")):
        with pytest.raises(ValidationError) as caught:
            services.save_agreement(actor=cast.users.staff, partner=partner, data={
                "title": "补充协议", "signed_on": signed, "ends_on": None, "summary": ""})
        assert caught.value.message_dict == {"signed_on": [message]}
    with pytest.raises(ValidationError) as caught:
        services.save_agreement(actor=cast.users.staff, partner=partner, data={
            "title": "", "signed_on": date(2024, 1, 1), "ends_on": date(2023, 12, 1), "summary": ""})
    assert caught.value.message_dict == {"title": ["请填写协议名称。"], "ends_on": ["到期日期不能早于签署日期。"]}
    with pytest.raises(ValidationError) as caught:  # the friendship cannot begin after an agreement it signed
        services.save_partner(actor=cast.users.staff, partner=partner,
                              data=_partner_data(name=partner.name, since=date(2024, 1, 1)))
    assert caught.value.message_dict == {"since": ["结好日期不能晚于已登记协议的签署日期（2023-05-01）。"]}
    assert Agreement.objects.count() == 1


def test_an_exchange_names_its_delegates_and_an_event_of_the_federation(cast):
    partner = testing.make_partner(cast.district)
    event = testing.make_event(cast.district, kind="symposium", status="finished")
    exchange = services.save_exchange(actor=cast.users.staff, partner=partner, data=_exchange_data(event=event))
    assert (exchange.delegates, exchange.event) == (12, event)
    foreign = testing.make_event(cast.other, kind="symposium", status="finished")
    tomorrow = selectors.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.save_exchange(actor=cast.users.staff, partner=partner, data=_exchange_data(
            direction="sideways", date=tomorrow, leader="", delegates=0, purpose="", event=foreign))
    assert caught.value.message_dict == {
        "direction": ["请选择来访或出访。"], "date": ["交流日期不能晚于今天。"], "leader": ["请填写带队领导。"],
        "delegates": ["人数应在 1 到 999 之间。"], "purpose": ["请填写交流内容。"],
        "event": ["关联活动须为本工商联的活动。"]}
    assert Exchange.objects.count() == 1


def test_a_partner_with_exchanges_is_not_deleted(cast):
    partner = testing.make_partner(cast.district)
    exchange = testing.make_exchange(partner)
    with pytest.raises(Refused, match="交流互访 1 条"):
        services.delete_partner(actor=cast.users.staff, partner=partner)
    services.delete_exchange(actor=cast.users.staff, exchange=exchange)
    services.delete_partner(actor=cast.users.staff, partner=partner)
    assert not Partner.objects.exists()


def test_only_the_editors_of_the_partners_federation_change_it(cast):
    partner = testing.make_partner(cast.district)
    for user in (cast.users.leader, cast.users.chamber1, cast.users.outsider_staff, cast.users.ent1):
        with pytest.raises(PermissionDenied):
            services.save_exchange(actor=user, partner=partner, data=_exchange_data())
        with pytest.raises(PermissionDenied):
            services.save_partner(actor=user, partner=partner, data=_partner_data())
    assert not Exchange.objects.exists()


def test_the_partners_in_force_on_a_day_and_the_scope_of_reading(cast):
    active = testing.make_partner(cast.district, since=date(2023, 5, 1))
    ended = testing.make_partner(cast.district, since=date(2020, 1, 1), ended_on=date(2024, 12, 31))
    testing.make_partner(cast.other)
    on = date(2024, 6, 1)
    assert set(selectors.partners_in_force(cast.users.leader, on)) == {active, ended}
    assert set(selectors.partners_in_force(cast.users.leader, date(2024, 12, 31))) == {active}
    assert set(selectors.partners_in_force(cast.users.staff, date(2023, 4, 30))) == {ended}
    for user in (cast.users.chamber1, cast.users.dept1, cast.users.ent1, cast.users.auditor):
        with pytest.raises(PermissionDenied):
            selectors.partners_in_force(user)


def test_the_exchange_totals_count_visits_and_delegates_by_direction(cast):
    partner = testing.make_partner(cast.district)
    testing.make_exchange(partner, direction="incoming", delegates=8)
    testing.make_exchange(partner, direction="incoming", delegates=5)
    testing.make_exchange(partner, direction="outgoing", delegates=20)
    testing.make_exchange(testing.make_partner(cast.other), direction="outgoing", delegates=99)
    totals = selectors.exchange_totals(selectors.exchange_list(cast.users.staff))
    assert totals == {"incoming": (2, 13), "outgoing": (1, 20)}
