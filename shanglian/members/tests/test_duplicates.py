"""查重 (members.duplicates): what makes two enterprises or two persons suspected duplicates (credit code after
normalisation, similar names, the same mobile; for persons the ID number, the mobile, the name with gender and
birth year), the scan that queues them once (dismissed pairs never again, nothing across federations) and the
`find_duplicates` command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.members import duplicates
from shanglian.members.models import DuplicateCandidate


@pytest.mark.parametrize(("name", "expected"), [
    ("天津友谊科技有限公司", "天津友谊科技"),
    ("天津友谊科技（集团）有限公司", "天津友谊科技"),
    ("天津 友谊科技 股份有限公司", "天津友谊科技"),
    ("天津友谊科技有限责任公司", "天津友谊科技"),
    ("ＡＢＣ(天津)科技有限公司", "ABC天津科技"),
    ("有限公司", "有限公司"),  # a name that is only a suffix keeps it: never compared as empty
])
def test_names_are_normalised_by_nfkc_without_spaces_brackets_or_legal_form(name, expected):
    assert duplicates.normalize_name(name) == expected


def test_names_are_similar_when_equal_or_one_of_four_characters_is_inside_the_other():
    assert duplicates.names_similar("天津友谊科技有限公司", "天津友谊科技（集团）有限公司")
    assert duplicates.names_similar("友谊科技有限公司", "天津市友谊科技发展有限公司")
    assert not duplicates.names_similar("友谊有限公司", "天津友谊科技有限公司")  # 友谊: 2 characters only
    assert not duplicates.names_similar("天津友谊科技有限公司", "天津之江贸易有限公司")


def _pair(a, b):
    return (min(a.pk, b.pk), max(a.pk, b.pk))


def test_enterprises_with_the_same_credit_code_after_normalisation_are_suspected(cast):
    first = testing.make_enterprise(cast.district, name="甲公司")
    second = testing.make_enterprise(cast.district, name="乙公司", uscc="９" + first.uscc[1:].lower())
    assert duplicates.enterprise_pairs(cast.district.pk)[_pair(first, second)] == {"uscc"}


def test_enterprises_with_similar_names_are_suspected(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    inside = testing.make_enterprise(cast.district, name="天津友谊科技发展有限公司")
    pairs = duplicates.enterprise_pairs(cast.district.pk)
    assert pairs[_pair(cast.ent1, twin)] == {"name"}
    assert pairs[_pair(cast.ent1, inside)] == {"name"}  # 天津友谊科技 inside 天津友谊科技发展
    assert _pair(cast.ent1, cast.ent2) not in pairs


def test_enterprises_with_the_same_contact_mobile_in_any_format_are_suspected(cast):
    first = testing.make_enterprise(cast.district, name="甲贸易公司", contact_mobile="13812345678")
    second = testing.make_enterprise(cast.district, name="乙餐饮公司", contact_mobile="+86 138-1234-5678")
    blank = testing.make_enterprise(cast.district, name="丙物流公司", contact_mobile="")
    other_blank = testing.make_enterprise(cast.district, name="丁建材公司", contact_mobile="")
    pairs = duplicates.enterprise_pairs(cast.district.pk)
    assert pairs[_pair(first, second)] == {"mobile"}
    assert _pair(blank, other_blank) not in pairs  # no mobile is not the same mobile


def test_persons_with_the_same_id_number_mobile_or_name_gender_and_birth_year_are_suspected(cast):
    same_id = testing.make_person(cast.district, name="王建民", id_number=cast.person1.id_number)
    same_mobile = testing.make_person(cast.district, name="李四", mobile=cast.person2.mobile)
    namesake = testing.make_person(cast.district, name="王建国", birth_year=cast.person1.birth_year,
                                   gender=cast.person1.gender)
    other_year = testing.make_person(cast.district, name="陈浙江", birth_year=1970)
    pairs = duplicates.person_pairs(cast.district.pk)
    assert pairs[_pair(cast.person1, same_id)] == {"id_number"}
    assert pairs[_pair(cast.person2, same_mobile)] == {"mobile"}
    assert "person_name" in pairs[_pair(cast.person1, namesake)]
    assert _pair(cast.person2, other_year) not in pairs


def test_scan_queues_each_pair_once_with_the_older_record_first_and_audits(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    result = duplicates.scan(cast.district, actor=cast.users.staff)
    assert (result.found, result.created) == (1, 1)
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.first, candidate.second, candidate.reasons) == (cast.ent1, twin, ["name"])
    assert candidate.status == DuplicateCandidate.Status.OPEN
    assert AuditEvent.objects.filter(object_type="members.duplicatecandidate", actor=cast.users.staff).exists()
    again = duplicates.scan(cast.district)
    assert (again.found, again.created) == (1, 0)
    assert DuplicateCandidate.objects.count() == 1


def test_scan_refreshes_the_reasons_of_an_open_pair(cast):
    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    duplicates.scan(cast.district)
    twin.contact_mobile = cast.ent1.contact_mobile
    twin.save()
    assert duplicates.scan(cast.district).updated == 1
    assert DuplicateCandidate.objects.get().reasons == ["name", "mobile"]


def test_a_dismissed_pair_is_never_proposed_again(cast):
    testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    duplicates.scan(cast.district)
    DuplicateCandidate.objects.update(status=DuplicateCandidate.Status.DISMISSED)
    result = duplicates.scan(cast.district)
    assert (result.created, result.dismissed) == (0, 1)
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.DISMISSED


def test_scan_never_pairs_records_of_two_federations(cast):
    testing.make_enterprise(cast.other, name="天津友谊科技（集团）有限公司", contact_mobile=cast.ent1.contact_mobile)
    testing.make_person(cast.other, name="王建国", id_number=cast.person1.id_number)
    assert duplicates.scan(cast.district).found == 0
    assert duplicates.scan(cast.other).found == 0
    assert not DuplicateCandidate.objects.exists()


def test_scan_for_an_editor_covers_only_the_federations_in_scope(cast):
    testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    testing.make_enterprise(cast.other, name="南开某某餐饮（集团）有限公司")
    duplicates.scan_for(cast.users.outsider_staff)
    assert list(DuplicateCandidate.objects.values_list("federation", flat=True)) == [cast.other.pk]


def test_the_queue_is_the_editors_of_their_federations_only(cast):
    from django.core.exceptions import PermissionDenied

    twin = testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    candidate = testing.make_duplicate(cast.ent1, twin)
    assert list(duplicates.candidates_visible_to(cast.users.staff)) == [candidate]
    assert list(duplicates.candidates_visible_to(cast.users.outsider_staff)) == []
    for role in ("leader", "chamber1", "dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            duplicates.candidates_visible_to(getattr(cast.users, role))


def test_find_duplicates_command_scans_every_federation_or_those_named(cast):
    testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司")
    testing.make_enterprise(cast.other, name="南开某某餐饮（集团）有限公司")
    out = StringIO()
    call_command("find_duplicates", "--federation", str(cast.other.pk), stdout=out)
    assert "新增待处理 1 组" in out.getvalue()
    assert DuplicateCandidate.objects.filter(federation=cast.other).count() == 1
    assert not DuplicateCandidate.objects.filter(federation=cast.district).exists()
    call_command("find_duplicates", stdout=StringIO())
    assert DuplicateCandidate.objects.filter(federation=cast.district).count() == 1


def test_find_duplicates_command_refuses_an_unknown_federation(cast):
    with pytest.raises(CommandError, match="工商联不存在"):
        call_command("find_duplicates", "--federation", "999999", stdout=StringIO())
    assert not DuplicateCandidate.objects.exists()
