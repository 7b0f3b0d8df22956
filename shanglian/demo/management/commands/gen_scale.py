"""`manage.py gen_scale --scale district|city|province [--districts N] [--batch B]`: data at scale (demo mode
only, on an empty database, SQLite or PostgreSQL).

    district   2,000 enterprises, ~20,000 appeals      seed_demo at the size of one district
    city       100,000 / ~1,000,000                    + 49 copies of it under the demo city
    province   1,000,000 / ~10,000,000                 + 499 copies in 10 cities under a province federation

--lean leaves the histories and messages no figure counts out of the copies (`demo.scale.LEAN_SKIPPED`).

The district is `seed_demo` (`demo.scale.TEMPLATE`); the copies are made inside the database
(`demo.scale.copy_district`), a batch of districts a statement, with progress; memory stays that of seed_demo.
Logins: the demo's, the city's `city`, and for a province `province` (leader of the province federation); each
copy's logins are the demo's with the copy's number appended (staff-17).
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from shanglian.common.dbstats import refresh_planner_statistics
from shanglian.demo import logins, saving
from shanglian.demo import scale as scales
from shanglian.orgs.models import Federation

PROVINCE_LOGIN = "province"


class Command(BaseCommand):
    help = "生成规模数据：先用 seed_demo 生成一个区，再在数据库内复制为一个市或一个省的各区（仅演示模式，空库）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(scales.SCALES), required=True,
                            help="district：2 千家企业、2 万件诉求；city：10 万、100 万；province：100 万、1000 万")
        parser.add_argument("--districts", type=int, default=None,
                            help="每个市的区数（含演示区），默认按规模：district 1、city 50、province 50")
        parser.add_argument("--cities", type=int, default=None, help="市的个数，默认按规模：province 10，其余 1")
        parser.add_argument("--enterprises", type=int, default=scales.TEMPLATE["enterprises"],
                            help=f"每个区的企业数，默认 {scales.TEMPLATE['enterprises']:,}")
        parser.add_argument("--batch", type=int, default=25, help="每条语句复制的区数，默认 25")
        parser.add_argument("--lean", action="store_true",
                            help="副本不含诉求办理记录、通知、政策推送、扫码记录和通知接收人（省规模完整复制约需 75 GB 磁盘）")

    def handle(self, *args, scale=None, districts=None, cities=None, enterprises=None, batch=25, lean=False,
               **options):
        if getattr(settings, "DEMO", False) is not True:
            raise CommandError("gen_scale 仅可在演示模式下执行（设置环境变量 SHANGLIAN_DEMO=1）。")
        chosen = scales.SCALES[scale]
        chosen = scales.Scale(chosen.name, cities=chosen.cities if cities is None else cities,
                              districts_per_city=chosen.districts_per_city if districts is None else districts)
        if not 1 <= chosen.cities <= 99 or not 1 <= chosen.districts_per_city <= 90:
            raise CommandError("--cities 须在 1 到 99 之间，--districts 须在 1 到 90 之间。")
        if not 1 <= batch <= 500:
            raise CommandError("--batch 须在 1 到 500 之间。")
        if Federation.objects.exists():
            raise CommandError("数据库中已有工商联数据：gen_scale 只在空库上生成，不会覆盖或清空已有数据。")
        started = time.monotonic()
        self.stdout.write(f"第 1 步：生成一个区（seed_demo，{enterprises:,} 家企业，"
                          f"{scales.TEMPLATE['years']} 年诉求，每家每年 {scales.TEMPLATE['appeals_per_enterprise']} 件）")
        call_command("seed_demo", enterprises=enterprises, years=scales.TEMPLATE["years"],
                     appeals_per_enterprise=scales.TEMPLATE["appeals_per_enterprise"], stdout=self.stdout)
        if chosen.districts > 1:
            self.stdout.write(f"第 2 步：复制为 {chosen.cities} 个市、共 {chosen.districts} 个区")
            step = time.monotonic()
            with transaction.atomic():
                district = scales.district_of_demo()
                plan = scales.plan_copies(chosen, district, district.parent)
                written = scales.copy_district(plan, batch=batch, lean=lean,
                                               report=lambda line: self.stdout.write("  " + line))
                if chosen.cities > 1:
                    province = Federation.objects.get(level=Federation.Level.PROVINCE,
                                                      region_code=scales.PROVINCE["region_code"])
                    logins.create_province_login(province, PROVINCE_LOGIN)
                    self.stdout.write(f"  省工商联领导账号：{PROVINCE_LOGIN}，初始密码 {logins.DEMO_PASSWORD}")
            self.stdout.write(f"  复制完成：{sum(written.values()):,} 行，{time.monotonic() - step:.0f} 秒，"
                              f"内存峰值 {saving.peak_rss_mb():,.0f} MB")
            step = time.monotonic()
            refresh_planner_statistics()
            self.stdout.write(f"  统计信息（ANALYZE）：{time.monotonic() - step:.0f} 秒")
        self._summary(started)

    def _summary(self, started):
        with connection.cursor() as cursor:
            counts = []
            for label, table in (("工商联", "orgs_federation"), ("企业", "members_enterprise"),
                                 ("会员", "members_membership"), ("诉求", "appeals_appeal"),
                                 ("活动", "events_event"), ("签到", "events_checkin"),
                                 ("捐赠", "welfare_donation"), ("提案", "engagement_proposal"),
                                 ("走访", "engagement_visit"), ("用户", "accounts_user")):
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts.append(f"{label} {cursor.fetchone()[0]:,}")
        self.stdout.write(self.style.SUCCESS(f"已生成规模数据（用时 {time.monotonic() - started:.0f} 秒）：" + "，".join(counts)))
