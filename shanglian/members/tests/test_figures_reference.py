"""The member figures and the organisation lists' counts against a plain reference computation: every
membership and chamber membership read into Python and counted there, one by one, on varied factory data
(members in force, left, suspended, not yet joined; enterprises in several chambers or none, with and
without a street; several dates). The SQL (one pass per figure group, covering indexes) must give exactly
the same figures."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import Q

from shanglian import testing
from shanglian.common.models import DictItem
from shanglian.members import figures
from shanglian.members.models import ChamberMembership, Enterprise, Membership
from shanglian.members.selectors import memberships_visible_to
from shanglian.orgs.models import Chamber, Street
from shanglian.orgs.selectors import chamber_list, chambers_in_scope, street_list

DATES = [date(2019, 12, 31), date(2022, 2, 28), date(2023, 6, 30), date(2024, 12, 31), date(2025, 11, 22),
         date(2026, 1, 1)]
YEARS = [2020, 2021, 2022, 2023, 2024, 2025]


def _some_date(rng, start=date(2017, 1, 1), days=3400):
    return start + timedelta(days=rng.randrange(days))


@pytest.fixture
def district(cast):
    """Besides the cast: 3 more streets, 4 more chambers, 60 enterprises (types, places, streets or none,
    0–3 chambers each, chamber memberships in force, left, suspended, joined later), their federation
    memberships (in force, left, suspended, both, not yet joined), 25 individual and 3 group members, and
    an enterprise of the other federation."""
    rng = random.Random(19)
    d = cast.district
    types = list(DictItem.objects.filter(kind="enterprise_type", code__in=["individual", "private", "foreign"]))
    streets = [cast.street] + [testing.make_street(d, name=f"参照街道{i}") for i in range(3)] + [None]
    chambers = [cast.chamber1, cast.chamber2] + [
        testing.make_chamber(d, name=f"参照商会{i}", street=rng.choice(streets)) for i in range(4)]
    for i in range(60):
        enterprise = testing.make_enterprise(d, name=f"参照企业{i}", enterprise_type=rng.choice(types),
                                             street=rng.choice(streets), is_local=rng.random() < 0.7,
                                             is_high_tech=rng.random() < 0.3)
        for chamber in rng.sample(chambers, rng.choice([0, 1, 1, 2, 3])):
            joined = _some_date(rng)
            status = rng.choice(["active", "active", "left", "suspended"])
            left = joined + timedelta(days=rng.randrange(1, 900)) if status == "left" else None
            ChamberMembership.objects.create(chamber=chamber, enterprise=enterprise, joined=joined, status=status,
                                             left=left)
        if rng.random() < 0.85:
            _membership(rng, d, enterprise)
    for i in range(25):
        _membership(rng, d, testing.make_person(d, name=f"参照个人{i}", enterprise=None))
    for chamber in chambers[2:5]:
        _membership(rng, d, chamber)
    testing.make_membership(cast.other, testing.make_enterprise(cast.other, name="参照外区企业",
                                                                street=cast.street), joined=date(2019, 1, 1))
    return cast


def _membership(rng, federation, subject):
    joined = _some_date(rng)
    fields = {}
    fate = rng.choice(["active", "active", "left", "suspended", "suspended_then_left"])
    if fate in ("left", "suspended_then_left"):
        fields.update(left=joined + timedelta(days=rng.randrange(0, 1500)), status="left", left_reason="参照")
    if fate in ("suspended", "suspended_then_left"):
        fields.update(suspended_on=joined + timedelta(days=rng.randrange(0, 1200)))
        fields.setdefault("status", "suspended")
    testing.make_membership(federation, subject, joined=joined, **fields)


# --- the reference: plain Python over the rows --------------------------------------------------------
def _rows(user):
    return list(Membership.objects.filter(pk__in=list(memberships_visible_to(user).values_list("pk", flat=True)))
                .select_related("enterprise__enterprise_type", "enterprise__street"))


def _in_force(m, on):
    return (m.joined <= on and (m.left is None or m.left > on)
            and (m.suspended_on is None or m.suspended_on > on))


def _kinds(rows, on):
    counts = Counter(m.kind for m in rows if _in_force(m, on))
    result = {kind.value: counts[kind.value] for kind in figures.KINDS}
    result["total"] = sum(result.values())
    return result


def _year_ends(rows, years):
    return [(y, sum(_in_force(m, date(y, 12, 31)) for m in rows), sum(_in_force(m, date(y - 1, 12, 31)) for m in rows),
             sum(m.joined.year == y for m in rows), sum(bool(m.left) and m.left.year == y for m in rows),
             sum(bool(m.suspended_on) and m.suspended_on.year == y for m in rows)) for y in years]


def _enterprise_members(rows, on):
    return [m.enterprise for m in rows if m.kind == "enterprise" and _in_force(m, on)]


def _pairs(rows, on):
    firms = _enterprise_members(rows, on)
    people = [m for m in rows if _in_force(m, on)]
    code = Counter(e.enterprise_type.code for e in firms)
    return {
        "business_type": (code["individual"], code["private"]),
        "member_kind": (sum(m.kind == "individual" for m in people), sum(m.kind == "group" for m in people)),
        "locality": (sum(e.is_local for e in firms), sum(not e.is_local for e in firms)),
        "technology": (sum(not e.is_high_tech for e in firms), sum(e.is_high_tech for e in firms)),
    }


def _chambers(user, rows, on):
    firms = {e.pk for e in _enterprise_members(rows, on)}
    counts = Counter(
        cm.chamber_id for cm in ChamberMembership.objects.filter(chamber__in=chambers_in_scope(user))
        if cm.enterprise_id in firms and cm.joined <= on and (cm.left is None or cm.left > on)
        and cm.status != "suspended")
    names = dict(Chamber.objects.values_list("pk", "name"))
    return sorted(((pk, names[pk], n) for pk, n in counts.items()), key=lambda r: (-r[2], r[1], r[0]))


def _streets(rows, on):
    counts = Counter(e.street_id for e in _enterprise_members(rows, on))
    names = dict(Street.objects.values_list("pk", "name"))
    return sorted(((pk, names[pk] if pk else figures.NO_STREET, n) for pk, n in counts.items()),
                  key=lambda r: (-r[2], r[0] is None, r[1], r[0] or 0))


def _same_ranking(rows, expected):
    """The same rows, most first (ties between equal counts are ordered by name in the database's collation,
    which need not be Python's)."""
    return sorted(rows, key=str) == sorted(expected, key=str) and [n for *_, n in rows] == [n for *_, n in expected]


# --- the figures equal the reference ---------------------------------------------------------------------
@pytest.mark.parametrize("who", ["staff", "leader", "chamber1", "chamber2"])
def test_member_figures_equal_a_plain_count_of_the_rows_on_every_date(district, who):
    user = getattr(district.users, who)
    rows = _rows(user)
    assert len(rows) > 20 if who in ("staff", "leader") else rows
    scope = memberships_visible_to(user)
    by_date = figures.counts_by_kind_on(scope, DATES)
    for on in DATES:
        assert by_date[on] == _kinds(rows, on) == figures.counts_by_kind(scope, on), on
        assert {p.key: (p.more, p.less) for p in figures.three_more_three_less(scope, on)} == _pairs(rows, on), on
        page_pairs = figures.three_more_three_less(scope, on, kinds=by_date[on], groups=figures.street_groups(scope, on))
        assert {p.key: (p.more, p.less) for p in page_pairs} == _pairs(rows, on), on
        assert _same_ranking(figures.chamber_rows(scope, on, chambers=chambers_in_scope(user)),
                             _chambers(user, rows, on)), on
        assert _same_ranking(figures.street_rows(scope, on), _streets(rows, on)), on
    assert [(r.year, r.in_force, r.previous, r.joined, r.left, r.suspended)
            for r in figures.year_end_series(scope, YEARS)] == _year_ends(rows, YEARS)


@pytest.mark.parametrize("who", ["chamber1", "chamber2"])
def test_a_chambers_memberships_are_the_plain_definition_on_the_varied_data(district, who):
    """The chamber secretary's scope, read as a UNION of index lookups (`selectors.chamber_membership_ids`), is
    the plain definition — memberships of its active member enterprises, of persons with a role in one, and
    its own group membership — so the figures above, counted on it, are those of the plain definition."""
    user = getattr(district.users, who)
    members = ChamberMembership.objects.filter(chamber_id=user.chamber_id, status="active").values("enterprise_id")
    reference = Membership.objects.filter(
        Q(enterprise_id__in=members) | Q(person__enterprise_roles__enterprise_id__in=members)
        | Q(group_id=user.chamber_id)).distinct()
    assert sorted(memberships_visible_to(user).values_list("pk", flat=True)) == sorted(
        reference.values_list("pk", flat=True))
    assert memberships_visible_to(user).count() == reference.count() > 0


def test_the_reference_data_has_every_case(district):
    """The data above is varied enough to prove something: members in force and not, of every kind, in
    several chambers and streets, and figures that change between the dates."""
    rows = _rows(district.users.staff)
    assert {m.kind for m in rows} == {"enterprise", "individual", "group"}
    assert any(m.left for m in rows) and any(m.suspended_on for m in rows) and any(m.joined > DATES[2] for m in rows)
    assert len({tuple(_kinds(rows, on).values()) for on in DATES}) >= 4
    assert len(_chambers(district.users.staff, rows, DATES[-1])) >= 4
    assert len(_streets(rows, DATES[-1])) >= 4 and any(pk is None for pk, _, _ in _streets(rows, DATES[-1]))
    assert ChamberMembership.objects.filter(status="suspended").exists()


# --- the organisation lists' counts -------------------------------------------------------------------
@pytest.mark.parametrize("who", ["staff", "chamber1"])
def test_chamber_list_member_counts_equal_a_plain_count(district, who):
    active = Counter(ChamberMembership.objects.filter(status="active").values_list("chamber_id", flat=True))
    listed = {c.pk: c.member_count for c in chamber_list(getattr(district.users, who))}
    assert listed and listed == {pk: active[pk] for pk in listed}
    assert any(listed.values()) and (who == "chamber1" or 0 in listed.values() or len(set(listed.values())) > 2)


def test_street_list_counts_equal_a_plain_count(district):
    chambers = Counter(Chamber.objects.values_list("street_id", flat=True))
    firms = Counter(Enterprise.objects.values_list("street_id", flat=True))
    listed = {s.pk: (s.chamber_count, s.enterprise_count) for s in street_list(district.users.staff)}
    assert listed == {pk: (chambers[pk], firms[pk]) for pk in listed}
    assert len(listed) == 4 and all(n for _, n in listed.values())


def test_sorting_the_lists_by_a_count_orders_by_the_same_figures(district):
    by_members = [c.member_count for c in chamber_list(district.users.staff).order_by("-member_count", "-id")]
    assert by_members == sorted(by_members, reverse=True)
    by_firms = [s.enterprise_count for s in street_list(district.users.staff).order_by("enterprise_count", "-id")]
    assert by_firms == sorted(by_firms)
