"""Who sees which communications records — the one definition every list, page, export, figure and API read
starts from.

- The federation's roles (sysadmin, staff, leader): every record of their federations (their own and those under
  it); the editors keep them, the leaders read.
- A chamber secretary: the notices, surveys and saved filters of its own chamber, and of those surveys only the
  answers of its chamber's active members; the rules library and the publicity of its federation (read).
- An enterprise user: the notices sent to its enterprise (not withdrawn) and the surveys sent to it (open or
  closed); its enterprise's answers to a survey answered once per enterprise, its own to one answered per person.
- Everybody else (a department, the auditor): refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.members.selectors import chamber_member_ids
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import (
    Article,
    Notice,
    NoticeRecipient,
    Partner,
    ResearchReport,
    Response,
    Rule,
    SavedFilter,
    Survey,
    SurveyRecipient,
)

REFUSAL = "您没有访问通知调研与宣传的权限。"


def _role(user):
    role = role_of(user)
    if role is None:
        raise PermissionDenied(REFUSAL)
    return role


def _federation_or_chamber(qs, user, role):
    """The sender's scope of a notice, a survey or a saved filter."""
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(chamber_id=user.chamber_id)
    raise PermissionDenied(REFUSAL)


def notices_visible_to(user):
    """The back office's notices: the federation's roles all of their federations', a chamber its own."""
    role = _role(user)
    return _federation_or_chamber(Notice.objects.select_related("chamber", "created_by", "sent_by"), user, role)


def notices_received_by(user):
    """An enterprise's inbox: the notices sent to its enterprise and not withdrawn."""
    if _role(user) != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied(REFUSAL)
    sent_to = NoticeRecipient.objects.filter(enterprise_id=user.enterprise_id).values("notice_id")
    return Notice.objects.filter(pk__in=sent_to, status=Notice.Status.SENT)


def surveys_visible_to(user):
    role = _role(user)
    return _federation_or_chamber(Survey.objects.select_related("chamber", "created_by"), user, role)


def surveys_sent_to(user):
    """The surveys an enterprise's user may open on the phone: sent to its enterprise, open or closed."""
    if _role(user) != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied(REFUSAL)
    sent_to = SurveyRecipient.objects.filter(enterprise_id=user.enterprise_id).values("survey_id")
    return Survey.objects.filter(pk__in=sent_to, status__in=(Survey.Status.OPEN, Survey.Status.CLOSED))


def responses_visible_to(user):
    """Answers: the federation's roles every submitted answer to their federations' surveys; a chamber secretary
    the submitted answers of its chamber's active members to its own chamber's surveys; an enterprise user its
    enterprise's answers (a survey answered once per enterprise) and its own (one answered per person), drafts
    included."""
    role = _role(user)
    qs = Response.objects.select_related("survey", "enterprise", "respondent")
    submitted = Response.Status.SUBMITTED
    if role in FEDERATION_ROLES:
        return qs.filter(survey__federation_id__in=federation_ids_in_scope(user), status=submitted)
    if role == Role.CHAMBER:
        return qs.filter(survey__chamber_id=user.chamber_id, enterprise_id__in=chamber_member_ids(user.chamber_id),
                         status=submitted)
    if role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(Q(respondent_key=f"e{user.enterprise_id}") | Q(respondent_key=f"u{user.pk}"),
                         enterprise_id=user.enterprise_id)
    raise PermissionDenied(REFUSAL)


def saved_filters_visible_to(user):
    role = _role(user)
    return _federation_or_chamber(SavedFilter.objects.all(), user, role)


def reports_visible_to(user):
    """调研报告: the federation's roles."""
    if _role(user) not in FEDERATION_ROLES:
        raise PermissionDenied(REFUSAL)
    return ResearchReport.objects.filter(federation_id__in=federation_ids_in_scope(user))


def _reader_federation_ids(user, role):
    if role in FEDERATION_ROLES:
        return federation_ids_in_scope(user)
    if role == Role.CHAMBER:
        return [user.chamber.federation_id]
    raise PermissionDenied(REFUSAL)


def articles_visible_to(user):
    """宣传稿件: the federation's roles and the chambers of the federation (read)."""
    role = _role(user)
    return Article.objects.filter(federation_id__in=_reader_federation_ids(user, role))


def rules_visible_to(user):
    """规章制度: the federation's roles and the chambers of the federation (read)."""
    role = _role(user)
    return Rule.objects.filter(federation_id__in=_reader_federation_ids(user, role))


def partners_visible_to(user):
    """友好商会与交流: the federation's roles."""
    if _role(user) not in FEDERATION_ROLES:
        raise PermissionDenied(REFUSAL)
    return Partner.objects.filter(federation_id__in=federation_ids_in_scope(user))
