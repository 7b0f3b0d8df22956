"""The Excel pipeline, entity-agnostic: a toy spec imports dictionary items (DictItem), so every
behaviour is shown without the member import around it."""

import io
import struct
import time
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from shanglian.common import excel
from shanglian.common.excel import (
    Column,
    ExcelError,
    ImportSpec,
    attachment_response,
    convert,
    error_report_xlsx,
    export_filename,
    export_workbook,
    export_xlsx,
    insert_rows,
    parse_date,
    run_import,
    template_xlsx,
    update_rows,
    xlsx_open,
)
from shanglian.common.models import DictItem

KIND = "toy"
COLUMNS = [
    Column("code", "编码", required=True, kind="code", max_length=20, example="A01"),
    Column("label", "名称", required=True, max_length=20, aliases=("名字",)),
    Column("order", "排序", kind="int", max_value=1000),
    Column("colour", "颜色", kind="choice", choices={"红色": "red", "绿色": "green"}),
    Column("active", "启用", kind="bool"),
    Column("since", "启用日期", kind="date"),
    Column("price", "价格", kind="decimal", decimal_places=2),
]
HEADERS = ["*编码", "名称 *", "排序", "颜色", "启用", "启用日期", "价格"]


class ToySpec(ImportSpec):
    """Writes DictItem rows of kind "toy"; label "坏" is refused by the row hook."""

    title = "字典项"
    columns = COLUMNS
    batch_size = 2

    def __init__(self):
        super().__init__()
        self.batches = []

    def clean_row(self, values, failed):
        if values["label"] == "坏":
            return [("名称", "名称不能是“坏”")]
        return []

    def natural_key(self, values):
        return values["code"]

    def commit(self, batch):
        self.batches.append([row for row, _ in batch])
        existing = set(DictItem.objects.filter(kind=KIND).values_list("code", flat=True))
        new = [DictItem(kind=KIND, code=v["code"], label=v["label"], order=v["order"] or 0,
                        is_active=v["active"] is not False) for _, v in batch if v["code"] not in existing]
        DictItem.objects.bulk_create(new)
        return len(new), len(batch) - len(new)


def book(rows, *, headers=HEADERS, title_rows=(), sheet_title="字典项"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for title in title_rows:
        sheet.append([title])
    if title_rows:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def xlsx(tmp_path):
    def write(content, name="toy.xlsx"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else book(content))
        return path
    return write


def toys():
    return DictItem.objects.filter(kind=KIND)


# --- Reading, header detection, row numbers ----------------------------------------------------------
def test_header_is_found_under_merged_title_rows_with_marks_spaces_and_aliases(db, xlsx):
    content = book([["A01", "甲", 1], [], ["A02", "乙", 2], [None, "  "], ["A03", "丙", 3]],
                   headers=["*编码", "名 字", "排序"], title_rows=["某某单位字典项导入表", "（2026 年）"])
    report = run_import(ToySpec(), xlsx(content), dry_run=True)
    assert report.total == 3 and report.failed == 0  # blank rows are skipped, not counted
    assert report.headers == ["编码", "名称", "排序"]


def test_excel_row_numbers_count_title_and_blank_rows(db, xlsx):
    content = book([["A01", "甲"], [], ["A02", "坏"], [], [], ["", "丁"]], title_rows=["标题"])
    report = run_import(ToySpec(), xlsx(content), dry_run=True)
    # row 1 title, row 2 header, rows 3.. data: the bad rows are 5 and 8
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (5, "名称", "名称不能是“坏”"), (8, "编码", "不能为空")]
    assert str(report.errors[1]) == "第 8 行【编码】不能为空"


def test_missing_required_column_is_named(db, xlsx):
    with pytest.raises(ExcelError, match="缺少必需的列：名称"):
        run_import(ToySpec(), xlsx(book([["A01"]], headers=["编码", "排序"])))


@pytest.mark.parametrize(("content", "message"), [
    (book([], headers=[]), "工作表是空的"),
    (book([["x", "y"]], headers=["甲", "乙"]), "未找到表头行"),
    (book([], headers=HEADERS), "没有数据"),
    (book([["A01", "甲", "甲"]], headers=["编码", "名称", "名字"]), "出现了不止一次"),
], ids=["empty", "no-header", "no-rows", "repeated-column"])  # ids, not the bytes: they hold a zip timestamp
def test_unusable_sheets_get_a_chinese_message(db, xlsx, content, message):
    with pytest.raises(ExcelError, match=message):
        run_import(ToySpec(), xlsx(content))


