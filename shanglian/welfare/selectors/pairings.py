"""Scoped reads of 结对帮扶 (pairings) and of the target villages' coverage (帮扶村覆盖).

Every read of a pairing starts from `scopes.pairings_visible_to(user)`: the federation's roles every pairing of
their federations, a chamber secretary the pairings of its chamber and of its active member enterprises,
everybody else 403.

Who writes (`pairings_editable_by`, `WELFARE_KEEPER_ROLES`): the editors every pairing of their federations, a
chamber secretary those of its scope (its chamber's and its active member enterprises'); a leader reads only.
A new pairing's partner comes from `partner_enterprises` / `partner_chambers` and its village from
`villages_for_pairings` (the villages of the partner's federation).

Coverage (万企帮万村, "159个贫困村全覆盖"): a target village (`Village.is_target`) is **paired** on a day when at
least one pairing of it is in force that day (`models.pairing_in_force_q`: started on or before, not ended
before), whoever the partner; coverage = paired target villages ÷ target villages, None (无数据) when there are
none. The villages are those of the reader's federations (`villages_in_scope`): a federation role's own and
those under it; a chamber secretary's its chamber's federation's — village names are not personal data and
coverage is the federation's work, so a chamber secretary sees the same coverage as the federation. What it sees
in detail is its own scope only: the partners of its own pairings are named, the others of a village only
counted (`VillageRow.hidden`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Sum

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, WELFARE_KEEPER_ROLES, Role, role_of
from shanglian.members.selectors import chamber_member_ids, enterprises_visible_to
from shanglian.orgs.models import Chamber, Village
from shanglian.orgs.selectors import chambers_in_scope, federation_ids_in_scope
from shanglian.ui.figures import share

from ..models import Pairing, pairing_in_force_q
from .scopes import REFUSAL, pairings_visible_to

WRITE_REFUSAL = "您没有修改结对帮扶的权限。"
STATUSES = {"in_force": "在期", "upcoming": "未开始", "ended": "已结束"}


def _require_keeper(user):
    if role_of(user) not in WELFARE_KEEPER_ROLES:
        raise PermissionDenied(WRITE_REFUSAL)


# --- who writes ----------------------------------------------------------------------------------------------
def pairings_editable_by(user):
    """The pairings the user may change or delete: an editor's every one of its federations, a chamber
    secretary's those it reads (its chamber's and its active member enterprises'); a leader 403."""
    _require_keeper(user)
    return pairings_visible_to(user)


def partner_enterprises(user):
    """The enterprises a pairing may be made for: an editor's of its federations, a chamber secretary's its
    active member enterprises."""
    _require_keeper(user)
    return enterprises_visible_to(user)


def partner_chambers(user):
    """The chambers a pairing may be made for: an editor's of its federations, a chamber secretary's its own."""
    _require_keeper(user)
    return chambers_in_scope(user).order_by("name", "id")


def villages_for_pairings(user):
    """The villages a keeper may pair: those of its federations (a chamber secretary's: its chamber's
    federation's). The service checks that the village and the partner are of one federation."""
    _require_keeper(user)
    return villages_in_scope(user).order_by("county", "name", "id")


# --- lists -----------------------------------------------------------------------------------------------------
def status_of(pairing, on):
    """在期 / 未开始 / 已结束 of a fetched pairing on a day."""
    if pairing.start > on:
        return STATUSES["upcoming"]
    return STATUSES["in_force"] if pairing.in_force_on(on) else STATUSES["ended"]


def pairing_list(user, *, filters=None, on):
    """The pairing list: scope first, then the search form's filters — `q` (the partner's or the village's
    name), `kind`, `partner` (enterprise/chamber), `status` (in_force/upcoming/ended on `on`), `county` (the
    village's 县（区）), `target` (yes/no: a target village or not), `chamber` (a Chamber: its own pairings and
    its active member enterprises')."""
    filters = filters or {}
    qs = pairings_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(chamber__name__icontains=q) | Q(village__name__icontains=q))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("partner") in ("enterprise", "chamber"):
        qs = qs.filter(**{f"{filters['partner']}__isnull": False})
    status = filters.get("status")
    if status == "in_force":
        qs = qs.filter(pairing_in_force_q(on))
    elif status == "upcoming":
        qs = qs.filter(start__gt=on)
    elif status == "ended":
        qs = qs.filter(end__lt=on)
    county = (filters.get("county") or "").strip()
    if county:
        qs = qs.filter(village__county__icontains=county)
    if filters.get("target") in ("yes", "no"):
        qs = qs.filter(village__is_target=filters["target"] == "yes")
    chamber = filters.get("chamber")
    if chamber is not None:
        qs = qs.filter(Q(chamber=chamber) | Q(enterprise_id__in=chamber_member_ids(chamber.pk)))
    return qs


