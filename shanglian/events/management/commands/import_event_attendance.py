"""python manage.py import_event_attendance FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx]
[--user NAME] (see `shanglian.imports.command` for the exit status): the sign-in sheets of past events.
The rows of persons already checked in are listed as 已签到 and skipped."""

from shanglian.events.imports import AttendanceImportSpec, import_attendance
from shanglian.imports.command import ImportCommand

SHOWN_SKIPPED = 50


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入活动签到表：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。已签到的人员跳过，不重复计数。")
    noun = "签到表"

    def import_file(self, *, actor, **kwargs):
        spec = AttendanceImportSpec(actor=actor)
        report = import_attendance(actor=actor, spec=spec, **kwargs)
        if report.committed and spec.skipped:
            self.stdout.write(f"已签到、跳过 {len(spec.skipped)} 行：")
            for row, name in spec.skipped[:SHOWN_SKIPPED]:
                self.stdout.write(f"  第 {row} 行 {name}：已签到，不重复计数")
            if len(spec.skipped) > SHOWN_SKIPPED:
                self.stdout.write(f"  ……另有 {len(spec.skipped) - SHOWN_SKIPPED} 行")
        elif not report.committed and spec.already:
            self.stdout.write(f"其中 {spec.already} 行的人员已签到，导入时将跳过。")
        return report

    def spec(self, actor):
        return AttendanceImportSpec(actor=actor)
