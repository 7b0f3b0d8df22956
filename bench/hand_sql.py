"""The best hand-written SQL for the rows of the main pages, as the staff user sees them (bench_pages.py).

Each returns what its page reads and is checked against the page's selector (the same ids in the same
order, the same figures); a mismatch is reported, not hidden. Plain SQL both SQLite and PostgreSQL run.
"""

import time

PER_PAGE = 20


def _fetch(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in(values):
    return ", ".join(["%s"] * len(values))


def appeals_first_page(federations):
    """诉求办理, the 全部 queue's first page: the count, 20 rows with enterprise and category, their departments."""
    where = f"a.federation_id IN ({_in(federations)})"
    total = _fetch(f"SELECT COUNT(*) FROM appeals_appeal a WHERE {where}", federations)[0][0]  # noqa: S608
    rows = _fetch(
        "SELECT a.id, a.number, a.title, e.name, c.name, a.channel, a.submitted_at, a.deadline, a.status, "
        "a.is_supervised, a.rating FROM appeals_appeal a "
        "JOIN members_enterprise e ON e.id = a.enterprise_id JOIN appeals_appealcategory c ON c.id = a.category_id "
        f"WHERE {where} ORDER BY a.submitted_at DESC, a.id DESC LIMIT {PER_PAGE}", federations)  # noqa: S608
    ids = [row[0] for row in rows]
    if ids:
        _fetch("SELECT s.appeal_id, d.name FROM appeals_assignment s JOIN orgs_department d ON d.id = s.department_id "
               f"WHERE s.appeal_id IN ({_in(ids)})", ids)  # noqa: S608
    return total, ids


def members_first_page(federations):
    """工商联会员, first page (latest joined first): the count and 20 rows with their subject's name and facts."""
    where = f"m.federation_id IN ({_in(federations)})"
    total = _fetch(f"SELECT COUNT(*) FROM members_membership m WHERE {where}", federations)[0][0]  # noqa: S608
    rows = _fetch(
        "SELECT m.id, m.number, m.kind, m.joined, m.status, m.body_position, e.name, e.uscc, t.label, i.code, i.name, "
        "s.name, p.name, g.name FROM members_membership m "
        "LEFT JOIN members_enterprise e ON e.id = m.enterprise_id "
        "LEFT JOIN common_dictitem t ON t.id = e.enterprise_type_id "
        "LEFT JOIN common_industrycode i ON i.code = e.industry_id LEFT JOIN orgs_street s ON s.id = e.street_id "
        "LEFT JOIN members_person p ON p.id = m.person_id LEFT JOIN orgs_chamber g ON g.id = m.group_id "
        f"WHERE {where} ORDER BY m.joined DESC, m.id DESC LIMIT {PER_PAGE}", federations)  # noqa: S608
    return total, [row[0] for row in rows]


def enterprises_first_page(federations):
    """会员企业, first page (by id): the count and 20 rows with type, industry and street."""
    where = f"e.federation_id IN ({_in(federations)})"
    total = _fetch(f"SELECT COUNT(*) FROM members_enterprise e WHERE {where}", federations)[0][0]  # noqa: S608
    rows = _fetch(
        "SELECT e.id, e.name, e.uscc, t.label, i.code, i.name, e.size, s.name, e.employees FROM members_enterprise e "
        "LEFT JOIN common_dictitem t ON t.id = e.enterprise_type_id "
        "LEFT JOIN common_industrycode i ON i.code = e.industry_id LEFT JOIN orgs_street s ON s.id = e.street_id "
        f"WHERE {where} ORDER BY e.id LIMIT {PER_PAGE}", federations)  # noqa: S608
    return total, [row[0] for row in rows]


def kpis(federations, start, end, today):
    """诉求统计's overall figures: one aggregate over the period's appeals, the enterprises with an appeal
    submitted before the period's end (服务企业数's appeal half), the appeals overdue today."""
    from shanglian.appeals.models import OPEN_STATES, Rating, Status

    where = f"federation_id IN ({_in(federations)})"
    counted = _fetch(
        "SELECT COUNT(*), "
        "SUM(CASE WHEN status NOT IN (%s, %s) THEN 1 ELSE 0 END), SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN replied_on_time IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN replied_on_time = %s THEN 1 ELSE 0 END), SUM(CASE WHEN rating = %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN rating = %s THEN 1 ELSE 0 END), SUM(CASE WHEN rating = %s THEN 1 ELSE 0 END) "
        f"FROM appeals_appeal WHERE {where} AND submitted_at >= %s AND submitted_at < %s",  # noqa: S608
        [Status.SUBMITTED, Status.REJECTED, Status.CLOSED, True, Rating.SATISFIED, Rating.BASICALLY,
         Rating.UNSATISFIED, *federations, start, end])[0]
    enterprises = _fetch(f"SELECT COUNT(DISTINCT enterprise_id) FROM appeals_appeal WHERE {where} "  # noqa: S608
                         "AND submitted_at < %s", [*federations, end])[0][0]
    overdue = _fetch(f"SELECT COUNT(*) FROM appeals_appeal WHERE {where} "  # noqa: S608
                     f"AND status IN ({_in(OPEN_STATES)}) AND deadline < %s", [*federations, *OPEN_STATES, today])[0][0]
    return [*(value or 0 for value in counted), enterprises, overdue]


def _by_selectors(user):
    """What the pages' own code gives for the same rows (ordered like the hand SQL on ties)."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from shanglian.appeals import figures, selectors
    from shanglian.members import selectors as members
    from shanglian.members.models import Enterprise
    from shanglian.ui.periods import PeriodForm

    appeals = selectors.appeal_list(user, filters={"queue": "all"})
    memberships = members.membership_list(user)
    enterprises = members.enterprise_list(user)
    period = PeriodForm(None).period()
    scope = figures.kpi_scope(user)
    today = timezone.localdate()
    overall = figures.overall(scope, period, today=today)
    _, end = period.bounds
    with_appeal = Enterprise.objects.filter(Exists(scope.order_by().filter(enterprise_id=OuterRef("pk"),
                                                                          submitted_at__lt=end)))
    names = ["received", "accepted", "closed", "replied", "replied_on_time", "satisfied", "basically", "unsatisfied"]
    return {
        "appeals:list": (appeals.count(), list(appeals.order_by("-submitted_at", "-pk").values_list("pk", flat=True)
                                               [:PER_PAGE])),
        "members:membership_list": (memberships.count(), list(memberships.order_by("-joined", "-pk")
                                                              .values_list("pk", flat=True)[:PER_PAGE])),
        "members:enterprise_list": (enterprises.count(), list(enterprises.order_by("pk")
                                                              .values_list("pk", flat=True)[:PER_PAGE])),
        "appeals:statistics": [*(getattr(overall, name) or 0 for name in names), with_appeal.count(),
                               overall.overdue or 0],
    }, period, today


def hand_sql(user, requests, timeout, deadline):
    """{"<page>|staff": {p50, p95, same}} for each hand-written query set, timed `requests` times; `same` is
    None when the selectors' own queries for the check did not finish within `timeout`."""
    from django.db import DatabaseError

    from shanglian.orgs.selectors import federation_ids_in_scope

    try:
        with deadline(timeout):
            expected, period, today = _by_selectors(user)
    except DatabaseError:  # the selectors' own queries did not finish: time the SQL, leave the check open
        from django.utils import timezone

        from shanglian.ui.periods import PeriodForm

        expected, period, today = None, PeriodForm(None).period(), timezone.localdate()
    federations = sorted(federation_ids_in_scope(user))
    start, end = period.bounds
    runs = {
        "appeals:list": lambda: appeals_first_page(federations),
        "members:membership_list": lambda: members_first_page(federations),
        "members:enterprise_list": lambda: enterprises_first_page(federations),
        "appeals:statistics": lambda: kpis(federations, start, end, today),
    }
    results = {}
    for page, run in runs.items():
        with deadline(timeout):
            got = run()  # warm-up, and the rows to check
        times = []
        for _ in range(requests):
            begin = time.perf_counter()
            with deadline(timeout):
                run()
            times.append((time.perf_counter() - begin) * 1000)
        ordered = sorted(times)
        results[f"{page}|{user.username}"] = {
            "p50": ordered[len(ordered) // 2], "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
            "same": None if expected is None else _normal(got) == _normal(expected[page])}
    return results


def _normal(value):
    return [list(v) if isinstance(v, tuple | list) else v for v in value] if isinstance(value, tuple | list) else value
