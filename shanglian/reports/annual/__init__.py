"""年度工作报告: the annual work report of a federation as a Word document in the GB/T 9704 公文 layout and an xlsx of
every figure.

- `outline.py` — what the report says: its sections and sentences, each written from named figures only.
- `context.py` — the figures of the year read through `values.measure` (the catalogue's entries, so the workbook and
  the report agree) into the template's context: sentences, tables by area, a city's districts side by side.
- `charts.py` — the charts as PNG (matplotlib, Agg, the CJK font found by family).
- `generate.py` — `generate_report(run)`: the whole generation with its progress on the `ReportRun`, the files kept
  under MEDIA_ROOT/reports/; `render(template, context)` and `check_template(file)` (a replacement template must
  render a sample context).
"""
