"""会员导入 pages: the shared import pages (`shanglian.imports.pages`) for the member spreadsheet."""

from shanglian.imports.pages import ImportPages

from . import services

PAGES = ImportPages(
    kind="members", namespace="members", name="member_import", noun="会员",
    breadcrumbs=(("会员管理", None), ("工商联会员", "members:membership_list"), ("导入会员", None)),
    make_template=services.member_import_template, title="导入会员",
    back_url="members:membership_list", back_label="会员名单", notes_template="members/_import_notes.html",
)
