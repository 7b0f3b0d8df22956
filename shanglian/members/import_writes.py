"""The writes of the member import: `MemberRowWriter`, the commit hook of `imports.MemberImportSpec`
(kept apart from services.py, which runs the import, so that neither module imports the other)."""

from django.utils import timezone

from shanglian.common.excel import insert_rows, update_rows

from .models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person, pinyin_initials
from .rules import birth_year_of
from .signals import chamber_memberships_written


class MemberRowWriter:
    """Writes one batch of checked member rows (the commit hook of `MemberImportSpec`).

    Enterprises, persons, their links, memberships and chamber memberships are each inserted with a few
    multi-row INSERTs per batch (`insert_rows`, which also returns the new ids) or updated with one
    `executemany` (`update_rows`): bulk_create spends most of its time compiling SQL per object.
    Model.save() is not called, so what it would compute is computed here: pinyin initials, blind
    indexes (through the fields' own `index_for_many`), timestamps; encrypted fields are encrypted by the
    fields themselves. An empty optional cell keeps the stored value (COALESCE) on update."""

    ENTERPRISE_INSERT = ["federation", "name", "name_initials", "uscc", "enterprise_type", "industry", "size",
                         "is_high_tech", "region_code", "street", "is_local", "founded", "employees",
                         "registered_capital", "legal_representative", "contact_name", "contact_mobile",
                         "contact_mobile_index", "address", "created_at", "updated_at"]
    ENTERPRISE_UPDATE = ["name", "name_initials", "enterprise_type", "industry", "size", "is_high_tech", "street",
                         "is_local", "founded", "employees", "registered_capital", "contact_name", "contact_mobile",
                         "contact_mobile_index", "updated_at"]
    ENTERPRISE_KEEP = {"size", "is_high_tech", "street", "is_local", "founded", "employees", "registered_capital",
                       "contact_name", "contact_mobile", "contact_mobile_index"}
    PERSON_INSERT = ["federation", "name", "name_initials", "gender", "birth_year", "id_number", "id_number_index",
                     "mobile", "mobile_index", "political_affiliation", "education", "is_new_generation",
                     "created_at", "updated_at"]
    PERSON_UPDATE = ["name", "name_initials", "gender", "birth_year", "mobile", "mobile_index",
                     "political_affiliation", "education", "is_new_generation", "updated_at"]
    PERSON_KEEP = {"mobile", "mobile_index", "political_affiliation", "education", "is_new_generation"}
    MEMBERSHIP_INSERT = ["federation", "kind", "enterprise", "person", "group", "number", "joined", "status",
                         "suspended_on", "left", "left_reason", "body_position", "created_at", "updated_at"]
    MEMBERSHIP_UPDATE = ["number", "joined", "status", "suspended_on", "left", "left_reason", "body_position",
                         "updated_at"]
    MEMBERSHIP_KEEP = {"number", "body_position"}

    def __init__(self, spec):
        self.spec = spec
        self.federation_id = spec.federation.pk
        self.contact_indexes = Enterprise._meta.get_field("contact_mobile_index").index_for_many
        self.mobile_indexes = Person._meta.get_field("mobile_index").index_for_many
        self.chamber_members = set()  # (chamber, enterprise) of the active chamber memberships inserted

    def write(self, rows):
        now = timezone.now()
        self._enterprises(rows, now)
        self._persons(rows, now)
        self._links(rows)
        created, updated = self._memberships(rows, now)
        self._chambers(rows)
        return created, updated

    @staticmethod
    def _indexes(rows, field, index_for_many):
        """The blind index of each row's `field` (None where it is empty), computed in one batch."""
        given = [v[field] for v in rows if v[field]]
        indexes = iter(index_for_many(given))
        return [next(indexes) if v[field] else None for v in rows]

    def _enterprises(self, rows, now):
        spec, new, changed = self.spec, [], []
        rows = [v for v in rows if v["kind"] == Membership.Kind.ENTERPRISE]
        for v, mobile_index in zip(rows, self._indexes(rows, "contact_mobile", self.contact_indexes), strict=True):
            name, mobile = v["enterprise_name"], v["contact_mobile"]
            found = spec.enterprises.get(v["uscc"])
            if found is None:
                new.append((self.federation_id, name, pinyin_initials(name), v["uscc"], v["enterprise_type"],
                            v["industry"], v["size"] or "", bool(v["is_high_tech"]), "", v.get("street_id"),
                            v["is_local"] is not False, v["founded"], v["employees"], v["registered_capital"], "",
                            v["contact_name"] or "", mobile or "", mobile_index or "", "", now, now))
            else:
                changed.append((name, pinyin_initials(name), v["enterprise_type"], v["industry"], v["size"],
                                v["is_high_tech"], v.get("street_id"), v["is_local"], v["founded"], v["employees"],
                                v["registered_capital"], v["contact_name"], mobile, mobile_index, now, found[0]))
        # the ids of the new enterprises come back from the INSERTs themselves (RETURNING)
        for uscc, pk in insert_rows(Enterprise, self.ENTERPRISE_INSERT, new, returning=("uscc", "id")):
            spec.enterprises[uscc] = (pk, self.federation_id)
        update_rows(Enterprise, self.ENTERPRISE_UPDATE, changed, keep_when_empty=self.ENTERPRISE_KEEP)

    def _persons(self, rows, now):
        spec, new, changed = self.spec, [], []
        rows = [v for v in rows if v["kind"] == Membership.Kind.INDIVIDUAL]
        for v, mobile_index in zip(rows, self._indexes(rows, "mobile", self.mobile_indexes), strict=True):
            name, ident, mobile = v["person_name"], v["id_number"], v["mobile"]
            found = spec.persons.get(v["id_index"])
            if found is None:
                new.append((self.federation_id, name, pinyin_initials(name), v["gender"], birth_year_of(ident), ident,
                            v["id_index"], mobile or "", mobile_index or "", v["political_affiliation"],
                            v["education"], bool(v["is_new_generation"]), now, now))
            else:
                changed.append((name, pinyin_initials(name), v["gender"], birth_year_of(ident), mobile, mobile_index,
                                v["political_affiliation"], v["education"], v["is_new_generation"], now, found[0]))
        for pk, index in sorted(insert_rows(Person, self.PERSON_INSERT, new, returning=("id", "id_number_index"))):
            spec.persons.setdefault(index, (pk, self.federation_id))
        update_rows(Person, self.PERSON_UPDATE, changed, keep_when_empty=self.PERSON_KEEP)

    def _links(self, rows):
        """A 个人会员 row with a 统一社会信用代码 links the person to that enterprise (role 其他), unless the
        person already holds a role there."""
        spec = self.spec
        pairs = {(spec.persons[v["id_index"]][0], spec.enterprises[v["uscc"]][0]) for v in rows
                 if v["kind"] == Membership.Kind.INDIVIDUAL and v["uscc"]}
        if not pairs:
            return
        existing = set(EnterpriseRole.objects.filter(person_id__in={p for p, _ in pairs})
                       .values_list("person_id", "enterprise_id"))
        insert_rows(EnterpriseRole, ["person", "enterprise", "role"],
                    [(p, e, EnterpriseRole.Role.OTHER) for p, e in sorted(pairs - existing)])

    def _subject_id(self, v):
        kind, subject_id = v["subject"]
        if subject_id is None:
            subject_id = (self.spec.enterprises[v["uscc"]][0] if kind == Membership.Kind.ENTERPRISE
                          else self.spec.persons[v["id_index"]][0])
        return kind, subject_id

    def _memberships(self, rows, now):
        spec, new, changed = self.spec, [], []
        for v in rows:
            kind, subject_id = subject = self._subject_id(v)
            v["subject_id"] = subject_id
            found = spec.memberships.get(subject)
            if found is None:
                new.append((self.federation_id, kind,
                            subject_id if kind == Membership.Kind.ENTERPRISE else None,
                            subject_id if kind == Membership.Kind.INDIVIDUAL else None,
                            subject_id if kind == Membership.Kind.GROUP else None,
                            v["number"] or "", v["joined"], v["status"], v["suspended_on"], v["left"],
                            v["left_reason"] or "", v["body_position"] or Membership.BodyPosition.MEMBER, now, now))
            else:
                changed.append((v["number"], v["joined"], v["status"], v["suspended_on"], v["left"],
                                v["left_reason"] or "", v["body_position"], now, found))
        insert_rows(Membership, self.MEMBERSHIP_INSERT, new)
        update_rows(Membership, self.MEMBERSHIP_UPDATE, changed, keep_when_empty=self.MEMBERSHIP_KEEP)
        return len(new), len(changed)

    def _chambers(self, rows):
        """所属商会 on an enterprise row: the enterprise becomes (or stays) a member of that chamber; a new
        chamber membership starts as the federation membership does, 商会职务 is updated when given."""
        wanted = {(v["chamber_id"], v["subject_id"]): v for v in rows if v.get("chamber_id")}
        if not wanted:
            return
        existing = {(chamber, enterprise): pk for pk, chamber, enterprise in ChamberMembership.objects.filter(
            enterprise_id__in={e for _, e in wanted}).values_list("id", "chamber_id", "enterprise_id")}
        new = [(chamber, enterprise, v["joined"], v["status"], v["left"], v["left_reason"] or "",
                v["chamber_position"] or "")
               for (chamber, enterprise), v in wanted.items() if (chamber, enterprise) not in existing]
        changed = [(v["chamber_position"], existing[key]) for key, v in wanted.items()
                   if key in existing and v["chamber_position"]]
        insert_rows(ChamberMembership, ["chamber", "enterprise", "joined", "status", "left", "left_reason", "position"],
                    new)
        update_rows(ChamberMembership, ["position"], changed)
        self.chamber_members.update((chamber, enterprise) for chamber, enterprise, _, status, *_ in new
                                    if status == ChamberMembership.Status.ACTIVE)

    def announce(self):
        """After the last batch: the active chamber memberships written, for the apps that keep figures on them
        (`members.signals`) — once, at the end, as the member summaries are rebuilt: their writes take the
        global write lock (`serialise_writes`), which a batch must not hold while the file is still read."""
        if self.chamber_members:
            chamber_memberships_written.send(sender=ChamberMembership, pairs=sorted(self.chamber_members))
