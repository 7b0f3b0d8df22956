"""Load the GB/T 4754-2017 industry codes from shanglian/common/data/gbt4754_2017.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from shanglian.common.industry import load_industry_codes

    load_industry_codes(model=apps.get_model("common", "IndustryCode"))


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
