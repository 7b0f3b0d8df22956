"""Money, once for the project: an amount in Chinese capitals (人民币大写, `common.money.rmb_capitals`), in yuan
with thousands separators (`yuan_text`), and an amount typed into an Excel cell (`excel.parse_money`, the
"money" column kind) — normalised or refused with the row number."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from shanglian.common.excel import Column, ImportSpec, convert, parse_money, run_import, template_xlsx
from shanglian.common.money import fen, rmb_capitals, yuan_text


# --- 人民币大写 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("amount", "capitals"), [
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.50", "伍角"),
    ("0.56", "伍角陆分"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("1.05", "壹元零伍分"),
    ("20.10", "贰拾元壹角"),
    ("105", "壹佰零伍元整"),
    ("1234.50", "壹仟贰佰叁拾肆元伍角"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("10005", "壹万零伍元整"),
    ("10000.01", "壹万元零壹分"),
    ("100000", "壹拾万元整"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    ("6580000", "陆佰伍拾捌万元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("1000000000", "壹拾亿元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
], ids=lambda value: str(value))
def test_an_amount_is_written_in_chinese_capitals_by_the_payment_rules(amount, capitals):
    assert rmb_capitals(Decimal(amount)) == capitals
    assert rmb_capitals(amount) == capitals


def test_capitals_round_to_the_fen_accept_ints_and_refuse_what_is_not_an_amount():
    assert rmb_capitals(Decimal("0.005")) == "壹分"  # half up, as everywhere money is rounded
    assert rmb_capitals(12) == "壹拾贰元整"
    assert rmb_capitals("-3.5") == "负叁元伍角"
    for bad in ("abc", "NaN", Decimal("Infinity"), Decimal(10) ** 12):
        with pytest.raises(ValueError):
            rmb_capitals(bad)


def test_a_sum_read_from_the_database_is_brought_back_to_the_fen():
    assert fen(Decimal("1234.57000000000")) == Decimal("1234.57")
    assert fen(Decimal("1234.56999999999")) == Decimal("1234.57")
    assert fen(12) == Decimal("12.00") and fen(None) == Decimal("0.00")
    with pytest.raises(TypeError):
        fen(1234.57)


def test_yuan_text_groups_thousands_to_the_fen():
    assert yuan_text(Decimal("1234.5")) == "1,234.50"
    assert yuan_text(Decimal("6580000")) == "6,580,000.00"
    assert yuan_text(0) == "0.00"
    assert yuan_text(None) == ""


# --- an amount typed into a cell ----------------------------------------------------------------------------
@pytest.mark.parametrize(("cell", "expected"), [
    ("1,234.50", "1234.50"),
    ("１２３４", "1234.00"),  # full-width digits
    ("１，２３４．５", "1234.50"),  # full-width separators and point
    ("1.5万元", "15000.00"),
    ("12万", "120000.00"),
    ("1.2345万", "12345.00"),
    ("1.234567万元", "12345.67"),
    ("¥1,234", "1234.00"),
    ("￥12.5元", "12.50"),
    (" 12 元 ", "12.00"),
    ("0", "0.00"),
    (1234.5, "1234.50"),  # a number cell (calamine gives floats)
    (0.1 + 0.2, "0.30"),  # a formula's binary noise is not a third decimal place
    (7, "7.00"),
], ids=["separators", "full-width", "full-width-punctuation", "wan-yuan", "wan", "wan-to-the-yuan",
        "wan-to-the-fen", "yen-sign", "full-width-yen", "spaces", "zero", "float", "float-noise", "int"])
def test_an_amount_cell_is_normalised_to_yuan_and_fen(cell, expected):
    assert parse_money(cell) == Decimal(expected)
    assert convert(Column("amount", "金额", kind="money"), cell) == Decimal(expected)


@pytest.mark.parametrize(("cell", "reason"), [
    ("abc", "应为金额"),
    ("NaN", "应为金额"),
    (float("nan"), "应为金额"),
    ("Infinity", "应为金额"),
    ("1e5", "应为金额"),
    ("五百元", "应为金额"),
    (True, "应为金额"),
    ("-5", "不能为负数"),
    (-5.0, "不能为负数"),
    ("1,5", "千分位分隔符的位置不对"),
    ("1.234", "金额最多精确到分"),
    ("1.2345678万元", "金额最多精确到分"),
    ("1000000000000", "金额过大"),
    (1e20, "金额过大"),
], ids=["text", "nan-text", "nan-float", "infinity", "exponent", "chinese-numerals", "bool", "negative",
        "negative-float", "misplaced-separator", "three-places", "three-places-after-wan", "too-large", "huge-float"])
def test_anything_else_is_refused_with_a_chinese_reason(cell, reason):
    with pytest.raises(ValueError, match=reason):
        parse_money(cell)


def test_empty_is_nothing_and_a_column_limit_is_kept():
    assert parse_money("") is None and parse_money("   ") is None and parse_money(None) is None
    with pytest.raises(ValueError, match="不能超过 100.00 元"):
        convert(Column("amount", "金额", kind="money", max_value=Decimal(100)), "100.01")


class AmountSpec(ImportSpec):
    title = "金额"
    columns = [Column("name", "名称", required=True), Column("amount", "金额（元）", kind="money", required=True)]

    def commit(self, batch):
        self.written = [(row, v["amount"]) for row, v in batch]
        return len(batch), 0


@pytest.mark.django_db
def test_the_pipeline_names_the_row_of_each_refused_amount_and_writes_nothing(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "金额（元）"])
    for name, amount in (("甲", "1,234.50"), ("乙", "１２３４"), ("丙", "1.5万元"), ("丁", "abc"), ("戊", "NaN"),
                         ("己", "-5"), ("庚", 88.8)):
        sheet.append([name, amount])
    path = tmp_path / "amounts.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())

    spec = AmountSpec()
    report = run_import(spec, path, dry_run=False)
    assert not report.committed and report.summary == "共 7 条，成功 4 条，失败 3 条"
    assert [(e.row, e.column, e.reason.split("，")[0]) for e in report.errors] == [
        (5, "金额（元）", "应为金额"), (6, "金额（元）", "应为金额"), (7, "金额（元）", "不能为负数")]
    assert str(report.errors[2]) == "第 7 行【金额（元）】不能为负数"

    spec = AmountSpec()
    report = run_import(spec, path, dry_run=False, valid_only=True)
    assert report.committed and spec.written == [(2, Decimal("1234.50")), (3, Decimal("1234.00")),
                                                 (4, Decimal("15000.00")), (8, Decimal("88.80"))]


def test_the_template_says_how_an_amount_is_written():
    from openpyxl import load_workbook

    guide = load_workbook(io.BytesIO(template_xlsx(AmountSpec())))["填写说明"]
    rows = {row[0]: row[2] for row in guide.iter_rows(values_only=True) if row and row[0]}
    assert rows["金额（元）"].startswith("金额（元），如 1234.50")


def test_a_form_takes_an_amount_as_the_import_does():
    from shanglian.common.forms import Form, MoneyField

    class GiftForm(Form):
        amount = MoneyField(label="捐款金额（元）")

    for typed, expected in (("1,234.50", Decimal("1234.50")), ("１２３４", Decimal("1234.00")),
                            ("1.5万元", Decimal("15000.00")), ("", None)):
        form = GiftForm({"amount": typed})
        assert form.is_valid() and form.cleaned_data["amount"] == expected, typed
    for typed, error in (("-5", "捐款金额（元）：不能为负数。"), ("1.234", "捐款金额（元）：金额最多精确到分（两位小数）。"),
                         ("1" * 41, "捐款金额（元）：不能超过 40 个字符。")):
        form = GiftForm({"amount": typed})
        assert not form.is_valid() and form.errors["amount"] == [error], typed
    assert GiftForm(initial={"amount": Decimal("12.50")})["amount"].value() == Decimal("12.50")
