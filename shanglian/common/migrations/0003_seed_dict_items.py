"""Seed the dictionaries that forms and imports rely on; existing entries are left as staff edited them."""

from django.db import migrations

SEED = {
    "enterprise_type": [
        ("private", "私营企业"),
        ("individual", "个体工商户"),
        ("foreign", "外商投资企业"),
        ("hmt", "港澳台投资企业"),
        ("other", "其他"),
    ],
    "political_affiliation": [
        ("cpc", "中共党员"),
        ("democratic", "民主党派"),
        ("nonparty", "无党派人士"),
        ("masses", "群众"),
    ],
    "education": [
        ("doctor", "博士研究生"),
        ("master", "硕士研究生"),
        ("bachelor", "大学本科"),
        ("college", "大专"),
        ("other", "其他"),
    ],
}


def seed(apps, schema_editor):
    DictItem = apps.get_model("common", "DictItem")
    for kind, items in SEED.items():
        for position, (code, label) in enumerate(items, start=1):
            DictItem.objects.get_or_create(
                kind=kind, code=code, defaults={"label": label, "order": position * 10, "is_active": True}
            )


class Migration(migrations.Migration):
    dependencies = [("common", "0002_load_industry_codes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop, elidable=False)]
