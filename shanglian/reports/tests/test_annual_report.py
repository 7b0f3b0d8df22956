"""The annual work report as generated: the Word document holds the figures of a hand-built year (counted by hand
here), "无数据" with its reason where a figure cannot be computed, the GB/T 9704 layout, the charts, a city's districts
side by side; the run's progress reaches 100 and it ends done with its files; the xlsx holds every figure."""

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.common.periods import Period
from shanglian.reports.annual import charts, generate
from shanglian.reports.annual.context import Book, build, donations_chart
from shanglian.reports.models import ReportRun, ReportTemplate
from shanglian.reports.services.annual import request_report
from shanglian.ui import figures as registry

from .annual_data import YEAR, build_year


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def report_text(document):
    return "\n".join(p.text for p in document.paragraphs)


def table_rows(document):
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def generated(run):
    assert run.status == ReportRun.Status.DONE, run.error
    return Document(str(generate.stored_path(run.docx_name)))


@pytest.fixture
def year(cast):
    return build_year(cast)


def test_the_report_holds_the_figures_of_the_year_counted_by_hand(cast, year):
    run = request_report(actor=cast.users.staff, federation=cast.district, year=YEAR)
    text = report_text(generated(run))
    # in force at 2025-12-31: the cast's ent1, ent2 + the two firms of 2025 (the firm that left does not count);
    # chamber1 as 团体会员; person1 as 个人会员 — 4 + 1 + 1 = 6; joined in 2025: 2
    assert "截至2025年底，全区有工商联会员6个，其中企业会员4个、团体会员1个、个人会员1个；全年新入会会员2个" in text
    # at 2024-12-31: ent1, ent2, the firm that later left, person1, chamber1 = 5 → (6 − 5) ÷ 5 = 20.0%
    assert "会员增长率20.0%" in text
    # two donor enterprises (ent1 gave twice, to two campaigns: counted once); 10000 + 5000 + 20000 元 = 3.50 万元;
    # 南开区's gift is not 河西区's
    assert "全年2家民营企业捐款捐物3.50万元，其中捐款3.00万元、捐物折价0.50万元" in text
    # three target villages, two paired → 2 ÷ 3 = 66.7%
    assert "帮扶目标村3个，已结对2个，结对覆盖率66.7%" in text
    # the external figure as entered, with its unit
    assert "全区民营经济增加值312.5亿元" in text
    assert text.startswith("河西区工商联2025年度工作报告")


def test_a_figure_that_cannot_be_computed_reads_no_data_with_its_reason(cast, year):
    run = request_report(actor=cast.users.staff, federation=cast.district, year=YEAR)
    document = generated(run)
    text = report_text(document)
    # no appeal at all: a satisfaction score over nothing is no data, never 0
    assert "企业满意度（无数据：统计期内没有可据以计算的记录" in text
    assert "企业满意度0" not in text
    # an external indicator not entered
    assert "民营企业（无数据：尚未录入2025年的数值" in text
    rows = {row[1]: row for row in table_rows(document) if len(row) == 5}
    assert rows["满意度"][2] == "无数据" and rows["满意度"][4].startswith("无数据：")
    assert rows["会员总数"][2] == "6个"
    assert rows["民营经济增加值"][4] == "外部数据，来源：区统计局"


def test_progress_reaches_100_and_the_run_is_done_with_both_files(cast, year):
    run = request_report(actor=cast.users.staff, federation=cast.district, year=YEAR, enqueue=False)
    assert run.status == ReportRun.Status.QUEUED and run.progress == 0
    seen = []
    run = generate.generate_report(run, progress=lambda percent, step: seen.append((percent, step)))
    assert run.status == ReportRun.Status.DONE and run.progress == 100 and run.step == "已完成"
    assert run.finished_at is not None and run.error == ""
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100 and len(percents) > 10
    assert any(step.startswith("计算指标：") for _, step in seen)
    assert generate.stored_path(run.docx_name).exists() and generate.stored_path(run.xlsx_name).exists()


