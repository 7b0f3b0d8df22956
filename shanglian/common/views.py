"""The pickers' shared endpoint: the GB/T 4754 tree and its search (reference data, any signed-in user)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .pickers import industry_matches, industry_nodes, parse_levels, search_text


@login_required
@require_GET
def industry_options(request):
    """`?parent=C` → the children of a node; `?q=软件` → matching codes; neither → the 20 门类.
    `levels=division,group` → only those levels are offered for choosing."""
    levels = parse_levels(request.GET.get("levels"))
    query = search_text(request)
    if "q" in request.GET:
        nodes = industry_matches(query, levels)
        searched = True
    else:
        nodes = industry_nodes(search_text(request, "parent", limit=5), levels)
        searched = False
    return render(request, "common/industry_nodes.html", {
        "nodes": nodes, "searched": searched, "query": query, "levels": ",".join(levels)})
