from django.core.management.base import BaseCommand, CommandError

from shanglian.common.industry import load_industry_codes


class Command(BaseCommand):
    help = "导入或更新国民经济行业分类（GB/T 4754-2017），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--path", help="数据文件路径（CSV），默认使用内置的 gbt4754_2017.csv")

    def handle(self, *args, path=None, **options):
        try:
            count = load_industry_codes(path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"导入行业分类失败：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已导入或更新 {count} 条行业分类代码。"))
