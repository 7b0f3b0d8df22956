"""查重: finding registry records that look like one body twice, and the queue staff review.

Two enterprises of one federation are suspected duplicates when they have
- the same credit code after `normalize_uscc` (full-width letters, spaces and case do not count), or
- similar names: both names normalised (`normalize_name`: NFKC, no spaces, no brackets, no legal-form suffix
  such as 有限公司/有限责任公司/股份有限公司/集团) are equal, or the shorter (at least 4 characters) is inside the longer, or
- the same contact mobile (the blind index `contact_mobile_index`, never the number itself).
Two persons of one federation: the same ID number (`id_number_index`), the same mobile (`mobile_index`), or the
same name with the same gender and year of birth.

`scan(federation)` records each new pair as an open `DuplicateCandidate` (the older record first) and refreshes the
reasons of open ones; a pair once dismissed (非重复) is never proposed again. The queue's reads (`candidates_visible_to`,
`merges_visible_to`) are the editors' of the federations in their scope (EDITOR_ROLES only). The merge itself is
`members.merging`.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.validators import normalize_uscc
from shanglian.orgs.selectors import federation_ids_in_scope

from .models import DuplicateCandidate, Enterprise, MergeRecord, Person

REASONS = {
    "uscc": "统一社会信用代码相同",
    "name": "名称相近",
    "mobile": "手机号相同",
    "id_number": "身份证号相同",
    "person_name": "姓名、性别、出生年份相同",
}
# Longest first: 股份有限公司 before 有限公司, so one pass strips the whole suffix.
LEGAL_SUFFIXES = tuple(sorted(("股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "股份公司",
                               "集团公司", "总公司", "公司", "集团", "合伙企业", "个人独资企业"), key=len, reverse=True))
MIN_CONTAINED = 4  # the shorter name must have this many characters to count as inside the longer
MAX_NAME = 60  # a longer normalised name is compared by equality only
_SPACES_AND_BRACKETS = re.compile(r"[\s()（）\[\]【】〔〕{}<>《》「」『』·・.,，、\"'“”‘’-]+")


def normalize_name(name):
    """The name as compared: NFKC, spaces and brackets (not their content) removed, legal-form suffixes removed
    (repeatedly, so 集团有限公司 and （集团）有限公司 both go)."""
    text = _SPACES_AND_BRACKETS.sub("", unicodedata.normalize("NFKC", name or "")).upper()
    stripped = True
    while stripped and text not in LEGAL_SUFFIXES:
        stripped = False
        for suffix in LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    return text


def names_similar(first, second):
    a, b = normalize_name(first), normalize_name(second)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_CONTAINED and short in long


def _pairs_by_key(rows, key, reason, pairs):
    """Every two ids sharing a non-empty key get `reason`."""
    groups = defaultdict(list)
    for row in rows:
        value = key(row)
        if value:
            groups[value].append(row[0])
    for ids in groups.values():
        if len(ids) < 2:
            continue
        ids.sort()
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                pairs[(first, second)].add(reason)


def _name_pairs(rows, pairs):
    """Equal normalised names, and a name (≥ 4 characters) inside another: each name's substrings are looked up
    in the set of names, so the work grows with the names' lengths, not with the square of their number."""
    by_name = defaultdict(list)
    for pk, name in rows:
        normalised = normalize_name(name)
        if normalised:
            by_name[normalised].append(pk)
    found = defaultdict(set)
    for name, ids in by_name.items():
        for pk in ids:
            found[pk].update(other for other in ids if other != pk)
        if len(name) > MAX_NAME:
            continue
        for length in range(MIN_CONTAINED, len(name)):
            for start in range(len(name) - length + 1):
                inner = by_name.get(name[start:start + length])
                if inner:
                    for pk in ids:
                        found[pk].update(inner)
    for pk, others in found.items():
        for other in others:
            if other != pk:
                pairs[(min(pk, other), max(pk, other))].add("name")


def enterprise_pairs(federation_id):
    """{(older id, newer id): {reason, …}} of the federation's enterprises."""
    rows = list(Enterprise.objects.filter(federation_id=federation_id)
                .values_list("pk", "name", "uscc", "contact_mobile_index"))
    pairs = defaultdict(set)
    _pairs_by_key(rows, lambda row: normalize_uscc(row[2]) if row[2] else "", "uscc", pairs)
    _pairs_by_key(rows, lambda row: row[3], "mobile", pairs)
    _name_pairs([(row[0], row[1]) for row in rows], pairs)
    return dict(pairs)


def person_pairs(federation_id):
    """{(older id, newer id): {reason, …}} of the federation's persons."""
    rows = list(Person.objects.filter(federation_id=federation_id)
                .values_list("pk", "name", "gender", "birth_year", "id_number_index", "mobile_index"))
    pairs = defaultdict(set)
    _pairs_by_key(rows, lambda row: row[4], "id_number", pairs)
    _pairs_by_key(rows, lambda row: row[5], "mobile", pairs)
    _pairs_by_key(rows, lambda row: (normalize_name(row[1]), row[2], row[3]) if row[1] and row[3] else None,
                  "person_name", pairs)
    return dict(pairs)


