"""捐赠记录导入: the donations a federation or a chamber kept in a spreadsheet ("436家民营企业捐款捐物658万元"), on the
project's one Excel pipeline (`shanglian.common.excel`), registered with the import jobs as kind "donations"; the pages
are `donation_views.IMPORT_PAGES`, the command `import_donations`.

- Who: the `WELFARE_KEEPER_ROLES`, each row scoped to the importer — the editors any donor of their federations; a
  chamber secretary only its chamber's donations (组织商会 empty or its own chamber; its donors are its chamber, its
  active member enterprises and the persons holding a role in them). A row outside the scope is refused on its own.
- One row is one donation: 捐赠日期 (not in the future), 捐赠方类型 (企业/个人/商会) and 捐赠方 named, not by id — an
  enterprise by its name or 统一社会信用代码, a person by 身份证号 or by name (with 捐赠人所在企业, its enterprise's name
  or code, when two persons share the name), a chamber by its name; 公益项目, 受赠村 and 组织商会 by name.
- Amounts (捐款金额（元）, 物资折价（元）) go through the pipeline's "money" kind (`excel.parse_money`: "1,234.50",
  "１２３４", "1.5万元", "¥12" normalised; text, NaN, negative amounts, more than two decimal places and amounts too
  large refused); then the service's rules (`services.donations.amount_errors`, `date_errors`): cash, goods or
  both; goods described and valued together — in the same words as the pages.
- A row equal to a donation already recorded (same donor, day, amounts, goods, campaign and 票据号) or to an earlier
  row of the file is refused, so importing a file twice adds nothing. As in every import, one failed row writes
  nothing (unless only the valid rows are asked for). Each donation gets its certificate number (JZ + the day + a
  counter); one audit record per import.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shanglian.accounts.roles import WELFARE_KEEPER_ROLES, Role, require_role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.common.validators import normalize_id_number, normalize_uscc
from shanglian.imports.registry import import_kind
from shanglian.members.models import Person

from .models import ZERO, Donation
from .selectors import donations as selectors
from .selectors.scopes import campaigns_visible_to, donations_visible_to
from .services import donations as rules

KIND = "donations"
D = Donation.DonorKind
DONOR_KINDS = {label: value for value, label in D.choices}  # 企业 → enterprise …
LIMIT = rules.AMOUNT_LIMIT

COLUMNS = [
    Column("donated_on", "捐赠日期", required=True, kind="date", example="2024-03-05"),
    Column("donor_kind", "捐赠方类型", required=True, kind="choice", choices=DONOR_KINDS, example="企业"),
    Column("donor", "捐赠方", required=True, max_length=200, aliases=("捐赠单位", "捐赠人"), example="天津某某科技有限公司",
           help="企业填名称或统一社会信用代码；个人填身份证号或姓名（同名时另填“捐赠人所在企业”）；商会填商会名称"),
    Column("cash", "捐款金额（元）", kind="money", max_value=LIMIT, aliases=("捐款金额", "捐款（元）"), example="10000",
           help="可写 1234.50、1,234.50 或 1.5万元；捐款与物资折价至少填一项"),
    Column("goods_description", "捐赠物资", max_length=200, aliases=("物资",), example="口罩2万只"),
    Column("goods_value", "物资折价（元）", kind="money", max_value=LIMIT, aliases=("物资折价",), example="5000",
           help="捐赠物资时必填，写法同捐款金额"),
    Column("campaign", "公益项目", max_length=100, aliases=("项目",), example="春芽基金", help="系统中已有的公益项目名称"),
    Column("recipient_village", "受赠村", max_length=100, help="已登记的帮扶村名称"),
    Column("recipient", "受赠方", max_length=100, example="区慈善协会", help="受赠村以外的受赠单位或对象"),
    Column("receipt_number", "捐赠票据号", kind="code", max_length=40),
    Column("chamber", "组织商会", max_length=100,
           help="经由哪个商会组织；商会秘书处导入时只能留空或填本商会"),
    Column("note", "备注", max_length=200),
    Column("donor_enterprise", "捐赠人所在企业", max_length=200, aliases=("所在企业",),
           help="个人捐赠按姓名识别时填写其任职企业的名称或统一社会信用代码"),
]
HEADERS = {column.key: column.header for column in COLUMNS}


def _plain(reason):
    return reason.rstrip("。")


def _looks_like_code(text):
    code = normalize_uscc(text)
    return len(code) == 18 and code.isascii() and code.isalnum()


def _looks_like_id_number(text):
    number = normalize_id_number(text)
    return len(number) == 18 and number[:17].isascii() and number[:17].isdigit()


@import_kind(KIND)
class DonationImportSpec(ImportSpec):
    title = "捐款捐物"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *WELFARE_KEEPER_ROLES)
        if role_of(actor) != Role.CHAMBER and actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入捐赠记录。")
        super().__init__(actor=actor)

    # -- lookups, loaded once or as rows name them -------------------------------------------------------
    def prepare(self):
        actor = self.actor
        self.today = timezone.localdate()
        self.chamber_role = role_of(actor) == Role.CHAMBER
        self.enterprises = selectors.donor_enterprises(actor).select_related(None)
        self.persons = selectors.donor_persons(actor).select_related(None)
        self.id_index = Person._meta.get_field("id_number_index").index_for
        self.found = {}  # (what, text, …) → (record, reason)
        self.chambers = self._by_name(selectors.donor_chambers(actor))
        self.organisers = self._by_name(selectors.organising_chambers(actor))
        self.campaigns = self._by_name(campaigns_visible_to(actor))
        self.villages = self._by_name(selectors.recipient_villages(actor))
        self.visible = donations_visible_to(actor).select_related(None)
        self.created = []

    @staticmethod
    def _by_name(queryset):
        named = {}
        for item in queryset.select_related(None).order_by("id"):
            named.setdefault(item.name, []).append(item)
        return named

    def _one(self, named, text, noun):
        found = named.get(text, [])
        if not found:
            return None, f"找不到名为“{text}”的{noun}，或其不在您的管理范围内"
        if len(found) > 1:
            return None, f"有多个名为“{text}”的{noun}，请导入后在页面上选择"
        return found[0], ""

    def _enterprise(self, text):
        key = ("enterprise", text)
        if key not in self.found:
            if _looks_like_code(text):
                found = list(self.enterprises.filter(uscc=normalize_uscc(text))[:1])
                reason = "" if found else f"找不到统一社会信用代码为“{text}”的企业，或其不在您的管理范围内"
            else:
                found = list(self.enterprises.filter(name=text)[:2])
                reason = ("" if len(found) == 1 else f"有多家名为“{text}”的企业，请改填统一社会信用代码" if found
                          else f"找不到名为“{text}”的企业，或其不在您的管理范围内")
            self.found[key] = (found[0] if len(found) == 1 else None, reason)
        return self.found[key]

    def _person(self, text, enterprise_text):
        key = ("person", text, enterprise_text or "")
        if key not in self.found:
            if _looks_like_id_number(text):
                found = list(self.persons.filter(id_number_index=self.id_index(normalize_id_number(text)))[:1])
                self.found[key] = (found[0], "") if found else (None, "找不到该身份证号的人员，或其不在您的管理范围内")
                return self.found[key]
            persons = self.persons.filter(name=text)
            if enterprise_text:
                enterprise, reason = self._enterprise(enterprise_text)
                if enterprise is None:
                    self.found[key] = (None, reason)
                    return self.found[key]
                persons = persons.filter(enterprise_roles__enterprise=enterprise).distinct()
            found = list(persons[:2])
            if len(found) == 1:
                self.found[key] = (found[0], "")
            elif found:
                self.found[key] = (None, f"有多位名为“{text}”的人员，请填写“捐赠人所在企业”或改填身份证号")
            else:
                where = f"在“{enterprise_text}”任职的" if enterprise_text else ""
                self.found[key] = (None, f"找不到{where}名为“{text}”的人员，或其不在您的管理范围内")
        return self.found[key]

    def _donor(self, kind, text, enterprise_text):
        if kind == D.ENTERPRISE:
            return self._enterprise(text)
        if kind == D.PERSON:
            return self._person(text, enterprise_text)
        return self._one(self.chambers, text, "商会")

    # -- checks of one row ---------------------------------------------------------------------------------
    def clean_row(self, v, failed):
        errors = []
        kind, donor = v["donor_kind"], None
        if kind and v["donor"]:
            donor, reason = self._donor(kind, v["donor"], v["donor_enterprise"])
            if reason:
                errors.append((HEADERS["donor"], reason))
        if kind and kind != D.PERSON and v["donor_enterprise"]:
            errors.append((HEADERS["donor_enterprise"], "只有捐赠方类型为“个人”时才填写捐赠人所在企业"))
        chamber = self._chamber(v, kind, donor, errors)
        campaign = village = None
        if v["campaign"]:
            campaign, reason = self._one(self.campaigns, v["campaign"], "公益项目")
            if reason:
                errors.append((HEADERS["campaign"], reason))
        if v["recipient_village"]:
            village, reason = self._one(self.villages, v["recipient_village"], "受赠村")
            if reason:
                errors.append((HEADERS["recipient_village"], reason))
        if v["donated_on"] is not None:
            errors += [(HEADERS[name], _plain(reason))
                       for name, reason in rules.date_errors(v["donated_on"], today=self.today)]
        if not failed & {HEADERS["cash"], HEADERS["goods_value"], HEADERS["goods_description"]}:
            errors += [(HEADERS[name], _plain(reason)) for name, reason in rules.amount_errors(
                cash=v["cash"], goods_value=v["goods_value"], goods_description=v["goods_description"])]
        v["_donor"], v["_chamber"], v["_campaign"], v["_village"] = donor, chamber, campaign, village
        if not errors and not failed and (number := self._recorded(v)):
            errors.append(("", f"已有相同的捐赠记录（证书编号 {number}），不再重复导入"))
        return errors

    def _chamber(self, v, kind, donor, errors):
        """The organising chamber: a chamber secretary's own (the cell empty or naming it); for the editors the one
        named, or a chamber donor itself."""
        if self.chamber_role:
            own = self.actor.chamber
            if v["chamber"] and v["chamber"] != own.name:
                errors.append((HEADERS["chamber"], f"只能导入本商会（{own.name}）组织的捐赠"))
            return own
        if v["chamber"]:
            chamber, reason = self._one(self.organisers, v["chamber"], "商会")
            if reason:
                errors.append((HEADERS["chamber"], reason))
            return chamber
        return donor if kind == D.CHAMBER else None

    def _key(self, v):
        donor = v.get("_donor")
        if donor is None:
            return None
        campaign = v.get("_campaign")
        return (v["donor_kind"], donor.pk, v["donated_on"], v["cash"] or ZERO, v["goods_value"] or ZERO,
                v["goods_description"] or "", campaign.pk if campaign else None, v["receipt_number"] or "")

    def _recorded(self, v):
        """The number of a donation already recorded with the row's every fact (`selectors.same_donation`), or None."""
        key = self._key(v)
        if key is None:
            return None
        kind, donor, day, cash, goods, description, campaign, receipt = key
        return selectors.same_donation(self.visible, donor_kind=kind, donor=donor, donated_on=day, cash=cash,
                                       goods_value=goods, goods_description=description, campaign=campaign,
                                       receipt_number=receipt)

    def natural_key(self, v):
        return self._key(v)

    # -- writes --------------------------------------------------------------------------------------------
    def commit(self, batch):
        actor = self.actor
        for _row, v in batch:
            donor, kind = v["_donor"], v["donor_kind"]
            donation = Donation.objects.create(
                federation_id=rules.federation_for(actor, donor=donor, chamber=v["_chamber"]),
                number=rules.next_number(), donor_kind=kind, **{f"donor_{kind}": donor}, chamber=v["_chamber"],
                campaign=v["_campaign"], donated_on=v["donated_on"], cash=v["cash"] or ZERO,
                goods_value=v["goods_value"] or ZERO, goods_description=v["goods_description"] or "",
                recipient_village=v["_village"], recipient=v["recipient"] or "",
                receipt_number=v["receipt_number"] or "", note=v["note"] or "", created_by=actor)
            self.created.append(donation.number)
        return len(batch), 0

    def audit(self, report):
        numbers = self.created
        record(AuditAction.IMPORT, actor=self.actor, object_type="welfare.donation", object_repr="捐赠记录导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "valid_only": report.valid_only,
                       "numbers": [numbers[0], numbers[-1]] if numbers else []})


def import_donations(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the donations spreadsheet at `path` in the actor's scope. Every row is checked first; unless `dry_run`,
    the clean rows are written inside one transaction — nothing when a row failed, unless `valid_only`. Returns the
    `ImportReport`."""
    return run_import(DonationImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The template (bytes): the campaigns and organising chambers of the actor's scope as dropdowns."""
    spec = DonationImportSpec(actor=actor)
    return template_xlsx(spec, {
        "campaign": list(campaigns_visible_to(actor).order_by("-start", "id").values_list("name", flat=True)[:200]),
        "chamber": list(selectors.organising_chambers(actor).order_by("name").values_list("name", flat=True)),
    })


__all__ = ["COLUMNS", "KIND", "DonationImportSpec", "import_donations", "import_template"]
