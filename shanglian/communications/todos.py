"""The communications app's 待办: each links to a list of exactly the records it counts
(`workbench/tests/test_todo_links.py`). Sections are owned by the parts that count them."""

from shanglian.ui.todos import Todo, register  # noqa: F401


# --- notices (通知公告) ---


# --- surveys (问卷调查) ---
