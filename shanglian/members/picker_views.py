"""The endpoints of the enterprise and person pickers (members.pickers): up to 10 matches in the user's
scope, rendered as the picker's list. A role without access to the registry gets 403."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shanglian.common.pickers import Match, render_matches, search_text

from . import selectors


@never_cache
@login_required
@require_GET
def pick_enterprises(request):
    query = search_text(request)
    matches = [Match(e.pk, e.name, e.uscc) for e in selectors.enterprise_matches(request.user, query)]
    return render_matches(request, matches, query=query, noun="企业",
                          hint="企业名称、拼音首字母或统一社会信用代码")


def _person_detail(person):
    facts = [person.get_gender_display()]
    if person.birth_year:
        facts.append(f"{person.birth_year}年生")
    facts += [f"{r.enterprise.name}{r.get_role_display()}" for r in person.picker_roles[:2]]
    return " · ".join(facts)


@never_cache
@login_required
@require_GET
def pick_persons(request):
    query = search_text(request)
    matches = [Match(p.pk, p.name, _person_detail(p)) for p in selectors.person_matches(request.user, query)]
    return render_matches(request, matches, query=query, noun="人员", hint="姓名或拼音首字母")
