"""The demo district's terms follow the day the demo is built: consecutive terms from the first of
`data/orgs.toml` (第17届 from 2021-12-16, five years each, from its anniversary), the earlier ones ended and the
last in force that day. So a demo built after 2026-12-15 still has executives in force, their statutory
meetings, the rotating chair of the year and the 政治引领 figures that count them."""

from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from shanglian.accounts.models import User
from shanglian.common.periods import Period
from shanglian.demo import orgs
from shanglian.events import selectors as event_selectors
from shanglian.events.models import ChairDuty, Event
from shanglian.orgs.models import Position, Term
from shanglian.ui.figures import compute

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = (17, date(2021, 12, 16), date(2026, 12, 15))
SECOND = (18, date(2026, 12, 16), date(2031, 12, 15))
THIRD = (19, date(2031, 12, 16), date(2036, 12, 15))


def spans(today):
    return [(t.number, t.period.start, t.period.end) for t in orgs.terms(today)]


def test_the_terms_run_from_the_first_up_to_the_one_in_force():
    assert spans(date(2026, 12, 1)) == spans(date(2026, 12, 15)) == [FIRST]
    assert spans(date(2020, 1, 1)) == [FIRST]  # before the first term: the first alone
    assert spans(date(2026, 12, 16)) == spans(date(2027, 3, 1)) == [FIRST, SECOND]
    assert spans(date(2031, 12, 20)) == [FIRST, SECOND, THIRD]
    built = orgs.terms(date(2027, 3, 1))
    assert orgs.term_on(built, date(2026, 12, 15)).number == 17
    assert orgs.term_on(built, date(2026, 12, 16)).number == 18
    assert orgs.term_on(built, date(2031, 12, 16)) is None  # not built yet


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2031, 12, 20)])
def test_a_demo_built_after_the_first_term_has_a_term_in_force_with_its_executives(settings, day):
    settings.DEMO = True
    with time_machine.travel(datetime.combine(day, time(10), tzinfo=SHANGHAI), tick=False):
        call_command("seed_demo", "--enterprises", "120", stdout=StringIO())
        staff = User.objects.get(username="staff")

        terms = list(Term.objects.filter(chamber__isnull=True).order_by("start"))
        current = Term.objects.get(chamber__isnull=True, start__lte=day, end__gte=day)
        assert [(t.number, t.start, t.end) for t in terms] == spans(day) and terms[-1] == current
        assert all(a.end + timedelta(days=1) == b.start for a, b in zip(terms, terms[1:], strict=False))

        # the officers, re-elected: 40 persons, one 主席, the 12 committee directors
        held = Position.objects.filter(term=current)
        assert held.values("person").distinct().count() == 40
        assert held.filter(title=Position.Title.CHAIRMAN).count() == 1
        assert held.filter(title=Position.Title.COMMITTEE_DIRECTOR).count() == 12
        this_year = Period.custom(date(day.year, 1, 1), day)
        executives = compute("engagement.executives", user=staff, period=this_year).value
        arranged = compute("engagement.executives_arranged", user=staff, period=this_year).value
        assert executives == 40 and 0 < arranged < executives

        # the rotating chair of the year: every month a 主席 or 副主席 of the term in force then
        duties = list(ChairDuty.objects.filter(chamber__isnull=True, month__year=day.year).order_by("month"))
        assert [d.month for d in duties] == [date(day.year, m, 1) for m in range(1, 13)]
        for duty in duties:
            candidates = event_selectors.chair_candidates(federation=duty.federation, month=duty.month)
            assert candidates.filter(pk=duty.position_id).exists()

        # the statutory meetings of the running term: its number in the title, its members invited
        meetings = Event.objects.filter(kind__code__in=("executive", "standing"), starts_at__date__gte=current.start)
        assert meetings.exists()
        for meeting in meetings:
            assert meeting.title.startswith(f"第{current.number}届")
            members = {p.person_id for p in event_selectors.body_members(meeting)}
            assert members and set(meeting.invitations.values_list("person_id", flat=True)) == members
