"""Reads of 宣传报道: the list with its filters, who keeps articles, the persons and enterprises an article features
(each linked when the reader may open it), an article's scans, the coverage of one enterprise or one person. Every
read starts from `scopes.articles_visible_to` (the federation's roles and the chambers of the federation; others
403)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.urls import reverse

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.members.models import Enterprise, Person
from shanglian.members.selectors import enterprises_visible_to, persons_visible_to

from ..models import Article, ArticleScan
from .scopes import articles_visible_to


def can_keep(user):
    return role_of(user) in EDITOR_ROLES


def articles_editable_by(user):
    """The articles the editors keep (their federations'); a leader or a chamber secretary reads only (403)."""
    qs = articles_visible_to(user)
    if not can_keep(user):
        raise PermissionDenied("您没有修改宣传报道的权限。")
    return qs


def with_featured(qs):
    """`qs` with the featured persons and enterprises prefetched by name only (two queries whatever the rows)."""
    return qs.prefetch_related(Prefetch("persons", queryset=Person.objects.only("id", "name").order_by("id")),
                               Prefetch("enterprises", queryset=Enterprise.objects.only("id", "name").order_by("id")))


def article_list(user, *, filters=None):
    """The list page's and the export's rows: `filters` = {q (title or outlet), level, kind, year, start, end (刊发
    日期), enterprise, person (records or ids: the articles featuring them)}."""
    filters = filters or {}
    qs = articles_visible_to(user).select_related("federation")
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(outlet__icontains=q))
    for name in ("level", "kind"):
        if value := filters.get(name):
            qs = qs.filter(**{name: value})
    if year := filters.get("year"):
        qs = qs.filter(published_on__year=year)
    if start := filters.get("start"):
        qs = qs.filter(published_on__gte=start)
    if end := filters.get("end"):
        qs = qs.filter(published_on__lte=end)
    if enterprise := filters.get("enterprise"):
        qs = qs.filter(pk__in=Article.enterprises.through.objects.filter(
            enterprise_id=getattr(enterprise, "pk", enterprise)).values("article_id"))
    if person := filters.get("person"):
        qs = qs.filter(pk__in=Article.persons.through.objects.filter(
            person_id=getattr(person, "pk", person)).values("article_id"))
    return with_featured(qs)


def featured(user, article):
    """The persons and enterprises `article` features, each with `url` set when the user may open its page."""
    persons = list(article.persons.only("id", "name").order_by("id"))
    enterprises = list(article.enterprises.only("id", "name", "uscc").order_by("id"))
    seen_persons = set(persons_visible_to(user).filter(pk__in=[p.pk for p in persons]).values_list("pk", flat=True))
    seen_firms = set(enterprises_visible_to(user).filter(pk__in=[e.pk for e in enterprises])
                     .values_list("pk", flat=True))
    for p in persons:
        p.url = reverse("members:person_detail", args=[p.pk]) if p.pk in seen_persons else ""
    for e in enterprises:
        e.url = reverse("members:enterprise_detail", args=[e.pk]) if e.pk in seen_firms else ""
    return persons, enterprises


def article_scans(article):
    return list(article.scans.select_related("uploaded_by").order_by("id"))


def scans_visible_to(user):
    """A scan is downloaded by whoever reads its article."""
    return ArticleScan.objects.filter(article__in=articles_visible_to(user).values("pk"))


def coverage_of_enterprise(user, enterprise):
    """The articles featuring `enterprise` that the user reads."""
    return articles_visible_to(user).filter(pk__in=Article.enterprises.through.objects.filter(
        enterprise_id=enterprise.pk).values("article_id"))


def coverage_of_person(user, person):
    """The articles featuring `person` that the user reads."""
    return articles_visible_to(user).filter(pk__in=Article.persons.through.objects.filter(
        person_id=person.pk).values("article_id"))


__all__ = ["article_list", "article_scans", "articles_editable_by", "can_keep", "coverage_of_enterprise",
           "coverage_of_person", "featured", "scans_visible_to", "with_featured"]
