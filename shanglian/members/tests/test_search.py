"""The member lists' search through indexes (members/search.py) finds exactly what the LIKE definitions it
replaced found — on varied names (Chinese, Latin in mixed case, punctuation, a letter FTS5 folds to ASCII),
pinyin initials, USCCs and member numbers in any case, single characters and odd input — in the scope of
the user, and stays in step with the rows after create, edit, delete, bulk writes and an import."""

import random

import pytest
from django.db.models import Q

from shanglian import testing
from shanglian.common.codes import make_uscc
from shanglian.members import selectors
from shanglian.members.models import Enterprise, Membership, Person
from shanglian.members.services import import_members
from shanglian.members.tests.test_import import good_rows

ENTERPRISE_NAMES = ["天津恒远商贸有限公司", "ABC科技（天津）有限公司", "abc Wi-Fi 网络服务部", "100%_完成\"引号\"'单'公司",
                    "Éclair 法式烘焙坊", "Kelvin\u212a 计量仪器", "恒远", "津"]
PERSON_NAMES = ["张恒远", "欧阳娜娜", "Anna Lee", "李"]
CHAMBER_NAMES = ["河西区恒远商会", "ABC Chamber 商会"]
NUMBERS = ["HY-2024-001", "hy-2024-002", "Mixed-Case-3x", "会员001", ""]


def _old_enterprises(user, q):
    qs = selectors.enterprises_visible_to(user)
    return set(qs.filter(Q(name__icontains=q) | Q(name_initials__icontains=q.lower()) | Q(uscc__iexact=q))
               .values_list("pk", flat=True))


def _old_memberships(user, q):
    qs = selectors.memberships_visible_to(user)
    return set(qs.filter(
        Q(enterprise__name__icontains=q) | Q(enterprise__name_initials__icontains=q.lower())
        | Q(enterprise__uscc__iexact=q) | Q(person__name__icontains=q)
        | Q(person__name_initials__icontains=q.lower()) | Q(group__name__icontains=q) | Q(number__iexact=q)
    ).values_list("pk", flat=True))


def _new_enterprises(user, q):
    return set(selectors.enterprise_list(user, filters={"q": q}).values_list("pk", flat=True))


def _new_memberships(user, q):
    return set(selectors.membership_list(user, filters={"q": q}).values_list("pk", flat=True))


def _substrings(texts, sizes=(1, 2, 3, 4)):
    words = set()
    for text in texts:
        for size in sizes:
            words.update(text[i:i + size] for i in range(len(text) - size + 1))
    return {w.strip() for w in words if w.strip()}


@pytest.fixture
def registry(cast):
    enterprises = [testing.make_enterprise(cast.district, name=name, chamber=cast.chamber1 if i % 2 else None)
                   for i, name in enumerate(ENTERPRISE_NAMES)]
    persons = [testing.make_person(cast.district, name=name, enterprise=enterprises[i])
               for i, name in enumerate(PERSON_NAMES)]
    chambers = [testing.make_chamber(cast.district, name=name) for name in CHAMBER_NAMES]
    subjects = [*enterprises, *persons, *chambers]
    numbers = [NUMBERS[i % len(NUMBERS)] + (f"-{i}" if NUMBERS[i % len(NUMBERS)] else "") for i in range(len(subjects))]
    for subject, number in zip(subjects, numbers, strict=True):
        testing.make_membership(cast.district, subject, number=number)
    return {"enterprises": enterprises, "persons": persons, "chambers": chambers, "numbers": numbers}


def _words(registry):
    enterprises = registry["enterprises"]
    texts = [*ENTERPRISE_NAMES, *PERSON_NAMES, *CHAMBER_NAMES,
             *(e.name_initials for e in Enterprise.objects.all()), *(p.name_initials for p in Person.objects.all())]
    usccs = [e.uscc for e in enterprises]
    return _substrings(texts) | {*usccs, *(u.lower() for u in usccs), usccs[0][:6], usccs[0][2:10],
                                 *(n for n in registry["numbers"] if n), *(n.lower() for n in registry["numbers"] if n),
                                 *(n.upper() for n in registry["numbers"] if n), "hy-2024-001",
                                 "éclair", "ÉCLAIR", "k", "K", "kelvin", "%", "_", '"', "'", "\\", "100%", "%_",
                                 "x" * 200, "恒" * 200, "a\x01b", "不存在的词"}


