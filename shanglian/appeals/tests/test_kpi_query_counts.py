"""The statistics page and the 工作台 KPI panel cost the same number of queries whatever the number of
appeals, departments, categories and enterprises (issue 19): a test of the count, never of a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shanglian.appeals.models import Status

from .factories import make_appeal

STATISTICS = reverse("appeals:statistics")
HOME = "/"


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_data(cast):
    """Appeals of every stage, in several categories, for two departments and both chambers' members."""
    for n, status in enumerate([Status.SUBMITTED, Status.REJECTED, Status.ASSIGNED, Status.HANDLING,
                                Status.REPLIED, Status.CLOSED, Status.REOPENED]):
        other = status in (Status.REJECTED, Status.HANDLING)  # chamber2's member, registered by the desk
        make_appeal(cast, status, departments=[cast.dept1, cast.dept2] if n % 2 else [cast.dept1],
                    category_code=["finance", "consult", "complaint", "suggestion"][n % 4],
                    enterprise=cast.ent2 if other else cast.ent1, actor=cast.users.staff if other else None)


@pytest.mark.parametrize("url", [STATISTICS, HOME])
@pytest.mark.parametrize("role", ["staff", "leader", "chamber1", "dept1"])
def test_the_kpi_pages_cost_the_same_queries_with_more_appeals(cast, login, role, url):
    if url == STATISTICS and role == "leader":
        role = "staff"
    client = login(getattr(cast.users, role))
    make_appeal(cast, Status.CLOSED)
    client.get(url)  # warm the caches (role, federations in scope)
    few = _queries(client, url)
    _more_data(cast)
    assert _queries(client, url) == few
