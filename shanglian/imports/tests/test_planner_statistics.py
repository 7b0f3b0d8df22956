"""An import job that wrote its rows ends by refreshing the planner statistics (issue 19), in the request
or in the Huey task."""

import pytest

from shanglian.common import dbstats
from shanglian.common.models import ImportJob
from shanglian.imports import jobs

from .toy import KIND, toy_file


@pytest.fixture
def runs(monkeypatch):
    calls = []
    monkeypatch.setattr(dbstats, "_run", lambda using, full: calls.append(full))
    return calls


def _commit(cast, rows, valid_only=False):
    job = jobs.check_upload(actor=cast.users.staff, kind=KIND, upload=toy_file(rows))
    return jobs.commit(actor=cast.users.staff, job=job, valid_only=valid_only)


def test_a_committed_import_job_refreshes_the_statistics_once_at_its_end(cast, media, toy_kind, runs):
    job = _commit(cast, [["T1", "甲"], ["T2", "乙"]])
    assert job.status == ImportJob.Status.DONE and runs == [True]


@pytest.mark.parametrize("background", [False, True])
def test_a_large_import_job_refreshes_them_in_the_huey_task_too(cast, media, toy_kind, runs, settings, background):
    settings.IMPORT_BACKGROUND_ROWS = 1 if background else 10_000
    job = _commit(cast, [["T1", "甲"], ["T2", "乙"], ["T3", "丙"]])
    assert job.status == ImportJob.Status.DONE and runs == [True]

