"""合并 (members.merging): every row of every app that points at the absorbed record ends up on the kept one —
counted table by table before and after, the tables found from `_meta` (so a new app's table is counted without
editing this test) —, equal link rows are folded and kept in the merge record, rows that cannot be folded (a
federation membership on both, two different invitations to one event) refuse the whole merge, and a merge of a
record into itself, across federations, by a reader, of a decided pair or of a record already gone is refused
with a Chinese message and nothing written."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.models import AppealReach
from shanglian.appeals.tests.factories import submit
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.common.errors import Refused
from shanglian.members import merging
from shanglian.members.models import (
    ChamberMembership,
    DuplicateCandidate,
    Enterprise,
    EnterpriseRole,
    MergeRecord,
    Person,
)


def pointing_at(model, ids):
    """{table.field: rows pointing at any of `ids`} for EVERY reverse relation of `model` in every app, hidden ones
    (related_name="+", auto-created many-to-many through tables) included — derived from `_meta`, never listed."""
    counts = {}
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and not rel.many_to_many:
            counts[f"{rel.related_model._meta.label_lower}.{rel.field.name}"] = (
                rel.related_model._base_manager.filter(**{f"{rel.field.attname}__in": list(ids)}).count())
    return counts


def table_sizes(model):
    """{table: rows} of every table that points at `model`."""
    return {rel.related_model._meta.label_lower: rel.related_model._base_manager.count()
            for rel in model._meta.get_fields(include_hidden=True)
            if rel.auto_created and not rel.concrete and not rel.many_to_many}


def nothing_written(before_sizes, model, kept, absorbed):
    assert table_sizes(model) == before_sizes
    assert model.objects.filter(pk__in=[kept.pk, absorbed.pk]).count() == 2
    assert not MergeRecord.objects.exists()


def test_the_tables_counted_cover_related_objects_and_the_hidden_relations():
    keys = set(pointing_at(Enterprise, []))
    assert {f"{r.related_model._meta.label_lower}.{r.field.name}" for r in Enterprise._meta.related_objects
            if not r.many_to_many} <= keys
    # hidden ones too: a derived summary (related_name="+") and an auto-created through table
    assert {"appeals.appealreach.enterprise", "engagement.partyorganisation_covered_enterprises.enterprise",
            "growth.groupmember.enterprise"} <= keys
    assert {key.split(".")[0] for key in keys} >= {"accounts", "members", "appeals", "events", "engagement",
                                                    "welfare", "honours", "growth", "policies"}


@pytest.fixture
def pair(cast):
    """Two records of one enterprise: `kept` (a non-member with its own rows) and `absorbed` (the member, with rows
    in every app), plus the rows that are equal on both (folded)."""
    district, staff = cast.district, cast.users.staff
    kept = testing.make_enterprise(district, name="天津海河友谊科技有限公司")
    absorbed = testing.make_enterprise(district, name="天津海河友谊科技（集团）有限公司", chamber=cast.chamber2)
    # an enterprise merged into `absorbed` before: its merge record follows to `kept`
    earlier = testing.make_enterprise(district, name="海河友谊科技")
    merging.merge(actor=staff, kept=absorbed, absorbed=earlier, reason="早先登记的重复记录")
    testing.make_membership(district, absorbed, number="HX-2021-0099")
    user = testing.make_user(Role.ENTERPRISE, enterprise=absorbed)
    # the same person as legal representative on both: one role folded; another role moved
    EnterpriseRole.objects.create(person=cast.person1, enterprise=kept, role="legal_representative")
    EnterpriseRole.objects.create(person=cast.person1, enterprise=absorbed, role="legal_representative")
    EnterpriseRole.objects.create(person=cast.person2, enterprise=absorbed, role="chairman")
    # appeals on both (the derived first-appeal day is folded into the earlier one)
    submit(cast, actor=user, enterprise=absorbed)
    kept_user = testing.make_user(Role.ENTERPRISE, enterprise=kept)
    submit(cast, actor=kept_user, enterprise=kept)
    AppealReach.objects.filter(enterprise=absorbed).update(first_day=date(2020, 5, 1))
    testing.make_invitation(testing.make_event(district), absorbed)
    testing.make_donation(absorbed, cash="1000")
    testing.make_liaison(absorbed, user=cast.users.leader)
    testing.make_visit(absorbed)
    # covered by one party organisation on both records (a link row folded) and hosting another
    testing.make_party_organisation(district, enterprise=cast.ent2, covered=[kept, absorbed])
    testing.make_party_organisation(district, enterprise=absorbed)
    testing.make_prospect(district, owner=staff, enterprise=absorbed)
    testing.make_enrollment(absorbed, by=staff)
    testing.make_listing(absorbed)
    post = testing.make_post(absorbed, by=user)
    testing.make_contact_request(testing.make_post(cast.ent2, by=cast.users.staff), absorbed, by=user)
    testing.make_outcome(absorbed, by=staff, post=post)
    group = testing.make_working_group(district, lead=cast.person1)
    group.members.filter(person=cast.person1).update(enterprise=absorbed)
    candidate = testing.make_duplicate(kept, absorbed)
    third = testing.make_enterprise(district, name="海河友谊科技发展")
    other_pair = testing.make_duplicate(absorbed, third)
    return {"kept": kept, "absorbed": absorbed, "candidate": candidate, "other_pair": other_pair, "third": third,
            "user": user}


def test_merge_moves_every_related_row_of_every_table_and_loses_none(cast, pair):
    kept, absorbed = pair["kept"], pair["absorbed"]
    before = pointing_at(Enterprise, [kept.pk, absorbed.pk])
    sizes = table_sizes(Enterprise)
    assert sum(1 for n in pointing_at(Enterprise, [absorbed.pk]).values() if n) >= 15  # rows in many tables

    merge_record = merging.merge(actor=cast.users.staff, kept=kept, absorbed=absorbed, reason="同一企业登记两次",
                                 candidate=pair["candidate"])

    folded = {key: len(item["rows"]) for key, item in merge_record.folded.items()}
    assert folded == {"members.enterpriserole.enterprise": 1, "appeals.appealreach.enterprise": 1,
                      "engagement.partyorganisation_covered_enterprises.enterprise": 1}
    after = pointing_at(Enterprise, [kept.pk])
    assert not any(pointing_at(Enterprise, [absorbed.pk]).values())
    assert not Enterprise.objects.filter(pk=absorbed.pk).exists()
    for key, count in before.items():
        expected = count - folded.get(key, 0)
        if key == "members.mergerecord.kept_enterprise":
            expected += 1  # this merge's record
        if key in ("members.duplicatecandidate.first_enterprise", "members.duplicatecandidate.second_enterprise"):
            continue  # the queue's pairs: checked below
        assert after[key] == expected, key
    # no table lost a row except the folded ones; the merge record is one more
    sizes_after = table_sizes(Enterprise)
    for table, size in sizes.items():
        expected = size - sum(n for key, n in folded.items() if key.rsplit(".", 1)[0] == table)
        expected += {"members.mergerecord": 1}.get(table, 0)
        assert sizes_after[table] == expected, table
    # the queue: the merged pair stays as 已合并 with the kept record and its merge record, the absorbed record's
    # other pair now names the kept one
    merged = DuplicateCandidate.objects.get(pk=pair["candidate"].pk)
    assert merged.status == DuplicateCandidate.Status.MERGED and merged.decided_by == cast.users.staff
    assert {merged.first_enterprise, merged.second_enterprise} == {kept, None}
    assert merge_record.candidate == merged
    other = DuplicateCandidate.objects.get(pk=pair["other_pair"].pk)
    assert (other.first_enterprise, other.second_enterprise) == (kept, pair["third"])


def test_merge_keeps_what_it_did_in_the_merge_record_and_the_audit_log(cast, pair):
    kept, absorbed = pair["kept"], pair["absorbed"]
    absorbed_id, mobile = absorbed.pk, absorbed.contact_mobile
    merge_record = merging.merge(actor=cast.users.staff, kept=kept, absorbed=absorbed, reason="同一企业登记两次",
                                 candidate=pair["candidate"])
    assert (merge_record.kept_enterprise, merge_record.absorbed_id) == (kept, absorbed_id)
    assert merge_record.absorbed_name == "天津海河友谊科技（集团）有限公司"
    assert merge_record.absorbed_snapshot["fields"]["统一社会信用代码"] == absorbed.uscc
    assert merge_record.absorbed_snapshot["candidate"]["reasons"] == ["name"]
    assert mobile not in str(merge_record.absorbed_snapshot)  # personal values masked
    assert merge_record.absorbed_snapshot["fields"]["联系人手机"].startswith(mobile[:3])
    assert merge_record.moved["members.membership.enterprise"]["label"] == "工商联会员"
    assert merge_record.moved["accounts.user.enterprise"]["ids"] == [pair["user"].pk]
    role = merge_record.folded["members.enterpriserole.enterprise"]["rows"][0]
    assert role["values"]["role"] == "legal_representative"
    assert EnterpriseRole.objects.filter(pk=role["into"], enterprise=kept).exists()
    # the derived first-appeal day: the earlier of the two
    assert AppealReach.objects.get(enterprise=kept, department__isnull=True).first_day == date(2020, 5, 1)
    update = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="members.enterprise",
                                    object_id=str(kept.pk), detail__merge_record=merge_record.pk)
    assert update.actor == cast.users.staff
    assert update.detail["moved"]["工商联会员"] == 1
    deleted = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="members.enterprise",
                                     object_id=str(absorbed_id))
    assert deleted.detail["merged_into"] == kept.pk
    assert mobile not in str(deleted.detail)


def test_the_kept_enterprise_user_and_chamber_see_what_the_absorbed_had(cast, pair):
    kept = pair["kept"]
    merging.merge(actor=cast.users.staff, kept=kept, absorbed=pair["absorbed"], reason="同一企业")
    pair["user"].refresh_from_db()
    assert pair["user"].enterprise == kept
    assert ChamberMembership.objects.get(enterprise=kept).chamber == cast.chamber2
    assert kept.memberships.get().number == "HX-2021-0099"


def test_a_merge_of_two_federation_members_is_refused_naming_what_to_resolve(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    testing.make_membership(cast.district, twin, number="HX-2021-0100")
    sizes = table_sizes(Enterprise)
    with pytest.raises(Refused, match="两条记录都有工商联会员") as refused:
        merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=twin, reason="重复")
    assert "退会或删除" in refused.value.message
    nothing_written(sizes, Enterprise, cast.ent1, twin)


def test_two_different_rows_under_one_unique_rule_refuse_the_merge(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    event = testing.make_event(cast.district)
    testing.make_invitation(event, cast.ent1, status="accepted")
    testing.make_invitation(event, twin, status="declined")
    sizes = table_sizes(Enterprise)
    with pytest.raises(Refused, match="请柬.*重复但内容不同"):
        merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=twin, reason="重复")
    nothing_written(sizes, Enterprise, cast.ent1, twin)


def test_a_record_is_never_merged_into_itself(cast):
    sizes = table_sizes(Enterprise)
    with pytest.raises(Refused, match="不能把“天津友谊科技有限公司”合并到它自己"):
        merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=Enterprise.objects.get(pk=cast.ent1.pk),
                      reason="重复")
    assert table_sizes(Enterprise) == sizes
    assert not MergeRecord.objects.exists()


def test_a_merge_across_federations_is_refused_even_for_a_city_editor(cast):
    city_staff = testing.make_user(Role.STAFF, federation=cast.city)
    sizes = table_sizes(Enterprise)
    with pytest.raises(Refused, match="不能跨工商联合并"):
        merging.merge(actor=city_staff, kept=cast.ent1, absorbed=cast.ent_other, reason="重复")
    nothing_written(sizes, Enterprise, cast.ent1, cast.ent_other)
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


def test_a_district_editor_merging_with_another_districts_record_is_refused_without_naming_it(cast):
    with pytest.raises(PermissionDenied):
        merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=cast.ent_other, reason="重复")
    assert Enterprise.objects.filter(pk=cast.ent_other.pk).exists()


def test_an_editor_of_another_federation_may_not_merge(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    with pytest.raises(PermissionDenied):
        merging.merge(actor=cast.users.outsider_staff, kept=cast.ent1, absorbed=twin, reason="重复")
    assert Enterprise.objects.filter(pk=twin.pk).exists()


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_merge(cast, role):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    with pytest.raises(PermissionDenied):
        merging.merge(actor=getattr(cast.users, role), kept=cast.ent1, absorbed=twin, reason="重复")
    assert Enterprise.objects.filter(pk=twin.pk).exists()


def test_a_merge_needs_a_reason(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    with pytest.raises(Refused, match="请填写合并理由"):
        merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=twin, reason="  ")
    assert Enterprise.objects.filter(pk=twin.pk).exists()


def test_the_second_of_two_staff_merging_the_same_pair_is_refused_and_writes_nothing(cast):
    """The first merge locks both rows and removes the absorbed one; the second, waiting on the lock, then
    finds it gone (or the pair decided) and is refused."""
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    candidate = testing.make_duplicate(cast.ent1, twin)
    stale_twin, stale_candidate = Enterprise.objects.get(pk=twin.pk), DuplicateCandidate.objects.get(pk=candidate.pk)
    merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=twin, reason="重复", candidate=candidate)
    with pytest.raises(Refused, match="已被合并或删除"):
        merging.merge(actor=cast.users.admin, kept=cast.ent1, absorbed=stale_twin, reason="重复",
                      candidate=stale_candidate)
    assert MergeRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(twin.pk)).count() == 1


def test_merge_locks_both_records_for_update(cast, monkeypatch):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    locked = []
    original = type(Enterprise._base_manager.all()).select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(Enterprise._base_manager.all()), "select_for_update", spy)
    merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=twin, reason="重复")
    assert Enterprise in locked


def test_a_dismissed_pair_is_not_merged(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    candidate = testing.make_duplicate(cast.ent1, twin)
    merging.decide_dismiss(actor=cast.users.staff, candidate=candidate, note="不同企业")
    with pytest.raises(Refused, match="已被处理"):
        merging.merge(actor=cast.users.staff, kept=cast.ent1, absorbed=twin, reason="重复", candidate=candidate)
    assert Enterprise.objects.filter(pk=twin.pk).exists()


def test_a_pair_merged_must_be_the_candidates_records(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    candidate = testing.make_duplicate(cast.ent1, twin)
    with pytest.raises(Refused, match="不属于这组疑似重复"):
        merging.merge(actor=cast.users.staff, kept=cast.ent2, absorbed=twin, reason="重复", candidate=candidate)
    assert Enterprise.objects.filter(pk=twin.pk).exists()


def test_dismiss_marks_the_pair_and_audits_once(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    candidate = testing.make_duplicate(cast.ent1, twin)
    merging.decide_dismiss(actor=cast.users.staff, candidate=candidate, note="同名不同企业")
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by, candidate.note) == ("dismissed", cast.users.staff, "同名不同企业")
    with pytest.raises(Refused, match="已被处理"):
        merging.decide_dismiss(actor=cast.users.admin, candidate=candidate)
    assert AuditEvent.objects.filter(object_type="members.duplicatecandidate", object_id=str(candidate.pk)).count() == 1


def test_merging_two_persons_moves_every_related_row(cast):
    kept = cast.person1
    absorbed = testing.make_person(cast.district, name="王建国", id_number=kept.id_number,
                                   enterprise=cast.ent1)  # the same role as person1: folded
    EnterpriseRole.objects.create(person=absorbed, enterprise=cast.ent2, role="shareholder")
    testing.make_arrangement(absorbed)
    testing.make_proposal(cast.district, submitters=[absorbed, kept])
    testing.make_invitation(testing.make_event(cast.district), absorbed)
    testing.make_donation(absorbed, cash="500")
    testing.make_working_group(cast.district, lead=absorbed)
    before = pointing_at(Person, [kept.pk, absorbed.pk])
    merge_record = merging.merge(actor=cast.users.staff, kept=kept, absorbed=absorbed, reason="身份证号相同")
    folded = {key: len(item["rows"]) for key, item in merge_record.folded.items()}
    assert folded == {"members.enterpriserole.person": 1, "engagement.proposal_submitters.person": 1}
    after = pointing_at(Person, [kept.pk])
    for key, count in before.items():
        expected = count - folded.get(key, 0) + (1 if key == "members.mergerecord.kept_person" else 0)
        assert after[key] == expected, key
    assert not Person.objects.filter(pk=absorbed.pk).exists()
    assert kept.enterprise_roles.filter(Q(enterprise=cast.ent2, role="shareholder")).exists()
    assert merge_record.kept_person == kept and merge_record.kind == "person"


def test_the_plan_shows_what_moves_and_what_refuses(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    testing.make_visit(twin, visited_on=date.today() - timedelta(days=3))
    preview = merging.plan(cast.ent1, twin)
    assert ("走访记录", 1, 0) in preview.rows()
    assert not preview.blockers
    testing.make_membership(cast.district, twin, number="HX-2021-0101")
    assert merging.plan(cast.ent1, twin).blockers == [
        "两条记录都有工商联会员（“天津友谊科技有限公司（企业会员）”与“天津友谊科技（集团）有限公司（企业会员）”），"
        "请先将被合并记录的工商联会员办理退会或删除，再合并"]