@dataclass(frozen=True)
class ScanResult:
    found: int  # pairs suspected now
    created: int  # new open candidates
    updated: int  # open candidates whose reasons changed
    dismissed: int  # pairs found again but dismissed before (not proposed)


def _ordered_reasons(reasons):
    return [key for key in REASONS if key in reasons]


def _scan_kind(federation_id, kind, pairs):
    first, second = f"first_{kind}_id", f"second_{kind}_id"
    existing = {(c[first], c[second]): c for c in DuplicateCandidate.objects.filter(
        federation_id=federation_id, kind=kind).values("pk", first, second, "status", "reasons")}
    new, updated, dismissed = [], 0, 0
    for pair, reasons in pairs.items():
        reasons = _ordered_reasons(reasons)
        known = existing.get(pair)
        if known is None:
            new.append(DuplicateCandidate(federation_id=federation_id, kind=kind, reasons=reasons,
                                          **{first: pair[0], second: pair[1]}))
        elif known["status"] == DuplicateCandidate.Status.DISMISSED:
            dismissed += 1
        elif known["status"] == DuplicateCandidate.Status.OPEN and known["reasons"] != reasons:
            DuplicateCandidate.objects.filter(pk=known["pk"]).update(reasons=reasons)
            updated += 1
    DuplicateCandidate.objects.bulk_create(new, batch_size=500)
    return len(new), updated, dismissed


def scan(federation, *, actor=None):
    """Find the federation's suspected duplicates (enterprises and persons) and queue the new ones; audited."""
    from shanglian.orgs.models import Federation

    with transaction.atomic():
        # two editors pressing 查找疑似重复 at once: the second waits for the first's pairs instead of adding the
        # same pairs again (the pair's unique constraint would refuse them with an error)
        Federation.objects.select_for_update().filter(pk=federation.pk).first()
        totals = [0, 0, 0, 0]
        for kind, pairs in (("enterprise", enterprise_pairs(federation.pk)), ("person", person_pairs(federation.pk))):
            created, updated, dismissed = _scan_kind(federation.pk, kind, pairs)
            totals = [totals[0] + len(pairs), totals[1] + created, totals[2] + updated, totals[3] + dismissed]
        result = ScanResult(*totals)
        record(AuditAction.CREATE, actor=actor, object_type="members.duplicatecandidate",
               object_id=str(federation.pk), object_repr=f"{federation} 查找疑似重复",
               detail={"found": result.found, "created": result.created, "updated": result.updated,
                       "dismissed": result.dismissed})
    return result


def scan_for(user):
    """查找疑似重复 from the queue page: every federation in the editor's scope."""
    from shanglian.orgs.models import Federation

    require_role(user, *EDITOR_ROLES)
    results = [scan(federation, actor=user)
               for federation in Federation.objects.filter(pk__in=federation_ids_in_scope(user)).order_by("pk")]
    return ScanResult(*(sum(getattr(r, name) for r in results) for name in ("found", "created", "updated",
                                                                              "dismissed")))


# --- reads: the queue and the merge log (EDITOR_ROLES, their federations) ----------------------------------
CANDIDATE_RELATED = ("federation", "first_enterprise", "second_enterprise", "first_person", "second_person",
                     "decided_by")


def candidates_visible_to(user):
    require_role(user, *EDITOR_ROLES)
    return (DuplicateCandidate.objects.filter(federation_id__in=federation_ids_in_scope(user))
            .select_related(*CANDIDATE_RELATED))


def candidate_list(user, *, filters=None):
    """The queue: open candidates by default; `status` and `kind` filter, `q` finds a name of either record."""
    filters = filters or {}
    qs = candidates_visible_to(user).filter(status=filters.get("status") or DuplicateCandidate.Status.OPEN)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(first_enterprise__name__icontains=q) | Q(second_enterprise__name__icontains=q)
                       | Q(first_person__name__icontains=q) | Q(second_person__name__icontains=q))
    return qs


def open_candidates_of(user):
    return candidates_visible_to(user).filter(status=DuplicateCandidate.Status.OPEN)


def merges_visible_to(user):
    require_role(user, *EDITOR_ROLES)
    return (MergeRecord.objects.filter(federation_id__in=federation_ids_in_scope(user))
            .select_related("federation", "kept_enterprise", "kept_person", "merged_by", "candidate"))


def merge_list(user, *, filters=None):
    filters = filters or {}
    qs = merges_visible_to(user)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(absorbed_name__icontains=q) | Q(kept_enterprise__name__icontains=q)
                       | Q(kept_person__name__icontains=q))
    return qs


def reason_labels(reasons):
    return [REASONS.get(key, key) for key in reasons]