def test_the_xlsx_lists_every_figure_with_its_definition(cast, year):
    run = request_report(actor=cast.users.staff, federation=cast.district, year=YEAR)
    sheet = load_workbook(io.BytesIO(generate.stored_path(run.xlsx_name).read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_key = {row[header.index("指标代码")]: row for row in rows[1:]}
    assert by_key["members.in_force"][header.index("数值")] == 6
    assert by_key["welfare.donor_enterprises"][header.index("数值")] == 2
    assert by_key["appeals.satisfaction_score"][header.index("数值")] == "无数据"
    assert by_key["members.in_force"][header.index("口径")]
    assert set(registry.registered()) <= set(by_key)  # every registered figure, by its key


def test_the_document_is_laid_out_as_gbt_9704(cast, year):
    document = generated(request_report(actor=cast.users.staff, federation=cast.district, year=YEAR))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for side, expected in (("top_margin", 37), ("bottom_margin", 35), ("left_margin", 28), ("right_margin", 26)):
        assert abs(getattr(section, side).mm - expected) < 0.1, side
    title = document.paragraphs[0]
    assert title.style.name == "报告标题" and title.style.font.size.pt == 22
    assert title.style.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    body = document.styles["报告正文"]
    assert body.font.size.pt == 16
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(body.paragraph_format.line_spacing.pt - 28.9) < 0.05
    headings = [p for p in document.paragraphs if p.style.name == "一级标题"]
    assert headings and headings[0].text.startswith("一、") and headings[0].style.font.size.pt == 16
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —") and "PAGE" in footer._p.xml
    font_table = next(p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml"))
    assert "仿宋_GB2312" in font_table.blob.decode() and 'w:val="仿宋"' in font_table.blob.decode()


def test_the_charts_are_images_and_a_chart_without_data_says_why(cast, year):
    document = generated(request_report(actor=cast.users.staff, federation=cast.district, year=YEAR))
    assert len(document.inline_shapes) == 2  # members by kind, donations by campaign
    assert "（无数据：统计期内没有受理的诉求，未绘制图表。）" in report_text(document)


def test_without_a_cjk_font_the_report_says_the_font_is_missing(cast, year, monkeypatch):
    monkeypatch.setattr(charts, "cjk_font_path", lambda: None)
    document = generated(request_report(actor=cast.users.staff, federation=cast.district, year=YEAR))
    assert len(document.inline_shapes) == 0
    assert report_text(document).count("图表字体缺失") == 2


def test_the_chart_font_is_found_by_family():
    assert charts.cjk_font_path() is not None
    png = charts.draw(charts.Bars(("企业会员", "团体会员"), (Decimal("4"), 1), "个"))
    assert png.startswith(b"\x89PNG")


def test_the_donations_chart_reads_each_campaign_through_its_figure(cast, year):
    bars = donations_chart(Book(cast.users.staff, Period.year(YEAR)))
    assert dict(zip(bars.categories, bars.values, strict=True)) == {
        "春芽基金": Decimal("0.50"), "抗洪救灾": Decimal("1.00"), "未归入公益项目": Decimal("2.00")}


def test_a_city_report_shows_its_districts_side_by_side_and_their_sum(cast, year):
    city_staff = testing.make_user(Role.STAFF, username="citystaff", federation=cast.city)
    document = generated(request_report(actor=city_staff, federation=cast.city, year=YEAR))
    rows = {row[0]: row for row in table_rows(document) if len(row) == 7}
    assert rows["地区"][1] == "会员总数（个）"
    # 河西区 6 members, 南开区 1 (ent_other) → 全市 7
    assert rows["河西区工商联"][1] == "6" and rows["南开区工商联"][1] == "1" and rows["全市合计"][1] == "7"
    text = report_text(document)
    assert "天津市工商联2025年度工作报告" in text and "截至2025年底，全市有工商联会员7个" in text


def test_a_district_report_has_no_comparison_of_districts(cast, year):
    document = generated(request_report(actor=cast.users.staff, federation=cast.district, year=YEAR))
    assert not [row for row in table_rows(document) if row and row[0] == "地区"]
    assert "各区主要指标对比" not in report_text(document)


def test_a_city_user_may_write_one_districts_report(cast, year):
    city_staff = testing.make_user(Role.STAFF, username="citystaff2", federation=cast.city)
    document = generated(request_report(actor=city_staff, federation=cast.district, year=YEAR))
    assert "截至2025年底，全区有工商联会员6个" in report_text(document)


def test_a_lost_template_file_fails_the_run_with_the_reason_and_leaves_no_file(cast, year, media):
    template = ReportTemplate.objects.create(federation=cast.district, original_name="自制模板.docx",
                                             stored_name="gone", content_type="x", size=1, sha256="0")
    run = request_report(actor=cast.users.staff, federation=cast.district, year=YEAR)
    assert run.template == template
    assert run.status == ReportRun.Status.FAILED and run.error == generate.TEMPLATE_LOST
    assert run.docx_name == "" and not list((media / "reports").glob("*.docx"))


def test_context_sentences_use_only_registered_or_external_figures(cast, db):
    from shanglian.reports import values
    from shanglian.reports.annual import outline

    for key, _ in outline.figure_keys():
        assert values.spec(key) is not None, key


def test_build_reports_each_area_in_turn(cast, year):
    steps = []
    context = build(Book(cast.users.staff, Period.year(YEAR)), progress=lambda percent, step: steps.append(step))
    assert context["title"] == "河西区工商联2025年度工作报告" and context["districts"] is None
    assert [area["title"] for area in context["areas"]][0] == "表1　会员发展"
    assert "计算指标：光彩公益" in steps
