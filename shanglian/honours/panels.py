"""The 工作台 panel 商会评估, this year's: for the editors (sysadmin, staff) the 五有 of the township chambers of
their scope — the 达标率 and the chambers meeting all five (the registered figures, each linked to its records) —,
the evidence waiting for their check (待核实佐证, linked to exactly those items), the assessments submitted and
waiting to be confirmed, and the 四好商会; for a chamber secretary its own chamber's assessments of the year (status,
progress, items returned to supplement, the result) and, for a township chamber, how many of the five it meets.
Nothing for the other roles. A fixed number of queries whatever the rows."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.common.periods import Period
from shanglian.orgs.models import Chamber
from shanglian.ui.panels import Panel, register

from .figures.assessments import counted_card
from .models import Assessment, AssessmentItem
from .schemes import FIVE_HAVE
from .selectors import assessments as selectors

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741


def _list_url(name, **params):
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _editor_panel(user, today):
    year = today.year
    period = Period.custom(date(year, 1, 1), today)
    five = selectors.five_have_compliance(user, year=year)
    four = selectors.four_good_levels(user, year=year)
    pending = selectors.pending_evidence(user).count()
    submitted = selectors.assessment_list(user, filters={"status": A.SUBMITTED, "year": year}).count()
    cards = [counted_card("honours.five_have_rate", five.rate, period),
             counted_card("honours.five_have_complete", len(five.complete), period),
             counted_card("honours.four_good_chambers", len(four.good), period)]
    return Panel("honours/assessments/_panel.html", {
        "title": f"商会评估（{year}年）", "cards": cards, "five": five,
        "pending": pending, "pending_url": _list_url("honours:assessment_items", status=I.PENDING,
                                                     assessment_status=A.SUBMITTED),
        "submitted": submitted, "submitted_url": _list_url("honours:assessments", status=A.SUBMITTED, year=year),
        "compliance_url": _list_url("honours:compliance", year=year),
        "empty": not five.total and not four.confirmed and not four.unconfirmed and not pending,
    })


def _chamber_panel(user, today):
    year = today.year
    chamber = user.chamber
    assessments = list(selectors.assessment_list(user, filters={"year": year}).order_by("scheme", "id"))
    rows = [{"assessment": a, "label": a.get_scheme_display(), "status": a.get_status_display(),
             "progress": f"{a.verified_count}/{a.item_count}", "returned": a.returned_count,
             "result": (f"{a.total_score} 分 · {a.level}" if a.total_score is not None else a.level)
             if a.status == A.CONFIRMED else "",
             "url": reverse("honours:assessment", args=[a.pk])} for a in assessments]
    township = chamber.kind == Chamber.Kind.STREET and chamber.status == Chamber.Status.ACTIVE
    five = None
    if township:
        found = selectors.five_have_compliance(user, year=year)
        check = next((c for c in found.checks if c.chamber.pk == chamber.pk), None)
        if check is not None and check.assessment is not None:
            five = {"met": check.met_count, "total": len(FIVE_HAVE.items), "complete": check.complete,
                    "missing": [f"{FIVE_HAVE.item(code).label}（{reason}）"
                                for code, reason in check.shortfalls.items() if reason is not None]}
    returned = sum(row["returned"] for row in rows if row["assessment"].status == A.DRAFT)
    return Panel("honours/assessments/_panel_chamber.html", {
        "title": f"本商会评估（{chamber.name}，{year}年）", "rows": rows, "township": township, "five": five,
        "returned": returned, "returned_url": _list_url("honours:assessment_items", status=I.RETURNED,
                                                        assessment_status=A.DRAFT, year=year),
        "create_url": reverse("honours:assessment_create"), "list_url": reverse("honours:assessments"),
    })


@register
def assessment_panel(user):
    """商会评估 for the editors and for a chamber secretary; nothing for other roles."""
    role = role_of(user)
    today = timezone.localdate()
    if role in EDITOR_ROLES:
        return _editor_panel(user, today)
    if role == Role.CHAMBER and user.chamber_id:
        return _chamber_panel(user, today)
    return None
