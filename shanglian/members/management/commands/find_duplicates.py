"""`manage.py find_duplicates [--federation ID …]`: queue the suspected duplicate enterprises and persons of every
federation (or of those named) as 疑似重复 (`members.duplicates.scan`); a pair dismissed before is not proposed again.
Run it nightly or after a bulk import; staff review the queue at 会员管理 → 疑似重复."""

from django.core.management.base import BaseCommand, CommandError

from shanglian.members.duplicates import scan
from shanglian.orgs.models import Federation


class Command(BaseCommand):
    help = "查找各工商联的疑似重复企业和人士，放入“疑似重复”待处理队列（已标为非重复的不再提示）。"

    def add_arguments(self, parser):
        parser.add_argument("--federation", type=int, action="append", dest="federations", metavar="ID",
                            help="只查找这个工商联（可多次指定）；不指定则查找全部")

    def handle(self, *args, federations=None, **options):
        qs = Federation.objects.order_by("pk")
        if federations:
            qs = qs.filter(pk__in=federations)
            missing = sorted(set(federations) - set(qs.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"工商联不存在：{'、'.join(str(pk) for pk in missing)}")
        totals = [0, 0]
        for federation in qs:
            result = scan(federation)
            totals = [totals[0] + result.found, totals[1] + result.created]
            self.stdout.write(f"{federation}：疑似重复 {result.found} 组，新增待处理 {result.created} 组，"
                              f"已标为非重复 {result.dismissed} 组")
        self.stdout.write(f"完成：疑似重复 {totals[0]} 组，新增待处理 {totals[1]} 组。")
