"""Build the shipped Word template of the annual work report, `shanglian/reports/data/annual_report_template.docx`,
in the GB/T 9704-2012 公文 layout, with the docxtpl tags `shanglian/reports/annual/context.py` fills in:

    .venv/bin/python scripts/build_report_template.py            # writes the template (commit its output)
    .venv/bin/python scripts/build_report_template.py --out X.docx

The layout (GB/T 9704-2012 §5): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (the 版心 156 × 225 mm);
22 lines of 28 characters — body 3号 (16 pt) 仿宋_GB2312 on an exact 28.9 pt line pitch; the title 2号 (22 pt)
方正小标宋简体 centred; first-level headings 黑体 (一、), second-level 楷体_GB2312 (（一）) at the start of a paragraph;
page numbers 4号 (14 pt) 宋体 "— 1 —" below the 版心, odd pages right and even pages left, one character in.
A font a computer lacks falls back through the font table's alternate name (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋,
楷体_GB2312 → 楷体), which Word and WPS use when the first is not installed.

The tags (docxtpl, Jinja2): `{{ title }}`, `{{ intro }}`, the sections (`{%p for section in sections %}`, each with
`section.heading` and `section.blocks` of `block.heading` + `block.text`), the signature (`federation_name`,
`date_text`), the attachments: one table per area (`{%p for area in areas %}` … `{%tr for row in area.rows %}`), the
charts (`{{ chart_members }}`, `{{ chart_appeals }}`, `{{ chart_donations }}` — InlineImages, or a line saying why
there is none) and, for a city, its districts side by side (`{%p if districts %}`). Staff may replace the template
through the UI (年度工作报告 → 模板) with one of their own using the same tags.
"""

import argparse
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "shanglian" / "reports" / "data" / "annual_report_template.docx"

# GB/T 9704-2012 measures
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16, 22, 14, 12
LINE_PITCH_PT = 28.9  # 22 lines in the 225 mm 版心
CHARS_PER_LINE = 28
# 28 characters of 16 pt in the 156 mm (442.2 pt) line: each condensed by 0.25 pt (28 × 15.75 = 441 pt).
CONDENSED_TWIPS = -5
LATIN = "Times New Roman"
# (the font the standard names, the one used when it is missing)
TITLE_FONT = ("方正小标宋简体", "宋体")
BODY_FONT = ("仿宋_GB2312", "仿宋")
HEADING_FONT = ("黑体", "SimHei")
SUBHEADING_FONT = ("楷体_GB2312", "楷体")
PAGE_NUMBER_FONT = ("宋体", "SimSun")
FALLBACKS = dict([TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_NUMBER_FONT])


def set_fonts(target, east_asian):
    """Set the East Asian font (and Times New Roman for Latin letters and digits) of a style or a run."""
    r_pr = target.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for name in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(name), LATIN)
    fonts.set(qn("w:eastAsia"), east_asian)


def paragraph_style(doc, name, *, font, size, bold=False, align=None, first_line_chars=0, exact=True,
                    before=0, after=0, keep_next=False):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style, font[0])
    style.font.size = Pt(size)
    style.font.bold = bold
    fmt = style.paragraph_format
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
    else:  # single spacing, off the 28.9 pt line grid (tables, pictures and their captions)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().append(snap)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Pt(size * first_line_chars) if first_line_chars else None
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    if align is not None:
        fmt.alignment = align
    return style


def add_fallback_fonts(doc):
    """Declare each font with its alternate name in the font table: Word takes the alternate when it lacks the font."""
    font_part = next(part for part in doc.part.package.iter_parts() if part.partname.endswith("fontTable.xml"))
    root = etree.fromstring(font_part.blob)
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    present = {f.get(qn("w:name")) for f in root.findall("w:font", ns)}
    for name, alternate in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternate)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "auto")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_document_grid(section):
    """The 版心's grid: 22 lines on a 28.9 pt pitch. The 28 characters of a line come from the body's type (16 pt,
    condensed by `CONDENSED_TWIPS`): a character grid (`charSpace`) is read differently by Word, WPS and LibreOffice."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def condense(style, twips):
    """Character spacing of a style in twentieths of a point (negative: condensed)."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    style.element.get_or_add_rPr().append(spacing)


def page_number(paragraph):
    """"— N —": an em dash, the PAGE field, an em dash."""
    def run(text=None):
        r = paragraph.add_run(text)
        set_fonts(r, PAGE_NUMBER_FONT[0])
        r.font.size = Pt(PAGE_NUMBER_PT)
        return r

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        r = run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        elif instruction:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            r._r.append(text)
        else:
            r.text = "1"
    run(" —")


def footers(doc, section):
    """Page numbers below the 版心 (GB/T 9704 §7.5): odd pages on the right, even pages on the left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer_distance = Mm(23)  # the number's rule 7 mm under the 版心 (bottom margin 35 mm)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        page_number(paragraph)


def add(doc, style, *runs):
    """A paragraph of `style` whose runs are `runs` (text, or (text, character font) for a run in another font);
    each docxtpl tag stays whole inside one run."""
    paragraph = doc.add_paragraph(style=style)
    for item in runs:
        text, font = (item, None) if isinstance(item, str) else item
        run = paragraph.add_run(text)
        if font is not None:
            set_fonts(run, font)
    return paragraph


def tag(doc, text):
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}): removed when the template renders."""
    return add(doc, "报告正文", text)