def test_the_sheet_named_like_the_spec_is_preferred_and_hidden_sheets_are_ignored(db, xlsx):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "说明"
    notes.append(["请按模板填写"])
    hidden = workbook.create_sheet("旧数据")
    hidden.sheet_state = "hidden"
    hidden.append(HEADERS)
    hidden.append(["OLD", "旧"])
    data = workbook.create_sheet("字典项")
    data.append(HEADERS)
    data.append(["A01", "甲"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run_import(ToySpec(), xlsx(buffer.getvalue()), dry_run=False)
    assert list(toys().values_list("code", flat=True)) == ["A01"] and report.committed


# --- Normalisation ---------------------------------------------------------------------------------
CODE = Column("c", "代码", kind="code")


def test_codes_typed_as_numbers_come_back_as_text():
    assert convert(CODE, 13800138000.0) == "13800138000"
    assert convert(Column("i", "行业代码", kind="code", zero_pad=4), 111.0) == "0111"
    assert convert(CODE, " 9112 0103 ") == "91120103"
    assert convert(CODE, "'0012") == "0012"  # an apostrophe typed to force text


@pytest.mark.parametrize("raw", [9.1110000600037e17, "9.1110000600037E+17", "9.11E+17"])
def test_codes_in_scientific_notation_are_refused(raw):
    with pytest.raises(ValueError, match="科学计数法，请将该列设为文本格式后重新填写"):
        convert(CODE, raw)


def test_a_code_with_a_letter_e_is_not_scientific_notation():
    assert convert(CODE, "911201031234567E12") == "911201031234567E12"


def test_text_is_nfkc_normalised_and_trimmed():
    text = Column("t", "名称", max_length=10)
    assert convert(text, "\u3000ＡＢＣ  公司\u200b ") == "ABC 公司"
    assert convert(text, "   ") is None
    with pytest.raises(ValueError, match="不能超过 10 个字符"):
        convert(text, "一二三四五六七八九十一")


@pytest.mark.parametrize("raw", ["2021-03-05", "2021/3/5", "2021.3.5", "2021年3月5日", "２０２１年３月５日",
                                 "2021-03-05 00:00:00", "20210305", 44260.0, date(2021, 3, 5),
                                 datetime(2021, 3, 5, 10, 30)])
def test_dates_in_every_format(raw):
    assert parse_date(raw) == date(2021, 3, 5)


@pytest.mark.parametrize(("raw", "message"), [("2021-02-30", "日期不存在"), ("3/5/2021", "日期格式不正确"),
                                              ("1800-01-01", "日期超出范围"), (-3.0, "日期格式不正确")])
def test_bad_dates_say_why(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_date(raw)


def test_booleans_choices_and_numbers():
    flag = Column("b", "启用", kind="bool")
    assert [convert(flag, v) for v in ("是", "否", "Y", "n", "√", "×", True, 1.0)] == \
        [True, False, True, False, True, False, True, True]
    with pytest.raises(ValueError, match="应填写“是”或“否”"):
        convert(flag, "也许")
    colour = COLUMNS[3]
    assert convert(colour, " 红 色 ") == "red"
    with pytest.raises(ValueError, match="应为以下之一：红色、绿色"):
        convert(colour, "蓝色")
    number = COLUMNS[2]
    assert convert(number, 35.0) == 35 and convert(number, "1,000") == 1000
    for bad, message in ((3.5, "应为整数"), ("-1", "不能为负数"), ("1001", "不能大于 1000"), ("三", "应为整数")):
        with pytest.raises(ValueError, match=message):
            convert(number, bad)
    assert convert(COLUMNS[6], 12.345) == Decimal("12.35") and convert(COLUMNS[6], "1,200.5") == Decimal("1200.50")


def test_every_error_of_a_row_is_reported(db, xlsx):
    report = run_import(ToySpec(), xlsx([["", "一二三四五六七八九十" * 3, "x", "蓝色", "也许", "2021-13-01", "abc"]]))
    assert {e.column for e in report.errors} == {"编码", "名称", "排序", "颜色", "启用", "启用日期", "价格"}
    assert report.summary == "共 1 条，成功 0 条，失败 1 条"


# --- Runs ---------------------------------------------------------------------------------------------
ROWS = [["A01", "甲", 1], ["A02", "乙", 2], ["A03", "丙", 3], ["A04", "丁", 4], ["A05", "戊", 5]]


def test_dry_run_writes_nothing(db, xlsx):
    spec = ToySpec()
    report = run_import(spec, xlsx(ROWS), dry_run=True)
    assert report.summary == "共 5 条，成功 5 条，失败 0 条" and not report.committed
    assert spec.batches == [] and not toys().exists()


def test_commit_in_batches_with_progress(db, xlsx):
    spec, calls = ToySpec(), []
    report = run_import(spec, xlsx(ROWS), dry_run=False, progress=lambda done, total: calls.append((done, total)))
    assert report.committed and (report.created, report.updated) == (5, 0)
    assert spec.batches == [[2, 3], [4, 5], [6]]  # Excel rows, batch_size 2
    assert [done for done, _ in calls] == [2, 4, 5] and all(total >= 5 for _, total in calls)
    assert toys().count() == 5


def test_a_bad_row_after_committed_batches_rolls_everything_back(db, xlsx):
    spec = ToySpec()
    report = run_import(spec, xlsx([*ROWS, ["A06", "坏"]]), dry_run=False)
    assert spec.batches == [[2, 3], [4, 5]]  # written as checked …
    assert not report.committed and not toys().exists()  # … and rolled back: all or nothing
    assert report.summary == "共 6 条，成功 5 条，失败 1 条" and (report.created, report.updated) == (0, 0)


def test_valid_only_commits_the_valid_rows(db, xlsx):
    report = run_import(ToySpec(), xlsx([["A01", "甲"], ["A02", "坏"], ["A03", "丙"]]), dry_run=False, valid_only=True)
    assert report.committed and report.summary == "共 3 条，成功 2 条，失败 1 条"
    assert sorted(toys().values_list("code", flat=True)) == ["A01", "A03"]


def test_duplicates_in_the_file_name_the_first_row(db, xlsx):
    report = run_import(ToySpec(), xlsx([["A01", "甲"], ["A02", "乙"], ["A01", "丙"]]))
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(4, "", "与第 2 行重复")]


def test_hooks_may_be_passed_instead_of_subclassing(db, xlsx):
    written = []
    spec = ImportSpec(title="字典项", columns=COLUMNS[:2], natural_key=lambda v: v["code"],
                      commit=lambda batch: (written.extend(v["code"] for _, v in batch), (len(batch), 0))[1])
    report = run_import(spec, xlsx(ROWS), dry_run=False)
    assert report.created == 5 and written == ["A01", "A02", "A03", "A04", "A05"]


# --- Safe opening -------------------------------------------------------------------------------------
def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00\x03\x00\x00\x00 an exe renamed .xlsx",
    b"<html><body>not a workbook</body></html>",
    b"PK\x03\x04 truncated",
    _zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<Types/>"}),  # a .docx renamed
], ids=["exe", "html", "truncated-zip", "docx"])
def test_what_is_not_an_xlsx_is_refused_by_content(db, xlsx, content):
    with pytest.raises(ExcelError, match="不是有效的 Excel（.xlsx）文件"):
        run_import(ToySpec(), xlsx(content))


