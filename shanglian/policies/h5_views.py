"""The enterprise's policy pages (mobile-first H5): 为您推荐 (the live policies its enterprise is
eligible for), every live policy with a search, and one policy — opening it is the read receipt.
Enterprise users only; everything starts from the selectors' scope."""

from django.core.paginator import Paginator
from django.shortcuts import render

from shanglian.accounts.roles import enterprise_only
from shanglian.ui.shortcuts import get_visible_or_404

from . import search, selectors, services
from .eligibility import NOT_SET, eligibility_rows
from .forms import H5SearchForm

RECOMMEND_PREVIEW = 10
PER_PAGE = 20


def _render(request, template, context):
    """Every policy phone page: the 政策 tab is the active one."""
    return render(request, template, {**context, "tab": "policies"})


def _page(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _querystring(request, **changes):
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@enterprise_only
def h5_list(request):
    user = request.user
    form = H5SearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    recommended = selectors.recommended_policies(user)
    show_all_recommended = request.GET.get("show") == "recommended" and not q
    context = {"form": form, "q": q, "show_all_recommended": show_all_recommended}
    if show_all_recommended:
        page = _page(request, recommended if recommended is not None else [])
        context.update(page_obj=page, policies=list(page.object_list))
    else:
        if not q and recommended is not None:
            context["recommended"] = list(recommended[:RECOMMEND_PREVIEW])
            context["recommended_count"] = recommended.count()
        page = _page(request, selectors.policy_list(user, filters={"q": q}))
        policies = list(page.object_list)
        matched_ids = selectors.recommended_ids(recommended, policies)
        for policy in policies:  # 符合条件 on the cards of the whole library; the words found, marked
            policy.matched = policy.pk in matched_ids
            if q:
                policy.marked_title = search.highlight(policy.title, q)
                policy.snippet = search.snippet(policy, q)
        context.update(page_obj=page, policies=policies)
    context["querystring"] = _querystring(request)
    return _render(request, "policies/h5/list.html", context)


@enterprise_only
def h5_detail(request, pk):
    user = request.user
    policy = get_visible_or_404(selectors.policies_visible_to(user).prefetch_related("attachments"), pk)
    services.record_read(actor=user, policy=policy)
    eligibility = eligibility_rows(policy)
    return _render(request, "policies/h5/detail.html", {
        "policy": policy,
        "status": policy.status_on(),
        "matched": selectors.is_recommended(user, policy),
        "eligibility": eligibility,
        "conditions_set": any(text != NOT_SET for _label, text in eligibility),
        "attachments": policy.attachments.all(),
    })
