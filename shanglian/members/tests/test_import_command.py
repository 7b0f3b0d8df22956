"""`manage.py import_members`: the Chinese summary, the first errors, and the exit status."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from shanglian.members.models import Membership

from .test_import import bad_rows, good_rows, snapshot, uploader, with_other


@pytest.fixture
def upload(tmp_path):
    return uploader(tmp_path)


@pytest.fixture
def bad_file(cast, upload):
    return upload(with_other(bad_rows(), cast), name="bad.xlsx")


def test_good_file_is_imported_and_exits_zero(cast, upload, capsys):
    call_command("import_members", str(upload(good_rows())), "--user", "staff")
    out = capsys.readouterr().out
    assert "共 5 条，成功 5 条，失败 0 条" in out and "已导入：新增 5 条，更新 0 条。" in out
    assert Membership.objects.filter(number="HX-2024-0101", federation=cast.district).exists()


def test_invalid_rows_exit_non_zero_print_the_errors_and_write_the_report(cast, bad_file, tmp_path, capsys):
    out_path = tmp_path / "errors.xlsx"
    before = snapshot()
    with pytest.raises(CommandError, match="11 行校验失败，未写入任何数据"):
        call_command("import_members", str(bad_file), "--error-report", str(out_path), "--user", "staff")
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "共 16 条，成功 5 条，失败 11 条" in out and "存在校验失败的行，未写入任何数据。" in out
    assert "第 7 行【统一社会信用代码】统一社会信用代码校验位错误。" in out and "第 8 行与第 2 行重复" in out
    rows = list(load_workbook(out_path).active.iter_rows(values_only=True))
    assert rows[0][0] == "会员类型" and rows[0][-2:] == ("错误原因", "原 Excel 行号") and len(rows) == 12
    assert rows[1][-1] == 7 and "校验位错误" in rows[1][-2]


def test_valid_only_commits_the_valid_rows_and_exits_zero(cast, bad_file, tmp_path, capsys):
    out_path = tmp_path / "errors.xlsx"
    call_command("import_members", str(bad_file), "--valid-only", "--error-report", str(out_path), "--user", "staff")
    out = capsys.readouterr().out
    assert "共 16 条，成功 5 条，失败 11 条" in out and "已导入：新增 5 条" in out and "第 7 行" in out
    assert out_path.exists() and Membership.objects.filter(number="HX-2024-0101").exists()


def test_dry_run_writes_nothing_and_still_fails_on_invalid_rows(cast, upload, bad_file, capsys):
    before = snapshot()
    call_command("import_members", str(upload(good_rows())), "--dry-run")  # --user: the first staff account
    assert "仅校验（--dry-run），未写入任何数据。" in capsys.readouterr().out and snapshot() == before
    with pytest.raises(CommandError, match="11 行校验失败"):
        call_command("import_members", str(bad_file), "--dry-run")
    assert snapshot() == before


@pytest.mark.parametrize(("args", "message"), [
    (["missing.xlsx"], "找不到文件"),
    (["{good}", "--user", "nobody"], "找不到启用的用户“nobody”"),
    (["{good}", "--user", "chamber1"], "不能导入会员"),
    (["{exe}"], "不是有效的 Excel"),
])
def test_unusable_input_is_a_command_error(cast, upload, tmp_path, args, message):
    exe = tmp_path / "virus.xlsx"
    exe.write_bytes(b"MZ\x90\x00")
    paths = {"{good}": str(upload(good_rows())), "{exe}": str(exe)}
    with pytest.raises(CommandError, match=message):
        call_command("import_members", *[paths.get(a, a) for a in args])


def test_a_sheet_with_a_far_away_value_is_refused_in_chinese_and_leaves_nothing(cast, upload, capsys):
    """Issue 18.1: a sheet whose extent is out of proportion to its content (here a value in column GT,
    the 202nd; the 512 GB XFD1048576 case runs under a memory limit in common/tests/test_ooxml.py) is
    refused before python-calamine reads it: a Chinese error, exit status 1, nothing written."""
    from shanglian.common.tests.crafted import xlsx_bytes

    path = upload(good_rows())
    path.write_bytes(xlsx_bytes([("A1", "会员类型*"), ("B1", "入会日期*"), ("A2", "企业会员"), ("GT2", "远")]))
    before = snapshot()
    with pytest.raises(CommandError, match="工作表的数据区域异常") as refused:
        call_command("import_members", str(path), "--user", "staff")
    assert refused.value.returncode == 1 and snapshot() == before
