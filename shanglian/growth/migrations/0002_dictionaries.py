from django.db import migrations

# 服务项目: the service programmes an enterprise is enrolled in (dictionary data staff may extend); the figure
# "纳入民营企业N家" counts the enrollments of every programme. 活动类型 gains the matchmaking kinds the board's
# outcomes are linked to (推介会 and 招聘会 are the events app's own).
DICTIONARIES = {
    "service_programme": [
        ("shuangwan", "双万双服"),
        ("key_enterprise", "重点企业服务"),
        ("startup", "初创企业帮扶"),
    ],
    "event_kind": [
        ("matchmaking", "企业对接洽谈会"),
        ("financing", "融资推介会"),
    ],
}


def seed(apps, schema_editor):
    DictItem = apps.get_model("common", "DictItem")
    for kind, items in DICTIONARIES.items():
        start = 0 if kind == "service_programme" else 200
        for position, (code, label) in enumerate(items, start=1):
            DictItem.objects.get_or_create(kind=kind, code=code,
                                           defaults={"label": label, "order": start + position * 10,
                                                     "is_active": True})


class Migration(migrations.Migration):
    dependencies = [("growth", "0001_initial"), ("common", "0005_numbersequence"), ("events", "0002_event_kinds")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
