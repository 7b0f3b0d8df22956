from django.db import migrations

# 公益项目类别 (DESIGN §2: 捐赠项目 is dictionary data staff may extend); the statistics group campaigns by it.
DICTIONARIES = {
    "welfare_campaign_kind": [
        ("rural", "乡村振兴（万企帮万村）"),
        ("epidemic", "疫情防控"),
        ("disaster", "灾害救助"),
        ("education", "助学助教"),
        ("poverty", "扶贫济困"),
        ("other", "其他公益"),
    ],
}


def seed(apps, schema_editor):
    DictItem = apps.get_model("common", "DictItem")
    for kind, items in DICTIONARIES.items():
        for position, (code, label) in enumerate(items, start=1):
            DictItem.objects.get_or_create(kind=kind, code=code,
                                           defaults={"label": label, "order": position * 10, "is_active": True})


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial"), ("common", "0005_numbersequence")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
