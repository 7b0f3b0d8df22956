"""Scoped reads of the rules library (规章制度): the rules, their versions, the version in force on a day, the
rules in force on a day ("共38项制度"), the comparison of two versions, and the resolutions a version may cite.

Every read starts from `scopes.rules_visible_to(user)`: the federation's roles read their federations' rules, a
chamber secretary those of its federation; the others are refused (403). The editors (sysadmin, staff) keep them
(`rules_editable_by`: 403 for a reader, the same scope).

A rule is in force on a day D when it is not repealed by then (`repealed_on` empty or after D) and one of its
versions is effective by then (`effective_from` ≤ D); the version in force is the newest of those (a later
version's effective date is always after the earlier one's: `services.rules` keeps it so).
"""

import difflib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.events.models import CHAMBER_BODIES, Body
from shanglian.events.selectors import resolutions_visible_to
from shanglian.orgs.selectors import count_of

from ..models import Rule, RuleVersion
from .scopes import rules_visible_to

EDITOR_REFUSAL = "只有工商联工作人员可以维护规章制度。"
C = Rule.Category
CATEGORY_ORDER = [value for value, _ in C.choices]
# The bodies whose meetings adopt the federation's own rules (a chamber's 理事会/会员大会 adopt the chamber's).
ADOPTING_BODIES = [(value, label) for value, label in Body.choices if value not in CHAMBER_BODIES]


class Status:
    """A rule's state on a day, as the list and its filter name it."""

    IN_FORCE = "in_force"
    PENDING = "pending"
    REPEALED = "repealed"
    CHOICES = [(IN_FORCE, "现行有效"), (PENDING, "尚未施行"), (REPEALED, "已废止")]
    LABELS = dict(CHOICES)
    TAGS = {IN_FORCE: "tag-success", PENDING: "tag-info", REPEALED: "tag-muted"}


def today():
    return timezone.localdate()


# --- roles -------------------------------------------------------------------------------------------------------
def is_rule_editor(user):
    return role_of(user) in EDITOR_ROLES


def require_rule_editor(user):
    if not is_rule_editor(user):
        raise PermissionDenied(EDITOR_REFUSAL)


def rules_editable_by(user):
    require_rule_editor(user)
    return rules_visible_to(user)


def versions_visible_to(user):
    return RuleVersion.objects.filter(rule__in=rules_visible_to(user).values("pk")).select_related(
        "rule", "rule__federation", "resolution", "resolution__event", "created_by")


# --- in force on a day -------------------------------------------------------------------------------------------
def not_repealed_q(on, prefix=""):
    return Q(**{f"{prefix}repealed_on__isnull": True}) | Q(**{f"{prefix}repealed_on__gt": on})


def in_force_q(on):
    """A rule in force on `on`: not repealed by then, and a version effective by then."""
    effective = RuleVersion.objects.filter(rule=OuterRef("pk"), effective_from__lte=on)
    return not_repealed_q(on) & Q(Exists(effective))


def rules_in_force(user, on=None):
    """The rules of the user's scope in force on `on` (today by default)."""
    return rules_visible_to(user).filter(in_force_q(on or today()))


def versions_in_force(user, on=None):
    """The versions in force on `on`: one per rule in force (the newest version effective by then)."""
    on = on or today()
    newest = (RuleVersion.objects.filter(rule=OuterRef("rule_id"), effective_from__lte=on)
              .order_by("-effective_from", "-version").values("pk")[:1])
    return versions_visible_to(user).filter(not_repealed_q(on, "rule__"), pk=Subquery(newest))


def version_in_force(rule, on=None):
    """The version of `rule` in force on `on` (None when it is repealed by then or none is effective yet)."""
    on = on or today()
    if rule.repealed_on is not None and rule.repealed_on <= on:
        return None
    return rule.versions.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()


def status_on(rule, on=None, *, effective=None):
    """现行有效 / 尚未施行 / 已废止 on `on`; `effective` is the version in force when the caller has it."""
    on = on or today()
    if rule.repealed_on is not None and rule.repealed_on <= on:
        return Status.REPEALED
    if effective is None:
        effective = version_in_force(rule, on)
    return Status.IN_FORCE if effective is not None else Status.PENDING


def _category_rank():
    return Case(*[When(category=value, then=Value(i)) for i, value in enumerate(CATEGORY_ORDER)],
                default=Value(len(CATEGORY_ORDER)), output_field=IntegerField())


def rule_list(user, *, filters=None, on=None):
    """The list page: the scope, then `q` (a word of the title), `category`, `status` (on `on`, today by default:
    现行有效 / 尚未施行 / 已废止); each row with its category's rank (the list is by category), the number of its
    versions, and the version in force on `on` (`current_version`, `current_from`, `current_body`; empty when
    none)."""
    filters = filters or {}
    on = on or today()
    newest = (RuleVersion.objects.filter(rule=OuterRef("pk"), effective_from__lte=on)
              .order_by("-effective_from", "-version"))
    qs = rules_visible_to(user).select_related("federation").annotate(
        category_rank=_category_rank(),
        version_count=count_of(RuleVersion, "rule"),
        current_version=Subquery(newest.values("version")[:1]),
        current_from=Subquery(newest.values("effective_from")[:1]),
        current_body=Subquery(newest.values("adopted_by")[:1]),
    )
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    status = filters.get("status")
    if status == Status.IN_FORCE:
        qs = qs.filter(in_force_q(on))
    elif status == Status.REPEALED:
        qs = qs.exclude(not_repealed_q(on))
    elif status == Status.PENDING:
        qs = qs.filter(not_repealed_q(on)).exclude(
            Exists(RuleVersion.objects.filter(rule=OuterRef("pk"), effective_from__lte=on)))
    return qs


