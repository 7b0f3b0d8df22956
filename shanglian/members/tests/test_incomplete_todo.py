"""The 工作台 todo 信息不完整的企业: it counts the enterprises of the user's scope lacking 联系人, 街道 or 从业人数
(the list filter's rule, `models.incomplete_enterprise_q`), and on SQLite it is answered from the partial
index `enterprise_incomplete` rather than by walking every enterprise of the federation."""

import pytest
from django.db import connection

from shanglian import testing
from shanglian.members import selectors
from shanglian.members.todos import incomplete_enterprises


@pytest.fixture
def gaps(cast):
    return [testing.make_enterprise(cast.district, name="缺联系人有限公司", contact_name=""),
            testing.make_enterprise(cast.district, name="缺人数有限公司", employees=None),
            testing.make_enterprise(cast.other, name="南开缺联系人有限公司", contact_name="")]


def _incomplete(user):
    return set(selectors.enterprise_list(user, filters={"incomplete": "on"}).values_list("pk", flat=True))


def test_the_todo_counts_what_the_list_filter_lists_in_the_users_scope(cast, gaps):
    staff = cast.users.staff
    listed = _incomplete(staff)
    assert {gaps[0].pk, gaps[1].pk} <= listed and gaps[2].pk not in listed
    [todo] = incomplete_enterprises(staff)
    assert todo.count == len(listed) and todo.url.endswith("?incomplete=on")
    assert [t.count for t in incomplete_enterprises(cast.users.outsider_staff)] == [len(_incomplete(cast.users.outsider_staff))]


def test_the_leader_sees_no_such_todo(cast, gaps):
    assert list(incomplete_enterprises(cast.users.leader)) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL chooses by its statistics")
def test_the_count_is_served_by_the_partial_index(cast, gaps):
    queryset = selectors.enterprises_visible_to(cast.users.staff).filter(selectors.incomplete_enterprise_q())
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ({sql})", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "enterprise_incomplete" in plan, plan
