"""An appeal's 联系电话 (encrypted), and the timeline's internal notes.

Until now the desk's 受理意见 and 派单意见 were written into the step's note, which the enterprise
reads word for word. They were typed without that warning, so they all become internal: the dispatch
step keeps its own line (承办部门…；办理期限…) for the enterprise, the words typed after it and the
whole 受理意见 move to `internal_note`. Nothing that was internal becomes visible.
"""

import re

import shanglian.common.fields
import shanglian.common.validators
from django.db import migrations, models


DISPATCH_LINE = re.compile(r"^(承办部门：.*?；办理期限：\d{4}-\d{2}-\d{2})(?:。(.*))?$", re.DOTALL)


def split_desk_notes(apps, schema_editor):
    entries = apps.get_model("appeals", "TimelineEntry").objects  # the plain manager: no immutability guard
    for pk, note in entries.filter(action="accept").exclude(note="").values_list("pk", "note"):
        entries.filter(pk=pk).update(note="", internal_note=note)
    for pk, note in entries.filter(action="dispatch").exclude(note="").values_list("pk", "note"):
        match = DISPATCH_LINE.match(note)
        if match is None:  # not written by the dispatch service: keep all of it internal
            entries.filter(pk=pk).update(note="", internal_note=note)
        elif match.group(2):
            entries.filter(pk=pk).update(note=match.group(1), internal_note=match.group(2))


def join_desk_notes(apps, schema_editor):
    entries = apps.get_model("appeals", "TimelineEntry").objects
    for pk, action, note, internal in (entries.filter(action__in=("accept", "dispatch")).exclude(internal_note="")
                                       .values_list("pk", "action", "note", "internal_note")):
        joined = f"{note}。{internal}" if action == "dispatch" and note else internal
        entries.filter(pk=pk).update(note=joined, internal_note="")


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0002_seed_categories'),
    ]

    operations = [
        migrations.AddField(
            model_name='appeal',
            name='contact_mobile',
            field=shanglian.common.fields.EncryptedTextField(blank=True, validators=[shanglian.common.validators.validate_mobile], verbose_name='联系电话'),
        ),
        migrations.AddField(
            model_name='timelineentry',
            name='internal_note',
            field=models.TextField(blank=True, verbose_name='内部意见'),
        ),
        migrations.RunPython(split_desk_notes, join_desk_notes),
    ]
