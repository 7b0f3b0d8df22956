"""Kept boards (`reports.boards`, `reports.services.boards`): a 领导驾驶舱 slow to compute is kept and served from its
last computation with the time of it, recomputed in the background when old, on 立即更新 and when its targets
change; shared only by the same role and federation; dropped when it became quick or its viewer lost the role.
`SHANGLIAN_BOARD_LIVE_SECONDS = 0` makes every board "slow" here, a large value every board quick."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import Role
from shanglian.reports import boards, dashboard
from shanglian.reports.models import KeptBoard
from shanglian.reports.services.targets import save_target
from shanglian.reports.tasks import refresh_kept_boards
from shanglian.reports.tests.test_dashboard import _card_values
from shanglian.testing import make_enterprise, make_membership, make_user

YEAR = 2025
QUERY = {"year": YEAR}
JOINED = "headline-members-joined"


@pytest.fixture
def slow(settings):
    settings.SHANGLIAN_BOARD_LIVE_SECONDS = 0
    return settings


def _join(cast, n=1, day=date(YEAR, 3, 1)):
    for _ in range(n):
        make_membership(cast.district, make_enterprise(cast.district), joined=day)


def _dashboard(client, query=QUERY):
    response = client.get(reverse("reports:dashboard"), query)
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_quick_board_is_computed_on_each_visit_and_not_kept(cast, login):
    _join(cast, 2)
    client = login(cast.users.staff)
    _response, html = _dashboard(client)
    assert _card_values(html)[JOINED] == "2"
    assert not KeptBoard.objects.exists() and 'id="dash-kept"' not in html
    _join(cast)
    assert _card_values(_dashboard(client)[1])[JOINED] == "3"


def test_a_slow_board_is_kept_and_served_with_the_time_it_was_computed(cast, login, slow,
                                                                          django_assert_max_num_queries):
    _join(cast, 2)
    client = login(cast.users.staff)
    first = _card_values(_dashboard(client)[1])
    kept = KeptBoard.objects.get()
    assert kept.key == f"{cast.district.pk}/{cast.district.pk}/{Role.STAFF.value}/year:{YEAR}-01-01:{YEAR}-12-31"
    assert kept.built_for == cast.users.staff and kept.build_ms >= 0
    _join(cast)  # not in the kept board until it is computed again
    with django_assert_max_num_queries(12):  # session, user, role, scope, the kept board, the page's own
        response, html = _dashboard(client)
    assert _card_values(html) == first and first[JOINED] == "2"
    assert response.context["board"].kept_at == kept.built_at
    assert 'id="dash-kept"' in html and "立即更新" in html
    assert timezone.localtime(kept.built_at).strftime("%Y-%m-%d %H:%M") in html
    screen = login(cast.users.staff).get(reverse("reports:screen"), QUERY).content.decode()
    assert _card_values(screen)[JOINED] == "2"
    assert f"更新于 {timezone.localtime(kept.built_at):%H:%M}" in screen


def test_refresh_recomputes_the_kept_board_in_the_background(cast, login, slow, django_capture_on_commit_callbacks):
    _join(cast, 2)
    client = login(cast.users.staff)
    _dashboard(client)
    _join(cast)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("reports:dashboard_refresh"), QUERY)
    assert len(queued) == 1
    assert response.url == f"{reverse('reports:dashboard')}?year={YEAR}"
    _response, html = _dashboard(client)
    assert "已开始在后台重新计算" in html and _card_values(html)[JOINED] == "3"
    assert KeptBoard.objects.get().refresh_queued_at is None


def test_an_old_kept_board_is_served_and_recomputed_once(cast, login, slow, django_capture_on_commit_callbacks):
    _join(cast, 2)
    client = login(cast.users.staff)
    _dashboard(client)
    long_ago = timezone.now() - timedelta(hours=1)
    KeptBoard.objects.update(built_at=long_ago)
    _join(cast)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _response, html = _dashboard(client)
    assert len(queued) == 1
    assert _card_values(html)[JOINED] == "2" and "正在后台重新计算" in html
    kept = KeptBoard.objects.get()
    assert kept.built_at > long_ago and kept.refresh_queued_at is None
    assert _card_values(_dashboard(client)[1])[JOINED] == "3"


def test_an_old_board_already_queued_is_not_queued_twice(cast, login, slow, django_capture_on_commit_callbacks):
    client = login(cast.users.staff)
    _dashboard(client)
    KeptBoard.objects.update(built_at=timezone.now() - timedelta(hours=1), refresh_queued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _response, html = _dashboard(client)
    assert queued == [] and "正在后台重新计算" in html


def test_kept_boards_are_shared_by_role_and_federation_only(cast, login, slow, monkeypatch):
    _join(cast, 2)
    _dashboard(login(cast.users.staff))
    computed = []
    real_build = dashboard.build
    monkeypatch.setattr(dashboard, "build", lambda *args, **kwargs: computed.append(args) or real_build(*args,
                                                                                                       **kwargs))
    other_staff = make_user(Role.STAFF, federation=cast.district)
    _dashboard(login(other_staff))
    assert computed == []  # the same role and federation: the kept board
    _dashboard(login(cast.users.leader))
    city_staff = make_user(Role.STAFF, federation=cast.city)
    _dashboard(login(city_staff), {**QUERY, "federation": cast.district.pk})
    _dashboard(login(cast.users.outsider_staff))
    assert len(computed) == 3  # the leader, the city looking at the district, the other district: each its own
    assert KeptBoard.objects.count() == 4
    assert login(cast.users.outsider_staff).get(reverse("reports:dashboard"), {
        **QUERY, "federation": cast.district.pk}).status_code == 404
    for user in (cast.users.chamber1, cast.users.dept1, cast.users.ent1, cast.users.auditor):
        assert login(user).get(reverse("reports:dashboard"), QUERY).status_code == 403


def test_the_default_board_is_kept_as_the_year_to_date_and_recomputed_for_the_day(cast, login, slow):
    _dashboard(login(cast.users.staff), {})
    kept = KeptBoard.objects.get()
    assert kept.period == KeptBoard.ROLLING
    assert boards.period_of(KeptBoard.ROLLING, date(2027, 3, 4)) == dashboard.year_to_date(date(2027, 3, 4))
    assert kept.payload["period"]["end"] == timezone.localdate().isoformat()


def test_a_target_change_recomputes_the_kept_boards_of_its_federation(cast, login, slow,
                                                                       django_capture_on_commit_callbacks):
    _join(cast, 4)
    _dashboard(login(cast.users.staff))
    _dashboard(login(cast.users.outsider_staff))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        save_target(actor=cast.users.staff, federation=cast.district, data={
            "key": "members.joined", "year": YEAR, "direction": "min", "value": Decimal("10"), "note": ""})
    assert len(queued) == 1  # the district's board, not the other district's
    assert "目标不低于10 个" in _dashboard(login(cast.users.staff))[1]


def test_the_periodic_pass_recomputes_old_boards_and_drops_forgotten_ones(cast, login, slow):
    _join(cast, 2)
    _dashboard(login(cast.users.staff))
    _dashboard(login(cast.users.leader))
    now = timezone.now()
    KeptBoard.objects.update(built_at=now - timedelta(hours=1))
    KeptBoard.objects.filter(role=Role.LEADER.value).update(viewed_at=now - timedelta(days=8))
    _join(cast)
    refresh_kept_boards.call_local()
    kept = KeptBoard.objects.get()
    assert kept.role == Role.STAFF.value and kept.built_at > now - timedelta(minutes=1)
    assert _card_values(_dashboard(login(cast.users.staff))[1])[JOINED] == "3"


def test_a_board_that_became_quick_is_computed_live_again(cast, login, slow):
    client = login(cast.users.staff)
    _dashboard(client)
    slow.SHANGLIAN_BOARD_LIVE_SECONDS = 3600
    _response, html = _dashboard(client)
    assert not KeptBoard.objects.exists() and 'id="dash-kept"' not in html


def test_a_kept_board_whose_viewer_lost_the_role_is_dropped_not_recomputed(cast, login, slow):
    _dashboard(login(cast.users.leader))
    kept = KeptBoard.objects.get()
    cast.users.leader.groups.set([Group.objects.get(name=Role.STAFF.value)])
    assert boards.refresh(KeptBoard.objects.select_related("built_for").get(pk=kept.pk)) is None
    assert not KeptBoard.objects.exists()


def test_refresh_is_a_post_of_a_federation_role(cast, login, slow):
    url = reverse("reports:dashboard_refresh")
    assert login(cast.users.staff).get(url).status_code == 405
    assert login(cast.users.chamber1).post(url, QUERY).status_code == 403
    assert login(cast.users.auditor).post(url, QUERY).status_code == 403
    assert login(cast.users.leader).post(url, QUERY).status_code == 302
    assert login(cast.users.outsider_staff).post(url, {**QUERY, "federation": cast.district.pk}).status_code == 404
    response = login(cast.users.staff).post(url, QUERY, follow=True)  # nothing kept yet
    assert "无需更新" in response.content.decode()
    assert not KeptBoard.objects.filter(refresh_queued_at__isnull=False).exists()
