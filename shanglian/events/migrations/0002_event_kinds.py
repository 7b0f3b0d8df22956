from django.db import migrations

# 活动类型: the dictionary staff may extend. The codes of trainings (training, seminar), of the events that
# collect appeals (dialogue, breakfast, symposium) and of statutory meetings (congress … chamber_assembly)
# are what the code reads (events.models); the labels are the dictionary's.
EVENT_KINDS = [
    ("training", "培训班"),
    ("seminar", "研讨班"),
    ("symposium", "座谈会"),
    ("dialogue", "恳谈会"),
    ("breakfast", "早餐会"),
    ("forum", "论坛"),
    ("promotion", "推介会"),
    ("job_fair", "招聘会"),
    ("study_tour", "考察"),
    ("congress", "会员代表大会"),
    ("executive", "执委会"),
    ("standing", "常委会"),
    ("chair_office", "主席办公会"),
    ("chamber_board", "商会理事会"),
    ("chamber_assembly", "商会会员大会"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    DictItem = apps.get_model("common", "DictItem")
    for position, (code, label) in enumerate(EVENT_KINDS, start=1):
        DictItem.objects.get_or_create(kind="event_kind", code=code,
                                       defaults={"label": label, "order": position * 10, "is_active": True})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("common", "0005_numbersequence")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
