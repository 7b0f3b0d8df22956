from shanglian.common.models import DictItem
from shanglian.demo.registry import register

from .views import KIND


def counts():
    return [("示例条目", DictItem.objects.filter(kind=KIND).count())]


@register("toy_module", after=("members",), counts=counts)
def seed(run):
    return DictItem.objects.bulk_create([DictItem(kind=KIND, code=f"T{i}", label=f"示例{i}") for i in range(3)])
