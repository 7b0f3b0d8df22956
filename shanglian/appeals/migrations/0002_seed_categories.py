from django.db import migrations

# (code, name, reply working days, sign-for working hours, rights case). Editable afterwards.
CATEGORIES = [
    ("consult", "政策咨询", 1, 2, False),
    ("finance", "融资贷款", 5, 2, False),
    ("labour", "用工招聘", 5, 2, False),
    ("approval", "审批许可", 5, 2, False),
    ("utilities", "水电气暖", 5, 2, False),
    ("land", "用地厂房", 5, 2, False),
    ("market", "市场拓展", 5, 2, False),
    ("innovation", "科技创新", 5, 2, False),
    ("suggestion", "意见建议", 5, 2, False),
    ("complaint", "投诉举报", 10, 2, False),
    ("rights", "维权服务", 10, 2, True),
]


def seed(apps, schema_editor):
    AppealCategory = apps.get_model("appeals", "AppealCategory")
    for order, (code, name, days, hours, rights) in enumerate(CATEGORIES, start=1):
        AppealCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "reply_days": days, "sign_hours": hours, "is_rights_case": rights,
                      "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