def village_pairings(user, pairing):
    """The other pairings of `pairing`'s village that the user reads (latest first), and how many more there are
    outside its scope (counted, never named)."""
    others = Pairing.objects.filter(village_id=pairing.village_id).exclude(pk=pairing.pk)
    rows = list(pairings_visible_to(user).filter(village_id=pairing.village_id).exclude(pk=pairing.pk)
                .order_by("-start", "-id"))
    return rows, others.count() - len(rows)


def enterprise_pairings(user, enterprise):
    """The pairings of an enterprise that the user reads, latest first."""
    return pairings_visible_to(user).filter(enterprise=enterprise).order_by("-start", "-id")


# --- villages and coverage -------------------------------------------------------------------------------------
def villages_in_scope(user):
    """The villages whose coverage a reader sees: a federation role's of its federations, a chamber secretary's of
    its chamber's federation; 403 for the other roles."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return Village.objects.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER and user.chamber_id:
        return Village.objects.filter(federation_id=Chamber.objects.filter(pk=user.chamber_id)
                                      .values("federation_id")[:1])
    raise PermissionDenied(REFUSAL)


def paired_q(on):
    """A village with a pairing in force on `on` (whoever the partner)."""
    return Exists(Pairing.objects.filter(pairing_in_force_q(on), village_id=OuterRef("pk")))


def target_villages(user, *, on):
    """The target villages of the reader's federations, each with `paired` (a pairing in force on `on`)."""
    return villages_in_scope(user).filter(is_target=True).annotate(paired=paired_q(on))


@dataclass(frozen=True)
class Coverage:
    """The target villages on a day: how many, how many paired; the rate (None when there are none)."""

    on: object
    targets: int
    paired: int

    @property
    def unpaired(self):
        return self.targets - self.paired

    @property
    def rate(self):
        return share(self.paired, self.targets)


def coverage(user, *, on):
    """The coverage of the reader's target villages on `on` (one query)."""
    found = villages_in_scope(user).filter(is_target=True).aggregate(
        targets=Count("pk"), paired=Count("pk", filter=Q(paired_q(on))))
    return Coverage(on, found["targets"] or 0, found["paired"] or 0)


@dataclass
class VillageRow:
    """A target village of the coverage page: the pairings in force the reader sees, and how many others."""

    village: Village
    pairings: list = field(default_factory=list)
    hidden: int = 0

    @property
    def paired(self):
        return bool(self.pairings) or self.hidden > 0


def coverage_rows(user, *, on):
    """(unpaired rows, paired rows) of the reader's target villages on `on`, each by county and name. The
    pairings in force of the paired villages are read once; those outside the reader's scope are counted only.
    Three queries at most."""
    villages = list(target_villages(user, on=on).order_by("county", "name", "id"))
    rows = {village.pk: VillageRow(village) for village in villages}
    paired_ids = [village.pk for village in villages if village.paired]
    if paired_ids:
        in_force = Pairing.objects.filter(pairing_in_force_q(on), village_id__in=paired_ids)
        seen = set(pairings_visible_to(user).filter(pk__in=in_force.values("pk")).values_list("pk", flat=True))
        for pairing in in_force.select_related("enterprise", "chamber").order_by("start", "id"):
            row = rows[pairing.village_id]
            if pairing.pk in seen:
                row.pairings.append(pairing)
            else:
                row.hidden += 1
    return ([rows[v.pk] for v in villages if not v.paired], [rows[v.pk] for v in villages if v.paired])


def pairings_by_kind(user, *, on):
    """The reader's pairings in force on `on`: ({kind: row}, overall row), a row holding `n` (pairings),
    `villages` (distinct villages), `committed` and `delivered` (the amounts' sums as read, None over none).
    Two queries (the villages of the whole are counted once, not added up by kind)."""
    rows = pairings_visible_to(user).select_related(None).filter(pairing_in_force_q(on)).order_by()
    aggregates = {"n": Count("pk"), "villages": Count("village", distinct=True),
                  "committed": Sum("committed_amount"), "delivered": Sum("delivered_amount")}
    by_kind = {row["kind"]: row for row in rows.values("kind").annotate(**aggregates)}
    return by_kind, rows.aggregate(**aggregates)


def can_keep(user):
    return role_of(user) in WELFARE_KEEPER_ROLES


def is_editor(user):
    return role_of(user) in EDITOR_ROLES


def reads_village_pages(user):
    """Whether the user opens a village's own page (`orgs:village_detail`: the federation's roles)."""
    return role_of(user) in FEDERATION_ROLES


__all__ = ["STATUSES", "Coverage", "VillageRow", "can_keep", "coverage", "coverage_rows", "enterprise_pairings",
           "is_editor", "paired_q", "pairing_list", "pairings_by_kind", "pairings_editable_by", "partner_chambers",
           "partner_enterprises", "reads_village_pages", "status_of", "target_villages", "village_pairings", "villages_for_pairings",
           "villages_in_scope"]
