from django.db import migrations

BENEFIT_TYPES = [
    ("subsidy", "资金补贴"),
    ("tax", "税费减免"),
    ("finance", "融资支持"),
    ("talent", "人才支持"),
    ("innovation", "科技创新"),
    ("land", "用地用房"),
    ("market", "市场开拓"),
    ("employment", "稳岗就业"),
    ("service", "政务服务"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    DictItem = apps.get_model("common", "DictItem")
    for position, (code, label) in enumerate(BENEFIT_TYPES, start=1):
        DictItem.objects.get_or_create(kind="benefit_type", code=code,
                                       defaults={"label": label, "order": position * 10, "is_active": True})


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial"), ("common", "0005_numbersequence")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
