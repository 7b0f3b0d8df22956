"""A new app's import kind, as the tests declare it: DictItem rows of kind "toy", staff only."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.common.excel import Column, ImportSpec
from shanglian.common.models import DictItem

KIND = "toy"


class ToySpec(ImportSpec):
    """A new app's import: DictItem rows of kind "toy", staff only."""

    title = "玩具"
    columns = [Column("code", "编码", required=True, kind="code"), Column("label", "名称", required=True)]

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        super().__init__(actor=actor)

    def natural_key(self, values):
        return values["code"]

    def commit(self, batch):
        DictItem.objects.bulk_create([DictItem(kind=KIND, code=v["code"], label=v["label"]) for _, v in batch])
        return len(batch), 0


def toy_file(rows, name="玩具.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.title = "玩具"
    sheet.append(["编码", "名称"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