def cell_text(cell, text, *, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = cell.paragraphs[0]
    paragraph.style = "表格文字"
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.bold = bold
    if bold:
        set_fonts(run, HEADING_FONT[0])


def table(doc, headers, cells, loop, *, widths_mm):
    """A table with a header row, then the docxtpl row loop: `{%tr for … %}`, one row of `cells`, `{%tr endfor %}`."""
    grid = doc.add_table(rows=4, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, header in enumerate(headers):
        cell_text(grid.rows[0].cells[i], header, bold=True)
    first, body, last = grid.rows[1], grid.rows[2], grid.rows[3]
    first.cells[0].merge(first.cells[-1])
    cell_text(first.cells[0], f"{{%tr for {loop} %}}", align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, text in enumerate(cells):
        cell_text(body.cells[i], text, align=WD_ALIGN_PARAGRAPH.LEFT if i in (1,) else WD_ALIGN_PARAGRAPH.CENTER)
    last.cells[0].merge(last.cells[-1])
    cell_text(last.cells[0], "{%tr endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page
    header.append(repeat)
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)
    return grid


def page_break(doc):
    paragraph = doc.add_paragraph(style="报告正文")
    paragraph.add_run().add_break(WD_BREAK.PAGE)


def build():
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    set_document_grid(section)

    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT[0])
    normal.font.size = Pt(BODY_PT)
    paragraph_style(doc, "报告标题", font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, after=LINE_PITCH_PT)
    body = paragraph_style(doc, "报告正文", font=BODY_FONT, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                           first_line_chars=2)
    heading = paragraph_style(doc, "一级标题", font=HEADING_FONT, size=BODY_PT, first_line_chars=2, keep_next=True)
    for style in (body, heading):
        condense(style, CONDENSED_TWIPS)
    paragraph_style(doc, "署名", font=BODY_FONT, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph_style(doc, "附件标识", font=HEADING_FONT, size=BODY_PT, keep_next=True)
    paragraph_style(doc, "附件标题", font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    paragraph_style(doc, "表格标题", font=HEADING_FONT, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True,
                    before=12)
    paragraph_style(doc, "表格文字", font=BODY_FONT, size=TABLE_PT, exact=False)
    paragraph_style(doc, "图片", font=BODY_FONT, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False,
                    keep_next=True, before=6)
    paragraph_style(doc, "图题", font=SUBHEADING_FONT, size=TABLE_PT + 2, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False,
                    after=12)
    add_fallback_fonts(doc)
    footers(doc, section)

    # the report
    add(doc, "报告标题", "{{ title }}")
    add(doc, "报告正文", "{{ intro }}")
    tag(doc, "{%p for section in sections %}")
    add(doc, "一级标题", "{{ section.heading }}")
    tag(doc, "{%p for block in section.blocks %}")
    add(doc, "报告正文", ("{{ block.heading }}", SUBHEADING_FONT[0]), "{{ block.text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    add(doc, "报告正文", "")
    add(doc, "报告正文", "附件：1．{{ year }}年主要统计指标")
    add(doc, "报告正文", "　　　2．{{ year }}年主要统计图表")
    tag(doc, "{%p if districts %}")
    add(doc, "报告正文", "　　　3．{{ year }}年各区主要指标对比")
    tag(doc, "{%p endif %}")
    add(doc, "报告正文", "")
    add(doc, "署名", "{{ federation_name }}")
    add(doc, "署名", "{{ date_text }}")

    # 附件1: the statistics by area
    page_break(doc)
    add(doc, "附件标识", "附件1")
    add(doc, "附件标题", "{{ year }}年主要统计指标")
    add(doc, "报告正文", "{{ tables_note }}")
    tag(doc, "{%p for area in areas %}")
    add(doc, "表格标题", "{{ area.title }}")
    table(doc, ["序号", "指标", "数值", "同比", "说明"],
          ["{{ row.n }}", "{{ row.label }}", "{{ row.value }}", "{{ row.change }}", "{{ row.note }}"],
          "row in area.rows", widths_mm=(14, 46, 24, 32, 40))
    tag(doc, "{%p endfor %}")

    # 附件2: the charts
    page_break(doc)
    add(doc, "附件标识", "附件2")
    add(doc, "附件标题", "{{ year }}年主要统计图表")
    for slot, caption in (("chart_members", "图1　{{ year }}年底会员构成"),
                          ("chart_appeals", "图2　{{ year }}年各月受理诉求"),
                          ("chart_donations", "图3　{{ year }}年按公益项目的捐款捐物")):
        add(doc, "图片", f"{{{{ {slot} }}}}")
        add(doc, "图题", caption)

    # 附件3 (a city): its districts side by side
    tag(doc, "{%p if districts %}")
    page_break(doc)
    add(doc, "附件标识", "附件3")
    add(doc, "附件标题", "{{ year }}年各区主要指标对比")
    add(doc, "报告正文", "{{ districts.note }}")
    table(doc, ["地区", *[f"{{{{ districts.columns[{i}] }}}}" for i in range(6)]],
                 ["{{ row.name }}", *[f"{{{{ row.cells[{i}] }}}}" for i in range(6)]],
                 "row in districts.rows", widths_mm=(30, 21, 21, 21, 21, 21, 21))
    tag(doc, "{%p endif %}")
    return doc


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the shipped Word template of the annual work report.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    build().save(args.out)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
