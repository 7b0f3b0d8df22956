"""政策导入 pages: the shared import pages (`shanglian.imports.pages`) for the policy spreadsheet. An import
never pushes a policy to enterprises (the pages say so)."""

from shanglian.imports.pages import ImportPages

from .imports import import_template

PAGES = ImportPages(
    kind="policies", namespace="policies", name="import", noun="惠企政策",
    breadcrumbs=(("惠企政策", "policies:list"), ("导入政策", None)),
    make_template=import_template, title="导入政策",
    back_url="policies:list", back_label="政策库", notes_template="policies/_import_notes.html",
    commit_note="导入不会向企业推送政策；导入后可在政策详情页推送。",
    done_note="（内容没有变化的政策保持原样）。导入未向企业推送任何政策",
)
