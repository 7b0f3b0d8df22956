"""python manage.py annual_report --federation 120103 --year 2026 --out 河西区2026年度工作报告.docx [--xlsx 指标.xlsx]

Generate a federation's annual work report at once (no background task), with progress lines on stderr. CODE is the
federation's 行政区划代码 (GB/T 2260, e.g. 120103); where a city and its 市本级 share a code, add `--level`. The
figures are computed as a user of the federation sees them: `--user USERNAME` (a sysadmin, staff or leader whose
scope holds the federation), by default the federation's first active staff member (else a leader, a sysadmin).
The run is recorded like one asked for on the page (年度工作报告 → 生成记录), so its files can be downloaded there too.
"""

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from shanglian.accounts.roles import Role
from shanglian.accounts.selectors import users_in_role
from shanglian.common.errors import Refused
from shanglian.orgs.models import Federation

from ...annual.generate import generate_report, stored_path
from ...models import ReportRun
from ...services.annual import request_report


class Command(BaseCommand):
    help = "生成工商联年度工作报告（Word，GB/T 9704 公文格式；可另附每项指标的 Excel 表）。"

    def add_arguments(self, parser):
        parser.add_argument("--federation", required=True, metavar="CODE", help="工商联的行政区划代码，如 120103")
        parser.add_argument("--level", choices=[level.value for level in Federation.Level],
                            help="同一代码有多个工商联时指定层级")
        parser.add_argument("--year", required=True, type=int, help="报告年度，如 2026")
        parser.add_argument("--out", required=True, type=Path, help="Word 报告的保存路径（.docx）")
        parser.add_argument("--xlsx", type=Path, help="指标 Excel 表的保存路径（可选）")
        parser.add_argument("--user", help="按该用户的权限计算指标（默认：该工商联的工作人员）")

    def handle(self, *args, federation, level, year, out, xlsx, user, **options):
        home = self._federation(federation, level)
        actor = self._user(user, home)

        def progress(percent, step):
            self.stderr.write(f"[{percent:3d}%] {step}")

        try:
            run = request_report(actor=actor, federation=home, year=year, enqueue=False)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except Refused as exc:
            raise CommandError(exc.message) from exc
        except PermissionDenied as exc:
            raise CommandError(f"用户“{actor}”无权查看{home.name}的统计数据。") from exc
        run = generate_report(run, progress=progress)
        if run.status != ReportRun.Status.DONE:
            raise CommandError(f"生成失败：{run.error}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stored_path(run.docx_name), out)
        self.stderr.write(f"已写出 Word 报告：{out}")
        if xlsx is not None:
            xlsx.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stored_path(run.xlsx_name), xlsx)
            self.stderr.write(f"已写出指标 Excel 表：{xlsx}")

    def _federation(self, code, level):
        found = Federation.objects.filter(region_code=(code or "").strip())
        if level:
            found = found.filter(level=level)
        found = list(found.order_by("pk")[:2])
        if not found:
            raise CommandError(f"没有行政区划代码为“{code}”的工商联。")
        if len(found) > 1:
            raise CommandError(f"行政区划代码“{code}”对应多个工商联，请用 --level 指定层级。")
        return found[0]

    def _user(self, username, home):
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"没有用户名为“{username}”的有效用户。")
            return user
        for role in (Role.STAFF, Role.LEADER, Role.SYSADMIN):
            user = users_in_role(role, federation_id=home.pk).order_by("pk").first()
            if user is not None:
                return user
        raise CommandError(f"{home.name}没有有效的工作人员、领导或系统管理员账户，无法按其权限计算指标；请用 --user 指定用户。")
