from django.db import migrations

# 培养计划 and 议案提案主题: dictionaries staff may extend; the code reads neither code (the labels are the
# dictionary's), the statistics group by them.
DICTIONARIES = {
    "cultivation_plan": [
        ("outstanding_youth", "杰青领航计划"),
        ("new_generation", "新生代企业家培养"),
        ("young_successor", "青年企业家接班人培养"),
        ("backbone", "代表人士后备人才"),
    ],
    "proposal_topic": [
        ("business_environment", "营商环境"),
        ("finance", "融资与金融服务"),
        ("tax", "税费政策"),
        ("talent", "人才与用工"),
        ("land", "土地与空间"),
        ("innovation", "科技创新"),
        ("rural", "乡村振兴"),
        ("rule_of_law", "法治与权益保护"),
        ("other", "其他"),
    ],
}


def seed(apps, schema_editor):
    DictItem = apps.get_model("common", "DictItem")
    for kind, items in DICTIONARIES.items():
        for position, (code, label) in enumerate(items, start=1):
            DictItem.objects.get_or_create(kind=kind, code=code,
                                           defaults={"label": label, "order": position * 10, "is_active": True})


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial"), ("common", "0005_numbersequence")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
