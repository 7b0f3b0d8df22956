"""The figures of the representative-figures database on a hand-built dataset, each answer counted by hand here:
执委中安排为人大代表、政协委员 (the seeds' "51 of N"), its N, the 代表人士 and their structure (age bands,
education, 新生代 share, party affiliation) and the arrangements by kind × level, on the user's scope."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.engagement.figures import representatives as figures
from shanglian.engagement.models import Cultivation, PersonHonour
from shanglian.orgs.models import Position, Term
from shanglian.ui.figures import compute

Y2025 = Period.year(2025)
Y2026 = Period.year(2026)


def item(kind, code):
    return DictItem.objects.get(kind=kind, code=code)


@pytest.fixture
def world(cast):
    """The district's 10th term (2021–2026) and its 9th (2016–2020), a term of chamber1, and persons:

    A 执委 10th, 区人大代表 in force (of ent1)          B 副主席 10th, 市政协委员 in force
    C 常委 10th, 党代表 only                           D 执委 10th, 区人大代表 from 2026-03-01 (of ent1)
    E 执委 10th, 区人大代表 ended 2024-12-31           F 主席 and 执委 10th, 区政协委员 in force
    G 执委 of the 9th only, 区人大代表 in force         H 会长 of chamber1's term, 市人大代表 in force
    I 执委 10th who left 2025-06-30, 区人大代表 in force K 理事 10th, 省人大代表 in force
    L an honour only; M a cultivation plan only; J 执委 of the other district, 区人大代表 in force.
    """
    d = cast.district
    term10 = Term.objects.create(federation=d, number=10, start=date(2021, 1, 1), end=date(2026, 12, 31))
    term9 = Term.objects.create(federation=d, number=9, start=date(2016, 1, 1), end=date(2020, 12, 31))
    chamber_term = Term.objects.create(federation=d, chamber=cast.chamber1, number=3, start=date(2022, 1, 1))
    other_term = Term.objects.create(federation=cast.other, number=8, start=date(2021, 1, 1))
    cpc, democratic, masses = (item("political_affiliation", c) for c in ("cpc", "democratic", "masses"))
    bachelor, master, doctor = (item("education", c) for c in ("bachelor", "master", "doctor"))

    def person(name, birth_year, *, enterprise=None, affiliation=None, education=None, young=False, fed=d):
        return testing.make_person(fed, name=name, enterprise=enterprise, birth_year=birth_year,
                                   political_affiliation=affiliation, education=education, is_new_generation=young)

    p = {
        "A": person("甲一", 1990, enterprise=cast.ent1, affiliation=cpc, education=bachelor, young=True),
        "B": person("乙二", 1989, affiliation=cpc, education=bachelor, young=True),
        "C": person("丙三", 1980, affiliation=cpc, education=bachelor),
        "D": person("丁四", 1979, enterprise=cast.ent1, affiliation=cpc, education=master),
        "E": person("戊五", 1970, affiliation=democratic, education=master),
        "F": person("己六", 1969, affiliation=democratic, education=doctor),
        "G": person("庚七", 1960, affiliation=masses),
        "H": person("辛八", 1959),
        "I": person("壬九", None),
        "K": person("癸十", 2000, young=True),
        "L": person("子荣", 1975),
        "M": person("丑培", 1995, young=True),
        "J": person("寅南", 1970, fed=cast.other),
    }
    executive, standing, vice, chairman = (Position.Title.EXECUTIVE, Position.Title.STANDING,
                                           Position.Title.VICE_CHAIRMAN, Position.Title.CHAIRMAN)
    for key, term, title in [("A", term10, executive), ("B", term10, vice), ("C", term10, standing),
                             ("D", term10, executive), ("E", term10, executive), ("F", term10, chairman),
                             ("F", term10, executive), ("G", term9, executive), ("K", term10, Position.Title.DIRECTOR),
                             ("H", chamber_term, Position.Title.PRESIDENT), ("J", other_term, executive)]:
        Position.objects.create(term=term, person=p[key], title=title)
    Position.objects.create(term=term10, person=p["I"], title=executive, end=date(2025, 6, 30))
    arrange = testing.make_arrangement
    arrange(p["A"], kind="npc", level="district")
    arrange(p["B"], kind="cppcc", level="city")
    arrange(p["C"], kind="party_congress", level="district")
    arrange(p["D"], kind="npc", level="district", start=date(2026, 3, 1))
    arrange(p["E"], kind="npc", level="district", start=date(2020, 1, 1), end=date(2024, 12, 31))
    arrange(p["F"], kind="cppcc", level="district")
    arrange(p["G"], kind="npc", level="district")
    arrange(p["H"], kind="npc", level="city")
    arrange(p["I"], kind="npc", level="district")
    arrange(p["K"], kind="npc", level="province")
    arrange(p["J"], kind="npc", level="district")
    PersonHonour.objects.create(federation=d, person=p["L"], title="优秀中国特色社会主义事业建设者", year=2024)
    Cultivation.objects.create(federation=d, person=p["M"], plan=item("cultivation_plan", "outstanding_youth"),
                               start=date(2024, 5, 1))
    return p


def names(records):
    return sorted(records.values_list("name", flat=True))


def test_executives_holding_an_arrangement_counted_by_hand(cast, world):
    # 执委 of the 10th term in force at 2025-12-31 (主席/副主席/常委/执委, position not left): A B C D E F → 6
    # of them with an NPC/CPPCC arrangement in force then: A (区人大), B (市政协), F (区政协) → 3;
    # C holds only a 党代表, D's starts in 2026, E's ended in 2024; I left, G is of the 9th, H of a chamber, K 理事
    staff = cast.users.staff
    n = compute("engagement.executives", user=staff, period=Y2025)
    arranged = compute("engagement.executives_arranged", user=staff, period=Y2025)
    assert (arranged.value, n.value) == (3, 6)
    assert names(arranged.records) == sorted(world[k].name for k in "ABF")
    assert names(n.records) == sorted(world[k].name for k in "ABCDEF")  # F once, for two positions
    # a year later D's arrangement has begun: 4 of the same 6
    assert (compute("engagement.executives_arranged", user=staff, period=Y2026).value,
            compute("engagement.executives", user=staff, period=Y2026).value) == (4, 6)


def test_executive_figure_keeps_each_scope(cast, world):
    # chamber1 sees the persons of its member ent1: A and D, of whom A holds an arrangement in 2025
    chamber1 = cast.users.chamber1
    assert compute("engagement.executives", user=chamber1, period=Y2025).value == 2
    assert names(compute("engagement.executives_arranged", user=chamber1, period=Y2025).records) == [world["A"].name]
    # the other district: J alone, of its own term
    outsider = cast.users.outsider_staff
    assert compute("engagement.executives_arranged", user=outsider, period=Y2025).value == 1
    assert compute("engagement.executives", user=outsider, period=Y2025).value == 1


def test_representatives_and_their_structure_counted_by_hand(cast, world):
    # 代表人士 at 2025-12-31: an arrangement in force or a position held — A B C D E F G H I K (10);
    # not L (an honour) nor M (a cultivation plan), not J (another district)
    staff = cast.users.staff
    found = compute("engagement.representatives", user=staff, period=Y2025)
    assert found.value == 10
    assert names(found.records) == sorted(world[k].name for k in "ABCDEFGHIK")
    structure = figures.structure(staff, Y2025.end)
    # ages in 2025: A 35, K 25 | B 36, C 45 | D 46, E 55 | F 56, G 65 | H 66 | I 未填
    assert [(label, n) for label, n, _ in structure["ages"]] == [
        ("35岁及以下", 2), ("36—45岁", 2), ("46—55岁", 2), ("56—65岁", 2), ("65岁以上", 1), ("未填", 1)]
    # education: 本科 A B C, 硕士 D E, 博士 F, the rest (G H I K) 未填
    assert sorted((label, n) for label, n, _ in structure["education"]) == sorted(
        [("大学本科", 3), ("硕士研究生", 2), ("博士研究生", 1), ("未填", 4)])
    # party affiliation: 中共党员 A B C D, 民主党派 E F, 群众 G, 未填 H I K
    assert sorted((label, n) for label, n, _ in structure["affiliation"]) == sorted(
        [("中共党员", 4), ("民主党派", 2), ("群众", 1), ("未填", 3)])
    # 新生代: A B K of 10 (M is not a representative) → 30.0%
    assert (structure["young"], structure["total"]) == (3, 10)
    share = compute("engagement.new_generation_share", user=staff, period=Y2025)
    assert share.value == Decimal("30.0") and share.records.count() == 10


def test_arrangements_by_kind_and_level_counted_by_hand(cast, world):
    # in force at 2025-12-31: 人大 区 A G I, 市 H, 省 K; 政协 市 B, 区 F; 党代表 区 C — 8 (J is another district's)
    grid = figures.arrangement_grid(cast.users.staff, Y2025.end)
    assert grid == {("npc", "district"): 3, ("npc", "city"): 1, ("npc", "province"): 1, ("cppcc", "city"): 1,
                    ("cppcc", "district"): 1, ("party_congress", "district"): 1}
    assert compute("engagement.arrangements", user=cast.users.staff, period=Y2025).value == 8
    assert compute("engagement.arrangements", user=cast.users.staff, period=Y2025, kind="npc").value == 5
    # begun in 2026: D's
    assert compute("engagement.new_arrangements", user=cast.users.staff, period=Y2026).value == 1


def test_drill_down_narrows_to_one_row_of_a_structure_table(cast, world):
    staff = cast.users.staff
    assert names(compute("engagement.representatives", user=staff, period=Y2025, band="upto35").records) == \
        sorted([world["A"].name, world["K"].name])
    assert compute("engagement.representatives", user=staff, period=Y2025, band="none").value == 1
    assert compute("engagement.representatives", user=staff, period=Y2025, education="none").value == 4
    assert compute("engagement.representatives", user=staff, period=Y2025, new_generation="yes").value == 3
    with pytest.raises(Exception) as refused:
        compute("engagement.representatives", user=staff, period=Y2025, band="old")
    assert refused.type.__name__ == "Http404"


def test_share_over_no_representatives_is_no_value_not_zero(cast):
    share = compute("engagement.new_generation_share", user=cast.users.staff, period=Y2025)
    assert share.value is None and share.display == "无数据"
    sections = figures.sections(user=cast.users.staff, period=Y2025)
    assert all(section.chart is None for section in sections[1:])  # nothing to draw: the empty text instead
    assert sections[0].figures[-1].value is None


def test_sections_give_the_same_numbers_in_tables_and_charts(cast, world):
    sections = {s.dom_id: s for s in figures.sections(user=cast.users.staff, period=Y2025)}
    headline = sections["stats-representatives"]
    values = {card.key: card.value for card in headline.figures}
    assert values["engagement.executives_arranged"] == 3 and values["engagement.executives"] == 6
    assert "执委 6 人，其中安排为人大代表、政协委员 3 人（占 50.0%）" in headline.note
    ages = sections["stats-rep-ages"]
    assert [row.cells[:2] for row in ages.table.rows][-1] == ("合计", 10)
    assert ages.chart_data[figures.SOURCE]["rep_ages"][0] == {"name": "35岁及以下", "value": 2}
    grid = sections["stats-rep-arrangements"]
    assert grid.table.rows[0].cells == ("人大代表", 0, 1, 1, 3, 5)  # 全国 省 市 区（县） 合计
    assert grid.chart_data[figures.SOURCE]["rep_level_district"] == [3, 1, 1]
    assert grid.table.rows[0].records_url.startswith(reverse("engagement:figure_records",
                                                             args=["engagement.arrangements"]))


def test_a_department_gets_no_figure(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        compute("engagement.executives_arranged", user=cast.users.dept1, period=Y2025)