@pytest.fixture(scope="module")
def zip_bomb():
    """0.3 MB that inflates to 250 MB of zeros: more than MAX_UNCOMPRESSED_BYTES."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(250):
                member.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_is_refused_quickly_with_little_memory(db, xlsx, zip_bomb):
    assert len(zip_bomb) < 2 * 1024 * 1024
    path = xlsx(zip_bomb)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ExcelError, match="解压后过大"):
        run_import(ToySpec(), path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1 and peak < 5 * 1024 * 1024


def test_a_zip_lying_about_its_sizes_is_refused(db, xlsx, monkeypatch):
    """Declared sizes are checked first; then every entry is really inflated (bounded) and checked."""
    content = bytearray(_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>",
                              "xl/worksheets/sheet1.xml": b"<x/>" * 1_000_000}))
    name = b"xl/worksheets/sheet1.xml"
    local = content.find(b"PK\x03\x04" + content[4:6])  # first local header
    while content[local + 30:local + 30 + len(name)] != name:
        local = content.find(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", content, local + 22, 1000)  # local header: uncompressed size
    central = content.find(b"PK\x01\x02")
    while content[central + 46:central + 46 + len(name)] != name:
        central = content.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", content, central + 24, 1000)  # central directory: uncompressed size
    monkeypatch.setattr(xlsx_open, "MAX_UNCOMPRESSED_BYTES", 100_000)
    with pytest.raises(ExcelError, match="不是有效的 Excel"):
        run_import(ToySpec(), xlsx(bytes(content)))


def test_too_many_entries_and_too_big_files_are_refused(db, xlsx, monkeypatch):
    monkeypatch.setattr(xlsx_open, "MAX_ZIP_ENTRIES", 5)
    with pytest.raises(ExcelError, match="部件过多"):
        run_import(ToySpec(), xlsx(book(ROWS)))
    monkeypatch.setattr(xlsx_open, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ExcelError, match="文件超过"):
        run_import(ToySpec(), xlsx(book(ROWS)))


def test_billion_laughs_is_refused(db, xlsx):
    """Refused before any parser sees it: no XML part of an OOXML file may declare a DTD or entities."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">' for n in range(1, 10))
    original = zipfile.ZipFile(io.BytesIO(book(ROWS)))
    entries = {}
    for info in original.infolist():
        data = original.read(info)
        if info.filename == "xl/worksheets/sheet1.xml":
            data = (f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
                    + data.decode().replace("甲", "&lol9;")).encode()
        entries[info.filename] = data
    started = time.perf_counter()
    with pytest.raises(ExcelError, match="DTD/实体"):
        run_import(ToySpec(), xlsx(_zip(entries)))
    assert time.perf_counter() - started < 1