def row_status(rule, on=None):
    """The status of a row of `rule_list` (its annotations, no query)."""
    on = on or today()
    if rule.repealed_on is not None and rule.repealed_on <= on:
        return Status.REPEALED
    return Status.IN_FORCE if rule.current_version is not None else Status.PENDING


def category_counts(user, *, filters=None, on=None):
    """{category: rules} of the list's other filters, for the category tabs (one grouped query)."""
    from django.db.models import Count

    rows = (rule_list(user, filters={**(filters or {}), "category": ""}, on=on).order_by()
            .values("category").annotate(n=Count("pk")).values_list("category", "n"))
    return dict(rows)


def rule_versions(rule):
    """The rule's versions, newest first, with the meeting resolutions that adopted them."""
    return rule.versions.select_related("resolution", "resolution__event", "created_by").order_by("-version")


def version_states(versions, on=None):
    """{version id: 现行 / 历史 / 待施行} of a rule's versions (newest first, as `rule_versions` gives them) on `on`,
    for a rule that is not repealed by then (a repealed rule's versions are all history)."""
    on = on or today()
    states, current_seen = {}, False
    for v in sorted(versions, key=lambda v: (v.effective_from, v.version), reverse=True):
        if v.effective_from > on:
            states[v.pk] = "待施行"
        elif not current_seen:
            states[v.pk] = "现行"
            current_seen = True
        else:
            states[v.pk] = "历史"
    return states


# --- the resolutions a version may cite --------------------------------------------------------------------------
def resolution_candidates(user, federation_id):
    """The passed resolutions of the federation's own statutory meetings (会员代表大会/执委会/常委会/主席办公会 — not a
    chamber's), newest first: what a version of one of its rules may cite."""
    require_rule_editor(user)
    return (resolutions_visible_to(user)
            .filter(passed=True, event__federation_id=federation_id, event__chamber__isnull=True,
                    event__body__in=[value for value, _ in ADOPTING_BODIES])
            .order_by("-event__starts_at", "-id"))


def resolution_label(resolution):
    event = resolution.event
    day = timezone.localtime(event.starts_at).date()
    return f"{day.isoformat()} {event.get_body_display()}：{resolution.title}"


def meeting_days(resolution):
    """The local days the resolution's meeting ran (its first and last)."""
    event = resolution.event
    return timezone.localtime(event.starts_at).date(), timezone.localtime(event.ends_at).date()


# --- comparing two versions --------------------------------------------------------------------------------------
@dataclass
class DiffLine:
    """One line of the comparison: `kind` same / removed / added, its line numbers in the older and the newer text,
    and its pieces [(text, changed)] — within a changed line, the characters that changed (Chinese has no spaces
    to split words on)."""

    kind: str
    old_no: int | None
    new_no: int | None
    pieces: list = field(default_factory=list)

    @property
    def marker(self):
        return {"removed": "−", "added": "+"}.get(self.kind, "")


@dataclass
class Comparison:
    older: RuleVersion
    newer: RuleVersion
    lines: list
    added: int
    removed: int

    @property
    def identical(self):
        return not self.added and not self.removed


def _char_pieces(old, new):
    """The pieces of an old and a new line, the characters that differ marked."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    old_pieces, new_pieces = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old_pieces.append((old[i1:i2], False))
            new_pieces.append((new[j1:j2], False))
            continue
        if i2 > i1:
            old_pieces.append((old[i1:i2], True))
        if j2 > j1:
            new_pieces.append((new[j1:j2], True))
    return old_pieces, new_pieces


def compare_versions(older, newer):
    """The line-by-line comparison (difflib) of two versions' texts, the older first: unchanged lines, lines
    removed and added, and within a line replaced by one other line the characters that changed."""
    if (older.version, older.pk) > (newer.version, newer.pk):
        older, newer = newer, older
    a, b = older.text.splitlines(), newer.text.splitlines()
    lines, added, removed = [], 0, 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", i + 1, j + 1, [(a[i], False)]) for i, j in zip(range(i1, i2), range(j1, j2),
                                                                                      strict=True)]
            continue
        old_block, new_block = list(range(i1, i2)), list(range(j1, j2))
        removed += len(old_block)
        added += len(new_block)
        if tag == "replace" and len(old_block) == len(new_block):
            for i, j in zip(old_block, new_block, strict=True):
                old_pieces, new_pieces = _char_pieces(a[i], b[j])
                lines.append(DiffLine("removed", i + 1, None, old_pieces))
                lines.append(DiffLine("added", None, j + 1, new_pieces))
            continue
        lines += [DiffLine("removed", i + 1, None, [(a[i], True)]) for i in old_block]
        lines += [DiffLine("added", None, j + 1, [(b[j], True)]) for j in new_block]
    return Comparison(older=older, newer=newer, lines=lines, added=added, removed=removed)