def test_the_indexed_search_finds_what_the_like_search_found(cast, registry):
    words = _words(registry)
    assert len(words) > 400
    found = 0
    # Every word for the federation's staff; every fourth for a chamber's secretary and another federation.
    for user, step in ((cast.users.staff, 1), (cast.users.chamber1, 4), (cast.users.outsider_staff, 4)):
        for q in sorted(words)[::step]:
            expected = _old_memberships(user, q)
            assert _new_memberships(user, q) == expected, (user.username, q)
            found += bool(expected)
            assert _new_enterprises(user, q) == _old_enterprises(user, q), (user.username, q)
    assert found > 250
    staff = cast.users.staff
    assert _new_enterprises(staff, "恒远") == {registry["enterprises"][0].pk, registry["enterprises"][6].pk}
    assert _new_memberships(staff, "HY-2024-002-1") == set(Membership.objects.filter(number="hy-2024-002-1")
                                                           .values_list("pk", flat=True)) != set()
    assert _new_memberships(cast.users.outsider_staff, "恒远") == set()


def test_the_list_pages_keep_the_old_order_and_answer_odd_input(cast, registry, client):
    client.force_login(cast.users.staff)
    testing.verify_second_factor(client, cast.users.staff)
    for q in ["恒远", "abc", "%", "_", "'", '"', "x" * 200, "\x01", "\x00", "hy-2024-001", "津"]:
        for url in ("/members/", "/members/enterprises/"):
            response = client.get(url, {"q": q})
            assert response.status_code == 200, (url, q)
    response = client.get("/members/", {"q": "恒远"})
    shown = [m.pk for m in response.context["page_obj"].object_list]
    expected = selectors.memberships_visible_to(cast.users.staff).filter(
        Q(enterprise__name__icontains="恒远") | Q(person__name__icontains="恒远") | Q(group__name__icontains="恒远")
    ).order_by("-joined", "-id").values_list("pk", flat=True)
    assert shown == list(expected)[:len(shown)] and shown


def test_the_index_follows_create_edit_delete_and_bulk_writes(cast):
    staff = cast.users.staff
    enterprise = testing.make_enterprise(cast.district, name="天津新建测试商行")
    person = testing.make_person(cast.district, name="司马新建")
    testing.make_membership(cast.district, enterprise)
    testing.make_membership(cast.district, person)
    assert _new_enterprises(staff, "新建") == {enterprise.pk}
    assert len(_new_memberships(staff, "新建")) == 2

    enterprise.name = "天津改名以后商行"
    enterprise.save()
    person.name = "司马改名"
    person.save()
    assert _new_enterprises(staff, "新建") == set() and _new_enterprises(staff, "改名") == {enterprise.pk}
    assert _new_enterprises(staff, "tjgm") == {enterprise.pk}  # the initials follow the name
    assert len(_new_memberships(staff, "改名")) == 2 and _new_memberships(staff, "新建") == set()

    Enterprise.objects.filter(pk=enterprise.pk).update(name="天津批量更新商行")  # no save(): the triggers
    assert _new_enterprises(staff, "批量") == {enterprise.pk} and _new_enterprises(staff, "改名") == set()

    Membership.objects.filter(enterprise=enterprise).delete()
    enterprise.delete()
    assert _new_enterprises(staff, "批量") == set()
    bulk = Enterprise.objects.bulk_create([Enterprise(
        federation=cast.district, name="天津批量新增公司", name_initials="tjplxzgs", uscc=make_uscc(random.Random(5)),
        enterprise_type=cast.ent1.enterprise_type, industry=cast.ent1.industry)])
    assert _new_enterprises(staff, "批量新增") == {bulk[0].pk}
    assert _new_enterprises(staff, bulk[0].uscc.lower()) == {bulk[0].pk}


def test_an_import_is_found_at_once(cast, tmp_path):
    from shanglian.members.tests.test_import import uploader

    path = uploader(tmp_path)(good_rows())
    assert import_members(actor=cast.users.staff, path=path).committed
    staff = cast.users.staff
    for q in ["导入科技", "导入", "刘导入", "浙江商会", "hx-2024-0103", "tjdrkj"]:
        assert _new_memberships(staff, q) == _old_memberships(staff, q) != set(), q
    assert _new_enterprises(staff, "导入商贸") == _old_enterprises(staff, "导入商贸") != set()
