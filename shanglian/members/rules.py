"""The member registry's rules, each written once: the import (`imports.MemberImportSpec.clean_row`)
checks a spreadsheet row with them and the staff forms' services (`services.save_*`) check a record
with them, so what the import refuses the forms refuse too, in the same words.

A rule takes plain values keyed by field name (the import's column keys are the model's field names)
and returns `[(field, reason)]`, empty when the values are right. The import shows a reason after its
column header (`第 5 行【退会日期】不能早于入会日期`), a form under the field of that name.

What is shared: the code checks and their normalisation (统一社会信用代码, 身份证号, 手机号 through
`common.validators`), the dictionaries, streets and chambers a value may name, the industry code,
dates against today and against each other, the status and its dates, gender against the ID number,
the member each kind of membership names, the natural keys that name one record (信用代码, 身份证号)
and the 会员证号 unique within a federation.
"""

from django.core.exceptions import ValidationError

from shanglian.common.models import DictItem, IndustryCode
from shanglian.common.validators import validate_id_number, validate_mobile, validate_uscc
from shanglian.orgs.models import Chamber, Street

from .models import Membership, Person

KIND = Membership.Kind
STATUS = Membership.Status
KIND_LABELS = dict(KIND.choices)

# The codes: field → validator (it normalises — NFKC, spaces, +86, lower-case x — and returns the value to store).
CODE_VALIDATORS = {"uscc": validate_uscc, "id_number": validate_id_number, "mobile": validate_mobile,
                   "contact_mobile": validate_mobile}

# The member a membership of each kind names (the field on Membership).
SUBJECT_FIELDS = {KIND.ENTERPRISE: "enterprise", KIND.INDIVIDUAL: "person", KIND.GROUP: "group"}

FUTURE = "不能晚于今天"
BEFORE_JOINED = "不能早于入会日期"
INDUSTRY_NOT_A_CLASS = "不是 GB/T 4754-2017 的小类代码（4 位数字，如 6513）"
NUMBER_TAKEN = "已被其他会员使用"


def required_for_kind(kind):
    return f"{KIND_LABELS[kind]}必填"


def only_for_kind(kind):
    return f"仅适用于{KIND_LABELS[kind]}"


# --- what a value may name ------------------------------------------------------------------------
def dictionary(kind):
    """The active items of one dictionary (企业类型, 政治面貌, 学历): the labels the import accepts and
    the choices a form offers."""
    return DictItem.objects.filter(kind=kind, is_active=True).order_by("order", "code")


def streets_of(federation):
    """The streets an enterprise of this federation may be in."""
    return Street.objects.filter(federation=federation).order_by("code")


def chambers_of(federation):
    """The chambers (and associations) of this federation: a 所属商会 or a 团体会员."""
    return Chamber.objects.filter(federation=federation).order_by("name")


def industry_classes():
    """The GB/T 4754-2017 小类 codes, the only level an enterprise's industry may be."""
    return set(IndustryCode.objects.filter(level=IndustryCode.Level.CLASS).values_list("code", flat=True))


# --- checks of values -----------------------------------------------------------------------------
def code_errors(values, failed=frozenset(), *, required=()):
    """Check and normalise the codes present in `values` in place (a refused one becomes None); the
    `required` ones are checked when empty too (the validator says 请填写…). Returns the errors and the
    failed fields (those given, plus each refused one)."""
    errors, failed = [], set(failed)
    for field, validate in CODE_VALIDATORS.items():
        if values.get(field) is not None or (field in required and field in values and field not in failed):
            try:
                values[field] = validate(values[field])
            except ValidationError as exc:  # its first message says what is wrong
                errors.append((field, exc.messages[0]))
                values[field] = None
                failed.add(field)
    return errors, failed


def required_errors(kind, values, fields, failed=frozenset()):
    """The fields a kind of member requires (a field that failed already is not named twice)."""
    return [(field, required_for_kind(kind)) for field in fields if values.get(field) is None and field not in failed]


def not_after_today(values, fields, *, today):
    return [(field, FUTURE) for field in fields if values.get(field) and values[field] > today]


def industry_errors(code, classes):
    return [("industry", INDUSTRY_NOT_A_CLASS)] if code and code not in classes else []


def status_errors(values, *, today, failed=frozenset()):
    """A membership's status and its dates (a federation or a chamber membership): 入会日期 not after
    today; 退会 needs 退会日期, and only 退会 has 退会日期 or 退会原因; where the record has a 暂停日期,
    暂停 needs it and only 暂停 has it; neither date before 入会日期. An empty status is 在册."""
    errors = []
    status = values.get("status") or STATUS.ACTIVE
    joined, left = values.get("joined"), values.get("left")
    errors += not_after_today(values, ["joined"], today=today)
    if status == STATUS.LEFT:
        if left is None and "left" not in failed:
            errors.append(("left", "状态为“退会”时必填"))
    elif left is not None or values.get("left_reason"):
        errors.append(("left" if left is not None else "left_reason", "仅在状态为“退会”时填写"))
    dated = ["left"]
    if "suspended_on" in values:
        dated.append("suspended_on")
        if status == STATUS.SUSPENDED:
            if values["suspended_on"] is None and "suspended_on" not in failed:
                errors.append(("suspended_on", "状态为“暂停”时必填"))
        elif values["suspended_on"] is not None:
            errors.append(("suspended_on", "仅在状态为“暂停”时填写"))
    if joined:
        errors += [(field, BEFORE_JOINED) for field in dated if values.get(field) and values[field] < joined]
    return errors


def gender_of(id_number):
    """The gender the 17th digit of an ID number gives (odd: 男, even: 女)."""
    return Person.Gender.FEMALE if int(id_number[16]) % 2 == 0 else Person.Gender.MALE


def birth_year_of(id_number):
    return int(id_number[6:10])


def gender_errors(values):
    """An empty gender is taken from the ID number (in place); a gender given must agree with it."""
    if not values.get("id_number"):
        return []
    from_id = gender_of(values["id_number"])
    if values.get("gender") is None:
        values["gender"] = from_id
        return []
    return [("gender", "与身份证号不一致")] if values["gender"] != from_id else []


def subject_errors(kind, values):
    """A membership names the member its kind calls for and no other."""
    required = SUBJECT_FIELDS[kind]
    errors = required_errors(kind, values, [required])
    return errors + [(field, only_for_kind(kind)) for field in SUBJECT_FIELDS.values()
                     if field != required and values.get(field) is not None]


def registered_elsewhere(field, noun, found, *, subtree, action):
    """A natural key (信用代码, 身份证号) names one record on the whole platform: `found` is the
    (id, federation id) of the record holding it, or None; a record of a federation outside the
    actor's `subtree` may not be taken over here."""
    if found is not None and found[1] not in subtree:
        return [(field, f"该{noun}已登记在其他工商联，不能在此{action}")]
    return []


def number_errors(owner, subject):
    """会员证号 is unique within a federation: `owner` is the member holding the number ((kind, id)), or None."""
    return [("number", NUMBER_TAKEN)] if owner is not None and owner != subject else []
