from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.common.excel import Column, ImportSpec
from shanglian.common.models import DictItem
from shanglian.imports.registry import import_kind

from .views import KIND


@import_kind(KIND)
class ToyItemSpec(ImportSpec):
    title = "示例条目"
    columns = [Column("code", "编码", required=True, kind="code"), Column("label", "名称", required=True)]

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        super().__init__(actor=actor)

    def natural_key(self, values):
        return values["code"]

    def commit(self, batch):
        DictItem.objects.bulk_create([DictItem(kind=KIND, code=v["code"], label=v["label"]) for _, v in batch])
        return len(batch), 0
