"""What the reports' drill-down (`reports:records`) needs to know of each app's figures, taken from the apps
themselves — never a second copy of their columns or of their checks:

- the columns of the records behind a figure: the app's own (`RECORD_COLUMNS` of a `PartsStatistics` part, the
  events' and the appeals' `COLUMNS`, the member list's), else by the records' model (a membership, an appeal, an
  enterprise of another app's figure), else the generic ones (the record's name, linked to its page when it has
  one) — none shows personal data unmasked;
- the narrowing a figure takes from the GET parameters (a chamber, a category, a kind …): the app's own parsing
  where it has one (ids checked before any query, a wrong one is 404); for any other keyword the figure function
  declares, the value as text (at most `MAX_PARAM` characters; a name that holds an id is checked as one). A
  parameter the figure does not take is ignored.
"""

import inspect

from django.http import Http404

from shanglian.appeals import kpi_views as appeals_views
from shanglian.appeals.models import Appeal
from shanglian.common.validators import is_id
from shanglian.communications.statistics_views import STATISTICS as COMMUNICATIONS
from shanglian.engagement.statistics_views import STATISTICS as ENGAGEMENT
from shanglian.events import statistics_views as events_views
from shanglian.growth.statistics_views import STATISTICS as GROWTH
from shanglian.honours.statistics_views import STATISTICS as HONOURS
from shanglian.members import figures as member_figures
from shanglian.members import statistics_views as members_views
from shanglian.members.models import Enterprise, Membership
from shanglian.ui import figures as registry
from shanglian.ui.statistics import FALLBACK_COLUMNS
from shanglian.welfare.statistics_views import STATISTICS as WELFARE

MAX_PARAM = 40
# Keywords of a figure function that are not a row of a table: never taken from the GET parameters.
NOT_NARROWING = frozenset({"user", "period", "today", "summaries", "narrowing", "compare", "federation"})
# A keyword of these names holds a record's id.
ID_NAMES = frozenset({"chamber", "street", "department", "campaign", "programme", "committee", "survey", "person",
                      "village", "topic"})
STATISTICS = {s.app: s for s in (COMMUNICATIONS, ENGAGEMENT, GROWTH, HONOURS, WELFARE)}
MODEL_COLUMNS = {Membership: members_views.RECORD_COLUMNS, Appeal: appeals_views.APPEAL_COLUMNS,
                 Enterprise: appeals_views.ENTERPRISE_COLUMNS}


def _app(key):
    return key.split(".", 1)[0]


def columns(key, records):
    """The columns of the records behind figure `key` (`records`: its QuerySet)."""
    statistics = STATISTICS.get(_app(key))
    declared = statistics.declared(key, "RECORD_COLUMNS") if statistics is not None else None
    if declared is None and _app(key) == "events":
        declared = events_views.COLUMNS.get(key)
    if declared is None and _app(key) == "members":
        declared = member_figures.RECORD_COLUMNS.get(key)  # its enterprises and industries; memberships below
    if declared is None:
        declared = MODEL_COLUMNS.get(getattr(records, "model", None))
    return list(declared or FALLBACK_COLUMNS)


def _declared_keywords(key):
    """The keyword arguments the figure function names (not **narrowing)."""
    parameters = inspect.signature(registry.get(key).function).parameters.values()
    return [p.name for p in parameters
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name not in NOT_NARROWING]


def _plain(request, names, taken):
    """The keywords `names` from the GET parameters as text (ids checked), those not already in `taken`."""
    found = {}
    for name in names:
        if name in taken:
            continue
        value = (request.GET.get(name) or "").strip()[:MAX_PARAM]
        if not value:
            continue
        if name in ID_NAMES:
            if not is_id(value):
                raise Http404("没有该记录。")
            value = int(value)
        found[name] = value
    return found


def _appeals(request, key):
    if key == appeals_views.ENTERPRISES_ENROLLED:
        return {}
    return {name: value for name in ("category", "department")
            if (value := appeals_views._key_param(request, name)) is not None}


def _members(request, key):
    name = members_views.RECORD_PARAMS.get(key)
    value = (request.GET.get(name) or "").strip() if name else ""
    if not value:
        return {}
    if not is_id(value):
        raise Http404("没有该记录。")
    return {name: int(value)}


def narrowing(request, key):
    """The narrowing of figure `key` the request asks for, as the figure takes it; 404 for a malformed id."""
    app = _app(key)
    if app in STATISTICS:
        taken = STATISTICS[app].narrowing(request, key)
    elif app == "events":
        taken = events_views._narrowing(request)
        if key in events_views.TAKES:  # a figure that takes only some of the events' parameters
            taken = {name: value for name, value in taken.items() if name in events_views.TAKES[key]}
    elif app == "appeals":
        taken = _appeals(request, key)
    elif app == "members":
        taken = _members(request, key)
    else:
        taken = {}
    return {**taken, **_plain(request, _declared_keywords(key), taken)}


__all__ = ["FALLBACK_COLUMNS", "columns", "narrowing"]
