"""What the communications app contributes to other apps' pages (discovered at startup, see `ui.sections`):

- 宣传与调研 on the enterprise 360° page (`"enterprise"`): the articles featuring it (宣传报道: the count and the latest
  few), the notices sent to it (received, read, the latest few with their read receipt) and the surveys sent to it
  (sent, answered, the latest few with its answer) — as the reader's scope holds them (`selectors.scopes`: the
  federation's roles all of their federations'; a chamber secretary its federation's articles, its own chamber's
  notices and surveys and its members' answers to them).
- 宣传报道 on a person's page (`"person"`: the member registry's person page and the representative's profile): the
  articles featuring the person.

Nothing for the roles that do not read them (a department, the enterprise itself, the auditor), nothing for a reader
when there is nothing to show; the editors always see the coverage, with 新增宣传报道 for this enterprise or person.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.http import urlencode

from shanglian.accounts.roles import MEMBER_READER_ROLES, role_of
from shanglian.ui.sections import Section, register

from .models import NoticeRecipient, Response, SurveyRecipient
from .selectors import articles as article_selectors
from .selectors.scopes import notices_visible_to, responses_visible_to, surveys_visible_to

SHOWN = 5  # the latest articles, notices and surveys listed (the counts cover them all)


def _coverage(user, articles, key, obj):
    """The coverage part of a section: the count, the latest SHOWN, the list of them all and 新增 for the editors."""
    total = articles.count()
    latest = list(articles.order_by("-published_on", "-id")[:SHOWN]) if total else []
    keeper = article_selectors.can_keep(user)
    query = urlencode({key: obj.pk})
    return {"articles": latest, "article_total": total,
            "articles_url": f"{reverse('communications:articles')}?{query}",
            "article_create_url": f"{reverse('communications:article_create')}?{query}" if keeper else "",
            "keeper": keeper}


@register("enterprise")
def enterprise_communications(user, enterprise):
    if role_of(user) not in MEMBER_READER_ROLES:
        return None
    coverage = _coverage(user, article_selectors.coverage_of_enterprise(user, enterprise), "enterprise", enterprise)
    notices = NoticeRecipient.objects.filter(
        enterprise=enterprise, notice__in=notices_visible_to(user).select_related(None).values("pk"))
    notice_counts = notices.order_by().aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
    latest_notices = (list(notices.select_related("notice").order_by("-notice__sent_at", "-id")[:SHOWN])
                      if notice_counts["total"] else [])
    surveys = SurveyRecipient.objects.filter(
        enterprise=enterprise, survey__in=surveys_visible_to(user).select_related(None).values("pk"))
    answered = responses_visible_to(user).select_related(None).filter(
        enterprise=enterprise, survey_id=OuterRef("survey_id"), status=Response.Status.SUBMITTED)
    survey_counts = surveys.order_by().aggregate(total=Count("pk"), answered=Count("pk", filter=Exists(answered)))
    surveys = surveys.annotate(answered=Exists(answered))
    latest_surveys = (list(surveys.select_related("survey").order_by("-survey__opened_at", "-id")[:SHOWN])
                      if survey_counts["total"] else [])
    found = coverage["article_total"] or notice_counts["total"] or survey_counts["total"]
    if not found and not coverage["keeper"]:
        return None
    return Section("communications/_enterprise_section.html", {
        "enterprise": enterprise, **coverage,
        "notices": latest_notices, "notice_counts": notice_counts,
        "surveys": latest_surveys, "survey_counts": survey_counts,
    })


@register("person")
def person_coverage(user, person):
    if role_of(user) not in MEMBER_READER_ROLES:
        return None
    coverage = _coverage(user, article_selectors.coverage_of_person(user, person), "person", person)
    if not coverage["article_total"] and not coverage["keeper"]:
        return None
    return Section("communications/_person_section.html", {"person": person, **coverage})
