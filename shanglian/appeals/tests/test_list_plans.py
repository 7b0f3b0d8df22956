"""The appeal list's default sorts are read in index order (no sort of the federation's appeals to show 20),
newest first with the id breaking ties; the query count of the list does not depend on the rows."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shanglian import testing
from shanglian.appeals import selectors
from shanglian.appeals.models import Appeal
from shanglian.appeals.tests.factories import make_appeal
from shanglian.ui.listing import ordering

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


_plan = testing.sqlite_plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
@pytest.mark.parametrize(("queue", "index"), [("all", "appeal_list_fed_submitted"),
                                              ("pending_accept", "appeal_list_fed_st_submitted"),
                                              ("replied", "appeal_list_fed_st_submitted")])
def test_the_default_sort_of_a_queue_is_read_from_an_index_without_a_sort(cast, queue, index):
    queryset = selectors.appeal_list(cast.users.staff, filters={"queue": queue}).order_by(
        *ordering("-submitted_at"))[:20]
    plan = _plan(queryset)
    assert index in plan
    assert "TEMP B-TREE" not in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
def test_the_api_list_order_is_read_from_an_index_without_a_sort(cast):
    plan = _plan(selectors.appeal_list(cast.users.staff, filters={})[:20])  # the model's ordering
    assert "appeal_list_fed_submitted" in plan and "TEMP B-TREE" not in plan


@time_machine.travel(NOW, tick=False)
def test_appeals_submitted_at_the_same_moment_are_listed_newest_id_first(cast, login):
    appeals = [make_appeal(cast, title=f"同一时刻提交的诉求{i}") for i in range(3)]
    Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(submitted_at=NOW)
    page = login(cast.users.staff).get(reverse("appeals:list")).content.decode()
    positions = [page.index(f"同一时刻提交的诉求{i}") for i in range(3)]
    assert positions == sorted(positions, reverse=True)  # the last created (highest id) first


@time_machine.travel(NOW, tick=False)
def test_the_list_and_its_api_run_as_many_queries_for_3_appeals_as_for_30(cast, login):
    client = login(cast.users.staff)

    def counts():
        result = []
        for url in (reverse("appeals:list"), reverse("appeals:list") + "?queue=pending_accept",
                    "/api/v1/appeals/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    for i in range(3):
        make_appeal(cast, title=f"诉求{i}")
    few = counts()
    for i in range(27):
        make_appeal(cast, title=f"更多诉求{i}")
    assert counts() == few


@time_machine.travel(NOW, tick=False)
def test_the_callback_queue_ends_at_local_midnight_after_its_last_day(cast):
    from django.utils import timezone

    from shanglian.appeals.models import Status
    from shanglian.common.workdays import add_working_days

    on = NOW.date()
    limit = add_working_days(on, -selectors.CALLBACK_AFTER_WORKING_DAYS).date
    late, next_day = make_appeal(cast, Status.REPLIED), make_appeal(cast, Status.REPLIED)
    midnight = timezone.make_aware(datetime.datetime.combine(limit + datetime.timedelta(days=1), datetime.time()))
    Appeal.objects.filter(pk=late.pk).update(replied_at=midnight - datetime.timedelta(microseconds=1))
    Appeal.objects.filter(pk=next_day.pk).update(replied_at=midnight)
    in_queue = set(Appeal.objects.filter(selectors.queue_filter("callback", on)).values_list("pk", flat=True))
    assert in_queue == {late.pk}
