"""The shipped Word template: built by scripts/build_report_template.py (the committed file is its output), in the
GB/T 9704 layout, with the tags the report's context fills; it renders the sample context."""

import importlib.util
from pathlib import Path

from docx import Document
from docx.enum.text import WD_LINE_SPACING

from shanglian.reports.annual import generate
from shanglian.reports.annual.context import sample_context

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_report_template.py"


def load_script():
    spec = importlib.util.spec_from_file_location("build_report_template", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def paragraphs(document):
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_the_committed_template_is_the_scripts_output(tmp_path):
    out = tmp_path / "built.docx"
    load_script().main(["--out", str(out)])
    assert paragraphs(Document(str(out))) == paragraphs(Document(str(generate.SHIPPED_TEMPLATE)))
    built, shipped = Document(str(out)), Document(str(generate.SHIPPED_TEMPLATE))
    assert [[c.text for c in r.cells] for t in built.tables for r in t.rows] == \
        [[c.text for c in r.cells] for t in shipped.tables for r in t.rows]


def test_the_template_has_the_gbt_9704_page_and_type():
    document = Document(str(generate.SHIPPED_TEMPLATE))
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
            round(section.right_margin.mm)) == (37, 35, 28, 26)
    styles = document.styles
    assert styles["报告标题"].font.size.pt == 22 and styles["报告正文"].font.size.pt == 16
    assert styles["报告正文"].paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    grid = section._sectPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid")
    assert grid.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}linePitch") == "578"
    assert document.settings.odd_and_even_pages_header_footer
    assert section.even_page_footer.paragraphs[0].text.startswith("— ")


def test_the_template_carries_the_tags_of_the_context():
    text = "\n".join(text for _, text in paragraphs(Document(str(generate.SHIPPED_TEMPLATE))))
    for tag in ("{{ title }}", "{%p for section in sections %}", "{{ block.text }}", "{{ chart_members }}",
                "{{ chart_appeals }}", "{{ chart_donations }}", "{%p for area in areas %}", "{%p if districts %}"):
        assert tag in text, tag


def test_the_shipped_template_renders_the_sample_context():
    rendered = generate.render(generate.SHIPPED_TEMPLATE, sample_context())
    assert rendered.startswith(b"PK")
