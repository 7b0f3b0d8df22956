"""Policy figures, registered with the figures layer (`shanglian.ui.figures`): how many policies are live,
how many were published in a period and by how many departments, how many times they were pushed to enterprises and how many of
those pushes were read. Records come from `selectors.policies_visible_to(user)` (the federation's
policies, drafts included; the live ones of the federations above for a chamber or a department), so
every figure is scoped like the library itself."""

from django.db.models import Count, Q

from shanglian.ui.figures import figure, share

from . import summaries as push_summaries
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


@figure("policies.issuing_departments", label="发布政策的部门", unit="个",
        definition="统计期间内新发布政策（已发布、发布日期在统计期间内，其后失效的也计入，草稿不计）的发布部门数，"
                   "同一部门发布多条只计一次；记录为这些政策")
def issuing_departments(*, user, period):
    policies = published_policies(user=user, period=period)
    return policies.order_by().aggregate(n=Count("department_id", distinct=True))["n"], policies


def deliveries(user, period, policies=None):
    """The pushes of the user's policies (`policies`, when already at hand) to enterprises in `period`."""
    start, end = period.bounds
    policies = policies_visible_to(user) if policies is None else policies
    return PolicyDelivery.objects.filter(policy__in=policies.order_by().values("pk"),
                                         pushed_at__gte=start, pushed_at__lt=end)


def push_counts(user, period, summaries):
    """(pushed, read) in `period` and the pushes themselves: the counts summed from the maintained push-day
    summary (`summaries.py`), or counted from the deliveries with `summaries=False` (the tests compare)."""
    policies = policies_visible_to(user)
    records = deliveries(user, period, policies)
    if summaries:
        return (*push_summaries.push_counts(policies, period), records)
    counts = records.aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
    return counts["total"], counts["read"], records


@figure("policies.deliveries", label="政策推送", unit="家次", definition="统计期间内把政策推送给企业的次数（一条政策推送给一家企业计一次）")
def policy_deliveries(*, user, period, summaries=True):
    pushed, _, records = push_counts(user, period, summaries)
    return pushed, records


@figure("policies.read_rate", label="推送已读率", unit="%",
        definition="统计期间内的推送中企业已阅读的比例；记录为期间内的推送（分母）")
def read_rate(*, user, period, summaries=True):
    pushed, read, records = push_counts(user, period, summaries)
    return share(read, pushed), records
