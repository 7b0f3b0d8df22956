"""`manage.py annual_report`: writes the Word report (and the xlsx) of a federation given by its region code, with
progress lines on stderr; a clear error for an unknown federation, an unknown user or a year not begun."""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from shanglian.reports.models import ReportRun

from .annual_data import YEAR, build_year


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_command_writes_the_report_and_the_workbook(cast, tmp_path):
    build_year(cast)
    out, xlsx, err = tmp_path / "out" / "报告.docx", tmp_path / "指标.xlsx", io.StringIO()
    started = time.monotonic()
    call_command("annual_report", "--federation", "120103", "--year", str(YEAR), "--out", str(out),
                 "--xlsx", str(xlsx), stderr=err)
    elapsed = time.monotonic() - started
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert text.startswith("河西区工商联2025年度工作报告") and "全区有工商联会员6个" in text
    assert xlsx.read_bytes().startswith(b"PK")
    lines = err.getvalue().splitlines()
    assert any(line.startswith("[100%] 已完成") for line in lines) and any("计算指标：会员发展" in line for line in lines)
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.DONE and run.requested_by == cast.users.staff  # the district's staff
    assert elapsed < 10  # a small district in well under the 10 s a demo district may take


@pytest.mark.parametrize(("args", "message"), [
    (["--federation", "999999"], "没有行政区划代码为“999999”的工商联。"),
    (["--federation", "120103", "--user", "nobody"], "没有用户名为“nobody”的有效用户。"),
    (["--federation", "120103", "--user", "chamber1"], "无权查看"),
    (["--federation", "120103", "--year", "2999"], "年度应为 1950 至 .* 年之间的整数"),
])
def test_the_command_explains_what_is_wrong(cast, tmp_path, args, message):
    arguments = ["--year", str(YEAR), "--out", str(tmp_path / "x.docx"), *args]
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", *arguments, stderr=io.StringIO())
    assert not (tmp_path / "x.docx").exists()
