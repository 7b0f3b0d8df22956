"""Document numbers: `daily_number` continues after numbers written in bulk without it (the demo, a load)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shanglian.common.numbering import continue_after, daily_number, last_of_each_day

pytestmark = pytest.mark.django_db


def test_the_last_number_of_each_day_is_read_off_the_numbers():
    assert last_of_each_day(["SQ202611220001", "SQ202611220012", "SQ202611220003", "TA202601010003"]) == {
        "SQ20261122": 12, "TA20260101": 3}


def test_a_number_handed_out_after_a_bulk_load_continues_after_it():
    with time_machine.travel(datetime(2026, 11, 22, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert daily_number("TA") == "TA202611220001"
        continue_after(last_of_each_day(["TA202611220005", "TA202611210002"]))
        continue_after({"TA20261122": 3})  # never moves a counter back
        assert daily_number("TA") == "TA202611220006"
        assert daily_number("TA", when=datetime(2026, 11, 21, 9, tzinfo=ZoneInfo("Asia/Shanghai"))) == "TA202611210003"
