"""签到表导入 pages: the shared import pages (`shanglian.imports.pages`) for the sign-in sheets of past
events. The organisers import (the federation's editors, and a chamber secretary for its chamber's
events), not only the editors as for the other kinds: the spec refuses a row of an event outside the
importer's scope."""

from shanglian.accounts.roles import ORGANISER_ROLES
from shanglian.imports.pages import ImportPages

from .imports import KIND, import_template

PAGES = ImportPages(
    kind=KIND, namespace="events", name="attendance_import", noun="签到表",
    breadcrumbs=(("活动管理", None), ("活动列表", "events:list"), ("导入签到表", None)),
    make_template=import_template, title="导入签到表",
    back_url="events:list", back_label="活动列表", notes_template="events/_import_notes.html",
    commit_note="每行记为一次人工签到，签到操作人为您；已签到的受邀人不会重复计数。",
    done_note="；已签到的人员不重复计数", roles=ORGANISER_ROLES,
)
