"""Working-day deadlines of dispatched appeals across 国庆, 春节, 调休 make-up days and a year the holiday
package does not cover, the 2-working-hour sign-for deadline, and extensions.

Expected dates are literals worked out by hand from the State Council's 放假安排 (the `chinese_calendar`
package agrees; it covers 2004–2026):
- 国庆 + 中秋 2025: 10月1日（周三）至8日（周三）放假调休，共8天；9月28日（周日）、10月11日（周六）上班.
- 春节 2026: 2月15日（周日，腊月二十八）至23日（周一，正月初七）放假调休，共9天；2月14日（周六）、
  2月28日（周六）上班.
Counting starts the day after the dispatch; a reply deadline is a date, the sign-for deadline a time
(working hours are 9:00–17:00 on working days).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shanglian.appeals import services
from shanglian.appeals.models import Assignment, ExtensionRequest, Status

from .factories import current_assignment, make_appeal

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def dispatch_at(cast, when, category_code="suggestion", departments=None):
    with time_machine.travel(when, tick=False):
        return make_appeal(cast, Status.ASSIGNED, category_code=category_code, departments=departments)


# --- reply deadlines -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("when", "category_code", "expected"), [
    # 国庆 2025, dispatched on Tue 9/30 with 5 working days: 10/1–10/8 off; 10/9 Thu (1), 10/10 Fri (2),
    # 10/11 Sat 调休 workday (3), 10/12 Sun off, 10/13 Mon (4), 10/14 Tue (5).
    pytest.param(at(2025, 9, 30, 10, 0), "suggestion", date(2025, 10, 14), id="national-day-5-days"),
    # 1 working day from Tue 9/30: the holiday is skipped entirely → Thu 10/9.
    pytest.param(at(2025, 9, 30, 10, 0), "consult", date(2025, 10, 9), id="national-day-1-day"),
    # 10 working days from Tue 9/30: 10/9, 10/10, 10/11 (Sat 调休), 10/13–10/17 (4–8), 10/20 (9), 10/21 (10).
    pytest.param(at(2025, 9, 30, 10, 0), "complaint", date(2025, 10, 21), id="national-day-10-days"),
    # Dispatched on Sat 9/27 (a day off): the next day, Sun 9/28, is a 调休 workday → due that Sunday.
    pytest.param(at(2025, 9, 27, 10, 0), "consult", date(2025, 9, 28), id="make-up-sunday"),
    # Dispatched on Fri 10/10 with 1 working day: Sat 10/11 is a 调休 workday → due that Saturday.
    pytest.param(at(2025, 10, 10, 10, 0), "consult", date(2025, 10, 11), id="make-up-saturday"),
    # 春节 2026, dispatched on Fri 2/13 with 5 working days: Sat 2/14 调休 (1), 2/15–2/23 off,
    # 2/24 Tue (2), 2/25 (3), 2/26 (4), 2/27 Fri (5).
    pytest.param(at(2026, 2, 13, 10, 0), "suggestion", date(2026, 2, 27), id="spring-festival-5-days"),
    # … with 10: then Sat 2/28 调休 (6), Sun 3/1 off, 3/2 Mon (7), 3/3 (8), 3/4 (9), 3/5 Thu (10).
    pytest.param(at(2026, 2, 13, 10, 0), "rights", date(2026, 3, 5), id="spring-festival-10-days"),
    # … with 1: the make-up Saturday 2/14 itself.
    pytest.param(at(2026, 2, 13, 10, 0), "consult", date(2026, 2, 14), id="spring-festival-make-up-saturday"),
    # Dispatched during the holiday (Wed 2/18) with 1 working day → the first day back, Tue 2/24.
    pytest.param(at(2026, 2, 18, 10, 0), "consult", date(2026, 2, 24), id="dispatched-during-spring-festival"),
    # An ordinary week: Mon 2025-11-17 + 5 → Mon 11/24 (weekend 11/22–23 skipped).
    pytest.param(at(2025, 11, 17, 10, 0), "suggestion", date(2025, 11, 24), id="ordinary-week"),
])
def test_the_reply_deadline_counts_working_days_of_the_official_calendar(cast, when, category_code, expected):
    appeal = dispatch_at(cast, when, category_code)
    assert appeal.deadline == expected
    assert appeal.deadline_provisional is False
    assignment = current_assignment(appeal, cast.dept1)
    assert (assignment.deadline, assignment.deadline_provisional) == (expected, False)
    assert f"办理期限：{expected:%Y-%m-%d}" in appeal.timeline.get(action="dispatch").note


def test_every_department_of_a_dispatch_gets_the_same_deadline(cast):
    appeal = dispatch_at(cast, at(2025, 9, 30, 10, 0), departments=[cast.dept1, cast.dept2])
    assert set(Assignment.objects.filter(appeal=appeal).values_list("deadline", flat=True)) == {date(2025, 10, 14)}


def test_a_reply_after_the_holiday_counts_only_working_days(cast):
    with time_machine.travel(at(2025, 9, 30, 10, 0), tick=False):
        appeal = make_appeal(cast, Status.HANDLING)
    with time_machine.travel(at(2025, 10, 9, 15, 0), tick=False):
        appeal = services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="已办理")
    assignment = current_assignment(appeal, cast.dept1)
    # 9/30 → 10/9: only 10/9 is a working day; the eight holiday days do not count.
    assert assignment.working_days_to_reply == 1
    assert appeal.replied_on_time is True


# --- the 2-working-hour sign-for deadline ------------------------------------------------------------------
@pytest.mark.parametrize(("when", "expected"), [
    # Within one working day.
    pytest.param(at(2025, 11, 18, 10, 0), at(2025, 11, 18, 12, 0), id="morning"),
    # Ending exactly at closing time stays at 17:00.
    pytest.param(at(2025, 11, 18, 15, 0), at(2025, 11, 18, 17, 0), id="until-closing"),
    # Tue evening 20:00: counts from Wed 9:00.
    pytest.param(at(2025, 11, 18, 20, 0), at(2025, 11, 19, 11, 0), id="evening"),
    # Before opening on Mon 7:30: counts from 9:00.
    pytest.param(at(2025, 11, 17, 7, 30), at(2025, 11, 17, 11, 0), id="early-morning"),
    # Fri 16:30: half an hour on Friday, the weekend skipped, 1.5 h on Monday → Mon 11/17 10:30.
    pytest.param(at(2025, 11, 14, 16, 30), at(2025, 11, 17, 10, 30), id="over-a-weekend"),
    # Sat 11/15 afternoon: nothing counts until Mon 9:00.
    pytest.param(at(2025, 11, 15, 14, 0), at(2025, 11, 17, 11, 0), id="on-a-saturday"),
    # Tue 9/30 16:00: one hour before 国庆, the other on Thu 10/9 → 10:00.
    pytest.param(at(2025, 9, 30, 16, 0), at(2025, 10, 9, 10, 0), id="before-national-day"),
    # Fri 9/26 16:00: one hour on Friday, Sat 9/27 off, Sun 9/28 is a 调休 workday → Sun 10:00.
    pytest.param(at(2025, 9, 26, 16, 0), at(2025, 9, 28, 10, 0), id="over-a-make-up-sunday"),
    # 调休 Sat 2026-02-14 16:30: half an hour that Saturday, 2/15–2/23 off, 1.5 h on Tue 2/24.
    pytest.param(at(2026, 2, 14, 16, 30), at(2026, 2, 24, 10, 30), id="make-up-saturday-before-spring-festival"),
])
def test_the_sign_for_deadline_is_two_working_hours(cast, when, expected):
    appeal = dispatch_at(cast, when)
    assert current_assignment(appeal, cast.dept1).sign_deadline == expected


def test_the_sign_for_reminder_waits_over_the_weekend(cast):
    appeal = dispatch_at(cast, at(2025, 11, 14, 16, 30))  # sign-for deadline Mon 11/17 10:30
    with time_machine.travel(at(2025, 11, 16, 20, 0), tick=False):
        assert services.sweep_deadlines().sign_reminders == 0
    with time_machine.travel(at(2025, 11, 17, 10, 31), tick=False):
        assert services.sweep_deadlines().sign_reminders == 1
    assert current_assignment(appeal, cast.dept1).sign_overdue_notified_at == at(2025, 11, 17, 10, 31)


# --- extensions ----------------------------------------------------------------------------------------------
def _ask_and_decide(cast, appeal, *, days, approve, when, note=""):
    with time_machine.travel(when, tick=False):
        services.request_extension(actor=cast.users.dept1, appeal=appeal, days=days, reason="需会同财政局核实")
        return services.decide_extension(actor=cast.users.staff, appeal=appeal, approve=approve, note=note)


def test_an_approved_extension_moves_the_deadline_by_working_days_from_the_old_one(cast):
    # Dispatched Fri 2026-02-06 with 5 working days: 2/9–2/13 → Fri 2/13.
    appeal = dispatch_at(cast, at(2026, 2, 6, 10, 0))
    assert appeal.deadline == date(2026, 2, 13)
    # Approved on Thu 2/12 for 3 working days, counted from the old deadline 2/13 (not from today):
    # Sat 2/14 调休 (1), 2/15–2/23 春节 off, Tue 2/24 (2), Wed 2/25 (3). From today it would be 2/24.
    appeal = _ask_and_decide(cast, appeal, days=3, approve=True, when=at(2026, 2, 12, 9, 0))
    request = ExtensionRequest.objects.get(assignment__appeal=appeal)
    assert (request.old_deadline, request.new_deadline) == (date(2026, 2, 13), date(2026, 2, 25))
    assert request.decision == ExtensionRequest.Decision.APPROVED
    assert current_assignment(appeal, cast.dept1).deadline == date(2026, 2, 25)
    assert (appeal.deadline, appeal.deadline_provisional) == (date(2026, 2, 25), False)
    assert "同意延期至 2026-02-25" in appeal.timeline.get(action="decide_extension").note


def test_a_denied_extension_keeps_the_deadline(cast):
    appeal = dispatch_at(cast, at(2026, 2, 6, 10, 0))
    appeal = _ask_and_decide(cast, appeal, days=3, approve=False, when=at(2026, 2, 12, 9, 0), note="请按期办结")
    assert appeal.deadline == date(2026, 2, 13)
    assert current_assignment(appeal, cast.dept1).deadline == date(2026, 2, 13)
    assert ExtensionRequest.objects.get(assignment__appeal=appeal).new_deadline is None


def test_an_extension_of_one_department_moves_the_appeals_deadline_to_the_latest(cast):
    # Dispatched Tue 2025-09-30 to two departments: both due Tue 10/14.
    appeal = dispatch_at(cast, at(2025, 9, 30, 10, 0), departments=[cast.dept1, cast.dept2])
    # dept1 gets 2 more working days from 10/14: 10/15, 10/16.
    appeal = _ask_and_decide(cast, appeal, days=2, approve=True, when=at(2025, 10, 13, 9, 0))
    assert current_assignment(appeal, cast.dept1).deadline == date(2025, 10, 16)
    assert current_assignment(appeal, cast.dept2).deadline == date(2025, 10, 14)
    assert appeal.deadline == date(2025, 10, 16)
    # When dept1 returns the appeal, only dept2's deadline is left.
    with time_machine.travel(at(2025, 10, 14, 9, 0), tick=False):
        appeal = services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="由人社局办理")
    assert (appeal.status, appeal.deadline) == (Status.ASSIGNED, date(2025, 10, 14))


# --- a year the package does not cover -------------------------------------------------------------------
def test_a_deadline_in_an_uncovered_year_is_flagged_provisional(cast):
    # Mon 2026-12-28 + 10 working days: 12/29 (1), 12/30 (2), 12/31 (3) from the package; 2027 is not in
    # chinese_calendar 1.11, so Mon–Fri: Fri 2027-01-01 (4 — really 元旦, hence "provisional"),
    # 1/4–1/8 (5–9), Mon 1/11 (10).
    appeal = dispatch_at(cast, at(2026, 12, 28, 10, 0), category_code="complaint")
    assert (appeal.deadline, appeal.deadline_provisional) == (date(2027, 1, 11), True)
    assignment = current_assignment(appeal, cast.dept1)
    assert (assignment.deadline, assignment.deadline_provisional) == (date(2027, 1, 11), True)


def test_a_deadline_inside_a_covered_year_is_not_provisional(cast):
    # Mon 2026-12-21 + 5: 12/22, 12/23, 12/24, 12/25 (a workday in China), Mon 12/28.
    appeal = dispatch_at(cast, at(2026, 12, 21, 10, 0))
    assert (appeal.deadline, appeal.deadline_provisional) == (date(2026, 12, 28), False)


def test_an_extension_into_an_uncovered_year_becomes_provisional(cast):
    appeal = dispatch_at(cast, at(2026, 12, 21, 10, 0))  # due Mon 2026-12-28
    # 5 more from 12/28: 12/29, 12/30, 12/31, then Mon–Fri in 2027: Fri 1/1, Mon 1/4.
    appeal = _ask_and_decide(cast, appeal, days=5, approve=True, when=at(2026, 12, 24, 9, 0))
    assert (appeal.deadline, appeal.deadline_provisional) == (date(2027, 1, 4), True)


def test_a_deadline_chosen_by_the_desk_is_taken_as_given(cast):
    with time_machine.travel(at(2026, 12, 28, 10, 0), tick=False):
        appeal = make_appeal(cast, Status.ASSIGNED, deadline="2027-01-15")
    assert (appeal.deadline, appeal.deadline_provisional) == (date(2027, 1, 15), False)


def test_a_reopened_appeal_gets_a_fresh_deadline_in_working_days(cast):
    with time_machine.travel(at(2025, 9, 22, 10, 0), tick=False):
        appeal = make_appeal(cast, Status.REPLIED)
    # Reopened by the desk on Tue 9/30: 5 working days again, across 国庆 → Tue 10/14.
    with time_machine.travel(at(2025, 9, 30, 10, 0), tick=False):
        appeal = services.reopen_appeal(actor=cast.users.staff, appeal=appeal, reason="企业反映问题未解决")
    assert appeal.deadline == date(2025, 10, 14)
    assert Assignment.objects.get(appeal=appeal, round=1).deadline == date(2025, 10, 14)