# --- Error report and template ------------------------------------------------------------------------
def test_error_report_lists_failed_rows_with_reasons_and_can_be_uploaded_again(db, xlsx):
    content = book([["A01", "甲", 1], ["A02", "坏", 2], [13800138000.0, "", "x"]], headers=["编码", "名称", "排序"])
    report = run_import(ToySpec(), xlsx(content))
    sheet = load_workbook(io.BytesIO(error_report_xlsx(report, ToySpec()))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("编码", "名称", "排序", "错误原因", "原 Excel 行号")
    assert rows[1][:3] == ("A02", "坏", "2") and rows[1][3] == "名称：名称不能是“坏”" and rows[1][4] == 3
    assert rows[2][0] == "13800138000" and "名称：不能为空" in rows[2][3] and "排序：应为整数" in rows[2][3]
    sheet["B2"], sheet["B3"], sheet["C3"] = "乙", "丙", "3"  # the user corrects the report …
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    again = run_import(ToySpec(), xlsx(buffer.getvalue(), "fixed.xlsx"), dry_run=False)  # … and uploads it
    assert again.summary == "共 2 条，成功 2 条，失败 0 条" and again.committed


def test_template_has_required_marks_dropdowns_from_a_hidden_sheet_and_text_code_columns(db):
    content = template_xlsx(ToySpec(), {"label": ["甲", "乙"]}, rows=50)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["字典项"]
    assert [c.value for c in sheet[1]] == ["*编码", "*名称", "排序", "颜色", "启用", "启用日期", "价格"]
    dictionary = workbook["字典"]
    assert dictionary.sheet_state == "hidden"
    columns = {dictionary.cell(row=1, column=c).value: [dictionary.cell(row=r, column=c).value for r in (2, 3)]
               for c in range(1, dictionary.max_column + 1)}
    assert columns == {"名称": ["甲", "乙"], "颜色": ["红色", "绿色"], "启用": ["是", "否"]}
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["D2:D51"] == "'字典'!$B$2:$B$3" and validations["B2:B51"] == "'字典'!$A$2:$A$3"
    assert sheet["A2"].number_format == "@" and sheet["A51"].number_format == "@"
    assert sheet.max_row == 51  # a bounded range, not a million formatted cells
    assert sheet["C2"].number_format != "@"
    guide = [row for row in workbook["填写说明"].iter_rows(values_only=True) if row[0] == "编码"]
    assert guide == [("编码", "是", "文本（代码，请勿转为数字）", None, "A01", None)]


def test_template_is_read_back_as_empty(db, xlsx):
    with pytest.raises(ExcelError, match="没有数据"):
        run_import(ToySpec(), xlsx(template_xlsx(ToySpec())))


# --- Exports ------------------------------------------------------------------------------------------
def test_export_neutralises_formulas_and_keeps_codes_as_text():
    rows = [["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "正常", 91120103, date(2026, 11, 22), 3]]
    headers = ["a", "b", "c", "d", "e", "f", "g", "统一社会信用代码", "日期", "数量"]
    sheet = load_workbook(io.BytesIO(export_xlsx(headers, rows, "名单", text_columns=["统一社会信用代码"]))).active
    values = [c.value for c in sheet[2]]
    assert values[:5] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx"]
    assert values[5].startswith("'")  # "\r" itself comes back escaped by openpyxl
    assert values[6] == "正常" and values[7] == "91120103" and values[9] == 3
    assert values[8] == datetime(2026, 11, 22) and sheet["I2"].number_format == "yyyy-mm-dd"
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_export_workbook_writes_several_sheets_in_constant_memory():
    content = export_workbook([("甲/乙:表", ["a"], ([i] for i in range(3000))), ("二", ["b"], [["x"]])])
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["甲乙表", "二"] and workbook["甲乙表"].max_row == 3001


def test_export_filename_and_attachment_headers():
    name = export_filename("会员企业名单", date(2026, 11, 22))
    assert name == "会员企业名单_20261122.xlsx"
    response = attachment_response(b"x", name)
    assert response["Content-Disposition"] == (
        "attachment; filename=\"export_20261122.xlsx\"; "
        "filename*=UTF-8''%E4%BC%9A%E5%91%98%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95_20261122.xlsx")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert 'filename="report_2026.xlsx"' in attachment_response(b"", "report_2026.xlsx")["Content-Disposition"]
    assert "\n" not in attachment_response(b"", "a\r\nb.xlsx")["Content-Disposition"]


# --- Fast writes --------------------------------------------------------------------------------------
def test_insert_and_update_rows_write_with_one_statement_each(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        insert_rows(DictItem, ["kind", "code", "label", "order", "is_active"],
                    [(KIND, "a", "甲", 1, True), (KIND, "b", "乙", 2, False)])
    a, b = toys().order_by("code")
    with django_assert_num_queries(1):
        update_rows(DictItem, ["label", "order"], [("甲一", 5, a.pk), (None, 9, b.pk)], keep_when_empty={"label"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.label, a.order, b.label, b.order, b.is_active) == ("甲一", 5, "乙", 9, False)


def test_insert_rows_encrypts_and_adapts_like_the_orm(cast):
    from django.utils import timezone

    from shanglian.members.models import Membership

    now = timezone.now()
    insert_rows(Membership, ["federation", "kind", "group", "number", "joined", "status", "left_reason",
                             "body_position", "created_at", "updated_at"],
                [(cast.district.pk, "group", cast.chamber2.pk, "X-1", date(2024, 3, 8), "active", "", "member",
                  now, now)])
    membership = Membership.objects.get(number="X-1")
    assert membership.joined == date(2024, 3, 8) and membership.created_at == now


def test_prose_columns_keep_paragraphs_and_full_width_punctuation():
    convert = excel.converter(excel.Column("full_text", "政策全文", kind="prose"))
    typed = "第一条　为支持科技型中小企业发展，制定本措施。  \r\n\r\n第二条　本措施自发布之日起施行（有效期三年）。\u200b\n"
    assert convert(typed) == "第一条　为支持科技型中小企业发展，制定本措施。\n\n第二条　本措施自发布之日起施行（有效期三年）。"
    assert convert("   ") is None
    text = excel.converter(excel.Column("title", "政策名称"))
    assert text("支持措施（试行）") == "支持措施(试行)"  # ordinary text columns are still NFKC-normalised
