"""The deadline sweep as Huey runs it (immediate mode under pytest) and as the command runs it."""

import datetime
import io

import time_machine
from django.core.management import call_command

from shanglian.appeals import services
from shanglian.appeals.models import AppealCategory, Status
from shanglian.appeals.tasks import sweep_appeal_deadlines

TZ = datetime.timezone(datetime.timedelta(hours=8))


def _dispatched(cast):
    appeal = services.submit_appeal(actor=cast.users.ent1, enterprise=cast.ent1,
                                    category=AppealCategory.objects.get(code="consult"),
                                    title="政策咨询", content="咨询研发费用加计扣除政策。")
    services.accept_appeal(actor=cast.users.staff, appeal=appeal)
    return services.dispatch_appeal(actor=cast.users.staff, appeal=appeal, departments=[cast.dept1])


def test_the_periodic_task_is_registered_every_15_minutes_and_supervises_overdue_appeals(cast):
    from huey.contrib.djhuey import HUEY

    assert HUEY.immediate  # tests run tasks in-process
    due = {task.name for task in HUEY.read_periodic(datetime.datetime(2026, 11, 25, 9, 15))}
    assert sweep_appeal_deadlines.task_class.__name__ in due
    assert sweep_appeal_deadlines.task_class.__name__ not in {t.name for t in HUEY.read_periodic(datetime.datetime(2026, 11, 25, 9, 7))}
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=TZ), tick=False):
        appeal = _dispatched(cast)  # 政策咨询: 1 working day → due Tue 2026-11-24
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=TZ), tick=False):
        result = sweep_appeal_deadlines.call_local()  # what the consumer runs (periodic results are not stored)
    assert result == {"supervised": 1, "sign_reminders": 1}
    appeal.refresh_from_db()
    assert appeal.is_supervised and appeal.status == Status.ASSIGNED


def test_the_command_runs_the_same_sweep(cast):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=TZ), tick=False):
        _dispatched(cast)
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=TZ), tick=False):
        call_command("sweep_appeals", stdout=out)
        call_command("sweep_appeals", stdout=out)  # idempotent
    assert out.getvalue().splitlines() == ["自动督办 1 件，签收超时提醒 1 次。", "自动督办 0 件，签收超时提醒 0 次。"]
