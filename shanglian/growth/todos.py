"""The growth app's 待办: each links to a list of exactly the records it counts
(`workbench/tests/test_todo_links.py`). Sections are owned by the parts that count them."""

from shanglian.ui.todos import Todo, register  # noqa: F401

# --- prospects (发展会员) ---

# --- applications (入会申请) ---

# --- board (供需对接) ---
