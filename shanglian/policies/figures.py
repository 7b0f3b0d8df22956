"""Policy figures, registered with the figures layer (`shanglian.ui.figures`): how many policies are live,
how many were published in a period, how many times they were pushed to enterprises and how many of
those pushes were read. Records come from `selectors.policies_visible_to(user)` (the federation's
policies, drafts included; the live ones of the federations above for a chamber or a department), so
every figure is scoped like the library itself."""

from django.db.models import Count, Q

from shanglian.ui.figures import figure, share

from .models import Policy, PolicyDelivery
from .selectors import policies_visible_to


@figure("policies.live", label="有效政策", unit="条", compare=False,
        definition="统计期末已发布且未过失效日期的政策（政策库“已发布”）")
def live_policies(*, user, period):
    return policies_visible_to(user).live(period.end)


@figure("policies.published", label="新发布政策", unit="条",
        definition="已发布、发布日期在统计期间内的政策（其后失效的也计入，草稿不计）")
def published_policies(*, user, period):
    return (policies_visible_to(user).exclude(status=Policy.Status.DRAFT)
            .filter(published_on__gte=period.start, published_on__lte=period.end))


def deliveries(user, period):
    """The pushes of the user's policies to enterprises in `period`."""
    start, end = period.bounds
    return PolicyDelivery.objects.filter(policy__in=policies_visible_to(user).order_by().values("pk"),
                                         pushed_at__gte=start, pushed_at__lt=end)


@figure("policies.deliveries", label="政策推送", unit="家次", definition="统计期间内把政策推送给企业的次数（一条政策推送给一家企业计一次）")
def policy_deliveries(*, user, period):
    return deliveries(user, period)


@figure("policies.read_rate", label="推送已读率", unit="%",
        definition="统计期间内的推送中企业已阅读的比例；记录为期间内的推送（分母）")
def read_rate(*, user, period):
    records = deliveries(user, period)
    counts = records.aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
    return share(counts["read"], counts["total"]), records
