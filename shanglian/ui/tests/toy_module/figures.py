from shanglian.common.models import DictItem
from shanglian.ui.figures import figure

from .views import KIND


@figure("toy_module.items", label="示例条目数", unit="条", definition="示例模块登记的条目（期间不限）")
def items(*, user, period):
    return DictItem.objects.filter(kind=KIND)
