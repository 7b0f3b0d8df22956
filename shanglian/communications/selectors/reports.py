"""Reads of 调研报告: the list with its filters, who keeps reports, the surveys and visits a report may draw on, a
report's documents. Every read starts from `scopes.reports_visible_to` (the federation's roles; others 403)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.engagement.selectors.liaison import visits_visible_to

from ..models import ReportDocument, Survey
from .scopes import reports_visible_to, surveys_visible_to

SOURCE_CHOICES = 200  # the most recent surveys / visits a report's form offers (plus those it already names)
INSTRUCTED = {"yes": True, "no": False}


def can_keep(user):
    return role_of(user) in EDITOR_ROLES


def reports_editable_by(user):
    """The reports the editors keep (their federations'); a leader reads only (403)."""
    qs = reports_visible_to(user)
    if not can_keep(user):
        raise PermissionDenied("您没有修改调研报告的权限。")
    return qs


def report_list(user, *, filters=None):
    """The list page's and the export's rows: `filters` = {q (title or topic), method, submitted_to ("none": not
    submitted), instructed ("yes"/"no"), year (of the period's end)}."""
    filters = filters or {}
    qs = reports_visible_to(user).select_related("federation")
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(topic__icontains=q))
    if method := filters.get("method"):
        qs = qs.filter(method=method)
    if (destination := filters.get("submitted_to")) == "none":
        qs = qs.filter(submitted_to="")
    elif destination:
        qs = qs.filter(submitted_to=destination)
    if filters.get("instructed") in INSTRUCTED:
        qs = qs.filter(instructed=INSTRUCTED[filters["instructed"]])
    if year := filters.get("year"):
        qs = qs.filter(period_end__year=year)
    return qs


def _with(queryset, current_ids):
    """`queryset`'s most recent SOURCE_CHOICES rows, and the rows already chosen (kept when edited)."""
    recent = list(queryset.values_list("pk", flat=True)[:SOURCE_CHOICES])
    return queryset.model.objects.filter(Q(pk__in=recent) | Q(pk__in=list(current_ids)))


def source_surveys(user, *, current=()):
    """The surveys a report may draw on: the user's federation's surveys that were opened (not 设计中)."""
    qs = (surveys_visible_to(user).select_related(None).exclude(status=Survey.Status.DRAFT)
          .order_by("-opened_at", "-id"))
    return _with(qs, current).order_by("-opened_at", "-id")


def source_visits(user, *, current=()):
    """The liaison visits a report may draw on: the user's visits (an editor's: the federation's)."""
    qs = visits_visible_to(user).select_related(None).order_by("-visited_on", "-id")
    return _with(qs, current).select_related("enterprise").order_by("-visited_on", "-id")


def report_sources(user, report):
    """The surveys and visits a report drew on, each with the link the user may follow ("" when it may not)."""
    surveys = list(report.surveys.order_by("-opened_at", "-id"))
    seen = set(surveys_visible_to(user).filter(pk__in=[s.pk for s in surveys]).values_list("pk", flat=True))
    for survey in surveys:
        survey.url = reverse("communications:survey", args=[survey.pk]) if survey.pk in seen else ""
    visits = list(report.visits.select_related("enterprise").order_by("-visited_on", "-id"))
    try:
        seen = set(visits_visible_to(user).filter(pk__in=[v.pk for v in visits]).values_list("pk", flat=True))
    except PermissionDenied:
        seen = set()
    for visit in visits:
        visit.url = reverse("engagement:visit", args=[visit.pk]) if visit.pk in seen else ""
    return surveys, visits


def report_documents(report):
    return list(report.documents.select_related("uploaded_by").order_by("id"))


def documents_visible_to(user):
    """A document is downloaded by whoever reads its report."""
    return ReportDocument.objects.filter(report__in=reports_visible_to(user).values("pk"))


__all__ = ["can_keep", "documents_visible_to", "report_documents", "report_list", "report_sources",
           "reports_editable_by", "source_surveys", "source_visits"]
