"""The statistics page composed of an app's parts (`ui/statistics.py`): a part or headline card hidden from a
role is left out, the headline is compared (同比) only over a period under a year, and the drill-down checks its
id params before any query (404) and takes only what the figure's part declares."""

from types import SimpleNamespace

import pytest
from django.http import Http404

from shanglian.accounts.roles import Role
from shanglian.members.models import Membership
from shanglian.ui import figures as ui
from shanglian.ui.statistics import PartsStatistics


def _part(name, *, headline=(), narrowing=None):
    return SimpleNamespace(
        HEADLINE=headline, RECORD_COLUMNS={}, NARROWING=narrowing or {},
        sections=lambda *, user, period: [ui.FigureSection(title=name, dom_id=f"stats-{name}")])


SHOWN = _part("shown", headline=("test.joined",), narrowing={"test.joined": ("chamber", "street", "kind")})
HIDDEN = _part("hidden", headline=("test.hidden",))


def _statistics(**config):
    return PartsStatistics(**{
        "app": "test", "area": "测试", "title": "测试统计", "url_name": "engagement:statistics",
        "parts": ((SHOWN, None), (HIDDEN, {Role.LEADER})), "card": lambda figure, period, prefix: figure,
        "export": None, "id_params": frozenset({"chamber"}), "id_or_none_params": frozenset({"street"}),
        "max_param": 5, **config})


@pytest.fixture
def joined(cast):
    @ui.figure("test.joined", label="新入会", unit="个", definition="期间内入会的会员")
    def figure(*, user, period, chamber=None, street=None, kind=None):
        return Membership.objects.filter(federation=cast.district, joined__range=(period.start, period.end))

    yield
    ui._registry.pop("test.joined")


def test_a_part_and_its_headline_hidden_from_a_role_are_left_out(cast, rf, joined):
    statistics = _statistics()
    request = rf.get("/", {"year": "2020"})
    request.user = cast.users.staff
    page, period, cards = statistics.page(request)
    assert [section.dom_id for section in page.sections] == ["stats-headline", "stats-shown"]
    assert [card.key for card in cards] == ["test.joined"] and cards[0].year_ago == 0
    assert page.breadcrumbs == [("测试", None), ("测试统计", None)]
    assert statistics.shown_parts(cast.users.leader) == [SHOWN, HIDDEN]
    # a headline of its own: a key alone is every role's, with roles only theirs
    own = _statistics(headline=("test.joined", ("test.hidden", {Role.LEADER})))
    assert own.headline_keys(cast.users.staff) == ["test.joined"]


def test_a_headline_over_more_than_a_year_is_not_compared(cast, rf, joined):
    request = rf.get("/", {"start": "2019-01-01", "end": "2020-12-31"})
    request.user = cast.users.staff
    page, _period, cards = _statistics().page(request)
    assert page.sections[0].note == "统计期间超过一年，不计同比。" and cards[0].year_ago is None


def test_a_drill_down_checks_its_ids_before_any_query_and_takes_only_what_its_figure_declares(
        cast, rf, joined, django_assert_num_queries):
    statistics = _statistics()

    def narrowing(**params):
        return statistics.narrowing(rf.get("/", params), "test.joined")

    assert narrowing(chamber="7", street="none", kind="abcdefgh", other="1") == {
        "chamber": 7, "street": "none", "kind": "abcde"}
    assert narrowing(street="12") == {"street": 12}
    for params in ({"chamber": "x"}, {"chamber": "none"}, {"street": "-1"}, {"chamber": "0"}):
        with django_assert_num_queries(0), pytest.raises(Http404):
            narrowing(**params)
    request = rf.get("/", {"chamber": "abc"})
    request.user = cast.users.staff
    with pytest.raises(Http404):
        statistics.records(request, "test.joined")
    with pytest.raises(Http404):  # not one of the app's figures
        statistics.records(request, "members.in_force")
