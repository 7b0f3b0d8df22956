"""Which enterprises a policy is for, and which policies an enterprise is eligible for — both as
database filters (no enterprise or policy is loaded into Python to decide).

A condition left empty on the policy does not restrict. An enterprise whose attribute is unknown
(no size, no employee count, no founding date, no street) is eligible only for policies that do not
set that condition: a policy for 小微企业 is not pushed to an enterprise whose size nobody entered.
"""


from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from shanglian.members.models import Enterprise, Membership
from shanglian.members.selectors import membership_in_force_q

from .models import Policy, PolicyIndustry, live_q


def years_before(day, years):
    """The same calendar day `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def registered_years(founded, on):
    """Full years since the founding date on `on`."""
    return on.year - founded.year - ((on.month, on.day) < (founded.month, founded.day))


def _industry_prefixes(enterprise):
    code = enterprise.industry_id or ""
    prefixes = {code[:n] for n in (2, 3, 4) if len(code) >= n}
    section = getattr(enterprise.industry, "section", "") if enterprise.industry_id else ""
    if section:
        prefixes.add(section)
    return sorted(prefixes)


def federations_above(federation):
    """The federation and those above it (a city's policy applies to its districts)."""
    ids = []
    while federation is not None:
        ids.append(federation.pk)
        federation = federation.parent
    return ids


def eligibility_q(enterprise, on=None):
    """A filter on Policy: the eligibility conditions that `enterprise` meets on `on` (not the status)."""
    on = on or timezone.localdate()
    industries = PolicyIndustry.objects.filter(policy_id=OuterRef("pk"))
    q = Q(federation_id__in=federations_above(enterprise.federation))
    q &= ~Exists(industries) | Exists(industries.filter(prefix__in=_industry_prefixes(enterprise)))
    q &= Q(sizes="") | (Q(sizes__contains=f",{enterprise.size},") if enterprise.size else Q(pk__in=[]))
    type_code = enterprise.enterprise_type.code if enterprise.enterprise_type_id else ""
    q &= Q(enterprise_types="") | (Q(enterprise_types__contains=f",{type_code},") if type_code else Q(pk__in=[]))
    q &= Q(streets="") | (Q(streets__contains=f",{enterprise.street_id},") if enterprise.street_id else Q(pk__in=[]))
    if not enterprise.is_high_tech:
        q &= Q(high_tech_required=False)
    if enterprise.employees is None:
        q &= Q(min_employees__isnull=True, max_employees__isnull=True)
    else:
        q &= (Q(min_employees__isnull=True) | Q(min_employees__lte=enterprise.employees))
        q &= (Q(max_employees__isnull=True) | Q(max_employees__gte=enterprise.employees))
    if enterprise.founded is None:
        q &= Q(min_registered_years__isnull=True, max_registered_years__isnull=True)
    else:
        years = registered_years(enterprise.founded, on)
        q &= (Q(min_registered_years__isnull=True) | Q(min_registered_years__lte=years))
        q &= (Q(max_registered_years__isnull=True) | Q(max_registered_years__gte=years))
    is_member = Membership.objects.filter(membership_in_force_q(on), enterprise=enterprise).exists()
    if not is_member:
        q &= Q(members_only=False)
    return q


def policies_for_enterprise(enterprise, on=None, queryset=None):
    """The live policies the enterprise is eligible for (为您推荐)."""
    on = on or timezone.localdate()
    qs = queryset if queryset is not None else Policy.objects.all()
    return qs.filter(live_q(on)).filter(eligibility_q(enterprise, on))


def matching_q(policy, on=None):
    """A filter on Enterprise: the enterprises that meet every condition of `policy` on `on`."""
    on = on or timezone.localdate()
    q = Q(federation_id__in=policy.federation.subtree_ids())
    prefixes = list(policy.industries.values_list("prefix", flat=True))
    if prefixes:
        industry = Q()
        for prefix in prefixes:
            industry |= Q(industry__section=prefix) if prefix.isalpha() else Q(industry__code__startswith=prefix)
        q &= industry
    if policy.size_list:
        q &= Q(size__in=policy.size_list)
    if policy.enterprise_type_list:
        q &= Q(enterprise_type__code__in=policy.enterprise_type_list)
    if policy.street_ids:
        q &= Q(street_id__in=policy.street_ids)
    if policy.high_tech_required:
        q &= Q(is_high_tech=True)
    if policy.min_employees is not None:
        q &= Q(employees__gte=policy.min_employees)
    if policy.max_employees is not None:
        q &= Q(employees__lte=policy.max_employees)
    if policy.min_registered_years is not None:
        q &= Q(founded__lte=years_before(on, policy.min_registered_years))
    if policy.max_registered_years is not None:
        q &= Q(founded__gt=years_before(on, policy.max_registered_years + 1))
    if policy.members_only:
        q &= Exists(Membership.objects.filter(membership_in_force_q(on), enterprise_id=OuterRef("pk")))
    return q


def enterprises_for_policy(policy, on=None, queryset=None):
    qs = queryset if queryset is not None else Enterprise.objects.all()
    return qs.filter(matching_q(policy, on))
