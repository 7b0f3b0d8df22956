import pytest
from django.core.management import call_command

from shanglian.common.industry import DATA_FILE, industry_division, load_industry_codes, read_industry_rows
from shanglian.common.models import IndustryCode

pytestmark = pytest.mark.django_db

EXPECTED = {"section": 20, "division": 97, "group": 473, "class": 1381}
PARENT_LEVEL = {"division": "section", "group": "division", "class": "group"}


def level_counts():
    return {level: IndustryCode.objects.filter(level=level).count() for level in EXPECTED}


def test_migrations_load_the_complete_standard():
    assert level_counts() == EXPECTED
    assert IndustryCode.objects.count() == 1971


def test_every_code_below_a_section_has_a_parent_one_level_up():
    assert not IndustryCode.objects.filter(level="section", parent__isnull=False).exists()
    for code in IndustryCode.objects.exclude(level="section").select_related("parent"):
        assert code.parent is not None, code.code
        assert code.parent.level == PARENT_LEVEL[code.level], code.code
        assert code.section == code.parent.section, code.code


def test_manufacturing_chain_from_section_to_class():
    leaf = IndustryCode.objects.get(code="2614")
    assert leaf.level == "class"
    assert [leaf.parent.code, leaf.parent.parent.code, leaf.parent.parent.parent.code] == ["261", "26", "C"]
    assert leaf.parent.parent.parent.name == "制造业"
    assert leaf.section == "C"
    assert IndustryCode.objects.get(code="C").children.filter(code="26").exists()


def test_loading_twice_gives_the_same_counts():
    assert load_industry_codes() == 1971
    assert load_industry_codes() == 1971
    assert level_counts() == EXPECTED


def test_loading_into_an_empty_table_rebuilds_the_tree():
    for level in ("class", "group", "division", "section"):  # children first: parents are protected
        IndustryCode.objects.filter(level=level).delete()
    assert not IndustryCode.objects.exists()
    assert load_industry_codes() == 1971
    assert level_counts() == EXPECTED
    assert IndustryCode.objects.get(code="2614").parent_id == "261"


def test_loading_restores_an_edited_name():
    IndustryCode.objects.filter(code="2614").update(name="被改过的名称")
    load_industry_codes()
    assert IndustryCode.objects.get(code="2614").name == read_name("2614")


def read_name(code):
    return next(row["name"] for row in read_industry_rows() if row["code"] == code)


def test_management_command_reports_the_number_loaded(capsys):
    call_command("load_industry_codes")
    assert "1971" in capsys.readouterr().out


def test_file_with_an_orphan_code_is_refused(tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text(
        DATA_FILE.read_text(encoding="utf-8") + "9999,小类,不存在的上级,999,T\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="9999"):
        load_industry_codes(broken)
    assert IndustryCode.objects.filter(code="9999").count() == 0


@pytest.mark.parametrize(
    ("code", "division"),
    [("2614", "26"), ("261", "26"), ("26", "26"), ("0111", "01"), ("C", None), ("", None), (None, None)],
)
def test_industry_division_of_any_code(code, division):
    assert industry_division(code) == division
